//! The normalized VEX model every reader produces.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The format a VEX document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum VexFormat {
    /// OpenVEX (`@context` `https://openvex.dev/ns/...`); `openvex`.
    OpenVex,
    /// CycloneDX JSON with a `vulnerabilities` array (1.4 to 1.6);
    /// `cyclonedx`.
    CycloneDx,
    /// CSAF 2.0 (`document.csaf_version` `2.0`), usually of category
    /// `csaf_vex`; security advisories carry product status too; `csaf`.
    Csaf,
}

impl VexFormat {
    /// A short human name, e.g. `CSAF 2.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenVex => "OpenVEX",
            Self::CycloneDx => "CycloneDX VEX",
            Self::Csaf => "CSAF 2.0",
        }
    }
}

impl fmt::Display for VexFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One VEX document, normalized across formats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexDocument {
    /// The format it was read from.
    pub format: VexFormat,
    /// Where it came from (the file path or the name the caller gave).
    pub source: String,
    /// One statement per vulnerability and status, in document order.
    pub statements: Vec<Statement>,
    /// Everything that was skipped or is suspicious, with the reason and the
    /// location in the document.
    pub warnings: Vec<String>,
}

/// One VEX statement: the status of one vulnerability in some products.
///
/// A source statement that gives different statuses to different products
/// (CSAF `product_status`, CycloneDX `affects[].versions[].status`) becomes
/// one [`Statement`] per status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The vulnerability id as the document names it (`CVE-2021-44228`).
    pub vulnerability: String,
    /// Other ids of the same vulnerability (GHSA, vendor ids), as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The products (components) the statement is about.
    pub products: Vec<ProductRef>,
    /// The status.
    pub status: VexStatus,
    /// Why a product is not affected, as the document spells it: an OpenVEX
    /// justification (`vulnerable_code_not_present`), a CycloneDX one
    /// (`code_not_present`) or a CSAF VEX flag label
    /// (`component_not_present`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// Free text: OpenVEX `impact_statement` (or `status_notes`), CycloneDX
    /// `analysis.detail`, CSAF `threats[category=impact].details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// What to do: OpenVEX `action_statement`, CycloneDX `analysis.response`
    /// and `recommendation`, CSAF `remediations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// When the statement was made, as written (RFC 3339): the statement's
    /// own time if it has one, else the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

/// What a statement says about a product, named as OpenVEX names it.
///
/// [`NotAffected`](Self::NotAffected) and [`Fixed`](Self::Fixed) suppress a
/// finding (see [`VexStatus::suppresses`]); the other two leave it standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    /// The product is not affected (CycloneDX `not_affected`,
    /// `false_positive`; CSAF `known_not_affected`; version status
    /// `unaffected`).
    NotAffected,
    /// The product is affected (CycloneDX `exploitable`; CSAF
    /// `known_affected`).
    Affected,
    /// The product contains a fix (CycloneDX `resolved`,
    /// `resolved_with_pedigree`; CSAF `fixed`, `first_fixed`).
    Fixed,
    /// Not known yet (CycloneDX `in_triage`; CSAF `under_investigation`).
    UnderInvestigation,
}

impl VexStatus {
    /// The OpenVEX spelling (`not_affected`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotAffected => "not_affected",
            Self::Affected => "affected",
            Self::Fixed => "fixed",
            Self::UnderInvestigation => "under_investigation",
        }
    }

    /// Parses the OpenVEX spelling.
    pub fn from_openvex(s: &str) -> Option<Self> {
        match s {
            "not_affected" => Some(Self::NotAffected),
            "affected" => Some(Self::Affected),
            "fixed" => Some(Self::Fixed),
            "under_investigation" => Some(Self::UnderInvestigation),
            _ => None,
        }
    }

    /// True when a finding with this status should be suppressed:
    /// `not_affected` (the caller shows the justification and detail) and
    /// `fixed` (the component already carries the fix). `affected` and
    /// `under_investigation` leave the finding standing, with the statement
    /// as added context.
    pub fn suppresses(self) -> bool {
        matches!(self, Self::NotAffected | Self::Fixed)
    }
}

impl fmt::Display for VexStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A product or component a statement is about, with every identifier the
/// document gives for it.
///
/// Matching (see [`VexSet`](crate::VexSet)) uses `purl`, `cpe` and
/// `bom_ref`; `name` is for display only. `version` and `version_range`
/// restrict a `bom_ref` match (a bom-ref names a component, not a version);
/// a purl or CPE carries its own version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRef {
    /// Package URL, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// CycloneDX bom-ref, or a BOM-Link `urn:cdx:<serial>/<version>#<bom-ref>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// CPE (2.3 formatted string or 2.2 URI), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Human-readable product name (CSAF product name, CycloneDX component
    /// name, an OpenVEX `@id` that is neither purl nor CPE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One exact version (CycloneDX `affects[].versions[].version`, the
    /// referenced component's version, CSAF `product_version` branch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A version range (CycloneDX `affects[].versions[].range` in `vers:`
    /// syntax; CSAF `product_version_range` as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_range: Option<String>,
}

impl ProductRef {
    /// True when the reference carries an identifier that
    /// [`VexSet`](crate::VexSet) can match (purl, CPE or bom-ref).
    pub fn is_matchable(&self) -> bool {
        self.purl.is_some() || self.cpe.is_some() || self.bom_ref.is_some()
    }
}
