//! `riskmark categories`

use riskmark_model::catalogue;

use super::Outcome;
use crate::cli::TextJson;
use crate::output;

pub(crate) fn run(format: TextJson) -> anyhow::Result<Outcome> {
    let all = catalogue::categories();
    match format {
        TextJson::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(all)?))?,
        TextJson::Text => {
            let mut s = String::new();
            for c in all {
                s.push_str(&format!("{:<24} {}\n", c.id.as_str(), c.title));
                s.push_str(&format!("{:<24} {}\n", "", c.description));
            }
            output::out(&s)?;
        }
    }
    Ok(Outcome::Success)
}
