//! Errors for input that cannot be read as a VEX document at all.

use std::path::PathBuf;

/// Why a document could not be read. Every variant names the input
/// (`origin`: the file path or the name the caller gave) and, where the
/// reader knows them, the 1-based line and column and the JSON path of the
/// offending field.
///
/// Problems inside an otherwise readable document (an unknown status, a
/// product id that is never defined) are not errors: they are warnings on
/// the returned [`VexDocument`](crate::VexDocument).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VexError {
    /// The file could not be read.
    #[error("{}: cannot read file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed JSON, or a field has the wrong type.
    #[error("{origin}:{line}:{column}: invalid JSON{}: {message}", at_field(field.as_deref()))]
    Json {
        /// The input's name.
        origin: String,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// The JSON path of the field, e.g. `statements[0].status`, when the
        /// document is well-formed but a field has the wrong shape.
        field: Option<String>,
        /// The parser's message.
        message: String,
    },
    /// The input is JSON but none of OpenVEX, CycloneDX or CSAF 2.0.
    #[error("{origin}: not a VEX document (OpenVEX, CycloneDX or CSAF 2.0): {reason}")]
    UnknownFormat {
        /// The input's name.
        origin: String,
        /// What was found instead.
        reason: String,
    },
}

fn at_field(field: Option<&str>) -> String {
    match field {
        Some(p) if !p.is_empty() && p != "." => format!(" at `{p}`"),
        _ => String::new(),
    }
}

impl VexError {
    /// The 1-based line the error points at, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::Json { line, .. } if *line > 0 => Some(*line),
            _ => None,
        }
    }

    /// The JSON path of the offending field, when known.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Json { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// Builds a [`VexError::Json`] from a syntax error. This is a function
    /// rather than a `From` impl so that serde_json's type stays out of the
    /// public API.
    pub(crate) fn syntax(origin: &str, e: &serde_json::Error) -> Self {
        Self::Json {
            origin: origin.to_owned(),
            line: e.line(),
            column: e.column(),
            field: None,
            message: strip_position(&e.to_string()),
        }
    }

    /// Builds a [`VexError::Json`] from a typed-deserialization error that
    /// knows the path of the field.
    pub(crate) fn field_error(
        origin: &str,
        e: &serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let inner = e.inner();
        Self::Json {
            origin: origin.to_owned(),
            line: inner.line(),
            column: inner.column(),
            field: Some(e.path().to_string()),
            message: strip_position(&inner.to_string()),
        }
    }
}

/// serde_json appends " at line L column C" to its messages; the error
/// carries them as fields already.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
