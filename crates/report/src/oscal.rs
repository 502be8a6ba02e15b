//! `assess --format oscal`: OSCAL assessment results. One result per applicable
//! framework; one finding per control; one observation per atomic check the framework's
//! controls use, whose method says how the facts are known (EXAMINE for declarations,
//! TEST for third-party evidence). Every UUID is unique in the document and stable for
//! the same inputs (v5, from the names of what it identifies); `import-ap` points at the
//! assessment plan described in back-matter (riskmark's method, which has no separate
//! plan document). Validated in CI with the `oscal` package (metaschema structure, data
//! types, allowed values, cardinality) and the document-wide uniqueness and reference
//! rules (scripts/validate_oscal.py).

use riskmark_assess::Assessment;
use riskmark_checks::{Basis, Status};
use serde_json::{Value, json};
use uuid::Uuid;

/// A stable UUID (v5) for the same names, so outputs are reproducible.
fn id(parts: &[&str]) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("https://riskmark.dev/{}", parts.join("/")).as_bytes(),
    )
    .to_string()
}

/// The assessment as OSCAL assessment results (`{"assessment-results": ...}`).
pub fn oscal_assessment_results(a: &Assessment) -> String {
    let sub = &a.subject;
    let seed = format!(
        "{}/{}/{}/{}",
        sub.manufacturer,
        sub.model,
        sub.firmware_version.as_deref().unwrap_or(""),
        a.risk.as_of
    );
    let when = format!("{}T00:00:00Z", a.risk.as_of);
    let plan = id(&[&seed, "assessment-plan"]);
    // One observation per check, per result (a UUID may appear once in a document).
    let observation = |fw: &str, v: &riskmark_checks::Verdict| -> Value {
        let code: &str = v.code;
        let method = if v.evidence == Basis::Verified {
            "TEST"
        } else {
            "EXAMINE"
        };
        json!({
            "uuid": id(&[&seed, fw, "observation", code]),
            "title": code,
            "description": format!("{}: {}", crate::status_str(&v.status), if v.reasons.is_empty() { "no reason given".to_owned() } else { v.reasons.join("; ") }),
            "props": [
                { "name": "status", "ns": riskmark_frameworks::oscal::NS, "value": crate::status_str(&v.status) },
                { "name": "evidence", "ns": riskmark_frameworks::oscal::NS, "value": crate::status_str(&v.evidence) }
            ],
            "methods": [method],
            "collected": when
        })
    };
    let mut results = Vec::new();
    for f in a.frameworks.iter().filter(|f| f.applies) {
        let findings: Vec<Value> = f
            .controls
            .iter()
            .map(|c| {
                let state = match c.status {
                    Status::Pass | Status::NotApplicable => "satisfied",
                    Status::Fail | Status::NeedsEvidence => "not-satisfied",
                };
                let related: Vec<Value> = c
                    .checks
                    .iter()
                    .map(|code| json!({ "observation-uuid": id(&[&seed, &f.id, "observation", code]) }))
                    .collect();
                let mut finding = json!({
                    "uuid": id(&[&seed, &f.id, "finding", &c.id]),
                    "title": format!("{} {}", c.id, c.title),
                    "description": if c.reasons.is_empty() { crate::status_str(&c.status) } else { c.reasons.join("; ") },
                    "props": [
                        { "name": "status", "ns": riskmark_frameworks::oscal::NS, "value": crate::status_str(&c.status) },
                        { "name": "obligation", "ns": riskmark_frameworks::oscal::NS, "value": crate::status_str(&c.obligation) }
                    ],
                    "target": {
                        "type": "objective-id",
                        "target-id": c.oscal_id,
                        "status": { "state": state }
                    }
                });
                if !related.is_empty()
                    && let Some(obj) = finding.as_object_mut()
                {
                    obj.insert("related-observations".into(), Value::Array(related));
                }
                finding
            })
            .collect();
        let used: std::collections::BTreeSet<&str> = f
            .controls
            .iter()
            .flat_map(|c| c.checks.iter().map(String::as_str))
            .collect();
        let observations: Vec<Value> = a
            .checks
            .iter()
            .filter(|v| used.contains(v.code))
            .map(|v| observation(&f.id, v))
            .collect();
        results.push(json!({
            "uuid": id(&[&seed, &f.id, "result"]),
            "title": format!("{} {}", f.title, f.version),
            "description": format!("{} ({} pass, {} fail, {} need evidence, {} not applicable)", f.applies_reason, f.summary.pass, f.summary.fail, f.summary.needs_evidence, f.summary.not_applicable),
            "start": when,
            "reviewed-controls": { "control-selections": [{ "include-all": {} }] },
            "observations": observations,
            "findings": findings
        }));
    }
    if results.is_empty() {
        results.push(json!({
            "uuid": id(&[&seed, "result"]),
            "title": "No applicable framework",
            "description": "No framework applies to the product's declared markets and users.",
            "start": when,
            "reviewed-controls": { "control-selections": [{ "include-all": {} }] }
        }));
    }
    let doc = json!({
        "assessment-results": {
            "uuid": id(&[&seed]),
            "metadata": {
                "title": format!("riskmark assessment of {} {} ({})", sub.manufacturer, sub.name, sub.model),
                "last-modified": when,
                "version": a.tool.version,
                "oscal-version": "1.1.2",
                "props": [
                    { "name": "risk-tier", "ns": riskmark_frameworks::oscal::NS, "value": a.risk.tier.as_str() },
                    { "name": "cra-class", "ns": riskmark_frameworks::oscal::NS, "value": a.risk.cra_class.as_str() }
                ]
            },
            "import-ap": { "href": format!("#{plan}") },
            "results": results,
            "back-matter": { "resources": [{
                "uuid": plan,
                "title": "riskmark assessment plan",
                "description": "The method riskmark applies, which has no separate plan document: the \
                    device profile's declared facts (and third-party evidence where attested) are \
                    evaluated by riskmark's atomic checks, each framework's controls are mapped to \
                    those checks by its catalog, and the expectations are tailored to the product's \
                    risk tier.",
                "props": [{ "name": "tool", "ns": riskmark_frameworks::oscal::NS, "value": format!("riskmark {}", a.tool.version) }]
            }]}
        }
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
