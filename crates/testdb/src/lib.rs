//! For tests only: a fresh PostgreSQL database per test, dropped when the test ends.
//!
//! The server is the one `.ci/setup.d/postgres.sh` installs and starts (Debian's
//! `postgresql`, a `riskmark` role that may create databases). Its administrative URL is
//! `RISKMARK_TEST_POSTGRES`, by default
//! `postgres://riskmark:riskmark@127.0.0.1:5432/postgres`. Without a server, a test is
//! skipped with a line saying so, and fails under `CI=true`: CI always runs the
//! PostgreSQL half of the suite.

use postgres::{Client, NoTls};

/// The administrative URL (a database the role may connect to, to create others).
pub fn admin_url() -> String {
    std::env::var("RISKMARK_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://riskmark:riskmark@127.0.0.1:5432/postgres".into())
}

/// A database created for one test; dropped (with its connections) on drop.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: String,
}

impl TestDatabase {
    /// Creates a database with a random name. `None` (after saying why on stderr) when
    /// no PostgreSQL server answers and `CI` is not `true`.
    ///
    /// # Panics
    /// When the server does not answer under `CI=true`, or refuses to create the
    /// database.
    #[allow(clippy::print_stderr)]
    pub fn create() -> Option<Self> {
        let admin = admin_url();
        let mut client = match Client::connect(&admin, NoTls) {
            Ok(c) => c,
            Err(e) => {
                let why = format!(
                    "no PostgreSQL at {} ({e}); `.ci/setup.d/postgres.sh` installs and starts it",
                    redact(&admin)
                );
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "CI=true: {why}"
                );
                eprintln!("SKIPPED (PostgreSQL half): {why}");
                return None;
            }
        };
        let mut b = [0u8; 6];
        getrandom::fill(&mut b).expect("randomness for a database name");
        let name = format!(
            "riskmark_test_{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        );
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("the test role may create databases");
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("RISKMARK_TEST_POSTGRES has no database part: {admin}"),
        };
        Some(Self { name, url })
    }

    /// Its URL (with the password, for `--database`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A client connected to it, for tests that look at rows directly.
    ///
    /// # Panics
    /// When it cannot connect.
    pub fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).expect("connect to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&admin_url(), NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn redact(url: &str) -> String {
    match (url.split_once("://"), url.rsplit_once('@')) {
        (Some((scheme, rest)), Some((_, host))) if rest.contains('@') => {
            let user = rest.split(['@', ':']).next().unwrap_or("");
            format!("{scheme}://{user}@{host}")
        }
        _ => url.to_owned(),
    }
}
