//! `assess --format sarif`: SARIF 2.1.0, one result per failing or unproven check,
//! located at the profile line of the first fact it used. GitHub code scanning accepts it
//! (the SARIF Multitool's GitHub and SARIF rules pass with no error or warning; tested
//! in CI).
//!
//! Each rule carries the check's own documentation as `fullDescription` and `help`, and
//! a `security-severity` from the product's risk tier: a failing check of a critical,
//! high, medium or low tier product is 9.5, 8.0, 6.0 or 4.0; a check that needs
//! evidence is 2.0 lower (a missing proof ranks below a proven failure).

use std::collections::BTreeMap;

use riskmark_assess::Assessment;
use riskmark_checks::Status;
use riskmark_risk::Tier;
use riskmark_scan::{sarif_artifact_location, sarif_security_severity};
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
        let title = riskmark_checks::title(code).unwrap_or(code);
        let doc = riskmark_checks::doc(code).unwrap_or_default();
        let what = section(&doc, "What it checks").unwrap_or_else(|| title.to_owned());
        let remedy = section(&doc, "Remediation")
            .unwrap_or_else(|| format!("Declare the facts this check needs, or meet it: {title}."));
        let base = match a.risk.tier {
            Tier::Critical => 9.5,
            Tier::High => 8.0,
            Tier::Medium => 6.0,
            Tier::Low => 4.0,
        };
        let severity = if v.status == Status::Fail {
            base
        } else {
            base - 2.0
        };
        rules.push(json!({
            "id": code,
            "name": pascal(code),
            "shortDescription": { "text": title },
            "fullDescription": { "text": what },
            "help": {
                "text": remedy,
                "markdown": if doc.is_empty() { remedy.clone() } else { doc.clone() }
            },
            "helpUri": format!("https://riskmark.dev/checks/{code}"),
            "properties": {
                "security-severity": sarif_security_severity(severity),
                "tags": ["security", "iot"],
                "controls": serves.get(code).cloned().unwrap_or_default()
            }
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
                    "artifactLocation": sarif_artifact_location(&a.subject.file),
                    "region": { "startLine": line, "startColumn": column, "endLine": line, "endColumn": column + 1 }
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
                "semanticVersion": a.tool.version,
                "informationUri": "https://riskmark.dev",
                "rules": rules
            }},
            "artifacts": [{ "location": sarif_artifact_location(&a.subject.file) }],
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

/// The text of a `## Heading` section of a check's documentation, joined into one
/// paragraph.
fn section(doc: &str, heading: &str) -> Option<String> {
    let mut lines = doc
        .lines()
        .skip_while(|l| l.trim() != format!("## {heading}"));
    lines.next()?;
    let text: Vec<&str> = lines
        .take_while(|l| !l.starts_with("## "))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

/// A rule's friendly name: the code in PascalCase (`default-password-universal` ->
/// `DefaultPasswordUniversal`).
fn pascal(code: &str) -> String {
    code.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
