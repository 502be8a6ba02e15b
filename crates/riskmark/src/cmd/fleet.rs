//! `riskmark fleet INVENTORY`: an estate ranked by risk, with the actions that remove the
//! most (see the `riskmark-fleet` crate).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use riskmark_engine::Database;
use riskmark_fleet::{Fleet, Options, Support, inventory};

use super::Outcome;
use crate::output;

#[derive(Debug, Args)]
pub(crate) struct FleetArgs {
    /// The inventory: a CSV (columns device_id, profile, firmware_version, sbom, location,
    /// owner, network_zone, criticality; paths relative to the CSV; only device_id and
    /// profile required; other columns kept as tags), a directory of profiles, or a
    /// CycloneDX BOM whose `device` components carry `riskmark:profile` properties.
    #[arg(value_name = "INVENTORY")]
    inventory: PathBuf,
    /// Vulnerability database directory (default: $RISKMARK_DB, else the per-user data
    /// directory, else the embedded curated set).
    #[arg(long, value_name = "DIR")]
    db: Option<PathBuf>,
    /// Date the assessment speaks for, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Risk policy file replacing the shipped default.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FleetFormat::Table)]
    format: FleetFormat,
    /// Support ending within this many days asks for replacement planning.
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    horizon: i64,
    /// Exit 1 when any device reaches this: a tier (critical, high, medium), a known
    /// exploited vulnerability (kev), or ended support (expired).
    #[arg(long, value_enum, value_name = "WHAT")]
    fail_on: Option<FleetFailOn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FleetFormat {
    /// Summary, top actions and the riskiest devices.
    Table,
    /// `riskmark/fleet/v1`.
    Json,
    /// One row per device.
    Csv,
    /// A self-contained report with charts.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FleetFailOn {
    /// A device at tier critical.
    Critical,
    /// ... high or above.
    High,
    /// ... medium or above.
    Medium,
    /// A device with a vulnerability in CISA's KEV catalog.
    Kev,
    /// A device whose support ended.
    Expired,
}

fn reaches(f: &Fleet, on: FleetFailOn) -> bool {
    let tiers: &[&str] = match on {
        FleetFailOn::Critical => &["critical"],
        FleetFailOn::High => &["critical", "high"],
        FleetFailOn::Medium => &["critical", "high", "medium"],
        FleetFailOn::Kev => return f.summary.kev_devices > 0,
        FleetFailOn::Expired => return f.devices.iter().any(|d| d.support == Support::Expired),
    };
    f.devices.iter().any(|d| tiers.contains(&d.tier))
}

pub(crate) fn run(args: &FleetArgs) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(args.as_of.as_deref())?;
    let inv = match inventory::read(&args.inventory) {
        Ok(i) => i,
        Err(inventory::InventoryError::Invalid(d)) => {
            output::problem(&format!(
                "error: {}:{}:{}: {}: {}",
                d.file,
                d.line,
                d.column,
                d.field.as_deref().unwrap_or("-"),
                d.message
            ));
            return Ok(Outcome::InputError);
        }
        Err(e) => {
            output::problem(&format!("error: {e}"));
            return Ok(Outcome::InputError);
        }
    };
    let opts = Options {
        database: Database::from_flag(args.db.as_deref()),
        as_of,
        policy: args.policy.clone(),
        horizon_days: args.horizon,
    };
    // A bar on a terminal; nothing when stderr is a file or a pipe.
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} assessing models [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let fleet = riskmark_fleet::assess(inv, &opts, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    // Every problem, located, on stderr; the rest of the estate is still reported.
    for p in &fleet.problems {
        output::problem(&format!(
            "error: {}:{}:{}: {}: {}",
            p.file,
            p.line,
            p.column,
            p.field.as_deref().unwrap_or("-"),
            p.message
        ));
    }
    match args.format {
        FleetFormat::Table => output::out(&riskmark_fleet::text::table(&fleet))?,
        FleetFormat::Json => output::out_json(&fleet)?,
        FleetFormat::Csv => output::out(&riskmark_fleet::text::csv(&fleet)?)?,
        FleetFormat::Html => output::out(&riskmark_fleet::html::page(&fleet))?,
    }
    if !fleet.problems.is_empty() {
        return Ok(Outcome::InputError);
    }
    Ok(match args.fail_on {
        Some(on) if reaches(&fleet, on) => Outcome::Findings,
        _ => Outcome::Success,
    })
}
