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
pub use import::{ImportReport, InputKind, InputReport, Progress, import};
pub use query::{Confidence, Db, Finding, PackageKey, Source, Stats};
pub use schema::SCHEMA_VERSION;
pub use severity::{Cvss, Severity};
