//! The risk classification as a readable table (`classify`, and the top of `assess`).

use std::fmt::Write as _;

use riskmark_model::Product;
use riskmark_risk::Classification;

/// The classification of a product as text, at most 80 columns wide where it can be.
pub fn classification_text(pr: &Product, c: &Classification) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} ({}) by {}: {}",
        pr.name,
        pr.firmware_version.as_deref().unwrap_or(""),
        pr.model,
        pr.manufacturer,
        pr.category
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "  Risk tier    {}   (score {}/100, impact level {}/4)",
        c.tier.as_str().to_uppercase(),
        c.score,
        c.impact_level
    );
    for r in &c.tier_reasons {
        let _ = writeln!(s, "               - {r}");
    }
    let _ = writeln!(s, "  EU CRA class {}   ({})", c.cra_class, c.cra_entry);
    wrap(&mut s, "               ", &c.cra_reason);
    let _ = writeln!(s, "  Assurance");
    wrap(&mut s, "               ", &c.assurance.evidence);
    let _ = writeln!(s, "  Conformity");
    wrap(&mut s, "               ", &c.assurance.conformity_route);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "  {:>6}  {:<24} {:<15} VALUE",
        "POINTS", "FACTOR", "GROUP"
    );
    for f in &c.factors {
        let value = match &f.value {
            serde_json::Value::Null if f.name == "known_vulnerabilities" => {
                "(not assessed)".to_owned()
            }
            serde_json::Value::Null => "(not declared)".to_owned(),
            serde_json::Value::String(v) => v.clone(),
            v => v.to_string(),
        };
        let group = serde_json::to_value(f.group)
            .ok()
            .and_then(|g| g.as_str().map(str::to_owned))
            .unwrap_or_default();
        let pts = if f.contribution > 0 {
            format!("+{}", f.contribution)
        } else {
            f.contribution.to_string()
        };
        let _ = writeln!(
            s,
            "  {:>6}  {:<24} {:<15} {}",
            pts,
            f.name,
            group,
            truncate(&value, 40)
        );
        wrap(&mut s, "          ", &f.reason);
    }
    let _ = writeln!(
        s,
        "  {:>6}  total (policy {} {}, as of {})",
        c.score, c.policy.name, c.policy.version, c.as_of
    );
    s
}

pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}...", s.chars().take(n - 3).collect::<String>())
    }
}

/// Word-wraps `text` at 80 columns under an indent.
pub(crate) fn wrap(out: &mut String, indent: &str, text: &str) {
    let width = 80usize.saturating_sub(indent.len()).max(20);
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}{line}");
    }
}
