//! A macro for closed sets of kebab-case identifiers (categories, enum values).
//!
//! Every value keeps its exact spelling from the spec in one place; the macro derives
//! serde (with serde's "unknown variant ..., expected one of ..." errors), the JSON
//! Schema, `Display`, `FromStr`, and the list of all values.

/// Defines a `Copy` enum whose variants (de)serialize as the given string ids.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $id:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, schemars::JsonSchema,
        )]
        $vis enum $name {
            $( #[doc = concat!("`", $id, "`")] $(#[$vmeta])* #[serde(rename = $id)] $variant, )+
        }

        impl $name {
            /// Every value, in the order the spec lists them.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The stable identifier, as written in profiles.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $id ),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ids::UnknownId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $id => Ok($name::$variant), )+
                    _ => Err($crate::ids::UnknownId {
                        kind: stringify!($name),
                        value: s.to_owned(),
                        expected: &[ $( $id ),+ ],
                    }),
                }
            }
        }
    };
}
pub(crate) use string_enum;

/// A string that is not one of a closed set of identifiers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`{}", crate::ids::suggest(value, expected).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct UnknownId {
    /// The type of identifier.
    pub kind: &'static str,
    /// The rejected value.
    pub value: String,
    /// All accepted values.
    pub expected: &'static [&'static str],
}

/// The closest accepted identifier to `value`, when it is close enough to be a typo.
pub fn suggest<'a>(value: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::jaro_winkler(value, e), *e))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e)
}
