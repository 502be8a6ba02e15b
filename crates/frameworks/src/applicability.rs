//! Which frameworks apply to a product: markets, users, category and CRA scope.

use riskmark_model::{Category, Environment, Interface, Profile, UserKind};

use crate::catalog::Framework;

/// Whether a framework applies, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicability {
    /// It applies.
    pub applies: bool,
    /// Why.
    pub reason: String,
}

fn yes(reason: impl Into<String>) -> Applicability {
    Applicability {
        applies: true,
        reason: reason.into(),
    }
}

fn no(reason: impl Into<String>) -> Applicability {
    Applicability {
        applies: false,
        reason: reason.into(),
    }
}

/// Decides applicability. `cra_in_scope` is false when the product is outside the CRA.
pub fn applicability(fw: &Framework, p: &Profile, cra_in_scope: bool) -> Applicability {
    let markets: Vec<&str> = p
        .product
        .markets
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|m| m.as_str())
        .collect();
    let eu = p
        .product
        .markets
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|m| m.is_eu());
    let in_market = |codes: &[&str]| markets.iter().any(|m| codes.contains(m));
    let users = p.use_.users.as_deref().unwrap_or_default();
    let consumer = users.is_empty() || users.contains(&UserKind::Consumer);
    let cat = p.product.category;
    let industrial = matches!(
        p.use_.environment,
        Some(Environment::Industrial | Environment::CriticalInfrastructure)
    ) || matches!(
        cat,
        Category::IndustrialController | Category::IndustrialSensor | Category::BuildingAutomation
    );
    let radio = p
        .connectivity
        .interfaces
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|i| {
            matches!(
                i,
                Interface::Wifi
                    | Interface::Ble
                    | Interface::Zigbee
                    | Interface::Zwave
                    | Interface::Thread
                    | Interface::Lora
                    | Interface::Cellular
                    | Interface::Nfc
            )
        });
    let list = if markets.is_empty() {
        "none declared".to_owned()
    } else {
        markets.join(", ")
    };
    match fw.id.as_str() {
        "eu-cra" => match (eu, cra_in_scope) {
            (true, true) => yes("placed on the EU market and within the CRA's scope"),
            (true, false) => no("the product is outside the CRA's scope (Art. 2 exclusion)"),
            (false, _) => no(format!("not placed on the EU market (markets: {list})")),
        },
        "en-18031-1" => match (eu, radio) {
            (true, true) => yes(
                "radio equipment on the EU market (RED Art. 3(3)(d), mandatory since 1 Aug 2025)",
            ),
            (true, false) => {
                no("no radio interface declared: the RED delegated act does not apply")
            }
            (false, _) => no(format!("not placed on the EU market (markets: {list})")),
        },
        "uk-psti" => {
            let exempt = matches!(
                cat,
                Category::EvCharger
                    | Category::MedicalDevice
                    | Category::InfusionPump
                    | Category::SmartMeter
                    | Category::VehicleEcu
                    | Category::VehicleTelematics
            );
            match (in_market(&["UK", "GB"]), consumer, exempt) {
                (true, true, false) => {
                    yes("a consumer connectable product made available in the UK")
                }
                (true, _, true) => no(format!("a {cat} is excepted by PSTI Schedule 3")),
                (true, false, _) => no("not a consumer product"),
                (false, ..) => no(format!("not made available in the UK (markets: {list})")),
            }
        }
        "sg-cls" => match in_market(&["SG"]) {
            true => {
                yes("sold in Singapore (CLS(IoT); mandatory for Wi-Fi routers and smart home hubs)")
            }
            false => no(format!("not sold in Singapore (markets: {list})")),
        },
        "nist-ir-8425" => match (in_market(&["US"]), consumer) {
            (true, true) => yes("a consumer IoT product in the US (basis of the Cyber Trust Mark)"),
            (true, false) => no("not a consumer product"),
            (false, _) => no(format!("not sold in the US (markets: {list})")),
        },
        "nist-sp-800-213a" => match (in_market(&["US"]), users.contains(&UserKind::Government)) {
            (true, true) => yes("offered to US federal agencies (SP 800-213 procurement)"),
            (true, false) => no("not declared for government users"),
            (false, _) => no(format!("not sold in the US (markets: {list})")),
        },
        "nist-ir-8259a" | "nist-ir-8259b" => match in_market(&["US"]) {
            true => yes("the NIST IoT device cybersecurity baseline for products sold in the US"),
            false => no(format!("not sold in the US (markets: {list})")),
        },
        "iec-62443-4-2" => match industrial {
            true => yes("an industrial automation and control system component"),
            false => no("not an industrial automation and control component"),
        },
        "etsi-en-303-645" | "etsi-en-303-645-v2" => match consumer {
            true => yes(
                "a consumer IoT device: EN 303 645 is the baseline (referenced by the CRA work, PSTI, CLS and BSI labels)",
            ),
            false => no("not a consumer IoT device"),
        },
        _ => {
            if fw.markets.iter().any(|m| m == "*")
                || fw
                    .markets
                    .iter()
                    .any(|m| markets.contains(&m.as_str()) || (m == "EU" && eu))
            {
                yes("the catalog's markets include the product's")
            } else {
                no(format!(
                    "the catalog's markets ({}) do not include the product's ({list})",
                    fw.markets.join(", ")
                ))
            }
        }
    }
}
