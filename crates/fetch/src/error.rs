//! The error type of this crate.

use std::path::PathBuf;

/// What went wrong while fetching. Every variant names the URL or the
/// local file concerned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The server could not be reached, or kept answering with a temporary
    /// failure (5xx, 429, 408, a dropped connection), until the attempts
    /// ran out.
    #[error("{url}: unreachable after {attempts} attempt{}: {reason}", plural(*attempts))]
    Unreachable {
        /// The URL.
        url: String,
        /// How many requests were made.
        attempts: u32,
        /// The last failure (`HTTP 503 Service Unavailable`, `connection refused` ...).
        reason: String,
    },
    /// The server answered with a status that retrying cannot fix (404, 403 ...).
    #[error("{url}: the server answered HTTP {status}{}", reason_suffix(reason))]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The reason phrase, when the status has a standard one.
        reason: String,
    },
    /// The request could not be made, for a reason retrying cannot fix (an
    /// invalid URL, a TLS certificate that does not verify ...).
    #[error("{url}: {message}")]
    Request {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The server's answer is not what the protocol or the source promises
    /// (a `Content-Range` for other bytes, an NVD page that is not a CVE API
    /// response ...).
    #[error("{url}: unexpected response: {message}")]
    Protocol {
        /// The URL.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// A local file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A setting is not usable (a mirror URL without a scheme, an ecosystem
    /// name with a `/` ...).
    #[error("{what} {value:?}: {message}")]
    Config {
        /// The setting (`mirror URL`, `OSV ecosystem`).
        what: &'static str,
        /// The value given.
        value: String,
        /// Why it was rejected.
        message: String,
    },
}

impl FetchError {
    /// The URL the error is about, when it is about one.
    #[must_use]
    pub fn url(&self) -> Option<&str> {
        match self {
            Self::Unreachable { url, .. }
            | Self::Status { url, .. }
            | Self::Request { url, .. }
            | Self::Protocol { url, .. } => Some(url),
            Self::Io { .. } | Self::Config { .. } => None,
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" {reason}")
    }
}

pub(crate) fn io_err(path: &std::path::Path) -> impl Fn(std::io::Error) -> FetchError + '_ {
    move |source| FetchError::Io {
        path: path.to_path_buf(),
        source,
    }
}
