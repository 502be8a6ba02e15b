//! Machine-readable outputs of a scan: CycloneDX 1.6 VEX, OpenVEX 0.2.0 (SARIF is in
//! `sarif.rs`).

use std::io::{self, Write};

use serde_json::{Value, json};

use riskmark_vex::Justification;

use crate::{FindingStatus, Scan, ScanFinding};

/// A member of a pretty-printed object at depth 1, as `serde_json::to_string_pretty`
/// writes it: `  "key": value` with the value's inner lines indented by two more spaces.
fn member(w: &mut dyn Write, key: &str, v: &Value, last: bool) -> io::Result<()> {
    let text = serde_json::to_string_pretty(v).map_err(io::Error::from)?;
    write!(w, "  {}: {}", Value::from(key), text.replace('\n', "\n  "))?;
    w.write_all(if last { b"\n" } else { b",\n" })
}

/// An array member at depth 1 whose items are made one at a time, so memory does not
/// grow with their number; the bytes are those of `to_string_pretty` on the whole.
fn array_member(
    w: &mut dyn Write,
    key: &str,
    items: impl Iterator<Item = Value>,
    last: bool,
) -> io::Result<()> {
    write!(w, "  {}: [", Value::from(key))?;
    let mut any = false;
    for item in items {
        w.write_all(if any { b",\n    " } else { b"\n    " })?;
        let text = serde_json::to_string_pretty(&item).map_err(io::Error::from)?;
        w.write_all(text.replace('\n', "\n    ").as_bytes())?;
        any = true;
    }
    w.write_all(if any { b"\n  ]" } else { b"]" })?;
    w.write_all(if last { b"\n" } else { b",\n" })
}

fn into_string(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only on a serializer error, which these values cannot
    // produce.
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
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
    into_string(|w| write_cyclonedx_vex(scan, w))
}

/// [`cyclonedx_vex`], written to `w` as it is made: components and vulnerabilities are
/// built one at a time, so memory does not grow with the number of findings.
///
/// # Errors
/// What writing to `w` returns.
pub fn write_cyclonedx_vex(scan: &Scan, w: &mut dyn Write) -> io::Result<()> {
    let mut listed = std::collections::HashSet::new();
    let components = scan.findings.iter().filter_map(|f| {
        if !listed.insert(&*f.component_id) {
            return None;
        }
        let mut c = json!({
            "type": "library",
            "bom-ref": f.component_id,
            "name": f.component,
            "version": f.version,
        });
        if let Some(p) = &f.purl {
            c["purl"] = json!(p);
        }
        Some(c)
    });
    // One vulnerability per id, affecting every component it was found in.
    let mut order: Vec<&str> = Vec::new();
    let mut by_id: std::collections::HashMap<&str, Vec<&ScanFinding>> = Default::default();
    for f in &scan.findings {
        if !by_id.contains_key(&*f.id) {
            order.push(&f.id);
        }
        by_id.entry(&f.id).or_default().push(f);
    }
    let vulns = order.iter().map(|id| {
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
    });
    let mut metadata = json!({ "tools": { "components": [{ "type": "application", "name": "riskmark", "version": env!("CARGO_PKG_VERSION") }] } });
    if let Some(t) = scan.db.built_at {
        metadata["timestamp"] = json!(t.to_string());
    }
    // The members in the order `to_string_pretty` gives a `json!` object (sorted keys).
    w.write_all(b"{\n")?;
    member(w, "bomFormat", &json!("CycloneDX"), false)?;
    array_member(w, "components", components, false)?;
    member(w, "metadata", &metadata, false)?;
    let serial = format!(
        "urn:uuid:{}",
        uuid(&[
            "riskmark-vex",
            &scan.sbom,
            &scan.db.built_at.map(|t| t.to_string()).unwrap_or_default()
        ])
    );
    member(w, "serialNumber", &json!(serial), false)?;
    member(w, "specVersion", &json!("1.6"), false)?;
    member(w, "version", &json!(1), false)?;
    array_member(w, "vulnerabilities", vulns, true)?;
    w.write_all(b"}\n")
}

/// OpenVEX 0.2.0: one statement per vulnerability and product (`under_investigation`
/// when no VEX spoke), justifications in OpenVEX's words, the input's action statement
/// kept. `None` when there is no finding: OpenVEX needs at least one statement, and
/// riskmark does not claim products unaffected by vulnerabilities it does not know (as
/// `vexctl`, it makes no document without a statement).
pub fn openvex(scan: &Scan) -> Option<String> {
    (!scan.findings.is_empty()).then(|| into_string(|w| write_openvex(scan, w)))
}

/// [`openvex`], written to `w` as it is made (statements built one at a time, so memory
/// does not grow with the number of findings). Writes nothing when there is no finding
/// (every finding gives a statement, the first one always).
///
/// # Errors
/// What writing to `w` returns.
pub fn write_openvex(scan: &Scan, w: &mut dyn Write) -> io::Result<()> {
    if scan.findings.is_empty() {
        return Ok(());
    }
    let mut seen = std::collections::HashSet::new();
    let statements = scan.findings.iter().filter_map(|f| {
        let status = match (f.status, f.vex.is_some()) {
            (FindingStatus::NotAffected, _) => "not_affected",
            (FindingStatus::Fixed, _) => "fixed",
            (FindingStatus::Affected, true) => "affected",
            _ => "under_investigation",
        };
        let product = product_iri(scan, f);
        // An SBOM that lists a package twice gives one statement (the schema's uniqueItems).
        if !seen.insert((f.id.clone(), product.clone(), status)) {
            return None;
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
        Some(st)
    });
    let built = scan
        .db
        .built_at
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |t| t.to_string());
    // The members in the order `to_string_pretty` gives a `json!` object (sorted keys).
    w.write_all(b"{\n")?;
    member(
        w,
        "@context",
        &json!("https://openvex.dev/ns/v0.2.0"),
        false,
    )?;
    let id = format!(
        "https://riskmark.dev/vex/{}",
        uuid(&["riskmark-openvex", &scan.sbom, &built])
    );
    member(w, "@id", &json!(id), false)?;
    member(w, "author", &json!("riskmark"), false)?;
    array_member(w, "statements", statements, false)?;
    member(w, "timestamp", &json!(built), false)?;
    member(w, "version", &json!(1), true)?;
    w.write_all(b"}\n")
}
