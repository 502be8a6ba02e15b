//! Package URLs, normalized for comparison.
//!
//! Only what matching needs: the parts are split and percent-decoded, the
//! type is lower-cased, and the namespace and name are lower-cased for the
//! types whose purl specification (`PURL-TYPES.rst`) declares them case
//! insensitive. Qualifiers are sorted by key.

use std::cmp::Ordering;

/// A package URL split into decoded, normalized parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NormPurl {
    pub(crate) ty: String,
    pub(crate) namespace: Option<String>,
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) qualifiers: Vec<(String, String)>,
    pub(crate) subpath: Option<String>,
}

/// Types whose namespace and name are case insensitive (lower-cased).
const LOWER_NAMESPACE_AND_NAME: &[&str] = &[
    "alpm",
    "apk",
    "bitbucket",
    "composer",
    "deb",
    "github",
    "hex",
    "npm",
];

impl NormPurl {
    /// Parses a purl; `None` when it is not one (no `pkg:` scheme, no type
    /// or no name).
    pub(crate) fn parse(input: &str) -> Option<Self> {
        let s = input.trim();
        let scheme = s.get(..4)?;
        if !scheme.eq_ignore_ascii_case("pkg:") {
            return None;
        }
        let mut rest = s.get(4..)?.trim_start_matches('/');

        let mut subpath = None;
        if let Some((head, sub)) = rest.rsplit_once('#') {
            let sub = sub
                .split('/')
                .filter(|seg| !seg.is_empty() && *seg != "." && *seg != "..")
                .map(decode)
                .collect::<Vec<_>>()
                .join("/");
            subpath = (!sub.is_empty()).then_some(sub);
            rest = head;
        }

        let mut qualifiers = Vec::new();
        if let Some((head, query)) = rest.rsplit_once('?') {
            for pair in query.split('&') {
                let Some((key, value)) = pair.split_once('=') else {
                    continue;
                };
                let value = decode(value);
                if key.is_empty() || value.is_empty() {
                    continue;
                }
                qualifiers.push((key.to_ascii_lowercase(), value));
            }
            qualifiers.sort();
            rest = head;
        }

        let mut version = None;
        if let Some((head, ver)) = rest.rsplit_once('@') {
            // `pkg:npm/@scope/name` has an `@` that is not a version separator.
            if !ver.contains('/') && !head.ends_with('/') && !head.is_empty() {
                let ver = decode(ver);
                version = (!ver.is_empty()).then_some(ver);
                rest = head;
            }
        }

        let (ty, path) = rest.split_once('/')?;
        let ty = ty.to_ascii_lowercase();
        if ty.is_empty() {
            return None;
        }
        let mut segments: Vec<String> = path
            .trim_matches('/')
            .split('/')
            .filter(|seg| !seg.is_empty())
            .map(decode)
            .collect();
        let mut name = segments.pop()?;
        let mut namespace = (!segments.is_empty()).then(|| segments.join("/"));

        if LOWER_NAMESPACE_AND_NAME.contains(&ty.as_str()) {
            name = name.to_lowercase();
            namespace = namespace.map(|n| n.to_lowercase());
        }
        match ty.as_str() {
            // PEP 503 normalization, as the pypi purl type requires.
            "pypi" => name = name.to_lowercase().replace(['_', '.'], "-"),
            // "The name is not case sensitive."
            "nuget" => name = name.to_lowercase(),
            // "The namespace is the vendor ... not case sensitive."
            "rpm" => namespace = namespace.map(|n| n.to_lowercase()),
            _ => {}
        }

        Some(Self {
            ty,
            namespace,
            name,
            version,
            qualifiers,
            subpath,
        })
    }

    /// True when `self` (from a VEX statement) covers `component` (from the
    /// SBOM): same type, namespace and name; same version unless `self`
    /// has none; every qualifier of `self` present in `component` with the
    /// same value (extra qualifiers on the component are allowed, order is
    /// irrelevant); same subpath unless `self` has none.
    pub(crate) fn covers(&self, component: &Self) -> bool {
        if self.ty != component.ty
            || self.namespace != component.namespace
            || self.name != component.name
        {
            return false;
        }
        if let Some(v) = &self.version
            && component.version.as_ref() != Some(v)
        {
            return false;
        }
        if let Some(sub) = &self.subpath
            && component.subpath.as_ref() != Some(sub)
        {
            return false;
        }
        self.qualifiers.iter().all(|(k, v)| {
            component
                .qualifiers
                .binary_search_by(|(ck, _)| ck.as_str().cmp(k.as_str()))
                .is_ok_and(|i| component.qualifiers.get(i).is_some_and(|(_, cv)| cv == v))
        })
    }
}

/// Percent-decodes `s`; malformed escapes are kept as written.
pub(crate) fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|c| hex(*c)),
                bytes.get(i + 2).and_then(|c| hex(*c)),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Compares two CPEs for equality: CPE attribute values are case
/// insensitive (NIST IR 7695, 5.3.2), so the comparison is too.
pub(crate) fn cpe_eq(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Orders version strings "generically": runs of digits compare as numbers,
/// other runs as text; `.`, `-`, `_`, `+` and `~` only separate runs.
pub(crate) fn generic_cmp(a: &str, b: &str) -> Ordering {
    let ta = tokens(a);
    let tb = tokens(b);
    for (x, y) in ta.iter().zip(tb.iter()) {
        let ord = match (
            x.bytes().all(|c| c.is_ascii_digit()),
            y.bytes().all(|c| c.is_ascii_digit()),
        ) {
            (true, true) => {
                let x = x.trim_start_matches('0');
                let y = y.trim_start_matches('0');
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            // A number sorts after a word: `1.0.rc1` < `1.0.1`.
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ta.len().cmp(&tb.len())
}

fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut digit = false;
    for (i, c) in s.char_indices() {
        if matches!(c, '.' | '-' | '_' | '+' | '~') {
            if let Some(st) = start.take() {
                out.push(&s[st..i]);
            }
            continue;
        }
        let d = c.is_ascii_digit();
        match start {
            Some(st) if d != digit => {
                out.push(&s[st..i]);
                start = Some(i);
            }
            None => start = Some(i),
            _ => {}
        }
        digit = d;
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalizes() {
        let p = NormPurl::parse("pkg:NPM/%40Angular/Core@1.0.0?b=2&a=1#lib/x").unwrap();
        assert_eq!(p.ty, "npm");
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(p.name, "core");
        assert_eq!(p.version.as_deref(), Some("1.0.0"));
        assert_eq!(
            p.qualifiers,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!(p.subpath.as_deref(), Some("lib/x"));
    }

    #[test]
    fn unencoded_npm_scope_without_version() {
        let p = NormPurl::parse("pkg:npm/@angular/core").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(p.name, "core");
        assert_eq!(p.version, None);
    }

    #[test]
    fn maven_stays_case_sensitive_pypi_is_pep503() {
        let a = NormPurl::parse("pkg:maven/Org.Foo/Bar@1").unwrap();
        assert_eq!(a.name, "Bar");
        let p = NormPurl::parse("pkg:pypi/Django_Rest.Framework@3").unwrap();
        assert_eq!(p.name, "django-rest-framework");
    }

    #[test]
    fn rejects_non_purls() {
        for s in [
            "",
            "pkg:",
            "pkg:npm",
            "pkg:/",
            "cpe:2.3:a:x",
            "pkg:npm/",
            "p",
        ] {
            assert_eq!(NormPurl::parse(s), None, "{s}");
        }
    }

    #[test]
    fn generic_ordering() {
        assert_eq!(generic_cmp("2.10", "2.9"), Ordering::Greater);
        assert_eq!(generic_cmp("2.3", "2.3"), Ordering::Equal);
        assert_eq!(generic_cmp("1.0", "1.0.1"), Ordering::Less);
        assert_eq!(generic_cmp("1.0.rc1", "1.0.1"), Ordering::Less);
        assert_eq!(generic_cmp("007", "7"), Ordering::Equal);
    }
}
