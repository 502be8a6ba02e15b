//! The risk classification as a readable table (`classify`, and the top of `assess`).
//! Everything fits the given width (80 columns unless the terminal is wider or
//! narrower): long values wrap under their column; nothing is cut.

use std::fmt::Write as _;

use riskmark_model::Product;
use riskmark_risk::Classification;

/// The narrowest width the layout adapts to.
pub const MIN_WIDTH: usize = 60;

/// The classification of a product as text, 80 columns wide.
pub fn classification_text(pr: &Product, c: &Classification) -> String {
    classification_text_width(pr, c, 80)
}

/// The classification of a product as text, at most `width` columns wide (at least
/// [`MIN_WIDTH`]).
pub fn classification_text_width(pr: &Product, c: &Classification, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut s = String::new();
    let head = format!(
        "{} {} ({}) by {}: {}",
        pr.name,
        pr.firmware_version.as_deref().unwrap_or(""),
        pr.model,
        pr.manufacturer,
        pr.category
    );
    hang(&mut s, "", 2, &head, width);
    let _ = writeln!(s);
    hang(
        &mut s,
        "  Risk tier    ",
        15,
        &format!(
            "{}   (score {}/100, impact level {}/4)",
            c.tier.as_str().to_uppercase(),
            c.score,
            c.impact_level
        ),
        width,
    );
    for r in &c.tier_reasons {
        hang(&mut s, "               - ", 17, r, width);
    }
    hang(
        &mut s,
        "  EU CRA class ",
        15,
        &format!("{}   ({})", c.cra_class, c.cra_entry),
        width,
    );
    hang(&mut s, "               ", 15, &c.cra_reason, width);
    let _ = writeln!(s, "  Assurance");
    hang(&mut s, "               ", 15, &c.assurance.evidence, width);
    let _ = writeln!(s, "  Conformity");
    hang(
        &mut s,
        "               ",
        15,
        &c.assurance.conformity_route,
        width,
    );
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
            v => words(v),
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
        let first = format!("  {:>6}  {:<24} {:<15} ", pts, f.name, group);
        let at = first.chars().count();
        hang(&mut s, &first, at, &value, width);
        hang(&mut s, "          ", 10, &f.reason, width);
    }
    hang(
        &mut s,
        &format!("  {:>6}  ", c.score),
        10,
        &format!(
            "total (policy {} {}, as of {})",
            c.policy.name, c.policy.version, c.as_of
        ),
        width,
    );
    s
}

/// A fact's value in words: `["internet","lan"]` -> `internet, lan`, `true` -> `yes`,
/// `{"mechanism":"automatic","signed":true}` -> `mechanism automatic, signed yes`.
pub fn words(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "(not declared)".to_owned(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => items.iter().map(words).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{} {}", k.replace('_', " "), words(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Writes `first` followed by `text` word-wrapped to `width` columns; continuation
/// lines are indented by `indent` columns. A word longer than a line is broken, never
/// cut.
pub fn hang(out: &mut String, first: &str, indent: usize, text: &str, width: usize) {
    let pad = " ".repeat(indent);
    let mut line = first.to_owned();
    let mut start = line.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let len = line.chars().count();
            let need = word.len() + usize::from(!empty);
            if len + need <= width {
                if !empty {
                    line.push(' ');
                }
                line.extend(word.iter());
                empty = false;
                break;
            }
            if !empty {
                let _ = writeln!(out, "{}", line.trim_end());
                line.clone_from(&pad);
                start = indent;
                empty = true;
                continue;
            }
            // The word alone is too long for a line: break it.
            let room = width.saturating_sub(start).max(1);
            let rest = word.split_off(room.min(word.len()));
            line.extend(word.iter());
            let _ = writeln!(out, "{}", line.trim_end());
            line.clone_from(&pad);
            start = indent;
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !empty || !first.trim().is_empty() {
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character_within_the_width() {
        let text = "a https://example.invalid/a/very/long/path/that/does/not/fit/anywhere/at/all/in/one/line/of/the/terminal end";
        let mut out = String::new();
        hang(&mut out, "  key  ", 7, text, 40);
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
        let joined: String = out.split_whitespace().collect();
        let want: String = format!("key{text}").split_whitespace().collect();
        assert_eq!(joined, want);
    }

    #[test]
    fn values_read_as_words() {
        use serde_json::json;
        assert_eq!(words(&json!(["personal", "usage"])), "personal, usage");
        assert_eq!(
            words(&json!({"mechanism": "automatic", "signed": true})),
            "mechanism automatic, signed yes"
        );
        assert_eq!(words(&json!(null)), "(not declared)");
    }
}
