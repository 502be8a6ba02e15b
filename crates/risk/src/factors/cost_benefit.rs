//! Cost-benefit: recorded as an input to justifications, never a silent waiver.

use riskmark_model::Profile;
use serde_json::{Value, json};

use super::{Factor, FactorGroup};

/// Pushes the cost-benefit factor (it never changes the score).
pub(crate) fn factors(p: &Profile, out: &mut Vec<Factor>) {
    let price = p.product.price_usd;
    out.push(Factor {
        name: "cost_benefit".into(),
        group: FactorGroup::CostBenefit,
        value: price.map_or(Value::Null, |v| json!({ "price_usd": v })),
        declared: price.is_some(),
        contribution: 0,
        reason: match price {
            Some(v) => format!(
                "price {v} USD recorded as an input to the justification of any recommendation not applied (EN 303 645 4-1/5.0-1); it never waives a requirement or lowers the score"
            ),
            None => "no price declared; cost-benefit never waives a requirement or lowers the score".into(),
        },
    });
}
