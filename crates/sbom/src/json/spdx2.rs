//! SPDX 2.x JSON: creation info, packages, files and snippets, relationships.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SpdxCreationInfo {
    #[serde(deserialize_with = "opt_text")]
    created: Option<String>,
    #[serde(deserialize_with = "text_list")]
    creators: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SpdxPackage {
    #[serde(rename = "SPDXID", deserialize_with = "opt_text")]
    id: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
    #[serde(rename = "versionInfo", deserialize_with = "opt_text")]
    version: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    supplier: Option<String>,
    #[serde(rename = "externalRefs", deserialize_with = "null_default")]
    external_refs: Vec<SpdxExternalRef>,
    #[serde(deserialize_with = "null_default")]
    checksums: Vec<SpdxChecksum>,
    #[serde(rename = "primaryPackagePurpose", deserialize_with = "opt_text")]
    purpose: Option<String>,
    #[serde(rename = "licenseConcluded", deserialize_with = "opt_text")]
    license_concluded: Option<String>,
    #[serde(rename = "licenseDeclared", deserialize_with = "opt_text")]
    license_declared: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SpdxExternalRef {
    #[serde(rename = "referenceCategory", deserialize_with = "opt_text")]
    category: Option<String>,
    #[serde(rename = "referenceType", deserialize_with = "opt_text")]
    kind: Option<String>,
    #[serde(rename = "referenceLocator", deserialize_with = "opt_text")]
    locator: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SpdxChecksum {
    #[serde(deserialize_with = "opt_text")]
    algorithm: Option<String>,
    #[serde(rename = "checksumValue", deserialize_with = "opt_text")]
    value: Option<String>,
}

/// A file or snippet: only its id matters here.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SpdxElement {
    #[serde(rename = "SPDXID", deserialize_with = "opt_text")]
    id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SpdxRelationship {
    #[serde(rename = "spdxElementId", deserialize_with = "opt_text")]
    element: Option<String>,
    #[serde(rename = "relationshipType", deserialize_with = "opt_text")]
    kind: Option<String>,
    #[serde(rename = "relatedSpdxElement", deserialize_with = "opt_text")]
    related: Option<String>,
}

pub(super) fn spdx_json(doc: TopLevel) -> Sbom {
    let mut b = spdx::builder();
    let spec_version = spdx::spec_version(&mut b, doc.spdx_version.as_deref().unwrap_or_default());
    let mut info = DocInfo {
        spec_version,
        name: doc.name,
        serial: doc.document_namespace,
        ..DocInfo::default()
    };
    match doc.creation_info {
        None => {}
        Some(Lenient::Invalid(reason)) => b.warn(
            WarningKind::InvalidElement,
            format!("creationInfo skipped: {reason}"),
            "creationInfo",
        ),
        Some(Lenient::Ok(ci)) => {
            info.created = ci.created;
            info.tools = ci
                .creators
                .iter()
                .filter_map(|c| c.trim().strip_prefix("Tool:"))
                .map(|t| t.trim().to_owned())
                .collect();
        }
    }
    let mut out = spdx::Document {
        info,
        id: doc.spdx_id,
        describes: doc.document_describes,
        ..spdx::Document::default()
    };
    for (i, p) in doc.packages.into_iter().enumerate() {
        let location = format!("packages[{i}]");
        match p {
            Lenient::Invalid(reason) => b.warn(
                WarningKind::InvalidElement,
                format!("package skipped: {reason}"),
                location,
            ),
            Lenient::Ok(p) => out.packages.push(spdx::Package {
                id: p.id,
                name: p.name,
                version: p.version,
                supplier: p.supplier,
                external_refs: p
                    .external_refs
                    .into_iter()
                    .filter_map(|r| Some((r.category.unwrap_or_default(), r.kind?, r.locator?)))
                    .collect(),
                checksums: p
                    .checksums
                    .into_iter()
                    .filter_map(|c| Some((c.algorithm?, c.value.unwrap_or_default())))
                    .collect(),
                purpose: p.purpose,
                license_concluded: p.license_concluded,
                license_declared: p.license_declared,
                location,
                line: None,
            }),
        }
    }
    for e in doc.files.into_iter().chain(doc.snippets) {
        if let Lenient::Ok(SpdxElement { id: Some(id) }) = e {
            out.other_elements.insert(id);
        }
    }
    for (i, r) in doc.relationships.into_iter().enumerate() {
        let location = format!("relationships[{i}]");
        match r {
            Lenient::Ok(SpdxRelationship {
                element: Some(element),
                kind: Some(kind),
                related: Some(related),
            }) => out.relationships.push(spdx::Relationship {
                element,
                kind,
                related,
                location,
            }),
            Lenient::Ok(_) => b.warn(
                WarningKind::InvalidElement,
                "relationship without `spdxElementId`, `relationshipType` or `relatedSpdxElement` skipped",
                location,
            ),
            Lenient::Invalid(reason) => b.warn(
                WarningKind::InvalidElement,
                format!("relationship skipped: {reason}"),
                location,
            ),
        }
    }
    spdx::build(b, out, Format::SpdxJson)
}
