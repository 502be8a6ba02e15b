//! `riskmark procure PROFILE... --requirements FILE`: a buyer's procurement gate (see the
//! `riskmark-procure` crate).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use riskmark_engine::Database;
use riskmark_procure::{Offer, Options};

use super::{Outcome, report_engine_error, report_load_error};
use crate::output;

#[derive(Debug, Args)]
pub(crate) struct ProcureArgs {
    /// Device profiles of the candidate products (`-` reads one from standard input).
    #[arg(value_name = "PROFILE", required = true)]
    profiles: Vec<PathBuf>,
    /// The buyer's requirements: a `riskmark/requirements/v1` TOML file (see
    /// examples/requirements/).
    #[arg(long, value_name = "FILE")]
    requirements: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProcureFormat::Table)]
    format: ProcureFormat,
    /// Date the assessment speaks for, YYYY-MM-DD (default: today, UTC); also the
    /// purchase date when the requirements file has none.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Vulnerability database directory (default: $RISKMARK_DB, else the per-user data
    /// directory, else the embedded curated set).
    #[arg(long, value_name = "DIR")]
    db: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProcureFormat {
    /// One column per candidate, then the facts.
    Table,
    /// `riskmark/procure/v1`.
    Json,
    /// A self-contained comparison page.
    Html,
}

pub(crate) fn run(args: &ProcureArgs) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(args.as_of.as_deref())?;
    let reqs = match riskmark_procure::load_path(&args.requirements) {
        Ok(r) => r,
        Err(e) => {
            report_load_error(&e);
            return Ok(Outcome::InputError);
        }
    };
    let offers: Vec<Offer> = args
        .profiles
        .iter()
        .map(|p| Offer::profile(super::profile_doc(p)))
        .collect();
    let opts = Options {
        database: Database::from_flag(args.db.as_deref()),
        as_of,
    };
    let report = match riskmark_procure::procure(&reqs, &offers, &opts) {
        Ok(r) => r,
        Err(riskmark_procure::Error::Profiles(errors)) => {
            for e in &errors {
                report_engine_error(e);
            }
            return Ok(Outcome::InputError);
        }
        Err(e) => {
            output::problem(&format!("error: {e}"));
            return Ok(Outcome::InputError);
        }
    };
    for p in &report.profiles {
        for w in &p.warnings {
            output::problem(&format!("warning: {w}"));
        }
    }
    let text = match args.format {
        ProcureFormat::Table => riskmark_procure::render::table(&report, output::width()),
        ProcureFormat::Json => riskmark_procure::render::json(&report),
        ProcureFormat::Html => riskmark_procure::render::html(&report),
    };
    output::out(&text)?;
    if report.any_needing_evidence() {
        output::problem(
            "note: mandatory requirements need evidence (not a failure; see the report)",
        );
    }
    Ok(if report.any_rejected() {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
