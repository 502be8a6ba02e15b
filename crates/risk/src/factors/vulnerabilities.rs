//! Known vulnerabilities of the product's components (from its SBOM).

use serde_json::Value;

use super::{Factor, FactorGroup};

/// Pushes the known-vulnerabilities factor. No SBOM is scanned by `classify` yet, so the
/// factor says so instead of pretending the product has none.
pub(crate) fn factors(out: &mut Vec<Factor>) {
    out.push(Factor {
        name: "known_vulnerabilities".into(),
        group: FactorGroup::Vulnerabilities,
        value: Value::Null,
        declared: false,
        contribution: 0,
        reason: "not assessed: no SBOM was scanned for known vulnerabilities".into(),
    });
}
