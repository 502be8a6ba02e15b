//! The factors of the risk score, one file per group.

pub(crate) mod cost_benefit;
pub(crate) mod exposure;
pub(crate) mod impact;
pub(crate) mod prevalence;
pub(crate) mod vulnerabilities;

use serde::Serialize;
use serde_json::Value;

/// Which part of the risk a factor speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactorGroup {
    /// Intended use and the harm a compromise can do.
    Impact,
    /// How exposed and how weak the device is.
    Exposure,
    /// Known vulnerabilities of its components.
    Vulnerabilities,
    /// How many are in use.
    Prevalence,
    /// Cost-benefit inputs (recorded, never a waiver).
    CostBenefit,
    /// Adjustments such as the cap at 100.
    Adjustment,
}

/// One factor of the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Stable name (e.g. `internet_reachable`).
    pub name: String,
    /// Its group.
    pub group: FactorGroup,
    /// The fact's value as declared (`null` when not declared).
    pub value: Value,
    /// Whether the profile declares the fact.
    pub declared: bool,
    /// Points added to the score (negative only for the cap).
    pub contribution: i32,
    /// Why, in words.
    pub reason: String,
}

pub(crate) fn points(p: u32) -> i32 {
    i32::try_from(p).unwrap_or(i32::MAX)
}

pub(crate) fn list<T: ToString>(items: &[T]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(crate) fn json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
