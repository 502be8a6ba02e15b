//! CPE 2.3 formatted strings (NISTIR 7695, section 6.2): parsing into the
//! well-formed name's eleven attributes, with escapes unquoted and the
//! logical values ANY (`*`) and NA (`-`) recognized.

use std::fmt;
use std::str::FromStr;

/// One attribute of a CPE name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CpeValue {
    /// `*`: any value.
    Any,
    /// `-`: not applicable (the attribute has no value for this product).
    Na,
    /// A literal value, escapes removed (`foo\:bar` is `foo:bar`).
    Value(String),
    /// A value with unquoted `*` or `?` wildcards (`1.0*`), kept as
    /// written. riskmark never matches such a value: it would match more
    /// than one product or version.
    Pattern(String),
}

impl CpeValue {
    /// The literal value, when this is one.
    #[must_use]
    pub fn as_value(&self) -> Option<&str> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    /// `*`.
    #[must_use]
    pub fn is_any(&self) -> bool {
        matches!(self, Self::Any)
    }

    /// Two specified attributes are equal: literal values compared
    /// case-insensitively (CPE values are case-insensitive), NA equals NA.
    /// ANY and patterns are never equal to anything here.
    pub(crate) fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Value(a), Self::Value(b)) => eq_ci(a, b),
            (Self::Na, Self::Na) => true,
            _ => false,
        }
    }
}

pub(crate) fn eq_ci(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

impl fmt::Display for CpeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("*"),
            Self::Na => f.write_str("-"),
            Self::Pattern(p) => f.write_str(p),
            Self::Value(v) => {
                for c in v.chars() {
                    if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                Ok(())
            }
        }
    }
}

/// A CPE 2.3 name: `cpe:2.3:part:vendor:product:version:update:edition:
/// language:sw_edition:target_sw:target_hw:other`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cpe {
    /// `a` (application), `o` (operating system), `h` (hardware) or ANY.
    pub part: CpeValue,
    /// The vendor.
    pub vendor: CpeValue,
    /// The product.
    pub product: CpeValue,
    /// The version.
    pub version: CpeValue,
    /// The update (`sp1`, `beta1`, `rc2` ...).
    pub update: CpeValue,
    /// The edition (deprecated in 2.3, still found).
    pub edition: CpeValue,
    /// The language.
    pub language: CpeValue,
    /// The software edition.
    pub sw_edition: CpeValue,
    /// The target software (`node.js`, `wordpress` ...).
    pub target_sw: CpeValue,
    /// The target hardware.
    pub target_hw: CpeValue,
    /// Anything else.
    pub other: CpeValue,
}

/// Why a string is not a CPE 2.3 formatted string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CpeError(String);

impl Cpe {
    /// Parses a CPE 2.3 formatted string. `\` quotes the next character
    /// (`\:` is a colon inside a value); an attribute that is exactly `*`
    /// is ANY and exactly `-` is NA; an unquoted `*` or `?` inside a value
    /// makes it a [`CpeValue::Pattern`]. Trailing attributes may be left
    /// out (they are ANY), as many tools write `cpe:2.3:a:vendor:product:1.0`.
    ///
    /// # Errors
    /// [`CpeError`] when the prefix is not `cpe:2.3:`, there are more than
    /// eleven attributes, the part is not `a`, `o`, `h` or `*`, a value is
    /// empty, or the string ends in a lone `\`.
    pub fn parse(s: &str) -> Result<Self, CpeError> {
        let s = s.trim();
        let rest = match s.get(..8) {
            Some(p) if p.eq_ignore_ascii_case("cpe:2.3:") => &s[8..],
            _ if s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("cpe:/")) => {
                return Err(CpeError(
                    "a CPE 2.2 URI (cpe:/...); riskmark reads CPE 2.3 formatted strings (cpe:2.3:...)"
                        .to_owned(),
                ));
            }
            _ => return Err(CpeError("does not start with `cpe:2.3:`".to_owned())),
        };
        let mut fields: Vec<CpeValue> = Vec::with_capacity(11);
        // `raw` is the attribute as written, `cur` its unquoted value.
        let mut cur = String::new();
        let mut raw = String::new();
        let mut wild = false;
        let mut chars = rest.chars();
        loop {
            let c = chars.next();
            match c {
                None | Some(':') => {
                    let v = if raw == "*" {
                        CpeValue::Any
                    } else if raw == "-" {
                        CpeValue::Na
                    } else if raw.is_empty() {
                        return Err(empty(fields.len()));
                    } else if wild {
                        CpeValue::Pattern(std::mem::take(&mut raw))
                    } else {
                        CpeValue::Value(std::mem::take(&mut cur))
                    };
                    fields.push(v);
                    cur.clear();
                    raw.clear();
                    wild = false;
                    if c.is_none() {
                        break;
                    }
                }
                Some('\\') => {
                    let Some(q) = chars.next() else {
                        return Err(CpeError("ends with a lone `\\`".to_owned()));
                    };
                    raw.push('\\');
                    raw.push(q);
                    cur.push(q);
                }
                Some(w @ ('*' | '?')) => {
                    raw.push(w);
                    cur.push(w);
                    wild = true;
                }
                Some(o) => {
                    raw.push(o);
                    cur.push(o);
                }
            }
        }
        if fields.len() > 11 {
            return Err(CpeError(format!(
                "{} attributes; CPE 2.3 has 11 (unescaped `:` in a value?)",
                fields.len()
            )));
        }
        fields.resize(11, CpeValue::Any);
        let mut it = fields.into_iter();
        let mut next = || it.next().unwrap_or(CpeValue::Any);
        let part = next();
        match &part {
            CpeValue::Any => {}
            CpeValue::Value(p) if matches!(p.to_ascii_lowercase().as_str(), "a" | "o" | "h") => {}
            other => {
                return Err(CpeError(format!(
                    "part `{other}` is not `a`, `o`, `h` or `*`"
                )));
            }
        }
        Ok(Self {
            part,
            vendor: next(),
            product: next(),
            version: next(),
            update: next(),
            edition: next(),
            language: next(),
            sw_edition: next(),
            target_sw: next(),
            target_hw: next(),
            other: next(),
        })
    }

    /// The attributes after the version, with their names.
    pub(crate) fn qualifiers(&self) -> [(&'static str, &CpeValue); 7] {
        [
            ("update", &self.update),
            ("edition", &self.edition),
            ("language", &self.language),
            ("sw_edition", &self.sw_edition),
            ("target_sw", &self.target_sw),
            ("target_hw", &self.target_hw),
            ("other", &self.other),
        ]
    }

    /// The lower-cased vendor and product, when both are literal values:
    /// the key CPE match criteria are indexed by.
    pub(crate) fn key(&self) -> Option<(String, String)> {
        Some((
            self.vendor.as_value()?.to_lowercase(),
            self.product.as_value()?.to_lowercase(),
        ))
    }
}

fn empty(index: usize) -> CpeError {
    const NAMES: [&str; 11] = [
        "part",
        "vendor",
        "product",
        "version",
        "update",
        "edition",
        "language",
        "sw_edition",
        "target_sw",
        "target_hw",
        "other",
    ];
    CpeError(format!(
        "attribute `{}` is empty (write `*` for any)",
        NAMES.get(index).copied().unwrap_or("beyond the eleventh")
    ))
}

impl FromStr for Cpe {
    type Err = CpeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Cpe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cpe:2.3:{}:{}:{}:{}:{}:{}:{}:{}:{}:{}:{}",
            self.part,
            self.vendor,
            self.product,
            self.version,
            self.update,
            self.edition,
            self.language,
            self.sw_edition,
            self.target_sw,
            self.target_hw,
            self.other
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Cpe {
        match Cpe::parse(s) {
            Ok(c) => c,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn parses_values_any_and_na() {
        let c = p("cpe:2.3:a:openssl:openssl:1.0.1f:*:*:*:*:*:*:*");
        assert_eq!(c.part, CpeValue::Value("a".into()));
        assert_eq!(c.vendor, CpeValue::Value("openssl".into()));
        assert_eq!(c.version, CpeValue::Value("1.0.1f".into()));
        assert_eq!(c.update, CpeValue::Any);
        let h = p("cpe:2.3:h:tp-link:archer_ax21:-:*:*:*:*:*:*:*");
        assert_eq!(h.version, CpeValue::Na);
        assert_eq!(h.product.as_value(), Some("archer_ax21"));
        let u = p("cpe:2.3:o:linux:linux_kernel:5.17:rc1:*:*:*:*:*:*");
        assert_eq!(u.update, CpeValue::Value("rc1".into()));
    }

    #[test]
    fn unquotes_escapes() {
        // NISTIR 7695 6.2 examples: quoted colons, periods and wildcards.
        let c = p(r"cpe:2.3:a:foo\:bar:big\$money_manager_2010:8\.0\.6001:beta:*:*:*:*:*:*");
        assert_eq!(c.vendor, CpeValue::Value("foo:bar".into()));
        assert_eq!(c.product, CpeValue::Value("big$money_manager_2010".into()));
        assert_eq!(c.version, CpeValue::Value("8.0.6001".into()));
        assert_eq!(c.update, CpeValue::Value("beta".into()));
        // A quoted `*` is a literal asterisk, not ANY.
        let q = p(r"cpe:2.3:a:acme:star\*:1.0:*:*:*:*:*:*:*");
        assert_eq!(q.product, CpeValue::Value("star*".into()));
        // Round trip through Display re-escapes.
        assert_eq!(p(&c.to_string()), c);
        assert_eq!(
            c.key(),
            Some(("foo:bar".into(), "big$money_manager_2010".into()))
        );
    }

    #[test]
    fn wildcards_inside_values_are_patterns() {
        let c = p("cpe:2.3:a:acme:widget:1.*:*:*:*:*:*:*:*");
        assert!(matches!(c.version, CpeValue::Pattern(_)));
        let v = p("cpe:2.3:a:*:*:*:*:*:*:*:*:*:*");
        assert_eq!(v.vendor, CpeValue::Any);
        assert_eq!(v.key(), None);
        let w = p("cpe:2.3:a:ac?e:widget:1.0:*:*:*:*:*:*:*");
        assert!(matches!(w.vendor, CpeValue::Pattern(_)));
        assert_eq!(w.key(), None);
    }

    #[test]
    fn short_forms_and_errors() {
        let c = p("cpe:2.3:a:haxx:curl:7.74.0");
        assert_eq!(c.version.as_value(), Some("7.74.0"));
        assert_eq!(c.other, CpeValue::Any);
        assert_eq!(
            p("CPE:2.3:A:Haxx:Curl:7.74.0").vendor.as_value(),
            Some("Haxx")
        );
        for bad in [
            "cpe:/a:openssl:openssl:1.0.1f",
            "openssl",
            "cpe:2.3:x:acme:widget:1.0:*:*:*:*:*:*:*",
            "cpe:2.3:a:acme::1.0:*:*:*:*:*:*:*",
            "cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*:extra",
            "cpe:2.3:a:acme:widget:1.0\\",
        ] {
            assert!(Cpe::parse(bad).is_err(), "{bad}");
        }
        let e = Cpe::parse("cpe:2.3:a:acme::1.0").unwrap_err();
        assert!(e.to_string().contains("`product`"), "{e}");
    }
}
