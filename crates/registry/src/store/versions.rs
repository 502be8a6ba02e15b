//! A submission's write: the device's next version with its documents, package set
//! and digests (and the attestation that made it, if any), in one transaction.

use riskmark_vulndb::PackageKey;

use super::sql::{Arg, Fail, args};
use super::{Store, audit, digest_in, insert_many, now, pack, package_set, sha256_hex};
use crate::{Error, Org};

/// An attestation written with the version it makes.
pub(crate) struct NewAttestation<'a> {
    pub(crate) lab: &'a Org,
    /// The submission version it is about; 0 for the version being written.
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

impl Store {
    /// Writes the next version of a device (a new device at version 1) in one
    /// transaction; returns the version number.
    pub(crate) fn insert_version(
        &self,
        org: &Org,
        v: &NewVersion<'_>,
        attestation: Option<&NewAttestation<'_>>,
    ) -> Result<i64, Error> {
        let vex = serde_json::to_string(
            &v.vex
                .iter()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect::<Vec<_>>(),
        )
        .map_err(|e| Error::Internal(e.to_string()))?;
        // Compressed and hashed before the transaction: the write lock is held briefly.
        let assessment = pack(v.assessment.as_bytes())?;
        let sbom = v
            .sbom
            .map(|b| Ok::<_, Error>((sha256_hex(b), pack(b)?, b.len())))
            .transpose()?;
        let set = package_set(v.packages);
        self.write(|tx| {
            let now = now();
            let now = now.as_str();
            if let Some((hash, data, size)) = &sbom {
                tx.execute(
                    "INSERT INTO blobs (sha256, codec, size, data) VALUES ($1, 'zstd', $2, $3) \
                     ON CONFLICT DO NOTHING",
                    args![
                        hash,
                        i64::try_from(*size).unwrap_or(i64::MAX),
                        data.as_slice()
                    ],
                )?;
            }
            let owner = tx
                .query_opt(
                    "SELECT org_id, current_version FROM devices WHERE id = $1 FOR UPDATE",
                    args![v.id],
                )?
                .map(|r| Ok::<_, Fail>((r.int(0)?, r.int(1)?)))
                .transpose()?;
            let version = match owner {
                Some((owner, _)) if owner != org.id => {
                    return Err(Fail::Error(Error::Forbidden(format!(
                        "device `{}` is registered by another organization",
                        v.id
                    ))));
                }
                Some((_, current)) => {
                    tx.execute(
                        "UPDATE devices SET manufacturer = $2, name = $3, model = $4, \
                         category = $5, tier = $6, score = $7, current_version = $8, \
                         updated = $9 WHERE id = $1",
                        args![
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
                        "INSERT INTO devices (id, org_id, manufacturer, name, model, category, \
                         tier, score, current_version, created, updated) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
                        args![
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
            if let Some(a) = attestation {
                // Base 0: the statement is about the version written now (the registry's
                // own analysis of a submitted firmware image).
                let base = if a.base == 0 { version } else { a.base };
                tx.execute(
                    "INSERT INTO attestations (device_id, org_id, base, statement, envelope, \
                     created) VALUES ($1, $2, $3, $4, $5, $6)",
                    args![v.id, a.lab.id, base, a.statement, a.envelope, now],
                )?;
                let action = if a.base == 0 {
                    "device.firmware"
                } else {
                    "device.attest"
                };
                audit(tx, &a.lab.name, action, v.id)?;
            }
            tx.execute(
                "INSERT INTO device_versions (device_id, version, firmware_version, \
                 profile_name, profile, sbom_sha256, vex, tier, score, assessment, \
                 assessment_zstd, label, created, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $12, $13)",
                args![
                    v.id,
                    version,
                    v.firmware_version,
                    v.profile_name,
                    v.profile,
                    sbom.as_ref().map(|(h, _, _)| h.as_str()),
                    vex.as_str(),
                    v.tier,
                    v.score,
                    assessment.as_slice(),
                    v.label,
                    now,
                    v.note
                ],
            )?;
            // The device's packages: a set shared by every device with the same ones.
            if let Some(set) = &set
                && tx
                    .query_opt(
                        "SELECT 1 FROM package_sets WHERE set_id = $1 LIMIT 1",
                        args![set],
                    )?
                    .is_none()
            {
                let rows: Vec<[Arg<'_>; 3]> = v
                    .packages
                    .iter()
                    .map(|(k, _)| {
                        [
                            Arg::from(set.as_str()),
                            Arg::from(k.ecosystem.as_str()),
                            Arg::from(k.name.as_str()),
                        ]
                    })
                    .collect();
                insert_many(tx, "package_sets (set_id, ecosystem, name)", &rows)?;
            }
            tx.execute(
                "UPDATE devices SET package_set = $2 WHERE id = $1",
                args![v.id, set.as_deref()],
            )?;
            // A digest already kept stays: the devices assessed before still need the
            // change it may hide.
            let rows: Vec<[Arg<'_>; 3]> = v
                .packages
                .iter()
                .map(|(k, digest)| {
                    [
                        Arg::from(k.ecosystem.as_str()),
                        Arg::from(k.name.as_str()),
                        Arg::from(digest_in(*digest)),
                    ]
                })
                .collect();
            insert_many(tx, "package_digests (ecosystem, name, digest)", &rows)?;
            audit(
                tx,
                &org.name,
                if v.note.is_some() {
                    "device.reassess"
                } else {
                    "device.submit"
                },
                &format!("{} version {version}", v.id),
            )?;
            Ok(version)
        })
    }
}
