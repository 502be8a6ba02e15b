//! Frameworks: OSCAL catalogs turned into validated control lists.

use std::path::Path;

use riskmark_checks::Role;
use riskmark_model::{LoadError, Reporter, load_document, read_limited};
use serde::Serialize;

use crate::oscal::{CatalogDoc, Control as OscalControl, Group, prop, props};

/// How strongly a framework asks for a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Mandatory (`M`).
    Mandatory,
    /// Recommended (`R`).
    Recommended,
}

/// One control of a framework.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    /// The identifier as the framework numbers it (the OSCAL `label`, e.g. `5.1-1`).
    pub id: String,
    /// The OSCAL control id (e.g. `p5.1-1`).
    pub oscal_id: String,
    /// Our short title.
    pub title: String,
    /// The group it belongs to.
    pub group: String,
    /// Mandatory or recommended.
    pub status: Status,
    /// The framework's own status code (e.g. `MF(a)`), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<String>,
    /// The atomic checks that decide it.
    pub checks: Vec<String>,
    /// A document or process control that no profile fact decides.
    pub manual: bool,
    /// What evidence would show a manual control.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_hint: Option<String>,
    /// Who is responsible.
    pub responsible: Vec<Role>,
    /// Our summary of the control.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A framework: metadata and its controls.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    /// Stable id (e.g. `etsi-en-303-645`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Version.
    pub version: String,
    /// `baseline`, `regulation`, `label-scheme`, `procurement`, `industrial` or `custom`.
    pub kind: String,
    /// Markets it applies in (ISO codes, `EU`, or `*`).
    pub markets: Vec<String>,
    /// Where it came from (`embedded:<file>` or the user's path).
    pub source: String,
    /// Controls, in catalog order.
    pub controls: Vec<Control>,
}

/// Reads an OSCAL catalog into a framework, validating it: every control names a label,
/// existing check codes (or `manual`), and known responsible roles.
pub fn from_oscal(file: &str, bytes: &[u8]) -> Result<Framework, LoadError> {
    let (doc, _) = load_document::<CatalogDoc>(file, bytes, |d, r| validate(d, r, &[]))?;
    Ok(build(file, doc))
}

/// Reads a user's catalog file.
pub fn from_path(path: &Path) -> Result<Framework, LoadError> {
    from_path_with_checks(path, &[])
}

/// Reads a user's catalog file whose controls may also map to `custom` check codes
/// (the user's own checks, e.g. Rego rules).
pub fn from_path_with_checks(path: &Path, custom: &[&str]) -> Result<Framework, LoadError> {
    let bytes = read_limited(path)?;
    let file = path.display().to_string();
    let (doc, _) = load_document::<CatalogDoc>(&file, &bytes, |d, r| validate(d, r, custom))?;
    Ok(build(&file, doc))
}

fn stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".json").unwrap_or(name).to_owned()
}

fn build(file: &str, doc: CatalogDoc) -> Framework {
    let c = doc.catalog;
    let meta = &c.metadata.props;
    let mut controls = Vec::new();
    for ctl in &c.controls {
        push_control(ctl, "", &mut controls);
    }
    for g in &c.groups {
        push_group(g, &mut controls);
    }
    Framework {
        id: prop(meta, "framework-id").map_or_else(|| stem(file), str::to_owned),
        title: c.metadata.title.clone(),
        version: c.metadata.version.clone(),
        kind: prop(meta, "kind").unwrap_or("custom").to_owned(),
        markets: prop(meta, "markets")
            .map(|m| {
                m.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_else(|| vec!["*".to_owned()]),
        source: file.to_owned(),
        controls,
    }
}

fn push_group(g: &Group, out: &mut Vec<Control>) {
    for c in &g.controls {
        push_control(c, &g.title, out);
    }
    for sub in &g.groups {
        push_group(sub, out);
    }
}

fn push_control(c: &OscalControl, group: &str, out: &mut Vec<Control>) {
    let p = &c.props;
    let status = match prop(p, "status").map(|s| s.trim_start_matches(['C', 'F']).chars().next()) {
        Some(Some('R')) => Status::Recommended,
        _ => Status::Mandatory,
    };
    out.push(Control {
        id: prop(p, "label").unwrap_or(&c.id).to_owned(),
        oscal_id: c.id.clone(),
        title: c.title.clone(),
        group: group.to_owned(),
        status,
        status_code: prop(p, "status-code").map(str::to_owned),
        checks: props(p, "check").map(|(_, v)| v.to_owned()).collect(),
        manual: prop(p, "manual") == Some("true"),
        evidence_hint: prop(p, "evidence-hint").map(str::to_owned),
        responsible: props(p, "responsible")
            .filter_map(|(_, v)| {
                serde_json::from_value(serde_json::Value::String(v.to_owned())).ok()
            })
            .collect(),
        summary: c
            .parts
            .iter()
            .find(|part| part.name == "statement")
            .and_then(|part| part.prose.clone()),
    });
    for sub in &c.controls {
        push_control(sub, group, out);
    }
}

fn validate(doc: &CatalogDoc, r: &mut Reporter<'_, '_>, custom: &[&str]) {
    let codes: Vec<&str> = riskmark_checks::codes()
        .iter()
        .chain(custom)
        .copied()
        .collect();
    let codes = codes.as_slice();
    let mut seen = std::collections::BTreeSet::new();
    let mut visit = |c: &OscalControl, path: &str, r: &mut Reporter<'_, '_>| {
        if !seen.insert(c.id.clone()) {
            r.error(
                &format!("{path}.id"),
                format!("duplicate control id `{}`", c.id),
            );
        }
        let checks: Vec<_> = props(&c.props, "check").collect();
        let manual = prop(&c.props, "manual") == Some("true");
        if checks.is_empty() && !manual {
            r.error(
                path,
                format!(
                    "control `{}` maps to no check: add props {{\"name\": \"check\", \"value\": \"<code>\"}} or {{\"name\": \"manual\", \"value\": \"true\"}}",
                    c.id
                ),
            );
        }
        for (i, code) in checks {
            if !codes.contains(&code) {
                let msg = match riskmark_model::suggest(code, codes) {
                    Some(s) => format!("unknown check `{code}` (did you mean `{s}`?)"),
                    None => {
                        format!("unknown check `{code}`; `riskmark checks list` shows the codes")
                    }
                };
                r.error(&format!("{path}.props[{i}].value"), msg);
            }
        }
        for (i, role) in props(&c.props, "responsible") {
            if serde_json::from_value::<Role>(serde_json::Value::String(role.to_owned())).is_err() {
                r.error(
                    &format!("{path}.props[{i}].value"),
                    format!("unknown responsible party `{role}`; expected manufacturer, software-developer, operator or user"),
                );
            }
        }
    };
    fn walk_controls(
        cs: &[OscalControl],
        path: &str,
        r: &mut Reporter<'_, '_>,
        visit: &mut dyn FnMut(&OscalControl, &str, &mut Reporter<'_, '_>),
    ) {
        for (i, c) in cs.iter().enumerate() {
            let p = format!("{path}.controls[{i}]");
            visit(c, &p, r);
            walk_controls(&c.controls, &p, r, visit);
        }
    }
    fn walk_groups(
        gs: &[Group],
        path: &str,
        r: &mut Reporter<'_, '_>,
        visit: &mut dyn FnMut(&OscalControl, &str, &mut Reporter<'_, '_>),
    ) {
        for (i, g) in gs.iter().enumerate() {
            let p = format!("{path}.groups[{i}]");
            walk_controls(&g.controls, &p, r, visit);
            walk_groups(&g.groups, &p, r, visit);
        }
    }
    walk_controls(&doc.catalog.controls, "catalog", r, &mut visit);
    walk_groups(&doc.catalog.groups, "catalog", r, &mut visit);
    if doc.catalog.controls.is_empty() && doc.catalog.groups.is_empty() {
        r.error("catalog", "the catalog has no controls");
    }
}
