//! `assess --format sarif`: SARIF 2.1.0, one result per failing or unproven check,
//! located at the profile line of the first fact it used.

use std::collections::BTreeMap;

use riskmark_assess::Assessment;
use riskmark_checks::Status;
use serde_json::{Value, json};

/// The assessment as a SARIF 2.1.0 log.
pub fn sarif(a: &Assessment) -> String {
    // Which framework controls each check decides, for the result's message and properties.
    let mut serves: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in a.frameworks.iter().filter(|f| f.applies) {
        for c in &f.controls {
            for code in &c.checks {
                serves
                    .entry(code.as_str())
                    .or_default()
                    .push(format!("{} {}", f.id, c.id));
            }
        }
    }
    let mut rules = Vec::new();
    let mut results = Vec::new();
    for v in &a.checks {
        let code: &str = v.code;
        let level = match v.status {
            Status::Fail => "error",
            Status::NeedsEvidence => "warning",
            Status::Pass | Status::NotApplicable => continue,
        };
        let rule_index = rules.len();
        rules.push(json!({
            "id": code,
            "name": code,
            "shortDescription": { "text": riskmark_checks::title(code).unwrap_or(code) },
            "helpUri": format!("https://riskmark.dev/checks/{code}"),
            "properties": { "controls": serves.get(code).cloned().unwrap_or_default() }
        }));
        let (line, column) = v
            .facts
            .first()
            .map(|f| a.locations.nearest(&f.path))
            .map_or((1, 1), |p| (p.line, p.column));
        let mut text = format!("{}: {}", crate::status_str(&v.status), v.reasons.join("; "));
        if let Some(ctrls) = serves.get(code) {
            text.push_str(&format!(" (serves {})", ctrls.join(", ")));
        }
        results.push(json!({
            "ruleId": code,
            "ruleIndex": rule_index,
            "level": level,
            "message": { "text": text },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": a.subject.file },
                    "region": { "startLine": line, "startColumn": column }
                },
                "logicalLocations": v.facts.iter().map(|f| json!({"fullyQualifiedName": f.path, "kind": "member"})).collect::<Vec<Value>>()
            }],
            "properties": { "status": crate::status_str(&v.status), "evidence": crate::status_str(&v.evidence) }
        }));
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "riskmark",
                "version": a.tool.version,
                "informationUri": "https://riskmark.dev",
                "rules": rules
            }},
            "artifacts": [{ "location": { "uri": a.subject.file } }],
            "results": results,
            "properties": {
                "tier": a.risk.tier,
                "score": a.risk.score,
                "cra_class": a.risk.cra_class
            }
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
