//! NVD's CVE API 2.0, page by page, into `nvd-<n>.json` files.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::download::{Fetcher, Progress, Request};
use crate::error::{FetchError, io_err};

/// The most records NVD serves in one page.
pub const NVD_MAX_PAGE_SIZE: u32 = 2000;

/// The longest `lastModStartDate`..`lastModEndDate` window NVD accepts.
pub const NVD_MAX_WINDOW_DAYS: i64 = 120;

/// How to walk the CVE API.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NvdOptions {
    /// Sent as the `apiKey` header; raises NVD's rate limit.
    pub api_key: Option<String>,
    /// `resultsPerPage` (1 to [`NVD_MAX_PAGE_SIZE`]).
    pub page_size: u32,
    /// Pause between two requests. NVD allows 5 requests in 30 s without a
    /// key and 50 with one, and asks clients to sleep between requests.
    pub page_delay: Duration,
    /// Only CVEs modified in this window (incremental update); `None`
    /// downloads every CVE. Windows longer than NVD's 120 days are split.
    pub modified: Option<(Timestamp, Timestamp)>,
    /// A bound on the pages of one run, whatever the server says.
    pub max_pages: u32,
}

impl NvdOptions {
    /// NVD's own limits: 2000 records a page, 6 s between requests without
    /// an API key and 0.7 s with one.
    #[must_use]
    pub fn new(api_key: Option<String>) -> Self {
        let page_delay = if api_key.is_some() {
            Duration::from_millis(700)
        } else {
            Duration::from_secs(6)
        };
        Self {
            api_key,
            page_size: NVD_MAX_PAGE_SIZE,
            page_delay,
            modified: None,
            max_pages: 5000,
        }
    }

    /// Only CVEs modified between `start` and `end`.
    #[must_use]
    pub fn modified_between(mut self, start: Timestamp, end: Timestamp) -> Self {
        self.modified = Some((start, end));
        self
    }

    /// Another pause between requests.
    #[must_use]
    pub fn with_page_delay(mut self, d: Duration) -> Self {
        self.page_delay = d;
        self
    }

    /// Another page size (clamped to 1..=2000).
    #[must_use]
    pub fn with_page_size(mut self, n: u32) -> Self {
        self.page_size = n.clamp(1, NVD_MAX_PAGE_SIZE);
        self
    }
}

/// What [`download_nvd`] wrote.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NvdDownload {
    /// The page files, in order (`nvd-1.json`, `nvd-2.json` ...).
    pub pages: Vec<PathBuf>,
    /// CVE records in them.
    pub records: u64,
    /// Bytes received.
    pub transferred: u64,
}

/// The envelope of a CVE API 2.0 response (the records are only counted).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    results_per_page: u64,
    start_index: u64,
    total_results: u64,
    vulnerabilities: Vec<IgnoredAny>,
}

/// Downloads the CVE API at `base_url` page by page into
/// `dir/nvd-<n>.json` (n from 1), after removing the page files of an
/// earlier run from `dir`.
///
/// # Errors
/// The [`Fetcher::download`] errors, [`FetchError::Protocol`] for a page
/// that is not a CVE API response or does not continue the previous one,
/// [`FetchError::Io`].
pub fn download_nvd(
    fetcher: &Fetcher,
    base_url: &str,
    dir: &Path,
    opts: &NvdOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<NvdDownload, FetchError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    remove_pages(dir)?;
    let windows = match opts.modified {
        None => vec![None],
        Some((start, end)) => split_window(start, end).into_iter().map(Some).collect(),
    };
    let page_size = opts.page_size.clamp(1, NVD_MAX_PAGE_SIZE);
    let mut out = NvdDownload {
        pages: Vec::new(),
        records: 0,
        transferred: 0,
    };
    let mut requests = 0u32;
    for window in windows {
        let mut start = 0u64;
        loop {
            if requests >= opts.max_pages {
                return Err(FetchError::Protocol {
                    url: base_url.to_owned(),
                    message: format!("more than {} pages; stopped", opts.max_pages),
                });
            }
            if requests > 0 {
                std::thread::sleep(opts.page_delay);
            }
            requests += 1;
            let mut url = format!("{base_url}?startIndex={start}&resultsPerPage={page_size}");
            if let Some((from, to)) = window {
                url.push_str(&format!(
                    "&lastModStartDate={}&lastModEndDate={}",
                    nvd_date(from),
                    nvd_date(to)
                ));
            }
            let dest = dir.join(format!("nvd-{requests}.json"));
            let mut req = Request::new(&url, &dest).unconditional();
            if let Some(k) = &opts.api_key {
                req = req.header("apiKey", k.clone());
            }
            let d = fetcher.download(&req, progress)?;
            out.transferred += d.transferred;
            let text = fs::read(&dest).map_err(io_err(&dest))?;
            let page: Page = serde_json::from_slice(&text).map_err(|e| FetchError::Protocol {
                url: url.clone(),
                message: format!("not a CVE API 2.0 page: {e}"),
            })?;
            if page.start_index != start {
                return Err(FetchError::Protocol {
                    url,
                    message: format!(
                        "startIndex {} in a page asked from {start}",
                        page.start_index
                    ),
                });
            }
            out.records += page.vulnerabilities.len() as u64;
            out.pages.push(dest);
            let got = page.results_per_page.max(page.vulnerabilities.len() as u64);
            start += got;
            if start >= page.total_results {
                break;
            }
            if got == 0 {
                return Err(FetchError::Protocol {
                    url,
                    message: format!("an empty page at {start} of {} results", page.total_results),
                });
            }
        }
    }
    Ok(out)
}

/// `[start, end]` in windows of at most 120 days.
fn split_window(start: Timestamp, end: Timestamp) -> Vec<(Timestamp, Timestamp)> {
    let step = SignedDuration::from_hours(24 * NVD_MAX_WINDOW_DAYS);
    let mut out = Vec::new();
    let mut from = start;
    // Bounded: a century of 120-day windows at most.
    while from < end && out.len() < 400 {
        let to = from.checked_add(step).map_or(end, |t| t.min(end));
        out.push((from, to));
        from = to;
    }
    if out.is_empty() {
        out.push((start, end.max(start)));
    }
    out
}

/// NVD's date form: `2025-08-25T12:00:00.000Z` (UTC).
fn nvd_date(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S.%3fZ").to_string()
}

/// Removes `nvd-<n>.json` (and partial ones) left by an earlier run.
fn remove_pages(dir: &Path) -> Result<(), FetchError> {
    let entries = fs::read_dir(dir).map_err(io_err(dir))?;
    for e in entries {
        let e = e.map_err(io_err(dir))?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("nvd-") && name.contains(".json") {
            let p = e.path();
            fs::remove_file(&p).map_err(io_err(&p))?;
        }
    }
    Ok(())
}

/// The page files of [`download_nvd`] in `dir`, in page order.
///
/// # Errors
/// [`FetchError::Io`] when `dir` cannot be read.
pub fn nvd_pages(dir: &Path) -> Result<Vec<PathBuf>, FetchError> {
    let mut pages: Vec<(u32, PathBuf)> = Vec::new();
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    for e in fs::read_dir(dir).map_err(io_err(dir))? {
        let e = e.map_err(io_err(dir))?;
        let name = e.file_name();
        let n = name
            .to_str()
            .and_then(|s| s.strip_prefix("nvd-"))
            .and_then(|s| s.strip_suffix(".json"))
            .and_then(|s| s.parse::<u32>().ok());
        if let Some(n) = n {
            pages.push((n, e.path()));
        }
    }
    pages.sort();
    Ok(pages.into_iter().map(|(_, p)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_at_most_120_days() {
        let start: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap_or_default();
        let end: Timestamp = "2025-09-01T00:00:00Z".parse().unwrap_or_default();
        let w = split_window(start, end);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].0, start);
        assert_eq!(w[2].1, end);
        for (a, b) in &w {
            assert!(b.duration_since(*a) <= SignedDuration::from_hours(24 * 120));
        }
        assert_eq!(nvd_date(start), "2025-01-01T00:00:00.000Z");
    }
}
