//! Explainable risk categorization of connected products.
//!
//! [`classify`] turns a device profile into a [`Classification`]: a tier, a score whose
//! factor contributions add up to it, the EU CRA class with its legal entry, and the
//! assurance the tier calls for. Weights and thresholds are data ([`Policy`]).

#![warn(missing_docs)]

pub mod cra;
mod factors;
pub mod policy;
mod tier;

pub use cra::{CraClass, CraPlacement};
pub use factors::{Factor, FactorGroup};
pub use policy::{DEFAULT_POLICY, Policy, PolicyError};
pub use tier::Tier;

use jiff::civil::Date;
use riskmark_model::Profile;
use serde::Serialize;

/// What else is known when classifying.
#[derive(Debug, Clone)]
pub struct Context {
    /// The date of the assessment (support periods are judged against it).
    pub as_of: Date,
    /// Known vulnerabilities of the SBOM's components, when an SBOM was scanned.
    pub vulnerabilities: Option<KnownVulns>,
}

impl Context {
    /// A context with only a date (no SBOM scanned).
    pub const fn on(as_of: Date) -> Self {
        Self {
            as_of,
            vulnerabilities: None,
        }
    }
}

/// Counts of the known vulnerabilities that VEX does not suppress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KnownVulns {
    /// All findings.
    pub total: usize,
    /// Critical severity.
    pub critical: usize,
    /// High severity.
    pub high: usize,
    /// In CISA's Known Exploited Vulnerabilities catalog.
    pub kev: usize,
    /// With an EPSS probability of at least 0.1.
    pub high_epss: usize,
}

/// The evidence and conformity route a classification calls for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assurance {
    /// The evidence the tier calls for.
    pub evidence: String,
    /// The CRA conformity assessment route of the class.
    pub conformity_route: String,
}

/// The policy a classification used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyRef {
    /// Policy name.
    pub name: String,
    /// Policy version.
    pub version: String,
}

/// The risk categorization of one product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// The risk tier.
    pub tier: Tier,
    /// The score, 0-100: the sum of the factors' contributions.
    pub score: u32,
    /// The EU CRA class.
    pub cra_class: CraClass,
    /// Which Annex entry or exclusion decides the class, and why.
    pub cra_reason: String,
    /// The legal entry alone (e.g. `Annex III, class I, point 17`).
    pub cra_entry: String,
    /// The evidence and conformity route the tier and class call for.
    pub assurance: Assurance,
    /// How the tier was reached from the score, prevalence and floors.
    pub tier_reasons: Vec<String>,
    /// The highest impact level (0-4) of any dimension.
    pub impact_level: u8,
    /// Every factor, with its contribution to the score.
    pub factors: Vec<Factor>,
    /// The date the assessment speaks for.
    pub as_of: String,
    /// The policy used.
    pub policy: PolicyRef,
}

/// Classifies a profile under a policy.
pub fn classify(profile: &Profile, policy: &Policy, ctx: &Context) -> Classification {
    let cra = cra::place(profile);
    let mut factors = Vec::new();
    let impact_level = factors::impact::factors(profile, policy, &mut factors);
    factors::exposure::factors(profile, policy, ctx, &mut factors);
    factors::vulnerabilities::factors(ctx.vulnerabilities.as_ref(), policy, &mut factors);
    let raise = factors::prevalence::factors(profile, policy, &mut factors);
    factors::cost_benefit::factors(profile, &mut factors);
    let sum: i64 = factors.iter().map(|f| i64::from(f.contribution)).sum();
    if sum > 100 {
        factors.push(Factor {
            name: "score_cap".into(),
            group: FactorGroup::Adjustment,
            value: serde_json::Value::from(sum),
            declared: true,
            contribution: -i32::try_from(sum - 100).unwrap_or(i32::MAX),
            reason: format!("the contributions add up to {sum}; the score is capped at 100"),
        });
    }
    let score = u32::try_from(sum.clamp(0, 100)).unwrap_or(100);
    let (tier, tier_reasons) = tier::decide(score, raise, profile, cra.class, policy);
    let evidence = policy
        .assurance
        .get(&tier)
        .map(|a| a.evidence.clone())
        .unwrap_or_default();
    Classification {
        tier,
        score,
        cra_class: cra.class,
        cra_reason: cra.reason,
        cra_entry: cra.entry,
        assurance: Assurance {
            evidence,
            conformity_route: cra.class.conformity_route().to_owned(),
        },
        tier_reasons,
        impact_level,
        factors,
        as_of: ctx.as_of.to_string(),
        policy: PolicyRef {
            name: policy.name.clone(),
            version: policy.version.clone(),
        },
    }
}
