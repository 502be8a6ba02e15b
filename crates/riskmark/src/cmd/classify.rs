//! `riskmark classify PROFILE`

use std::path::Path;

use anyhow::Context as _;
use riskmark_risk::{Context, Policy};

use super::{Outcome, report_load_error};
use crate::cli::TextJson;
use crate::output;

pub(crate) fn run(
    profile: &Path,
    format: TextJson,
    policy: Option<&Path>,
    as_of: Option<&str>,
) -> anyhow::Result<Outcome> {
    let as_of = parse_as_of(as_of)?;
    let Some(policy) = load_policy(policy) else {
        return Ok(Outcome::InputError);
    };
    let loaded = match riskmark_model::load_path(profile) {
        Ok(p) => p,
        Err(e) => {
            report_load_error(&e);
            return Ok(Outcome::InputError);
        }
    };
    let c = riskmark_risk::classify(&loaded.profile, &policy, &Context::on(as_of));
    match format {
        TextJson::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(&c)?))?,
        TextJson::Text => output::out(&riskmark_report::classification_text(
            &loaded.profile.product,
            &c,
        ))?,
    }
    Ok(Outcome::Success)
}

/// `--as-of`, or today's date in UTC.
pub(crate) fn parse_as_of(s: Option<&str>) -> anyhow::Result<jiff::civil::Date> {
    match s {
        Some(s) => riskmark_model::IsoDate::parse(s)
            .map(|d| d.0)
            .map_err(anyhow::Error::msg)
            .context("--as-of"),
        None => Ok(jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date()),
    }
}

/// The policy in `file`, or the shipped default; `None` (the problem reported) when the
/// file does not load.
pub(crate) fn load_policy(file: Option<&Path>) -> Option<Policy> {
    match file {
        Some(file) => match Policy::from_path(file) {
            Ok(p) => Some(p),
            Err(e) => {
                report_load_error(&e);
                None
            }
        },
        None => Some(Policy::default_policy()),
    }
}
