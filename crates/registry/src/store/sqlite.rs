//! The embedded default: one SQLite file in WAL mode, migrations counted in
//! `PRAGMA user_version`, writes serialized by `BEGIN IMMEDIATE`.

use std::borrow::Cow;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode};

use super::sql::{Arg, Conn, Fail, Row, Value};
use crate::Error;

/// The migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_attestations.sql"),
    include_str!("../../migrations/sqlite/0003_reevaluation.sql"),
    include_str!("../../migrations/sqlite/0004_jobs.sql"),
    include_str!("../../migrations/sqlite/0005_compact.sql"),
];

pub(crate) struct Sqlite(Connection);

fn fail(e: rusqlite::Error) -> Fail {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Fail::Retry(e.to_string()),
        _ => Fail::Error(Error::Storage(e.to_string())),
    }
}

/// `$1` -> `?1`, and no row locks (the write transaction holds the file).
fn dialect(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') && !sql.contains(" FOR UPDATE") {
        return Cow::Borrowed(sql);
    }
    let sql = sql
        .replace(" FOR UPDATE SKIP LOCKED", "")
        .replace(" FOR UPDATE", "");
    Cow::Owned(sql.replace('$', "?"))
}

fn bind(stmt: &mut rusqlite::CachedStatement<'_>, args: &[Arg<'_>]) -> Result<(), Fail> {
    for (i, a) in args.iter().enumerate() {
        let i = i + 1;
        match *a {
            Arg::Int(v) => stmt.raw_bind_parameter(i, v),
            Arg::Text(v) => stmt.raw_bind_parameter(i, v),
            Arg::Blob(v) => stmt.raw_bind_parameter(i, v),
        }
        .map_err(fail)?;
    }
    Ok(())
}

impl Sqlite {
    /// Opens the file (creating it and its directory) and applies pending migrations.
    pub(crate) fn open(path: &Path) -> Result<Self, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Storage(format!("{}: {e}", dir.display())))?;
        }
        let mut c = Self::connect(path)?;
        let storage = |e: rusqlite::Error| Error::Storage(format!("{}: {e}", path.display()));
        let tx =
            c.0.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(storage)?;
        let applied: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(storage)?;
        let applied = usize::try_from(applied).unwrap_or(usize::MAX);
        if applied > MIGRATIONS.len() {
            return Err(Error::Storage(format!(
                "{} has registry schema {applied}, newer than this riskmark knows ({}); \
                 upgrade riskmark",
                path.display(),
                MIGRATIONS.len()
            )));
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(applied) {
            tx.execute_batch(m).map_err(storage)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))
                .map_err(storage)?;
        }
        tx.commit().map_err(storage)?;
        Ok(c)
    }

    /// A connection to a migrated file.
    pub(crate) fn connect(path: &Path) -> Result<Self, Error> {
        let storage = |e: rusqlite::Error| Error::Storage(format!("{}: {e}", path.display()));
        let c = Connection::open(path).map_err(storage)?;
        c.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(storage)?;
        c.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(storage)?;
        Ok(Self(c))
    }
}

impl Conn for Sqlite {
    fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, Fail> {
        let mut stmt = self.0.prepare_cached(&dialect(sql)).map_err(fail)?;
        bind(&mut stmt, args)?;
        Ok(stmt.raw_execute().map_err(fail)? as u64)
    }

    fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, Fail> {
        let mut stmt = self.0.prepare_cached(&dialect(sql)).map_err(fail)?;
        bind(&mut stmt, args)?;
        let n = stmt.column_count();
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(fail)? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(match r.get_ref(i).map_err(fail)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Text(v.to_string()),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn begin(&mut self) -> Result<(), Fail> {
        self.0.execute_batch("BEGIN IMMEDIATE").map_err(fail)
    }

    fn commit(&mut self) -> Result<(), Fail> {
        self.0.execute_batch("COMMIT").map_err(fail)
    }

    fn rollback(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.execute_batch("ROLLBACK");
        }
    }

    fn broken(&self) -> bool {
        // A connection left inside a transaction is not given to the next user.
        !self.0.is_autocommit()
    }
}

#[cfg(test)]
mod tests {
    use super::dialect;

    #[test]
    fn arguments_and_row_locks_are_translated() {
        assert_eq!(
            dialect("SELECT a FROM t WHERE b = $1 AND c = $12 FOR UPDATE SKIP LOCKED"),
            "SELECT a FROM t WHERE b = ?1 AND c = ?12"
        );
        assert_eq!(dialect("SELECT 1 FOR UPDATE"), "SELECT 1");
        assert!(matches!(dialect("SELECT 1"), std::borrow::Cow::Borrowed(_)));
    }
}
