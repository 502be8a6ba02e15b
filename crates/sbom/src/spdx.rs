//! SPDX 2.x, shared by the JSON and tag-value readers: packages and
//! relationships as written, turned into the normalized model.

use std::collections::HashSet;

use crate::build::{Builder, DocInfo, RawComponent, is_no_assertion, non_empty};
use crate::model::{ComponentKind, Format, RelationKind, Sbom, WarningKind};

/// An SPDX package as written.
#[derive(Debug, Default)]
pub(crate) struct Package {
    pub(crate) id: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) supplier: Option<String>,
    /// (category, type, locator).
    pub(crate) external_refs: Vec<(String, String, String)>,
    /// (algorithm, value).
    pub(crate) checksums: Vec<(String, String)>,
    pub(crate) purpose: Option<String>,
    pub(crate) license_concluded: Option<String>,
    pub(crate) license_declared: Option<String>,
    /// `packages[3]`.
    pub(crate) location: String,
    /// Line of `PackageName` in tag-value.
    pub(crate) line: Option<usize>,
}

/// An SPDX relationship as written.
#[derive(Debug)]
pub(crate) struct Relationship {
    pub(crate) element: String,
    pub(crate) kind: String,
    pub(crate) related: String,
    pub(crate) location: String,
}

/// A whole SPDX 2.x document as written.
#[derive(Debug, Default)]
pub(crate) struct Document {
    pub(crate) info: DocInfo,
    /// The document's own SPDXID (normally `SPDXRef-DOCUMENT`).
    pub(crate) id: Option<String>,
    pub(crate) packages: Vec<Package>,
    /// Ids of files and snippets: relations to them are outside the model.
    pub(crate) other_elements: HashSet<String>,
    pub(crate) relationships: Vec<Relationship>,
    /// `documentDescribes`.
    pub(crate) describes: Vec<String>,
}

/// Strips `SPDX-` and warns about versions this reader was not written for.
pub(crate) fn spec_version(builder: &mut Builder, raw: &str) -> String {
    let v = raw.trim();
    let v = v
        .strip_prefix("SPDX-")
        .or_else(|| v.strip_prefix("spdx-"))
        .unwrap_or(v);
    if !matches!(v, "2.2" | "2.3") {
        builder.warn(
            WarningKind::UnsupportedVersion,
            format!("SPDX version `{raw}` is not 2.2 or 2.3; read as SPDX 2.3"),
            "document",
        );
    }
    v.to_owned()
}

/// `Organization: ACME (ops@acme.example)` → `ACME (ops@acme.example)`.
pub(crate) fn strip_actor(s: &str) -> String {
    let s = s.trim();
    for prefix in ["Organization:", "Person:", "Tool:"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return rest.trim().to_owned();
        }
    }
    s.to_owned()
}

/// Normalizes an SPDX relationship type to `(kind, reversed)`; `Err` for a
/// type outside the SPDX 2.3 list (`DESCRIBES` is handled by the caller).
fn relation_kind(t: &str) -> Result<(RelationKind, bool), ()> {
    use RelationKind as K;
    Ok(match t {
        "DEPENDS_ON" | "STATIC_LINK" | "DYNAMIC_LINK" | "HAS_PREREQUISITE" => (K::DependsOn, false),
        "DEPENDENCY_OF"
        | "RUNTIME_DEPENDENCY_OF"
        | "PROVIDED_DEPENDENCY_OF"
        | "PREREQUISITE_FOR" => (K::DependsOn, true),
        "BUILD_DEPENDENCY_OF" | "DEV_DEPENDENCY_OF" | "TEST_DEPENDENCY_OF" => {
            (K::DevDependsOn, true)
        }
        "OPTIONAL_DEPENDENCY_OF" => (K::OptionalDependsOn, true),
        "CONTAINS" => (K::Contains, false),
        "CONTAINED_BY" => (K::Contains, true),
        "DEPENDENCY_MANIFEST_OF"
        | "BUILD_TOOL_OF"
        | "DEV_TOOL_OF"
        | "TEST_TOOL_OF"
        | "TEST_CASE_OF"
        | "TEST_OF"
        | "DOCUMENTATION_OF"
        | "EXAMPLE_OF"
        | "GENERATES"
        | "GENERATED_FROM"
        | "ANCESTOR_OF"
        | "DESCENDANT_OF"
        | "VARIANT_OF"
        | "COPY_OF"
        | "FILE_ADDED"
        | "FILE_DELETED"
        | "FILE_MODIFIED"
        | "EXPANDED_FROM_ARCHIVE"
        | "DISTRIBUTION_ARTIFACT"
        | "PATCH_FOR"
        | "PATCH_APPLIED"
        | "METAFILE_OF"
        | "PACKAGE_OF"
        | "AMENDS"
        | "DATA_FILE_OF"
        | "REQUIREMENT_DESCRIPTION_FOR"
        | "SPECIFICATION_FOR"
        | "OTHER" => (K::Other(t.to_owned()), false),
        _ => return Err(()),
    })
}

fn package_to_raw(p: Package) -> RawComponent {
    let Package {
        id,
        name,
        version,
        supplier,
        external_refs,
        checksums,
        purpose,
        license_concluded,
        license_declared,
        location,
        line,
    } = p;
    let mut purl: Option<String> = None;
    let mut other_purls = Vec::new();
    let mut cpes = Vec::new();
    for (_category, kind, locator) in external_refs {
        match kind.trim() {
            // Every purl is kept: tools write a wrong one first at times (`fatbom`:
            // `pkg:golang/golang.org/sys@...` before `.../golang.org/x/sys@...`), and
            // the scan tries each.
            "purl" => {
                let locator = locator.trim();
                match &purl {
                    None => purl = Some(locator.to_owned()),
                    Some(_) => other_purls.push(locator.to_owned()),
                }
            }
            "cpe23Type" | "cpe22Type" => cpes.push(locator),
            _ => {}
        }
    }
    let license = [license_concluded, license_declared]
        .into_iter()
        .flatten()
        .find(|l| !is_no_assertion(l.trim()) && !l.trim().is_empty());
    RawComponent {
        id,
        name,
        version: version.filter(|v| !is_no_assertion(v.trim())),
        group: None,
        purl,
        other_purls,
        cpes,
        supplier: non_empty(supplier).map(|s| strip_actor(&s)),
        licenses: license.into_iter().collect(),
        hashes: checksums,
        kind: purpose,
        location,
        line,
    }
}

/// Builds the normalized document.
pub(crate) fn build(mut builder: Builder, doc: Document, format: Format) -> Sbom {
    let Document {
        info,
        id,
        packages,
        other_elements,
        relationships,
        describes,
    } = doc;
    let doc_id = id.unwrap_or_else(|| "SPDXRef-DOCUMENT".to_owned());
    for p in packages {
        let raw = package_to_raw(p);
        builder.add(raw, None);
    }
    let mut described: Vec<String> = describes.into_iter().map(|d| d.trim().to_owned()).collect();
    for r in relationships {
        let element = r.element.trim();
        let related = r.related.trim();
        let mut kind = r.kind.trim().to_ascii_uppercase().replace('-', "_");
        if kind == "DESCRIBE" {
            builder.warn(
                WarningKind::UnknownValue,
                "non-standard relationship type `DESCRIBE` read as `DESCRIBES`",
                r.location.as_str(),
            );
            kind = "DESCRIBES".to_owned();
        }
        if kind == "DESCRIBES" && element == doc_id {
            described.push(related.to_owned());
            continue;
        }
        if kind == "DESCRIBED_BY" && related == doc_id {
            described.push(element.to_owned());
            continue;
        }
        if [element, related]
            .iter()
            .any(|e| is_no_assertion(e) || *e == doc_id || other_elements.contains(*e))
        {
            // Relations to the document itself, to files and snippets, or to
            // nothing are outside the component model.
            continue;
        }
        if let Some(external) = [element, related].iter().find(|e| e.contains(':')) {
            builder.warn(
                WarningKind::DanglingReference,
                format!(
                    "relationship `{element} {kind} {related}` points into another document (`{external}`); skipped"
                ),
                r.location.as_str(),
            );
            continue;
        }
        let (kind, reversed) = match relation_kind(&kind) {
            Ok(k) => k,
            Err(()) => {
                builder.warn(
                    WarningKind::UnknownValue,
                    format!("unknown relationship type `{kind}`; kept as written"),
                    r.location.as_str(),
                );
                (RelationKind::Other(kind), false)
            }
        };
        let (from, to) = if reversed {
            (related, element)
        } else {
            (element, related)
        };
        builder.relate(from, to, kind, &r.location);
    }
    described.sort();
    described.dedup();
    let packages: Vec<&String> = described.iter().filter(|d| builder.knows(d)).collect();
    if let [root] = packages.as_slice() {
        builder.promote_to_root(root);
    }
    builder.finish(format, info)
}

/// A builder for SPDX: packages state no kind unless SPDX 2.3 says so.
pub(crate) fn builder() -> Builder {
    Builder::new(ComponentKind::Unspecified)
}
