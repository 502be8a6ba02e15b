//! The SQLite schema.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{VulnDbError, db_err};

/// The schema version this crate reads and writes (`meta.schema_version`).
/// Additions that older builds can ignore raise [`SCHEMA_REVISION`]
/// instead, so that those builds keep reading (and importing into) the
/// database.
pub const SCHEMA_VERSION: u32 = 1;

/// The revision of schema 1 this crate writes (`meta.schema_revision`;
/// absent means 1). Revision 2 adds [`SOURCE_FILES`]; the first import by
/// a build that knows it upgrades the database.
pub const SCHEMA_REVISION: u32 = 2;

/// Revision 2: what each input held when it was last imported, so that a
/// re-import skips what has not changed (see `import/cache.rs`). `digest`
/// is the SHA-256 of the file as read, or, for a zip archive, of its
/// central directory (every entry's name, CRC-32 and sizes); `entries`, for
/// zip archives and directories, the name, CRC-32, size and record count
/// of every `.json` entry (zstd-compressed), so that an archive with some
/// changed entries inflates only those. `report` is what the input gave
/// (JSON), `parser` the riskmark-vulndb build that read it: another build
/// reads everything again. The rows are trusted only while
/// `meta.source_files_at` equals `meta.built_at`: an import by a build
/// that does not know this table leaves them stale, and they are ignored.
pub(crate) const SOURCE_FILES: &str = "
CREATE TABLE IF NOT EXISTS source_files (
    source  TEXT PRIMARY KEY,   -- sources.name
    kind    TEXT NOT NULL,      -- sources.kind
    parser  TEXT NOT NULL,
    size    INTEGER NOT NULL,   -- bytes of the file
    digest  BLOB NOT NULL,
    report  TEXT NOT NULL,
    entries BLOB
);
";

/// The tables. `advisories.raw` keeps each OSV record as read, so a later
/// riskmark can re-derive columns without a new download. NVD CVEs live in
/// their own tables (`nvd_cves`, with the criteria of their configurations,
/// and `cpe_match`, the (vendor, product) index): OSV's Linux records also
/// use CVE ids, and the two must not overwrite each other. These two
/// tables were added within schema version 1: a database built before has
/// none and answers no CPE query (see `has_table`). So were `counts` and
/// `ecosystem_counts` (see `counts.rs`). The secondary indexes are in
/// [`INDEXES`].
pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    name        TEXT PRIMARY KEY,   -- the input's file name, or embedded:curated
    kind        TEXT NOT NULL,      -- osv-zip, osv-dir, osv-json, kev, epss
    records     INTEGER NOT NULL,
    imported_at TEXT NOT NULL,      -- RFC 3339
    detail      TEXT                -- KEV catalog version, EPSS score date ...
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS advisories (
    id          TEXT PRIMARY KEY,
    modified    TEXT NOT NULL,
    modified_us INTEGER NOT NULL,   -- microseconds since the epoch, for ordering
    published   TEXT,
    withdrawn   TEXT,
    summary     TEXT,
    details     TEXT,
    aliases     TEXT NOT NULL,      -- JSON array
    cvss_vector TEXT,
    cvss_score  REAL,
    severity    TEXT,               -- low, medium, high, critical
    raw         TEXT NOT NULL       -- the OSV JSON as read
);
CREATE TABLE IF NOT EXISTS affected (
    advisory_id TEXT NOT NULL,
    ecosystem   TEXT NOT NULL,      -- canonical OSV ecosystem, or riskmark:firmware
    name        TEXT NOT NULL,      -- normalized package name
    ranges      TEXT NOT NULL,      -- JSON, OSV `ranges`
    versions    TEXT NOT NULL       -- JSON, OSV `versions`
);
CREATE TABLE IF NOT EXISTS nvd_cves (
    id              TEXT PRIMARY KEY,
    last_modified   TEXT NOT NULL,
    last_modified_us INTEGER NOT NULL,
    published       TEXT,
    status          TEXT,           -- vulnStatus
    withdrawn       TEXT,           -- lastModified of a Rejected CVE
    summary         TEXT,
    description     TEXT,
    cvss_vector     TEXT,
    cvss_score      REAL,
    severity        TEXT,
    configurations  TEXT NOT NULL   -- JSON, NVD `configurations` (criteria and bounds)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cpe_match (
    cve_id  TEXT NOT NULL,
    part    TEXT NOT NULL,          -- a, o, h or *
    vendor  TEXT NOT NULL,          -- lower-cased, unescaped
    product TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kev (
    cve        TEXT PRIMARY KEY,
    vendor     TEXT,
    product    TEXT,
    name       TEXT,
    date_added TEXT,
    due_date   TEXT,
    ransomware TEXT                 -- knownRansomwareCampaignUse: Known / Unknown
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS epss (
    cve        TEXT PRIMARY KEY,
    epss       REAL NOT NULL,
    percentile REAL NOT NULL,
    date       TEXT
) WITHOUT ROWID;
-- Kept current by every import (see counts.rs); meta.counts_kept says so.
CREATE TABLE IF NOT EXISTS counts (
    name TEXT PRIMARY KEY,          -- advisories, withdrawn, nvd_cves, nvd_rejected, cpe_keys, kev, epss
    n    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ecosystem_counts (
    ecosystem  TEXT PRIMARY KEY,
    advisories INTEGER NOT NULL     -- distinct advisories with affected entries in it
) WITHOUT ROWID;
";

/// The secondary indexes. The first import into an empty database creates
/// them after its inserts (one sort each instead of a B-tree insert per
/// row); every other import creates any that are missing before writing.
pub(crate) const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS affected_package ON affected (ecosystem, name);
CREATE INDEX IF NOT EXISTS affected_advisory ON affected (advisory_id);
CREATE INDEX IF NOT EXISTS cpe_match_product ON cpe_match (vendor, product);
CREATE INDEX IF NOT EXISTS cpe_match_cve ON cpe_match (cve_id);
";

/// Opens (creating when absent) a database for writing. Returns the
/// connection and whether the database was empty (new, or left empty by an
/// interrupted first import).
///
/// An existing database is used in WAL mode, so readers keep reading the
/// previous content while an import runs. An empty one starts in rollback
/// journal mode (`DELETE`): its first import writes every page once,
/// straight into the file, instead of into the WAL and then again at the
/// checkpoint; SQLite journals no page beyond the original (empty) file, so
/// the journal stays tiny, and an interrupted import still rolls back to an
/// empty database. [`finish_fresh`] switches it to WAL after the commit.
pub(crate) fn open_rw(path: &Path) -> Result<(Connection, bool), VulnDbError> {
    let err = db_err(path);
    let opened = Connection::open(path).map_err(&err).and_then(|conn| {
        // Reading the page count first rolls back a hot journal, if any.
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .map_err(&err)?;
        Ok((conn, pages))
    });
    let (conn, pages) = opened.map_err(|e| not_writable(path).unwrap_or(e))?;
    let fresh = pages == 0;
    // A new database's pages are written as they fill (a 2 MiB cache):
    // SQLite then writes most of the file while the parsers are still busy,
    // instead of all 25 MB at the commit. An existing database keeps a
    // large cache for its lookups.
    let (mode, cache) = if fresh {
        ("DELETE", "128")
    } else {
        ("WAL", "-65536")
    };
    conn.execute_batch(&format!(
        "PRAGMA page_size = 16384;
         PRAGMA journal_mode = {mode};
         PRAGMA synchronous = NORMAL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = {cache};"
    ))
    .map_err(&err)?;
    Ok((conn, fresh))
}

/// After the first import into an empty database has committed: WAL mode
/// from now on (the mode is stored in the file, so readers and later
/// imports use it).
pub(crate) fn finish_fresh(conn: &Connection, path: &Path) -> Result<(), VulnDbError> {
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(db_err(path))?;
    if mode.eq_ignore_ascii_case("wal") {
        Ok(())
    } else {
        Err(VulnDbError::Database {
            path: path.to_path_buf(),
            message: format!("journal_mode stayed {mode:?} instead of WAL"),
        })
    }
}

/// When the database's directory cannot be written (a read-only mount, no permission),
/// the error that says so.
fn not_writable(path: &Path) -> Option<VulnDbError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty())?;
    let probe = dir.join(".riskmark-write-check");
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
        Err(e) => Some(VulnDbError::Database {
            path: path.to_path_buf(),
            message: format!(
                "{} cannot be written ({e}): a read-only database can be read, not imported into",
                dir.display()
            ),
        }),
    }
}

/// Opens an existing database read-only.
pub(crate) fn open_ro(path: &Path) -> Result<Connection, VulnDbError> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(VulnDbError::Io {
            path: path.to_path_buf(),
            source: e,
        });
    }
    let journal = journal_of(path);
    if journal.exists() {
        roll_back(path);
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let first = Connection::open_with_flags(path, flags)
        .map_err(db_err(path))
        .and_then(|c| ready(c, path));
    match first {
        Ok(conn) => Ok(conn),
        // A rollback journal is still there: the file may hold pages of an import that
        // never committed, which only rolling back (above, when the directory can be
        // written) undoes. It is never read as it is.
        Err(_) if journal.exists() => Err(VulnDbError::Unfinished {
            path: path.to_path_buf(),
        }),
        // A WAL database on a read-only medium (a read-only mount, a CI cache): a reader
        // cannot create the `-shm` index beside it, so SQLite cannot open it at all.
        // Nothing can write there either, so it is opened as immutable (no locks, no
        // shared memory); any other failure stands.
        Err(e) if cannot_open(&e) => {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
                .map_err(db_err(path))
                .and_then(|c| ready(c, path))
                .map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}

/// The rollback journal beside a database (`<file>-journal`): the first import into an
/// empty database writes in rollback-journal mode, so one killed before its commit leaves
/// it behind.
fn journal_of(path: &Path) -> std::path::PathBuf {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    j.into()
}

/// Rolls back the journal an interrupted import left, as the next import would: a
/// read-write connection's first read does it when the journal is hot (no process holds
/// the database's lock; an import still running keeps its journal). Failures (a
/// read-only directory, a busy database) leave things as they are.
fn roll_back(path: &Path) {
    if let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        let _ = conn.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0));
    }
}

/// Read settings and checks of a read-only connection.
fn ready(conn: Connection, path: &Path) -> Result<Connection, VulnDbError> {
    // Reads map the file instead of copying each page with pread: a scan's
    // statistics read the whole advisories table (`withdrawn`), and the
    // copies were a third of a small scan's time.
    conn.pragma_update(None, "mmap_size", MMAP_SIZE)
        .map_err(db_err(path))?;
    plan_once(&conn, path)?;
    // An empty file: created by a first import that never committed (rolled back).
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .map_err(db_err(path))?;
    if pages == 0 {
        return Err(VulnDbError::Unfinished {
            path: path.to_path_buf(),
        });
    }
    check_version(&conn, path, false)?;
    Ok(conn)
}

/// SQLite could not open the file, or only for reading where it needed to write.
fn cannot_open(e: &VulnDbError) -> bool {
    let m = e.to_string();
    m.contains("unable to open database file") || m.contains("readonly database")
}

/// A path as the path of an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// Turns on SQLite's query planner stability guarantee, so a statement keeps
/// the plan it was prepared with. Without it, the bundled SQLite (built with
/// `SQLITE_ENABLE_STAT4`) marks the `?` parameters compared with indexed
/// columns as plan-relevant and prepares the statement again on the first
/// step after each new binding. A scan binds new values for every
/// component, so every query was parsed and planned again (about 130,000
/// instructions each, more than half of a scan that asks every component).
pub(crate) fn plan_once(conn: &Connection, path: &Path) -> Result<(), VulnDbError> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(db_err(path))?;
    Ok(())
}

/// The most of the file read-only connections map (SQLite maps what
/// exists, up to this).
const MMAP_SIZE: i64 = 1 << 30;

/// Creates the tables when missing (and the indexes, unless
/// `defer_indexes`) and checks the schema version.
pub(crate) fn init(conn: &Connection, path: &Path, defer_indexes: bool) -> Result<(), VulnDbError> {
    conn.execute_batch(SCHEMA).map_err(db_err(path))?;
    if !defer_indexes {
        create_indexes(conn, path)?;
    }
    check_version(conn, path, true)?;
    upgrade(conn, path)
}

/// Brings a database of an older revision of schema 1 to
/// [`SCHEMA_REVISION`]: only additions.
fn upgrade(conn: &Connection, path: &Path) -> Result<(), VulnDbError> {
    let err = db_err(path);
    conn.execute_batch(SOURCE_FILES).map_err(&err)?;
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_revision', ?1)",
        [SCHEMA_REVISION.to_string()],
    )
    .map_err(&err)?;
    Ok(())
}

/// The database's schema revision (1 when not recorded).
///
/// # Errors
/// The database cannot be read.
pub(crate) fn revision(conn: &Connection) -> rusqlite::Result<u32> {
    Ok(meta(conn, "schema_revision")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(1))
}

/// Creates the secondary indexes that are missing.
pub(crate) fn create_indexes(conn: &Connection, path: &Path) -> Result<(), VulnDbError> {
    conn.execute_batch(INDEXES).map_err(db_err(path))
}

fn check_version(conn: &Connection, path: &Path, write: bool) -> Result<(), VulnDbError> {
    let err = db_err(path);
    let found: Option<String> = match conn.query_row(
        "SELECT value FROM meta WHERE key = 'schema_version'",
        [],
        |r| r.get(0),
    ) {
        Ok(v) => Some(v),
        Err(rusqlite::Error::QueryReturnedNoRows) => None,
        // A file that is not a riskmark database (no `meta` table).
        Err(e) => {
            return Err(VulnDbError::SchemaVersion {
                path: path.to_path_buf(),
                found: format!("none ({e})"),
                expected: SCHEMA_VERSION,
            });
        }
    };
    match found {
        Some(v) if v == SCHEMA_VERSION.to_string() => Ok(()),
        None if write => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                [SCHEMA_VERSION.to_string()],
            )
            .map_err(&err)?;
            Ok(())
        }
        other => Err(VulnDbError::SchemaVersion {
            path: path.to_path_buf(),
            found: other.unwrap_or_else(|| "none".to_owned()),
            expected: SCHEMA_VERSION,
        }),
    }
}

/// Reads one `meta` value.
pub(crate) fn meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// Whether a table exists (databases of schema 1 built before NVD import
/// have no `nvd_cves`).
pub(crate) fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
}
