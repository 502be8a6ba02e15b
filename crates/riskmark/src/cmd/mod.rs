//! One module per subcommand.

mod assess;
mod categories;
mod checks;
mod classify;
mod db;
pub(crate) mod disclose;
pub(crate) mod firmware;
pub(crate) mod fleet;
mod frameworks;
pub(crate) mod label;
mod policy;
pub(crate) mod probe;
pub(crate) mod procure;
pub(crate) mod serve;
mod sync;
mod validate;
mod vulns;

use std::process::ExitCode;

use clap::CommandFactory;
use riskmark_model::LoadError;

use crate::cli::{ChecksCommand, Cli, Command, DbCommand, FrameworksCommand, PolicyCommand};
use crate::output;

/// How a command ended, when it ran.
pub(crate) enum Outcome {
    /// All good: exit 0.
    Success,
    /// Findings reached the --fail-on threshold: exit 1.
    Findings,
    /// An input could not be used; its problems were reported: exit 2.
    InputError,
}

impl Outcome {
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Success => ExitCode::SUCCESS,
            Self::Findings => ExitCode::from(1),
            Self::InputError => ExitCode::from(2),
        }
    }
}

pub(crate) fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Validate { profiles, format } => validate::run(&profiles, format),
        Command::Classify {
            profile,
            format,
            policy,
            as_of,
            sbom,
            db,
            vex,
        } => classify::run(&classify::Args {
            profile: &profile,
            format,
            policy: policy.as_deref(),
            as_of: as_of.as_deref(),
            sbom: sbom.as_deref(),
            db: db.as_deref(),
            vex: &vex,
        }),
        Command::Assess {
            profile,
            frameworks,
            catalogs,
            rules,
            sbom,
            db,
            vex,
            firmware,
            evidence,
            evidence_pub,
            format,
            fail_on,
            policy,
            as_of,
        } => assess::run(&assess::Args {
            profile: &profile,
            frameworks: &frameworks,
            catalogs: &catalogs,
            rules: &rules,
            sbom: sbom.as_deref(),
            db: db.as_deref(),
            vex: &vex,
            firmware: firmware.as_deref(),
            evidence: &evidence,
            evidence_pub: evidence_pub.as_deref(),
            format,
            fail_on,
            policy: policy.as_deref(),
            as_of: as_of.as_deref(),
        }),
        Command::Frameworks {
            command: FrameworksCommand::List { format },
        } => frameworks::list(format),
        Command::Frameworks {
            command: FrameworksCommand::Show { id, format },
        } => frameworks::show(&id, format),
        Command::Frameworks {
            command: FrameworksCommand::Crosswalk { from, to, format },
        } => frameworks::crosswalk(&from, &to, format),
        Command::Checks {
            command: ChecksCommand::List { format, rules },
        } => checks::list(format, &rules),
        Command::Checks {
            command: ChecksCommand::Show { code },
        } => checks::show(&code),
        Command::Schema => {
            output::out(&riskmark_model::schema::profile_schema_pretty())?;
            Ok(Outcome::Success)
        }
        Command::Policy {
            command: PolicyCommand::Show,
        } => {
            output::out(riskmark_risk::DEFAULT_POLICY)?;
            Ok(Outcome::Success)
        }
        Command::Policy {
            command: PolicyCommand::Check { file },
        } => policy::check(&file),
        Command::Categories { format } => categories::run(format),
        Command::Db {
            command: DbCommand::Import { paths, db },
        } => db::import(&paths, db.as_deref()),
        Command::Db {
            command: DbCommand::Stats { db, format, tables },
        } => db::stats(db.as_deref(), format, tables),
        Command::Db {
            command:
                DbCommand::Sync {
                    sources,
                    db,
                    ecosystems,
                    mirror,
                    retries,
                    full,
                },
        } => sync::run(&sync::Args {
            sources: &sources,
            db: db.as_deref(),
            ecosystems: &ecosystems,
            mirror: mirror.as_deref(),
            retries,
            full,
        }),
        Command::Vulns {
            sbom,
            db,
            vex,
            format,
            fail_on,
            show_suppressed,
        } => vulns::run(&vulns::Args {
            sbom: &sbom,
            db: db.as_deref(),
            vex: &vex,
            format,
            fail_on,
            show_suppressed,
        }),
        Command::Disclose { command } => disclose::run(command),
        Command::Label(args) => label::label(&args),
        Command::Serve(args) => serve::serve(&args),
        Command::Fleet(args) => fleet::run(&args),
        Command::Firmware(args) => firmware::run(&args),
        Command::Probe(args) => probe::run(&args),
        Command::Procure(args) => procure::run(&args),
        Command::Registry { command } => serve::registry(command),
        Command::Attest(args) => serve::attest(&args),
        Command::Keygen(args) => label::keygen(&args),
        Command::Verify(args) => label::verify(&args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "riskmark", &mut buf);
            output::out(&String::from_utf8_lossy(&buf))?;
            Ok(Outcome::Success)
        }
        Command::Man { out: None } => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
            output::out(&String::from_utf8_lossy(&buf))?;
            Ok(Outcome::Success)
        }
        Command::Man { out: Some(dir) } => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", dir.display()))?;
            clap_mangen::generate_to(Cli::command(), &dir)
                .map_err(|e| anyhow::anyhow!("{}: cannot write the pages: {e}", dir.display()))?;
            let n = std::fs::read_dir(&dir).map(Iterator::count).unwrap_or(0);
            output::problem(&format!("wrote {n} man pages to {}", dir.display()));
            Ok(Outcome::Success)
        }
    }
}

/// An SBOM or VEX document named on the command line: `-` is standard input (read once,
/// reported as `<stdin>`), anything else a file.
pub(crate) fn doc(path: &std::path::Path) -> riskmark_engine::Document {
    doc_at_most(path, riskmark_engine::MAX_SBOM_BYTES)
}

/// A profile named on the command line (`-`: standard input).
pub(crate) fn profile_doc(path: &std::path::Path) -> riskmark_engine::Document {
    doc_at_most(path, riskmark_model::MAX_PROFILE_BYTES)
}

/// Standard input is read up to one byte past `max`, or its first 64 KiB when they hold
/// binary data, so that the engine refuses it (naming `<stdin>`) without reading an endless
/// stream.
fn doc_at_most(path: &std::path::Path, max: u64) -> riskmark_engine::Document {
    use std::io::Read as _;
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        let mut stdin = std::io::stdin().lock();
        let _ = (&mut stdin)
            .take((64 << 10).min(max + 1))
            .read_to_end(&mut bytes);
        // Binary data (`riskmark_model::binary_at`) is no input riskmark reads from a
        // pipe: the engine refuses it without the rest being read.
        if riskmark_model::binary_at(&bytes).is_none() {
            let _ = stdin
                .take(max + 1 - bytes.len() as u64)
                .read_to_end(&mut bytes);
        }
        riskmark_engine::Document::memory("<stdin>", bytes)
    } else {
        riskmark_engine::Document::path(path)
    }
}

/// A small text input named on the command line (a key, a `label.json`, a credential
/// list) read whole: at most [`riskmark_model::MAX_PROFILE_BYTES`], so that a wrong path
/// (a device, an endless pipe) is refused instead of filling memory. The error is the
/// reason, without the path.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = riskmark_model::read_capped(
        path,
        riskmark_model::MAX_PROFILE_BYTES,
        "a key, label or credential file",
    )
    .map_err(|e| e.reason())?;
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))
}

/// Loads a profile named on the command line (`-`: standard input).
pub(crate) fn load_profile(
    path: &std::path::Path,
) -> Result<riskmark_model::LoadedProfile, LoadError> {
    match profile_doc(path) {
        riskmark_engine::Document::Path(p) => riskmark_model::load_path(&p),
        riskmark_engine::Document::Memory { name, bytes } => {
            riskmark_model::load_bytes(&name, &bytes)
        }
    }
}

/// Reports every located problem of an input to stderr.
pub(crate) fn report_load_error(e: &LoadError) {
    for d in e.diagnostics() {
        output::problem(&format!("error: {d}"));
    }
}

/// Reports why the engine could not evaluate (every located problem of an input that has
/// several); the command ends with exit 2.
pub(crate) fn report_engine_error(e: &riskmark_engine::Error) -> Outcome {
    match e.diagnostics() {
        Some(diags) => {
            for d in diags {
                output::problem(&format!("error: {d}"));
            }
        }
        None => output::problem(&format!("error: {e}")),
    }
    Outcome::InputError
}

/// Reports the problems that did not stop an evaluation.
pub(crate) fn report_warnings(warnings: &[riskmark_engine::Warning]) {
    for w in warnings {
        output::problem(&format!("warning: {w}"));
    }
}
