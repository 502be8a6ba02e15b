//! The registry's tests run on both stores: a SQLite file in a temporary directory, and
//! a fresh PostgreSQL database (crates/testdb; skipped visibly without a server, failing
//! under `CI=true`). `on_both!(name, ...)` makes a `sqlite` and a `postgres` test of
//! each `fn name(b: &Backend)`.

#![allow(dead_code)]

use riskmark_registry::Location;
use riskmark_testdb::TestDatabase;

pub(crate) enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(TestDatabase),
}

impl Backend {
    pub(crate) fn sqlite() -> Self {
        Self::Sqlite(tempfile::tempdir().unwrap())
    }

    pub(crate) fn postgres() -> Option<Self> {
        TestDatabase::create().map(Self::Postgres)
    }

    pub(crate) fn location(&self) -> Location {
        match self {
            Self::Sqlite(dir) => Location::Sqlite(dir.path().join("registry.sqlite")),
            Self::Postgres(db) => Location::Postgres(db.url().to_owned()),
        }
    }

    /// Whether any stored byte sequence contains `needle`: the SQLite file and its
    /// write-ahead log, or every row of every table as PostgreSQL writes it out.
    pub(crate) fn stores(&self, needle: &str) -> bool {
        match self {
            Self::Sqlite(dir) => ["registry.sqlite", "registry.sqlite-wal"].iter().any(|f| {
                std::fs::read(dir.path().join(f))
                    .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
            }),
            Self::Postgres(db) => {
                let mut c = db.client();
                let tables: Vec<String> = c
                    .query(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
                        &[],
                    )
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                assert!(tables.len() >= 8, "the registry's tables: {tables:?}");
                tables.iter().any(|t| {
                    c.query(&format!("SELECT t::text FROM {t} t"), &[])
                        .unwrap()
                        .iter()
                        .any(|r| r.get::<_, String>(0).contains(needle))
                })
            }
        }
    }
}

impl Backend {
    /// The first column of the first row of `sql` (an integer).
    pub(crate) fn count(&self, sql: &str) -> i64 {
        match self {
            Self::Sqlite(dir) => rusqlite::Connection::open(dir.path().join("registry.sqlite"))
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
            Self::Postgres(db) => db.client().query_one(sql, &[]).unwrap().get(0),
        }
    }

    /// Every job: (device, claimed by, times claimed, outcome), in queue order.
    pub(crate) fn jobs(&self) -> Vec<(String, String, i64, Option<String>)> {
        const SQL: &str = "SELECT device_id, claimed_by, claims, outcome FROM jobs ORDER BY id";
        match self {
            Self::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("registry.sqlite")).unwrap();
                let mut stmt = c.prepare(SQL).unwrap();
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            }
            Self::Postgres(db) => db
                .client()
                .query(SQL, &[])
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .collect(),
        }
    }
}

#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&$crate::common::Backend::sqlite());
            }
            #[test]
            fn postgres() {
                if let Some(b) = $crate::common::Backend::postgres() {
                    super::$name(&b);
                }
            }
        }
    )*};
}
