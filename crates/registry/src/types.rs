//! What the registry takes and gives: submissions, devices with their versions, feed
//! entries and search pages (serialized as the API answers them).

use serde::Serialize;
use serde_json::Value;

/// A submission: the documents a manufacturer sends.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// The profile's name (its file name; decides TOML or JSON with the content).
    pub profile_name: String,
    /// The profile, TOML or JSON.
    pub profile: Vec<u8>,
    /// The SBOM, when sent.
    pub sbom: Option<Vec<u8>>,
    /// VEX documents.
    pub vex: Vec<Vec<u8>>,
    /// A firmware image of the product: the registry analyses it (`riskmark firmware`), its
    /// SBOM is the device's unless one is sent, and its weaknesses are verified verdicts
    /// kept with this submission. The image itself is not stored.
    pub firmware: Option<Vec<u8>>,
}

/// What a submission made.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    /// The device id (the label's `device_id`).
    pub id: String,
    /// The public page.
    pub url: String,
    /// The new version's number (1 for a new device).
    pub version: i64,
    /// The assessment (the `assess --format json` object).
    #[schema(value_type = Object)]
    pub assessment: Value,
    /// Problems that did not stop the assessment.
    pub warnings: Vec<String>,
}

/// A device's summary, as search lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeviceSummary {
    /// The device id.
    pub id: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Product name.
    pub name: String,
    /// Model.
    pub model: String,
    /// Category id.
    pub category: String,
    /// Current tier.
    pub tier: String,
    /// Current score.
    pub score: i64,
    /// The current version.
    pub version: i64,
    /// When it last changed (RFC 3339).
    pub updated: String,
}

/// One version of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VersionSummary {
    /// Its number.
    pub version: i64,
    /// The firmware it describes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    /// Its tier.
    pub tier: String,
    /// Its score.
    pub score: i64,
    /// When it was made (RFC 3339).
    pub created: String,
    /// Why a version was made other than by a submission (`attested by ...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A device with its current assessment and history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Device {
    /// Summary fields.
    #[serde(flatten)]
    pub summary: DeviceSummary,
    /// The organization that registered it.
    pub registered_by: String,
    /// The current version's assessment.
    #[schema(value_type = Object)]
    pub assessment: Value,
    /// Every version, newest first.
    pub versions: Vec<VersionSummary>,
    /// Lab attestations: `{lab, date, checks: [{code, result, evidence}], received}`,
    /// oldest first.
    pub attestations: Vec<Value>,
}

/// One entry of a feed: a version of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FeedEntry {
    /// The device id.
    pub device_id: String,
    /// Product name.
    pub name: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// The version.
    pub version: i64,
    /// Its firmware.
    pub firmware_version: Option<String>,
    /// Its tier.
    pub tier: String,
    /// Its score.
    pub score: i64,
    /// Why it was made, when not by a submission.
    pub note: Option<String>,
    /// When (RFC 3339).
    pub created: String,
}

/// Search filters; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Words in the manufacturer, name, model or id.
    pub q: Option<String>,
    /// Category id.
    pub category: Option<String>,
    /// Tier.
    pub tier: Option<String>,
    /// Manufacturer (exact, case-insensitive).
    pub manufacturer: Option<String>,
    /// Page (1-based).
    pub page: u32,
    /// Results per page (1-100).
    pub per_page: u32,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page {
    /// The devices.
    pub devices: Vec<DeviceSummary>,
    /// All matches.
    pub total: i64,
    /// This page.
    pub page: u32,
    /// Results per page.
    pub per_page: u32,
}
