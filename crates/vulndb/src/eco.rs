//! Ecosystem keys: how advisories are indexed and how a query finds them.

use riskmark_ecosystem::Ecosystem;

/// The riskmark-specific ecosystem of the curated firmware set: C
/// components (OpenSSL, BusyBox, dnsmasq ...) keyed by their lower-cased
/// upstream name and upstream release versions (`1.0.1f`, `2.83`,
/// `2016.74`, `9.8p1`).
///
/// `ECOSYSTEM` ranges in it are ordered with dpkg's algorithm (through
/// `riskmark-ecosystem`), which orders upstream release strings, letter
/// suffixes included (`1.0.1f < 1.0.1g`), as their projects do. Components
/// are matched from `pkg:generic/<name>@<version>` purls or by name.
pub const FIRMWARE_ECOSYSTEM: &str = "riskmark:firmware";

/// An ecosystem this database can evaluate versions in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MatchEcosystem {
    Osv(Ecosystem),
    Firmware,
}

impl MatchEcosystem {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        if s.trim().eq_ignore_ascii_case(FIRMWARE_ECOSYSTEM) {
            return Some(Self::Firmware);
        }
        s.parse::<Ecosystem>().ok().map(Self::Osv)
    }

    /// The key stored in `affected.ecosystem`.
    pub(crate) fn key(&self) -> String {
        match self {
            Self::Osv(e) => e.to_string(),
            Self::Firmware => FIRMWARE_ECOSYSTEM.to_owned(),
        }
    }

    /// The ecosystem whose version ordering evaluates ranges.
    pub(crate) fn ordering(&self) -> Ecosystem {
        match self {
            Self::Osv(e) => e.clone(),
            Self::Firmware => Ecosystem::Debian(None),
        }
    }

    /// The package name as it is indexed: names that the ecosystem treats
    /// case-insensitively are lower-cased, PyPI names PEP 503-normalized,
    /// crates.io names with `_` as `-` (crates.io treats them alike).
    pub(crate) fn normalize_name(&self, name: &str) -> String {
        let name = name.trim();
        match self {
            Self::Osv(Ecosystem::PyPI) => pep503(name),
            Self::Osv(Ecosystem::CratesIo) => name.to_ascii_lowercase().replace('_', "-"),
            Self::Osv(
                Ecosystem::NuGet | Ecosystem::Packagist | Ecosystem::Hex | Ecosystem::Npm,
            )
            | Self::Firmware => name.to_lowercase(),
            Self::Osv(_) => name.to_owned(),
        }
    }
}

/// A version in generic upstream order, for CPE version bounds: dpkg's
/// algorithm through `riskmark-ecosystem`, as the curated firmware set
/// uses (`1.0.1f < 1.0.1g`, `7.69.0 < 8.4.0`, `5.10.92 < 5.10.102`). A
/// leading `v` (`v2.3.1`) is dropped. `None` when it is not a version
/// (`*`, empty, or not starting with a digit).
pub(crate) fn upstream_version(s: &str) -> Option<riskmark_ecosystem::Version> {
    let s = s.trim();
    let s = s
        .strip_prefix(['v', 'V'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(s);
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    riskmark_ecosystem::Version::parse_in(&MatchEcosystem::Firmware.ordering(), s).ok()
}

/// Index key of an affected package from an advisory: the canonical
/// ecosystem string and the normalized name. Ecosystems this crate cannot
/// order are kept as written, so they are stored but never matched.
pub(crate) fn index_key(ecosystem: &str, name: &str) -> (String, String) {
    match MatchEcosystem::parse(ecosystem) {
        Some(e) => (e.key(), e.normalize_name(name)),
        None => (ecosystem.to_owned(), name.to_owned()),
    }
}

/// PEP 503: lower-case, runs of `-`, `_`, `.` become one `-`.
fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_order() {
        let v = |s: &str| upstream_version(s).unwrap_or_else(|| panic!("{s}"));
        assert!(v("1.0.1f") < v("1.0.1g"));
        assert!(v("7.69.0") < v("8.4.0"));
        assert!(v("5.10.92") < v("5.10.102"));
        assert!(v("1.1.1k") < v("1.1.1l"));
        assert!(v("v2.3.1") == v("2.3.1"));
        assert!(upstream_version("*").is_none());
        assert!(upstream_version("").is_none());
        assert!(upstream_version("next").is_none());
    }

    #[test]
    fn keys() {
        assert_eq!(
            index_key("PyPI", "Foo_Bar.baz"),
            ("PyPI".to_owned(), "foo-bar-baz".to_owned())
        );
        assert_eq!(
            index_key("pypi", "Django"),
            ("PyPI".to_owned(), "django".to_owned())
        );
        assert_eq!(
            index_key("crates.io", "Tokio_Util"),
            ("crates.io".to_owned(), "tokio-util".to_owned())
        );
        assert_eq!(
            index_key("Go", "github.com/Foo/bar"),
            ("Go".to_owned(), "github.com/Foo/bar".to_owned())
        );
        assert_eq!(
            index_key("RISKMARK:firmware", "OpenSSL"),
            (FIRMWARE_ECOSYSTEM.to_owned(), "openssl".to_owned())
        );
        assert_eq!(
            index_key("Hackage", "Foo"),
            ("Hackage".to_owned(), "Foo".to_owned())
        );
    }
}
