//! How the controls of two frameworks relate: through the atomic checks they share, and
//! through published mappings (OSCAL mapping collections).

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Framework;

/// One relation between a control of the first framework and one of the second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Control of the first framework.
    pub from: String,
    /// Control of the second framework.
    pub to: String,
    /// `equal-to`, `equivalent-to`, `subset-of`, `superset-of` or `intersects-with`.
    pub relationship: String,
    /// The checks both controls use.
    pub shared_checks: Vec<String>,
    /// `published` (a mapping someone published) or `shared-checks` (derived here).
    pub basis: String,
    /// The published mapping's source, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The relations between two frameworks.
#[derive(Debug, Clone, Serialize)]
pub struct Crosswalk {
    /// First framework id.
    pub from: String,
    /// Second framework id.
    pub to: String,
    /// Relations.
    pub links: Vec<Link>,
    /// Controls of the first framework with no relation.
    pub unmatched_from: Vec<String>,
    /// Controls of the second framework with no relation.
    pub unmatched_to: Vec<String>,
}

/// Relates two frameworks. Shared checks give `equal-to` (same check set),
/// `subset-of`/`superset-of`, or `intersects-with`; published maps are added as given.
pub fn crosswalk(a: &Framework, b: &Framework, mappings: &[(&str, &str)]) -> Crosswalk {
    let mut links = Vec::new();
    for ca in &a.controls {
        let sa: BTreeSet<&str> = ca.checks.iter().map(String::as_str).collect();
        for cb in &b.controls {
            let sb: BTreeSet<&str> = cb.checks.iter().map(String::as_str).collect();
            let shared: Vec<String> = sa.intersection(&sb).map(|s| (*s).to_owned()).collect();
            if shared.is_empty() {
                continue;
            }
            let relationship = if sa == sb {
                "equal-to"
            } else if sa.is_subset(&sb) {
                "subset-of"
            } else if sa.is_superset(&sb) {
                "superset-of"
            } else {
                "intersects-with"
            };
            links.push(Link {
                from: ca.id.clone(),
                to: cb.id.clone(),
                relationship: relationship.into(),
                shared_checks: shared,
                basis: "shared-checks".into(),
                source: None,
            });
        }
    }
    for (name, text) in mappings {
        published(a, b, name, text, &mut links);
    }
    let from_linked: BTreeSet<&str> = links.iter().map(|l| l.from.as_str()).collect();
    let to_linked: BTreeSet<&str> = links.iter().map(|l| l.to.as_str()).collect();
    Crosswalk {
        from: a.id.clone(),
        to: b.id.clone(),
        unmatched_from: a
            .controls
            .iter()
            .filter(|c| !from_linked.contains(c.id.as_str()))
            .map(|c| c.id.clone())
            .collect(),
        unmatched_to: b
            .controls
            .iter()
            .filter(|c| !to_linked.contains(c.id.as_str()))
            .map(|c| c.id.clone())
            .collect(),
        links,
    }
}

/// Adds the maps of one OSCAL mapping collection that relate `a` to `b` (either way).
fn published(a: &Framework, b: &Framework, name: &str, text: &str, links: &mut Vec<Link>) {
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let Some(mappings) = doc
        .pointer("/mapping-collection/mappings")
        .and_then(Value::as_array)
    else {
        return;
    };
    let fw_of = |href: &str| {
        href.rsplit('/')
            .next()
            .unwrap_or(href)
            .trim_end_matches(".json")
            .to_owned()
    };
    for m in mappings {
        let src = m
            .pointer("/source-resource/href")
            .and_then(Value::as_str)
            .map(fw_of);
        let dst = m
            .pointer("/target-resource/href")
            .and_then(Value::as_str)
            .map(fw_of);
        let forward =
            src.as_deref() == Some(a.source_stem()) && dst.as_deref() == Some(b.source_stem());
        let backward =
            src.as_deref() == Some(b.source_stem()) && dst.as_deref() == Some(a.source_stem());
        if !forward && !backward {
            continue;
        }
        let remarks = m.get("remarks").and_then(Value::as_str).map(str::to_owned);
        for map in m
            .get("maps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let rel = map
                .get("relationship")
                .and_then(Value::as_str)
                .unwrap_or("intersects-with");
            let ids = |key: &str| -> Vec<String> {
                map.get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.get("id-ref").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            };
            let (sources, targets) = (ids("sources"), ids("targets"));
            let (from_fw, to_fw, from_ids, to_ids, rel) = if forward {
                (a, b, sources, targets, rel.to_owned())
            } else {
                (a, b, targets, sources, inverse(rel).to_owned())
            };
            for f in &from_ids {
                for t in &to_ids {
                    let (Some(fc), Some(tc)) = (from_fw.by_oscal_id(f), to_fw.by_oscal_id(t))
                    else {
                        continue;
                    };
                    links.push(Link {
                        from: fc.id.clone(),
                        to: tc.id.clone(),
                        relationship: rel.clone(),
                        shared_checks: fc
                            .checks
                            .iter()
                            .filter(|c| tc.checks.contains(c))
                            .cloned()
                            .collect(),
                        basis: "published".into(),
                        source: Some(remarks.clone().unwrap_or_else(|| name.to_owned())),
                    });
                }
            }
        }
    }
}

fn inverse(rel: &str) -> &str {
    match rel {
        "subset-of" => "superset-of",
        "superset-of" => "subset-of",
        other => other,
    }
}

impl Framework {
    fn source_stem(&self) -> &str {
        let name = self
            .source
            .rsplit([':', '/', '\\'])
            .next()
            .unwrap_or(&self.source);
        name.strip_suffix(".json").unwrap_or(name)
    }

    /// A control by its OSCAL id or its label.
    pub fn by_oscal_id(&self, id: &str) -> Option<&crate::Control> {
        self.controls
            .iter()
            .find(|c| c.oscal_id == id || c.id == id)
    }
}
