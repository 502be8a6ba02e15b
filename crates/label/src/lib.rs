//! Consumer labels: a layered security label for a connected product, computed from the
//! one [`Assessment`] value (verdicts are read, never recomputed) and the profile's facts.
//!
//! - **Primary layer** ([`svg::primary`], rendered to PNG and PDF by [`raster`]): the box on
//!   the package. Product and firmware, risk tier, security updates (how, and the
//!   guaranteed support end), default password, where to report a vulnerability, the data
//!   its sensors collect, whether it works offline, which frameworks' requirements it meets
//!   (UK PSTI, EN 303 645 mandatory provisions, the Singapore CLS level), the assessment
//!   date and a QR code to the registry page.
//! - **Secondary layer** ([`html::secondary`]): every framework verdict with reasons, the
//!   responsibility matrix, the SBOM and its known vulnerabilities, and the US Cyber Trust
//!   Mark registry fields (FCC 24-26).
//! - **Machine-readable label** ([`Label`], `label.json`), optionally signed ([`sign`]).
//!
//! # Device id
//!
//! [`device_id`]: `<slug(manufacturer)>-<slug(model)>-<hash>`, where a slug keeps ASCII
//! letters and digits (lowercased) and turns every other run of characters into one `-`
//! (each slug at most 32 characters, left out when empty), and `hash` is the first 8 hex
//! digits of SHA-256 over `norm(manufacturer) + "\n" + norm(model)`, `norm` being: trimmed,
//! inner whitespace runs collapsed to one space, Unicode lowercase. The id depends on
//! manufacturer and model only (not on the firmware version), so it stays the same across
//! releases and renames of the product's marketing name; the hash keeps two models apart
//! whose slugs collide (`SP-100` and `SP 100` share a slug, not a hash).
//!
//! # Signature
//!
//! [`sign`]: a [DSSE](https://github.com/secure-systems-lab/dsse) envelope in the
//! label's `signature` member. Its payload (type `application/vnd.riskmark.label+json`)
//! is the label without `signature`, canonicalized per RFC 8785 (JCS); the Ed25519
//! signature is over the DSSE pre-authentication encoding (PAE) of type and payload.
//! Verifying checks the signature and that the label's content is byte for byte the
//! signed payload.
//!
//! # Languages
//!
//! English, German, French, Spanish and Japanese, from Fluent files embedded at build
//! time (`i18n/<lang>/label.ftl`); every language has every message (tested).

#![warn(missing_docs)]

pub mod device_id;
pub mod fonts;
pub mod html;
pub mod i18n;
mod qr;
pub mod raster;
pub mod sign;
pub mod svg;

use riskmark_assess::Assessment;
use riskmark_checks::Status;
use riskmark_frameworks::{FrameworkResult, Obligation};
use riskmark_model::{Category, DataKind, DefaultPassword, Profile, UpdateMechanism};
use riskmark_risk::{CraClass, Tier};
use serde::{Deserialize, Serialize};

pub use device_id::device_id;
pub use i18n::Lang;

/// The format identifier of `label.json`.
pub const SCHEMA: &str = "riskmark/label/v1";

/// The registry base URL the QR code points at unless told otherwise.
pub const DEFAULT_REGISTRY_URL: &str = "https://registry.riskmark.dev/d/";

/// The frameworks the primary layer reports, in order: UK PSTI, ETSI EN 303 645 (the
/// current V3.1.3 catalog) and the Singapore CLS.
pub const LABEL_FRAMEWORKS: [&str; 3] = ["uk-psti", "etsi-en-303-645", "sg-cls"];

/// What a label is for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The language of the human-readable layers.
    pub lang: Lang,
    /// The registry base URL; the QR code encodes it followed by the device id.
    pub registry_url: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            lang: Lang::En,
            registry_url: DEFAULT_REGISTRY_URL.to_owned(),
        }
    }
}

/// The tool that made the label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `riskmark`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The product on the label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Manufacturer.
    pub manufacturer: String,
    /// Product name.
    pub name: String,
    /// Model.
    pub model: String,
    /// Firmware version; `null` when not declared.
    pub firmware_version: Option<String>,
    /// Category id.
    pub category: Category,
}

/// The risk classification, as the label shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// `low`, `medium`, `high` or `critical`.
    pub tier: Tier,
    /// 0-100.
    pub score: u32,
    /// The EU CRA class.
    pub cra_class: CraClass,
}

/// Security updates (the NTIA key elements).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Updates {
    /// `automatic`, `user-initiated`, `manual` or `none`; `null` when not declared.
    pub mechanism: Option<UpdateMechanism>,
    /// The date until which security updates are guaranteed; `null` when not declared.
    pub support_end: Option<String>,
    /// Whether the support period still runs on the assessment date; `null` when the
    /// end is not declared.
    pub supported: Option<bool>,
}

/// Whether the product meets a framework's requirements, from the assessment's verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// No mandatory control fails or needs evidence (for the CLS: level 1 or higher).
    Meets,
    /// No mandatory control fails, but some need evidence: the label never claims a
    /// failure that did not happen.
    EvidenceNeeded,
    /// A mandatory control fails (for the CLS: no level).
    DoesNotMeet,
    /// The framework does not apply to this product (markets, users, category).
    NotApplicable,
}

/// One framework line of the primary layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requirement {
    /// Framework id.
    pub framework: String,
    /// Framework title.
    pub title: String,
    /// Framework version.
    pub version: String,
    /// Whether it applies to this product.
    pub applies: bool,
    /// The outcome.
    pub outcome: Outcome,
    /// Mandatory controls that fail.
    pub mandatory_failing: usize,
    /// Mandatory controls whose facts are not declared.
    pub mandatory_needing_evidence: usize,
    /// For level schemes (Singapore CLS): the highest level supported (`L1`..`L4`, `none`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

/// The counts of known vulnerabilities in the label: active findings (not suppressed by
/// VEX, not low-confidence) by severity and KEV, and how many VEX suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownVulnerabilities {
    /// Active findings.
    pub active: usize,
    /// ... of critical severity.
    pub critical: usize,
    /// ... of high severity.
    pub high: usize,
    /// ... in the CISA Known Exploited Vulnerabilities catalog.
    pub kev: usize,
    /// Findings VEX statements suppress (`not_affected`, `fixed`).
    pub suppressed: usize,
}

/// The machine-readable label (`label.json`): every fact of the primary layer, plus the
/// device id, registry URL, assessment date and tool version. A `null` fact is one the
/// profile does not declare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// `riskmark/label/v1`.
    pub schema: String,
    /// The stable device id ([`device_id`]).
    pub device_id: String,
    /// The registry page: the registry base URL followed by the device id (the QR code).
    pub registry_url: String,
    /// The language of the human-readable layers.
    pub lang: Lang,
    /// The date the assessment speaks for (YYYY-MM-DD).
    pub assessed: String,
    /// The tool.
    pub tool: Tool,
    /// The product.
    pub product: Product,
    /// The risk classification.
    pub risk: Risk,
    /// Security updates.
    pub updates: Updates,
    /// How default passwords are set.
    pub default_password: Option<DefaultPassword>,
    /// Where to report a vulnerability (the profile's `disclosure.contact`).
    pub vulnerability_contact: Option<String>,
    /// The data its sensors collect.
    pub data_collected: Option<Vec<DataKind>>,
    /// Whether its core function survives loss of network and cloud.
    pub works_offline: Option<bool>,
    /// UK PSTI, EN 303 645 and Singapore CLS outcomes.
    pub requirements: Vec<Requirement>,
    /// Known vulnerabilities of the SBOM's components, when an SBOM was scanned (absent
    /// otherwise: not scanned is not "none known").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_vulnerabilities: Option<KnownVulnerabilities>,
    /// The DSSE envelope, when signed ([`sign`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<sign::Envelope>,
}

/// Errors making a label.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The QR code cannot hold the registry URL (too long).
    #[error("the registry URL is too long for a QR code ({len} bytes): {reason}")]
    Qr {
        /// URL length.
        len: usize,
        /// Why.
        reason: String,
    },
    /// The label SVG could not be parsed for rendering (a bug).
    #[error("label SVG could not be rendered: {0}")]
    Svg(String),
    /// PNG rendering failed.
    #[error("PNG rendering failed: {0}")]
    Png(String),
    /// PDF conversion failed.
    #[error("PDF conversion failed: {0}")]
    Pdf(String),
}

/// Builds the machine-readable label from an assessment and the profile it was made from.
pub fn build(a: &Assessment, profile: &Profile, opts: &Options) -> Label {
    let id = device_id(&a.subject.manufacturer, &a.subject.model);
    let support_end = profile
        .updates
        .as_ref()
        .and_then(|u| u.support_end.as_ref())
        .map(|d| d.0);
    let as_of = a.risk.as_of.parse::<jiff::civil::Date>().ok();
    let supported = match (support_end, as_of) {
        (Some(end), Some(now)) => Some(end >= now),
        _ => None,
    };
    let requirements = LABEL_FRAMEWORKS
        .iter()
        .filter_map(|id| a.frameworks.iter().find(|f| f.id == *id))
        .map(requirement)
        .collect();
    Label {
        schema: SCHEMA.to_owned(),
        registry_url: format!("{}{id}", opts.registry_url),
        device_id: id,
        lang: opts.lang,
        assessed: a.risk.as_of.clone(),
        tool: Tool {
            name: a.tool.name.to_owned(),
            version: a.tool.version.to_owned(),
        },
        product: Product {
            manufacturer: a.subject.manufacturer.clone(),
            name: a.subject.name.clone(),
            model: a.subject.model.clone(),
            firmware_version: a.subject.firmware_version.clone(),
            category: a.subject.category,
        },
        risk: Risk {
            tier: a.risk.tier,
            score: a.risk.score,
            cra_class: a.risk.cra_class,
        },
        updates: Updates {
            mechanism: profile.updates.as_ref().and_then(|u| u.mechanism),
            support_end: support_end.map(|d| d.to_string()),
            supported,
        },
        default_password: profile.identity.as_ref().and_then(|i| i.default_password),
        vulnerability_contact: profile.disclosure.as_ref().and_then(|d| d.contact.clone()),
        data_collected: profile.use_.data.clone(),
        works_offline: profile.resilience.as_ref().and_then(|r| r.works_offline),
        requirements,
        known_vulnerabilities: a.vulnerabilities.as_ref().map(|scan| {
            let c = scan.counts();
            KnownVulnerabilities {
                active: c.total,
                critical: c.critical,
                high: c.high,
                kev: c.kev,
                suppressed: c.suppressed,
            }
        }),
        signature: None,
    }
}

/// Reads a framework's outcome from its control verdicts: it meets the requirements when
/// no mandatory control fails or needs evidence, does not meet them when one fails, and
/// needs evidence when none fails but some are not shown; a level scheme meets them at
/// level 1 or higher.
fn requirement(f: &FrameworkResult) -> Requirement {
    let mandatory = f
        .controls
        .iter()
        .filter(|c| c.obligation == Obligation::Mandatory);
    let mandatory_failing = mandatory
        .clone()
        .filter(|c| c.status == Status::Fail)
        .count();
    let mandatory_needing_evidence = mandatory
        .filter(|c| c.status == Status::NeedsEvidence)
        .count();
    let outcome = if !f.applies {
        Outcome::NotApplicable
    } else if let Some(level) = &f.highest_level {
        if level == "none" {
            Outcome::DoesNotMeet
        } else {
            Outcome::Meets
        }
    } else if mandatory_failing > 0 {
        Outcome::DoesNotMeet
    } else if mandatory_needing_evidence > 0 {
        Outcome::EvidenceNeeded
    } else {
        Outcome::Meets
    };
    Requirement {
        framework: f.id.clone(),
        title: f.title.clone(),
        version: f.version.clone(),
        applies: f.applies,
        outcome,
        mandatory_failing,
        mandatory_needing_evidence,
        level: f.highest_level.clone(),
    }
}

impl Label {
    /// The label as pretty JSON (what `label.json` holds), with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Every output file of a label, in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The primary layer as SVG, text outlined from the embedded fonts (the words are in
    /// its `<title>` and `<desc>`).
    pub svg: String,
    /// The primary layer as PNG ([`raster::PNG_SCALE`] pixels per SVG unit).
    pub png: Vec<u8>,
    /// The primary layer as PDF, fonts embedded.
    pub pdf: Vec<u8>,
    /// The secondary layer.
    pub html: String,
    /// The machine-readable label.
    pub json: String,
}

/// Renders every layer of a label. `label` may be signed already; the signature does not
/// change what the layers show.
pub fn render(label: &Label, a: &Assessment, profile: &Profile) -> Result<Rendered, Error> {
    let svg = svg::primary(label)?;
    let png = raster::png(&svg)?;
    let pdf = raster::pdf(&svg)?;
    let html = html::secondary(label, a, profile, &svg);
    Ok(Rendered {
        svg: raster::outlined(&svg)?,
        png,
        pdf,
        html,
        json: label.to_json(),
    })
}
