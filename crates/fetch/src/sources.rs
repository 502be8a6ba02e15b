//! Where the public feeds live, and how a mirror serves them.

use crate::error::FetchError;

/// OSV's bucket of per-ecosystem archives.
pub const OSV_BASE: &str = "https://osv-vulnerabilities.storage.googleapis.com";
/// CISA's Known Exploited Vulnerabilities catalog.
pub const KEV_URL: &str =
    "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
/// The current EPSS scores of all CVEs (FIRST's model), gzip-compressed CSV.
pub const EPSS_URL: &str = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
/// NVD's CVE API 2.0.
pub const NVD_URL: &str = "https://services.nvd.nist.gov/rest/json/cves/2.0";

/// The OSV ecosystems synced when none is named: those that firmware and
/// device software are built from (distribution packages and the language
/// ecosystems of their services and tools).
pub const DEFAULT_OSV_ECOSYSTEMS: &[&str] = &[
    "Debian",
    "Alpine",
    "Ubuntu",
    "PyPI",
    "npm",
    "Go",
    "crates.io",
    "Maven",
];

/// The base URLs of the feeds: the official ones, or a mirror's.
///
/// A mirror replaces the scheme and host (and port) of every source and
/// keeps each path, after the mirror's own path prefix if it has one. With
/// `--mirror https://mirror.example/vuln`, KEV is fetched from
/// `https://mirror.example/vuln/sites/default/files/feeds/known_exploited_vulnerabilities.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Endpoints {
    mirror: Option<String>,
}

impl Endpoints {
    /// The official locations.
    #[must_use]
    pub fn official() -> Self {
        Self { mirror: None }
    }

    /// Every source from `base` (`http://host[:port][/prefix]`).
    ///
    /// # Errors
    /// [`FetchError::Config`] when `base` is not an `http` or `https` URL
    /// with a host, or has a query or fragment.
    pub fn mirror(base: &str) -> Result<Self, FetchError> {
        let bad = |message: &str| FetchError::Config {
            what: "mirror URL",
            value: base.to_owned(),
            message: message.to_owned(),
        };
        let b = base.trim();
        let rest = b
            .strip_prefix("http://")
            .or_else(|| b.strip_prefix("https://"))
            .ok_or_else(|| bad("must start with http:// or https://"))?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() {
            return Err(bad("has no host"));
        }
        if b.contains(['?', '#']) || b.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad(
                "must be a plain base URL (no query, fragment or spaces)",
            ));
        }
        Ok(Self {
            mirror: Some(b.trim_end_matches('/').to_owned()),
        })
    }

    /// The mirror in force, if any.
    #[must_use]
    pub fn mirror_base(&self) -> Option<&str> {
        self.mirror.as_deref()
    }

    fn at(&self, official: &str) -> String {
        match &self.mirror {
            None => official.to_owned(),
            Some(m) => {
                // Keep the path: everything after "scheme://host".
                let after_scheme = official.split_once("://").map_or(official, |(_, r)| r);
                let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
                format!("{m}{path}")
            }
        }
    }

    /// OSV's archive of one ecosystem: `<base>/<ecosystem>/all.zip`.
    ///
    /// # Errors
    /// [`FetchError::Config`] for a name that cannot be an ecosystem (empty,
    /// with `/`, `..` or control characters).
    pub fn osv(&self, ecosystem: &str) -> Result<String, FetchError> {
        check_ecosystem(ecosystem)?;
        Ok(self.at(&format!("{OSV_BASE}/{}/all.zip", encode_segment(ecosystem))))
    }

    /// OSV's list of one ecosystem's records by modification time, newest
    /// first: `<base>/<ecosystem>/modified_id.csv`.
    ///
    /// # Errors
    /// As [`Endpoints::osv`].
    pub fn osv_modified_ids(&self, ecosystem: &str) -> Result<String, FetchError> {
        check_ecosystem(ecosystem)?;
        Ok(self.at(&format!(
            "{OSV_BASE}/{}/modified_id.csv",
            encode_segment(ecosystem)
        )))
    }

    /// One OSV record: `<base>/<ecosystem>/<id>.json`.
    ///
    /// # Errors
    /// As [`Endpoints::osv`], and [`FetchError::Config`] for an id that is
    /// not an OSV id (see [`check_osv_id`]).
    pub fn osv_record(&self, ecosystem: &str, id: &str) -> Result<String, FetchError> {
        check_ecosystem(ecosystem)?;
        check_osv_id(id)?;
        Ok(self.at(&format!(
            "{OSV_BASE}/{}/{}.json",
            encode_segment(ecosystem),
            encode_segment(id)
        )))
    }

    /// The CISA KEV catalog.
    #[must_use]
    pub fn kev(&self) -> String {
        self.at(KEV_URL)
    }

    /// The EPSS scores.
    #[must_use]
    pub fn epss(&self) -> String {
        self.at(EPSS_URL)
    }

    /// NVD's CVE API 2.0 endpoint (without query).
    #[must_use]
    pub fn nvd(&self) -> String {
        self.at(NVD_URL)
    }
}

/// The local file name of an OSV ecosystem's archive: `osv-<ecosystem>.zip`,
/// with characters other than letters, digits, `.`, `_` and `-` as `_`.
#[must_use]
pub fn osv_file_name(ecosystem: &str) -> String {
    let safe: String = ecosystem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("osv-{safe}.zip")
}

/// Whether `id` can be an OSV id (`GHSA-xxxx-xxxx-xxxx`, `PYSEC-2021-1`,
/// `DEBIAN-CVE-2024-1234`, `RUSTSEC-2024-0001` ...): 1 to 128 ASCII letters,
/// digits, `-`, `_`, `.` and `:`, not starting with `.`. Anything else is
/// refused, so an id read from a feed never becomes another path or a file
/// name outside the download directory.
///
/// # Errors
/// [`FetchError::Config`] naming the id.
pub fn check_osv_id(id: &str) -> Result<(), FetchError> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if ok {
        Ok(())
    } else {
        Err(FetchError::Config {
            what: "OSV id",
            value: id.chars().take(140).collect(),
            message: "must be 1 to 128 ASCII letters, digits, '-', '_', '.' or ':'".to_owned(),
        })
    }
}

fn check_ecosystem(e: &str) -> Result<(), FetchError> {
    let bad = |message: &str| FetchError::Config {
        what: "OSV ecosystem",
        value: e.to_owned(),
        message: message.to_owned(),
    };
    if e.trim().is_empty() || e.trim() != e {
        return Err(bad("must be a non-empty name without surrounding spaces"));
    }
    if e.len() > 64 || e.contains(['/', '\\', '?', '#']) || e == "." || e == ".." {
        return Err(bad(
            "must be an OSV ecosystem name such as Debian, PyPI or crates.io",
        ));
    }
    if e.chars().any(char::is_control) {
        return Err(bad("has control characters"));
    }
    Ok(())
}

/// Percent-encodes one path segment (RFC 3986 unreserved and `:` kept).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_urls() {
        let e = Endpoints::official();
        assert_eq!(
            e.osv("crates.io").ok().as_deref(),
            Some("https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip")
        );
        assert_eq!(
            e.osv("GitHub Actions").ok().as_deref(),
            Some("https://osv-vulnerabilities.storage.googleapis.com/GitHub%20Actions/all.zip")
        );
        assert_eq!(e.kev(), KEV_URL);
        assert_eq!(e.epss(), EPSS_URL);
        assert_eq!(e.nvd(), NVD_URL);
    }

    #[test]
    fn modified_id_lists_and_single_records() {
        let e = Endpoints::official();
        assert_eq!(
            e.osv_modified_ids("PyPI").ok().as_deref(),
            Some("https://osv-vulnerabilities.storage.googleapis.com/PyPI/modified_id.csv")
        );
        assert_eq!(
            e.osv_record("crates.io", "RUSTSEC-2024-0001")
                .ok()
                .as_deref(),
            Some(
                "https://osv-vulnerabilities.storage.googleapis.com/crates.io/RUSTSEC-2024-0001.json"
            )
        );
        for bad in ["", "../all", "a/b", ".hidden", "GHSA 1", "x?y", "%2e%2e"] {
            assert!(e.osv_record("PyPI", bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_osv_id("DEBIAN-CVE-2024-1234").is_ok());
        assert!(check_osv_id("BIT-node:2024-1").is_ok());
    }

    #[test]
    fn a_mirror_replaces_scheme_and_host_and_keeps_paths() {
        let m = Endpoints::mirror("http://127.0.0.1:8080/feeds/").unwrap_or_default();
        assert_eq!(
            m.osv("Debian").ok().as_deref(),
            Some("http://127.0.0.1:8080/feeds/Debian/all.zip")
        );
        assert_eq!(
            m.kev(),
            "http://127.0.0.1:8080/feeds/sites/default/files/feeds/known_exploited_vulnerabilities.json"
        );
        assert_eq!(
            m.epss(),
            "http://127.0.0.1:8080/feeds/epss_scores-current.csv.gz"
        );
        assert_eq!(m.nvd(), "http://127.0.0.1:8080/feeds/rest/json/cves/2.0");
        assert!(Endpoints::mirror("ftp://x").is_err());
        assert!(Endpoints::mirror("http://").is_err());
        assert!(Endpoints::mirror("http://h/?q=1").is_err());
    }

    #[test]
    fn ecosystem_names_cannot_escape_the_path() {
        let e = Endpoints::official();
        for bad in ["", "..", "a/b", " Debian", "x\u{7}"] {
            assert!(e.osv(bad).is_err(), "{bad:?}");
        }
        assert_eq!(osv_file_name("Debian:12"), "osv-Debian_12.zip");
        assert_eq!(osv_file_name("crates.io"), "osv-crates.io.zip");
    }
}
