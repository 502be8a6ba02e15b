//! riskmark's local, offline vulnerability database.
//!
//! - [`import`] reads OSV archives (OSV's per-ecosystem `all.zip`),
//!   directories and files of OSV JSON, NVD CVE JSON 2.0 files (API
//!   responses or feed files), the CISA KEV catalog and EPSS CSV
//!   files into a SQLite file, in one transaction: an import that fails or
//!   is interrupted leaves the previous database as it was. This is the
//!   only part that writes; fetching the files is a separate step
//!   (`riskmark db sync`), so checking never touches the network.
//! - [`Db::open`] opens that file read-only; [`Db::matches`] and
//!   [`Db::matches_purl`] return the [`Finding`]s for a package version,
//!   evaluated with `riskmark-ecosystem`'s version semantics, withdrawn
//!   advisories skipped and aliases merged (one CVE reported once);
//!   [`Db::matches_cpe`] and [`Db::matches_cpe_on`] evaluate NVD's CPE
//!   applicability statements for a component's CPE 2.3 name ([`Cpe`]),
//!   with guards against the known false-positive patterns (see
//!   [`Confidence`]).
//! - [`Db::embedded_default`] builds an in-memory database from the
//!   embedded curated set of real firmware advisories (OpenSSL, BusyBox,
//!   Dropbear, dnsmasq, curl, lighttpd, OpenSSH, Linux, uClibc-ng, musl),
//!   matched under the [`FIRMWARE_ECOSYSTEM`] ecosystem, typically from
//!   `pkg:generic/<component>@<version>` purls.
//!
//! The database stores its build time and its sources ([`Db::stats`]), so
//! reports can name the database and its date, and `check` can refuse a
//! database older than a configured maximum age.
//!
//! The library never prints; progress goes to the callback of [`import`].

mod counts;
mod cpe;
mod curated;
mod eco;
mod error;
mod feeds;
mod import;
mod nvd;
mod osv;
mod query;
mod schema;
mod severity;

pub use cpe::{Cpe, CpeError, CpeValue};
pub use eco::FIRMWARE_ECOSYSTEM;
pub use error::{Location, VulnDbError};
pub use import::{ImportReport, InputKind, InputReport, MAX_INPUT_BYTES, Progress, import};
pub use query::{Confidence, Db, Finding, PackageKey, Source, Stats, Storage};
pub use schema::{SCHEMA_REVISION, SCHEMA_VERSION};
pub use severity::{Cvss, Severity};

/// The feed parsers on their own, without a database: what the fuzz targets drive
/// (`fuzz/`), and a way to check a file before importing it. Each returns the number
/// of records read or the error an import would give.
pub mod parse {
    use crate::{Location, VulnDbError};

    fn loc(name: &str) -> Location {
        Location {
            path: name.into(),
            entry: None,
            line: None,
            column: None,
        }
    }

    /// An OSV JSON file: one record or an array of records.
    ///
    /// # Errors
    /// As [`crate::import`] for the same file.
    pub fn osv(bytes: &[u8]) -> Result<usize, VulnDbError> {
        let l = loc("osv.json");
        let text = String::from_utf8(bytes.to_vec()).map_err(|e| VulnDbError::Osv {
            location: Box::new(l.clone()),
            field: None,
            message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        })?;
        crate::import::parse_json_file(text, &l).map(|v| v.len())
    }

    /// A CISA KEV catalog.
    ///
    /// # Errors
    /// As [`crate::import`] for the same file.
    pub fn kev(bytes: &[u8]) -> Result<usize, VulnDbError> {
        crate::feeds::parse_kev(bytes, &loc("kev.json")).map(|k| k.entries.len())
    }

    /// An NVD CVE JSON 2.0 file.
    ///
    /// # Errors
    /// As [`crate::import`] for the same file.
    pub fn nvd(bytes: &[u8]) -> Result<usize, VulnDbError> {
        crate::nvd::parse(bytes, &loc("nvdcve-2.0.json")).map(|f| f.cves.len())
    }

    /// An EPSS CSV file (not compressed).
    ///
    /// # Errors
    /// As [`crate::import`] for the same file.
    pub fn epss(bytes: &[u8]) -> Result<usize, VulnDbError> {
        let l = loc("epss.csv");
        let text = std::str::from_utf8(bytes).map_err(|e| VulnDbError::Epss {
            location: Box::new(l.clone()),
            field: None,
            message: format!("not UTF-8 (byte {})", e.valid_up_to()),
        })?;
        crate::feeds::parse_epss(text, &l).map(|s| s.rows.len())
    }
}
