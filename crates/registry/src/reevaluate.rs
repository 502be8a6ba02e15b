//! Re-evaluation: when the vulnerability database changes, the devices containing a
//! changed package are found through the package index and re-assessed, as jobs any
//! server over the same database may do.

use std::path::PathBuf;

use riskmark_engine::Database;
use serde::Serialize;
use serde_json::Value;

use crate::{Error, Registry};

/// What a re-evaluation did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Reevaluation {
    /// Packages whose advisories were compared.
    pub packages_checked: usize,
    /// Packages whose advisories changed (recorded by this call).
    pub packages_changed: Vec<String>,
    /// Jobs queued for the devices containing them.
    pub jobs_queued: usize,
    /// Devices re-assessed by this call (with several servers, each does some).
    pub devices_reassessed: Vec<String>,
    /// Of those, the devices whose assessment changed (a new version each).
    pub devices_changed: Vec<String>,
}

/// A job of the queue, as operators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JobRecord {
    /// Its number.
    pub id: i64,
    /// The device to re-assess.
    pub device_id: String,
    /// Why: the packages whose advisories changed.
    pub reason: String,
    /// When it was queued (RFC 3339).
    pub created: String,
    /// The server that claimed it last (`pid<N>-<random>`).
    pub claimed_by: Option<String>,
    /// When.
    pub claimed_at: Option<String>,
    /// How many times it was claimed (more than once only when a server died with it).
    pub claims: i64,
    /// When it was done.
    pub done_at: Option<String>,
    /// `changed` (a new version) or `unchanged`.
    pub outcome: Option<String>,
}

/// A name for this process in the job queue: its process id, a random part and, on
/// Linux, the machine and process namespace it runs in
/// (`pid4242-9f1c2a07@<boot id>.<pid namespace>`), so that another process of the same
/// machine can tell that the claimant died (see [`claimant_is_dead`]).
pub fn worker_id() -> String {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    let mut id = format!(
        "pid{}-{:02x}{:02x}{:02x}{:02x}",
        std::process::id(),
        b[0],
        b[1],
        b[2],
        b[3]
    );
    if let Some(m) = machine() {
        id.push('@');
        id.push_str(&m);
    }
    id
}

/// This machine's boot and process namespace (Linux), as `<boot id>.<pid namespace>`.
fn machine() -> Option<String> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let ns = std::fs::read_link("/proc/self/ns/pid").ok()?;
    let ns = ns.to_string_lossy();
    let ns = ns.strip_prefix("pid:[")?.strip_suffix(']')?;
    Some(format!("{}.{ns}", boot.trim()))
}

/// Whether the worker `claimant` (a [`worker_id`]) is a process of this machine and
/// process namespace that no longer runs. Anything else (another machine, another
/// namespace, no way to tell, a pid now used by another process) is taken to be alive:
/// its claim then ends with its lease.
pub(crate) fn claimant_is_dead(claimant: &str) -> bool {
    let Some((who, at)) = claimant.split_once('@') else {
        return false;
    };
    if machine().as_deref() != Some(at) {
        return false;
    }
    let Some(pid) = who
        .strip_prefix("pid")
        .and_then(|p| p.split_once('-'))
        .and_then(|(p, _)| p.parse::<u32>().ok())
    else {
        return false;
    };
    pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

impl Registry {
    /// The devices whose current version contains any of these packages: what a new
    /// advisory about them affects (one index probe per package).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn affected_devices(
        &self,
        keys: &[riskmark_vulndb::PackageKey],
    ) -> Result<Vec<String>, Error> {
        self.store.affected_devices(keys)
    }

    /// Re-assesses every registered device that contains a package whose advisories
    /// changed in the vulnerability database since the devices were assessed (new,
    /// modified or withdrawn advisories, new KEV entries, EPSS crossing 0.1). Devices
    /// are found through the package index, never by rescanning the others; a device
    /// whose assessment changes gets a new version noting why.
    ///
    /// This is [`Registry::queue_reevaluation`] then [`Registry::work`]: with several
    /// servers over one database, each change is queued once and each job done by one
    /// server.
    ///
    /// # Errors
    /// [`Error::Storage`] or [`Error::Internal`]; a device whose stored documents no
    /// longer assess is reported as not changed.
    pub fn reevaluate(&self, as_of: jiff::civil::Date) -> Result<Reevaluation, Error> {
        let mut report = self.queue_reevaluation()?;
        let done = self.work(as_of, &worker_id())?;
        report.devices_reassessed = done.devices_reassessed;
        report.devices_changed = done.devices_changed;
        Ok(report)
    }

    /// Compares the vulnerability database's digest of every package in a registered
    /// device with the one kept, records the new ones, and queues a job for each device
    /// containing a changed package (one transaction; a change another server queued
    /// already is not queued again).
    ///
    /// # Errors
    /// [`Error::Storage`] or [`Error::Internal`].
    pub fn queue_reevaluation(&self) -> Result<Reevaluation, Error> {
        let (db, _) = self.config.vulndb.open()?;
        let kept = self.store.package_digests()?;
        let mut changes = Vec::new();
        for (k, old) in kept.iter() {
            let now = db
                .package_digest(k)
                .map_err(|e| Error::Internal(e.to_string()))?;
            if now != *old {
                changes.push((k.clone(), *old, now));
            }
        }
        drop(db);
        let (mine, jobs) = self.store.enqueue(&changes)?;
        Ok(Reevaluation {
            packages_checked: kept.len(),
            packages_changed: mine
                .iter()
                .map(|k| format!("{}/{}", k.ecosystem, k.name))
                .collect(),
            jobs_queued: jobs,
            ..Reevaluation::default()
        })
    }

    /// Claims and does queued jobs until none is left that no other server holds.
    /// `worker` names this server in the queue (claims are leases: a job whose server
    /// died is claimed again after ten minutes, or at once by a worker of the same
    /// machine that sees the claimant's process gone).
    ///
    /// # Errors
    /// [`Error::Storage`] or [`Error::Internal`]; the job being done stays claimed and
    /// is done again when its lease ends.
    pub fn work(&self, as_of: jiff::civil::Date, worker: &str) -> Result<Reevaluation, Error> {
        let mut report = Reevaluation::default();
        self.store.release_dead_claims()?;
        while let Some(job) = self.store.claim(worker)? {
            let why: Vec<&str> = job.reason.split(", ").collect();
            let changed = self.reassess(&job.device_id, as_of, &why)?;
            let outcome = if changed { "changed" } else { "unchanged" };
            if self.store.finish(job.id, worker, outcome)? {
                report.devices_reassessed.push(job.device_id.clone());
                if changed {
                    report.devices_changed.push(job.device_id);
                }
            }
        }
        Ok(report)
    }

    /// Re-assesses one device's current documents with its attestations; stores a new
    /// version when the outcome (tier, score, known vulnerabilities) changed.
    fn reassess(&self, id: &str, as_of: jiff::civil::Date, why: &[&str]) -> Result<bool, Error> {
        let Some(docs) = self.store.documents(id)? else {
            return Ok(false);
        };
        let current = self.device(id)?;
        let base = self.store.base_version(id)?;
        let verified = self.verified(id, base, None)?;
        let (owner, submission) = docs.into_submission();
        let outcome = |a: &Value| {
            let findings: Vec<String> = a["vulnerabilities"]["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| format!("{}|{}|{}|{}", f["id"], f["purl"], f["status"], f["kev"]))
                .collect();
            (
                a["risk"]["tier"].clone(),
                a["risk"]["score"].clone(),
                findings,
            )
        };
        // Assessed without storing first: an unchanged outcome writes nothing.
        let inputs = self.inputs(&submission, as_of, verified.clone());
        let Ok(e) = riskmark_engine::evaluate(&inputs) else {
            return Ok(false);
        };
        let fresh: Value = serde_json::from_str(&riskmark_report::json(&e.assessment))
            .map_err(|e| Error::Internal(e.to_string()))?;
        if outcome(&fresh) == outcome(&current.assessment) {
            return Ok(false);
        }
        let mut list = why.iter().take(8).copied().collect::<Vec<_>>().join(", ");
        if why.len() > 8 {
            list.push_str(&format!(" and {} more", why.len() - 8));
        }
        let note = format!("re-assessed: advisories changed for {list}");
        self.assess_and_store(&owner, &submission, as_of, verified, Some(&note), None)?;
        Ok(true)
    }

    /// When the vulnerability database last changed (size and modification time of
    /// its file and write-ahead log), for watching it; `None` for the embedded set.
    pub fn vulndb_stamp(&self) -> Option<Vec<(u64, std::time::SystemTime)>> {
        let file = match &self.config.vulndb {
            Database::Dir(d) => d.join(riskmark_engine::DB_FILE),
            Database::Default => riskmark_engine::default_db_dir().join(riskmark_engine::DB_FILE),
            Database::Embedded => return None,
        };
        let mut wal = file.clone().into_os_string();
        wal.push("-wal");
        Some(
            [file, PathBuf::from(wal)]
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .filter_map(|m| Some((m.len(), m.modified().ok()?)))
                .collect(),
        )
    }

    /// The newest jobs of the queue (re-evaluations), newest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn jobs(&self, limit: u32) -> Result<Vec<JobRecord>, Error> {
        self.store.jobs(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_gone_process_of_this_machine_is_dead() {
        let me = worker_id();
        assert!(!claimant_is_dead(&me), "{me}");
        let Some(here) = machine() else {
            // Not Linux: nothing is ever taken for dead (claims end with their lease).
            assert!(!claimant_is_dead("pid1-00000000@x.y"));
            return;
        };
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(claimant_is_dead(&format!("pid{pid}-00000000@{here}")));
        // The same pid on another machine or namespace, or without a machine: alive.
        assert!(!claimant_is_dead(&format!(
            "pid{pid}-00000000@other.{here}"
        )));
        assert!(!claimant_is_dead(&format!("pid{pid}-00000000")));
        assert!(!claimant_is_dead("nonsense@"));
        // A running process (this one's parent, pid 1 of the namespace) is alive.
        assert!(!claimant_is_dead(&format!("pid1-00000000@{here}")));
    }
}
