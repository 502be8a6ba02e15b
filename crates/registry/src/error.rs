//! The registry's errors: each maps to one HTTP status.

use riskmark_model::Diagnostic;
use serde::Serialize;

/// Why a registry operation failed; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The submitted documents are not valid: every located problem (422).
    #[error("invalid input: {} problem(s)", .0.len())]
    Invalid(Vec<Problem>),
    /// No token, or one that does not authenticate (401).
    #[error("a valid API token is required")]
    Unauthorized,
    /// The token's organization may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such device or organization (404).
    #[error("{0} not found")]
    NotFound(String),
    /// It exists already (409).
    #[error("{0}")]
    Conflict(String),
    /// The storage failed (500).
    #[error("registry storage: {0}")]
    Storage(String),
    /// Anything else that is not the client's fault (500).
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// [`Error::Invalid`] with one problem that has no line: what is wrong with `file`
    /// (a document's or part's name; empty for none) and, when known, which field.
    pub fn invalid(file: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self::Invalid(vec![Problem {
            file: file.to_owned(),
            line: 0,
            column: 0,
            field: field.map(str::to_owned),
            message: message.into(),
        }])
    }
}

/// One located problem of a submitted document: the same facts the command line prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The document (`profile.toml`, the upload's name).
    pub file: String,
    /// Line (1-based; 0 when not known).
    pub line: usize,
    /// Column (1-based; 0 when not known).
    pub column: usize,
    /// The field, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Self {
        Self {
            file: d.file,
            line: d.line,
            column: d.column,
            field: d.field,
            message: d.message,
        }
    }
}

impl From<riskmark_engine::Error> for Error {
    fn from(e: riskmark_engine::Error) -> Self {
        match e.diagnostics() {
            Some(d) => Self::Invalid(d.into_iter().map(Problem::from).collect()),
            None => match e {
                riskmark_engine::Error::Database { .. } => Self::Internal(e.to_string()),
                other => Self::invalid("", None, other.to_string()),
            },
        }
    }
}
