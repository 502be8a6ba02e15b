//! The registry: where a label's QR code leads. Manufacturers submit devices (a profile,
//! optionally an SBOM and VEX); each submission runs the one engine
//! ([`riskmark_engine::evaluate`]) and is kept as a version with its assessment and
//! label, so history never changes. Organizations have a role (manufacturer or lab) and
//! API tokens (argon2id hashes; the secret is shown once). Every write is audited.
//!
//! Storage is SQLite (WAL, one file; the embedded default) or PostgreSQL (several
//! servers over one database), with the same queries through versioned migrations.
//! Background work (re-evaluation) is a queue of jobs any server may claim. The library
//! never prints; the HTTP layer is the `riskmark-server` crate.

#![warn(missing_docs)]

mod attest;
mod error;
mod reevaluate;
mod store;
pub mod token;
mod types;

use std::fmt;

use riskmark_engine::{Database, Document, Inputs};
use serde::Serialize;
use serde_json::Value;

pub use error::{Error, Problem};
pub use reevaluate::{JobRecord, Reevaluation, worker_id};
pub use store::{Location, Store};
pub use types::{
    Device, DeviceSummary, FeedEntry, Page, Query, Submission, Submitted, VersionSummary,
};

/// What an organization does in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Submits its own devices.
    Manufacturer,
    /// Attests what it verified on others' devices.
    Lab,
}

impl Role {
    /// `manufacturer` or `lab`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Manufacturer => "manufacturer",
            Self::Lab => "lab",
        }
    }

    /// Parses `manufacturer` or `lab`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "manufacturer" => Some(Self::Manufacturer),
            "lab" => Some(Self::Lab),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An organization, as a token authenticates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Org {
    /// Row id.
    #[serde(skip)]
    pub id: i64,
    /// Its unique name.
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// How the registry assesses and links.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the registry is kept: a SQLite file or a PostgreSQL database.
    pub database: Location,
    /// The vulnerability database submissions are scanned against.
    pub vulndb: Database,
    /// The public base URL, without a trailing slash (`https://registry.example`).
    pub public_url: String,
    /// The registry's Ed25519 key: labels are signed with it (`riskmark verify` checks
    /// them with its public key).
    pub sign_key: Option<riskmark_label::sign::PrivateKey>,
}

/// The registry: storage plus the rules of who may write what.
#[derive(Debug)]
pub struct Registry {
    store: Store,
    config: Config,
}

impl Registry {
    /// Opens (creating and migrating when needed) the registry database.
    ///
    /// # Errors
    /// [`Error::Storage`] when it cannot be opened or migrated.
    pub fn open(config: Config) -> Result<Self, Error> {
        Ok(Self {
            store: Store::open(&config.database)?,
            config,
        })
    }

    /// Where the registry is kept.
    pub fn location(&self) -> &Location {
        &self.config.database
    }

    /// The public base URL.
    pub fn public_url(&self) -> &str {
        &self.config.public_url
    }

    /// The public page of a device.
    pub fn device_url(&self, id: &str) -> String {
        format!("{}/d/{id}", self.config.public_url)
    }

    /// Creates an organization.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the name is taken; [`Error::Invalid`] for an empty name.
    pub fn create_org(&self, name: &str, role: Role, actor: &str) -> Result<Org, Error> {
        let name = name.trim();
        if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
            return Err(Error::invalid(
                "",
                Some("name"),
                "an organization name is 1-200 printable characters",
            ));
        }
        self.store.create_org(name, role, actor)
    }

    /// Creates a token for an organization; returns the token text (shown once).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown organization.
    pub fn create_token(&self, org: &str, actor: &str) -> Result<String, Error> {
        let t = token::generate()?;
        self.store.insert_token(org, &t.id, &t.hash, actor)?;
        Ok(t.token)
    }

    /// Revokes a token by its id (the 12 hex digits after `rmk_`).
    ///
    /// # Errors
    /// [`Error::NotFound`] when no such live token exists.
    pub fn revoke_token(&self, id: &str, actor: &str) -> Result<(), Error> {
        self.store.revoke_token(id, actor)
    }

    /// The organization a token belongs to.
    ///
    /// # Errors
    /// [`Error::Unauthorized`] for a malformed, unknown, revoked or wrong token.
    pub fn authenticate(&self, token: &str) -> Result<Org, Error> {
        let (id, secret) = token::split(token).ok_or(Error::Unauthorized)?;
        let (org, hash) = self.store.token(id)?.ok_or(Error::Unauthorized)?;
        if token::matches(secret, &hash) {
            Ok(org)
        } else {
            Err(Error::Unauthorized)
        }
    }

    /// Assesses a submission with the one engine and stores it as the device's next
    /// version (a new device when its id is new). All or nothing: a failure stores
    /// nothing. Attestations speak about the submission they were made on: a new one
    /// needs new attestations.
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a lab, or a device another manufacturer registered;
    /// [`Error::Invalid`] with every located problem of the documents.
    pub fn submit(
        &self,
        org: &Org,
        s: &Submission,
        as_of: jiff::civil::Date,
    ) -> Result<Submitted, Error> {
        if org.role != Role::Manufacturer {
            return Err(Error::Forbidden(format!(
                "`{}` is a {}: only manufacturers register devices",
                org.name, org.role
            )));
        }
        let Some(image) = &s.firmware else {
            return self.assess_and_store(org, s, as_of, Vec::new(), None, None);
        };
        let (s, checks) = firmware_submission(s, image)?;
        let verified = checks
            .iter()
            .map(|c| riskmark_engine::VerifiedCheck {
                code: c.code.clone(),
                status: c.result.status(),
                by: FIRMWARE_ANALYSIS.to_owned(),
                date: as_of.to_string(),
                evidence: c.evidence.clone(),
            })
            .collect();
        self.assess_and_store_with(org, &s, as_of, verified, None, Stored::Firmware(checks))
    }

    /// The engine's inputs for a submission.
    fn inputs(
        &self,
        s: &Submission,
        as_of: jiff::civil::Date,
        verified: Vec<riskmark_engine::VerifiedCheck>,
    ) -> Inputs {
        let name = if s.profile_name.is_empty() {
            "profile.toml".to_owned()
        } else {
            s.profile_name.clone()
        };
        Inputs {
            sbom: s.sbom.as_ref().map(|b| Document::memory("sbom", b.clone())),
            vex: s
                .vex
                .iter()
                .enumerate()
                .map(|(i, b)| Document::memory(format!("vex[{i}]"), b.clone()))
                .collect(),
            database: self.config.vulndb.clone(),
            verified,
            ..Inputs::new(Document::memory(name, s.profile.clone()), as_of)
        }
    }

    /// The checks attested about submission `base` (and a statement being added).
    fn verified(
        &self,
        id: &str,
        base: i64,
        adding: Option<(&str, &str)>,
    ) -> Result<Vec<riskmark_engine::VerifiedCheck>, Error> {
        let mut verified = Vec::new();
        let earlier = self.store.statements(id, base)?;
        for (_, s) in earlier
            .iter()
            .map(|(l, s)| (l.as_str(), s.as_str()))
            .chain(adding)
        {
            let st: riskmark_attest::Statement = serde_json::from_str(s)
                .map_err(|e| Error::Storage(format!("stored attestation: {e}")))?;
            // The statement's author: the lab (checked equal to the row's organization
            // when it attested), or the registry's own firmware analysis.
            let by = st.lab.as_str();
            verified.extend(
                st.checks
                    .into_iter()
                    .map(|c| riskmark_engine::VerifiedCheck {
                        code: c.code,
                        status: c.result.status(),
                        by: by.to_owned(),
                        date: st.date.clone(),
                        evidence: c.evidence,
                    }),
            );
        }
        Ok(verified)
    }

    fn assess_and_store(
        &self,
        owner: &Org,
        s: &Submission,
        as_of: jiff::civil::Date,
        verified: Vec<riskmark_engine::VerifiedCheck>,
        note: Option<&str>,
        attestation: Option<&store::NewAttestation<'_>>,
    ) -> Result<Submitted, Error> {
        let stored = attestation.map_or(Stored::Nothing, Stored::Attestation);
        self.assess_and_store_with(owner, s, as_of, verified, note, stored)
    }

    fn assess_and_store_with(
        &self,
        owner: &Org,
        s: &Submission,
        as_of: jiff::civil::Date,
        verified: Vec<riskmark_engine::VerifiedCheck>,
        note: Option<&str>,
        stored: Stored<'_>,
    ) -> Result<Submitted, Error> {
        let name = if s.profile_name.is_empty() {
            "profile.toml".to_owned()
        } else {
            s.profile_name.clone()
        };
        let e = riskmark_engine::evaluate(&self.inputs(s, as_of, verified))?;
        let a = &e.assessment;
        let label = riskmark_label::build(
            a,
            &e.loaded.profile,
            &riskmark_label::Options {
                lang: riskmark_label::Lang::En,
                registry_url: format!("{}/d/", self.config.public_url),
            },
        );
        let label = match &self.config.sign_key {
            Some(key) => riskmark_label::sign::sign(&label, key),
            None => label,
        };
        let assessment = riskmark_report::json(a);
        let packages = self.digests(&e.packages)?;
        let record = store::NewVersion {
            id: &label.device_id,
            manufacturer: &a.subject.manufacturer,
            name: &a.subject.name,
            model: &a.subject.model,
            category: a.subject.category.as_str(),
            firmware_version: a.subject.firmware_version.as_deref(),
            tier: a.risk.tier.as_str(),
            score: i64::from(a.risk.score),
            profile_name: &name,
            profile: &s.profile,
            sbom: s.sbom.as_deref(),
            vex: &s.vex,
            assessment: &assessment,
            label: &label.to_json(),
            note,
            packages: &packages,
        };
        // The registry's own statement about a submitted image, kept with this version so
        // re-evaluations keep its verdicts.
        let firmware_text;
        let firmware_at;
        let attestation = match stored {
            Stored::Nothing => None,
            Stored::Attestation(a) => Some(a),
            Stored::Firmware(checks) => {
                let statement = riskmark_attest::Statement {
                    schema: riskmark_attest::SCHEMA.into(),
                    device_id: label.device_id.clone(),
                    lab: FIRMWARE_ANALYSIS.into(),
                    date: as_of.to_string(),
                    checks,
                };
                firmware_text = serde_json::to_string(&statement)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                firmware_at = store::NewAttestation {
                    lab: owner,
                    base: 0,
                    statement: &firmware_text,
                    envelope: "",
                };
                (!statement.checks.is_empty()).then_some(&firmware_at)
            }
        };
        let version = self.store.insert_version(owner, &record, attestation)?;
        Ok(Submitted {
            url: self.device_url(&label.device_id),
            id: label.device_id,
            version,
            assessment: serde_json::from_str(&assessment)
                .map_err(|e| Error::Internal(e.to_string()))?,
            warnings: e.warnings.iter().map(ToString::to_string).collect(),
        })
    }

    /// The vulnerability database's digest of each package.
    fn digests(
        &self,
        keys: &[riskmark_vulndb::PackageKey],
    ) -> Result<Vec<(riskmark_vulndb::PackageKey, u64)>, Error> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let (db, _) = self.config.vulndb.open()?;
        keys.iter()
            .map(|k| {
                db.package_digest(k)
                    .map(|d| (k.clone(), d))
                    .map_err(|e| Error::Internal(e.to_string()))
            })
            .collect()
    }

    /// The newest versions of one device, or of all, newest first (for feeds).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn feed(&self, device: Option<&str>, limit: u32) -> Result<Vec<FeedEntry>, Error> {
        self.store.feed(device, limit)
    }

    /// A device with its current assessment and history.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn device(&self, id: &str) -> Result<Device, Error> {
        self.store
            .device(id)?
            .ok_or_else(|| Error::NotFound(format!("device `{id}`")))
    }

    /// [`Registry::device`] without each framework's per-control verdicts (its title,
    /// whether it applies and its counts stay): what the public page shows. Reading it
    /// skips most of the stored assessment instead of building it as a JSON tree.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn device_lean(&self, id: &str) -> Result<Device, Error> {
        #[derive(serde::Deserialize)]
        struct Framework {
            #[serde(default)]
            id: Value,
            #[serde(default)]
            title: Value,
            #[serde(default)]
            version: Value,
            #[serde(default)]
            applies: Value,
            #[serde(default)]
            applies_reason: Value,
            #[serde(default)]
            summary: Value,
            #[serde(default)]
            highest_level: Value,
        }
        #[derive(serde::Deserialize)]
        struct Lean {
            #[serde(default)]
            schema: Value,
            #[serde(default)]
            subject: Value,
            #[serde(default)]
            risk: Value,
            #[serde(default)]
            frameworks: Vec<Framework>,
            #[serde(default)]
            checks: Value,
            #[serde(default)]
            vulnerabilities: Value,
        }
        let d = self
            .store
            .device_raw(id)?
            .ok_or_else(|| Error::NotFound(format!("device `{id}`")))?;
        let lean: Lean = serde_json::from_str(&d.assessment)
            .map_err(|e| Error::Storage(format!("stored assessment of {id}: {e}")))?;
        let frameworks: Vec<Value> = lean
            .frameworks
            .into_iter()
            .map(|f| {
                serde_json::json!({
                    "id": f.id, "title": f.title, "version": f.version, "applies": f.applies,
                    "applies_reason": f.applies_reason, "summary": f.summary,
                    "highest_level": f.highest_level,
                })
            })
            .collect();
        Ok(Device {
            summary: d.summary,
            registered_by: d.registered_by,
            assessment: serde_json::json!({
                "schema": lean.schema, "subject": lean.subject, "risk": lean.risk,
                "frameworks": frameworks, "checks": lean.checks,
                "vulnerabilities": lean.vulnerabilities,
            }),
            versions: d.versions,
            attestations: d.attestations,
        })
    }

    /// [`Registry::device`] as JSON, the assessment written as stored (not parsed and
    /// written again: it is most of the answer).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn device_json(&self, id: &str) -> Result<String, Error> {
        let d = self
            .store
            .device_raw(id)?
            .ok_or_else(|| Error::NotFound(format!("device `{id}`")))?;
        #[derive(Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            summary: &'a DeviceSummary,
            registered_by: &'a str,
            assessment: &'a serde_json::value::RawValue,
            versions: &'a [VersionSummary],
            attestations: &'a [Value],
        }
        let raw: &serde_json::value::RawValue = serde_json::from_str(d.assessment.trim())
            .map_err(|e| Error::Storage(format!("stored assessment of {id}: {e}")))?;
        serde_json::to_string(&Out {
            summary: &d.summary,
            registered_by: &d.registered_by,
            assessment: raw,
            versions: &d.versions,
            attestations: &d.attestations,
        })
        .map_err(|e| Error::Internal(e.to_string()))
    }

    /// The current version of a device and when it changed (one index probe), for caches.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn current(&self, id: &str) -> Result<(i64, String), Error> {
        self.store
            .current(id)?
            .ok_or_else(|| Error::NotFound(format!("device `{id}`")))
    }

    /// The current version's label JSON (`riskmark/label/v1`).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn label(&self, id: &str) -> Result<String, Error> {
        self.store
            .label(id)?
            .ok_or_else(|| Error::NotFound(format!("device `{id}`")))
    }

    /// Searches devices.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn search(&self, q: &Query) -> Result<Page, Error> {
        self.store.search(q)
    }
}

/// Who the verdicts of a submitted firmware image are verified by.
const FIRMWARE_ANALYSIS: &str =
    "riskmark firmware (the registry's analysis of the submitted image)";

/// What a new version stores besides itself.
enum Stored<'a> {
    Nothing,
    /// A lab's attestation.
    Attestation(&'a store::NewAttestation<'a>),
    /// The checks a submitted firmware image decides.
    Firmware(Vec<riskmark_attest::Verified>),
}

/// A submission with a firmware image: the image analysed (bounded by the firmware
/// crate's limits), its SBOM used when none was sent, and the checks its findings decide.
fn firmware_submission(
    s: &Submission,
    image: &[u8],
) -> Result<(Submission, Vec<riskmark_attest::Verified>), Error> {
    let invalid = |message: String| Error::invalid("firmware", None, message);
    let a = riskmark_firmware::analyze(image, "firmware", &riskmark_firmware::Limits::default())
        .map_err(|e| invalid(e.to_string()))?;
    let mut out = s.clone();
    out.firmware = None;
    if out.sbom.is_none() {
        out.sbom =
            Some(serde_json::to_vec(&a.cyclonedx()).map_err(|e| Error::Internal(e.to_string()))?);
    }
    let checks = a
        .verified()
        .into_iter()
        .map(|v| riskmark_attest::Verified {
            code: v.code.to_owned(),
            result: match v.status {
                riskmark_checks::Status::Pass => riskmark_attest::Result::Pass,
                _ => riskmark_attest::Result::Fail,
            },
            evidence: format!("image sha256 {}: {}", a.sha256, v.evidence),
        })
        .collect();
    Ok((out, checks))
}
