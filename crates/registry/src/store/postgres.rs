//! PostgreSQL, where the registry scales out: several stateless servers over one
//! database, row locks (`FOR UPDATE`, `SKIP LOCKED` for the job queue), migrations
//! counted in `riskmark_schema` and applied under an advisory lock, so servers starting
//! together migrate once.

use std::collections::HashMap;

use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::sql::{Arg, Conn, Fail, Row, Value};
use crate::Error;

/// The migrations, in order; the same schema as SQLite's, in PostgreSQL's types.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_attestations.sql"),
    include_str!("../../migrations/postgres/0003_reevaluation.sql"),
    include_str!("../../migrations/postgres/0004_jobs.sql"),
    include_str!("../../migrations/postgres/0005_compact.sql"),
];

/// The advisory lock migrations hold (any constant the registry alone uses).
const MIGRATION_LOCK: i64 = 0x7269_736b_6d61_726b; // "riskmark"

pub(crate) struct Postgres {
    client: Detached,
    statements: HashMap<String, Statement>,
}

/// A client that may be dropped anywhere. The synchronous client runs its own small
/// runtime, and closing it inside an async runtime (the last `Arc<Registry>` dropped by
/// a server task) would panic; there it is closed on a thread of its own.
struct Detached(Option<Client>);

impl std::ops::Deref for Detached {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.0
            .as_ref()
            .unwrap_or_else(|| unreachable!("the client is present until dropped"))
    }
}

impl std::ops::DerefMut for Detached {
    fn deref_mut(&mut self) -> &mut Client {
        self.0
            .as_mut()
            .unwrap_or_else(|| unreachable!("the client is present until dropped"))
    }
}

impl Drop for Detached {
    fn drop(&mut self) {
        if let Some(c) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            let _ = std::thread::Builder::new()
                .name("riskmark-pg-close".into())
                .spawn(move || drop(c));
        }
    }
}

fn fail(e: &postgres::Error) -> Fail {
    let retry = e.code().is_some_and(|c| {
        *c == SqlState::UNIQUE_VIOLATION
            || *c == SqlState::T_R_SERIALIZATION_FAILURE
            || *c == SqlState::T_R_DEADLOCK_DETECTED
    });
    let text = describe(e);
    if retry {
        Fail::Retry(text)
    } else {
        Fail::Error(Error::Storage(text))
    }
}

/// What went wrong, whole: the server's message and code, or the driver's with its
/// cause (`error connecting to server: Connection refused`).
fn describe(e: &postgres::Error) -> String {
    if let Some(d) = e.as_db_error() {
        return format!("{} (SQLSTATE {})", d.message(), d.code().code());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// The URL without its password, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((auth, host)) => (Some(auth), host),
        None => (None, rest),
    };
    match auth {
        Some(auth) => {
            let user = auth.split_once(':').map_or(auth, |(u, _)| u);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

impl Postgres {
    /// Connects and applies pending migrations.
    pub(crate) fn open(url: &str) -> Result<Self, Error> {
        let mut c = Self::connect(url)?;
        c.migrate()
            .map_err(|e| Error::Storage(format!("{}: {}", redact(url), Error::from(e))))?;
        Ok(c)
    }

    /// A connection.
    pub(crate) fn connect(url: &str) -> Result<Self, Error> {
        let client = Client::connect(url, NoTls).map_err(|e| {
            // The driver's message never contains the password.
            Error::Storage(format!("{}: {}", redact(url), describe(&e)))
        })?;
        Ok(Self {
            client: Detached(Some(client)),
            statements: HashMap::new(),
        })
    }

    fn migrate(&mut self) -> Result<(), Fail> {
        let mut tx = self.client.transaction().map_err(|e| fail(&e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(|e| fail(&e))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS riskmark_schema (version BIGINT NOT NULL); \
             INSERT INTO riskmark_schema (version) SELECT 0 \
             WHERE NOT EXISTS (SELECT 1 FROM riskmark_schema)",
        )
        .map_err(|e| fail(&e))?;
        let applied: i64 = tx
            .query_one("SELECT version FROM riskmark_schema", &[])
            .map_err(|e| fail(&e))?
            .get(0);
        let applied = usize::try_from(applied).unwrap_or(usize::MAX);
        if applied > MIGRATIONS.len() {
            return Err(Fail::Error(Error::Storage(format!(
                "registry schema {applied} is newer than this riskmark knows ({}); upgrade \
                 riskmark",
                MIGRATIONS.len()
            ))));
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(applied) {
            tx.batch_execute(m).map_err(|e| fail(&e))?;
            let v = i64::try_from(i + 1).unwrap_or(i64::MAX);
            tx.execute("UPDATE riskmark_schema SET version = $1", &[&v])
                .map_err(|e| fail(&e))?;
        }
        tx.commit().map_err(|e| fail(&e))
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, Fail> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).map_err(|e| fail(&e))?;
        if self.statements.len() > 256 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

fn params<'a>(args: &'a [Arg<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    args.iter()
        .map(|a| match a {
            Arg::Int(v) => v as &(dyn ToSql + Sync),
            Arg::Text(v) => v as &(dyn ToSql + Sync),
            Arg::Blob(v) => v as &(dyn ToSql + Sync),
        })
        .collect()
}

impl Conn for Postgres {
    fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, Fail> {
        let s = self.statement(sql)?;
        self.client.execute(&s, &params(args)).map_err(|e| fail(&e))
    }

    fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, Fail> {
        let s = self.statement(sql)?;
        let rows = self.client.query(&s, &params(args)).map_err(|e| fail(&e))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut values = Vec::with_capacity(r.len());
            for (i, c) in r.columns().iter().enumerate() {
                let get_err = |e: postgres::Error| fail(&e);
                let v = match *c.type_() {
                    Type::INT8 => r.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int)),
                    Type::INT4 => r
                        .try_get::<_, Option<i32>>(i)
                        .map(|v| v.map(|v| Value::Int(v.into()))),
                    Type::INT2 => r
                        .try_get::<_, Option<i16>>(i)
                        .map(|v| v.map(|v| Value::Int(v.into()))),
                    Type::BOOL => r
                        .try_get::<_, Option<bool>>(i)
                        .map(|v| v.map(|v| Value::Int(v.into()))),
                    Type::BYTEA => r
                        .try_get::<_, Option<Vec<u8>>>(i)
                        .map(|v| v.map(Value::Blob)),
                    _ => r
                        .try_get::<_, Option<String>>(i)
                        .map(|v| v.map(Value::Text)),
                }
                .map_err(get_err)?;
                values.push(v.unwrap_or(Value::Null));
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn begin(&mut self) -> Result<(), Fail> {
        self.client.batch_execute("BEGIN").map_err(|e| fail(&e))
    }

    fn commit(&mut self) -> Result<(), Fail> {
        self.client.batch_execute("COMMIT").map_err(|e| fail(&e))
    }

    fn rollback(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
    }

    fn broken(&self) -> bool {
        self.client.is_closed()
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://riskmark:s3cret@127.0.0.1:5432/reg"),
            "postgres://riskmark@127.0.0.1:5432/reg"
        );
        assert_eq!(redact("postgresql://u@host/db"), "postgresql://u@host/db");
        assert_eq!(redact("postgres://host/db"), "postgres://host/db");
        assert_eq!(redact("postgres://u:p@ss@host/db"), "postgres://u@host/db");
    }
}
