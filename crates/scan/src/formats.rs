//! Machine-readable outputs of a scan: CycloneDX 1.6 VEX, OpenVEX 0.2.0 (SARIF is in
//! `sarif.rs`).

use serde_json::{Value, json};

use riskmark_vex::Justification;

use crate::{FindingStatus, Scan, ScanFinding};

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn cdx_state(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Affected => "exploitable",
        FindingStatus::NotAffected => "not_affected",
        FindingStatus::Fixed => "resolved",
        FindingStatus::UnderInvestigation => "in_triage",
    }
}

/// A justification in one format's words, whatever format the input VEX used (an unknown
/// one is left out rather than copied into a format that does not have it).
fn justification(f: &ScanFinding, out: fn(Justification) -> &'static str) -> Option<&'static str> {
    f.vex
        .as_ref()
        .and_then(|v| v.justification.as_deref())
        .and_then(Justification::parse)
        .map(out)
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A stable URN of the scan's SBOM (its name), for ids of documents and products.
fn sbom_urn(scan: &Scan) -> String {
    format!("urn:riskmark:sbom:{}", encode(&scan.sbom))
}

/// The product IRI of a finding's component: its purl, else a URN of the SBOM and the
/// component's id in it.
fn product_iri(scan: &Scan, f: &ScanFinding) -> String {
    f.purl
        .as_deref()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{}:component:{}", sbom_urn(scan), encode(&f.component_id)))
}

/// A stable UUID (v5) of the names.
fn uuid(parts: &[&str]) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, parts.join("/").as_bytes()).to_string()
}

/// CycloneDX 1.6 VEX: every finding with its analysis state. The affected components are
/// listed in the document, so every `affects[].ref` resolves inside it; justifications
/// are CycloneDX's (mapped from OpenVEX or CSAF input by [`Justification`]).
pub fn cyclonedx_vex(scan: &Scan) -> String {
    let mut components: Vec<Value> = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    for f in &scan.findings {
        if listed.insert(f.component_id.clone()) {
            let mut c = json!({
                "type": "library",
                "bom-ref": f.component_id,
                "name": f.component,
                "version": f.version,
            });
            if let Some(p) = &f.purl {
                c["purl"] = json!(p);
            }
            components.push(c);
        }
    }
    // One vulnerability per id, affecting every component it was found in.
    let mut order: Vec<&str> = Vec::new();
    let mut by_id: std::collections::BTreeMap<&str, Vec<&ScanFinding>> = Default::default();
    for f in &scan.findings {
        if !by_id.contains_key(&*f.id) {
            order.push(&f.id);
        }
        by_id.entry(&f.id).or_default().push(f);
    }
    let vulns: Vec<Value> = order
        .iter()
        .map(|id| {
            let fs = &by_id[id];
            let f = fs[0];
            let mut analysis = json!({ "state": if f.vex.is_some() { cdx_state(f.status) } else { "in_triage" } });
            if let Some(j) = justification(f, Justification::cyclonedx) {
                analysis["justification"] = json!(j);
            }
            if let Some(v) = &f.vex {
                let detail = [v.detail.as_deref(), v.action.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !detail.is_empty() {
                    analysis["detail"] = json!(detail);
                }
            }
            let mut refs: Vec<&str> = fs.iter().map(|f| &*f.component_id).collect();
            refs.dedup();
            let mut v = json!({
                "bom-ref": format!("vuln-{}", encode(id)),
                "id": id,
                "analysis": analysis,
                "affects": refs.iter().map(|r| json!({ "ref": r })).collect::<Vec<_>>(),
            });
            if !f.aliases.is_empty() {
                v["references"] = json!(f.aliases.iter().map(|a| json!({
                    "id": a,
                    "source": { "name": if a.starts_with("CVE-") { "NVD" } else if a.starts_with("GHSA-") { "GitHub" } else { "OSV" } }
                })).collect::<Vec<_>>());
            }
            if let Some(c) = &f.cvss {
                let method = if c.vector.starts_with("CVSS:4") {
                    "CVSSv4"
                } else if c.vector.starts_with("CVSS:3.1") {
                    "CVSSv31"
                } else if c.vector.starts_with("CVSS:3") {
                    "CVSSv3"
                } else {
                    "CVSSv2"
                };
                v["ratings"] = json!([{ "score": c.score, "vector": c.vector, "method": method }]);
            }
            if let Some(s) = &f.summary {
                v["description"] = json!(s);
            }
            v
        })
        .collect();
    let mut doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", uuid(&["riskmark-vex", &scan.sbom, &scan.db.built_at.map(|t| t.to_string()).unwrap_or_default()])),
        "version": 1,
        "metadata": { "tools": { "components": [{ "type": "application", "name": "riskmark", "version": env!("CARGO_PKG_VERSION") }] } },
        "components": components,
        "vulnerabilities": vulns
    });
    if let Some(t) = scan.db.built_at {
        doc["metadata"]["timestamp"] = json!(t.to_string());
    }
    pretty(&doc)
}

/// OpenVEX 0.2.0: one statement per vulnerability and product (`under_investigation`
/// when no VEX spoke), justifications in OpenVEX's words, the input's action statement
/// kept. `None` when there is no finding: OpenVEX needs at least one statement, and
/// riskmark does not claim products unaffected by vulnerabilities it does not know (as
/// `vexctl`, it makes no document without a statement).
pub fn openvex(scan: &Scan) -> Option<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut statements: Vec<Value> = Vec::new();
    for f in &scan.findings {
        let status = match (f.status, f.vex.is_some()) {
            (FindingStatus::NotAffected, _) => "not_affected",
            (FindingStatus::Fixed, _) => "fixed",
            (FindingStatus::Affected, true) => "affected",
            _ => "under_investigation",
        };
        let product = product_iri(scan, f);
        // An SBOM that lists a package twice gives one statement (the schema's uniqueItems).
        if !seen.insert((f.id.clone(), product.clone(), status)) {
            continue;
        }
        let mut st = json!({
            "vulnerability": { "name": f.id },
            "products": [{ "@id": product }],
            "status": status
        });
        if !f.aliases.is_empty() {
            st["vulnerability"]["aliases"] = json!(f.aliases);
        }
        if status == "not_affected" {
            match (
                justification(f, Justification::openvex),
                f.vex.as_ref().and_then(|v| v.detail.clone()),
            ) {
                (Some(j), detail) => {
                    st["justification"] = json!(j);
                    if let Some(d) = detail {
                        st["impact_statement"] = json!(d);
                    }
                }
                (None, Some(d)) => st["impact_statement"] = json!(d),
                (None, None) => {
                    st["impact_statement"] = json!(format!(
                        "Not affected according to {}.",
                        f.vex
                            .as_ref()
                            .map_or("a VEX statement", |v| v.source.as_str())
                    ));
                }
            }
        }
        if status == "affected" {
            let action = f
                .vex
                .as_ref()
                .and_then(|v| v.action.clone())
                .unwrap_or_else(|| {
                    if f.fixed.is_empty() {
                        format!(
                            "No fixed version of {} is known: mitigate or replace it.",
                            f.component
                        )
                    } else {
                        format!("Update {} to {}.", f.component, f.fixed.join(" or "))
                    }
                });
            st["action_statement"] = json!(action);
        }
        statements.push(st);
    }
    if statements.is_empty() {
        return None;
    }
    let built = scan
        .db
        .built_at
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |t| t.to_string());
    Some(pretty(&json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": format!("https://riskmark.dev/vex/{}", uuid(&["riskmark-openvex", &scan.sbom, &built])),
        "author": "riskmark",
        "timestamp": built,
        "version": 1,
        "statements": statements
    })))
}
