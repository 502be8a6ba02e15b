//! `riskmark disclose security-txt PROFILE`: disclosure files made from a
//! device profile (see the `riskmark-disclose` crate).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;
use riskmark_disclose::{DiscloseError, Generated};
use riskmark_model::{Diagnostic, LoadedProfile};

use super::{Outcome, report_load_error};
use crate::output;

#[derive(Debug, Subcommand)]
pub(crate) enum DiscloseCommand {
    /// An RFC 9116 security.txt on stdout (Contact, Expires, Policy, Preferred-Languages,
    /// Canonical, CSAF), from the profile's [disclosure] section.
    SecurityTxt {
        /// Profile file (TOML or JSON).
        #[arg(value_name = "PROFILE")]
        profile: PathBuf,
        /// Expires date, YYYY-MM-DD (default: a year after the as-of date; at most that).
        #[arg(long, value_name = "DATE")]
        expires: Option<String>,
        /// Preferred languages, RFC 5646 tags, comma-separated (default: en).
        #[arg(long = "lang", value_name = "TAGS", value_delimiter = ',')]
        langs: Vec<String>,
        /// Date the file is made, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
}

pub(crate) fn run(command: DiscloseCommand) -> anyhow::Result<Outcome> {
    match command {
        DiscloseCommand::SecurityTxt {
            profile,
            expires,
            langs,
            as_of,
        } => security_txt(&profile, expires.as_deref(), langs, as_of.as_deref()),
    }
}

fn security_txt(
    profile: &Path,
    expires: Option<&str>,
    languages: Vec<String>,
    as_of: Option<&str>,
) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(as_of)?;
    let expires = match expires {
        Some(s) => Some(
            riskmark_model::IsoDate::parse(s)
                .map(|d| d.0)
                .map_err(anyhow::Error::msg)
                .context("--expires")?,
        ),
        None => None,
    };
    let Some(loaded) = load(profile) else {
        return Ok(Outcome::InputError);
    };
    let opts = riskmark_disclose::security_txt::Options {
        as_of,
        expires,
        languages,
    };
    match riskmark_disclose::security_txt::generate(&loaded.profile, &opts) {
        Ok(g) => {
            warn(&loaded, &g);
            output::out(&g.content)?;
            Ok(Outcome::Success)
        }
        Err(e) => Ok(input_error(&loaded, &e)),
    }
}

fn load(profile: &Path) -> Option<LoadedProfile> {
    match riskmark_model::load_path(profile) {
        Ok(p) => Some(p),
        Err(e) => {
            report_load_error(&e);
            None
        }
    }
}

fn warn<T>(loaded: &LoadedProfile, g: &Generated<T>) {
    for w in &g.warnings {
        output::problem(&format!("warning: {}: {w}", loaded.file));
    }
}

/// Reports a disclosure input error at the field's line (a command-line option has none).
fn input_error(loaded: &LoadedProfile, e: &DiscloseError) -> Outcome {
    let (line, column) = if e.field.starts_with("--") {
        (0, 0)
    } else {
        match loaded.locations.get(&e.field) {
            Some(p) => (p.line, p.column),
            None => (0, 0),
        }
    };
    let d = Diagnostic {
        file: if line == 0 && e.field.starts_with("--") {
            "command line".to_owned()
        } else {
            loaded.file.clone()
        },
        line,
        column,
        field: Some(e.field.clone()),
        message: e.message.clone(),
        source_line: None,
    };
    output::problem(&format!("error: {d}"));
    Outcome::InputError
}
