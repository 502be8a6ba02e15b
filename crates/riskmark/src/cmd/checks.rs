//! `riskmark checks list | show CODE`

use std::fmt::Write as _;

use super::Outcome;
use crate::cli::TextJson;
use crate::output;

pub(crate) fn list(format: TextJson) -> anyhow::Result<Outcome> {
    let all = riskmark_checks::checks();
    match format {
        TextJson::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(all)?))?,
        TextJson::Text => {
            let mut s = String::new();
            for c in all {
                let area = serde_json::to_value(c.area)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let _ = writeln!(s, "{:<34} {:<16} {}", c.code, area, c.title);
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
