//! Errors for input that cannot be read as an SBOM at all.

use std::path::PathBuf;

/// Why a document could not be read. Every variant names the input
/// (`origin`: the file path or the name the caller gave) and, where the
/// reader knows it, the 1-based line and column.
///
/// Problems inside an otherwise readable document are not errors: they are
/// [`Warning`](crate::Warning)s on the returned [`Sbom`](crate::Sbom).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SbomError {
    /// The file could not be read.
    #[error("{}: cannot read file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The input has no content (or only whitespace).
    #[error("{origin}: the input is empty")]
    Empty {
        /// The input's name.
        origin: String,
    },
    /// The input is not CycloneDX or SPDX in a supported encoding.
    #[error("{origin}: not a recognized SBOM: {reason}")]
    NotAnSbom {
        /// The input's name.
        origin: String,
        /// What was found instead.
        reason: String,
    },
    /// The input is JSON but not well-formed, or a field has the wrong type.
    #[error("{origin}:{line}:{column}: invalid JSON{}: {message}", at_path(path.as_deref()))]
    Json {
        /// The input's name.
        origin: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// The JSON path of the field, e.g. `components` (when known).
        path: Option<String>,
        /// The parser's message.
        message: String,
    },
    /// The input is XML but not well-formed.
    #[error("{origin}:{line}:{column}: invalid XML: {message}")]
    Xml {
        /// The input's name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// An SPDX tag-value line could not be read.
    #[error("{origin}:{line}: invalid SPDX tag-value: {message}")]
    TagValue {
        /// The input's name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
}

fn at_path(path: Option<&str>) -> String {
    match path {
        Some(p) if !p.is_empty() && p != "." => format!(" at `{p}`"),
        _ => String::new(),
    }
}

impl SbomError {
    /// The 1-based line the error points at, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::Json { line, .. } | Self::Xml { line, .. } | Self::TagValue { line, .. }
                if *line > 0 =>
            {
                Some(*line)
            }
            _ => None,
        }
    }
}
