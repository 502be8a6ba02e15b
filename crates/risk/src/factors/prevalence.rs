//! Prevalence: the installed base. Very common devices carry systemic (botnet) risk, in
//! the spirit of CRA Art. 8(2)(b).

use riskmark_model::Profile;
use serde_json::{Value, json};

use super::{Factor, FactorGroup, points};
use crate::Policy;

/// Pushes the prevalence factor; returns the tier steps it adds.
pub(crate) fn factors(p: &Profile, policy: &Policy, out: &mut Vec<Factor>) -> u8 {
    let (pts, raise, value, why) = match p.product.units_in_market {
        Some(units) => match policy.bucket(units) {
            Some(b) => (
                b.points,
                b.raise_tier,
                json!(units),
                format!(
                    "{units} units in the market (bucket from {} units){}",
                    b.min_units,
                    if b.raise_tier > 0 {
                        format!("; raises the tier {} step(s)", b.raise_tier)
                    } else {
                        String::new()
                    }
                ),
            ),
            None => (0, 0, json!(units), format!("{units} units in the market")),
        },
        None => (
            policy.prevalence.undeclared_points,
            0,
            Value::Null,
            "installed base not declared".to_owned(),
        ),
    };
    out.push(Factor {
        name: "installed_base".into(),
        group: FactorGroup::Prevalence,
        value,
        declared: p.product.units_in_market.is_some(),
        contribution: points(pts),
        reason: why,
    });
    raise
}
