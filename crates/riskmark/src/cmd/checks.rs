//! `riskmark checks list | show CODE`

use std::fmt::Write as _;
use std::path::PathBuf;

use super::Outcome;
use crate::cli::TextJson;
use crate::output;

pub(crate) fn list(format: TextJson, rules: &[PathBuf]) -> anyhow::Result<Outcome> {
    let all = riskmark_checks::checks();
    let custom = match riskmark_rego::RuleSet::load(rules) {
        Ok(r) => r,
        Err(e) => {
            output::problem(&format!("error: {e}"));
            return Ok(Outcome::InputError);
        }
    };
    match format {
        TextJson::Json => {
            let mut v = serde_json::to_value(all)?;
            if let serde_json::Value::Array(items) = &mut v {
                for c in custom.checks() {
                    items.push(serde_json::to_value(c)?);
                }
            }
            output::out(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        }
        TextJson::Text => {
            let mut s = String::new();
            for c in all {
                let area = serde_json::to_value(c.area)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let _ = writeln!(s, "{:<34} {:<16} {}", c.code, area, c.title);
            }
            for c in custom.checks() {
                let area = serde_json::to_value(c.area)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "custom".into());
                let _ = writeln!(s, "{:<34} {:<16} {} ({})", c.code, area, c.title, c.source);
            }
            output::out(&s)?;
        }
    }
    Ok(Outcome::Success)
}

pub(crate) fn show(code: &str) -> anyhow::Result<Outcome> {
    match riskmark_checks::info(code) {
        Some(c) => {
            output::out(&format!("{}\n", c.doc()))?;
            Ok(Outcome::Success)
        }
        None => match riskmark_model::suggest(code, riskmark_checks::codes()) {
            Some(s) => anyhow::bail!("unknown check `{code}` (did you mean `{s}`?)"),
            None => anyhow::bail!("unknown check `{code}`; `riskmark checks list` shows the codes"),
        },
    }
}
