//! Placement in the EU Cyber Resilience Act's classes (Regulation (EU) 2024/2847).
//!
//! The class follows the product's *core functionality* (Art. 7(1)): the categories of
//! Annex III (important, classes I and II) and Annex IV (critical), with the technical
//! descriptions of Implementing Regulation (EU) 2025/2392. Embedding an Annex III
//! component does not promote the host product. Products under the regimes of Art. 2(2),
//! (3), (4) and (7) are out of scope.

use riskmark_model::{Category, DataKind, Environment, Profile, Regime};
use serde::{Deserialize, Serialize};

/// A CRA class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CraClass {
    /// Outside the Regulation's scope.
    OutOfScope,
    /// Everything not listed in Annex III or IV.
    Default,
    /// Annex III, class I.
    ImportantI,
    /// Annex III, class II.
    ImportantIi,
    /// Annex IV.
    Critical,
}

impl CraClass {
    /// The identifier used in outputs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OutOfScope => "out-of-scope",
            Self::Default => "default",
            Self::ImportantI => "important-i",
            Self::ImportantIi => "important-ii",
            Self::Critical => "critical",
        }
    }

    /// The conformity assessment routes open to the class (Art. 32, Art. 8(1)).
    pub const fn conformity_route(self) -> &'static str {
        match self {
            Self::OutOfScope => {
                "The CRA's conformity assessment does not apply; the product's own regime governs it."
            }
            Self::Default => {
                "Internal control (module A, self-assessment) is allowed (Art. 32(1))."
            }
            Self::ImportantI => {
                "Module A only where harmonised standards, common specifications or an EU cybersecurity certification scheme (at least 'substantial') are applied in full; otherwise EU-type examination with internal production control (modules B+C) or full quality assurance (module H) (Art. 32(2))."
            }
            Self::ImportantIi => {
                "EU-type examination with internal production control (modules B+C), full quality assurance (module H), or an EU cybersecurity certification scheme at least 'substantial' (Art. 32(3))."
            }
            Self::Critical => {
                "European cybersecurity certification where a delegated act requires it (Art. 8(1)); otherwise the class II routes (modules B+C or H)."
            }
        }
    }
}

impl std::fmt::Display for CraClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a product sits under the CRA, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CraPlacement {
    /// The class.
    pub class: CraClass,
    /// The legal entry that decides it (an Annex point, or an Art. 2 exclusion).
    pub entry: String,
    /// Why, in words.
    pub reason: String,
}

fn placement(class: CraClass, entry: &str, reason: String) -> CraPlacement {
    CraPlacement {
        class,
        entry: entry.to_owned(),
        reason,
    }
}

/// Places a profile in a CRA class.
pub fn place(p: &Profile) -> CraPlacement {
    let mut out = place_by_function(p);
    if let Some(markets) = &p.product.markets
        && !markets.iter().any(|m| m.is_eu())
    {
        let list: Vec<&str> = markets.iter().map(|m| m.as_str()).collect();
        out.reason.push_str(&format!(
            " The CRA applies only when the product is placed on the EU market; the declared markets ({}) include none of the EU.",
            list.join(", ")
        ));
    }
    out
}

fn place_by_function(p: &Profile) -> CraPlacement {
    use Category as C;
    let regimes = p.product.regulated_under.as_deref().unwrap_or_default();
    let cat = p.product.category;
    let data = p.use_.data.as_deref().unwrap_or_default();
    let has_data = |kinds: &[DataKind]| data.iter().any(|d| kinds.contains(d));
    let children = p.use_.children == Some(true);

    // Exclusions (Art. 2) come first: the other regime governs the product.
    if let Some(r) = regimes.first() {
        let (entry, why) = match r {
            Regime::Mdr => (
                "Art. 2(2)(a)",
                "a medical device under Regulation (EU) 2017/745 (MDR)",
            ),
            Regime::Ivdr => (
                "Art. 2(2)(b)",
                "an in-vitro diagnostic device under Regulation (EU) 2017/746 (IVDR)",
            ),
            Regime::VehicleTypeApproval => (
                "Art. 2(2)(c)",
                "type-approved with a motor vehicle under Regulation (EU) 2019/2144",
            ),
            Regime::Aviation => (
                "Art. 2(3)",
                "certified under Regulation (EU) 2018/1139 (civil aviation)",
            ),
            Regime::Marine => ("Art. 2(4)", "marine equipment under Directive 2014/90/EU"),
            Regime::Defence => (
                "Art. 2(7)",
                "developed exclusively for national security or defence",
            ),
        };
        return placement(
            CraClass::OutOfScope,
            entry,
            format!("Out of scope ({entry}): the profile declares the product is {why}."),
        );
    }
    match cat {
        C::MedicalDevice | C::InfusionPump => {
            return placement(
                CraClass::OutOfScope,
                "Art. 2(2)(a)",
                format!(
                    "Out of scope (Art. 2(2)(a)): a {cat} is presumed a medical device under the MDR; declare `product.regulated_under = [\"mdr\"]` to confirm it."
                ),
            );
        }
        C::VehicleEcu => {
            return placement(
                CraClass::OutOfScope,
                "Art. 2(2)(c)",
                "Out of scope (Art. 2(2)(c)): a vehicle ECU is presumed part of a vehicle type-approved under Regulation (EU) 2019/2144.".into(),
            );
        }
        _ => {}
    }

    // Annex IV: critical.
    match cat {
        C::SmartMeterGateway => {
            return placement(
                CraClass::Critical,
                "Annex IV, point 2",
                "Critical (Annex IV, point 2): smart meter gateways within smart metering systems and other devices for advanced security purposes.".into(),
            );
        }
        C::SecureElement => {
            return placement(
                CraClass::Critical,
                "Annex IV, point 3",
                "Critical (Annex IV, point 3): smartcards or similar devices, including secure elements.".into(),
            );
        }
        C::Firewall => {
            return placement(
                CraClass::ImportantIi,
                "Annex III, class II, point 2",
                "Important, class II (Annex III, class II, point 2): firewalls and intrusion detection or prevention systems.".into(),
            );
        }
        _ => {}
    }

    // Annex III, class I.
    let class_i = |point: &str, what: &str| {
        let entry = format!("Annex III, class I, point {point}");
        placement(
            CraClass::ImportantI,
            &entry,
            format!("Important, class I ({entry}): {what}."),
        )
    };
    match cat {
        C::AccessControlReader => {
            return class_i(
                "1",
                "identity management and access management hardware, including authentication and access control readers",
            );
        }
        C::HomeRouter | C::Modem | C::NetworkSwitch => {
            return class_i(
                "12",
                "routers, modems intended for the connection to the internet, and switches",
            );
        }
        C::SmartSpeaker | C::VoiceAssistant => {
            return class_i("16", "smart home general purpose virtual assistants");
        }
        C::SmartLock | C::SecurityCamera | C::VideoDoorbell | C::BabyMonitor | C::AlarmSystem => {
            return class_i(
                "17",
                &format!(
                    "smart home products with security functionalities (door locks, security cameras, baby monitoring systems, alarm systems); a {cat} is one"
                ),
            );
        }
        C::ConnectedToy => {
            if has_data(&[DataKind::Audio, DataKind::Video, DataKind::Location]) {
                return class_i(
                    "18",
                    "internet-connected toys with social interactive features (speaking or filming) or location tracking; the profile declares audio, video or location data",
                );
            }
            return placement(
                CraClass::Default,
                "Annex III, class I, point 18 (not met)",
                "Default: a connected toy is important class I only with social interactive features (speaking, filming) or location tracking, and the profile declares no audio, video or location data.".into(),
            );
        }
        C::FitnessWearable | C::HealthWearable | C::Smartwatch => {
            if has_data(&[DataKind::Health, DataKind::Biometric]) {
                return class_i(
                    "19",
                    "personal wearables with a health monitoring purpose outside the MDR/IVDR; the profile declares health or biometric data",
                );
            }
            if children {
                return class_i(
                    "19",
                    "personal wearables intended for use by and for children",
                );
            }
            return placement(
                CraClass::Default,
                "Annex III, class I, point 19 (not met)",
                format!(
                    "Default: a {cat} is important class I only with a health monitoring purpose or when meant for children, and the profile declares neither health or biometric data nor use by children."
                ),
            );
        }
        _ => {}
    }
    if p.use_.security_function == Some(true)
        && matches!(p.use_.environment, Some(Environment::Home) | None)
    {
        return class_i(
            "17",
            "smart home products with security functionalities; the profile declares that the product's purpose is a security function",
        );
    }
    if cat == C::SmokeDetector {
        return placement(
            CraClass::Default,
            "none (review)",
            "Default: smoke detectors are not listed in Annex III or IV; review whether the product is marketed as part of an alarm system (Annex III, class I, point 17).".into(),
        );
    }
    if cat == C::VehicleTelematics {
        return placement(
            CraClass::Default,
            "none",
            "Default: a telematics unit that is not type-approved with a vehicle (e.g. aftermarket) is in scope and not listed in Annex III or IV; declare `product.regulated_under = [\"vehicle-type-approval\"]` when it is.".into(),
        );
    }
    placement(
        CraClass::Default,
        "none",
        format!("Default: a {cat}'s core functionality is not listed in Annex III or IV."),
    )
}
