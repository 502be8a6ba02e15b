//! Risk tiers and how the tier is decided.

use riskmark_model::{Profile, SafetyImpact};
use serde::{Deserialize, Serialize};

use crate::{CraClass, Policy};

/// A risk tier, from low to critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Baseline protection suffices.
    Low,
    /// All mandatory provisions, with an SBOM.
    Medium,
    /// Third-party assessment.
    High,
    /// Penetration test and certification.
    Critical,
}

impl Tier {
    /// All tiers, ascending.
    pub const ALL: &'static [Self] = &[Self::Low, Self::Medium, Self::High, Self::Critical];

    /// The identifier used in outputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    fn raised(self, steps: u8) -> Self {
        let i = Self::ALL.iter().position(|t| *t == self).unwrap_or(0);
        Self::ALL[(i + usize::from(steps)).min(Self::ALL.len() - 1)]
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tier: from the score, raised for prevalence, floored by safety and CRA class.
pub(crate) fn decide(
    score: u32,
    raise: u8,
    p: &Profile,
    cra: CraClass,
    policy: &Policy,
) -> (Tier, Vec<String>) {
    let t = &policy.tiers;
    let mut tier = if score >= t.critical {
        Tier::Critical
    } else if score >= t.high {
        Tier::High
    } else if score >= t.medium {
        Tier::Medium
    } else {
        Tier::Low
    };
    let mut reasons = vec![format!(
        "score {score} gives {tier} (thresholds: medium >= {}, high >= {}, critical >= {})",
        t.medium, t.high, t.critical
    )];
    if raise > 0 {
        let raised = tier.raised(raise);
        if raised > tier {
            reasons.push(format!(
                "a very large installed base raises the tier {raise} step(s) to {raised}"
            ));
            tier = raised;
        }
    }
    let f = &policy.floors;
    let mut floor = |min: Tier, why: String| {
        if min > tier {
            reasons.push(format!("{why}: at least {min}"));
            tier = min;
        }
    };
    match p.use_.safety_impact {
        Some(SafetyImpact::LifeCritical) => {
            floor(f.life_critical_safety, "life-critical safety impact".into());
        }
        Some(SafetyImpact::High) => floor(f.high_safety, "high safety impact".into()),
        _ => {}
    }
    match cra {
        CraClass::ImportantI => floor(f.cra_important_i, "EU CRA important class I".into()),
        CraClass::ImportantIi => floor(f.cra_important_ii, "EU CRA important class II".into()),
        CraClass::Critical => floor(f.cra_critical, "EU CRA critical class".into()),
        CraClass::Default | CraClass::OutOfScope => {}
    }
    (tier, reasons)
}
