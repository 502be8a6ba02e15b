//! The buyer's requirements file (`riskmark/requirements/v1`): strict TOML (or JSON),
//! every problem located at its file, line, column and field.

use std::collections::BTreeSet;
use std::path::Path;

use riskmark_model::{IsoDate, LoadError, Reporter, load_document, read_limited, suggest};
use riskmark_risk::{CraClass, Tier};
use serde::{Deserialize, Serialize};

/// The format identifier of requirements files.
pub const REQUIREMENTS_SCHEMA: &str = "riskmark/requirements/v1";

/// The kinds of requirement, as written in `kind`.
pub const KINDS: &[&str] = &[
    "support-period",
    "frameworks",
    "risk",
    "no-known-exploited",
    "sbom",
    "vex",
    "signed-updates",
    "no-universal-default-password",
    "evidence",
];

/// How a claim must be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The manufacturer's declaration suffices.
    Declared,
    /// Third-party evidence (`[[evidence]]` of kind test-report, certificate or probe).
    LabVerified,
}

impl Level {
    /// The identifier used in files and outputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Declared => "declared",
            Self::LabVerified => "lab-verified",
        }
    }
}

/// What a requirement asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Kind {
    /// Security updates guaranteed (`updates.support_end`) at least `years` after the
    /// purchase date.
    SupportPeriod {
        /// Whole years.
        years: u32,
    },
    /// Each framework's outcome in the assessment is a pass.
    Frameworks {
        /// Framework ids as `riskmark frameworks list` prints them.
        frameworks: Vec<String>,
    },
    /// The risk tier and/or the EU CRA class are at most these.
    Risk {
        /// The highest acceptable tier.
        #[serde(skip_serializing_if = "Option::is_none")]
        max_tier: Option<Tier>,
        /// The highest acceptable CRA class.
        #[serde(skip_serializing_if = "Option::is_none")]
        max_cra_class: Option<CraClass>,
    },
    /// No vulnerability of the SBOM is in CISA's KEV catalog.
    NoKnownExploited,
    /// An SBOM is declared or given.
    Sbom,
    /// VEX statements are given or published (CSAF provider metadata).
    Vex,
    /// Update images are authenticated before install (`updates.signed`).
    SignedUpdates,
    /// No universal default password (`identity.default_password`).
    NoUniversalDefaultPassword,
    /// The claims are declared, or verified by third-party evidence.
    Evidence {
        /// Dotted profile paths.
        claims: Vec<String>,
    },
}

impl Kind {
    /// The identifier written in `kind`.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::SupportPeriod { .. } => "support-period",
            Self::Frameworks { .. } => "frameworks",
            Self::Risk { .. } => "risk",
            Self::NoKnownExploited => "no-known-exploited",
            Self::Sbom => "sbom",
            Self::Vex => "vex",
            Self::SignedUpdates => "signed-updates",
            Self::NoUniversalDefaultPassword => "no-universal-default-password",
            Self::Evidence { .. } => "evidence",
        }
    }

    /// The profile claim the requirement judges, for kinds that judge one.
    pub const fn claim(&self) -> Option<&'static str> {
        match self {
            Self::SupportPeriod { .. } => Some("updates.support_end"),
            Self::Sbom => Some("disclosure.sbom"),
            Self::Vex => Some("disclosure.advisories_url"),
            Self::SignedUpdates => Some("updates.signed"),
            Self::NoUniversalDefaultPassword => Some("identity.default_password"),
            Self::Frameworks { .. }
            | Self::Risk { .. }
            | Self::NoKnownExploited
            | Self::Evidence { .. } => None,
        }
    }
}

/// One requirement of the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// Stable id, unique in the file.
    pub id: String,
    /// Short title.
    pub title: String,
    /// A failure rejects the candidate.
    pub mandatory: bool,
    /// Where the requirement comes from (citation text).
    pub source: String,
    /// What it asks for.
    #[serde(flatten)]
    pub kind: Kind,
    /// How the judged claims must be known.
    pub evidence: Level,
}

/// A validated requirements file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirements {
    /// The file as the user named it.
    pub file: String,
    /// What the set is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The purchase date support periods count from; `None`: the assessment date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<jiff::civil::Date>,
    /// The requirements, in file order.
    pub requirements: Vec<Requirement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    purchase_date: Option<IsoDate>,
    #[serde(default)]
    requirement: Vec<RawRequirement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
enum KindName {
    SupportPeriod,
    Frameworks,
    Risk,
    NoKnownExploited,
    Sbom,
    Vex,
    SignedUpdates,
    NoUniversalDefaultPassword,
    Evidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    id: String,
    title: String,
    mandatory: bool,
    source: String,
    kind: KindName,
    #[serde(default)]
    years: Option<u32>,
    #[serde(default)]
    frameworks: Option<Vec<String>>,
    #[serde(default)]
    max_tier: Option<Tier>,
    #[serde(default)]
    max_cra_class: Option<CraClass>,
    #[serde(default)]
    claims: Option<Vec<String>>,
    #[serde(default)]
    evidence: Option<Level>,
}

/// Support periods longer than this are refused as a typo.
const MAX_YEARS: u32 = 50;

/// Reads and validates a requirements file.
///
/// # Errors
/// The file cannot be read, or every located problem in it.
pub fn load_path(path: &Path) -> Result<Requirements, LoadError> {
    let bytes = read_limited(path)?;
    load_bytes(&path.display().to_string(), &bytes)
}

/// Validates a requirements file held in memory; `file` names it in diagnostics.
///
/// # Errors
/// Every located problem.
pub fn load_bytes(file: &str, bytes: &[u8]) -> Result<Requirements, LoadError> {
    let (raw, _) = load_document::<RawFile>(file, bytes, validate)?;
    Ok(Requirements {
        file: file.to_owned(),
        title: raw.title,
        purchase_date: raw.purchase_date.map(|d| d.0),
        requirements: raw.requirement.into_iter().filter_map(convert).collect(),
    })
}

/// The validated form; `validate` has ruled out every `None` here.
fn convert(r: RawRequirement) -> Option<Requirement> {
    let kind = match r.kind {
        KindName::SupportPeriod => Kind::SupportPeriod { years: r.years? },
        KindName::Frameworks => Kind::Frameworks {
            frameworks: r.frameworks?,
        },
        KindName::Risk => Kind::Risk {
            max_tier: r.max_tier,
            max_cra_class: r.max_cra_class,
        },
        KindName::NoKnownExploited => Kind::NoKnownExploited,
        KindName::Sbom => Kind::Sbom,
        KindName::Vex => Kind::Vex,
        KindName::SignedUpdates => Kind::SignedUpdates,
        KindName::NoUniversalDefaultPassword => Kind::NoUniversalDefaultPassword,
        KindName::Evidence => Kind::Evidence { claims: r.claims? },
    };
    Some(Requirement {
        id: r.id,
        title: r.title,
        mandatory: r.mandatory,
        source: r.source,
        kind,
        evidence: r.evidence.unwrap_or(Level::Declared),
    })
}

fn kind_name(k: &KindName) -> &'static str {
    match k {
        KindName::SupportPeriod => "support-period",
        KindName::Frameworks => "frameworks",
        KindName::Risk => "risk",
        KindName::NoKnownExploited => "no-known-exploited",
        KindName::Sbom => "sbom",
        KindName::Vex => "vex",
        KindName::SignedUpdates => "signed-updates",
        KindName::NoUniversalDefaultPassword => "no-universal-default-password",
        KindName::Evidence => "evidence",
    }
}

fn validate(f: &RawFile, r: &mut Reporter<'_, '_>) {
    if f.schema != REQUIREMENTS_SCHEMA {
        let hint = if f.schema == "riskmark/device-profile/v1" {
            " (this is a device profile: name it as a PROFILE, and the requirements with --requirements)"
        } else {
            ""
        };
        r.error(
            "schema",
            format!(
                "unsupported schema `{}`: expected exactly \"{REQUIREMENTS_SCHEMA}\"{hint}",
                f.schema
            ),
        );
    }
    if f.requirement.is_empty() {
        r.error(
            "requirement",
            "no requirement: add at least one [[requirement]] table",
        );
    }
    if let Some(t) = &f.title
        && t.trim().is_empty()
    {
        r.error("title", "must not be empty (leave it out instead)");
    }
    let framework_ids: Vec<&str> = riskmark_frameworks::embedded()
        .iter()
        .map(|fw| fw.id.as_str())
        .collect();
    let claim_paths: Vec<&str> = riskmark_model::claim_paths()
        .iter()
        .map(String::as_str)
        .collect();
    let mut ids = BTreeSet::new();
    for (i, q) in f.requirement.iter().enumerate() {
        let at = |field: &str| format!("requirement[{i}].{field}");
        let kind = kind_name(&q.kind);
        if !is_id(&q.id) {
            r.error(
                &at("id"),
                format!(
                    "invalid id `{}`: use lower-case letters, digits, `-`, `_` and `.` (e.g. `support-5y`)",
                    q.id
                ),
            );
        } else if !ids.insert(q.id.as_str()) {
            r.error(
                &at("id"),
                format!("duplicate id `{}`: ids must be unique", q.id),
            );
        }
        for (field, value) in [("title", &q.title), ("source", &q.source)] {
            if value.trim().is_empty() {
                r.error(&at(field), "must not be empty");
            }
        }
        let mut used: Vec<&str> = Vec::new();
        if q.years.is_some() {
            used.push("years");
        }
        if q.frameworks.is_some() {
            used.push("frameworks");
        }
        if q.max_tier.is_some() {
            used.push("max_tier");
        }
        if q.max_cra_class.is_some() {
            used.push("max_cra_class");
        }
        if q.claims.is_some() {
            used.push("claims");
        }
        if q.evidence.is_some() {
            used.push("evidence");
        }
        let allowed: &[&str] = match q.kind {
            KindName::SupportPeriod => &["years", "evidence"],
            KindName::Frameworks => &["frameworks"],
            KindName::Risk => &["max_tier", "max_cra_class"],
            KindName::NoKnownExploited => &[],
            KindName::Sbom
            | KindName::Vex
            | KindName::SignedUpdates
            | KindName::NoUniversalDefaultPassword => &["evidence"],
            KindName::Evidence => &["claims", "evidence"],
        };
        for field in used.iter().filter(|u| !allowed.contains(u)) {
            let also = if allowed.is_empty() {
                "it takes no parameter".to_owned()
            } else {
                format!("it takes {}", allowed.join(", "))
            };
            r.error(
                &at(field),
                format!("`{field}` does not apply to kind `{kind}`: {also}"),
            );
        }
        match q.kind {
            KindName::SupportPeriod => match q.years {
                None => r.error(
                    &at("years"),
                    "kind `support-period` needs `years` (whole years after the purchase date)",
                ),
                Some(y) if y == 0 || y > MAX_YEARS => r.error(
                    &at("years"),
                    format!("expected 1 to {MAX_YEARS} years, found {y}"),
                ),
                Some(_) => {}
            },
            KindName::Frameworks => match &q.frameworks {
                None => r.error(
                    &at("frameworks"),
                    "kind `frameworks` needs `frameworks` (ids as `riskmark frameworks list` prints them)",
                ),
                Some(list) if list.is_empty() => {
                    r.error(&at("frameworks"), "name at least one framework");
                }
                Some(list) => {
                    for (j, id) in list.iter().enumerate() {
                        if !framework_ids.contains(&id.as_str()) {
                            let hint = suggest(id, &framework_ids)
                                .map(|s| format!(" (did you mean `{s}`?)"))
                                .unwrap_or_default();
                            r.error(
                                &format!("requirement[{i}].frameworks[{j}]"),
                                format!(
                                    "unknown framework `{id}`{hint}; known: {}",
                                    framework_ids.join(", ")
                                ),
                            );
                        }
                    }
                }
            },
            KindName::Risk => {
                if q.max_tier.is_none() && q.max_cra_class.is_none() {
                    r.error(
                        &at("kind"),
                        "kind `risk` needs `max_tier` (low, medium, high, critical) and/or `max_cra_class` (out-of-scope, default, important-i, important-ii, critical)",
                    );
                }
            }
            KindName::Evidence => match &q.claims {
                None => r.error(
                    &at("claims"),
                    "kind `evidence` needs `claims` (dotted profile fields such as `updates.signed`)",
                ),
                Some(list) if list.is_empty() => {
                    r.error(&at("claims"), "name at least one claim");
                }
                Some(list) => {
                    for (j, c) in list.iter().enumerate() {
                        if !claim_paths.contains(&c.as_str()) {
                            let hint = suggest(c, &claim_paths)
                                .map(|s| format!(" (did you mean `{s}`?)"))
                                .unwrap_or_default();
                            r.error(
                                &format!("requirement[{i}].claims[{j}]"),
                                format!(
                                    "claim `{c}` names no profile field{hint}; claims are dotted paths such as `updates.signed`"
                                ),
                            );
                        }
                    }
                }
            },
            KindName::NoKnownExploited
            | KindName::Sbom
            | KindName::Vex
            | KindName::SignedUpdates
            | KindName::NoUniversalDefaultPassword => {}
        }
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}
