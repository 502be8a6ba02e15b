//! The package index and the re-evaluation queue: which devices a changed package
//! affects, and jobs any server may claim (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! under a lease).

use riskmark_vulndb::PackageKey;

use super::sql::{Conn, Fail, args};
use super::{Store, digest_in, digest_out, now, stamp};
use crate::Error;

/// A job: re-assess one device because advisories about its packages changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Job {
    pub(crate) id: i64,
    pub(crate) device_id: String,
    pub(crate) reason: String,
}

/// How long a claimed job stays with the server that claimed it (then another may).
const LEASE: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

impl Store {
    /// Every package whose digest is kept, with it.
    pub(crate) fn package_digests(&self) -> Result<Vec<(PackageKey, u64)>, Error> {
        self.read(|c| {
            c.query("SELECT ecosystem, name, digest FROM package_digests", &[])?
                .into_iter()
                .map(|mut r| {
                    Ok((
                        PackageKey {
                            ecosystem: r.text(0)?,
                            name: r.text(1)?,
                        },
                        digest_out(r.int(2)?),
                    ))
                })
                .collect()
        })
    }

    /// The devices whose current version contains any of `keys` (an index probe each).
    pub(crate) fn affected_devices(&self, keys: &[PackageKey]) -> Result<Vec<String>, Error> {
        self.read(|c| affected(c, keys))
    }

    /// Records the database's new digests of changed packages and queues a job for
    /// every device containing one, in one transaction. A digest another server
    /// recorded meanwhile is not this call's change: each change is queued once, however
    /// many servers saw it. Returns the packages this call recorded and the jobs queued.
    pub(crate) fn enqueue(
        &self,
        changes: &[(PackageKey, u64, u64)],
    ) -> Result<(Vec<PackageKey>, usize), Error> {
        self.write(|tx| {
            let mut mine = Vec::new();
            for (k, old, new) in changes {
                let n = tx.execute(
                    "UPDATE package_digests SET digest = $3 \
                     WHERE ecosystem = $1 AND name = $2 AND digest = $4",
                    args![
                        k.ecosystem.as_str(),
                        k.name.as_str(),
                        digest_in(*new),
                        digest_in(*old)
                    ],
                )?;
                if n > 0 {
                    mine.push(k.clone());
                }
            }
            let mut why: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for k in &mine {
                for id in affected(tx, std::slice::from_ref(k))? {
                    why.entry(id)
                        .or_default()
                        .push(format!("{}/{}", k.ecosystem, k.name));
                }
            }
            let now = now();
            for (id, packages) in &why {
                tx.execute(
                    "INSERT INTO jobs (device_id, reason, created) VALUES ($1, $2, $3)",
                    args![id, packages.join(", ").as_str(), now.as_str()],
                )?;
            }
            Ok((mine, why.len()))
        })
    }

    /// Releases the open claims of workers of this machine whose process is gone (a
    /// server or `registry reevaluate` killed mid-job), so they need not wait for their
    /// lease. Returns how many were released.
    pub(crate) fn release_dead_claims(&self) -> Result<usize, Error> {
        let stale = stamp(jiff::Timestamp::now() - LEASE);
        let claims: Vec<(i64, String)> = self.read(|c| {
            c.query(
                "SELECT id, claimed_by FROM jobs WHERE done_at IS NULL \
                 AND claimed_by IS NOT NULL AND claimed_at >= $1",
                args![stale.as_str()],
            )?
            .into_iter()
            .map(|mut r| Ok((r.int(0)?, r.text(1)?)))
            .collect()
        })?;
        let dead: Vec<(i64, String)> = claims
            .into_iter()
            .filter(|(_, by)| crate::reevaluate::claimant_is_dead(by))
            .collect();
        if dead.is_empty() {
            return Ok(0);
        }
        self.write(|tx| {
            let mut n = 0;
            for (id, by) in &dead {
                n += tx.execute(
                    "UPDATE jobs SET claimed_at = NULL \
                     WHERE id = $1 AND claimed_by = $2 AND done_at IS NULL",
                    args![*id, by.as_str()],
                )?;
            }
            Ok(n as usize)
        })
    }

    /// Claims the oldest open job no other server holds (or whose lease ran out).
    pub(crate) fn claim(&self, worker: &str) -> Result<Option<Job>, Error> {
        let stale = stamp(jiff::Timestamp::now() - LEASE);
        self.write(|tx| {
            let Some(mut r) = tx.query_opt(
                "SELECT id, device_id, reason FROM jobs WHERE done_at IS NULL \
                 AND (claimed_at IS NULL OR claimed_at < $1) ORDER BY id LIMIT 1 \
                 FOR UPDATE SKIP LOCKED",
                args![stale.as_str()],
            )?
            else {
                return Ok(None);
            };
            let job = Job {
                id: r.int(0)?,
                device_id: r.text(1)?,
                reason: r.text(2)?,
            };
            tx.execute(
                "UPDATE jobs SET claimed_by = $2, claimed_at = $3, claims = claims + 1 \
                 WHERE id = $1",
                args![job.id, worker, now().as_str()],
            )?;
            Ok(Some(job))
        })
    }

    /// Marks a claimed job done with its outcome; `false` when the lease was lost to
    /// another server meanwhile.
    pub(crate) fn finish(&self, job: i64, worker: &str, outcome: &str) -> Result<bool, Error> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE jobs SET done_at = $3, outcome = $4 \
                 WHERE id = $1 AND claimed_by = $2 AND done_at IS NULL",
                args![job, worker, now().as_str(), outcome],
            )? > 0)
        })
    }

    /// The newest jobs, newest first.
    pub(crate) fn jobs(&self, limit: u32) -> Result<Vec<crate::JobRecord>, Error> {
        self.read(|c| {
            c.query(
                "SELECT id, device_id, reason, created, claimed_by, claimed_at, claims, done_at, \
                 outcome FROM jobs ORDER BY id DESC LIMIT $1",
                args![i64::from(limit)],
            )?
            .into_iter()
            .map(|mut r| {
                Ok(crate::JobRecord {
                    id: r.int(0)?,
                    device_id: r.text(1)?,
                    reason: r.text(2)?,
                    created: r.text(3)?,
                    claimed_by: r.opt_text(4)?,
                    claimed_at: r.opt_text(5)?,
                    claims: r.int(6)?,
                    done_at: r.opt_text(7)?,
                    outcome: r.opt_text(8)?,
                })
            })
            .collect()
        })
    }
}

/// The devices whose current version contains any of `keys`: the package sets that
/// hold each key, then the devices on those sets (two index probes; one join would let
/// PostgreSQL's planner guess from a set shared by most devices).
pub(super) fn affected(c: &mut dyn Conn, keys: &[PackageKey]) -> Result<Vec<String>, Fail> {
    let mut sets = std::collections::BTreeSet::new();
    for k in keys {
        for mut r in c.query(
            "SELECT set_id FROM package_sets WHERE ecosystem = $1 AND name = $2",
            args![k.ecosystem.as_str(), k.name.as_str()],
        )? {
            sets.insert(r.text(0)?);
        }
    }
    let mut ids = Vec::new();
    for set in &sets {
        for mut r in c.query("SELECT id FROM devices WHERE package_set = $1", args![set])? {
            ids.push(r.text(0)?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
