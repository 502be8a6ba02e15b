//! JSON documents: CycloneDX JSON, SPDX 2.x JSON and SPDX 3 JSON-LD, read in one serde pass
//! into lean structs (unknown fields are skipped without being stored).
//!
//! Each element of the big arrays (components, packages, relationships, ...)
//! is read on its own, so one malformed element becomes a warning instead of
//! failing the whole document.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, Visitor};
use serde_json::value::RawValue;

use crate::build::{Builder, DocInfo, RawComponent};
use crate::error::SbomError;
use crate::model::{ComponentKind, Format, RelationKind, Sbom, WarningKind};
use crate::spdx;

mod cyclonedx;
mod spdx2;
mod spdx3;

pub(crate) use cyclonedx::cdx_spec_version;
use cyclonedx::{CdxComponent, CdxDependency, CdxMetadata, cyclonedx};
use spdx2::{SpdxCreationInfo, SpdxElement, SpdxPackage, SpdxRelationship, spdx_json};
use spdx3::{Spdx3Element, is_spdx3_context, spdx3};

/// The deepest nesting of JSON objects and arrays a JSON SBOM may have. Real SBOMs
/// nest components a few levels (each level is an object and an array); the readers
/// re-read each component of a lenient list, so depth costs time and stack (3,000
/// levels overflowed the stack, #14).
pub(crate) const MAX_JSON_DEPTH: usize = 64;

/// Where the document first nests deeper than [`MAX_JSON_DEPTH`]: (line, column), both
/// 1-based. One pass over the bytes, strings skipped.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                (false, b'\n') => {
                    line += 1;
                    line_start = i + 1;
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    let column = text[line_start..=i].chars().count();
                    return Some((line, column));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// Reads a JSON SBOM. `text` starts with `{` after whitespace.
pub(crate) fn parse(text: &str, origin: &str) -> Result<(Sbom, Option<usize>), SbomError> {
    if let Some((line, column)) = too_deep(text) {
        return Err(SbomError::Json {
            origin: origin.to_owned(),
            line,
            column,
            path: None,
            message: format!(
                "objects and arrays nested deeper than {MAX_JSON_DEPTH} levels; no SBOM nests \
                 its components so deep"
            ),
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    // The plain parse is the fast path. Only a document that fails it is
    // read again through serde_path_to_error, whose path-tracking wrapper
    // costs on every value, to name the field in the error.
    let doc = match TopLevel::deserialize(&mut de) {
        Ok(doc) => doc,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(text);
            let doc: TopLevel =
                serde_path_to_error::deserialize(&mut de).map_err(|e| json_error(origin, &e))?;
            doc
        }
    };
    // Anything after the document (seen in the wild: a web page footer) is
    // ignored with a warning rather than failing the read.
    let trailing = match de.end() {
        Ok(()) => None,
        Err(e) => Some(e.line()),
    };
    let sbom = if doc.bom_format.is_some()
        || (doc.spec_version.is_some() && doc.spdx_version.is_none())
    {
        if let Some(f) = &doc.bom_format
            && !f.eq_ignore_ascii_case("CycloneDX")
        {
            return Err(SbomError::NotAnSbom {
                origin: origin.to_owned(),
                reason: format!("JSON `bomFormat` is `{f}`, not `CycloneDX`"),
            });
        }
        cyclonedx(doc)
    } else if doc.spdx_version.is_some() {
        spdx_json(doc)
    } else if doc.context.as_ref().is_some_and(is_spdx3_context) {
        spdx3(doc)
    } else {
        return Err(SbomError::NotAnSbom {
            origin: origin.to_owned(),
            reason: "JSON object has neither `bomFormat`/`specVersion` (CycloneDX), `spdxVersion` (SPDX 2) nor an SPDX 3 `@context`".to_owned(),
        });
    };
    Ok((sbom, trailing))
}

fn json_error(origin: &str, e: &serde_path_to_error::Error<serde_json::Error>) -> SbomError {
    let inner = e.inner();
    let path = e.path().to_string();
    SbomError::Json {
        origin: origin.to_owned(),
        line: inner.line(),
        column: inner.column(),
        path: (path != ".").then_some(path),
        message: strip_position(&inner.to_string()),
    }
}

/// serde_json appends " at line L column C"; the error carries them apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Lenient helpers

/// One array element, read on its own: a malformed element does not fail
/// the document.
pub(crate) enum Lenient<T> {
    Ok(T),
    Invalid(String),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The element's own text, checked as JSON but not yet read into `T`.
        // Reading `T` straight from that text is the fast path; only an
        // element that fails is read again with its path tracked.
        let raw = Box::<RawValue>::deserialize(d)?;
        if let Ok(t) = serde_json::from_str::<T>(raw.get()) {
            return Ok(Self::Ok(t));
        }
        let mut de = serde_json::Deserializer::from_str(raw.get());
        Ok(match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(t) => Self::Ok(t),
            Err(e) => {
                let path = e.path().to_string();
                // Positions inside the element's text would mislead.
                let inner = strip_position(&e.inner().to_string());
                Self::Invalid(if path == "." {
                    inner
                } else {
                    format!("`{path}`: {inner}")
                })
            }
        })
    }
}

/// Reads a string, number or boolean as text; `null` as `None`; anything
/// else (object, array) is skipped and read as `None`.
fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// A list of texts; `null` is an empty list, a single value a list of one.
fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(t) = a.next_element::<Text>()? {
                out.extend(t.0);
            }
            Ok(out)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt_text(d).map(Text)
    }
}

/// `null` reads as the default (an empty list).
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// A list read element by element; `null` is an empty list.
fn lenient_list<'de, D, T>(d: D) -> Result<Vec<Lenient<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = Vec<Lenient<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(a.size_hint().unwrap_or(0));
            while let Some(item) = a.next_element::<Lenient<T>>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_seq(self)
        }
    }
    d.deserialize_option(V(PhantomData))
}

// ---------------------------------------------------------------------------
// The top level: the union of the CycloneDX and SPDX top-level fields we use.

#[derive(Deserialize, Default)]
#[serde(default)]
struct TopLevel {
    // CycloneDX
    #[serde(rename = "bomFormat", deserialize_with = "opt_text")]
    bom_format: Option<String>,
    #[serde(rename = "specVersion", deserialize_with = "opt_text")]
    spec_version: Option<String>,
    #[serde(rename = "serialNumber", deserialize_with = "opt_text")]
    serial_number: Option<String>,
    metadata: Option<Lenient<CdxMetadata>>,
    #[serde(deserialize_with = "lenient_list")]
    components: Vec<Lenient<CdxComponent>>,
    #[serde(deserialize_with = "lenient_list")]
    dependencies: Vec<Lenient<CdxDependency>>,
    // SPDX 2.x
    #[serde(rename = "spdxVersion", deserialize_with = "opt_text")]
    spdx_version: Option<String>,
    #[serde(rename = "SPDXID", deserialize_with = "opt_text")]
    spdx_id: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
    #[serde(rename = "documentNamespace", deserialize_with = "opt_text")]
    document_namespace: Option<String>,
    #[serde(rename = "creationInfo")]
    creation_info: Option<Lenient<SpdxCreationInfo>>,
    #[serde(rename = "documentDescribes", deserialize_with = "text_list")]
    document_describes: Vec<String>,
    #[serde(deserialize_with = "lenient_list")]
    packages: Vec<Lenient<SpdxPackage>>,
    #[serde(deserialize_with = "lenient_list")]
    files: Vec<Lenient<SpdxElement>>,
    #[serde(deserialize_with = "lenient_list")]
    snippets: Vec<Lenient<SpdxElement>>,
    #[serde(deserialize_with = "lenient_list")]
    relationships: Vec<Lenient<SpdxRelationship>>,
    // SPDX 3 JSON-LD
    #[serde(rename = "@context")]
    context: Option<serde_json::Value>,
    #[serde(rename = "@graph", deserialize_with = "lenient_list")]
    graph: Vec<Lenient<Spdx3Element>>,
}
