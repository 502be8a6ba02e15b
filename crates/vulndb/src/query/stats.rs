//! What the database holds and where its bytes go: [`Db::stats`], [`Db::storage`].

use std::path::Path;

use serde::Serialize;

use super::Db;
use crate::counts;
use crate::error::{VulnDbError, db_err};
use crate::schema::{self, SCHEMA_VERSION};

/// Database statistics and provenance.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// The schema version.
    pub schema_version: u32,
    /// When the last import committed; `check` compares it with a maximum
    /// age.
    pub built_at: Option<jiff::Timestamp>,
    /// Advisories stored, withdrawn ones included.
    pub advisories: u64,
    /// Withdrawn advisories (stored, never matched).
    pub withdrawn: u64,
    /// Advisories per ecosystem key, sorted by ecosystem.
    pub ecosystems: Vec<(String, u64)>,
    /// NVD CVEs stored, rejected ones included.
    pub nvd_cves: u64,
    /// Rejected NVD CVEs (stored, never matched).
    pub nvd_rejected: u64,
    /// Indexed (CVE, part, vendor, product) keys of vulnerable CPE criteria.
    pub cpe_keys: u64,
    /// CISA KEV entries.
    pub kev: u64,
    /// EPSS scores.
    pub epss: u64,
    /// One entry per imported input.
    pub sources: Vec<Source>,
}

/// Where the database's bytes go ([`Db::storage`]).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Storage {
    /// Bytes of the database file.
    pub file_bytes: u64,
    /// Bytes of its write-ahead log (`-wal`), 0 when there is none.
    pub wal_bytes: u64,
    /// Bytes of free pages inside the file (reused by later imports).
    pub free_bytes: u64,
    /// The schema revision of the file (see [`crate::SCHEMA_REVISION`]).
    pub schema_revision: u32,
    /// Bytes per table and index, largest first (SQLite's `dbstat`);
    /// empty unless asked for, as it reads every page.
    pub tables: Vec<(String, u64)>,
}

/// An imported input, as recorded in the database.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Source {
    /// The input's file name, or `embedded:curated`.
    pub name: String,
    /// `osv-zip`, `osv-dir`, `osv-json`, `nvd`, `kev` or `epss`.
    pub kind: String,
    /// Records read from it at its last import.
    pub records: u64,
    /// When it was last imported (RFC 3339).
    pub imported_at: String,
    /// The KEV catalog version or the EPSS score date.
    pub detail: Option<String>,
}

impl Db {
    /// Where the database's bytes go: the file, its WAL, free pages, and
    /// with `per_table` the bytes of every table and index (this reads
    /// every page: about a second for 2 GB).
    ///
    /// # Errors
    /// [`VulnDbError::Database`].
    pub fn storage(&self, per_table: bool) -> Result<Storage, VulnDbError> {
        let err = db_err(&self.path);
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        let page_size: i64 = self
            .conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .map_err(&err)?;
        let free: i64 = self
            .conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .map_err(&err)?;
        let mut tables = Vec::new();
        if per_table {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name
                     ORDER BY bytes DESC, name",
                )
                .map_err(&err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
                .map_err(&err)?;
            for row in rows {
                let (name, bytes) = row.map_err(&err)?;
                tables.push((name, u64::try_from(bytes).unwrap_or(0)));
            }
        }
        Ok(Storage {
            file_bytes: size(&self.path),
            wal_bytes: size(Path::new(&wal)),
            free_bytes: u64::try_from(page_size.saturating_mul(free)).unwrap_or(0),
            schema_revision: schema::revision(&self.conn).map_err(&err)?,
            tables,
        })
    }

    /// Counts, build time and sources.
    ///
    /// # Errors
    /// [`VulnDbError::Database`].
    pub fn stats(&self) -> Result<Stats, VulnDbError> {
        let err = db_err(&self.path);
        let built_at = schema::meta(&self.conn, "built_at")
            .map_err(&err)?
            .and_then(|s| s.parse().ok());
        // Stored by every import; a database from before they were kept is
        // counted here.
        let counts = match counts::read(&self.conn).map_err(&err)? {
            Some(c) => c,
            None => counts::count_all(&self.conn).map_err(&err)?,
        };
        let mut stmt = self
            .conn
            .prepare("SELECT name, kind, records, imported_at, detail FROM sources ORDER BY name")
            .map_err(&err)?;
        let sources = stmt
            .query_map([], |r| {
                Ok(Source {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    records: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    imported_at: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(&err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&err)?;
        Ok(Stats {
            schema_version: SCHEMA_VERSION,
            built_at,
            advisories: counts.advisories,
            withdrawn: counts.withdrawn,
            nvd_cves: counts.nvd_cves,
            nvd_rejected: counts.nvd_rejected,
            cpe_keys: counts.cpe_keys,
            ecosystems: counts.ecosystems.into_iter().collect(),
            kev: counts.kev,
            epss: counts.epss,
            sources,
        })
    }
}
