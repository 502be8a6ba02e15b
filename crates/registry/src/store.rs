//! SQLite storage: a small pool of connections to one WAL file, versioned migrations
//! (`PRAGMA user_version`), and one transaction per write, so a crash mid-write leaves
//! the last committed state and never a half-written device.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use riskmark_vulndb::PackageKey;

use crate::{Device, DeviceSummary, Error, FeedEntry, Org, Page, Query, Role, VersionSummary};

/// The migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_attestations.sql"),
    include_str!("../migrations/0003_reevaluation.sql"),
];

/// Connections to the registry file.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

/// A pooled connection, returned on drop.
struct Conn<'a> {
    store: &'a Store,
    conn: Option<Connection>,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        // Present from checkout until drop.
        self.conn.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let (Some(c), Ok(mut idle)) = (self.conn.take(), self.store.idle.lock()) {
            idle.push(c);
        }
    }
}

fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

fn connect(path: &Path) -> Result<Connection, Error> {
    let c =
        Connection::open(path).map_err(|e| Error::Storage(format!("{}: {e}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    )?;
    Ok(c)
}

/// A device whose assessment is the stored JSON text.
pub(crate) struct RawDevice {
    pub(crate) summary: DeviceSummary,
    pub(crate) registered_by: String,
    pub(crate) assessment: String,
    pub(crate) versions: Vec<VersionSummary>,
    pub(crate) attestations: Vec<serde_json::Value>,
}

/// A device's current documents and owner.
pub(crate) struct Documents {
    pub(crate) owner: Org,
    pub(crate) profile_name: String,
    pub(crate) profile: Vec<u8>,
    pub(crate) sbom: Option<Vec<u8>>,
    pub(crate) vex: Vec<Vec<u8>>,
}

/// An attestation written with the version it makes.
pub(crate) struct NewAttestation<'a> {
    pub(crate) lab: &'a Org,
    pub(crate) base: i64,
    pub(crate) statement: &'a str,
    pub(crate) envelope: &'a str,
}

/// The new version a submission writes.
pub(crate) struct NewVersion<'a> {
    pub(crate) id: &'a str,
    pub(crate) manufacturer: &'a str,
    pub(crate) name: &'a str,
    pub(crate) model: &'a str,
    pub(crate) category: &'a str,
    pub(crate) firmware_version: Option<&'a str>,
    pub(crate) tier: &'a str,
    pub(crate) score: i64,
    pub(crate) profile_name: &'a str,
    pub(crate) profile: &'a [u8],
    pub(crate) sbom: Option<&'a [u8]>,
    pub(crate) vex: &'a [Vec<u8>],
    pub(crate) assessment: &'a str,
    pub(crate) label: &'a str,
    pub(crate) note: Option<&'a str>,
    /// The packages of its SBOM, with the database's digest of each now.
    pub(crate) packages: &'a [(PackageKey, u64)],
}

fn audit(tx: &Connection, actor: &str, action: &str, target: &str) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, target) VALUES (?1, ?2, ?3, ?4)",
        params![now(), actor, action, target],
    )?;
    Ok(())
}

/// The row id of the organization named `org`.
fn org_id(tx: &Connection, org: &str) -> Result<i64, Error> {
    tx.query_row("SELECT id FROM orgs WHERE name = ?1", [org], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("organization `{org}`")))
}

fn role(s: &str) -> Result<Role, Error> {
    Role::parse(s).ok_or_else(|| Error::Storage(format!("unknown role `{s}` in the registry")))
}

impl Store {
    /// Opens the file (creating it and its directory) and applies pending migrations.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn open(path: &Path) -> Result<Self, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Storage(format!("{}: {e}", dir.display())))?;
        }
        let mut c = connect(path)?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
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
            tx.execute_batch(m)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        }
        tx.commit()?;
        Ok(Self {
            path: path.to_path_buf(),
            idle: Mutex::new(vec![c]),
        })
    }

    fn conn(&self) -> Result<Conn<'_>, Error> {
        let pooled = self.idle.lock().ok().and_then(|mut v| v.pop());
        let conn = match pooled {
            Some(c) => c,
            None => connect(&self.path)?,
        };
        Ok(Conn {
            store: self,
            conn: Some(conn),
        })
    }

    pub(crate) fn create_org(&self, name: &str, role: Role, actor: &str) -> Result<Org, Error> {
        let mut c = self.conn()?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx
            .query_row("SELECT 1 FROM orgs WHERE name = ?1", [name], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
        if exists {
            return Err(Error::Conflict(format!(
                "an organization named `{name}` exists already"
            )));
        }
        tx.execute(
            "INSERT INTO orgs (name, role, created) VALUES (?1, ?2, ?3)",
            params![name, role.as_str(), now()],
        )?;
        let id = tx.last_insert_rowid();
        audit(&tx, actor, "org.create", &format!("{name} ({role})"))?;
        tx.commit()?;
        Ok(Org {
            id,
            name: name.to_owned(),
            role,
        })
    }

    pub(crate) fn insert_token(
        &self,
        org: &str,
        id: &str,
        hash: &str,
        actor: &str,
    ) -> Result<(), Error> {
        let mut c = self.conn()?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let org_id = org_id(&tx, org)?;
        tx.execute(
            "INSERT INTO tokens (id, org_id, hash, created) VALUES (?1, ?2, ?3, ?4)",
            params![id, org_id, hash, now()],
        )?;
        audit(&tx, actor, "token.create", &format!("{org} token {id}"))?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn revoke_token(&self, id: &str, actor: &str) -> Result<(), Error> {
        let mut c = self.conn()?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE tokens SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL",
            params![id, now()],
        )?;
        if n == 0 {
            return Err(Error::NotFound(format!("live token `{id}`")));
        }
        audit(&tx, actor, "token.revoke", id)?;
        tx.commit()?;
        Ok(())
    }

    /// The live token `id`'s organization and hash.
    pub(crate) fn token(&self, id: &str) -> Result<Option<(Org, String)>, Error> {
        let c = self.conn()?;
        let row = c
            .prepare_cached(
                "SELECT o.id, o.name, o.role, t.hash FROM tokens t JOIN orgs o ON o.id = t.org_id \
                 WHERE t.id = ?1 AND t.revoked IS NULL",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .optional()?;
        row.map(|(id, name, r, hash)| {
            Ok((
                Org {
                    id,
                    name,
                    role: role(&r)?,
                },
                hash,
            ))
        })
        .transpose()
    }

    /// Writes the next version of a device (a new device at version 1) in one
    /// transaction; returns the version number.
    pub(crate) fn insert_version(
        &self,
        org: &Org,
        v: &NewVersion<'_>,
        attestation: Option<&NewAttestation<'_>>,
    ) -> Result<i64, Error> {
        let mut c = self.conn()?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(a) = attestation {
            tx.execute(
                "INSERT INTO attestations (device_id, org_id, base, statement, envelope, created) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![v.id, a.lab.id, a.base, a.statement, a.envelope, now()],
            )?;
            audit(&tx, &a.lab.name, "device.attest", v.id)?;
        }
        let owner: Option<(i64, i64)> = tx
            .query_row(
                "SELECT org_id, current_version FROM devices WHERE id = ?1",
                [v.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let now = now();
        let version = match owner {
            Some((owner, _)) if owner != org.id => {
                return Err(Error::Forbidden(format!(
                    "device `{}` is registered by another organization",
                    v.id
                )));
            }
            Some((_, current)) => {
                tx.execute(
                    "UPDATE devices SET manufacturer = ?2, name = ?3, model = ?4, category = ?5, \
                     tier = ?6, score = ?7, current_version = ?8, updated = ?9 WHERE id = ?1",
                    params![
                        v.id,
                        v.manufacturer,
                        v.name,
                        v.model,
                        v.category,
                        v.tier,
                        v.score,
                        current + 1,
                        now
                    ],
                )?;
                current + 1
            }
            None => {
                tx.execute(
                    "INSERT INTO devices (id, org_id, manufacturer, name, model, category, tier, \
                     score, current_version, created, updated) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9)",
                    params![
                        v.id,
                        org.id,
                        v.manufacturer,
                        v.name,
                        v.model,
                        v.category,
                        v.tier,
                        v.score,
                        now
                    ],
                )?;
                1
            }
        };
        let vex = serde_json::to_string(
            &v.vex
                .iter()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect::<Vec<_>>(),
        )
        .map_err(|e| Error::Internal(e.to_string()))?;
        tx.execute(
            "INSERT INTO device_versions (device_id, version, firmware_version, profile_name, \
             profile, sbom, vex, tier, score, assessment, label, created, note) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                v.id,
                version,
                v.firmware_version,
                v.profile_name,
                v.profile,
                v.sbom,
                vex,
                v.tier,
                v.score,
                v.assessment,
                v.label,
                now,
                v.note
            ],
        )?;
        tx.execute("DELETE FROM device_packages WHERE device_id = ?1", [v.id])?;
        for (k, digest) in v.packages {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO device_packages (device_id, ecosystem, name) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![v.id, k.ecosystem, k.name])?;
            // A digest already kept stays: the devices assessed before still need the
            // change it may hide.
            tx.prepare_cached(
                "INSERT OR IGNORE INTO package_digests (ecosystem, name, digest) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![k.ecosystem, k.name, i64::from_ne_bytes(digest.to_ne_bytes())])?;
        }
        audit(
            &tx,
            &org.name,
            if v.note.is_some() {
                "device.reassess"
            } else {
                "device.submit"
            },
            &format!("{} version {version}", v.id),
        )?;
        tx.commit()?;
        Ok(version)
    }

    fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceSummary> {
        Ok(DeviceSummary {
            id: r.get(0)?,
            manufacturer: r.get(1)?,
            name: r.get(2)?,
            model: r.get(3)?,
            category: r.get(4)?,
            tier: r.get(5)?,
            score: r.get(6)?,
            version: r.get(7)?,
            updated: r.get(8)?,
        })
    }

    /// A device with its current assessment as stored (JSON text).
    pub(crate) fn device_raw(&self, id: &str) -> Result<Option<RawDevice>, Error> {
        let c = self.conn()?;
        let row = c
            .prepare_cached(
                "SELECT d.id, d.manufacturer, d.name, d.model, d.category, d.tier, d.score, \
                 d.current_version, d.updated, o.name, v.assessment \
                 FROM devices d JOIN orgs o ON o.id = d.org_id \
                 JOIN device_versions v ON v.device_id = d.id AND v.version = d.current_version \
                 WHERE d.id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    Self::summary(r)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, String>(10)?,
                ))
            })
            .optional()?;
        let Some((summary, registered_by, assessment)) = row else {
            return Ok(None);
        };
        let versions = c
            .prepare_cached(
                "SELECT version, firmware_version, tier, score, created, note FROM device_versions \
                 WHERE device_id = ?1 ORDER BY version DESC",
            )?
            .query_map([id], |r| {
                Ok(VersionSummary {
                    version: r.get(0)?,
                    firmware_version: r.get(1)?,
                    tier: r.get(2)?,
                    score: r.get(3)?,
                    created: r.get(4)?,
                    note: r.get(5)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(RawDevice {
            summary,
            registered_by,
            assessment,
            versions,
            attestations: self.attestations(id)?,
        }))
    }

    pub(crate) fn device(&self, id: &str) -> Result<Option<Device>, Error> {
        let Some(d) = self.device_raw(id)? else {
            return Ok(None);
        };
        Ok(Some(Device {
            summary: d.summary,
            registered_by: d.registered_by,
            assessment: serde_json::from_str(&d.assessment)
                .map_err(|e| Error::Storage(format!("stored assessment of {id}: {e}")))?,
            versions: d.versions,
            attestations: d.attestations,
        }))
    }

    /// The current version and when the device last changed: one index probe.
    pub(crate) fn current(&self, id: &str) -> Result<Option<(i64, String)>, Error> {
        let c = self.conn()?;
        Ok(
            c.prepare_cached("SELECT current_version, updated FROM devices WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
        )
    }

    pub(crate) fn label(&self, id: &str) -> Result<Option<String>, Error> {
        let c = self.conn()?;
        Ok(c.prepare_cached(
            "SELECT v.label FROM devices d JOIN device_versions v \
             ON v.device_id = d.id AND v.version = d.current_version WHERE d.id = ?1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?)
    }

    pub(crate) fn add_key(
        &self,
        org: &str,
        key_id: &str,
        pem: &str,
        actor: &str,
    ) -> Result<(), Error> {
        let mut c = self.conn()?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let org_id = org_id(&tx, org)?;
        let exists: bool = tx
            .query_row("SELECT 1 FROM org_keys WHERE key_id = ?1", [key_id], |_| {
                Ok(true)
            })
            .optional()?
            .unwrap_or(false);
        if exists {
            return Err(Error::Conflict(format!(
                "key {key_id} is registered already"
            )));
        }
        tx.execute(
            "INSERT INTO org_keys (key_id, org_id, pem, created) VALUES (?1, ?2, ?3, ?4)",
            params![key_id, org_id, pem, now()],
        )?;
        audit(&tx, actor, "key.add", &format!("{org} key {key_id}"))?;
        tx.commit()?;
        Ok(())
    }

    /// The PEM public keys registered for an organization.
    pub(crate) fn keys(&self, org_id: i64) -> Result<Vec<String>, Error> {
        let c = self.conn()?;
        let keys = c
            .prepare_cached("SELECT pem FROM org_keys WHERE org_id = ?1 ORDER BY key_id")?
            .query_map([org_id], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(keys)
    }

    /// The current version's documents and the device's owner.
    pub(crate) fn documents(&self, id: &str) -> Result<Option<Documents>, Error> {
        let c = self.conn()?;
        let row = c
            .prepare_cached(
                "SELECT o.id, o.name, o.role, v.profile_name, v.profile, v.sbom, v.vex \
                 FROM devices d JOIN orgs o ON o.id = d.org_id JOIN device_versions v \
                 ON v.device_id = d.id AND v.version = d.current_version WHERE d.id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Vec<u8>>(4)?,
                    r.get::<_, Option<Vec<u8>>>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .optional()?;
        let Some((org_id, org_name, r, profile_name, profile, sbom, vex)) = row else {
            return Ok(None);
        };
        let vex: Vec<String> = serde_json::from_str(&vex)
            .map_err(|e| Error::Storage(format!("stored VEX of {id}: {e}")))?;
        Ok(Some(Documents {
            owner: Org {
                id: org_id,
                name: org_name,
                role: role(&r)?,
            },
            profile_name,
            profile,
            sbom,
            vex: vex.into_iter().map(String::into_bytes).collect(),
        }))
    }

    /// The version of the manufacturer's latest submission (versions a re-assessment
    /// made carry a note).
    pub(crate) fn base_version(&self, id: &str) -> Result<i64, Error> {
        let c = self.conn()?;
        Ok(c.prepare_cached(
            "SELECT coalesce(max(version), 0) FROM device_versions \
             WHERE device_id = ?1 AND note IS NULL",
        )?
        .query_row([id], |r| r.get(0))?)
    }

    /// The statements (JSON) of the attestations about submission `base`, with the lab.
    pub(crate) fn statements(&self, id: &str, base: i64) -> Result<Vec<(String, String)>, Error> {
        let c = self.conn()?;
        let rows = c
            .prepare_cached(
                "SELECT o.name, a.statement FROM attestations a JOIN orgs o ON o.id = a.org_id \
                 WHERE a.device_id = ?1 AND a.base = ?2 ORDER BY a.id",
            )?
            .query_map(params![id, base], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The device's attestations (statements as JSON, with who and when), oldest first.
    pub(crate) fn attestations(&self, id: &str) -> Result<Vec<serde_json::Value>, Error> {
        let c = self.conn()?;
        let rows = c
            .prepare_cached(
                "SELECT o.name, a.statement, a.created FROM attestations a \
                 JOIN orgs o ON o.id = a.org_id WHERE a.device_id = ?1 ORDER BY a.id",
            )?
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(lab, statement, created)| {
                let s: serde_json::Value = serde_json::from_str(&statement)
                    .map_err(|e| Error::Storage(format!("stored attestation of {id}: {e}")))?;
                Ok(serde_json::json!({
                    "lab": lab,
                    "date": s["date"],
                    "checks": s["checks"],
                    "received": created,
                }))
            })
            .collect()
    }

    /// Every package whose digest is kept, with it.
    pub(crate) fn package_digests(&self) -> Result<Vec<(PackageKey, u64)>, Error> {
        let c = self.conn()?;
        let rows = c
            .prepare_cached("SELECT ecosystem, name, digest FROM package_digests")?
            .query_map([], |r| {
                Ok((
                    PackageKey {
                        ecosystem: r.get(0)?,
                        name: r.get(1)?,
                    },
                    u64::from_ne_bytes(r.get::<_, i64>(2)?.to_ne_bytes()),
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub(crate) fn set_digests(&self, digests: &[(PackageKey, u64)]) -> Result<(), Error> {
        let mut c = self.conn()?;
        let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (k, d) in digests {
            tx.prepare_cached(
                "UPDATE package_digests SET digest = ?3 WHERE ecosystem = ?1 AND name = ?2",
            )?
            .execute(params![
                k.ecosystem,
                k.name,
                i64::from_ne_bytes(d.to_ne_bytes())
            ])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The devices whose current version contains any of `keys` (an index probe each).
    pub(crate) fn affected_devices(&self, keys: &[PackageKey]) -> Result<Vec<String>, Error> {
        let c = self.conn()?;
        let mut stmt = c.prepare_cached(
            "SELECT device_id FROM device_packages WHERE ecosystem = ?1 AND name = ?2",
        )?;
        let mut ids = std::collections::BTreeSet::new();
        for k in keys {
            for id in stmt.query_map(params![k.ecosystem, k.name], |r| r.get::<_, String>(0))? {
                ids.insert(id?);
            }
        }
        Ok(ids.into_iter().collect())
    }

    /// The packages of a device's current version.
    pub(crate) fn device_packages(&self, id: &str) -> Result<Vec<PackageKey>, Error> {
        let c = self.conn()?;
        let rows = c
            .prepare_cached("SELECT ecosystem, name FROM device_packages WHERE device_id = ?1")?
            .query_map([id], |r| {
                Ok(PackageKey {
                    ecosystem: r.get(0)?,
                    name: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The newest versions (of one device, or of all), newest first.
    pub(crate) fn feed(&self, device: Option<&str>, limit: u32) -> Result<Vec<FeedEntry>, Error> {
        let c = self.conn()?;
        let rows = c
            .prepare_cached(
                "SELECT v.device_id, d.name, d.manufacturer, v.version, v.firmware_version, v.tier, \
                 v.score, v.note, v.created FROM device_versions v JOIN devices d ON d.id = v.device_id \
                 WHERE ?1 IS NULL OR v.device_id = ?1 ORDER BY v.created DESC, v.version DESC LIMIT ?2",
            )?
            .query_map(params![device, limit], |r| {
                Ok(FeedEntry {
                    device_id: r.get(0)?,
                    name: r.get(1)?,
                    manufacturer: r.get(2)?,
                    version: r.get(3)?,
                    firmware_version: r.get(4)?,
                    tier: r.get(5)?,
                    score: r.get(6)?,
                    note: r.get(7)?,
                    created: r.get(8)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub(crate) fn search(&self, q: &Query) -> Result<Page, Error> {
        let c = self.conn()?;
        let per_page = q.per_page.clamp(1, 100);
        let page = q.page.max(1);
        let like =
            q.q.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    let escaped = s
                        .to_lowercase()
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_");
                    format!("%{escaped}%")
                });
        let nonempty = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let (category, tier, manufacturer) = (
            nonempty(&q.category),
            nonempty(&q.tier),
            nonempty(&q.manufacturer),
        );
        let filter = "(?1 IS NULL OR lower(manufacturer || ' ' || name || ' ' || model || ' ' || id) \
                      LIKE ?1 ESCAPE '\\') AND (?2 IS NULL OR category = ?2) \
                      AND (?3 IS NULL OR tier = ?3) AND (?4 IS NULL OR manufacturer = ?4 COLLATE NOCASE)";
        let args = params![like, category, tier, manufacturer];
        let total: i64 = c
            .prepare_cached(&format!("SELECT count(*) FROM devices WHERE {filter}"))?
            .query_row(args, |r| r.get(0))?;
        let devices = c
            .prepare_cached(&format!(
                "SELECT id, manufacturer, name, model, category, tier, score, current_version, \
                 updated FROM devices WHERE {filter} ORDER BY manufacturer, name, id \
                 LIMIT ?5 OFFSET ?6"
            ))?
            .query_map(
                params![
                    like,
                    category,
                    tier,
                    manufacturer,
                    per_page,
                    i64::from(page - 1) * i64::from(per_page)
                ],
                Self::summary,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            devices,
            total,
            page,
            per_page,
        })
    }
}
