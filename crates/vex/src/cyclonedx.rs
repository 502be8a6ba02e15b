//! CycloneDX VEX (JSON, spec 1.4 to 1.6): `vulnerabilities[]` with
//! `analysis` and `affects`.

use std::collections::HashMap;

use serde::Deserialize;

use crate::model::{ProductRef, Statement, VexStatus};
use crate::{Reader, non_empty};

#[derive(Deserialize)]
struct Bom {
    #[serde(rename = "specVersion")]
    spec_version: Option<String>,
    #[serde(rename = "serialNumber")]
    serial_number: Option<String>,
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<Component>,
    vulnerabilities: Option<Vec<Vulnerability>>,
}

#[derive(Deserialize)]
struct Metadata {
    timestamp: Option<String>,
    component: Option<Component>,
}

#[derive(Deserialize)]
struct Component {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    cpe: Option<String>,
    #[serde(default)]
    components: Vec<Self>,
}

#[derive(Deserialize)]
struct Vulnerability {
    id: Option<String>,
    #[serde(default)]
    references: Vec<Reference>,
    analysis: Option<Analysis>,
    #[serde(default)]
    affects: Vec<Affect>,
    recommendation: Option<String>,
    workaround: Option<String>,
    published: Option<String>,
    updated: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    id: Option<String>,
}

#[derive(Deserialize)]
struct Analysis {
    state: Option<String>,
    justification: Option<String>,
    #[serde(default)]
    response: Vec<String>,
    detail: Option<String>,
    #[serde(rename = "lastUpdated")]
    last_updated: Option<String>,
}

#[derive(Deserialize)]
struct Affect {
    #[serde(rename = "ref")]
    reference: Option<String>,
    #[serde(default)]
    versions: Vec<AffectVersion>,
}

#[derive(Deserialize)]
struct AffectVersion {
    version: Option<String>,
    range: Option<String>,
    status: Option<String>,
}

fn state(s: &str) -> Option<VexStatus> {
    match s {
        "not_affected" | "false_positive" => Some(VexStatus::NotAffected),
        "exploitable" => Some(VexStatus::Affected),
        "resolved" | "resolved_with_pedigree" => Some(VexStatus::Fixed),
        "in_triage" => Some(VexStatus::UnderInvestigation),
        _ => None,
    }
}

/// The status of one listed version: its own `status` when it has one,
/// else the analysis state.
fn version_status(analysis: VexStatus, status: Option<&str>) -> Result<VexStatus, String> {
    match status {
        None => Ok(analysis),
        Some("affected") => Ok(VexStatus::Affected),
        Some("unaffected") => Ok(if analysis == VexStatus::Fixed {
            VexStatus::Fixed
        } else {
            VexStatus::NotAffected
        }),
        Some("unknown") => Ok(VexStatus::UnderInvestigation),
        Some(other) => Err(other.to_owned()),
    }
}

fn index<'a>(c: &'a Component, out: &mut HashMap<&'a str, &'a Component>) {
    if let Some(r) = c.bom_ref.as_deref() {
        out.entry(r).or_insert(c);
    }
    for sub in &c.components {
        index(sub, out);
    }
}

pub(crate) fn read(r: &mut Reader<'_>) -> Result<(), crate::VexError> {
    let bom: Bom = r.typed()?;
    if let Some(v) = bom.spec_version.as_deref()
        && !matches!(v, "1.4" | "1.5" | "1.6")
        && bom.vulnerabilities.is_some()
    {
        r.warn(format!(
            "specVersion {v}: VEX is read as specified for 1.4 to 1.6"
        ));
    }
    let Some(vulnerabilities) = bom.vulnerabilities else {
        r.warn("no `vulnerabilities`: an SBOM without VEX statements".to_owned());
        return Ok(());
    };
    let mut local = HashMap::new();
    if let Some(c) = bom.metadata.as_ref().and_then(|m| m.component.as_ref()) {
        index(c, &mut local);
    }
    for c in &bom.components {
        index(c, &mut local);
    }
    // `urn:uuid:<serial>`: BOM-Links to this very document resolve locally.
    let own_serial = bom
        .serial_number
        .as_deref()
        .and_then(|s| s.strip_prefix("urn:uuid:"))
        .map(str::to_owned);
    let doc_time = bom
        .metadata
        .as_ref()
        .and_then(|m| non_empty(m.timestamp.clone()));

    for (i, v) in vulnerabilities.into_iter().enumerate() {
        let at = format!("vulnerabilities[{i}]");
        let Some(id) = non_empty(v.id) else {
            r.warn(format!("{at}: no id; skipped"));
            continue;
        };
        let Some(analysis) = v.analysis else {
            r.warn(format!(
                "{at}: {id} has no `analysis`: a finding, not a VEX statement; skipped"
            ));
            continue;
        };
        let Some(state_str) = non_empty(analysis.state) else {
            r.warn(format!("{at}: {id} has no `analysis.state`; skipped"));
            continue;
        };
        let Some(status) = state(&state_str) else {
            r.warn(format!(
                "{at}: unknown analysis.state `{state_str}` for {id}; skipped"
            ));
            continue;
        };
        if v.affects.is_empty() {
            r.warn(format!("{at}: {id} has no `affects`; skipped"));
            continue;
        }
        let aliases: Vec<String> = v
            .references
            .into_iter()
            .filter_map(|x| non_empty(x.id))
            .filter(|a| !a.eq_ignore_ascii_case(&id))
            .collect();
        let mut action_parts = Vec::new();
        if !analysis.response.is_empty() {
            action_parts.push(format!("response: {}", analysis.response.join(", ")));
        }
        if let Some(rec) = non_empty(v.recommendation) {
            action_parts.push(format!("recommendation: {rec}"));
        }
        if let Some(w) = non_empty(v.workaround) {
            action_parts.push(format!("workaround: {w}"));
        }
        let action = (!action_parts.is_empty()).then(|| action_parts.join("; "));
        let timestamp = non_empty(analysis.last_updated)
            .or(non_empty(v.updated))
            .or(non_empty(v.published))
            .or(doc_time.clone());
        let justification = non_empty(analysis.justification);
        let detail = non_empty(analysis.detail);

        // Products grouped by their status, in order of first appearance.
        let mut groups: Vec<(VexStatus, Vec<ProductRef>)> = Vec::new();
        let mut add = |st: VexStatus, p: ProductRef| match groups.iter_mut().find(|(s, _)| *s == st)
        {
            Some((_, ps)) => ps.push(p),
            None => groups.push((st, vec![p])),
        };
        for (j, a) in v.affects.iter().enumerate() {
            let Some(reference) = non_empty(a.reference.clone()) else {
                r.warn(format!("{at}.affects[{j}]: no `ref`; skipped"));
                continue;
            };
            let base = resolve(&reference, &local, own_serial.as_deref(), &at, j, r);
            if a.versions.is_empty() {
                add(status, base);
                continue;
            }
            for (k, ver) in a.versions.iter().enumerate() {
                let st = match version_status(status, ver.status.as_deref()) {
                    Ok(st) => st,
                    Err(other) => {
                        r.warn(format!(
                            "{at}.affects[{j}].versions[{k}]: unknown status `{other}`; skipped"
                        ));
                        continue;
                    }
                };
                let mut p = base.clone();
                match (non_empty(ver.version.clone()), non_empty(ver.range.clone())) {
                    (Some(version), _) => {
                        p.version = Some(version);
                        p.version_range = None;
                    }
                    (None, Some(range)) => {
                        if !crate::vers::evaluable(&range) {
                            r.warn(format!(
                                "{at}.affects[{j}].versions[{k}]: range `{range}` cannot be \
                                 evaluated; it never matches"
                            ));
                        }
                        p.version = None;
                        p.version_range = Some(range);
                    }
                    (None, None) => {
                        r.warn(format!(
                            "{at}.affects[{j}].versions[{k}]: neither version nor range; skipped"
                        ));
                        continue;
                    }
                }
                add(st, p);
            }
        }
        for (st, products) in groups {
            r.push(Statement {
                vulnerability: id.clone(),
                aliases: aliases.clone(),
                products,
                status: st,
                // A justification explains `not_affected` only.
                justification: justification
                    .clone()
                    .filter(|_| st == VexStatus::NotAffected),
                detail: detail.clone(),
                action: action.clone(),
                timestamp: timestamp.clone(),
            });
        }
    }
    Ok(())
}

/// The product an `affects[].ref` names: a component of this document
/// (its purl, CPE, name and version are copied), or a BOM-Link into another
/// document (kept as the bom-ref).
fn resolve(
    reference: &str,
    local: &HashMap<&str, &Component>,
    own_serial: Option<&str>,
    at: &str,
    j: usize,
    r: &mut Reader<'_>,
) -> ProductRef {
    let mut local_ref = Some(reference);
    if let Some(link) = reference.strip_prefix("urn:cdx:") {
        local_ref = match (link.split_once('#'), own_serial) {
            (Some((serial_version, _)), Some(own))
                if serial_version.split('/').next() == Some(own) =>
            {
                link.split_once('#').map(|(_, frag)| frag)
            }
            (Some(_), _) => None,
            (None, _) => {
                r.warn(format!(
                    "{at}.affects[{j}]: BOM-Link `{reference}` has no `#bom-ref` fragment"
                ));
                None
            }
        };
    }
    let mut p = ProductRef {
        bom_ref: Some(reference.to_owned()),
        ..ProductRef::default()
    };
    if let Some(lr) = local_ref {
        let decoded = crate::purl::decode(lr);
        match local.get(decoded.as_str()).or_else(|| local.get(lr)) {
            Some(c) => {
                p.purl = non_empty(c.purl.clone());
                p.cpe = non_empty(c.cpe.clone());
                p.name = non_empty(c.name.clone());
                p.version = non_empty(c.version.clone());
            }
            None if !reference.starts_with("urn:cdx:") => r.warn(format!(
                "{at}.affects[{j}]: ref `{reference}` is not a component of this document; \
                 it matches an SBOM component with that bom-ref"
            )),
            None => {}
        }
    }
    p
}
