//! The registry's storage: the same queries on SQLite (the embedded default, one WAL
//! file) and PostgreSQL (where servers scale out), through versioned migrations, with
//! one transaction per write, so a crash mid-write leaves the last committed state and
//! never a half-written device. Background work is a job queue any server may claim
//! from (`FOR UPDATE SKIP LOCKED` on PostgreSQL).

mod codec;
mod jobs;
mod location;
mod pool;
mod postgres;
pub(crate) mod sql;
mod sqlite;
mod versions;

use crate::{Device, DeviceSummary, Error, FeedEntry, Org, Page, Query, Role, VersionSummary};
use codec::{insert_many, pack, package_set, sha256_hex, unpack, unpack_text};
pub use location::Location;
use pool::Pool;
use sql::{Conn, Fail, Row, args};
pub(crate) use versions::{NewAttestation, NewVersion};

/// Connections to the registry's database.
#[derive(Debug)]
pub struct Store {
    pool: Pool,
}

/// How many times a write transaction that met a concurrent one is tried.
const ATTEMPTS: u32 = 6;

fn now() -> String {
    stamp(jiff::Timestamp::now())
}

fn stamp(t: jiff::Timestamp) -> String {
    t.round(jiff::Unit::Second)
        .map_or_else(|_| t.to_string(), |t| t.to_string())
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

impl Documents {
    /// The owner, and the stored documents as a submission to assess again (without
    /// the firmware image: what its analysis decided is stored with the version).
    pub(crate) fn into_submission(self) -> (Org, crate::Submission) {
        let submission = crate::Submission {
            profile_name: self.profile_name,
            profile: self.profile,
            sbom: self.sbom,
            vex: self.vex,
            firmware: None,
        };
        (self.owner, submission)
    }
}

fn audit(tx: &mut dyn Conn, actor: &str, action: &str, target: &str) -> Result<(), Fail> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, target) VALUES ($1, $2, $3, $4)",
        args![now().as_str(), actor, action, target],
    )?;
    Ok(())
}

/// The row id of the organization named `org`.
fn org_id(tx: &mut dyn Conn, org: &str) -> Result<i64, Fail> {
    tx.query_opt("SELECT id FROM orgs WHERE name = $1", args![org])?
        .ok_or_else(|| Fail::Error(Error::NotFound(format!("organization `{org}`"))))?
        .int(0)
}

fn role(s: &str) -> Result<Role, Fail> {
    Role::parse(s).ok_or_else(|| {
        Fail::Error(Error::Storage(format!(
            "unknown role `{s}` in the registry"
        )))
    })
}

fn digest_in(d: u64) -> i64 {
    i64::from_ne_bytes(d.to_ne_bytes())
}

fn digest_out(d: i64) -> u64 {
    u64::from_ne_bytes(d.to_ne_bytes())
}

fn summary(r: &mut Row) -> Result<DeviceSummary, Fail> {
    Ok(DeviceSummary {
        id: r.text(0)?,
        manufacturer: r.text(1)?,
        name: r.text(2)?,
        model: r.text(3)?,
        category: r.text(4)?,
        tier: r.text(5)?,
        score: r.int(6)?,
        version: r.int(7)?,
        updated: r.text(8)?,
    })
}

const SUMMARY: &str = "d.id, d.manufacturer, d.name, d.model, d.category, d.tier, d.score, \
                       d.current_version, d.updated";

impl Store {
    /// Opens the database (creating a SQLite file and its directory when missing) and
    /// applies pending migrations.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn open(location: &Location) -> Result<Self, Error> {
        let pool = match location {
            Location::Sqlite(path) => {
                let first = sqlite::Sqlite::open(path)?;
                let path = path.clone();
                Pool::new(Box::new(first), 64, move || {
                    Ok(Box::new(sqlite::Sqlite::connect(&path)?) as Box<dyn Conn>)
                })
            }
            Location::Postgres(url) => {
                let first = postgres::Postgres::open(url)?;
                let url = url.clone();
                Pool::new(Box::new(first), 16, move || {
                    Ok(Box::new(postgres::Postgres::connect(&url)?) as Box<dyn Conn>)
                })
            }
        };
        Ok(Self { pool })
    }

    /// Runs reads on one connection, outside a transaction.
    fn read<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, Fail>) -> Result<T, Error> {
        let mut c = self.pool.get()?;
        f(c.conn()).map_err(Error::from)
    }

    /// Runs `f` in one write transaction, all or nothing; a transaction that met a
    /// concurrent one (a key taken meanwhile, a busy file) is rolled back and tried again.
    fn write<T>(&self, mut f: impl FnMut(&mut dyn Conn) -> Result<T, Fail>) -> Result<T, Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut pooled = self.pool.get()?;
            let c = pooled.conn();
            let result = c.begin().and_then(|()| {
                let v = f(&mut *c)?;
                c.commit()?;
                Ok(v)
            });
            match result {
                Ok(v) => return Ok(v),
                Err(Fail::Retry(m)) if attempt < ATTEMPTS => {
                    c.rollback();
                    drop(pooled);
                    let _ = m;
                    std::thread::sleep(std::time::Duration::from_millis(
                        5 * u64::from(attempt * attempt),
                    ));
                }
                Err(e) => {
                    c.rollback();
                    return Err(e.into());
                }
            }
        }
    }

    pub(crate) fn create_org(&self, name: &str, role: Role, actor: &str) -> Result<Org, Error> {
        self.write(|tx| {
            if tx
                .query_opt("SELECT 1 FROM orgs WHERE name = $1", args![name])?
                .is_some()
            {
                return Err(Fail::Error(Error::Conflict(format!(
                    "an organization named `{name}` exists already"
                ))));
            }
            let id = tx
                .query_one(
                    "INSERT INTO orgs (name, role, created) VALUES ($1, $2, $3) RETURNING id",
                    args![name, role.as_str(), now().as_str()],
                )?
                .int(0)?;
            audit(tx, actor, "org.create", &format!("{name} ({role})"))?;
            Ok(Org {
                id,
                name: name.to_owned(),
                role,
            })
        })
    }

    pub(crate) fn insert_token(
        &self,
        org: &str,
        id: &str,
        hash: &str,
        actor: &str,
    ) -> Result<(), Error> {
        self.write(|tx| {
            let org_id = org_id(tx, org)?;
            tx.execute(
                "INSERT INTO tokens (id, org_id, hash, created) VALUES ($1, $2, $3, $4)",
                args![id, org_id, hash, now().as_str()],
            )?;
            audit(tx, actor, "token.create", &format!("{org} token {id}"))
        })
    }

    pub(crate) fn revoke_token(&self, id: &str, actor: &str) -> Result<(), Error> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE tokens SET revoked = $2 WHERE id = $1 AND revoked IS NULL",
                args![id, now().as_str()],
            )?;
            if n == 0 {
                return Err(Fail::Error(Error::NotFound(format!("live token `{id}`"))));
            }
            audit(tx, actor, "token.revoke", id)
        })
    }

    /// The live token `id`'s organization and hash.
    pub(crate) fn token(&self, id: &str) -> Result<Option<(Org, String)>, Error> {
        self.read(|c| {
            let Some(mut r) = c.query_opt(
                "SELECT o.id, o.name, o.role, t.hash FROM tokens t JOIN orgs o ON o.id = t.org_id \
                 WHERE t.id = $1 AND t.revoked IS NULL",
                args![id],
            )?
            else {
                return Ok(None);
            };
            let org = Org {
                id: r.int(0)?,
                name: r.text(1)?,
                role: role(&r.text(2)?)?,
            };
            Ok(Some((org, r.text(3)?)))
        })
    }

    /// A device with its current assessment as stored (JSON text).
    pub(crate) fn device_raw(&self, id: &str) -> Result<Option<RawDevice>, Error> {
        let found = self.read(|c| {
            let Some(mut r) = c.query_opt(
                &format!(
                    "SELECT {SUMMARY}, o.name, v.assessment, v.assessment_zstd \
                     FROM devices d JOIN orgs o ON o.id = d.org_id \
                     JOIN device_versions v ON v.device_id = d.id \
                     AND v.version = d.current_version WHERE d.id = $1"
                ),
                args![id],
            )?
            else {
                return Ok(None);
            };
            let summary = summary(&mut r)?;
            let registered_by = r.text(9)?;
            let assessment = match r.opt_blob(11)? {
                Some(z) => unpack_text(&z)?,
                None => r.text(10)?,
            };
            let versions = c
                .query(
                    "SELECT version, firmware_version, tier, score, created, note \
                     FROM device_versions WHERE device_id = $1 ORDER BY version DESC",
                    args![id],
                )?
                .into_iter()
                .map(|mut r| {
                    Ok(VersionSummary {
                        version: r.int(0)?,
                        firmware_version: r.opt_text(1)?,
                        tier: r.text(2)?,
                        score: r.int(3)?,
                        created: r.text(4)?,
                        note: r.opt_text(5)?,
                    })
                })
                .collect::<Result<Vec<_>, Fail>>()?;
            Ok(Some((summary, registered_by, assessment, versions)))
        })?;
        let Some((summary, registered_by, assessment, versions)) = found else {
            return Ok(None);
        };
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
        self.read(|c| {
            c.query_opt(
                "SELECT current_version, updated FROM devices WHERE id = $1",
                args![id],
            )?
            .map(|mut r| Ok((r.int(0)?, r.text(1)?)))
            .transpose()
        })
    }

    pub(crate) fn label(&self, id: &str) -> Result<Option<String>, Error> {
        self.read(|c| {
            c.query_opt(
                "SELECT v.label FROM devices d JOIN device_versions v \
                 ON v.device_id = d.id AND v.version = d.current_version WHERE d.id = $1",
                args![id],
            )?
            .map(|mut r| r.text(0))
            .transpose()
        })
    }

    pub(crate) fn add_key(
        &self,
        org: &str,
        key_id: &str,
        pem: &str,
        actor: &str,
    ) -> Result<(), Error> {
        self.write(|tx| {
            let org_id = org_id(tx, org)?;
            if tx
                .query_opt("SELECT 1 FROM org_keys WHERE key_id = $1", args![key_id])?
                .is_some()
            {
                return Err(Fail::Error(Error::Conflict(format!(
                    "key {key_id} is registered already"
                ))));
            }
            tx.execute(
                "INSERT INTO org_keys (key_id, org_id, pem, created) VALUES ($1, $2, $3, $4)",
                args![key_id, org_id, pem, now().as_str()],
            )?;
            audit(tx, actor, "key.add", &format!("{org} key {key_id}"))
        })
    }

    /// The PEM public keys registered for an organization.
    pub(crate) fn keys(&self, org_id: i64) -> Result<Vec<String>, Error> {
        self.read(|c| {
            c.query(
                "SELECT pem FROM org_keys WHERE org_id = $1 ORDER BY key_id",
                args![org_id],
            )?
            .into_iter()
            .map(|mut r| r.text(0))
            .collect()
        })
    }

    /// The current version's documents and the device's owner.
    pub(crate) fn documents(&self, id: &str) -> Result<Option<Documents>, Error> {
        let row = self.read(|c| {
            c.query_opt(
                "SELECT o.id, o.name, o.role, v.profile_name, v.profile, \
                 coalesce(b.data, v.sbom), b.codec, v.vex \
                 FROM devices d JOIN orgs o ON o.id = d.org_id JOIN device_versions v \
                 ON v.device_id = d.id AND v.version = d.current_version \
                 LEFT JOIN blobs b ON b.sha256 = v.sbom_sha256 WHERE d.id = $1",
                args![id],
            )?
            .map(|mut r| {
                Ok((
                    Org {
                        id: r.int(0)?,
                        name: r.text(1)?,
                        role: role(&r.text(2)?)?,
                    },
                    r.text(3)?,
                    r.blob(4)?,
                    match (r.opt_blob(5)?, r.opt_text(6)?) {
                        (Some(z), Some(codec)) if codec == "zstd" => Some(unpack(&z)?),
                        (data, _) => data,
                    },
                    r.text(7)?,
                ))
            })
            .transpose()
        })?;
        let Some((owner, profile_name, profile, sbom, vex)) = row else {
            return Ok(None);
        };
        let vex: Vec<String> = serde_json::from_str(&vex)
            .map_err(|e| Error::Storage(format!("stored VEX of {id}: {e}")))?;
        Ok(Some(Documents {
            owner,
            profile_name,
            profile,
            sbom,
            vex: vex.into_iter().map(String::into_bytes).collect(),
        }))
    }

    /// The version of the manufacturer's latest submission (versions a re-assessment
    /// made carry a note).
    pub(crate) fn base_version(&self, id: &str) -> Result<i64, Error> {
        self.read(|c| {
            c.query_one(
                "SELECT coalesce(max(version), 0) FROM device_versions \
                 WHERE device_id = $1 AND note IS NULL",
                args![id],
            )?
            .int(0)
        })
    }

    /// The statements (JSON) of the attestations about submission `base`, with the lab.
    pub(crate) fn statements(&self, id: &str, base: i64) -> Result<Vec<(String, String)>, Error> {
        self.read(|c| {
            c.query(
                "SELECT o.name, a.statement FROM attestations a JOIN orgs o ON o.id = a.org_id \
                 WHERE a.device_id = $1 AND a.base = $2 ORDER BY a.id",
                args![id, base],
            )?
            .into_iter()
            .map(|mut r| Ok((r.text(0)?, r.text(1)?)))
            .collect()
        })
    }

    /// The device's attestations (statements as JSON, with who and when), oldest first.
    pub(crate) fn attestations(&self, id: &str) -> Result<Vec<serde_json::Value>, Error> {
        let rows = self.read(|c| {
            c.query(
                "SELECT o.name, a.statement, a.created FROM attestations a \
                 JOIN orgs o ON o.id = a.org_id WHERE a.device_id = $1 ORDER BY a.id",
                args![id],
            )?
            .into_iter()
            .map(|mut r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)))
            .collect::<Result<Vec<_>, Fail>>()
        })?;
        rows.into_iter()
            .map(|(lab, statement, created)| {
                let s: serde_json::Value = serde_json::from_str(&statement)
                    .map_err(|e| Error::Storage(format!("stored attestation of {id}: {e}")))?;
                // The statement's author: the lab (equal to the row's organization when a
                // lab attested), or the registry's own analysis of a submitted image.
                let by = s["lab"].as_str().map_or(lab, str::to_owned);
                Ok(serde_json::json!({
                    "lab": by,
                    "date": s["date"],
                    "checks": s["checks"],
                    "received": created,
                }))
            })
            .collect()
    }

    /// The newest versions (of one device, or of all), newest first.
    pub(crate) fn feed(&self, device: Option<&str>, limit: u32) -> Result<Vec<FeedEntry>, Error> {
        self.read(|c| {
            c.query(
                "SELECT v.device_id, d.name, d.manufacturer, v.version, v.firmware_version, \
                 v.tier, v.score, v.note, v.created FROM device_versions v \
                 JOIN devices d ON d.id = v.device_id \
                 WHERE CAST($1 AS TEXT) IS NULL OR v.device_id = $1 \
                 ORDER BY v.created DESC, v.version DESC LIMIT $2",
                args![device, i64::from(limit)],
            )?
            .into_iter()
            .map(|mut r| {
                Ok(FeedEntry {
                    device_id: r.text(0)?,
                    name: r.text(1)?,
                    manufacturer: r.text(2)?,
                    version: r.int(3)?,
                    firmware_version: r.opt_text(4)?,
                    tier: r.text(5)?,
                    score: r.int(6)?,
                    note: r.opt_text(7)?,
                    created: r.text(8)?,
                })
            })
            .collect()
        })
    }

    pub(crate) fn search(&self, q: &Query) -> Result<Page, Error> {
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
        let filter = "(CAST($1 AS TEXT) IS NULL \
                      OR lower(d.manufacturer || ' ' || d.name || ' ' || d.model || ' ' || d.id) \
                      LIKE $1 ESCAPE '\\') AND (CAST($2 AS TEXT) IS NULL OR d.category = $2) \
                      AND (CAST($3 AS TEXT) IS NULL OR d.tier = $3) \
                      AND (CAST($4 AS TEXT) IS NULL OR lower(d.manufacturer) = lower($4))";
        let (total, devices) = self.read(|c| {
            let filters = args![
                like.as_deref(),
                category.as_deref(),
                tier.as_deref(),
                manufacturer.as_deref()
            ];
            let total = c
                .query_one(
                    &format!("SELECT count(*) FROM devices d WHERE {filter}"),
                    filters,
                )?
                .int(0)?;
            let devices = c
                .query(
                    &format!(
                        "SELECT {SUMMARY} FROM devices d WHERE {filter} \
                         ORDER BY d.manufacturer, d.name, d.id LIMIT $5 OFFSET $6"
                    ),
                    args![
                        like.as_deref(),
                        category.as_deref(),
                        tier.as_deref(),
                        manufacturer.as_deref(),
                        i64::from(per_page),
                        i64::from(page - 1) * i64::from(per_page)
                    ],
                )?
                .into_iter()
                .map(|mut r| summary(&mut r))
                .collect::<Result<Vec<_>, Fail>>()?;
            Ok((total, devices))
        })?;
        Ok(Page {
            devices,
            total,
            page,
            per_page,
        })
    }
}
