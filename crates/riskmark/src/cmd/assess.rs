//! `riskmark assess PROFILE`

use std::path::{Path, PathBuf};

use riskmark_assess::{FailOn, Options};

use super::{Outcome, report_load_error};
use crate::cli::{AssessFormat, FailOnArg};
use crate::output;

pub(crate) struct Args<'a> {
    pub(crate) profile: &'a Path,
    pub(crate) frameworks: &'a [String],
    pub(crate) catalogs: &'a [PathBuf],
    pub(crate) rules: &'a [PathBuf],
    pub(crate) sbom: Option<&'a Path>,
    pub(crate) db: Option<&'a Path>,
    pub(crate) vex: &'a [PathBuf],
    pub(crate) format: AssessFormat,
    pub(crate) fail_on: Option<FailOnArg>,
    pub(crate) policy: Option<&'a Path>,
    pub(crate) as_of: Option<&'a str>,
}

pub(crate) fn run(args: &Args<'_>) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(args.as_of)?;
    let Some(policy) = super::classify::load_policy(args.policy) else {
        return Ok(Outcome::InputError);
    };
    let rules = match riskmark_rego::RuleSet::load(args.rules) {
        Ok(r) => r,
        Err(e) => {
            output::problem(&format!("error: {e}"));
            return Ok(Outcome::InputError);
        }
    };
    let custom_codes = rules.codes();
    let mut extra = Vec::new();
    for file in args.catalogs {
        match riskmark_frameworks::from_path_with_checks(file, &custom_codes) {
            Ok(f) => extra.push(f),
            Err(e) => {
                report_load_error(&e);
                return Ok(Outcome::InputError);
            }
        }
    }
    let loaded = match riskmark_model::load_path(args.profile) {
        Ok(p) => p,
        Err(e) => {
            report_load_error(&e);
            return Ok(Outcome::InputError);
        }
    };
    let Ok(scan) = super::vulns::profile_scan(&loaded, args.profile, args.sbom, args.db, args.vex)?
    else {
        return Ok(Outcome::InputError);
    };
    let opts = Options {
        frameworks: args.frameworks.to_vec(),
        extra,
        policy: &policy,
        as_of,
        scan,
    };
    let custom = |ctx: &riskmark_checks::Ctx<'_>, risk: &riskmark_risk::Classification| {
        rules.evaluate(ctx.profile, ctx.as_of, &risk.tier)
    };
    let a = match riskmark_assess::assess_with(&loaded, &opts, custom) {
        Ok(a) => a,
        Err(e) => {
            output::problem(&format!("error: {e}"));
            return Ok(Outcome::InputError);
        }
    };
    let text = match args.format {
        AssessFormat::Text => riskmark_report::text(&a, &loaded.profile.product),
        AssessFormat::Json => riskmark_report::json(&a),
        AssessFormat::Markdown => riskmark_report::markdown(&a),
        AssessFormat::Html => riskmark_report::html(&a),
        AssessFormat::Sarif => riskmark_report::sarif(&a),
        AssessFormat::Oscal => riskmark_report::oscal_assessment_results(&a),
    };
    output::out(&text)?;
    let threshold = args.fail_on.map(|f| match f {
        FailOnArg::Fail => FailOn::Fail,
        FailOnArg::NeedsEvidence => FailOn::NeedsEvidence,
    });
    Ok(match threshold {
        Some(t) if a.reaches(t) => Outcome::Findings,
        _ => Outcome::Success,
    })
}
