//! Machine-readable outputs of a scan: CycloneDX 1.6 VEX, OpenVEX 0.2.0 (SARIF is in
//! `sarif.rs`).

use serde_json::{Value, json};

use crate::{FindingStatus, Scan, ScanFinding};

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn product_ref(f: &ScanFinding) -> String {
    f.purl.clone().unwrap_or_else(|| f.component_id.clone())
}

fn cdx_state(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Affected => "exploitable",
        FindingStatus::NotAffected => "not_affected",
        FindingStatus::Fixed => "resolved",
        FindingStatus::UnderInvestigation => "in_triage",
    }
}

/// CycloneDX 1.6 VEX: every finding with its analysis state.
pub fn cyclonedx_vex(scan: &Scan) -> String {
    let vulns: Vec<Value> = scan
        .findings
        .iter()
        .map(|f| {
            let mut analysis = json!({ "state": if f.vex.is_some() { cdx_state(f.status) } else { "in_triage" } });
            if let Some(v) = &f.vex {
                if let Some(j) = &v.justification {
                    analysis["justification"] = json!(j);
                }
                if let Some(d) = &v.detail {
                    analysis["detail"] = json!(d);
                }
            }
            let mut v = json!({
                "id": f.id,
                "references": f.aliases.iter().map(|a| json!({ "id": a, "source": { "name": "alias" } })).collect::<Vec<_>>(),
                "analysis": analysis,
                "affects": [{ "ref": f.component_id }]
            });
            if let Some(c) = &f.cvss {
                v["ratings"] = json!([{ "score": c.score, "vector": c.vector, "method": if c.vector.starts_with("CVSS:4") { "CVSSv4" } else if c.vector.starts_with("CVSS:3.1") { "CVSSv31" } else { "CVSSv3" } }]);
            }
            if let Some(s) = &f.summary {
                v["description"] = json!(s);
            }
            v
        })
        .collect();
    pretty(&json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": { "tools": { "components": [{ "type": "application", "name": "riskmark" }] } },
        "vulnerabilities": vulns
    }))
}

/// OpenVEX 0.2.0: one statement per finding (`under_investigation` when no VEX spoke).
pub fn openvex(scan: &Scan) -> String {
    let statements: Vec<Value> = scan
        .findings
        .iter()
        .map(|f| {
            let status = match (f.status, f.vex.is_some()) {
                (FindingStatus::NotAffected, _) => "not_affected",
                (FindingStatus::Fixed, _) => "fixed",
                (FindingStatus::Affected, true) => "affected",
                _ => "under_investigation",
            };
            let mut st = json!({
                "vulnerability": { "name": f.id, "aliases": f.aliases },
                "products": [{ "@id": product_ref(f) }],
                "status": status
            });
            if let Some(j) = f.vex.as_ref().and_then(|v| v.justification.clone()) {
                st["justification"] = json!(j);
            }
            if let Some(d) = f.vex.as_ref().and_then(|v| v.detail.clone()) {
                st["impact_statement"] = json!(d);
            }
            st
        })
        .collect();
    let built = scan
        .db
        .built_at
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |t| t.to_string());
    pretty(&json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("https://riskmark.dev/vex/{}", scan.sbom.replace(['/', '\\', ' '], "_")),
        "author": "riskmark",
        "timestamp": built,
        "version": 1,
        "statements": statements
    }))
}
