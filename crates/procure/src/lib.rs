//! A buyer's procurement gate: `riskmark procure PROFILE... --requirements FILE`.
//!
//! The buyer writes what they require as data, a `riskmark/requirements/v1` file (see
//! [`requirements`] and `examples/requirements/`); every candidate profile is assessed
//! through the one engine ([`riskmark_engine::evaluate`]) and each requirement is judged
//! from that assessment: `pass`, `fail` or `needs-evidence`, with the facts that decided
//! it. Nothing is recomputed here that the engine computes (tier, CRA class, framework
//! outcomes, the SBOM's known vulnerabilities); the gate only reads them.
//!
//! ## The requirements file
//!
//! ```toml
//! schema = "riskmark/requirements/v1"
//! title = "Example buyer"                # optional
//! purchase_date = "2026-12-05"           # optional; default: the assessment date (--as-of)
//!
//! [[requirement]]
//! id = "support-5y"                      # unique; lower-case letters, digits, - _ .
//! title = "Security updates for five years after purchase"
//! mandatory = true                       # a failure rejects the candidate
//! source = "NIST SP 800-213A, DEVICE-UPDATE"   # citation text
//! kind = "support-period"
//! years = 5
//! evidence = "declared"                  # or "lab-verified"; kinds that judge one claim
//! ```
//!
//! Kinds and their parameters:
//!
//! | kind | parameters | judges |
//! |---|---|---|
//! | `support-period` | `years` | `updates.support_end` at least `years` after the purchase date |
//! | `frameworks` | `frameworks = [ids]` | each framework's outcome: no mandatory (or, at the tier, expected) control fails or needs evidence; every control of a framework that has no mandatory one (NIST IR 8259A/B, SP 800-213A) |
//! | `risk` | `max_tier`, `max_cra_class` (one or both) | the tier and the EU CRA class |
//! | `no-known-exploited` | | no active SBOM finding in CISA's KEV catalog |
//! | `sbom` | | an SBOM is declared (`disclosure.sbom`) or given |
//! | `vex` | | a VEX document is given, or `disclosure.advisories_url` names a CSAF `provider-metadata.json` |
//! | `signed-updates` | | `updates.signed` |
//! | `no-universal-default-password` | | `identity.default_password` is not `universal` |
//! | `evidence` | `claims = [paths]` | every claim declared, or (`evidence = "lab-verified"`) backed by third-party `[[evidence]]` |
//!
//! A fact that is not declared is `needs-evidence`, never a pass or a fail; so is a pass
//! that rests on a declaration when `evidence = "lab-verified"` asks for a test report,
//! certificate or probe. `sbom`, `vex` and `evidence` judge whether something is shown,
//! so they pass or need evidence; they do not fail. `risk` is always computable (the
//! engine assumes cautious defaults for what is not declared), so it passes or fails.
//!
//! ## Decision
//!
//! A candidate is `reject`ed when a mandatory requirement fails, `needs-evidence` when
//! none fails but one needs evidence, else `accept`ed. Optional requirements are
//! reported and never decide.
//!
//! The library never prints; [`render`] makes the table, JSON (`riskmark/procure/v1`)
//! and HTML outputs.

#![warn(missing_docs)]

mod judge;
pub mod render;
pub mod requirements;
#[cfg(test)]
mod tests;

use riskmark_engine::{Database, Document, Inputs};
use serde::Serialize;

pub use judge::judge;
pub use requirements::{
    KINDS, Kind, Level, REQUIREMENTS_SCHEMA, Requirement, Requirements, load_bytes, load_path,
};

/// The format identifier of the JSON output.
pub const SCHEMA: &str = "riskmark/procure/v1";

/// How one requirement came out for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The facts meet the requirement.
    Pass,
    /// A fact is not declared, or not shown at the evidence level asked for.
    NeedsEvidence,
    /// The facts contradict the requirement.
    Fail,
}

impl Status {
    /// The identifier used in outputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::NeedsEvidence => "needs-evidence",
            Self::Fail => "fail",
        }
    }
}

/// What the gate says about a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Every mandatory requirement passes.
    Accept,
    /// No mandatory requirement fails, but one needs evidence.
    NeedsEvidence,
    /// A mandatory requirement fails.
    Reject,
}

impl Decision {
    /// The identifier used in outputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::NeedsEvidence => "needs-evidence",
            Self::Reject => "reject",
        }
    }
}

/// One requirement judged for one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The requirement's id.
    pub id: String,
    /// Whether the requirement is mandatory.
    pub mandatory: bool,
    /// The result.
    pub status: Status,
    /// The facts that decided it, in words.
    pub facts: Vec<String>,
}

/// One candidate product and what the gate says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The profile file.
    pub file: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Product name.
    pub name: String,
    /// Model.
    pub model: String,
    /// Firmware version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    /// Risk tier.
    pub tier: String,
    /// Risk score, 0-100.
    pub score: u32,
    /// EU CRA class.
    pub cra_class: String,
    /// The decision.
    pub decision: Decision,
    /// Ids of the mandatory requirements that fail.
    pub mandatory_failing: Vec<String>,
    /// Ids of the mandatory requirements that need evidence.
    pub mandatory_needing_evidence: Vec<String>,
    /// Every requirement, in the file's order.
    pub results: Vec<Outcome>,
    /// Problems that did not stop the assessment (a declared SBOM not found ...).
    pub warnings: Vec<String>,
}

/// The tool that made the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tool {
    /// `riskmark`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// The gate's report: the requirements once, then every candidate side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// `riskmark/procure/v1`.
    pub schema: &'static str,
    /// The tool.
    pub tool: Tool,
    /// The date the assessments speak for.
    pub as_of: String,
    /// The date support periods count from.
    pub purchase_date: String,
    /// The requirements file.
    pub requirements: Requirements,
    /// Every candidate, in the order given.
    pub profiles: Vec<Candidate>,
}

impl Report {
    /// Whether a mandatory requirement fails for any candidate (exit 1).
    pub fn any_rejected(&self) -> bool {
        self.profiles.iter().any(|p| p.decision == Decision::Reject)
    }

    /// Whether a mandatory requirement needs evidence for any candidate.
    pub fn any_needing_evidence(&self) -> bool {
        self.profiles
            .iter()
            .any(|p| !p.mandatory_needing_evidence.is_empty())
    }
}

/// A candidate's inputs.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The device profile.
    pub profile: Document,
    /// VEX documents the vendor gave with it (applied to the SBOM's findings).
    pub vex: Vec<Document>,
}

impl Offer {
    /// A profile alone.
    pub fn profile(profile: Document) -> Self {
        Self {
            profile,
            vex: Vec::new(),
        }
    }
}

/// How to assess the candidates.
#[derive(Debug, Clone)]
pub struct Options {
    /// The vulnerability database.
    pub database: Database,
    /// The date the assessments speak for (and the purchase date when the file has none).
    pub as_of: jiff::civil::Date,
}

/// Why the gate could not judge.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One or more candidates could not be assessed; each error names its input.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Profiles(Vec<riskmark_engine::Error>),
}

/// Assesses every offer through the engine and judges it against the requirements.
///
/// # Errors
/// [`Error::Profiles`] with every offer that could not be assessed.
pub fn procure(reqs: &Requirements, offers: &[Offer], opts: &Options) -> Result<Report, Error> {
    let purchase = reqs.purchase_date.unwrap_or(opts.as_of);
    let mut errors = Vec::new();
    let mut profiles = Vec::with_capacity(offers.len());
    for offer in offers {
        let inputs = Inputs {
            vex: offer.vex.clone(),
            database: opts.database.clone(),
            ..Inputs::new(offer.profile.clone(), opts.as_of)
        };
        match riskmark_engine::evaluate(&inputs) {
            Ok(e) => {
                let given: Vec<String> = offer.vex.iter().map(Document::name).collect();
                profiles.push(judge(reqs, &e, purchase, &given));
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Profiles(errors));
    }
    Ok(Report {
        schema: SCHEMA,
        tool: Tool {
            name: "riskmark",
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: opts.as_of.to_string(),
        purchase_date: purchase.to_string(),
        requirements: reqs.clone(),
        profiles,
    })
}
