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

mod store;
pub mod token;

use std::fmt;
use std::path::PathBuf;

use riskmark_engine::{Database, Document, Inputs};
use riskmark_model::Diagnostic;
use serde::Serialize;
use serde_json::Value;

pub use store::{Location, Store};

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

/// Why a registry operation failed; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The submitted documents are not valid: every located problem (422).
    #[error("invalid input: {} problem(s)", .0.len())]
    Invalid(Vec<Problem>),
    /// No token, or one that does not authenticate (401).
    #[error("a valid API token is required")]
    Unauthorized,
    /// The token's organization may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such device or organization (404).
    #[error("{0} not found")]
    NotFound(String),
    /// It exists already (409).
    #[error("{0}")]
    Conflict(String),
    /// The storage failed (500).
    #[error("registry storage: {0}")]
    Storage(String),
    /// Anything else that is not the client's fault (500).
    #[error("{0}")]
    Internal(String),
}

/// One located problem of a submitted document: the same facts the command line prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The document (`profile.toml`, the upload's name).
    pub file: String,
    /// Line (1-based; 0 when not known).
    pub line: usize,
    /// Column (1-based; 0 when not known).
    pub column: usize,
    /// The field, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl From<Diagnostic> for Problem {
    fn from(d: Diagnostic) -> Self {
        Self {
            file: d.file,
            line: d.line,
            column: d.column,
            field: d.field,
            message: d.message,
        }
    }
}

impl From<riskmark_engine::Error> for Error {
    fn from(e: riskmark_engine::Error) -> Self {
        match e.diagnostics() {
            Some(d) => Self::Invalid(d.into_iter().map(Problem::from).collect()),
            None => match e {
                riskmark_engine::Error::Database { .. } => Self::Internal(e.to_string()),
                other => Self::Invalid(vec![Problem {
                    file: String::new(),
                    line: 0,
                    column: 0,
                    field: None,
                    message: other.to_string(),
                }]),
            },
        }
    }
}

/// A submission: the documents a manufacturer sends.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// The profile's name (its file name; decides TOML or JSON with the content).
    pub profile_name: String,
    /// The profile, TOML or JSON.
    pub profile: Vec<u8>,
    /// The SBOM, when sent.
    pub sbom: Option<Vec<u8>>,
    /// VEX documents.
    pub vex: Vec<Vec<u8>>,
}

/// What a submission made.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    /// The device id (the label's `device_id`).
    pub id: String,
    /// The public page.
    pub url: String,
    /// The new version's number (1 for a new device).
    pub version: i64,
    /// The assessment (the `assess --format json` object).
    #[schema(value_type = Object)]
    pub assessment: Value,
    /// Problems that did not stop the assessment.
    pub warnings: Vec<String>,
}

/// A device's summary, as search lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeviceSummary {
    /// The device id.
    pub id: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Product name.
    pub name: String,
    /// Model.
    pub model: String,
    /// Category id.
    pub category: String,
    /// Current tier.
    pub tier: String,
    /// Current score.
    pub score: i64,
    /// The current version.
    pub version: i64,
    /// When it last changed (RFC 3339).
    pub updated: String,
}

/// One version of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VersionSummary {
    /// Its number.
    pub version: i64,
    /// The firmware it describes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    /// Its tier.
    pub tier: String,
    /// Its score.
    pub score: i64,
    /// When it was made (RFC 3339).
    pub created: String,
    /// Why a version was made other than by a submission (`attested by ...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A device with its current assessment and history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Device {
    /// Summary fields.
    #[serde(flatten)]
    pub summary: DeviceSummary,
    /// The organization that registered it.
    pub registered_by: String,
    /// The current version's assessment.
    #[schema(value_type = Object)]
    pub assessment: Value,
    /// Every version, newest first.
    pub versions: Vec<VersionSummary>,
    /// Lab attestations: `{lab, date, checks: [{code, result, evidence}], received}`,
    /// oldest first.
    pub attestations: Vec<Value>,
}

/// One entry of a feed: a version of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FeedEntry {
    /// The device id.
    pub device_id: String,
    /// Product name.
    pub name: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// The version.
    pub version: i64,
    /// Its firmware.
    pub firmware_version: Option<String>,
    /// Its tier.
    pub tier: String,
    /// Its score.
    pub score: i64,
    /// Why it was made, when not by a submission.
    pub note: Option<String>,
    /// When (RFC 3339).
    pub created: String,
}

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

/// A name for this process in the job queue: its process id and a random part.
pub fn worker_id() -> String {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    format!(
        "pid{}-{:02x}{:02x}{:02x}{:02x}",
        std::process::id(),
        b[0],
        b[1],
        b[2],
        b[3]
    )
}

/// Search filters; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Words in the manufacturer, name, model or id.
    pub q: Option<String>,
    /// Category id.
    pub category: Option<String>,
    /// Tier.
    pub tier: Option<String>,
    /// Manufacturer (exact, case-insensitive).
    pub manufacturer: Option<String>,
    /// Page (1-based).
    pub page: u32,
    /// Results per page (1-100).
    pub per_page: u32,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page {
    /// The devices.
    pub devices: Vec<DeviceSummary>,
    /// All matches.
    pub total: i64,
    /// This page.
    pub page: u32,
    /// Results per page.
    pub per_page: u32,
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
            return Err(Error::Invalid(vec![Problem {
                file: String::new(),
                line: 0,
                column: 0,
                field: Some("name".into()),
                message: "an organization name is 1-200 printable characters".into(),
            }]));
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
        self.assess_and_store(org, s, as_of, Vec::new(), None, None)
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
        for (by, s) in earlier
            .iter()
            .map(|(l, s)| (l.as_str(), s.as_str()))
            .chain(adding)
        {
            let st: riskmark_attest::Statement = serde_json::from_str(s)
                .map_err(|e| Error::Storage(format!("stored attestation: {e}")))?;
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

    /// Registers an Ed25519 public key (PEM, from `riskmark keygen`) for an
    /// organization; returns its key id.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a text that is not such a key; [`Error::NotFound`] for an
    /// unknown organization; [`Error::Conflict`] for a key registered already.
    pub fn add_key(&self, org: &str, pem: &str, actor: &str) -> Result<String, Error> {
        let key = riskmark_label::sign::read_public(pem).map_err(|e| {
            Error::Invalid(vec![Problem {
                file: String::new(),
                line: 0,
                column: 0,
                field: Some("key".into()),
                message: e.to_string(),
            }])
        })?;
        let id = riskmark_label::sign::key_id(&key);
        self.store.add_key(org, &id, pem.trim(), actor)?;
        Ok(id)
    }

    /// A lab's signed attestation about a device: verified with the keys registered for
    /// the lab, checked, stored, and the device re-assessed with every attestation about
    /// its current submission, in one transaction (a new version noting the lab).
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a manufacturer; [`Error::NotFound`] for an unknown
    /// device; [`Error::Invalid`] for an envelope that does not verify or a statement
    /// that cannot be accepted.
    pub fn attest(
        &self,
        lab: &Org,
        device_id: &str,
        envelope: &[u8],
        today: jiff::civil::Date,
    ) -> Result<Submitted, Error> {
        let invalid = |message: String| {
            Error::Invalid(vec![Problem {
                file: "attestation".into(),
                line: 0,
                column: 0,
                field: None,
                message,
            }])
        };
        if lab.role != Role::Lab {
            return Err(Error::Forbidden(format!(
                "`{}` is a {}: only labs attest",
                lab.name, lab.role
            )));
        }
        let docs = self
            .store
            .documents(device_id)?
            .ok_or_else(|| Error::NotFound(format!("device `{device_id}`")))?;
        let keys: Vec<_> = self
            .store
            .keys(lab.id)?
            .iter()
            .filter_map(|pem| riskmark_label::sign::read_public(pem).ok())
            .collect();
        if keys.is_empty() {
            return Err(invalid(format!(
                "`{}` has no registered key: `riskmark registry key add --org ... --pub KEY.pub`",
                lab.name
            )));
        }
        let statement = riskmark_attest::open(envelope, &lab.name, &keys)
            .map_err(|e| invalid(e.to_string()))?;
        if statement.lab != lab.name {
            return Err(invalid(format!(
                "the statement is by `{}`, the token is `{}`'s",
                statement.lab, lab.name
            )));
        }
        if statement.device_id != device_id {
            return Err(invalid(format!(
                "the statement is about `{}`, not `{device_id}`",
                statement.device_id
            )));
        }
        statement
            .validate(today)
            .map_err(|e| invalid(e.to_string()))?;
        let base = self.store.base_version(device_id)?;
        let text = serde_json::to_string(&statement).map_err(|e| Error::Internal(e.to_string()))?;
        let verified = self.verified(device_id, base, Some((&lab.name, &text)))?;
        let submission = Submission {
            profile_name: docs.profile_name,
            profile: docs.profile,
            sbom: docs.sbom,
            vex: docs.vex,
        };
        let note = format!("attested by {}", lab.name);
        let envelope = String::from_utf8_lossy(envelope).into_owned();
        let at = store::NewAttestation {
            lab,
            base,
            statement: &text,
            envelope: &envelope,
        };
        self.assess_and_store(
            &docs.owner,
            &submission,
            today,
            verified,
            Some(&note),
            Some(&at),
        )
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
    /// died is claimed again after ten minutes).
    ///
    /// # Errors
    /// [`Error::Storage`] or [`Error::Internal`]; the job being done stays claimed and
    /// is done again when its lease ends.
    pub fn work(&self, as_of: jiff::civil::Date, worker: &str) -> Result<Reevaluation, Error> {
        let mut report = Reevaluation::default();
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
        let submission = Submission {
            profile_name: docs.profile_name,
            profile: docs.profile,
            sbom: docs.sbom,
            vex: docs.vex,
        };
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
        self.assess_and_store(&docs.owner, &submission, as_of, verified, Some(&note), None)?;
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
