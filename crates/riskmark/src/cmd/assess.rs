//! `riskmark assess PROFILE`

use std::path::{Path, PathBuf};

use riskmark_assess::FailOn;
use riskmark_engine::{Database, Inputs};

use super::{Outcome, report_engine_error, report_warnings};
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
    pub(crate) firmware: Option<&'a Path>,
    pub(crate) evidence: &'a [PathBuf],
    pub(crate) evidence_pub: Option<&'a Path>,
    pub(crate) format: AssessFormat,
    pub(crate) fail_on: Option<FailOnArg>,
    pub(crate) policy: Option<&'a Path>,
    pub(crate) as_of: Option<&'a str>,
}

pub(crate) fn run(args: &Args<'_>) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(args.as_of)?;
    // A firmware image: its SBOM is the one scanned (unless --sbom names another), its
    // findings verified verdicts.
    let mut verified = Vec::new();
    let mut image_sbom = None;
    if let Some(image) = args.firmware {
        let Some((sbom, checks)) = super::firmware::evidence(image, as_of)? else {
            return Ok(Outcome::InputError);
        };
        verified = checks;
        image_sbom = Some(sbom);
    }
    match super::probe::evidence(args.evidence, args.evidence_pub, as_of) {
        Some(checks) => verified.extend(checks),
        None => return Ok(Outcome::InputError),
    }
    let inputs = Inputs {
        sbom: args.sbom.map(super::doc).or(image_sbom),
        verified,
        vex: args.vex.iter().map(|p| super::doc(p)).collect(),
        rules: args.rules.to_vec(),
        catalogs: args.catalogs.to_vec(),
        policy: args.policy.map(Path::to_path_buf),
        database: Database::from_flag(args.db),
        frameworks: args.frameworks.to_vec(),
        ..Inputs::new(super::profile_doc(args.profile), as_of)
    };
    let e = match riskmark_engine::evaluate(&inputs) {
        Ok(e) => e,
        Err(e) => return Ok(report_engine_error(&e)),
    };
    report_warnings(&e.warnings);
    let a = &e.assessment;
    let text = match args.format {
        AssessFormat::Text => {
            riskmark_report::text_width(a, &e.loaded.profile.product, output::width())
        }
        AssessFormat::Json => riskmark_report::json(a),
        AssessFormat::Markdown => riskmark_report::markdown(a),
        AssessFormat::Html => riskmark_report::html(a),
        AssessFormat::Sarif => riskmark_report::sarif(a),
        AssessFormat::Oscal => riskmark_report::oscal_assessment_results(a),
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
