//! SPDX 3 JSON-LD, in the compact form the SPDX 3 context writes.

use super::*;

pub(super) fn is_spdx3_context(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains("spdx.org/rdf/3"),
        serde_json::Value::Array(a) => a.iter().any(is_spdx3_context),
        _ => false,
    }
}

/// Every element type of the graph in one lean struct: only the fields
/// this model uses.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Spdx3Element {
    #[serde(rename = "type", deserialize_with = "opt_text")]
    kind: Option<String>,
    #[serde(rename = "spdxId", deserialize_with = "opt_text")]
    spdx_id: Option<String>,
    #[serde(rename = "@id", deserialize_with = "opt_text")]
    blank_id: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
    #[serde(rename = "software_packageVersion", deserialize_with = "opt_text")]
    version: Option<String>,
    #[serde(rename = "software_packageUrl", deserialize_with = "opt_text")]
    purl: Option<String>,
    #[serde(rename = "software_primaryPurpose", deserialize_with = "opt_text")]
    purpose: Option<String>,
    #[serde(rename = "externalIdentifier", deserialize_with = "null_default")]
    external_identifiers: Vec<Spdx3ExternalIdentifier>,
    #[serde(rename = "verifiedUsing", deserialize_with = "null_default")]
    verified_using: Vec<Spdx3Hash>,
    #[serde(rename = "suppliedBy", deserialize_with = "opt_text")]
    supplied_by: Option<String>,
    #[serde(rename = "rootElement", deserialize_with = "text_list")]
    root_elements: Vec<String>,
    #[serde(deserialize_with = "opt_text")]
    from: Option<String>,
    #[serde(deserialize_with = "text_list")]
    to: Vec<String>,
    #[serde(rename = "relationshipType", deserialize_with = "opt_text")]
    relationship_type: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    scope: Option<String>,
    #[serde(rename = "specVersion", deserialize_with = "opt_text")]
    spec_version: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    created: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Spdx3ExternalIdentifier {
    #[serde(rename = "externalIdentifierType", deserialize_with = "opt_text")]
    kind: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    identifier: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Spdx3Hash {
    #[serde(deserialize_with = "opt_text")]
    algorithm: Option<String>,
    #[serde(rename = "hashValue", deserialize_with = "opt_text")]
    value: Option<String>,
}

fn spdx3_relation(kind: &str, scope: Option<&str>) -> Option<RelationKind> {
    let dev = matches!(scope, Some("build" | "development" | "test"));
    Some(match kind {
        "dependsOn" if dev => RelationKind::DevDependsOn,
        "dependsOn"
        | "hasProvidedDependency"
        | "hasStaticLink"
        | "hasDynamicLink"
        | "hasPrerequisite" => RelationKind::DependsOn,
        "hasOptionalDependency" => RelationKind::OptionalDependsOn,
        "contains" => RelationKind::Contains,
        _ => return None,
    })
}

pub(super) fn spdx3(doc: TopLevel) -> Sbom {
    let mut b = spdx::builder();
    let mut info = DocInfo::default();
    let mut spec_version = None;
    let mut agents: HashMap<String, String> = HashMap::new();
    let mut element_ids: HashSet<String> = HashSet::new();
    let mut packages = Vec::new();
    let mut relationships = Vec::new();
    let mut doc_roots = Vec::new();
    let mut sbom_roots = Vec::new();
    for (i, item) in doc.graph.into_iter().enumerate() {
        let location = format!("@graph[{i}]");
        let e = match item {
            Lenient::Ok(e) => e,
            Lenient::Invalid(reason) => {
                b.warn(
                    WarningKind::InvalidElement,
                    format!("element skipped: {reason}"),
                    location,
                );
                continue;
            }
        };
        let kind = e.kind.clone().unwrap_or_default();
        if let Some(id) = e.spdx_id.as_ref().or(e.blank_id.as_ref()) {
            element_ids.insert(id.clone());
        }
        match kind.as_str() {
            "CreationInfo" => {
                spec_version = spec_version.or(e.spec_version);
                info.created = info.created.take().or(e.created);
            }
            "SpdxDocument" => {
                info.name = e.name;
                info.serial = e.spdx_id;
                doc_roots.extend(e.root_elements);
            }
            "software_Sbom" => sbom_roots.extend(e.root_elements),
            "Organization" | "Person" | "SoftwareAgent" | "Agent" => {
                if let (Some(id), Some(name)) = (e.spdx_id, e.name) {
                    agents.insert(id, name);
                }
            }
            "Tool" => info.tools.extend(e.name),
            k if k.ends_with("Package") => packages.push((e, location)),
            k if k.ends_with("Relationship") => relationships.push((e, location)),
            _ => {}
        }
    }
    let context_version = doc.context.as_ref().and_then(|c| {
        let s = c.as_str()?;
        let rest = &s[s.find("rdf/")? + 4..];
        Some(rest.split('/').next()?.to_owned())
    });
    let version = spec_version.or(context_version).unwrap_or_default();
    if !version.starts_with("3.0") {
        b.warn(
            WarningKind::UnsupportedVersion,
            format!("SPDX version `{version}` is not 3.0; read as SPDX 3.0"),
            "document",
        );
    }
    info.spec_version = version;
    for (e, location) in packages {
        let mut cpes = Vec::new();
        let mut purl = e.purl;
        let mut other_purls = Vec::new();
        for x in e.external_identifiers {
            match (x.kind.as_deref(), x.identifier) {
                (Some("cpe23" | "cpe22"), Some(id)) => cpes.push(id),
                (Some("packageUrl"), Some(id)) if purl.is_none() => purl = Some(id),
                (Some("packageUrl"), Some(id)) => other_purls.push(id),
                _ => {}
            }
        }
        let supplier = e.supplied_by.map(|s| agents.get(&s).cloned().unwrap_or(s));
        let raw = RawComponent {
            id: e.spdx_id,
            name: e.name,
            version: e.version,
            group: None,
            purl,
            other_purls,
            cpes,
            supplier,
            licenses: Vec::new(),
            hashes: e
                .verified_using
                .into_iter()
                .filter_map(|h| Some((h.algorithm?, h.value.unwrap_or_default())))
                .collect(),
            kind: e.purpose,
            location,
            line: None,
        };
        b.add(raw, None);
    }
    for (e, location) in relationships {
        let (Some(from), Some(kind)) = (e.from, e.relationship_type) else {
            b.warn(
                WarningKind::InvalidElement,
                "relationship without `from` or `relationshipType` skipped",
                location,
            );
            continue;
        };
        if kind == "describes" {
            sbom_roots.extend(e.to);
            continue;
        }
        let Some(relation) = spdx3_relation(&kind, e.scope.as_deref()) else {
            // Licences, annotations, VEX and the like are outside the model.
            continue;
        };
        for to in &e.to {
            let known = |id: &str| b.knows(id) || !element_ids.contains(id);
            if known(&from) && known(to) {
                b.relate(&from, to, relation.clone(), &location);
            }
        }
    }
    let roots = if sbom_roots.is_empty() {
        doc_roots
    } else {
        sbom_roots
    };
    let mut roots: Vec<&String> = roots.iter().filter(|r| b.knows(r)).collect();
    roots.dedup();
    if let [root] = roots.as_slice() {
        b.promote_to_root(root);
    }
    b.finish(Format::Spdx3JsonLd, info)
}
