//! CycloneDX JSON: the metadata, the component tree and the dependency graph.

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CdxMetadata {
    #[serde(deserialize_with = "opt_text")]
    timestamp: Option<String>,
    /// An array of tools (up to 1.4) or `{components, services}` (1.5+).
    tools: Option<serde_json::Value>,
    component: Option<Lenient<CdxComponent>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct CdxComponent {
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
pub(super) struct CdxDependency {
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
            other_purls: Vec::new(),
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

pub(super) fn cyclonedx(doc: TopLevel) -> Sbom {
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
