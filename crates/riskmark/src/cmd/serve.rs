//! `riskmark serve` and `riskmark registry ...`: the registry service and its
//! administration (see the `riskmark-registry` and `riskmark-server` crates).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use riskmark_engine::Database;
use riskmark_registry::{Config, Location, Registry, Role};

use super::Outcome;
use crate::output;

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Registry database: a SQLite file path or `sqlite:PATH` (default: registry.sqlite in
    /// the per-user data directory), or PostgreSQL (`postgres://USER:PASSWORD@HOST/DB`),
    /// where several servers may share it.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Vulnerability database directory submissions are scanned against (default:
    /// $RISKMARK_DB, else the per-user data directory, else the embedded curated set).
    #[arg(long, value_name = "DIR")]
    db: Option<PathBuf>,
    /// Public base URL of the registry, used in labels' QR codes and links (default:
    /// http://ADDR).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Seconds between looks at the vulnerability database: when it changed, devices
    /// with new or changed advisories are re-assessed (0: never; `riskmark registry
    /// reevaluate` does it by hand).
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    reevaluate_every: u64,
    /// The registry's Ed25519 private key (from `riskmark keygen`): every label.json it
    /// serves is signed with it, and `riskmark verify --pub` checks it.
    #[arg(long, value_name = "FILE")]
    sign_key: Option<PathBuf>,
    /// Requests a second allowed from one client address (twice that in a burst; 0: no
    /// limit); more get 429 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    rate_limit_ip: u32,
    /// Writes a minute allowed with one API token (bursts of 60; 0: no limit).
    #[arg(long, value_name = "N", default_value_t = 120)]
    rate_limit_writes: u32,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RegistryCommand {
    /// Organizations: manufacturers submit devices, labs attest.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// API tokens of an organization.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Re-assess every registered device whose packages have new or changed advisories
    /// in the vulnerability database (after `riskmark db import` or `db sync`).
    Reevaluate {
        /// Registry database (as for `serve`).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Vulnerability database directory (as for `serve`).
        #[arg(long, value_name = "DIR")]
        db: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = crate::cli::TextJson::Text)]
        format: crate::cli::TextJson,
    },
    /// The re-evaluation queue: each job, which server did it, and what came of it.
    Jobs {
        /// Registry database (as for `serve`).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// How many of the newest jobs.
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = crate::cli::TextJson::Text)]
        format: crate::cli::TextJson,
    },
    /// Signing keys of an organization (a lab's attestations are verified with them).
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Register an Ed25519 public key (PREFIX.pub from `riskmark keygen`).
    Add {
        /// The organization.
        #[arg(long, value_name = "NAME")]
        org: String,
        /// The public key file.
        #[arg(long = "pub", value_name = "FILE")]
        public: PathBuf,
        /// Registry database (as for `serve`).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct AttestArgs {
    /// The registry device id (the label's `device_id`).
    #[arg(value_name = "DEVICE_ID")]
    device_id: String,
    /// The lab (its registry organization name).
    #[arg(long, value_name = "NAME")]
    lab: String,
    /// A verified check: CODE=pass|fail:EVIDENCE (repeatable), e.g.
    /// `default-password-universal=pass:report TR-113 4.2`.
    #[arg(long = "check", value_name = "CODE=RESULT:EVIDENCE", required = true)]
    checks: Vec<String>,
    /// The lab's Ed25519 private key (PREFIX.key from `riskmark keygen`).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The date of the verification, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OrgCommand {
    /// Create an organization.
    Create {
        /// Its unique name.
        #[arg(value_name = "NAME")]
        name: String,
        /// What it does in the registry.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Registry database (as for `serve`).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCommand {
    /// Create an API token; it is printed once and only its hash is stored.
    Create {
        /// The organization.
        #[arg(long, value_name = "NAME")]
        org: String,
        /// Registry database (as for `serve`).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Revoke a token by its id (the 12 hex digits after `rmk_`).
    Revoke {
        /// The token id.
        #[arg(value_name = "ID")]
        id: String,
        /// Registry database (as for `serve`).
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

/// An organization's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RoleArg {
    /// Registers its own devices.
    Manufacturer,
    /// Attests what it verified.
    Lab,
}

/// The registry a `--database` names; `Err` (reported) for what is not one.
fn location(database: Option<&str>) -> Result<Location, ()> {
    let Some(url) = database else {
        return Ok(Location::Sqlite(
            riskmark_engine::default_db_dir().join("registry.sqlite"),
        ));
    };
    Location::parse(url).map_err(|e| output::problem(&format!("error: --database: {e}")))
}

fn open(database: Option<&str>, vulndb: Database, public_url: String) -> Result<Registry, Outcome> {
    let database = location(database).map_err(|()| Outcome::InputError)?;
    Registry::open(Config {
        database,
        vulndb,
        public_url,
        sign_key: None,
    })
    .map_err(|e| {
        output::problem(&format!("error: {e}"));
        Outcome::InputError
    })
}

/// Who did it, for the audit log.
fn actor() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

fn report(e: &riskmark_registry::Error) -> Outcome {
    output::problem(&format!("error: {e}"));
    Outcome::InputError
}

/// `riskmark attest`: a signed statement (DSSE envelope) on stdout.
pub(crate) fn attest(args: &AttestArgs) -> anyhow::Result<Outcome> {
    let key = match super::read_text(&args.key)
        .map_err(|e| e.to_string())
        .and_then(|t| riskmark_label::sign::read_private(&t).map_err(|e| e.to_string()))
    {
        Ok(k) => k,
        Err(e) => {
            output::problem(&format!("error: {}: {e}", args.key.display()));
            return Ok(Outcome::InputError);
        }
    };
    let mut checks = Vec::new();
    for c in &args.checks {
        let parsed = c.split_once('=').and_then(|(code, rest)| {
            let (result, evidence) = rest.split_once(':')?;
            let result = match result {
                "pass" => riskmark_attest::Result::Pass,
                "fail" => riskmark_attest::Result::Fail,
                _ => return None,
            };
            Some(riskmark_attest::Verified {
                code: code.trim().to_owned(),
                result,
                evidence: evidence.trim().to_owned(),
            })
        });
        match parsed {
            Some(v) => checks.push(v),
            None => {
                output::problem(&format!(
                    "error: --check `{c}`: expected CODE=pass:EVIDENCE or CODE=fail:EVIDENCE"
                ));
                return Ok(Outcome::InputError);
            }
        }
    }
    let today = riskmark_engine::today();
    let statement = riskmark_attest::Statement {
        schema: riskmark_attest::SCHEMA.into(),
        device_id: args.device_id.clone(),
        lab: args.lab.clone(),
        date: args.date.clone().unwrap_or_else(|| today.to_string()),
        checks,
    };
    if let Err(e) = statement.validate(today) {
        output::problem(&format!("error: {e}"));
        return Ok(Outcome::InputError);
    }
    let env = riskmark_attest::sign(&statement, &key);
    output::out(&(serde_json::to_string_pretty(&env)? + "\n"))?;
    Ok(Outcome::Success)
}

pub(crate) fn registry(command: RegistryCommand) -> anyhow::Result<Outcome> {
    let none = String::new();
    match command {
        RegistryCommand::Reevaluate {
            database,
            db,
            format,
        } => {
            let vulndb = Database::from_flag(db.as_deref());
            let r = match open(database.as_deref(), vulndb, none) {
                Ok(r) => r,
                Err(o) => return Ok(o),
            };
            match r.reevaluate(riskmark_engine::today()) {
                Ok(rep) => {
                    match format {
                        crate::cli::TextJson::Json => {
                            output::out(&(serde_json::to_string_pretty(&rep)? + "\n"))?;
                        }
                        crate::cli::TextJson::Text => output::out(&format!(
                            "{} packages checked, {} changed; {} devices re-assessed, {} changed{}\n",
                            rep.packages_checked,
                            rep.packages_changed.len(),
                            rep.devices_reassessed.len(),
                            rep.devices_changed.len(),
                            if rep.devices_changed.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", rep.devices_changed.join(", "))
                            }
                        ))?,
                    }
                    Ok(Outcome::Success)
                }
                Err(e) => Ok(report(&e)),
            }
        }
        RegistryCommand::Jobs {
            database,
            limit,
            format,
        } => {
            let r = match open(database.as_deref(), Database::Embedded, none) {
                Ok(r) => r,
                Err(o) => return Ok(o),
            };
            match r.jobs(limit) {
                Ok(jobs) => {
                    match format {
                        crate::cli::TextJson::Json => {
                            output::out(&(serde_json::to_string_pretty(&jobs)? + "\n"))?;
                        }
                        crate::cli::TextJson::Text => {
                            let mut text = String::new();
                            for j in &jobs {
                                let state = match (&j.done_at, &j.claimed_by) {
                                    (Some(at), Some(by)) => format!(
                                        "{} at {at} by {by}",
                                        j.outcome.as_deref().unwrap_or("done")
                                    ),
                                    (None, Some(by)) => format!("claimed by {by}"),
                                    _ => "queued".to_owned(),
                                };
                                text.push_str(&format!(
                                    "#{} {} ({}): {state}\n",
                                    j.id, j.device_id, j.reason
                                ));
                            }
                            if jobs.is_empty() {
                                text.push_str("no jobs\n");
                            }
                            output::out(&text)?;
                        }
                    }
                    Ok(Outcome::Success)
                }
                Err(e) => Ok(report(&e)),
            }
        }
        RegistryCommand::Key {
            command:
                KeyCommand::Add {
                    org,
                    public,
                    database,
                },
        } => {
            let pem = match super::read_text(&public) {
                Ok(p) => p,
                Err(e) => {
                    output::problem(&format!("error: {}: {e}", public.display()));
                    return Ok(Outcome::InputError);
                }
            };
            let r = match open(database.as_deref(), Database::Embedded, none) {
                Ok(r) => r,
                Err(o) => return Ok(o),
            };
            match r.add_key(&org, &pem, &actor()) {
                Ok(id) => {
                    output::problem(&format!("registered key {id} for `{org}`"));
                    Ok(Outcome::Success)
                }
                Err(e) => Ok(report(&e)),
            }
        }
        RegistryCommand::Org {
            command:
                OrgCommand::Create {
                    name,
                    role,
                    database,
                },
        } => {
            let r = match open(database.as_deref(), Database::Embedded, none) {
                Ok(r) => r,
                Err(o) => return Ok(o),
            };
            let role = match role {
                RoleArg::Manufacturer => Role::Manufacturer,
                RoleArg::Lab => Role::Lab,
            };
            match r.create_org(&name, role, &actor()) {
                Ok(o) => {
                    output::problem(&format!(
                        "created organization `{}` ({}) in {}",
                        o.name,
                        o.role,
                        r.location()
                    ));
                    Ok(Outcome::Success)
                }
                Err(e) => Ok(report(&e)),
            }
        }
        RegistryCommand::Token {
            command: TokenCommand::Create { org, database },
        } => {
            let r = match open(database.as_deref(), Database::Embedded, none) {
                Ok(r) => r,
                Err(o) => return Ok(o),
            };
            match r.create_token(&org, &actor()) {
                Ok(t) => {
                    output::out(&format!("{t}\n"))?;
                    output::problem(&format!(
                        "token for `{org}` created; it is shown only now (only its hash is stored)"
                    ));
                    Ok(Outcome::Success)
                }
                Err(e) => Ok(report(&e)),
            }
        }
        RegistryCommand::Token {
            command: TokenCommand::Revoke { id, database },
        } => {
            let r = match open(database.as_deref(), Database::Embedded, none) {
                Ok(r) => r,
                Err(o) => return Ok(o),
            };
            match r.revoke_token(&id, &actor()) {
                Ok(()) => {
                    output::problem(&format!("token {id} revoked"));
                    Ok(Outcome::Success)
                }
                Err(e) => Ok(report(&e)),
            }
        }
    }
}

pub(crate) fn serve(args: &ServeArgs) -> anyhow::Result<Outcome> {
    let vulndb = Database::from_flag(args.db.as_deref());
    if let Database::Dir(d) = &vulndb
        && !d.join(riskmark_engine::DB_FILE).exists()
    {
        output::problem(&format!(
            "error: --db: no vulnerability database in {} (create it with `riskmark db import`)",
            d.display()
        ));
        return Ok(Outcome::InputError);
    }
    let Ok(database) = location(args.database.as_deref()) else {
        return Ok(Outcome::InputError);
    };
    let sign_key = match &args.sign_key {
        Some(path) => match super::read_text(path)
            .map_err(|e| e.to_string())
            .and_then(|t| riskmark_label::sign::read_private(&t).map_err(|e| e.to_string()))
        {
            Ok(k) => Some(k),
            Err(e) => {
                output::problem(&format!("error: --sign-key {}: {e}", path.display()));
                return Ok(Outcome::InputError);
            }
        },
        None => None,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async {
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(l) => l,
            Err(e) => {
                output::problem(&format!("error: --listen {}: {e}", args.listen));
                return Ok(Outcome::InputError);
            }
        };
        let addr = listener.local_addr()?;
        // The public URL defaults to the address actually bound (`--listen 127.0.0.1:0`).
        let public_url = args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        let config = Config {
            database,
            vulndb,
            public_url: public_url.clone(),
            sign_key,
        };
        // Opening connects (PostgreSQL's client blocks): off the async workers.
        let opened = tokio::task::spawn_blocking(move || Registry::open(config)).await?;
        let registry = match opened {
            Ok(r) => Arc::new(r),
            Err(e) => {
                output::problem(&format!("error: {e}"));
                return Ok(Outcome::InputError);
            }
        };
        output::problem(&format!(
            "riskmark registry on http://{addr} (public URL {public_url}, registry {})",
            registry.location()
        ));
        if args.reevaluate_every > 0 {
            tokio::spawn(watch(
                registry.clone(),
                std::time::Duration::from_secs(args.reevaluate_every),
            ));
        }
        let limits = riskmark_server::Limits {
            per_ip: riskmark_server::Rate {
                per_second: f64::from(args.rate_limit_ip),
                burst: f64::from(args.rate_limit_ip) * 2.0,
            },
            writes_per_token: riskmark_server::Rate {
                per_second: f64::from(args.rate_limit_writes) / 60.0,
                burst: 60.0,
            },
        };
        riskmark_server::serve_with(listener, registry, limits, shutdown_signal()).await?;
        output::problem("riskmark registry stopped");
        anyhow::Ok(Outcome::Success)
    })
}

/// Re-assesses devices whenever the vulnerability database file changes (looked at every
/// `every`), and at every look does the jobs other servers over the same database queued
/// (or left when they stopped); reports what changed on stderr.
async fn watch(registry: Arc<Registry>, every: std::time::Duration) {
    let mut seen = registry.vulndb_stamp();
    let worker = riskmark_registry::worker_id();
    loop {
        tokio::time::sleep(every).await;
        let now = registry.vulndb_stamp();
        let changed = now != seen;
        seen = now;
        let (r, w) = (registry.clone(), worker.clone());
        let done = tokio::task::spawn_blocking(move || {
            let today = riskmark_engine::today();
            if changed {
                let mut queued = r.queue_reevaluation()?;
                let done = r.work(today, &w)?;
                queued.devices_reassessed = done.devices_reassessed;
                queued.devices_changed = done.devices_changed;
                Ok(queued)
            } else {
                r.work(today, &w)
            }
        })
        .await;
        match done {
            Ok(Ok(rep)) if !rep.devices_changed.is_empty() => output::problem(&format!(
                "re-assessed {} device(s), {} changed, after advisories changed for {} \
                 package(s)",
                rep.devices_reassessed.len(),
                rep.devices_changed.len(),
                rep.packages_changed.len()
            )),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => output::problem(&format!("warning: re-evaluation: {e}")),
            Err(e) => output::problem(&format!("warning: re-evaluation: {e}")),
        }
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
