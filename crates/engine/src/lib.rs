//! The engine: a device profile and what comes with it (SBOM, VEX, custom rules, user
//! catalogs, risk policy, vulnerability database) in, the one [`Assessment`] out.
//!
//! Every consumer runs this one path: `riskmark classify`, `assess` and `label` on the
//! command line, and the registry service, fleets and firmware evidence after them. None
//! of them re-implements a step, so the same inputs give the same score everywhere.
//!
//! ```no_run
//! use riskmark_engine::{Document, Inputs};
//!
//! let inputs = Inputs::new(Document::path("examples/home-router.toml"), riskmark_engine::today());
//! let evaluation = riskmark_engine::evaluate(&inputs)?;
//! println!("{} / {}", evaluation.assessment.risk.tier, evaluation.assessment.risk.score);
//! # Ok::<(), riskmark_engine::Error>(())
//! ```
//!
//! Problems that stop an evaluation are an [`Error`]; problems that do not (an SBOM
//! element that was skipped, a declared SBOM that is not there) are [`Warning`]s in the
//! [`Evaluation`]. The library never prints.

#![warn(missing_docs)]

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

pub use riskmark_assess::{Assessment, FailOn, VerifiedCheck};
use riskmark_model::{Diagnostic, LoadError, LoadedProfile};
use riskmark_rego::{RegoError, RuleSet};
use riskmark_risk::Policy;
use riskmark_scan::Scan;
use riskmark_vulndb::{Db, VulnDbError};

/// The database file inside a vulnerability database directory.
pub const DB_FILE: &str = "vulndb.sqlite";

/// The largest SBOM or VEX document read (1 GiB): far above real ones (a container
/// image's SBOM with tens of thousands of components is tens of MB), and a bound on the
/// memory an endless stream (`/dev/zero`, a pipe) can take. Profiles and policies have
/// their own, smaller bound ([`riskmark_model::MAX_PROFILE_BYTES`]).
pub const MAX_SBOM_BYTES: u64 = 1 << 30;

/// An input document: a file, or bytes that came another way (standard input, an
/// upload), with the name to report problems under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// A file on disk.
    Path(PathBuf),
    /// Bytes held in memory.
    Memory {
        /// The name problems are reported under (`<stdin>`, an upload's file name).
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl Document {
    /// A file on disk.
    pub fn path(p: impl Into<PathBuf>) -> Self {
        Self::Path(p.into())
    }

    /// Bytes held in memory, reported as `name`.
    pub fn memory(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self::Memory {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// The name problems are reported under.
    pub fn name(&self) -> String {
        match self {
            Self::Path(p) => p.display().to_string(),
            Self::Memory { name, .. } => name.clone(),
        }
    }

    /// The directory relative references inside the document resolve against: the
    /// file's directory; none for bytes held in memory.
    pub fn base_dir(&self) -> Option<&Path> {
        match self {
            Self::Path(p) => Some(p.parent().unwrap_or_else(|| Path::new(""))),
            Self::Memory { .. } => None,
        }
    }

    /// The document's bytes, refused past `max` (`what` names the kind in the message):
    /// a file by its size before it is read, bytes in memory by their length.
    fn bytes(&self, max: u64, what: &str) -> Result<Cow<'_, [u8]>, Error> {
        match self {
            Self::Path(p) => riskmark_model::read_capped_text(p, max, what)
                .map(Cow::Owned)
                .map_err(|e| Error::Read {
                    file: p.display().to_string(),
                    message: e.reason(),
                }),
            Self::Memory { name, bytes } if bytes.len() as u64 > max => Err(Error::Read {
                file: name.clone(),
                message: riskmark_model::too_large(Some(bytes.len() as u64), max, what),
            }),
            Self::Memory { name, bytes } => match riskmark_model::binary_at(bytes) {
                Some(at) => Err(Error::Read {
                    file: name.clone(),
                    message: riskmark_model::binary_message(at, what),
                }),
                None => Ok(Cow::Borrowed(bytes)),
            },
        }
    }
}

/// A firmware image's analysis as the engine takes it: its SBOM (CycloneDX, in memory,
/// named `<image> (SBOM)`) and the checks its findings decide, each verified by
/// `riskmark firmware` on `as_of` with the file inside the image as evidence. `assess`,
/// `label` and fleets use this one conversion.
pub fn firmware_inputs(
    a: &riskmark_firmware::Analysis,
    as_of: jiff::civil::Date,
) -> Result<(Document, Vec<VerifiedCheck>), serde_json::Error> {
    let sbom = Document::memory(
        format!("{} (SBOM)", a.image),
        serde_json::to_vec(&a.cyclonedx())?,
    );
    let verified = a
        .verified()
        .into_iter()
        .map(|v| VerifiedCheck {
            code: v.code.to_owned(),
            status: v.status,
            by: "riskmark firmware".to_owned(),
            date: as_of.to_string(),
            evidence: format!("{}: {}", a.image, v.evidence),
        })
        .collect();
    Ok((sbom, verified))
}

/// Which vulnerability database answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Database {
    /// The per-user database ([`default_db_dir`]) when it exists, else the curated set
    /// embedded in the binary.
    #[default]
    Default,
    /// The database in this directory, which must exist.
    Dir(PathBuf),
    /// The curated set embedded in the binary only.
    Embedded,
}

impl Database {
    /// `Some(dir)`: that directory; `None`: the default.
    pub fn from_flag(dir: Option<&Path>) -> Self {
        dir.map_or(Self::Default, |d| Self::Dir(d.to_path_buf()))
    }

    /// Opens it.
    ///
    /// # Errors
    /// [`Error::NoDatabase`] when a named directory holds no database;
    /// [`Error::Database`] when the file cannot be opened.
    pub fn open(&self) -> Result<(Db, String), Error> {
        // A named directory must hold a database; the default location may hold none (or
        // only what an interrupted first import left), and the embedded set answers.
        let opened = |file: PathBuf, open: fn(&Path) -> Result<Db, VulnDbError>| {
            let name = file.display().to_string();
            open(&file)
                .map(|db| (db, name.clone()))
                .map_err(|source| Error::Database { path: name, source })
        };
        match self {
            Self::Dir(dir) => {
                let file = dir.join(DB_FILE);
                if file.exists() {
                    opened(file, Db::open)
                } else {
                    Err(Error::NoDatabase(file))
                }
            }
            Self::Default => opened(default_db_dir().join(DB_FILE), Db::open_or_default),
            Self::Embedded => Db::embedded_default()
                .map(|db| (db, ":memory:".to_owned()))
                .map_err(|source| Error::Database {
                    path: "embedded curated set".into(),
                    source,
                }),
        }
    }
}

/// `$RISKMARK_DB`, else `$XDG_DATA_HOME/riskmark`, else `~/.local/share/riskmark`
/// (`.riskmark` when there is no home).
pub fn default_db_dir() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("RISKMARK_DB")
        .or_else(|| env("XDG_DATA_HOME").map(|d| d.join("riskmark")))
        .or_else(|| env("HOME").map(|h| h.join(".local/share/riskmark")))
        .unwrap_or_else(|| PathBuf::from(".riskmark"))
}

/// Today's date in UTC.
pub fn today() -> jiff::civil::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// Everything an evaluation reads.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The device profile (TOML or JSON).
    pub profile: Document,
    /// The SBOM; when `None`, the profile's `disclosure.sbom` when it names a local file
    /// (relative to the profile's directory).
    pub sbom: Option<Document>,
    /// VEX documents (OpenVEX, CycloneDX, CSAF) applied to the SBOM's findings.
    pub vex: Vec<Document>,
    /// Custom checks: Rego files or directories of them.
    pub rules: Vec<PathBuf>,
    /// User frameworks: OSCAL catalogs.
    pub catalogs: Vec<PathBuf>,
    /// The risk policy; `None`: the shipped default.
    pub policy: Option<PathBuf>,
    /// The vulnerability database.
    pub database: Database,
    /// The date the assessment speaks for.
    pub as_of: jiff::civil::Date,
    /// Framework ids to evaluate; empty: every embedded and user framework.
    pub frameworks: Vec<String>,
    /// Checks third parties verified (lab attestations, already authenticated).
    pub verified: Vec<VerifiedCheck>,
}

impl Inputs {
    /// A profile alone, with every default: its declared SBOM, the default database, the
    /// shipped policy, every framework.
    pub fn new(profile: Document, as_of: jiff::civil::Date) -> Self {
        Self {
            profile,
            sbom: None,
            vex: Vec::new(),
            rules: Vec::new(),
            catalogs: Vec::new(),
            policy: None,
            database: Database::Default,
            as_of,
            frameworks: Vec::new(),
            verified: Vec::new(),
        }
    }
}

/// A problem that did not stop the evaluation, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file it is about.
    pub file: String,
    /// Where in it: `line:column`, a JSON path, or empty.
    pub location: String,
    /// The profile field, when it is about one.
    pub field: Option<String>,
    /// What was found and what was done about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if !self.location.is_empty() {
            write!(f, ":{}", self.location)?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why an evaluation could not be made. Every variant names the input it is about.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The profile does not load.
    #[error("{0}")]
    Profile(LoadError),
    /// The policy file does not load.
    #[error("{0}")]
    Policy(LoadError),
    /// A user catalog does not load.
    #[error("{0}")]
    Catalog(LoadError),
    /// A rules file does not load or a custom check failed.
    #[error("{0}")]
    Rules(RegoError),
    /// The SBOM could not be read.
    #[error("{0}")]
    Sbom(riskmark_sbom::SbomError),
    /// A VEX document could not be read.
    #[error("{0}")]
    Vex(riskmark_vex::VexError),
    /// A file could not be read.
    #[error("{file}: cannot read: {message}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// A named vulnerability database directory holds no database.
    #[error("no vulnerability database at {} (create it with `riskmark db import`)", .0.display())]
    NoDatabase(PathBuf),
    /// The vulnerability database failed.
    #[error("{}", with_path(path, source))]
    Database {
        /// The database file.
        path: String,
        /// What failed.
        source: VulnDbError,
    },
    /// A framework id that is neither embedded nor a user catalog's.
    #[error("{0}")]
    UnknownFramework(riskmark_assess::UnknownFramework),
}

impl Error {
    /// The located problems, for errors that have several (profile, policy, catalog).
    pub fn diagnostics(&self) -> Option<Vec<Diagnostic>> {
        match self {
            Self::Profile(e) | Self::Policy(e) | Self::Catalog(e) => Some(e.diagnostics()),
            _ => None,
        }
    }
}

/// What an evaluation made.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The profile as loaded (facts, their locations).
    pub loaded: LoadedProfile,
    /// The one assessment every renderer reads.
    pub assessment: Assessment,
    /// The SBOM that was scanned, when there was one.
    pub sbom: Option<String>,
    /// The packages the SBOM's advisories are indexed under (for re-assessing when
    /// they change); empty without an SBOM.
    pub packages: Vec<riskmark_vulndb::PackageKey>,
    /// Problems that did not stop the evaluation.
    pub warnings: Vec<Warning>,
}

/// A scanned SBOM and the problems met on the way.
#[derive(Debug, Clone)]
pub struct Scanned {
    /// The SBOM as parsed.
    pub sbom: riskmark_sbom::Sbom,
    /// The scan (VEX applied).
    pub scan: Scan,
    /// Problems that did not stop the scan.
    pub warnings: Vec<Warning>,
}

/// Loads the policy: the file, or the shipped default.
///
/// # Errors
/// [`Error::Policy`] when the file does not load.
pub fn load_policy(file: Option<&Path>) -> Result<Policy, Error> {
    file.map_or_else(
        || Ok(Policy::default_policy()),
        |f| Policy::from_path(f).map_err(Error::Policy),
    )
}

/// Loads a profile.
///
/// # Errors
/// [`Error::Profile`] with every located problem.
pub fn load_profile(doc: &Document) -> Result<LoadedProfile, Error> {
    match doc {
        Document::Path(p) => riskmark_model::load_path(p),
        Document::Memory { name, bytes } => riskmark_model::load_bytes(name, bytes),
    }
    .map_err(Error::Profile)
}

/// Scans an SBOM against the database, VEX applied.
///
/// # Errors
/// The SBOM or a VEX document does not parse, or the database cannot be opened.
pub fn scan(sbom: &Document, vex: &[Document], database: &Database) -> Result<Scanned, Error> {
    let name = sbom.name();
    let parsed = riskmark_sbom::parse(&sbom.bytes(MAX_SBOM_BYTES, "an SBOM")?, &name)
        .map_err(Error::Sbom)?;
    let mut warnings: Vec<Warning> = parsed
        .warnings
        .iter()
        .map(|w| Warning {
            file: name.clone(),
            location: w.location.clone(),
            field: None,
            message: w.message.clone(),
        })
        .collect();
    let mut docs = Vec::with_capacity(vex.len());
    for v in vex {
        let vname = v.name();
        let d = riskmark_vex::parse(&v.bytes(MAX_SBOM_BYTES, "a VEX document")?, &vname)
            .map_err(Error::Vex)?;
        warnings.extend(d.warnings.iter().map(|w| Warning {
            file: vname.clone(),
            location: String::new(),
            field: None,
            message: w.clone(),
        }));
        docs.push(d);
    }
    let set = riskmark_vex::VexSet::from_documents(docs);
    let (db, db_name) = database.open()?;
    let scan = riskmark_scan::scan(&parsed, &name, &db, &riskmark_scan::vex_lookup(&set)).map_err(
        |source| Error::Database {
            path: db_name,
            source,
        },
    )?;
    Ok(Scanned {
        sbom: parsed,
        scan,
        warnings,
    })
}

/// The profile's `disclosure.sbom` as a local file: `Ok(Some(path))` when it exists,
/// `Ok(None)` when it names none (or a URL), `Err((declared, warning))` when it names a
/// local file that is not there.
fn declared_sbom(
    loaded: &LoadedProfile,
    profile: &Document,
) -> Result<Option<PathBuf>, (String, Warning)> {
    let Some(declared) = loaded
        .profile
        .disclosure
        .as_ref()
        .and_then(|d| d.sbom.as_deref())
        .filter(|s| !s.contains("://"))
    else {
        return Ok(None);
    };
    let pos = loaded.locations.nearest("disclosure.sbom");
    let warning = |message: String| Warning {
        file: loaded.file.clone(),
        location: format!("{}:{}", pos.line, pos.column),
        field: Some("disclosure.sbom".into()),
        message,
    };
    let Some(base) = profile.base_dir() else {
        return Err((
            declared.to_owned(),
            warning(format!(
                "the SBOM `{declared}` is not given with the profile; it was not scanned, \
                 and the SBOM check needs evidence"
            )),
        ));
    };
    let path = base.join(declared);
    if path.is_file() {
        Ok(Some(path))
    } else {
        Err((
            declared.to_owned(),
            warning(format!(
                "the SBOM `{declared}` does not exist (looked for {}); it was not scanned, \
                 and the SBOM check needs evidence",
                path.display()
            )),
        ))
    }
}

/// Evaluates a profile with everything that comes with it into the one [`Assessment`].
///
/// # Errors
/// The first input that cannot be used, named (see [`Error`]).
pub fn evaluate(inputs: &Inputs) -> Result<Evaluation, Error> {
    let policy = load_policy(inputs.policy.as_deref())?;
    let rules = RuleSet::load(&inputs.rules).map_err(Error::Rules)?;
    let custom_codes = rules.codes();
    let extra = inputs
        .catalogs
        .iter()
        .map(|f| riskmark_frameworks::from_path_with_checks(f, &custom_codes))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::Catalog)?;
    let loaded = load_profile(&inputs.profile)?;
    let mut warnings = Vec::new();
    let mut missing_sbom = None;
    let sbom = match &inputs.sbom {
        Some(doc) => Some(doc.clone()),
        None => match declared_sbom(&loaded, &inputs.profile) {
            Ok(found) => found.map(Document::Path),
            Err((declared, w)) => {
                missing_sbom = Some(declared);
                warnings.push(w);
                None
            }
        },
    };
    let mut packages = Vec::new();
    let scan = match &sbom {
        Some(doc) => {
            let s = scan(doc, &inputs.vex, &inputs.database)?;
            warnings.extend(s.warnings);
            for c in s.sbom.all_components() {
                packages.extend(Db::package_keys(c.purl.as_deref(), &c.name, &c.cpes));
            }
            packages.sort();
            packages.dedup();
            Some(s.scan)
        }
        None => None,
    };
    let opts = riskmark_assess::Options {
        frameworks: inputs.frameworks.clone(),
        extra,
        policy: &policy,
        as_of: inputs.as_of,
        scan,
        missing_sbom,
        verified: inputs.verified.clone(),
    };
    let custom = |ctx: &riskmark_checks::Ctx<'_>, risk: &riskmark_risk::Classification| {
        rules.evaluate(ctx.profile, ctx.as_of, &risk.tier)
    };
    let assessment = riskmark_assess::assess_with(&loaded, &opts, custom).map_err(|e| match e {
        riskmark_assess::AssessError::UnknownFramework(u) => Error::UnknownFramework(u),
        riskmark_assess::AssessError::Custom(r) => Error::Rules(r),
    })?;
    Ok(Evaluation {
        loaded,
        assessment,
        sbom: sbom.map(|d| d.name()),
        packages,
        warnings,
    })
}

/// A database error prefixed with the database's path, unless it names it already.
fn with_path(path: &str, source: &VulnDbError) -> String {
    let message = source.to_string();
    if message.contains(path) {
        message
    } else {
        format!("{path}: {message}")
    }
}
