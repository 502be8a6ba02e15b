//! SemVer 2.0.0 precedence, in three dialects that differ only in what they
//! accept: plain SemVer (OSV `SEMVER` ranges), npm (node-semver) and Go
//! (`golang.org/x/mod/semver`). crates.io uses the `semver` crate itself,
//! see [`cargo`].

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

/// node-semver refuses versions longer than this (`MAX_LENGTH`).
const NPM_MAX_LENGTH: usize = 256;
/// node-semver refuses major/minor/patch above `Number.MAX_SAFE_INTEGER`.
const NPM_MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// A decimal number without leading zeros, of any size; ordered numerically.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Digits(Box<str>);

impl Ord for Digits {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Digits {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A pre-release identifier. Numeric identifiers sort before alphanumeric ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    Numeric(Digits),
    Alpha(Box<str>),
}

/// A parsed SemVer version (build metadata is kept out: it has no precedence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SemVersion {
    major: Digits,
    minor: Digits,
    patch: Digits,
    pre: Vec<Ident>,
}

impl Ord for SemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then_with(|| self.minor.cmp(&other.minor))
            .then_with(|| self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                // A version without pre-release has higher precedence.
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                // Vec ordering is lexicographic with the shorter prefix first,
                // which is SemVer 2.0.0 rule 11.4.4.
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for SemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Which grammar to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// SemVer 2.0.0 (a single leading `v` is tolerated, as OSV data has it).
    SemVer,
    /// node-semver: leading `v`, `=` and whitespace are skipped, numbers of
    /// major/minor/patch are limited to `Number.MAX_SAFE_INTEGER`.
    Npm,
    /// Go modules: `v` prefix (added when missing, as OSV omits it), and the
    /// shorthands `vMAJOR` and `vMAJOR.MINOR` without pre-release or build.
    Go,
}

impl Dialect {
    fn scheme(self) -> Scheme {
        match self {
            Self::SemVer => Scheme::SemVer,
            Self::Npm => Scheme::Npm,
            Self::Go => Scheme::Go,
        }
    }
}

/// Parses `input` in the given dialect.
pub(crate) fn parse(input: &str, dialect: Dialect) -> Result<SemVersion, VersionError> {
    let err = |reason: &str| VersionError::invalid(dialect.scheme(), input, reason);
    let body = match dialect {
        Dialect::SemVer => input.strip_prefix('v').unwrap_or(input),
        Dialect::Npm => {
            if input.len() > NPM_MAX_LENGTH {
                return Err(err("longer than 256 characters"));
            }
            input
                .trim()
                .trim_start_matches(|c: char| c == 'v' || c == '=' || c.is_whitespace())
        }
        Dialect::Go => input.strip_prefix('v').unwrap_or(input),
    };
    let (body, _build) = match body.split_once('+') {
        Some((b, build)) => {
            if build.split('.').any(|id| {
                id.is_empty() || !id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            }) {
                return Err(err("invalid build metadata"));
            }
            (b, Some(build))
        }
        None => (body, None),
    };
    let (core, pre) = match body.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (body, None),
    };
    let mut parts = core.split('.');
    let major = number(parts.next(), dialect).ok_or_else(|| err("invalid major version"))?;
    let minor = match parts.next() {
        Some(p) => number(Some(p), dialect).ok_or_else(|| err("invalid minor version"))?,
        None if dialect == Dialect::Go && pre.is_none() && _build.is_none() => zero(),
        None => return Err(err("missing minor version")),
    };
    let patch = match parts.next() {
        Some(p) => number(Some(p), dialect).ok_or_else(|| err("invalid patch version"))?,
        None if dialect == Dialect::Go && pre.is_none() && _build.is_none() => zero(),
        None => return Err(err("missing patch version")),
    };
    if parts.next().is_some() {
        return Err(err("more than three version numbers"));
    }
    let pre = match pre {
        None => Vec::new(),
        Some(p) => p
            .split('.')
            .map(prerelease_ident)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| err("invalid pre-release identifier"))?,
    };
    Ok(SemVersion {
        major,
        minor,
        patch,
        pre,
    })
}

fn zero() -> Digits {
    Digits("0".into())
}

/// A numeric identifier: `0` or digits without a leading zero.
fn number(s: Option<&str>, dialect: Dialect) -> Option<Digits> {
    let s = s?;
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    if dialect == Dialect::Npm && s.parse::<u64>().map_or(true, |n| n > NPM_MAX_SAFE_INTEGER) {
        return None;
    }
    Some(Digits(s.into()))
}

fn prerelease_ident(id: &str) -> Option<Ident> {
    if id.is_empty() || !id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
        return None;
    }
    if id.bytes().all(|c| c.is_ascii_digit()) {
        if id.len() > 1 && id.starts_with('0') {
            return None;
        }
        Some(Ident::Numeric(Digits(id.into())))
    } else {
        Some(Ident::Alpha(id.into()))
    }
}

/// crates.io: the `semver` crate, which is Cargo's own implementation.
pub(crate) mod cargo {
    use crate::{Scheme, VersionError};

    /// Parses with `semver::Version::parse` (strict SemVer, as Cargo).
    pub(crate) fn parse(input: &str) -> Result<semver::Version, VersionError> {
        semver::Version::parse(input)
            .map_err(|e| VersionError::invalid(Scheme::Cargo, input, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(d: Dialect, a: &str, b: &str) -> Ordering {
        match (parse(a, d), parse(b, d)) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            (a, b) => panic!("parse failed: {a:?} {b:?}"),
        }
    }

    #[test]
    fn semver_spec_precedence_chain() {
        // SemVer 2.0.0, rule 11 example.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for w in chain.windows(2) {
            assert_eq!(cmp(Dialect::SemVer, w[0], w[1]), Ordering::Less, "{w:?}");
        }
    }

    #[test]
    fn build_metadata_is_ignored() {
        assert_eq!(cmp(Dialect::SemVer, "1.0.0+a", "1.0.0+b"), Ordering::Equal);
        assert_eq!(
            cmp(Dialect::Go, "v2.0.0+incompatible", "v2.0.0"),
            Ordering::Equal
        );
    }

    #[test]
    fn invalid_semver() {
        for v in [
            "",
            "1",
            "1.2",
            "01.2.3",
            "1.2.3-01",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            "1.2.3.4",
            "1.2.3-ä",
            "a.b.c",
            "1.2.3+a+b",
        ] {
            assert!(parse(v, Dialect::SemVer).is_err(), "{v}");
        }
        assert!(parse("99999999999999999999999.0.0", Dialect::SemVer).is_ok());
    }

    #[test]
    fn npm_prefixes_and_limits() {
        assert_eq!(cmp(Dialect::Npm, "=v1.2.3", "1.2.3"), Ordering::Equal);
        assert_eq!(cmp(Dialect::Npm, " v1.2.3 ", "1.2.3"), Ordering::Equal);
        assert!(parse("9007199254740992.0.0", Dialect::Npm).is_err());
        assert!(parse("9007199254740991.0.0", Dialect::Npm).is_ok());
        assert!(parse(&format!("1.0.0-{}", "a".repeat(300)), Dialect::Npm).is_err());
    }

    #[test]
    fn go_shorthand_and_pseudo_versions() {
        assert_eq!(cmp(Dialect::Go, "v1", "v1.0.0"), Ordering::Equal);
        assert_eq!(cmp(Dialect::Go, "v1.2", "v1.2.0"), Ordering::Equal);
        assert_eq!(cmp(Dialect::Go, "1.2.3", "v1.2.3"), Ordering::Equal);
        assert!(parse("v1.2-pre", Dialect::Go).is_err());
        assert!(parse("v1.2+meta", Dialect::Go).is_err());
        // Pseudo-versions sort before the release they precede and by time.
        let chain = [
            "v0.0.0-20190101000000-aaaaaaaaaaaa",
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.1.0",
            "v1.2.3-pre",
            "v1.2.3-pre.0.20200101000000-bbbbbbbbbbbb",
            "v1.2.3",
            "v1.2.4-0.20200101000000-cccccccccccc",
            "v1.2.4",
        ];
        for w in chain.windows(2) {
            assert_eq!(cmp(Dialect::Go, w[0], w[1]), Ordering::Less, "{w:?}");
        }
    }
}
