//! One file from one URL: resumed, retried, conditional, atomic.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::error::{FetchError, io_err};

/// How failed attempts are retried.
///
/// A connection error (refused, reset, timed out, dropped half-way) and the
/// statuses 408, 429 and 5xx are retried; any other status is final. The
/// delay before retry `n` (1-based) is `initial_delay * 2^(n-1)`, at most
/// `max_delay`, unless the server said `Retry-After`, which is honoured up
/// to `max_retry_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests made at most for one file (the first one included); at least 1.
    pub attempts: u32,
    /// Delay before the first retry.
    pub initial_delay: Duration,
    /// The longest backoff delay.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one is cut to this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 1 s, 2 s, 4 s, 8 s apart; `Retry-After` up to 5 minutes.
    fn default() -> Self {
        Self {
            attempts: 5,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1-based).
    #[must_use]
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(16);
        self.initial_delay
            .saturating_mul(factor)
            .min(self.max_delay)
    }
}

/// Settings of a [`Fetcher`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for any one read from the server (headers or body) to
    /// make progress; a stalled transfer fails and is resumed.
    pub read_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// The largest file downloaded ([`MAX_DOWNLOAD_BYTES`] unless set): a server that
    /// announces more, or sends more, is refused instead of filling the disk.
    pub max_bytes: u64,
}

/// The largest file downloaded by default (4 GiB): the most `db import` reads of one
/// input, far above OSV's whole export.
pub const MAX_DOWNLOAD_BYTES: u64 = 4 << 30;

impl Default for Config {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(60),
            user_agent: format!("riskmark/{}", env!("CARGO_PKG_VERSION")),
            max_bytes: MAX_DOWNLOAD_BYTES,
        }
    }
}

impl Config {
    /// The defaults with this retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// With this bound on a download's size.
    #[must_use]
    pub fn with_max_bytes(mut self, max: u64) -> Self {
        self.max_bytes = max;
        self
    }

    /// The defaults with these timeouts.
    #[must_use]
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }
}

/// What to download, and where.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The URL (`http` or `https`).
    pub url: &'a str,
    /// The finished file. The transfer goes to `<dest>.part`; the validators
    /// (`ETag`, `Last-Modified`) are kept in `<dest>.meta.json`.
    pub dest: &'a Path,
    /// Extra request headers (an API key ...).
    pub headers: Vec<(&'a str, String)>,
    /// Send `If-None-Match` / `If-Modified-Since` from the validators of the
    /// previous download of the same URL, so an unchanged file is not sent
    /// again (304).
    pub conditional: bool,
}

impl<'a> Request<'a> {
    /// A conditional download of `url` into `dest`.
    #[must_use]
    pub fn new(url: &'a str, dest: &'a Path) -> Self {
        Self {
            url,
            dest,
            headers: Vec::new(),
            conditional: true,
        }
    }

    /// Adds a request header.
    #[must_use]
    pub fn header(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Turns the conditional request off (for responses that change with
    /// every request, such as API pages).
    #[must_use]
    pub fn unconditional(mut self) -> Self {
        self.conditional = false;
        self
    }
}

/// A progress report, given to the callback of [`Fetcher::download`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Progress<'a> {
    /// The URL being downloaded.
    pub url: &'a str,
    /// Bytes of the file on disk so far (a resumed part included).
    pub done: u64,
    /// The file's size, when the server told it.
    pub total: Option<u64>,
    /// Which attempt this is (1 for the first; more while retrying).
    pub attempt: u32,
    /// How many attempts are allowed in all.
    pub attempts: u32,
}

/// Whether the file was transferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A new file is at `dest`.
    Downloaded,
    /// The server said the file at `dest` is current (304); nothing was
    /// transferred.
    NotModified,
}

/// The outcome of [`Fetcher::download`].
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Download {
    /// The URL.
    pub url: String,
    /// The finished file.
    pub path: PathBuf,
    /// Transferred, or not modified.
    pub status: Status,
    /// Bytes received over the network by this call.
    pub transferred: u64,
    /// The size of the file at `path`.
    pub size: u64,
    /// Requests made (1 when nothing failed).
    pub attempts: u32,
    /// A partial file from an earlier attempt or run was continued with a
    /// `Range` request.
    pub resumed: bool,
}

/// The validators of a download, kept beside it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
struct Meta {
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
}

/// A synchronous downloader (one request at a time). Cheap to share by
/// reference; it keeps a connection pool.
#[derive(Debug)]
pub struct Fetcher {
    agent: ureq::Agent,
    retry: RetryPolicy,
    max_bytes: u64,
}

/// One attempt's failure.
pub(crate) enum Failure {
    /// Worth another attempt, after `retry_after` when the server said so.
    Retry {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Final.
    Fatal(FetchError),
}

impl From<FetchError> for Failure {
    fn from(e: FetchError) -> Self {
        Self::Fatal(e)
    }
}

const BUFFER: usize = 64 * 1024;

impl Fetcher {
    /// A fetcher with these settings. Proxies are taken from the usual
    /// environment variables (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY` ...).
    #[must_use]
    pub fn new(config: &Config) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_per_read(Some(config.read_timeout))
            .timeout_recv_response(Some(config.read_timeout))
            .user_agent(config.user_agent.as_str())
            .build()
            .new_agent();
        let mut retry = config.retry.clone();
        retry.attempts = retry.attempts.max(1);
        Self {
            agent,
            retry,
            max_bytes: config.max_bytes,
        }
    }

    /// The retry policy in force.
    #[must_use]
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Runs `attempt` (given its 1-based number) until it succeeds, fails
    /// for good, or the attempts of the retry policy are spent (waiting
    /// between them as the policy, or the server's `Retry-After`, says).
    pub(crate) fn retrying<T>(
        &self,
        url: &str,
        mut attempt: impl FnMut(u32) -> Result<T, Failure>,
    ) -> Result<T, FetchError> {
        let mut n = 0;
        loop {
            n += 1;
            match attempt(n) {
                Ok(v) => return Ok(v),
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Retry {
                    reason,
                    retry_after,
                }) => {
                    if n >= self.retry.attempts {
                        return Err(FetchError::Unreachable {
                            url: url.to_owned(),
                            attempts: n,
                            reason,
                        });
                    }
                    let wait = retry_after.map_or_else(
                        || self.retry.backoff(n),
                        |d| d.min(self.retry.max_retry_after),
                    );
                    std::thread::sleep(wait);
                }
            }
        }
    }

    /// One plain GET: the response when the status is 200; a retryable
    /// failure for connection errors, 408, 429 and 5xx; a final one
    /// otherwise.
    pub(crate) fn get_ok(&self, url: &str) -> Result<ureq::http::Response<ureq::Body>, Failure> {
        let resp = self.agent.get(url).call().map_err(|e| classify(url, e))?;
        let status = resp.status().as_u16();
        match status {
            200 => Ok(resp),
            408 | 429 | 500..=599 => Err(Failure::Retry {
                reason: status_text(status),
                retry_after: resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after),
            }),
            _ => Err(Failure::Fatal(FetchError::Status {
                url: url.to_owned(),
                status,
                reason: reason_phrase(status),
            })),
        }
    }

    /// Downloads `req.url` into `req.dest`.
    ///
    /// - A `<dest>.part` left by an interrupted attempt (or run) is continued
    ///   with `Range: bytes=N-` (and `If-Range`, so a changed file is sent
    ///   whole); a server answering 200 instead of 206 starts it over.
    /// - With `req.conditional`, the validators of the previous download of
    ///   the same URL are sent; a 304 leaves `dest` as it is.
    /// - Failures are retried as [`RetryPolicy`] says.
    /// - The finished file is renamed onto `dest`, so `dest` is always either
    ///   the previous complete file or the new one.
    ///
    /// `progress` is called as bytes arrive.
    ///
    /// # Errors
    /// [`FetchError::Unreachable`] once the attempts are spent,
    /// [`FetchError::Status`] for a status retrying cannot fix,
    /// [`FetchError::Request`], [`FetchError::Protocol`], or
    /// [`FetchError::Io`] for the local files.
    pub fn download(
        &self,
        req: &Request<'_>,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Download, FetchError> {
        if let Some(parent) = req.dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let mut transferred = 0;
        let mut resumed = false;
        let attempts = self.retry.attempts;
        self.retrying(req.url, |attempt| {
            let mut tagged = |p: Progress<'_>| {
                progress(Progress {
                    attempt,
                    attempts,
                    ..p
                });
            };
            if attempt > 1 {
                // Say that a retry starts, before any byte of it arrives.
                tagged(Progress {
                    url: req.url,
                    done: 0,
                    total: None,
                    attempt,
                    attempts,
                });
            }
            let status = self.attempt(req, &mut transferred, &mut resumed, &mut tagged)?;
            let size = fs::metadata(req.dest).map_err(io_err(req.dest))?.len();
            Ok(Download {
                url: req.url.to_owned(),
                path: req.dest.to_path_buf(),
                status,
                transferred,
                size,
                attempts: attempt,
                resumed,
            })
        })
    }

    fn attempt(
        &self,
        req: &Request<'_>,
        transferred: &mut u64,
        resumed: &mut bool,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Status, Failure> {
        let url = req.url;
        let part = sidecar(req.dest, ".part");
        let part_meta = sidecar(req.dest, ".part.meta.json");
        let meta_path = sidecar(req.dest, ".meta.json");

        let offset = match fs::metadata(&part) {
            Ok(m) if m.is_file() => m.len(),
            _ => 0,
        };
        let mut r = self.agent.get(url);
        for (k, v) in &req.headers {
            r = r.header(*k, v.as_str());
        }
        let mut conditional = false;
        if offset > 0 {
            r = r.header("Range", format!("bytes={offset}-"));
            // If-Range: the server sends the rest only when the file is the
            // one the part came from; otherwise the whole new file (200).
            let validator = read_meta(&part_meta)
                .filter(|m| m.url == url)
                .and_then(|m| m.etag.filter(|e| !e.starts_with("W/")).or(m.last_modified));
            if let Some(v) = validator {
                r = r.header("If-Range", v);
            }
        } else if let Some(m) =
            read_meta(&meta_path).filter(|m| req.conditional && req.dest.is_file() && m.url == url)
        {
            if let Some(e) = &m.etag {
                r = r.header("If-None-Match", e.as_str());
                conditional = true;
            }
            if let Some(lm) = &m.last_modified {
                r = r.header("If-Modified-Since", lm.as_str());
                conditional = true;
            }
        }

        let resp = r.call().map_err(|e| classify(url, e))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        let content_length = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v));

        let (start, total) = match status {
            304 if conditional => return Ok(Status::NotModified),
            200 => (0, content_length),
            206 if offset > 0 => {
                let cr = header("content-range").unwrap_or_default();
                match parse_content_range(&cr) {
                    Some((first, total)) if first == offset => {
                        (offset, total.or(content_length.map(|n| n + offset)))
                    }
                    _ => {
                        // Not the bytes asked for: start over.
                        remove_if_exists(&part)?;
                        return Err(Failure::Retry {
                            reason: format!(
                                "HTTP 206 with Content-Range {cr:?} for a request from byte {offset}"
                            ),
                            retry_after: Some(Duration::ZERO),
                        });
                    }
                }
            }
            416 if offset > 0 => {
                // The part is as long as (or longer than) the file: start over.
                remove_if_exists(&part)?;
                return Err(Failure::Retry {
                    reason: "HTTP 416 Range Not Satisfiable".to_owned(),
                    retry_after: Some(Duration::ZERO),
                });
            }
            408 | 429 | 500..=599 => {
                return Err(Failure::Retry {
                    reason: status_text(status),
                    retry_after,
                });
            }
            304 | 206 => {
                return Err(FetchError::Protocol {
                    url: url.to_owned(),
                    message: format!(
                        "{} to a request that did not ask for it",
                        status_text(status)
                    ),
                }
                .into());
            }
            _ => {
                return Err(FetchError::Status {
                    url: url.to_owned(),
                    status,
                    reason: reason_phrase(status),
                }
                .into());
            }
        };

        let too_large = |what: String| {
            Failure::Fatal(FetchError::Protocol {
                url: url.to_owned(),
                message: format!(
                    "{what}; downloads larger than {} bytes are refused",
                    self.max_bytes
                ),
            })
        };
        if let Some(t) = total.filter(|&t| t > self.max_bytes) {
            remove_if_exists(&part)?;
            return Err(too_large(format!("the file is {t} bytes")));
        }
        let mut file = if start == 0 {
            let meta = Meta {
                url: url.to_owned(),
                etag: etag.clone(),
                last_modified: last_modified.clone(),
            };
            write_meta(&part_meta, &meta)?;
            File::create(&part).map_err(io_err(&part))?
        } else {
            *resumed = true;
            OpenOptions::new()
                .append(true)
                .open(&part)
                .map_err(io_err(&part))?
        };
        let mut done = start;
        progress(Progress {
            url,
            done,
            total,
            attempt: 1,
            attempts: 1,
        });
        let mut reader = resp.into_body().into_reader();
        let mut buf = vec![0u8; BUFFER];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if done + n as u64 > self.max_bytes {
                        drop(file);
                        remove_if_exists(&part)?;
                        return Err(too_large(format!(
                            "the server sent more than {} bytes",
                            self.max_bytes
                        )));
                    }
                    file.write_all(&buf[..n]).map_err(io_err(&part))?;
                    done += n as u64;
                    *transferred += n as u64;
                    progress(Progress {
                        url,
                        done,
                        total,
                        attempt: 1,
                        attempts: 1,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    file.flush().map_err(io_err(&part))?;
                    return Err(Failure::Retry {
                        reason: format!("connection lost after {done} bytes: {e}"),
                        retry_after: None,
                    });
                }
            }
        }
        file.sync_all().map_err(io_err(&part))?;
        drop(file);
        if let Some(t) = total.filter(|&t| t != done) {
            return Err(Failure::Retry {
                reason: format!("connection closed after {done} of {t} bytes"),
                retry_after: None,
            });
        }
        // The finished file replaces the previous one in one rename; the
        // old validators go first, so a crash in between costs a download,
        // never a stale 304.
        remove_if_exists(&meta_path)?;
        fs::rename(&part, req.dest).map_err(io_err(req.dest))?;
        let meta = read_meta(&part_meta).unwrap_or(Meta {
            url: url.to_owned(),
            etag,
            last_modified,
        });
        if req.conditional {
            write_meta(&meta_path, &meta)?;
        }
        remove_if_exists(&part_meta)?;
        Ok(Status::Downloaded)
    }
}

/// `<dest><suffix>`, e.g. `kev.json.part`.
fn sidecar(dest: &Path, suffix: &str) -> PathBuf {
    let mut s = dest.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn read_meta(path: &Path) -> Option<Meta> {
    let text = fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_meta(path: &Path, meta: &Meta) -> Result<(), FetchError> {
    let tmp = sidecar(path, ".tmp");
    let text = serde_json::to_string_pretty(meta).map_err(|e| FetchError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    fs::write(&tmp, text).map_err(io_err(&tmp))?;
    fs::rename(&tmp, path).map_err(io_err(path))
}

fn remove_if_exists(path: &Path) -> Result<(), FetchError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(FetchError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Which transport errors are worth another attempt.
pub(crate) fn classify(url: &str, e: ureq::Error) -> Failure {
    let retry = matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::BodyStalled
            | ureq::Error::Protocol(_)
            | ureq::Error::ConnectProxyFailed(_)
    );
    if retry {
        Failure::Retry {
            reason: e.to_string(),
            retry_after: None,
        }
    } else {
        Failure::Fatal(FetchError::Request {
            url: url.to_owned(),
            message: e.to_string(),
        })
    }
}

pub(crate) fn reason_phrase(status: u16) -> String {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
        .to_owned()
}

pub(crate) fn status_text(status: u16) -> String {
    let r = reason_phrase(status);
    if r.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status} {r}")
    }
}

/// `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 10.2.3).
pub(crate) fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let at = SystemTime::try_from(at).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// `Content-Range: bytes first-last/total` → (first, total when known).
fn parse_content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (first, _last) = range.split_once('-')?;
    let first = first.trim().parse().ok()?;
    let total = total.trim().parse().ok();
    Some((first, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(120);
        let text = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&later)
            .unwrap_or_default();
        let d = parse_retry_after(&text).unwrap_or_default();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{text}: {d:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn content_range() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((100, Some(200)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy {
            attempts: 9,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(1),
        };
        let d: Vec<u128> = (1..=5).map(|n| p.backoff(n).as_millis()).collect();
        assert_eq!(d, [100, 200, 400, 500, 500]);
    }
}
