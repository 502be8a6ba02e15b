//! The error type of this crate.

use std::fmt;
use std::path::PathBuf;

/// Where in an input a problem was found: the file, the entry inside a zip
/// archive, and the line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The input file or directory given to [`crate::import`].
    pub path: PathBuf,
    /// The entry inside a zip archive, or the file inside a directory.
    pub entry: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    pub(crate) fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            entry: None,
            line: None,
            column: None,
        }
    }

    pub(crate) fn entry(mut self, entry: Option<String>) -> Self {
        self.entry = entry;
        self
    }

    pub(crate) fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(e) = &self.entry {
            write!(f, " [{e}]")?;
        }
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// What went wrong in the vulnerability database.
///
/// Input errors name the file (and the zip entry), the line when known and
/// the field. When an import fails, nothing of it is applied: the database
/// keeps its previous content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VulnDbError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An input is none of the formats this crate imports.
    #[error(
        "{path}: not an OSV JSON file or archive, an NVD CVE JSON 2.0 file, a CISA KEV catalog or an EPSS CSV"
    )]
    UnknownFormat {
        /// The input.
        path: PathBuf,
    },
    /// A database file whose first import never committed (killed, or the machine
    /// stopped): it holds nothing yet, or a journal that only an import (or a reader
    /// that may write the directory) rolls back.
    #[error(
        "{}: holds no database yet: its first import did not finish; run `riskmark db import` again",
        path.display()
    )]
    Unfinished {
        /// The database file.
        path: PathBuf,
    },
    /// An input, or what a gzip stream inflates to, is larger than riskmark reads
    /// ([`crate::MAX_INPUT_BYTES`]).
    #[error(
        "{}: {} bytes{}; inputs larger than {limit} bytes are refused",
        path.display(),
        size.map_or_else(|| format!("more than {limit}"), |n| n.to_string()),
        if *inflated { " once inflated" } else { "" }
    )]
    TooLarge {
        /// The input.
        path: PathBuf,
        /// Its size when known (`None`: a stream that went past the limit).
        size: Option<u64>,
        /// The limit.
        limit: u64,
        /// Whether the limit was passed by a gzip stream's inflated bytes.
        inflated: bool,
    },
    /// A zip archive that is not an OSV archive (unreadable, or without
    /// OSV JSON entries).
    #[error("{location}: not an OSV archive: {message}")]
    NotOsvArchive {
        /// The archive and, when known, the entry.
        location: Box<Location>,
        /// Why.
        message: String,
    },
    /// An OSV record that is not valid OSV JSON.
    #[error("{location}: invalid OSV record{}: {message}", field_suffix(field.as_deref()))]
    Osv {
        /// The file, zip entry, line and column.
        location: Box<Location>,
        /// The JSON path of the offending field (`affected[0].ranges[1].type`).
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// An NVD CVE JSON 2.0 file (API response or feed) that cannot be read.
    #[error("{location}: invalid NVD CVE JSON 2.0{}: {message}", field_suffix(field.as_deref()))]
    Nvd {
        /// The file, line and column.
        location: Box<Location>,
        /// The JSON path of the offending field
        /// (`vulnerabilities[3].cve.configurations[0].nodes[0].cpeMatch[1].criteria`).
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A CPE that is not a CPE 2.3 formatted string, or names no vendor
    /// and product to match.
    #[error("cannot match CPE {cpe:?}: {message}")]
    Cpe {
        /// The CPE.
        cpe: String,
        /// Why.
        message: String,
    },
    /// A CISA KEV catalog that cannot be read.
    #[error("{location}: invalid CISA KEV catalog{}: {message}", field_suffix(field.as_deref()))]
    Kev {
        /// The file, line and column.
        location: Box<Location>,
        /// The JSON path of the offending field.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// An EPSS CSV file that cannot be read.
    #[error("{location}: invalid EPSS CSV{}: {message}", field_suffix(field.as_deref()))]
    Epss {
        /// The file and line.
        location: Box<Location>,
        /// The column name (`cve`, `epss`, `percentile`).
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// An ecosystem string that cannot be matched (no version ordering is
    /// known for it).
    #[error("unknown or unsupported ecosystem {0:?}")]
    UnknownEcosystem(String),
    /// The queried version is not a valid version of the ecosystem.
    #[error("invalid version {version:?} for {ecosystem}: {message}")]
    InvalidVersion {
        /// The ecosystem queried.
        ecosystem: String,
        /// The version queried.
        version: String,
        /// Why it was rejected.
        message: String,
    },
    /// A purl that is not well-formed, or names no ecosystem this database
    /// can match.
    #[error("cannot match purl {purl:?}: {message}")]
    Purl {
        /// The purl.
        purl: String,
        /// Why.
        message: String,
    },
    /// The database file was written by another schema version.
    #[error(
        "{path}: database schema version {found}, this riskmark reads version {expected}; rebuild it with `riskmark db import`"
    )]
    SchemaVersion {
        /// The database file.
        path: PathBuf,
        /// The version in the file.
        found: String,
        /// The version this crate reads and writes.
        expected: u32,
    },
    /// The import was cancelled by the progress callback; nothing was
    /// applied.
    #[error("import cancelled; the database was left unchanged")]
    Cancelled,
    /// SQLite reported an error.
    #[error("database {path}: {message}")]
    Database {
        /// The database file (`:memory:` for the embedded set).
        path: PathBuf,
        /// SQLite's message.
        message: String,
    },
}

fn field_suffix(field: Option<&str>) -> String {
    match field {
        Some(f) if !f.is_empty() && f != "." => format!(" at field `{f}`"),
        _ => String::new(),
    }
}

/// Wraps a SQLite error without putting `rusqlite` in the public API.
pub(crate) fn db_err(path: &std::path::Path) -> impl Fn(rusqlite::Error) -> VulnDbError + '_ {
    move |e| VulnDbError::Database {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}
