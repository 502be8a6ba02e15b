//! The registry: every check's stable code, area, title, the controls it serves, who is
//! responsible, and its documentation (the rule file's module docs).

use serde::{Deserialize, Serialize};

use crate::Ctx;
use crate::rules;
use crate::verdict::{Role, Verdict};

/// The area a check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// `identity`
    Identity,
    /// `updates`
    Updates,
    /// `disclosure`
    Disclosure,
    /// `communication`
    Communication,
    /// `data`
    Data,
    /// `network`
    Network,
    /// `integrity`
    Integrity,
    /// `resilience`
    Resilience,
    /// `logging`
    Logging,
    /// `development`
    Development,
    /// `documentation`
    Documentation,
    /// `vulnerabilities`
    Vulnerabilities,
}

/// One check of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct CheckInfo {
    /// Stable kebab-case code.
    pub code: &'static str,
    /// Area.
    pub area: Area,
    /// Short title.
    pub title: &'static str,
    /// Framework controls it serves (informative; the catalogs are authoritative).
    pub serves: &'static [&'static str],
    /// Who is responsible.
    pub responsible: &'static [Role],
    #[serde(skip)]
    source: &'static str,
    #[serde(skip)]
    check: fn(&Ctx<'_>) -> Verdict,
}

impl CheckInfo {
    /// Runs the check.
    pub fn run(&self, ctx: &Ctx<'_>) -> Verdict {
        let mut v = (self.check)(ctx);
        v.code = self.code;
        v.responsible = self.responsible.to_vec();
        v
    }

    /// The user documentation (the rule file's module docs, as Markdown).
    pub fn doc(&self) -> String {
        self.source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.trim_start_matches("//!")
                    .strip_prefix(' ')
                    .unwrap_or_else(|| l.trim_start_matches("//!"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

static CHECKS: &[CheckInfo] = &[
    CheckInfo {
        code: "default-password-universal",
        area: Area::Identity,
        title: "No universal default password",
        serves: &[
            "EN 303 645 5.1-1",
            "EN 303 645 5.1-2",
            "UK PSTI Sch. 1 para 1",
            "CRA Annex I(2)(d)",
            "NIST IR 8425 Interface Access Control 1b",
            "EN 18031-1 AUM-5",
            "IEC 62443-4-2 CR 1.5",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/identity/default_password_universal.rs"),
        check: rules::identity::default_password_universal::check,
    },
    CheckInfo {
        code: "brute-force-protection",
        area: Area::Identity,
        title: "Brute-force protection on authentication",
        serves: &[
            "EN 303 645 5.1-5",
            "CRA Annex I(2)(d)",
            "NIST IR 8259A Logical Access to Interfaces",
            "EN 18031-1 AUM-6",
            "IEC 62443-4-2 CR 1.11",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/identity/brute_force_protection.rs"),
        check: rules::identity::brute_force_protection::check,
    },
    CheckInfo {
        code: "credential-storage",
        area: Area::Identity,
        title: "Credentials and keys stored securely",
        serves: &[
            "EN 303 645 5.4-1",
            "EN 303 645 5.4-3",
            "CRA Annex I(2)(e)",
            "EN 18031-1 SSM-1",
            "EN 18031-1 CCK-1",
            "IEC 62443-4-2 CR 4.1",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/identity/credential_storage.rs"),
        check: rules::identity::credential_storage::check,
    },
    CheckInfo {
        code: "user-authentication",
        area: Area::Identity,
        title: "Every interface authenticates its users",
        serves: &[
            "EN 303 645 5.5-4",
            "EN 303 645 5.5-5",
            "CRA Annex I(2)(d)",
            "NIST IR 8425 Interface Access Control 1b",
            "EN 18031-1 ACM-1",
            "IEC 62443-4-2 CR 1.1",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/identity/user_authentication.rs"),
        check: rules::identity::user_authentication::check,
    },
    CheckInfo {
        code: "update-mechanism",
        area: Area::Updates,
        title: "Software can be updated",
        serves: &[
            "EN 303 645 5.3-1",
            "EN 303 645 5.3-2",
            "CRA Annex I(2)(c)",
            "CRA Annex I Part II(7)",
            "NIST IR 8425 Software Update 1",
            "IEC 62443-4-2 CR 3.10",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/updates/update_mechanism.rs"),
        check: rules::updates::update_mechanism::check,
    },
    CheckInfo {
        code: "update-signed",
        area: Area::Updates,
        title: "Update images are authenticated before install",
        serves: &[
            "EN 303 645 5.3-9",
            "EN 303 645 5.3-10",
            "CRA Annex I(2)(f)",
            "NIST IR 8425 Software Update 2",
            "EN 18031-1 SUM-2",
            "IEC 62443-4-2 CR 3.4",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/updates/update_signed.rs"),
        check: rules::updates::update_signed::check,
    },
    CheckInfo {
        code: "update-secure-delivery",
        area: Area::Updates,
        title: "Updates delivered over a secure channel",
        serves: &[
            "EN 303 645 5.3-7",
            "CRA Annex I Part II(7)",
            "EN 18031-1 SUM-3",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/updates/update_secure_delivery.rs"),
        check: rules::updates::update_secure_delivery::check,
    },
    CheckInfo {
        code: "rollback-protection",
        area: Area::Updates,
        title: "Rollback to vulnerable versions is prevented",
        serves: &[
            "CRA Annex I(2)(f)",
            "NIST IR 8259A Software Update",
            "IEC 62443-4-2 CR 3.10",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/updates/rollback_protection.rs"),
        check: rules::updates::rollback_protection::check,
    },
    CheckInfo {
        code: "update-automatic",
        area: Area::Updates,
        title: "Security updates install automatically by default",
        serves: &[
            "EN 303 645 5.3-4",
            "EN 303 645 5.3-6",
            "CRA Annex I(2)(c)",
            "NIST IR 8425 Software Update 2",
        ],
        responsible: &[Role::Manufacturer, Role::User],
        source: include_str!("rules/updates/update_automatic.rs"),
        check: rules::updates::update_automatic::check,
    },
    CheckInfo {
        code: "update-notification",
        area: Area::Updates,
        title: "Users are told about updates",
        serves: &[
            "EN 303 645 5.3-11",
            "EN 303 645 5.3-12",
            "CRA Annex I(2)(c)",
            "NIST IR 8425 Information Dissemination 1c",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/updates/update_notification.rs"),
        check: rules::updates::update_notification::check,
    },
    CheckInfo {
        code: "support-period-published",
        area: Area::Updates,
        title: "A support end date is published",
        serves: &[
            "EN 303 645 5.3-13",
            "UK PSTI Sch. 1 para 3",
            "CRA Art. 13(8)",
            "CRA Annex II(7)",
            "NIST IR 8425 Information Dissemination 1a",
            "NIST IR 8425 Information Dissemination 1b",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/updates/support_period_published.rs"),
        check: rules::updates::support_period_published::check,
    },
    CheckInfo {
        code: "support-period-expired",
        area: Area::Updates,
        title: "The support period has not ended",
        serves: &[
            "EN 303 645 5.3-8",
            "CRA Annex I Part II(2)",
            "NIST IR 8425 Information Dissemination 1b",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/updates/support_period_expired.rs"),
        check: rules::updates::support_period_expired::check,
    },
    CheckInfo {
        code: "disclosure-policy",
        area: Area::Disclosure,
        title: "A vulnerability disclosure policy is published",
        serves: &[
            "EN 303 645 5.2-1",
            "UK PSTI Sch. 1 para 2",
            "CRA Annex I Part II(5)",
            "NIST IR 8425 Information and Query Reception 1a",
            "IEC 62443-4-1 DM-1",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/disclosure/disclosure_policy.rs"),
        check: rules::disclosure::disclosure_policy::check,
    },
    CheckInfo {
        code: "disclosure-contact",
        area: Area::Disclosure,
        title: "A security contact is published",
        serves: &[
            "EN 303 645 5.2-1",
            "UK PSTI Sch. 1 para 2",
            "CRA Annex I Part II(6)",
            "CRA Annex II(2)",
            "NIST IR 8425 Information and Query Reception 1a",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/disclosure/disclosure_contact.rs"),
        check: rules::disclosure::disclosure_contact::check,
    },
    CheckInfo {
        code: "disclosure-response-time",
        area: Area::Disclosure,
        title: "Response timelines are promised",
        serves: &[
            "EN 303 645 5.2-2",
            "UK PSTI Sch. 1 para 2",
            "CRA Annex I Part II(2)",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/disclosure/disclosure_response_time.rs"),
        check: rules::disclosure::disclosure_response_time::check,
    },
    CheckInfo {
        code: "security-txt",
        area: Area::Disclosure,
        title: "An RFC 9116 security.txt is published",
        serves: &[
            "CRA Annex I Part II(6)",
            "BSI TR-03183-3",
            "NIST IR 8425 Information and Query Reception 1a",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/disclosure/security_txt.rs"),
        check: rules::disclosure::security_txt::check,
    },
    CheckInfo {
        code: "security-advisories",
        area: Area::Disclosure,
        title: "Security advisories are published",
        serves: &[
            "CRA Annex I Part II(4)",
            "CRA Annex I Part II(8)",
            "NIST IR 8425 Information Dissemination 1d",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/disclosure/security_advisories.rs"),
        check: rules::disclosure::security_advisories::check,
    },
    CheckInfo {
        code: "encryption-in-transit",
        area: Area::Communication,
        title: "Data in transit is encrypted",
        serves: &[
            "EN 303 645 5.5-1",
            "EN 303 645 5.5-7",
            "EN 303 645 5.8-1",
            "EN 303 645 5.8-2",
            "CRA Annex I(2)(e)",
            "NIST IR 8425 Data Protection 2",
            "EN 18031-1 SCM-3",
            "IEC 62443-4-2 CR 4.1",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/communication/encryption_in_transit.rs"),
        check: rules::communication::encryption_in_transit::check,
    },
    CheckInfo {
        code: "legacy-crypto-protocol",
        area: Area::Communication,
        title: "No deprecated TLS versions",
        serves: &[
            "EN 303 645 5.5-1",
            "EN 303 645 5.5-3",
            "CRA Annex I(2)(e)",
            "EN 18031-1 CRY-1",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/communication/legacy_crypto_protocol.rs"),
        check: rules::communication::legacy_crypto_protocol::check,
    },
    CheckInfo {
        code: "encryption-at-rest",
        area: Area::Data,
        title: "Sensitive data is encrypted at rest",
        serves: &[
            "EN 303 645 5.4-1",
            "CRA Annex I(2)(e)",
            "NIST IR 8425 Data Protection 1",
            "EN 18031-1 SSM-2",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/data/encryption_at_rest.rs"),
        check: rules::data::encryption_at_rest::check,
    },
    CheckInfo {
        code: "privacy-notice",
        area: Area::Data,
        title: "A privacy notice is published",
        serves: &[
            "EN 303 645 6-1",
            "EN 303 645 5.8-3",
            "CRA Annex I(2)(g)",
            "NIST IR 8425 Documentation 1a",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/data/privacy_notice.rs"),
        check: rules::data::privacy_notice::check,
    },
    CheckInfo {
        code: "user-data-deletion",
        area: Area::Data,
        title: "Users can erase their data",
        serves: &[
            "EN 303 645 5.11-1",
            "EN 303 645 5.11-2",
            "CRA Annex I(2)(m)",
            "NIST IR 8425 Data Protection 3",
            "EN 18031-1 DLM-1",
            "IEC 62443-4-2 CR 4.2",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/data/user_data_deletion.rs"),
        check: rules::data::user_data_deletion::check,
    },
    CheckInfo {
        code: "unauthenticated-service",
        area: Area::Network,
        title: "No network service without authentication",
        serves: &[
            "EN 303 645 5.5-4",
            "EN 303 645 5.5-5",
            "EN 303 645 5.6-2",
            "CRA Annex I(2)(d)",
            "CRA Annex I(2)(j)",
            "NIST IR 8425 Interface Access Control 1b",
            "EN 18031-1 ACM-1",
            "IEC 62443-4-2 CR 2.1",
        ],
        responsible: &[Role::Manufacturer, Role::Operator],
        source: include_str!("rules/network/unauthenticated_service.rs"),
        check: rules::network::unauthenticated_service::check,
    },
    CheckInfo {
        code: "debug-service-exposed",
        area: Area::Network,
        title: "No debug service on the network",
        serves: &[
            "EN 303 645 5.6-1",
            "EN 303 645 5.6-4",
            "CRA Annex I(2)(j)",
            "NIST IR 8425 Interface Access Control 1a",
            "EN 18031-1 GEC-3",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/network/debug_service_exposed.rs"),
        check: rules::network::debug_service_exposed::check,
    },
    CheckInfo {
        code: "internet-reachable",
        area: Area::Network,
        title: "Internet-reachable services are protected",
        serves: &[
            "EN 303 645 5.6-1",
            "CRA Annex I(2)(j)",
            "CRA Annex I(2)(i)",
            "NIST IR 8425 Interface Access Control 1a",
        ],
        responsible: &[Role::Manufacturer, Role::User],
        source: include_str!("rules/network/internet_reachable.rs"),
        check: rules::network::internet_reachable::check,
    },
    CheckInfo {
        code: "upnp-enabled",
        area: Area::Network,
        title: "UPnP port mapping is off",
        serves: &["EN 303 645 5.6-1", "CRA Annex I(2)(j)", "CRA Annex I(2)(i)"],
        responsible: &[Role::Manufacturer, Role::User],
        source: include_str!("rules/network/upnp_enabled.rs"),
        check: rules::network::upnp_enabled::check,
    },
    CheckInfo {
        code: "services-inventory",
        area: Area::Network,
        title: "Listening services are inventoried",
        serves: &[
            "EN 303 645 5.6-1",
            "EN 303 645 5.6-2",
            "CRA Annex I(2)(j)",
            "NIST IR 8425 Documentation 1b",
            "MUD RFC 8520",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/network/services_inventory.rs"),
        check: rules::network::services_inventory::check,
    },
    CheckInfo {
        code: "secure-boot",
        area: Area::Integrity,
        title: "Secure boot verifies the software",
        serves: &[
            "EN 303 645 5.7-1",
            "CRA Annex I(2)(f)",
            "CRA Annex I(2)(k)",
            "NIST SP 800-213A Device Security",
            "IEC 62443-4-2 CR 3.14",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/integrity/secure_boot.rs"),
        check: rules::integrity::secure_boot::check,
    },
    CheckInfo {
        code: "works-offline",
        area: Area::Resilience,
        title: "Core function survives network loss",
        serves: &[
            "EN 303 645 5.9-1",
            "EN 303 645 5.9-2",
            "CRA Annex I(2)(h)",
            "IEC 62443-4-2 CR 7.1",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/resilience/works_offline.rs"),
        check: rules::resilience::works_offline::check,
    },
    CheckInfo {
        code: "security-logging",
        area: Area::Logging,
        title: "Security events are logged",
        serves: &[
            "EN 303 645 5.10-1",
            "CRA Annex I(2)(l)",
            "NIST IR 8425 Cybersecurity State Awareness 1",
            "EN 18031-1 LGM-1",
            "IEC 62443-4-2 CR 2.8",
            "IEC 62443-4-2 CR 6.1",
        ],
        responsible: &[Role::Manufacturer, Role::Operator],
        source: include_str!("rules/logging/security_logging.rs"),
        check: rules::logging::security_logging::check,
    },
    CheckInfo {
        code: "secure-development",
        area: Area::Development,
        title: "A secure development lifecycle is followed",
        serves: &[
            "EN 303 645 5.6-9",
            "CRA Annex I Part II(3)",
            "NIST SP 800-218 (SSDF)",
            "IEC 62443-4-1 SM-1",
        ],
        responsible: &[Role::SoftwareDeveloper],
        source: include_str!("rules/development/secure_development.rs"),
        check: rules::development::secure_development::check,
    },
    CheckInfo {
        code: "threat-modeling",
        area: Area::Development,
        title: "Threat modeling is done",
        serves: &[
            "EN 303 645 5.6-9",
            "CRA Annex I(1)",
            "IEC 62443-4-1 SR-2",
            "NIST SP 800-218 PW.1",
        ],
        responsible: &[Role::SoftwareDeveloper],
        source: include_str!("rules/development/threat_modeling.rs"),
        check: rules::development::threat_modeling::check,
    },
    CheckInfo {
        code: "penetration-test",
        area: Area::Development,
        title: "A penetration test is done",
        serves: &[
            "CRA Annex I Part II(3)",
            "Singapore CLS level 4",
            "IEC 62443-4-1 SVV-4",
        ],
        responsible: &[Role::SoftwareDeveloper],
        source: include_str!("rules/development/penetration_test.rs"),
        check: rules::development::penetration_test::check,
    },
    CheckInfo {
        code: "code-review",
        area: Area::Development,
        title: "Code is reviewed",
        serves: &[
            "EN 303 645 5.6-9",
            "NIST SP 800-218 PW.7",
            "IEC 62443-4-1 SI-1",
        ],
        responsible: &[Role::SoftwareDeveloper],
        source: include_str!("rules/development/code_review.rs"),
        check: rules::development::code_review::check,
    },
    CheckInfo {
        code: "dependency-scanning",
        area: Area::Development,
        title: "Third-party components are scanned",
        serves: &[
            "EN 303 645 5.2-3",
            "CRA Annex I Part II(1)",
            "CRA Annex I Part II(2)",
            "NIST SP 800-218 PW.4",
        ],
        responsible: &[Role::SoftwareDeveloper],
        source: include_str!("rules/development/dependency_scanning.rs"),
        check: rules::development::dependency_scanning::check,
    },
    CheckInfo {
        code: "input-validation",
        area: Area::Development,
        title: "Input is validated",
        serves: &[
            "EN 303 645 5.13-1",
            "EN 303 645 5.13-1A",
            "EN 303 645 5.13-1B",
            "EN 18031-1 GEC-6",
            "IEC 62443-4-2 CR 3.5",
            "NIST IR 8425 Interface Access Control 2a",
            "CRA Annex I(2)(k)",
        ],
        responsible: &[Role::SoftwareDeveloper],
        source: include_str!("rules/development/input_validation.rs"),
        check: rules::development::input_validation::check,
    },
    CheckInfo {
        code: "ssdf-attestation",
        area: Area::Development,
        title: "A secure development self-attestation exists",
        serves: &[
            "NIST SP 800-218 (SSDF)",
            "US OMB M-22-18",
            "NIST IR 8425 Documentation 1c",
        ],
        responsible: &[Role::SoftwareDeveloper],
        source: include_str!("rules/development/ssdf_attestation.rs"),
        check: rules::development::ssdf_attestation::check,
    },
    CheckInfo {
        code: "model-designation",
        area: Area::Documentation,
        title: "The model designation is stated",
        serves: &[
            "EN 303 645 5.3-16",
            "CRA Annex II(1)",
            "NIST IR 8425 Asset Identification 1",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/documentation/model_designation.rs"),
        check: rules::documentation::model_designation::check,
    },
    CheckInfo {
        code: "sbom-available",
        area: Area::Documentation,
        title: "An SBOM is maintained",
        serves: &[
            "CRA Annex I Part II(1)",
            "CRA Annex II(9)",
            "NIST IR 8425 Documentation 1d",
            "FCC 24-26 registry field 10",
            "IEC 62443-4-1 SM-9",
        ],
        responsible: &[Role::Manufacturer],
        source: include_str!("rules/documentation/sbom_available.rs"),
        check: rules::documentation::sbom_available::check,
    },
    CheckInfo {
        code: "known-vulnerabilities",
        area: Area::Vulnerabilities,
        title: "No known high or critical vulnerabilities",
        serves: &[
            "EN 303 645 5.2-3",
            "EN 303 645 5.3-8",
            "CRA Annex I(2)(a)",
            "CRA Annex I Part II(2)",
            "EN 18031-1 GEC-1",
            "IEC 62443-4-2 CR 7.8",
        ],
        responsible: &[Role::Manufacturer, Role::SoftwareDeveloper],
        source: include_str!("rules/vulnerabilities/known_vulnerabilities.rs"),
        check: rules::vulnerabilities::known_vulnerabilities::check,
    },
    CheckInfo {
        code: "known-exploited-vulnerabilities",
        area: Area::Vulnerabilities,
        title: "No known exploited vulnerabilities",
        serves: &[
            "CRA Annex I(2)(a)",
            "CRA Art. 14",
            "EN 303 645 5.3-8",
            "EN 18031-1 GEC-1",
        ],
        responsible: &[Role::Manufacturer, Role::SoftwareDeveloper],
        source: include_str!("rules/vulnerabilities/known_exploited_vulnerabilities.rs"),
        check: rules::vulnerabilities::known_exploited_vulnerabilities::check,
    },
];

/// Every check, in registry order.
pub fn checks() -> &'static [CheckInfo] {
    CHECKS
}

/// Every check code, in registry order.
pub fn codes() -> &'static [&'static str] {
    static CODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| CHECKS.iter().map(|c| c.code).collect())
}

/// A check by code.
pub fn info(code: &str) -> Option<&'static CheckInfo> {
    CHECKS.iter().find(|c| c.code == code)
}

/// A check's title.
pub fn title(code: &str) -> Option<&'static str> {
    info(code).map(|c| c.title)
}

/// A check's documentation.
pub fn doc(code: &str) -> Option<String> {
    info(code).map(CheckInfo::doc)
}
