//! Impact: intended use, physical and safety effects, data, children, security function,
//! environment. The highest level (0-4) of any dimension sets the impact; further high
//! dimensions add breadth points.

use riskmark_model::{Profile, catalogue};
use serde_json::Value;

use super::{Factor, FactorGroup, json, list, points};
use crate::Policy;

struct Dimension {
    name: &'static str,
    value: Value,
    declared: bool,
    level: u8,
    why: String,
}

/// Pushes the impact factors; returns the impact level.
pub(crate) fn factors(p: &Profile, policy: &Policy, out: &mut Vec<Factor>) -> u8 {
    let ip = &policy.impact;
    let u = &p.use_;
    let cat = catalogue::category(p.product.category);
    let mut dims = Vec::new();

    dims.push(match u.safety_impact {
        Some(s) => Dimension {
            name: "safety_impact",
            value: json(&s),
            declared: true,
            level: ip.safety.level(s),
            why: format!("worst credible harm if compromised: {s}"),
        },
        None => Dimension {
            name: "safety_impact",
            value: Value::Null,
            declared: false,
            level: ip.safety.undeclared.unwrap_or(0),
            why: "safety impact not declared; the policy assumes a moderate level".into(),
        },
    });

    let (effects, declared) = match (&u.physical_effects, cat) {
        (Some(e), _) => (e.clone(), true),
        (None, Some(c)) => (c.typical_physical_effects.clone(), false),
        (None, None) => (Vec::new(), false),
    };
    let level = effects
        .iter()
        .map(|e| ip.physical_effects.level(*e))
        .max()
        .unwrap_or(if declared {
            0
        } else {
            ip.physical_effects.undeclared.unwrap_or(0)
        });
    dims.push(Dimension {
        name: "physical_effects",
        value: if declared {
            json(&effects)
        } else {
            Value::Null
        },
        declared,
        level,
        why: if declared {
            format!("can act on the physical world: {}", list(&effects))
        } else {
            format!(
                "not declared; assumed the category's typical effects: {}",
                list(&effects)
            )
        },
    });

    let (data, declared) = match (&u.data, cat) {
        (Some(d), _) => (d.clone(), true),
        (None, Some(c)) => (c.typical_data.clone(), false),
        (None, None) => (Vec::new(), false),
    };
    dims.push(Dimension {
        name: "data",
        value: if declared { json(&data) } else { Value::Null },
        declared,
        level: data.iter().map(|d| ip.data.level(*d)).max().unwrap_or(0),
        why: if declared {
            format!("processes: {}", list(&data))
        } else {
            format!(
                "not declared; assumed the category's typical data: {}",
                list(&data)
            )
        },
    });

    dims.push(Dimension {
        name: "children",
        value: u.children.map_or(Value::Null, Value::Bool),
        declared: u.children.is_some(),
        level: if u.children == Some(true) {
            ip.flags.children
        } else {
            0
        },
        why: match u.children {
            Some(true) => "intended for or used by children".into(),
            Some(false) => "not intended for children".into(),
            None => "not declared; assumed not intended for children".into(),
        },
    });

    let (sf, declared) = match (u.security_function, cat) {
        (Some(b), _) => (b, true),
        (None, Some(c)) => (c.security_function, false),
        (None, None) => (false, false),
    };
    dims.push(Dimension {
        name: "security_function",
        value: if declared {
            Value::Bool(sf)
        } else {
            Value::Null
        },
        declared,
        level: if sf { ip.flags.security_function } else { 0 },
        why: match (sf, declared) {
            (true, true) => {
                "the product's purpose is a security function: others rely on it".into()
            }
            (false, true) => "the product's purpose is not a security function".into(),
            (b, false) => format!(
                "not declared; the category is typically {}a security function",
                if b { "" } else { "not " }
            ),
        },
    });

    let (env, declared) = match (u.environment, cat) {
        (Some(e), _) => (Some(e), true),
        (None, Some(c)) => (Some(c.typical_environment), false),
        (None, None) => (None, false),
    };
    dims.push(Dimension {
        name: "environment",
        value: if declared { json(&env) } else { Value::Null },
        declared,
        level: env.map_or(ip.environment.undeclared.unwrap_or(0), |e| {
            ip.environment.level(e)
        }),
        why: match (env, declared) {
            (Some(e), true) => format!("used in a {e} environment"),
            (Some(e), false) => {
                format!("not declared; assumed the category's typical environment: {e}")
            }
            (None, _) => "environment not declared".into(),
        },
    });

    let top = dims.iter().map(|d| d.level).max().unwrap_or(0);
    let mut primary_given = false;
    let mut breadth_left = ip.breadth_max_points;
    for d in dims {
        let (contribution, role) = if !primary_given && d.level == top && top > 0 {
            primary_given = true;
            (
                points(ip.points_per_level * u32::from(d.level)),
                format!(
                    "the highest impact dimension sets the impact level {top}: {} points per level",
                    ip.points_per_level
                ),
            )
        } else if d.level >= ip.breadth_min_level && breadth_left > 0 {
            let p = ip.breadth_points.min(breadth_left);
            breadth_left -= p;
            (
                points(p),
                "a further high-impact dimension widens the harm".to_owned(),
            )
        } else {
            (0, "below the highest dimension".to_owned())
        };
        out.push(Factor {
            name: d.name.into(),
            group: FactorGroup::Impact,
            value: d.value,
            declared: d.declared,
            contribution,
            reason: format!("{} (level {}); {role}", d.why, d.level),
        });
    }
    top
}
