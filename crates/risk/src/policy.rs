//! The risk policy: weights, thresholds and floors as data.

use std::collections::BTreeMap;
use std::path::Path;

use riskmark_model::{
    DataKind, Environment, LoadError, PhysicalEffect, Reporter, SafetyImpact, load_document,
    read_limited,
};
use serde::{Deserialize, Serialize};

use crate::Tier;

/// The shipped default policy, as text.
pub const DEFAULT_POLICY: &str = include_str!("../policy/default.toml");

/// The policy format identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicySchema {
    /// Version 1.
    #[serde(rename = "riskmark/policy/v1")]
    V1,
}

/// A risk policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Format identifier.
    pub schema: PolicySchema,
    /// Name of the policy.
    pub name: String,
    /// Version of the policy.
    pub version: String,
    /// Impact weights.
    pub impact: ImpactPolicy,
    /// Exposure points.
    pub exposure: ExposurePolicy,
    /// Points of known vulnerabilities (absent in older policy files: the defaults apply).
    #[serde(default)]
    pub vulnerabilities: VulnPolicy,
    /// Installed-base buckets.
    pub prevalence: PrevalencePolicy,
    /// Score thresholds.
    pub tiers: Thresholds,
    /// Tier floors.
    pub floors: Floors,
    /// Evidence per tier.
    pub assurance: BTreeMap<Tier, AssuranceText>,
}

/// How impact levels become points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactPolicy {
    /// Points per level of the highest dimension.
    pub points_per_level: u32,
    /// Points for each further dimension at `breadth_min_level` or more.
    pub breadth_points: u32,
    /// Level from which a further dimension adds breadth points.
    pub breadth_min_level: u8,
    /// Most breadth points in total.
    pub breadth_max_points: u32,
    /// Levels of `use.safety_impact`.
    pub safety: LevelTable<SafetyImpact>,
    /// Levels of `use.physical_effects` (the highest applies).
    pub physical_effects: LevelTable<PhysicalEffect>,
    /// Levels of `use.data` (the highest applies).
    pub data: LevelTable<DataKind>,
    /// Levels of `use.environment`.
    pub environment: LevelTable<Environment>,
    /// Levels of the yes/no facts.
    pub flags: FlagLevels,
}

/// Impact level (0-4) per value, and for "not declared".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "K: Ord + Deserialize<'de>"))]
pub struct LevelTable<K: Ord> {
    /// Level per value.
    #[serde(flatten)]
    pub levels: BTreeMap<K, u8>,
    /// Level assumed when not declared and the catalogue has no typical value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undeclared: Option<u8>,
}

impl<K: Ord + Copy> LevelTable<K> {
    /// The level of one value (0 when the policy does not list it).
    pub fn level(&self, k: K) -> u8 {
        self.levels.get(&k).copied().unwrap_or(0)
    }
}

/// Levels of the yes/no impact facts when they hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagLevels {
    /// `use.children = true`.
    pub children: u8,
    /// `use.security_function = true`.
    pub security_function: u8,
}

/// Points of declared weaknesses (and of undeclared facts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ExposurePolicy {
    pub internet_reachable: u32,
    pub internet_reachable_undeclared: u32,
    pub upnp: u32,
    pub upnp_undeclared: u32,
    pub unauthenticated_service: u32,
    pub unauthenticated_service_max: u32,
    pub universal_default_password: u32,
    pub default_password_undeclared: u32,
    pub no_update_mechanism: u32,
    pub unsigned_updates: u32,
    pub updates_undeclared: u32,
    pub support_expired: u32,
    pub support_end_undeclared: u32,
    pub no_brute_force_protection: u32,
    pub plaintext_credentials: u32,
    /// Listening services not declared (fewer points than one unauthenticated service).
    #[serde(default = "two")]
    pub services_undeclared: u32,
    /// Brute-force protection not declared while passwords or PINs are in use.
    #[serde(default = "two")]
    pub brute_force_protection_undeclared: u32,
    /// Credential storage not declared.
    #[serde(default = "two")]
    pub credential_storage_undeclared: u32,
}

/// The default of the `*_undeclared` points added in policy 2026.12, so that policy
/// files written before them keep loading with the shipped behaviour.
const fn two() -> u32 {
    2
}

/// Points of known vulnerabilities found in the SBOM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct VulnPolicy {
    pub kev: u32,
    pub kev_max: u32,
    pub critical: u32,
    pub high: u32,
    pub severity_max: u32,
    pub high_epss: u32,
    pub high_epss_max: u32,
}

impl Default for VulnPolicy {
    fn default() -> Self {
        Self {
            kev: 10,
            kev_max: 20,
            critical: 4,
            high: 2,
            severity_max: 12,
            high_epss: 3,
            high_epss_max: 9,
        }
    }
}

/// Installed-base buckets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrevalencePolicy {
    /// Points when `product.units_in_market` is not declared.
    pub undeclared_points: u32,
    /// Buckets in ascending `min_units`.
    pub bucket: Vec<Bucket>,
}

/// One installed-base bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// Smallest installed base in the bucket.
    pub min_units: u64,
    /// Points added to the score.
    pub points: u32,
    /// Tier steps added (systemic risk of very common devices).
    #[serde(default)]
    pub raise_tier: u8,
}

/// Score thresholds of the tiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Thresholds {
    pub medium: u32,
    pub high: u32,
    pub critical: u32,
}

/// Tier floors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Floors {
    pub life_critical_safety: Tier,
    pub high_safety: Tier,
    pub cra_important_i: Tier,
    pub cra_important_ii: Tier,
    pub cra_critical: Tier,
}

/// What a tier calls for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssuranceText {
    /// The evidence the tier calls for.
    pub evidence: String,
}

/// Why a policy could not be used.
pub type PolicyError = LoadError;

impl Policy {
    /// The shipped default policy.
    pub fn default_policy() -> Self {
        // The embedded text is validated by a unit test; fall back never happens in a
        // tested build, but a library must not panic.
        Self::from_bytes("default-policy.toml", DEFAULT_POLICY.as_bytes())
            .unwrap_or_else(|_| Self::empty())
    }

    /// Loads and validates a policy file.
    pub fn from_path(path: &Path) -> Result<Self, PolicyError> {
        let bytes = read_limited(path)?;
        Self::from_bytes(&path.display().to_string(), &bytes)
    }

    /// Validates a policy held in memory.
    pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Self, PolicyError> {
        load_document::<Self>(file, bytes, validate).map(|(p, _)| p)
    }

    fn empty() -> Self {
        Self {
            schema: PolicySchema::V1,
            name: "empty".into(),
            version: "0".into(),
            impact: ImpactPolicy {
                points_per_level: 0,
                breadth_points: 0,
                breadth_min_level: 5,
                breadth_max_points: 0,
                safety: LevelTable {
                    levels: BTreeMap::new(),
                    undeclared: None,
                },
                physical_effects: LevelTable {
                    levels: BTreeMap::new(),
                    undeclared: None,
                },
                data: LevelTable {
                    levels: BTreeMap::new(),
                    undeclared: None,
                },
                environment: LevelTable {
                    levels: BTreeMap::new(),
                    undeclared: None,
                },
                flags: FlagLevels {
                    children: 0,
                    security_function: 0,
                },
            },
            exposure: ExposurePolicy {
                internet_reachable: 0,
                internet_reachable_undeclared: 0,
                upnp: 0,
                upnp_undeclared: 0,
                unauthenticated_service: 0,
                unauthenticated_service_max: 0,
                universal_default_password: 0,
                default_password_undeclared: 0,
                no_update_mechanism: 0,
                unsigned_updates: 0,
                updates_undeclared: 0,
                support_expired: 0,
                support_end_undeclared: 0,
                no_brute_force_protection: 0,
                plaintext_credentials: 0,
                services_undeclared: 0,
                brute_force_protection_undeclared: 0,
                credential_storage_undeclared: 0,
            },
            vulnerabilities: VulnPolicy::default(),
            prevalence: PrevalencePolicy {
                undeclared_points: 0,
                bucket: Vec::new(),
            },
            tiers: Thresholds {
                medium: 101,
                high: 101,
                critical: 101,
            },
            floors: Floors {
                life_critical_safety: Tier::Critical,
                high_safety: Tier::Low,
                cra_important_i: Tier::Low,
                cra_important_ii: Tier::Low,
                cra_critical: Tier::Low,
            },
            assurance: BTreeMap::new(),
        }
    }

    /// The prevalence bucket of an installed base.
    pub fn bucket(&self, units: u64) -> Option<&Bucket> {
        self.prevalence
            .bucket
            .iter()
            .rev()
            .find(|b| b.min_units <= units)
    }
}

/// Semantic rules a policy must satisfy (beyond its types).
fn validate(p: &Policy, r: &mut Reporter<'_, '_>) {
    type Table<'a> = (&'a str, Vec<(String, u8)>, Option<u8>);
    let level_tables: [Table<'_>; 4] = [
        (
            "impact.safety",
            entries(&p.impact.safety.levels),
            p.impact.safety.undeclared,
        ),
        (
            "impact.physical_effects",
            entries(&p.impact.physical_effects.levels),
            p.impact.physical_effects.undeclared,
        ),
        (
            "impact.data",
            entries(&p.impact.data.levels),
            p.impact.data.undeclared,
        ),
        (
            "impact.environment",
            entries(&p.impact.environment.levels),
            p.impact.environment.undeclared,
        ),
    ];
    for (table, levels, undeclared) in level_tables {
        for (k, v) in levels
            .into_iter()
            .chain(undeclared.map(|u| ("undeclared".into(), u)))
        {
            if v > 4 {
                r.error(
                    &format!("{table}.{k}"),
                    format!("impact levels run from 0 to 4, got {v}"),
                );
            }
        }
    }
    for (k, v) in [
        ("children", p.impact.flags.children),
        ("security_function", p.impact.flags.security_function),
    ] {
        if v > 4 {
            r.error(
                &format!("impact.flags.{k}"),
                format!("impact levels run from 0 to 4, got {v}"),
            );
        }
    }
    if p.impact.safety.undeclared.is_none() {
        r.error(
            "impact.safety",
            "missing `undeclared`: the level assumed when safety impact is not declared",
        );
    }
    if p.impact.environment.undeclared.is_none() {
        r.error(
            "impact.environment",
            "missing `undeclared`: the level assumed when the environment is not declared",
        );
    }
    // Not declaring a fact must never cost more than declaring the weakness: otherwise
    // declaring the weakness would lower the score.
    let e = &p.exposure;
    for (undeclared, u, weakness, w) in [
        (
            "internet_reachable_undeclared",
            e.internet_reachable_undeclared,
            "internet_reachable",
            e.internet_reachable,
        ),
        ("upnp_undeclared", e.upnp_undeclared, "upnp", e.upnp),
        (
            "services_undeclared",
            e.services_undeclared,
            "unauthenticated_service",
            e.unauthenticated_service.min(e.unauthenticated_service_max),
        ),
        (
            "default_password_undeclared",
            e.default_password_undeclared,
            "universal_default_password",
            e.universal_default_password,
        ),
        (
            "updates_undeclared",
            e.updates_undeclared,
            "unsigned_updates",
            e.unsigned_updates.min(e.no_update_mechanism),
        ),
        (
            "support_end_undeclared",
            e.support_end_undeclared,
            "support_expired",
            e.support_expired,
        ),
        (
            "brute_force_protection_undeclared",
            e.brute_force_protection_undeclared,
            "no_brute_force_protection",
            e.no_brute_force_protection,
        ),
        (
            "credential_storage_undeclared",
            e.credential_storage_undeclared,
            "plaintext_credentials",
            e.plaintext_credentials,
        ),
    ] {
        if u > w {
            r.error(
                &format!("exposure.{undeclared}"),
                format!(
                    "{u} points for a fact not declared is more than the {w} of declaring the \
                     weakness (`exposure.{weakness}`): declaring it would lower the score"
                ),
            );
        }
    }
    let t = &p.tiers;
    if !(t.medium <= t.high && t.high <= t.critical && t.critical <= 100) {
        r.error(
            "tiers",
            format!(
                "thresholds must rise and stay within 0-100 (medium <= high <= critical <= 100), got {}, {}, {}",
                t.medium, t.high, t.critical
            ),
        );
    }
    if p.prevalence.bucket.is_empty() {
        r.error(
            "prevalence.bucket",
            "at least one bucket is needed (use min_units = 0)",
        );
    }
    if let Some(first) = p.prevalence.bucket.first()
        && first.min_units != 0
    {
        r.error(
            "prevalence.bucket[0].min_units",
            "the first bucket must start at 0 units",
        );
    }
    for (i, w) in p.prevalence.bucket.windows(2).enumerate() {
        let path = format!("prevalence.bucket[{}]", i + 1);
        if w[1].min_units <= w[0].min_units {
            r.error(
                &format!("{path}.min_units"),
                "buckets must be in ascending order of min_units",
            );
        }
        if w[1].points < w[0].points || w[1].raise_tier < w[0].raise_tier {
            r.error(
                &path,
                "a larger installed base must not give fewer points or tier steps (the score must be monotone)",
            );
        }
    }
    for tier in Tier::ALL {
        if !p.assurance.contains_key(tier) {
            r.error("assurance", format!("missing [assurance.{tier}]"));
        }
    }
}

fn entries<K: Ord + Serialize>(m: &BTreeMap<K, u8>) -> Vec<(String, u8)> {
    m.iter()
        .map(|(k, v)| {
            let name = serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            (name, *v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_is_valid() {
        let p = Policy::from_bytes("default.toml", DEFAULT_POLICY.as_bytes());
        assert!(
            p.is_ok(),
            "{}",
            p.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }

    fn errs(text: &str) -> String {
        match Policy::from_bytes("p.toml", text.as_bytes()) {
            Ok(_) => panic!("policy accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn unknown_key_is_located() {
        let text = DEFAULT_POLICY.replace("upnp_undeclared = 2", "upnp_undeclard = 2");
        let e = errs(&text);
        let line = text
            .lines()
            .position(|l| l.contains("upnp_undeclard"))
            .unwrap()
            + 1;
        assert!(
            e.starts_with(&format!("p.toml:{line}:1: field `exposure.upnp_undeclard`")),
            "{e}"
        );
        assert!(e.contains("did you mean `upnp_undeclared`"), "{e}");
    }

    #[test]
    fn negative_points_are_a_type_error() {
        let e = errs(&DEFAULT_POLICY.replace("upnp = 5", "upnp = -5"));
        assert!(e.contains("field `exposure.upnp`"), "{e}");
    }

    #[test]
    fn decreasing_buckets_are_refused() {
        let text = DEFAULT_POLICY.replace("points = 10\n", "points = 1\n");
        let e = errs(&text);
        assert!(
            e.contains("prevalence.bucket[3]") && e.contains("monotone"),
            "{e}"
        );
    }

    #[test]
    fn thresholds_must_rise() {
        let e = errs(&DEFAULT_POLICY.replace("high = 45", "high = 95"));
        assert!(e.contains("field `tiers`"), "{e}");
    }

    #[test]
    fn levels_are_bounded_and_enums_checked() {
        let e = errs(&DEFAULT_POLICY.replace("biometric = 3", "biometric = 7"));
        assert!(
            e.contains("impact.data.biometric") && e.contains("0 to 4"),
            "{e}"
        );
        let e = errs(&DEFAULT_POLICY.replace("biometric = 3", "biometrics = 3"));
        assert!(e.contains("impact.data"), "{e}");
    }
}
