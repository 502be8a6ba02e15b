//! What the registry needs of a SQL database, so that its queries are written once for
//! SQLite and PostgreSQL: positional arguments (`$1`, `$2`, ...), rows of four kinds of
//! value, explicit transactions, and which failures are worth retrying.

use crate::Error;

/// An argument of a statement; `None` is NULL (typed, as PostgreSQL needs).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Blob(Option<&'a [u8]>),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Self::Text(Some(v))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Self::Text(Some(v))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Self::Text(v)
    }
}

impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(v: &'a [u8]) -> Self {
        Self::Blob(Some(v))
    }
}

impl<'a> From<Option<&'a [u8]>> for Arg<'a> {
    fn from(v: Option<&'a [u8]>) -> Self {
        Self::Blob(v)
    }
}

/// The arguments of a statement: `args![a, b, c]`.
macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$($crate::store::sql::Arg::from($a)),*][..] };
}
pub(crate) use args;

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// A row: its values in the order the statement selects them.
#[derive(Debug)]
pub(crate) struct Row(pub(crate) Vec<Value>);

impl Row {
    fn take(&mut self, i: usize) -> Value {
        self.0
            .get_mut(i)
            .map_or(Value::Null, |v| std::mem::replace(v, Value::Null))
    }

    fn wrong(i: usize, want: &str, got: &Value) -> Fail {
        Fail::Error(Error::Storage(format!(
            "column {i}: expected {want}, the database has {got:?}"
        )))
    }

    pub(crate) fn int(&self, i: usize) -> Result<i64, Fail> {
        match self.0.get(i) {
            Some(Value::Int(v)) => Ok(*v),
            other => Err(Self::wrong(i, "an integer", other.unwrap_or(&Value::Null))),
        }
    }

    pub(crate) fn text(&mut self, i: usize) -> Result<String, Fail> {
        match self.take(i) {
            Value::Text(s) => Ok(s),
            other => Err(Self::wrong(i, "text", &other)),
        }
    }

    pub(crate) fn opt_text(&mut self, i: usize) -> Result<Option<String>, Fail> {
        match self.take(i) {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s)),
            other => Err(Self::wrong(i, "text or NULL", &other)),
        }
    }

    pub(crate) fn blob(&mut self, i: usize) -> Result<Vec<u8>, Fail> {
        match self.take(i) {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            other => Err(Self::wrong(i, "bytes", &other)),
        }
    }

    pub(crate) fn opt_blob(&mut self, i: usize) -> Result<Option<Vec<u8>>, Fail> {
        match self.take(i) {
            Value::Null => Ok(None),
            Value::Blob(b) => Ok(Some(b)),
            Value::Text(s) => Ok(Some(s.into_bytes())),
            other => Err(Self::wrong(i, "bytes or NULL", &other)),
        }
    }
}

/// Why a statement failed: a conflict with a concurrent transaction (a unique key taken
/// meanwhile, a serialization failure, a deadlock, a busy SQLite file), which the whole
/// transaction may retry, or anything else.
#[derive(Debug)]
pub(crate) enum Fail {
    Retry(String),
    Error(Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Self::Error(e)
    }
}

impl From<Fail> for Error {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Retry(m) => Self::Storage(format!("{m} (retried, still in conflict)")),
            Fail::Error(e) => e,
        }
    }
}

/// One connection. Statements use `$1`-style arguments; `FOR UPDATE [SKIP LOCKED]` is
/// honoured where the database has row locks (PostgreSQL) and dropped where one writer
/// holds the whole file (SQLite).
pub(crate) trait Conn: Send {
    /// Runs a statement; returns the rows it changed.
    fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, Fail>;
    /// Runs a query; returns its rows.
    fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, Fail>;
    /// Starts a write transaction.
    fn begin(&mut self) -> Result<(), Fail>;
    /// Commits it.
    fn commit(&mut self) -> Result<(), Fail>;
    /// Rolls it back (best effort: a broken connection is dropped anyway).
    fn rollback(&mut self);
    /// Whether the connection can no longer be used.
    fn broken(&self) -> bool;
}

impl dyn Conn + '_ {
    /// The first row, if any.
    pub(crate) fn query_opt(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Option<Row>, Fail> {
        Ok(self.query(sql, args)?.into_iter().next())
    }

    /// Exactly one row.
    pub(crate) fn query_one(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Row, Fail> {
        self.query_opt(sql, args)?
            .ok_or_else(|| Fail::Error(Error::Storage(format!("no row from `{sql}`"))))
    }
}
