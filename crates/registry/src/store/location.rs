//! Where the registry is kept: a SQLite file or a PostgreSQL database.

use std::fmt;
use std::path::PathBuf;

use super::postgres;

/// Where the registry is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://user:password@host:port/database`).
    Postgres(String),
}

impl Location {
    /// Parses `--database`: `postgres://...` or `postgresql://...`, `sqlite:PATH`,
    /// `sqlite://PATH`, or a plain file path.
    ///
    /// # Errors
    /// A message for what is neither.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Self::Postgres(s.to_owned()));
        }
        let path = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
            .unwrap_or(s);
        if path.is_empty() || path.contains("://") {
            return Err(format!(
                "`{}` is neither a PostgreSQL URL (postgres://...), sqlite:PATH nor a file path",
                postgres::redact(s)
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }
}

impl fmt::Display for Location {
    /// The file, or the URL without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(p) => write!(f, "{}", p.display()),
            Self::Postgres(url) => f.write_str(&postgres::redact(url)),
        }
    }
}
