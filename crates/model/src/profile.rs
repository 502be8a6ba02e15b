//! The device security profile, format v1: the types of the spec's normative core.
//!
//! Every optional field is an `Option`: `None` means *not declared*, which checks must
//! treat as "needs evidence", never as `false`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::enums::{
    AuthMethod, Category, CredentialStorage, DataKind, DefaultPassword, Environment, EvidenceKind,
    Interface, PhysicalEffect, Practice, Protocol, Regime, SafetyImpact, TransitEncryption,
    UpdateMechanism, UserKind,
};
use crate::values::{IsoDate, Market, SchemaId};

/// A device security profile (format v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "riskmark device security profile v1")]
pub struct Profile {
    /// Format identifier; exactly `riskmark/device-profile/v1`.
    pub schema: SchemaId,
    /// What the product is.
    pub product: Product,
    /// Intended use.
    #[serde(rename = "use")]
    pub use_: Use,
    /// Network interfaces and listening services.
    pub connectivity: Connectivity,
    /// Identity and authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Patchability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<Updates>,
    /// Coordinated vulnerability disclosure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<Disclosure>,
    /// Secure development lifecycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub development: Option<Development>,
    /// Protection of data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_protection: Option<DataProtection>,
    /// Integrity and resilience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resilience: Option<Resilience>,
    /// Evidence supporting claims.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// `[product]`: what the product is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Legal manufacturer.
    #[schemars(length(min = 1))]
    pub manufacturer: String,
    /// Product name.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Model designation.
    #[schemars(length(min = 1))]
    pub model: String,
    /// Firmware version assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    /// One of the category catalogue ids.
    pub category: Category,
    /// ISO 3166 alpha-2 codes, or `EU`; selects frameworks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markets: Option<Vec<Market>>,
    /// Installed base (prevalence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_in_market: Option<u64>,
    /// Retail price in US dollars (a cost-benefit input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0))]
    pub price_usd: Option<f64>,
    /// Extension: other regimes the product is regulated under (decides CRA exclusions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regulated_under: Option<Vec<Regime>>,
}

/// `[use]`: intended use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Use {
    /// Where the product is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// Who uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<UserKind>>,
    /// What it can do physically (`[]` when it only senses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_effects: Option<Vec<PhysicalEffect>>,
    /// Worst credible harm if compromised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_impact: Option<SafetyImpact>,
    /// Kinds of data processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<DataKind>>,
    /// Intended for, or used by, children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<bool>,
    /// The product's purpose is a security function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_function: Option<bool>,
}

/// `[connectivity]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Connectivity {
    /// Interfaces present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interfaces: Option<Vec<Interface>>,
    /// Reachable from the internet without the user's explicit action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_reachable: Option<bool>,
    /// Needs a cloud service for its function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_dependent: Option<bool>,
    /// UPnP port mapping enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upnp: Option<bool>,
    /// Every listening network service, debug ones included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<Service>>,
}

/// One listening network service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Port number.
    pub port: u16,
    /// `tcp` or `udp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Service name (e.g. `http`, `ssh`, `modbus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How clients authenticate (`none` for unauthenticated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<AuthMethod>,
    /// What it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// `[identity]`: strong identity management.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// How default passwords are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_password: Option<DefaultPassword>,
    /// Authentication methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Vec<AuthMethod>>,
    /// Brute-force protection on authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brute_force_protection: Option<bool>,
    /// How credentials are stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_storage: Option<CredentialStorage>,
}

/// `[updates]`: patchability (NTIA transparency elements).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Updates {
    /// How updates are applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<UpdateMechanism>,
    /// Images are authenticated before install.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<bool>,
    /// Delivered over an authenticated, encrypted channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_delivery: Option<bool>,
    /// Older, vulnerable images cannot be reinstalled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_protection: Option<bool>,
    /// Date until which security updates are guaranteed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_end: Option<IsoDate>,
    /// Users are told about updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_users: Option<bool>,
}

/// `[disclosure]`: coordinated vulnerability disclosure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// Published vulnerability disclosure policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_url: Option<String>,
    /// Where to report vulnerabilities (`mailto:` or `https:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Published RFC 9116 security.txt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_txt: Option<String>,
    /// Promised days to first response or remediation plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_days: Option<u32>,
    /// CSAF provider metadata or advisories location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisories_url: Option<String>,
    /// SBOM path (relative to the profile) or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbom: Option<String>,
}

/// `[development]`: secure development lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Development {
    /// Practices applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practices: Option<Vec<Practice>>,
    /// A NIST SP 800-218 (SSDF) self-attestation exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssdf_attestation: Option<bool>,
}

/// `[data_protection]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataProtection {
    /// Protections of data in transit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_in_transit: Option<Vec<TransitEncryption>>,
    /// Stored data is encrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_at_rest: Option<bool>,
    /// Users can erase their data / factory reset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data_deletion: Option<bool>,
    /// Published privacy notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_notice_url: Option<String>,
}

/// `[resilience]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resilience {
    /// Boot chain verifies the software.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_boot: Option<bool>,
    /// Core function survives loss of network or cloud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub works_offline: Option<bool>,
    /// Security events are logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging: Option<bool>,
}

/// `[[evidence]]`: support for one claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Dotted path of the field it supports, e.g. `updates.signed`.
    pub claim: String,
    /// Kind of evidence.
    pub kind: EvidenceKind,
    /// Document or report reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Who issued it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// When it was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<IsoDate>,
}

impl Profile {
    /// Whether a claim (dotted field path) is backed by third-party evidence.
    pub fn is_verified(&self, claim: &str) -> bool {
        self.evidence
            .iter()
            .any(|e| e.claim == claim && e.kind.is_third_party())
    }
}
