//! A bounded pool of connections: at most `max` open at once (PostgreSQL counts its
//! connections); a connection that broke or was left inside a transaction is dropped,
//! never handed to the next user.

use std::sync::{Condvar, Mutex};

use super::sql::Conn;
use crate::Error;

type Open = dyn Fn() -> Result<Box<dyn Conn>, Error> + Send + Sync;

pub(crate) struct Pool {
    open: Box<Open>,
    state: Mutex<State>,
    freed: Condvar,
    max: usize,
}

struct State {
    idle: Vec<Box<dyn Conn>>,
    open: usize,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").field("max", &self.max).finish()
    }
}

/// A connection taken from the pool, given back on drop.
pub(crate) struct Pooled<'a> {
    pool: &'a Pool,
    conn: Option<Box<dyn Conn>>,
}

impl Pooled<'_> {
    pub(crate) fn conn(&mut self) -> &mut (dyn Conn + 'static) {
        // Present from checkout until drop.
        self.conn
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("a pooled connection is present until dropped"))
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        let Ok(mut s) = self.pool.state.lock() else {
            return;
        };
        match self.conn.take() {
            Some(c) if !c.broken() => s.idle.push(c),
            _ => s.open = s.open.saturating_sub(1),
        }
        drop(s);
        self.pool.freed.notify_one();
    }
}

impl Pool {
    pub(crate) fn new(
        first: Box<dyn Conn>,
        max: usize,
        open: impl Fn() -> Result<Box<dyn Conn>, Error> + Send + Sync + 'static,
    ) -> Self {
        Self {
            open: Box::new(open),
            state: Mutex::new(State {
                idle: vec![first],
                open: 1,
            }),
            freed: Condvar::new(),
            max: max.max(1),
        }
    }

    pub(crate) fn get(&self) -> Result<Pooled<'_>, Error> {
        let poisoned = |_| Error::Internal("the connection pool's lock was poisoned".into());
        let mut s = self.state.lock().map_err(poisoned)?;
        loop {
            if let Some(c) = s.idle.pop() {
                return Ok(Pooled {
                    pool: self,
                    conn: Some(c),
                });
            }
            if s.open < self.max {
                s.open += 1;
                drop(s);
                return match (self.open)() {
                    Ok(c) => Ok(Pooled {
                        pool: self,
                        conn: Some(c),
                    }),
                    Err(e) => {
                        if let Ok(mut s) = self.state.lock() {
                            s.open = s.open.saturating_sub(1);
                        }
                        Err(e)
                    }
                };
            }
            s = self.freed.wait(s).map_err(poisoned)?;
        }
    }
}
