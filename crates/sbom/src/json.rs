//! JSON documents: CycloneDX JSON and SPDX 2.x JSON, read in one serde pass
//! into lean structs (unknown fields are skipped without being stored).
//!
//! Each element of the big arrays (components, packages, relationships, ...)
//! is read on its own, so one malformed element becomes a warning instead of
//! failing the whole document.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, Visitor};
use serde_json::value::RawValue;

use crate::build::{Builder, DocInfo, RawComponent};
use crate::error::SbomError;
use crate::model::{ComponentKind, Format, RelationKind, Sbom, WarningKind};
use crate::spdx;

/// Reads a JSON SBOM. `text` starts with `{` after whitespace.
pub(crate) fn parse(text: &str, origin: &str) -> Result<(Sbom, Option<usize>), SbomError> {
    let mut de = serde_json::Deserializer::from_str(text);
    // The plain parse is the fast path. Only a document that fails it is
    // read again through serde_path_to_error, whose path-tracking wrapper
    // costs on every value, to name the field in the error.
    let doc = match TopLevel::deserialize(&mut de) {
        Ok(doc) => doc,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(text);
            let doc: TopLevel =
                serde_path_to_error::deserialize(&mut de).map_err(|e| json_error(origin, &e))?;
            doc
        }
    };
    // Anything after the document (seen in the wild: a web page footer) is
    // ignored with a warning rather than failing the read.
    let trailing = match de.end() {
        Ok(()) => None,
        Err(e) => Some(e.line()),
    };
    let sbom = if doc.bom_format.is_some()
        || (doc.spec_version.is_some() && doc.spdx_version.is_none())
    {
        if let Some(f) = &doc.bom_format
            && !f.eq_ignore_ascii_case("CycloneDX")
        {
            return Err(SbomError::NotAnSbom {
                origin: origin.to_owned(),
                reason: format!("JSON `bomFormat` is `{f}`, not `CycloneDX`"),
            });
        }
        cyclonedx(doc)
    } else if doc.spdx_version.is_some() {
        spdx_json(doc)
    } else if doc.context.as_ref().is_some_and(is_spdx3_context) {
        spdx3(doc)
    } else {
        return Err(SbomError::NotAnSbom {
            origin: origin.to_owned(),
            reason: "JSON object has neither `bomFormat`/`specVersion` (CycloneDX), `spdxVersion` (SPDX 2) nor an SPDX 3 `@context`".to_owned(),
        });
    };
    Ok((sbom, trailing))
}

fn json_error(origin: &str, e: &serde_path_to_error::Error<serde_json::Error>) -> SbomError {
    let inner = e.inner();
    let path = e.path().to_string();
    SbomError::Json {
        origin: origin.to_owned(),
        line: inner.line(),
        column: inner.column(),
        path: (path != ".").then_some(path),
        message: strip_position(&inner.to_string()),
    }
}

/// serde_json appends " at line L column C"; the error carries them apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Lenient helpers

/// One array element, read on its own: a malformed element does not fail
/// the document.
pub(crate) enum Lenient<T> {
    Ok(T),
    Invalid(String),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The element's own text, checked as JSON but not yet read into `T`.
        // Reading `T` straight from that text is the fast path; only an
        // element that fails is read again with its path tracked.
        let raw = Box::<RawValue>::deserialize(d)?;
        if let Ok(t) = serde_json::from_str::<T>(raw.get()) {
            return Ok(Self::Ok(t));
        }
        let mut de = serde_json::Deserializer::from_str(raw.get());
        Ok(match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(t) => Self::Ok(t),
            Err(e) => {
                let path = e.path().to_string();
                // Positions inside the element's text would mislead.
                let inner = strip_position(&e.inner().to_string());
                Self::Invalid(if path == "." {
                    inner
                } else {
                    format!("`{path}`: {inner}")
                })
            }
        })
    }
}

/// Reads a string, number or boolean as text; `null` as `None`; anything
/// else (object, array) is skipped and read as `None`.
fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// A list of texts; `null` is an empty list, a single value a list of one.
fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(t) = a.next_element::<Text>()? {
                out.extend(t.0);
            }
            Ok(out)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt_text(d).map(Text)
    }
}

/// Syft lists the CPEs beyond the first as `syft:cpe23` properties; only
/// those are kept (components can carry dozens of other properties).
fn syft_cpes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let properties: Vec<CdxProperty> = null_default(d)?;
    Ok(properties
        .into_iter()
        .filter(|p| p.name.as_deref() == Some("syft:cpe23"))
        .filter_map(|p| p.value)
        .collect())
}

/// `null` reads as the default (an empty list).
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// A list read element by element; `null` is an empty list.
fn lenient_list<'de, D, T>(d: D) -> Result<Vec<Lenient<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = Vec<Lenient<T>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(a.size_hint().unwrap_or(0));
            while let Some(item) = a.next_element::<Lenient<T>>()? {
                out.push(item);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_seq(self)
        }
    }
    d.deserialize_option(V(PhantomData))
}

// ---------------------------------------------------------------------------
// The top level: the union of the CycloneDX and SPDX top-level fields we use.

#[derive(Deserialize, Default)]
#[serde(default)]
struct TopLevel {
    // CycloneDX
    #[serde(rename = "bomFormat", deserialize_with = "opt_text")]
    bom_format: Option<String>,
    #[serde(rename = "specVersion", deserialize_with = "opt_text")]
    spec_version: Option<String>,
    #[serde(rename = "serialNumber", deserialize_with = "opt_text")]
    serial_number: Option<String>,
    metadata: Option<Lenient<CdxMetadata>>,
    #[serde(deserialize_with = "lenient_list")]
    components: Vec<Lenient<CdxComponent>>,
    #[serde(deserialize_with = "lenient_list")]
    dependencies: Vec<Lenient<CdxDependency>>,
    // SPDX 2.x
    #[serde(rename = "spdxVersion", deserialize_with = "opt_text")]
    spdx_version: Option<String>,
    #[serde(rename = "SPDXID", deserialize_with = "opt_text")]
    spdx_id: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
    #[serde(rename = "documentNamespace", deserialize_with = "opt_text")]
    document_namespace: Option<String>,
    #[serde(rename = "creationInfo")]
    creation_info: Option<Lenient<SpdxCreationInfo>>,
    #[serde(rename = "documentDescribes", deserialize_with = "text_list")]
    document_describes: Vec<String>,
    #[serde(deserialize_with = "lenient_list")]
    packages: Vec<Lenient<SpdxPackage>>,
    #[serde(deserialize_with = "lenient_list")]
    files: Vec<Lenient<SpdxElement>>,
    #[serde(deserialize_with = "lenient_list")]
    snippets: Vec<Lenient<SpdxElement>>,
    #[serde(deserialize_with = "lenient_list")]
    relationships: Vec<Lenient<SpdxRelationship>>,
    // SPDX 3 JSON-LD
    #[serde(rename = "@context")]
    context: Option<serde_json::Value>,
    #[serde(rename = "@graph", deserialize_with = "lenient_list")]
    graph: Vec<Lenient<Spdx3Element>>,
}

// ---------------------------------------------------------------------------
// CycloneDX

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxMetadata {
    #[serde(deserialize_with = "opt_text")]
    timestamp: Option<String>,
    /// An array of tools (up to 1.4) or `{components, services}` (1.5+).
    tools: Option<serde_json::Value>,
    component: Option<Lenient<CdxComponent>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxComponent {
    #[serde(rename = "bom-ref", deserialize_with = "opt_text")]
    bom_ref: Option<String>,
    #[serde(rename = "type", deserialize_with = "opt_text")]
    kind: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    version: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    group: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    purl: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    cpe: Option<String>,
    supplier: Option<CdxOrganization>,
    #[serde(deserialize_with = "null_default")]
    hashes: Vec<CdxHash>,
    #[serde(deserialize_with = "null_default")]
    licenses: Vec<CdxLicenseChoice>,
    /// Only the values of Syft's `syft:cpe23` properties are kept.
    #[serde(rename = "properties", deserialize_with = "syft_cpes")]
    extra_cpes: Vec<String>,
    #[serde(deserialize_with = "lenient_list")]
    components: Vec<Lenient<Self>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxOrganization {
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxHash {
    #[serde(deserialize_with = "opt_text")]
    alg: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    content: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxLicenseChoice {
    license: Option<CdxLicense>,
    #[serde(deserialize_with = "opt_text")]
    expression: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxLicense {
    #[serde(deserialize_with = "opt_text")]
    id: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxProperty {
    #[serde(deserialize_with = "opt_text")]
    name: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    value: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CdxDependency {
    #[serde(rename = "ref", deserialize_with = "opt_text")]
    reference: Option<String>,
    #[serde(rename = "dependsOn", deserialize_with = "text_list")]
    depends_on: Vec<String>,
}

impl CdxComponent {
    fn into_raw(self, location: String) -> (RawComponent, Vec<Lenient<Self>>) {
        let mut cpes: Vec<String> = self.cpe.into_iter().collect();
        cpes.extend(self.extra_cpes);
        let licenses = self
            .licenses
            .into_iter()
            .filter_map(|l| {
                l.expression
                    .or_else(|| l.license.and_then(|l| l.id.or(l.name)))
            })
            .collect();
        let hashes = self
            .hashes
            .into_iter()
            .filter_map(|h| Some((h.alg?, h.content.unwrap_or_default())))
            .collect();
        let raw = RawComponent {
            id: self.bom_ref,
            name: self.name,
            version: self.version,
            group: self.group,
            purl: self.purl,
            cpes,
            supplier: self.supplier.and_then(|s| s.name),
            licenses,
            hashes,
            kind: self.kind,
            location,
            line: None,
        };
        (raw, self.components)
    }
}

/// Adds components (and, depth first, their nested components).
fn add_components(
    b: &mut Builder,
    list: Vec<Lenient<CdxComponent>>,
    parent: Option<&str>,
    path: &str,
) {
    for (i, item) in list.into_iter().enumerate() {
        let location = format!("{path}[{i}]");
        match item {
            Lenient::Invalid(reason) => b.warn(
                WarningKind::InvalidElement,
                format!("component skipped: {reason}"),
                location,
            ),
            Lenient::Ok(c) => {
                let (raw, children) = c.into_raw(location.clone());
                let id = b.add(raw, parent);
                if !children.is_empty() {
                    add_components(
                        b,
                        children,
                        id.as_deref().or(parent),
                        &format!("{location}.components"),
                    );
                }
            }
        }
    }
}

pub(crate) fn cdx_spec_version(b: &mut Builder, v: Option<&str>) -> String {
    let v = v.map(str::trim).unwrap_or_default();
    if !matches!(v, "1.2" | "1.3" | "1.4" | "1.5" | "1.6") {
        let shown = if v.is_empty() { "(none)" } else { v };
        b.warn(
            WarningKind::UnsupportedVersion,
            format!("CycloneDX specVersion `{shown}` is not 1.2 to 1.6; read as 1.6"),
            "specVersion",
        );
    }
    v.to_owned()
}

fn tool_names(value: &serde_json::Value) -> Vec<String> {
    let list = match value {
        serde_json::Value::Array(a) => a.as_slice(),
        serde_json::Value::Object(o) => match o.get("components") {
            Some(serde_json::Value::Array(a)) => a.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    list.iter()
        .filter_map(|t| {
            let name = t.get("name")?.as_str()?;
            Some(match t.get("version").and_then(|v| v.as_str()) {
                Some(v) => format!("{name} {v}"),
                None => name.to_owned(),
            })
        })
        .collect()
}

fn cyclonedx(doc: TopLevel) -> Sbom {
    let mut b = Builder::new(ComponentKind::Library);
    let spec_version = cdx_spec_version(&mut b, doc.spec_version.as_deref());
    let mut info = DocInfo {
        spec_version,
        serial: doc.serial_number,
        ..DocInfo::default()
    };
    let mut root_id = None;
    let mut root_children = Vec::new();
    match doc.metadata {
        None => {}
        Some(Lenient::Invalid(reason)) => b.warn(
            WarningKind::InvalidElement,
            format!("metadata skipped: {reason}"),
            "metadata",
        ),
        Some(Lenient::Ok(m)) => {
            info.created = m.timestamp;
            info.tools = m.tools.as_ref().map(tool_names).unwrap_or_default();
            match m.component {
                None => {}
                Some(Lenient::Invalid(reason)) => b.warn(
                    WarningKind::InvalidElement,
                    format!("metadata component skipped: {reason}"),
                    "metadata.component",
                ),
                Some(Lenient::Ok(c)) => {
                    let (raw, children) = c.into_raw("metadata.component".to_owned());
                    root_id = b.set_root(raw);
                    root_children = children;
                }
            }
        }
    }
    add_components(&mut b, doc.components, None, "components");
    add_components(
        &mut b,
        root_children,
        root_id.as_deref(),
        "metadata.component.components",
    );
    for (i, dep) in doc.dependencies.into_iter().enumerate() {
        let location = format!("dependencies[{i}]");
        match dep {
            Lenient::Invalid(reason) => b.warn(
                WarningKind::InvalidElement,
                format!("dependency skipped: {reason}"),
                location,
            ),
            Lenient::Ok(d) => {
                let Some(from) = d.reference else {
                    b.warn(
                        WarningKind::InvalidElement,
                        "dependency without `ref` skipped",
                        location,
                    );
                    continue;
                };
                for to in &d.depends_on {
                    b.relate(&from, to, RelationKind::DependsOn, &location);
                }
            }
        }
    }
    b.finish(Format::CycloneDxJson, info)
}

// ---------------------------------------------------------------------------
// SPDX 2.x JSON

#[derive(Deserialize, Default)]
#[serde(default)]
struct SpdxCreationInfo {
    #[serde(deserialize_with = "opt_text")]
    created: Option<String>,
    #[serde(deserialize_with = "text_list")]
    creators: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SpdxPackage {
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
struct SpdxElement {
    #[serde(rename = "SPDXID", deserialize_with = "opt_text")]
    id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SpdxRelationship {
    #[serde(rename = "spdxElementId", deserialize_with = "opt_text")]
    element: Option<String>,
    #[serde(rename = "relationshipType", deserialize_with = "opt_text")]
    kind: Option<String>,
    #[serde(rename = "relatedSpdxElement", deserialize_with = "opt_text")]
    related: Option<String>,
}

fn spdx_json(doc: TopLevel) -> Sbom {
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

// ---------------------------------------------------------------------------
// SPDX 3 JSON-LD (compact form, as the SPDX 3 context writes it)

fn is_spdx3_context(value: &serde_json::Value) -> bool {
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
struct Spdx3Element {
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

fn spdx3(doc: TopLevel) -> Sbom {
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
        for x in e.external_identifiers {
            match (x.kind.as_deref(), x.identifier) {
                (Some("cpe23" | "cpe22"), Some(id)) => cpes.push(id),
                (Some("packageUrl"), Some(id)) if purl.is_none() => purl = Some(id),
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
