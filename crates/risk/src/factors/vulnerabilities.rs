//! Known vulnerabilities of the product's components (from its SBOM, VEX applied).

use serde_json::{Value, json};

use super::{Factor, FactorGroup, points};
use crate::{KnownVulns, Policy};

fn capped(n: usize, each: u32, max: u32) -> u32 {
    u32::try_from(n)
        .unwrap_or(u32::MAX)
        .saturating_mul(each)
        .min(max)
}

/// Pushes the known-vulnerabilities factor. Without a scanned SBOM the factor says so
/// instead of pretending the product has none.
pub(crate) fn factors(v: Option<&KnownVulns>, policy: &Policy, out: &mut Vec<Factor>) {
    let Some(v) = v else {
        out.push(Factor {
            name: "known_vulnerabilities".into(),
            group: FactorGroup::Vulnerabilities,
            value: Value::Null,
            declared: false,
            contribution: 0,
            reason: "not assessed: no SBOM was scanned for known vulnerabilities".into(),
        });
        return;
    };
    let w = &policy.vulnerabilities;
    let kev = capped(v.kev, w.kev, w.kev_max);
    let sev = capped(v.critical, w.critical, w.severity_max)
        .saturating_add(capped(v.high, w.high, w.severity_max))
        .min(w.severity_max);
    let epss = capped(v.high_epss, w.high_epss, w.high_epss_max);
    out.push(Factor {
        name: "known_vulnerabilities".into(),
        group: FactorGroup::Vulnerabilities,
        value: json!(v),
        declared: true,
        contribution: points(kev + sev + epss),
        reason: format!(
            "{} known vulnerabilities not suppressed by VEX: {} known exploited (CISA KEV, {} points), {} critical and {} high ({} points), {} with EPSS >= 0.1 ({} points)",
            v.total, v.kev, kev, v.critical, v.high, sev, v.high_epss, epss
        ),
    });
}
