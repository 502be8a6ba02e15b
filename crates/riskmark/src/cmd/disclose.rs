//! `riskmark disclose security-txt|csaf|mud PROFILE`: disclosure files made from a
//! device profile (see the `riskmark-disclose` crate).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;
use riskmark_disclose::{DiscloseError, Generated};
use riskmark_engine::{Database, Document};
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
    /// A CSAF 2.0 VEX document for the device's known vulnerabilities, and a
    /// provider-metadata.json stub.
    ///
    /// The SBOM is scanned as `riskmark vulns` does (offline database, VEX applied).
    /// Without --out the VEX document goes to stdout; with --out both files are written
    /// to that directory (the VEX document named after its tracking id).
    Csaf {
        /// Profile file (TOML or JSON).
        #[arg(value_name = "PROFILE")]
        profile: PathBuf,
        /// SBOM to scan (default: the profile's `disclosure.sbom` when it names a local file).
        #[arg(long, value_name = "FILE")]
        sbom: Option<PathBuf>,
        /// Vulnerability database directory (default: the per-user one, else the embedded set).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// VEX document applied to the SBOM's findings (repeatable).
        #[arg(long, value_name = "FILE")]
        vex: Vec<PathBuf>,
        /// Directory to write the VEX document and provider-metadata.json into.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Date the documents speak for, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// An RFC 8520 MUD file (JSON) allowing the declared services from the local network
    /// and, for a cloud-dependent product, HTTPS to the manufacturer's cloud.
    Mud {
        /// Profile file (TOML or JSON).
        #[arg(value_name = "PROFILE")]
        profile: PathBuf,
        /// The MUD URL the device emits (https; default: derived from the manufacturer's domain).
        #[arg(long, value_name = "URL")]
        mud_url: Option<String>,
        /// Cloud host names the device connects to (repeatable; default: the
        /// manufacturer's domain, an assumption to replace).
        #[arg(long = "cloud-host", value_name = "HOST")]
        cloud_hosts: Vec<String>,
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
        DiscloseCommand::Csaf {
            profile,
            sbom,
            db,
            vex,
            out,
            as_of,
        } => csaf(&CsafArgs {
            profile: &profile,
            sbom: sbom.as_deref(),
            db: db.as_deref(),
            vex: &vex,
            out: out.as_deref(),
            as_of: as_of.as_deref(),
        }),
        DiscloseCommand::Mud {
            profile,
            mud_url,
            cloud_hosts,
            as_of,
        } => mud(&profile, mud_url, cloud_hosts, as_of.as_deref()),
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

struct CsafArgs<'a> {
    profile: &'a Path,
    sbom: Option<&'a Path>,
    db: Option<&'a Path>,
    vex: &'a [PathBuf],
    out: Option<&'a Path>,
    as_of: Option<&'a str>,
}

fn csaf(args: &CsafArgs<'_>) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(args.as_of)?;
    let Some(loaded) = load(args.profile) else {
        return Ok(Outcome::InputError);
    };
    // The SBOM: --sbom, else the profile's `disclosure.sbom` when it is a local file.
    let declared = loaded
        .profile
        .disclosure
        .as_ref()
        .and_then(|d| d.sbom.as_deref())
        .filter(|s| !s.contains("://"));
    let sbom_path = match (args.sbom, declared) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(s)) => args
            .profile
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(s),
        (None, None) => {
            output::problem(&format!(
                "error: {}: field `disclosure.sbom`: a CSAF VEX document needs an SBOM: pass --sbom FILE or declare a local `disclosure.sbom`",
                loaded.file
            ));
            return Ok(Outcome::InputError);
        }
    };
    let vex: Vec<Document> = args.vex.iter().map(|p| super::doc(p)).collect();
    let scanned =
        match riskmark_engine::scan(&super::doc(&sbom_path), &vex, &Database::from_flag(args.db)) {
            Ok(s) => s,
            Err(e) => {
                let outcome = super::report_engine_error(&e);
                if args.sbom.is_none() {
                    output::problem(&format!(
                        "error: {}: field `disclosure.sbom`: the SBOM it names could not be used",
                        loaded.file
                    ));
                }
                return Ok(outcome);
            }
        };
    super::report_warnings(&scanned.warnings);
    let (sbom, scan) = (Some(scanned.sbom), scanned.scan);
    let opts = riskmark_disclose::csaf::Options {
        as_of,
        sbom: sbom.as_ref(),
    };
    let g = match riskmark_disclose::csaf::generate(&loaded.profile, &scan, opts) {
        Ok(g) => g,
        Err(e) => return Ok(input_error(&loaded, &e)),
    };
    warn(&loaded, &g);
    let files = g.content;
    let vex_text = files
        .vex
        .as_ref()
        .map(|v| serde_json::to_string_pretty(v).map(|s| s + "\n"))
        .transpose()?;
    match args.out {
        None => {
            if let Some(text) = vex_text {
                output::out(&text)?;
            }
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let pm = dir.join("provider-metadata.json");
            let text = serde_json::to_string_pretty(&files.provider_metadata)? + "\n";
            std::fs::write(&pm, text).with_context(|| format!("cannot write {}", pm.display()))?;
            let mut written = vec![pm];
            if let Some(text) = vex_text {
                let file = dir.join(&files.vex_file_name);
                std::fs::write(&file, text)
                    .with_context(|| format!("cannot write {}", file.display()))?;
                written.push(file);
            }
            for f in written {
                output::problem(&format!("wrote {}", f.display()));
            }
        }
    }
    Ok(Outcome::Success)
}

fn mud(
    profile: &Path,
    mud_url: Option<String>,
    cloud_hosts: Vec<String>,
    as_of: Option<&str>,
) -> anyhow::Result<Outcome> {
    let as_of = super::classify::parse_as_of(as_of)?;
    let Some(loaded) = load(profile) else {
        return Ok(Outcome::InputError);
    };
    let opts = riskmark_disclose::mud::Options {
        as_of,
        mud_url,
        cloud_hosts,
    };
    match riskmark_disclose::mud::generate(&loaded.profile, &opts) {
        Ok(g) => {
            warn(&loaded, &g);
            output::out(&(serde_json::to_string_pretty(&g.content)? + "\n"))?;
            Ok(Outcome::Success)
        }
        Err(e) => Ok(input_error(&loaded, &e)),
    }
}

fn load(profile: &Path) -> Option<LoadedProfile> {
    match super::load_profile(profile) {
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
