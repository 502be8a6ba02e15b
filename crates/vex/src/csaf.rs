//! CSAF 2.0 (`csaf_vex`, and the product status of security advisories).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::model::{ProductRef, Statement, VexStatus};
use crate::{Reader, non_empty};

/// The flag labels CSAF 2.0 defines (section 3.2.3.5).
const FLAG_LABELS: &[&str] = &[
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
];

#[derive(Deserialize)]
struct Csaf {
    document: Document,
    product_tree: Option<ProductTree>,
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Deserialize)]
struct Document {
    category: Option<String>,
    csaf_version: Option<String>,
    tracking: Option<Tracking>,
}

#[derive(Deserialize)]
struct Tracking {
    current_release_date: Option<String>,
}

#[derive(Deserialize)]
struct ProductTree {
    #[serde(default)]
    branches: Vec<Branch>,
    #[serde(default)]
    full_product_names: Vec<FullProductName>,
    #[serde(default)]
    relationships: Vec<Relationship>,
    #[serde(default)]
    product_groups: Vec<ProductGroup>,
}

#[derive(Deserialize)]
struct Branch {
    category: Option<String>,
    name: Option<String>,
    product: Option<FullProductName>,
    #[serde(default)]
    branches: Vec<Self>,
}

#[derive(Deserialize)]
struct FullProductName {
    name: Option<String>,
    product_id: Option<String>,
    product_identification_helper: Option<Helper>,
}

#[derive(Deserialize)]
struct Helper {
    cpe: Option<String>,
    purl: Option<String>,
    /// CSAF 2.1 replaces `purl` by `purls`.
    #[serde(default)]
    purls: Vec<String>,
}

#[derive(Deserialize)]
struct Relationship {
    full_product_name: Option<FullProductName>,
    product_reference: Option<String>,
}

#[derive(Deserialize)]
struct ProductGroup {
    group_id: Option<String>,
    #[serde(default)]
    product_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Vulnerability {
    cve: Option<String>,
    #[serde(default)]
    ids: Vec<Id>,
    product_status: Option<ProductStatus>,
    #[serde(default)]
    flags: Vec<Scoped>,
    #[serde(default)]
    threats: Vec<Scoped>,
    #[serde(default)]
    remediations: Vec<Scoped>,
}

#[derive(Deserialize)]
struct Id {
    text: Option<String>,
}

/// A flag, threat or remediation: something said about some products.
#[derive(Deserialize)]
struct Scoped {
    /// Flags have a `label`, threats and remediations a `category`.
    label: Option<String>,
    category: Option<String>,
    details: Option<String>,
    url: Option<String>,
    #[serde(default)]
    product_ids: Vec<String>,
    #[serde(default)]
    group_ids: Vec<String>,
}

#[derive(Deserialize)]
struct ProductStatus {
    #[serde(default)]
    first_affected: Vec<String>,
    #[serde(default)]
    first_fixed: Vec<String>,
    #[serde(default)]
    fixed: Vec<String>,
    #[serde(default)]
    known_affected: Vec<String>,
    #[serde(default)]
    known_not_affected: Vec<String>,
    #[serde(default)]
    last_affected: Vec<String>,
    /// Recommended versions are not a status of the listed products; read
    /// and ignored.
    #[serde(default, rename = "recommended")]
    _recommended: Vec<String>,
    #[serde(default)]
    under_investigation: Vec<String>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_json::Value>,
}

/// Walks the branches, carrying the product name and version the enclosing
/// branches give.
fn walk(
    branches: &[Branch],
    name: Option<&str>,
    version: Option<&str>,
    range: Option<&str>,
    out: &mut HashMap<String, Vec<ProductRef>>,
) {
    for b in branches {
        let (mut name, mut version, mut range) = (name, version, range);
        match b.category.as_deref() {
            Some("product_name") => name = b.name.as_deref(),
            Some("product_version") => version = b.name.as_deref(),
            Some("product_version_range") => range = b.name.as_deref(),
            _ => {}
        }
        if let Some(p) = &b.product {
            define(p, version, range, out);
            if let Some(id) = p.product_id.as_deref()
                && let Some(refs) = out.get_mut(id)
            {
                for r in refs.iter_mut().filter(|r| r.name.is_none()) {
                    r.name = name.map(str::to_owned);
                }
            }
        }
        walk(&b.branches, name, version, range, out);
    }
}

fn define(
    p: &FullProductName,
    version: Option<&str>,
    range: Option<&str>,
    out: &mut HashMap<String, Vec<ProductRef>>,
) {
    let Some(id) = non_empty(p.product_id.clone()) else {
        return;
    };
    let base = ProductRef {
        name: non_empty(p.name.clone()),
        version: version.map(str::to_owned),
        version_range: range.map(str::to_owned),
        ..ProductRef::default()
    };
    out.insert(
        id,
        refs_with_helper(base, p.product_identification_helper.as_ref()),
    );
}

/// One reference per purl (CSAF 2.1 allows several), the CPE on each.
fn refs_with_helper(base: ProductRef, helper: Option<&Helper>) -> Vec<ProductRef> {
    let Some(h) = helper else {
        return vec![base];
    };
    let cpe = non_empty(h.cpe.clone());
    let mut purls: Vec<String> = non_empty(h.purl.clone()).into_iter().collect();
    purls.extend(h.purls.iter().filter_map(|p| non_empty(Some(p.clone()))));
    if purls.is_empty() {
        return vec![ProductRef { cpe, ..base }];
    }
    purls
        .into_iter()
        .map(|purl| ProductRef {
            purl: Some(purl),
            cpe: cpe.clone(),
            ..base.clone()
        })
        .collect()
}

pub(crate) fn read(r: &mut Reader<'_>) -> Result<(), crate::VexError> {
    let doc: Csaf = r.typed()?;
    if let Some(v) = doc.document.csaf_version.as_deref()
        && v != "2.0"
    {
        r.warn(format!("csaf_version {v}: read as CSAF 2.0"));
    }
    // The CSAF VEX profile (section 4.5) requires an impact statement for
    // every known_not_affected product; other profiles do not.
    let is_vex = doc.document.category.as_deref() == Some("csaf_vex");
    let doc_time = doc
        .document
        .tracking
        .as_ref()
        .and_then(|t| non_empty(t.current_release_date.clone()));

    let mut products: HashMap<String, Vec<ProductRef>> = HashMap::new();
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(tree) = &doc.product_tree {
        walk(&tree.branches, None, None, None, &mut products);
        for p in &tree.full_product_names {
            define(p, None, None, &mut products);
        }
        // "X as a component of Y": the component's identifiers, unless the
        // relationship names its own.
        for (i, rel) in tree.relationships.iter().enumerate() {
            let Some(fpn) = &rel.full_product_name else {
                continue;
            };
            let Some(id) = non_empty(fpn.product_id.clone()) else {
                continue;
            };
            let name = non_empty(fpn.name.clone());
            let refs = if fpn.product_identification_helper.is_some() {
                refs_with_helper(
                    ProductRef {
                        name,
                        ..ProductRef::default()
                    },
                    fpn.product_identification_helper.as_ref(),
                )
            } else {
                match rel
                    .product_reference
                    .as_deref()
                    .and_then(|c| products.get(c))
                {
                    Some(component) => component
                        .iter()
                        .map(|c| ProductRef {
                            name: name.clone().or_else(|| c.name.clone()),
                            ..c.clone()
                        })
                        .collect(),
                    None => {
                        r.warn(format!(
                            "product_tree.relationships[{i}]: product_reference `{}` is not \
                             defined",
                            rel.product_reference.as_deref().unwrap_or_default()
                        ));
                        vec![ProductRef {
                            name,
                            ..ProductRef::default()
                        }]
                    }
                }
            };
            products.insert(id, refs);
        }
        for g in &tree.product_groups {
            if let Some(gid) = non_empty(g.group_id.clone()) {
                groups.insert(gid, g.product_ids.clone());
            }
        }
    }
    if doc.vulnerabilities.is_empty() {
        r.warn(format!(
            "no `vulnerabilities` (document category `{}`)",
            doc.document.category.as_deref().unwrap_or("?")
        ));
    }

    for (i, v) in doc.vulnerabilities.into_iter().enumerate() {
        let at = format!("vulnerabilities[{i}]");
        let mut ids: Vec<String> = v
            .ids
            .into_iter()
            .filter_map(|x| non_empty(x.text))
            .collect();
        let Some(id) = non_empty(v.cve).or_else(|| (!ids.is_empty()).then(|| ids.remove(0))) else {
            r.warn(format!("{at}: neither `cve` nor `ids`; skipped"));
            continue;
        };
        let Some(ps) = v.product_status else {
            r.warn(format!("{at}: {id} has no `product_status`; skipped"));
            continue;
        };
        for key in ps.other.keys() {
            r.warn(format!(
                "{at}.product_status: unknown status `{key}` for {id}; ignored"
            ));
        }
        let scope = |s: &Scoped| -> Vec<String> {
            let mut ids = s.product_ids.clone();
            for g in &s.group_ids {
                ids.extend(groups.get(g).into_iter().flatten().cloned());
            }
            ids
        };
        // product id -> justification, impact, remediation.
        let mut justification: HashMap<String, String> = HashMap::new();
        for (k, f) in v.flags.iter().enumerate() {
            let Some(label) = non_empty(f.label.clone()) else {
                continue;
            };
            if !FLAG_LABELS.contains(&label.as_str()) {
                r.warn(format!("{at}.flags[{k}]: unknown label `{label}`"));
            }
            for pid in scope(f) {
                justification.entry(pid).or_insert_with(|| label.clone());
            }
        }
        let mut impact: HashMap<String, Vec<String>> = HashMap::new();
        for t in v
            .threats
            .iter()
            .filter(|t| t.category.as_deref() == Some("impact"))
        {
            if let Some(d) = non_empty(t.details.clone()) {
                for pid in scope(t) {
                    impact.entry(pid).or_default().push(d.clone());
                }
            }
        }
        let mut remediation: HashMap<String, Vec<String>> = HashMap::new();
        for rem in &v.remediations {
            let mut text = rem
                .category
                .clone()
                .unwrap_or_else(|| "remediation".to_owned());
            if let Some(d) = non_empty(rem.details.clone()) {
                text = format!("{text}: {d}");
            }
            if let Some(u) = non_empty(rem.url.clone()) {
                text = format!("{text} ({u})");
            }
            for pid in scope(rem) {
                remediation.entry(pid).or_default().push(text.clone());
            }
        }

        let lists: [(&str, &Vec<String>, VexStatus); 7] = [
            (
                "known_not_affected",
                &ps.known_not_affected,
                VexStatus::NotAffected,
            ),
            ("known_affected", &ps.known_affected, VexStatus::Affected),
            ("first_affected", &ps.first_affected, VexStatus::Affected),
            ("last_affected", &ps.last_affected, VexStatus::Affected),
            ("fixed", &ps.fixed, VexStatus::Fixed),
            ("first_fixed", &ps.first_fixed, VexStatus::Fixed),
            (
                "under_investigation",
                &ps.under_investigation,
                VexStatus::UnderInvestigation,
            ),
        ];
        // One statement per (status, justification, detail, action).
        type Key = (VexStatus, Option<String>, Option<String>, Option<String>);
        let mut out: Vec<(Key, Vec<ProductRef>)> = Vec::new();
        for (list_name, list, status) in lists {
            for pid in list {
                let Some(refs) = products.get(pid) else {
                    r.warn(format!(
                        "{at}.product_status.{list_name}: product `{pid}` is not defined in \
                         the product_tree; skipped"
                    ));
                    continue;
                };
                let j = justification
                    .get(pid)
                    .cloned()
                    .filter(|_| status == VexStatus::NotAffected);
                let d = impact.get(pid).map(|d| d.join("\n"));
                let a = remediation.get(pid).map(|a| a.join("\n"));
                if is_vex && status == VexStatus::NotAffected && j.is_none() && d.is_none() {
                    r.warn(format!(
                        "{at}: {id} known_not_affected for `{pid}` without a flag or impact \
                         statement (CSAF VEX requires one)"
                    ));
                }
                let key = (status, j, d, a);
                match out.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, ps)) => ps.extend(refs.iter().cloned()),
                    None => out.push((key, refs.clone())),
                }
            }
        }
        for ((status, justification, detail, action), products) in out {
            r.push(Statement {
                vulnerability: id.clone(),
                aliases: ids.clone(),
                products,
                status,
                justification,
                detail,
                action,
                timestamp: doc_time.clone(),
            });
        }
    }
    Ok(())
}
