//! OpenVEX (v0.2.0, and the string forms of v0.0.x).

use serde::Deserialize;

use crate::model::{ProductRef, Statement, VexStatus};
use crate::{Reader, non_empty};

/// The justifications OpenVEX defines.
const JUSTIFICATIONS: &[&str] = &[
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];

#[derive(Deserialize)]
struct Doc {
    timestamp: Option<String>,
    last_updated: Option<String>,
    #[serde(default)]
    statements: Vec<RawStatement>,
}

#[derive(Deserialize)]
struct RawStatement {
    vulnerability: Option<RawVuln>,
    #[serde(default)]
    products: Vec<RawProduct>,
    status: Option<String>,
    justification: Option<String>,
    impact_statement: Option<String>,
    status_notes: Option<String>,
    action_statement: Option<String>,
    timestamp: Option<String>,
    last_updated: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawVuln {
    Id(String),
    Object {
        #[serde(rename = "@id")]
        id: Option<String>,
        name: Option<String>,
        #[serde(default)]
        aliases: Vec<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawProduct {
    Id(String),
    Object(ProductObject),
}

#[derive(Deserialize)]
struct ProductObject {
    #[serde(rename = "@id")]
    id: Option<String>,
    identifiers: Option<Identifiers>,
    #[serde(default)]
    subcomponents: Vec<RawProduct>,
}

#[derive(Deserialize)]
struct Identifiers {
    purl: Option<String>,
    cpe23: Option<String>,
    cpe22: Option<String>,
}

pub(crate) fn read(r: &mut Reader<'_>) -> Result<(), crate::VexError> {
    let doc: Doc = r.typed()?;
    let doc_time = non_empty(doc.last_updated).or(non_empty(doc.timestamp));
    for (i, s) in doc.statements.into_iter().enumerate() {
        let at = format!("statements[{i}]");
        let (vulnerability, aliases) = match s.vulnerability {
            Some(RawVuln::Id(id)) => (non_empty(Some(id)), Vec::new()),
            Some(RawVuln::Object { id, name, aliases }) => {
                (non_empty(name).or(non_empty(id)), aliases)
            }
            None => (None, Vec::new()),
        };
        let Some(vulnerability) = vulnerability else {
            r.warn(format!("{at}: no vulnerability name; statement skipped"));
            continue;
        };
        let status = match s.status.as_deref().map(VexStatus::from_openvex) {
            Some(Some(status)) => status,
            Some(None) => {
                r.warn(format!(
                    "{at}: unknown status `{}` for {vulnerability}; statement skipped",
                    s.status.as_deref().unwrap_or_default()
                ));
                continue;
            }
            None => {
                r.warn(format!(
                    "{at}: no status for {vulnerability}; statement skipped"
                ));
                continue;
            }
        };
        let mut products = Vec::new();
        for (j, p) in s.products.iter().enumerate() {
            product_refs(p, &format!("{at}.products[{j}]"), r, &mut products);
        }
        if products.is_empty() {
            r.warn(format!(
                "{at}: no products for {vulnerability}; statement skipped"
            ));
            continue;
        }
        let justification = non_empty(s.justification);
        if let Some(j) = &justification
            && !JUSTIFICATIONS.contains(&j.as_str())
        {
            r.warn(format!(
                "{at}: justification `{j}` is not one OpenVEX defines"
            ));
        }
        let detail = non_empty(s.impact_statement).or(non_empty(s.status_notes));
        if status == VexStatus::NotAffected && justification.is_none() && detail.is_none() {
            r.warn(format!(
                "{at}: not_affected without justification or impact_statement (OpenVEX requires one)"
            ));
        }
        r.push(Statement {
            vulnerability,
            aliases,
            products,
            status,
            justification,
            detail,
            action: non_empty(s.action_statement),
            timestamp: non_empty(s.last_updated)
                .or(non_empty(s.timestamp))
                .or(doc_time.clone()),
        });
    }
    Ok(())
}

/// The statement is about the subcomponents when a product lists them (the
/// product is then only their context), else about the product itself.
fn product_refs(p: &RawProduct, at: &str, r: &mut Reader<'_>, out: &mut Vec<ProductRef>) {
    match p {
        RawProduct::Id(id) => out.push(from_id(id, None)),
        RawProduct::Object(o) if !o.subcomponents.is_empty() => {
            for (k, sub) in o.subcomponents.iter().enumerate() {
                product_refs(sub, &format!("{at}.subcomponents[{k}]"), r, out);
            }
        }
        RawProduct::Object(o) => {
            let id = o.id.as_deref().unwrap_or_default();
            let pr = from_id(id, o.identifiers.as_ref());
            if pr.purl.is_none() && pr.cpe.is_none() && pr.name.is_none() {
                r.warn(format!(
                    "{at}: product has neither @id nor identifiers; skipped"
                ));
            } else {
                out.push(pr);
            }
        }
    }
}

fn from_id(id: &str, identifiers: Option<&Identifiers>) -> ProductRef {
    let id = id.trim();
    let is_purl = id.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("pkg:"));
    let is_cpe = id.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("cpe:"));
    let ids = identifiers;
    let purl = ids
        .and_then(|i| non_empty(i.purl.clone()))
        .or_else(|| is_purl.then(|| id.to_owned()));
    let cpe = ids
        .and_then(|i| non_empty(i.cpe23.clone()).or(non_empty(i.cpe22.clone())))
        .or_else(|| is_cpe.then(|| id.to_owned()));
    let name = (!is_purl && !is_cpe && !id.is_empty()).then(|| id.to_owned());
    ProductRef {
        purl,
        cpe,
        name,
        ..ProductRef::default()
    }
}
