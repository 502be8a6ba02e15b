//! The subset of the OSCAL catalog model riskmark reads (OSCAL 1.1.2 / 1.2 JSON).
//!
//! Unknown OSCAL fields are accepted (a catalog may carry much more); what riskmark
//! needs is typed, so a malformed catalog gives a located error.

use serde::{Deserialize, Serialize};

/// The riskmark namespace for props.
pub const NS: &str = "https://riskmark.dev/ns/oscal";

/// `{"catalog": ...}`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogDoc {
    /// The catalog.
    pub catalog: Catalog,
}

/// An OSCAL catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    /// Document UUID.
    pub uuid: String,
    /// Metadata.
    pub metadata: Metadata,
    /// Control groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// Ungrouped controls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

/// Catalog metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Metadata {
    /// Title.
    pub title: String,
    /// Version of the framework.
    pub version: String,
    /// OSCAL version.
    #[serde(rename = "oscal-version")]
    pub oscal_version: String,
    /// Last modified.
    #[serde(rename = "last-modified")]
    pub last_modified: String,
    /// Props (`framework-id`, `markets`, `kind`, `short-title`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
}

/// A group of controls.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    /// Group id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Title.
    pub title: String,
    /// Sub-groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Self>,
    /// Controls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

/// A control.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Control {
    /// OSCAL id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Props (`label`, `status`, `status-code`, `check`, `manual`, `responsible` ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    /// Parts (the `statement` prose).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Control enhancements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Self>,
}

/// A name/value property.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Prop {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
}

/// A part of a control.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    /// Part name (`statement`, `guidance` ...).
    pub name: String,
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Prose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prose: Option<String>,
}

/// The values of every prop called `name`.
pub(crate) fn props<'a>(
    props: &'a [Prop],
    name: &'a str,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    props
        .iter()
        .enumerate()
        .filter(move |(_, p)| p.name == name)
        .map(|(i, p)| (i, p.value.as_str()))
}

/// The first value of the prop called `name`.
pub(crate) fn prop<'a>(p: &'a [Prop], name: &str) -> Option<&'a str> {
    p.iter().find(|p| p.name == name).map(|p| p.value.as_str())
}
