//! `riskmark classify PROFILE`: the risk part of the one evaluation `assess` and `label`
//! make, so the three commands give the same score for the same inputs.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use riskmark_engine::{Database, Inputs};

use super::{Outcome, report_engine_error, report_warnings};
use crate::cli::TextJson;
use crate::output;

pub(crate) struct Args<'a> {
    pub(crate) profile: &'a Path,
    pub(crate) format: TextJson,
    pub(crate) policy: Option<&'a Path>,
    pub(crate) as_of: Option<&'a str>,
    pub(crate) sbom: Option<&'a Path>,
    pub(crate) db: Option<&'a Path>,
    pub(crate) vex: &'a [PathBuf],
}

pub(crate) fn run(args: &Args<'_>) -> anyhow::Result<Outcome> {
    let inputs = Inputs {
        sbom: args.sbom.map(super::doc),
        vex: args.vex.iter().map(|p| super::doc(p)).collect(),
        policy: args.policy.map(Path::to_path_buf),
        database: Database::from_flag(args.db),
        ..Inputs::new(super::profile_doc(args.profile), parse_as_of(args.as_of)?)
    };
    let e = match riskmark_engine::evaluate(&inputs) {
        Ok(e) => e,
        Err(e) => return Ok(report_engine_error(&e)),
    };
    report_warnings(&e.warnings);
    let c = &e.assessment.risk;
    match args.format {
        TextJson::Json => output::out(&format!("{}\n", serde_json::to_string_pretty(c)?))?,
        TextJson::Text => output::out(&riskmark_report::classification_text_width(
            &e.loaded.profile.product,
            c,
            output::width(),
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
        None => Ok(riskmark_engine::today()),
    }
}
