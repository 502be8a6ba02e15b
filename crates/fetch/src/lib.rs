//! Downloads of the public vulnerability feeds for riskmark's offline
//! database.
//!
//! Fetching is separate from checking: `riskmark db sync` uses this crate to
//! download the feeds into `<db dir>/downloads/`, then imports them with
//! `riskmark_vulndb::import` in one transaction; `vulns` and `assess` never
//! touch the network.
//!
//! [`Fetcher::download`] is a small synchronous downloader (`ureq` with
//! rustls):
//!
//! - **resume**: the transfer goes to `<file>.part`; a part left by a
//!   dropped connection (or an earlier run) is continued with
//!   `Range: bytes=N-` when the server answers 206, and started over when it
//!   answers 200;
//! - **retries** with exponential backoff on connection errors and on 408,
//!   429 and 5xx, honouring `Retry-After`, a bounded number of times
//!   ([`RetryPolicy`]);
//! - **conditional requests**: the `ETag` and `Last-Modified` of the
//!   previous download are kept in `<file>.meta.json` and sent back as
//!   `If-None-Match` / `If-Modified-Since`, so an unchanged feed is not sent
//!   again (304);
//! - **atomic**: the finished part is renamed onto the file, which is
//!   always either the previous complete download or the new one;
//! - **progress** through a callback (bytes done, total when known);
//! - typed errors ([`FetchError`]) naming the URL and what went wrong. The
//!   library never prints.
//!
//! # Sources
//!
//! | source | official location ([`Endpoints::official`]) | path a mirror serves |
//! |---|---|---|
//! | OSV, one archive per ecosystem | `https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip` | `/<ecosystem>/all.zip` |
//! | OSV, what changed when ([`Fetcher::modified_ids`]) | `.../<ecosystem>/modified_id.csv` | `/<ecosystem>/modified_id.csv` |
//! | OSV, one record | `.../<ecosystem>/<id>.json` | `/<ecosystem>/<id>.json` |
//! | CISA KEV | `https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json` | `/sites/default/files/feeds/known_exploited_vulnerabilities.json` |
//! | EPSS | `https://epss.empiricalsecurity.com/epss_scores-current.csv.gz` | `/epss_scores-current.csv.gz` |
//! | NVD CVE API 2.0 | `https://services.nvd.nist.gov/rest/json/cves/2.0` | `/rest/json/cves/2.0?startIndex=..&resultsPerPage=..[&lastModStartDate=..&lastModEndDate=..]` |
//!
//! The default OSV ecosystems are [`DEFAULT_OSV_ECOSYSTEMS`] (Debian,
//! Alpine, Ubuntu, PyPI, npm, Go, crates.io, Maven). A mirror
//! ([`Endpoints::mirror`]) replaces the scheme and host of every source and
//! keeps the paths above, after its own prefix: a static file server with
//! that tree is a complete mirror (the NVD path must answer the CVE API's
//! query parameters, as a caching proxy does).
//!
//! NVD is paged ([`download_nvd`]): `resultsPerPage` up to 2000,
//! `startIndex` advancing, `lastModStartDate`/`lastModEndDate` windows of
//! at most 120 days for incremental updates, a pause between requests
//! within NVD's rate limits (6 s without an API key, 0.7 s with one, sent
//! as the `apiKey` header). Each page is saved as `nvd-<n>.json`.

mod download;
mod error;
mod modified;
mod nvd;
mod sources;

pub use download::{
    Config, Download, Fetcher, MAX_DOWNLOAD_BYTES, Progress, Request, RetryPolicy, Status,
};
pub use error::FetchError;
pub use modified::ModifiedIds;
pub use nvd::{
    NVD_MAX_PAGE_SIZE, NVD_MAX_WINDOW_DAYS, NvdDownload, NvdOptions, download_nvd, nvd_pages,
};
pub use sources::{
    DEFAULT_OSV_ECOSYSTEMS, EPSS_URL, Endpoints, KEV_URL, NVD_URL, OSV_BASE, check_osv_id,
    osv_file_name,
};
