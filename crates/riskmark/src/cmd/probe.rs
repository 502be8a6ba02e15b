//! `riskmark probe HOST --profile PROFILE`: checks a live device's claims on the bench (see
//! the `riskmark-probe` crate) and writes what it saw as signed evidence for
//! `assess --evidence`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use riskmark_evidence::{ProfileRef, Statement};
use riskmark_probe::{Claims, Limits, Plan, ports};
use sha2::Digest as _;

use super::Outcome;
use crate::output;

#[derive(Debug, Args)]
pub(crate) struct ProbeArgs {
    /// The device: one address or host name (a local range only with
    /// --i-own-this-network).
    #[arg(value_name = "HOST")]
    host: String,
    /// The device's profile, whose claims are checked.
    #[arg(long, value_name = "PROFILE")]
    profile: PathBuf,
    /// Ports to probe besides the declared services, e.g. `23,2323,8000-8010,1900/udp`
    /// (default: a small IoT list: 23, 2323, 22, 80, 443, 8080, 8443, 1883, 8883, 554,
    /// 502, 5683/udp, 1900/udp).
    #[arg(long, value_name = "LIST")]
    ports: Option<String>,
    /// Try these credentials (`user:password` lines) on telnet, SSH, HTTP Basic and HTTP login forms.
    #[arg(long, value_name = "FILE", conflicts_with = "try_default_credentials")]
    credentials: Option<PathBuf>,
    /// Try the built-in list of 24 public default credentials (Mirai's first pairs) on
    /// telnet, SSH, HTTP Basic and HTTP login forms.
    #[arg(long)]
    try_default_credentials: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProbeFormat::Table)]
    format: ProbeFormat,
    /// Write the signed evidence file (`riskmark/evidence/v1`) here.
    #[arg(long, value_name = "EVIDENCE.json")]
    out: Option<PathBuf>,
    /// Ed25519 private key (from `riskmark keygen`) to sign the evidence with (default: the
    /// per-user probe key, created on first use).
    #[arg(long, value_name = "FILE")]
    sign_key: Option<PathBuf>,
    /// Who runs the probe (a lab, a person); recorded in the evidence (default: $USER).
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
    /// Print what would be sent, and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Allow a local address range (private, loopback or link-local, at most /24).
    #[arg(long)]
    i_own_this_network: bool,
    /// Connect and read timeout, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    timeout: u64,
    /// At most this many connections at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    concurrency: usize,
    /// At most this many new connections a second.
    #[arg(long, value_name = "N", default_value_t = 50)]
    rate: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProbeFormat {
    /// Ports, findings and contradictions for a terminal.
    Table,
    /// The evidence statement, unsigned (`riskmark/evidence/v1`).
    Json,
}

fn by_default() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// The per-user probe key: `$XDG_DATA_HOME/riskmark/keys/probe.key`.
fn user_key_path() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("XDG_DATA_HOME")
        .map(|d| d.join("riskmark"))
        .or_else(|| env("HOME").map(|h| h.join(".local/share/riskmark")))
        .unwrap_or_else(|| PathBuf::from(".riskmark"))
        .join("keys/probe.key")
}

fn read_or_create_key(explicit: Option<&Path>) -> Result<Key, String> {
    if let Some(file) = explicit {
        let text = super::read_text(file).map_err(|e| format!("{}: {e}", file.display()))?;
        return riskmark_label::sign::read_private(&text)
            .map(|k| (k, file.to_path_buf(), false))
            .map_err(|e| format!("{}: {e}", file.display()));
    }
    let file = user_key_path();
    if let Ok(text) = super::read_text(&file) {
        return riskmark_label::sign::read_private(&text)
            .map(|k| (k, file.clone(), false))
            .map_err(|e| format!("{}: {e}", file.display()));
    }
    let key = riskmark_label::sign::generate().map_err(|e| e.to_string())?;
    let pem = riskmark_label::sign::private_pem(&key).map_err(|e| e.to_string())?;
    let public =
        riskmark_label::sign::public_pem(&key.verifying_key()).map_err(|e| e.to_string())?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    write_private(&file, &pem).map_err(|e| format!("{}: {e}", file.display()))?;
    let pub_file = file.with_extension("pub");
    std::fs::write(&pub_file, public).map_err(|e| format!("{}: {e}", pub_file.display()))?;
    Ok((key, file, true))
}

/// A signing key, the file it came from, and whether it was just created.
type Key = (ed25519_dalek::SigningKey, PathBuf, bool);

#[cfg(unix)]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}

pub(crate) fn run(args: &ProbeArgs) -> anyhow::Result<Outcome> {
    let bad = |m: String| {
        output::problem(&format!("error: {m}"));
        Ok(Outcome::InputError)
    };
    let loaded = match super::load_profile(&args.profile) {
        Ok(l) => l,
        Err(e) => {
            super::report_load_error(&e);
            return Ok(Outcome::InputError);
        }
    };
    let profile_bytes = riskmark_model::read_limited(&args.profile).unwrap_or_default();
    let claims = Claims::of(&loaded.profile);
    let targets = match riskmark_probe::scope::targets(&args.host, args.i_own_this_network) {
        Ok(t) => t,
        Err(e) => return bad(e.to_string()),
    };
    if targets.len() > 1 && args.out.is_some() {
        return bad(format!(
            "{}: --out writes the evidence of one device; name one host",
            args.host
        ));
    }
    let extra = match &args.ports {
        Some(list) => match ports::parse(list) {
            Ok(p) => p,
            Err(e) => return bad(e.to_string()),
        },
        None => ports::IOT_PORTS.to_vec(),
    };
    let credentials = if let Some(file) = &args.credentials {
        let text = match super::read_text(file) {
            Ok(t) => t,
            Err(e) => return bad(format!("{}: {e}", file.display())),
        };
        match riskmark_probe::creds::parse(&file.display().to_string(), &text) {
            Ok(c) => c,
            Err(e) => return bad(e.to_string()),
        }
    } else if args.try_default_credentials {
        riskmark_probe::creds::builtin()
    } else {
        Vec::new()
    };
    if args.timeout == 0 || args.concurrency == 0 || args.rate == 0 {
        return bad("--timeout, --concurrency and --rate must be above 0".into());
    }
    let limits = Limits {
        timeout: Duration::from_millis(args.timeout.min(60_000)),
        concurrency: args.concurrency.min(64),
        rate: args.rate.min(1000),
    };
    let plans: Vec<Plan> = targets
        .iter()
        .map(|ip| {
            let host = if targets.len() == 1 {
                args.host.clone()
            } else {
                ip.to_string()
            };
            Plan::new(
                &host,
                *ip,
                &claims,
                &extra,
                credentials.clone(),
                limits.clone(),
            )
        })
        .collect();
    if args.dry_run {
        let mut text = String::new();
        for p in &plans {
            for line in p.describe() {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text.push_str("dry run: nothing was sent\n");
        output::out(&text)?;
        return Ok(Outcome::Success);
    }
    // The key is read (or made) before anything is sent: a bad key stops early.
    let key = match &args.out {
        Some(_) => match read_or_create_key(args.sign_key.as_deref()) {
            Ok(k) => Some(k),
            Err(e) => return bad(e),
        },
        None => None,
    };
    let by = args.by.clone().unwrap_or_else(by_default);
    let mut contradictions = 0;
    let mut text = String::new();
    for plan in &plans {
        let started = jiff::Timestamp::now();
        let obs = riskmark_probe::run(plan, started)?;
        let finished = jiff::Timestamp::now();
        let (findings, checks) = riskmark_probe::compare(&obs, &claims);
        contradictions += findings.iter().filter(|f| f.contradicts.is_some()).count();
        let statement = Statement {
            schema: riskmark_evidence::SCHEMA.into(),
            tool: format!("riskmark probe {}", env!("CARGO_PKG_VERSION")),
            by: by.clone(),
            started: round(started),
            finished: round(finished),
            target: if obs.host == obs.address {
                obs.host.clone()
            } else {
                format!("{} ({})", obs.host, obs.address)
            },
            profile: ProfileRef {
                product: claims.product.clone(),
                sha256: hex(&sha2::Sha256::digest(&profile_bytes)),
            },
            observations: serde_json::to_value(&obs)?,
            findings,
            checks,
            signer: String::new(),
        };
        if let (Some(out), Some((k, key_file, created))) = (&args.out, &key) {
            let env = riskmark_evidence::sign(&statement, k)?;
            std::fs::write(out, serde_json::to_string_pretty(&env)? + "\n")?;
            let kid = riskmark_label::sign::key_id(&k.verifying_key());
            let made = if *created { " (created now)" } else { "" };
            output::problem(&format!(
                "note: evidence written to {}, signed with {}{made}, key id {kid}",
                out.display(),
                key_file.display()
            ));
        }
        match args.format {
            ProbeFormat::Json => {
                text.push_str(&serde_json::to_string_pretty(&statement)?);
                text.push('\n');
            }
            ProbeFormat::Table => text.push_str(&table(&statement, &obs)),
        }
    }
    output::out(&text)?;
    Ok(if contradictions > 0 {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}

fn round(t: jiff::Timestamp) -> String {
    jiff::Timestamp::from_second(t.as_second())
        .unwrap_or(t)
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn table(s: &Statement, obs: &riskmark_probe::Observations) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{}: {} probed against the profile of {} ({} connections)",
        s.target,
        obs.ports.len(),
        s.profile.product,
        obs.attempts
    );
    let _ = writeln!(t);
    let _ = writeln!(t, "{:<11} {:<10} {:<8} DETAIL", "PORT", "STATE", "SERVICE");
    for r in obs.ports.iter().filter(|r| r.is_live()) {
        let mut detail = Vec::new();
        if let Some(b) = &r.banner {
            detail.push(b.clone());
        }
        if let Some(tls) = &r.tls {
            detail.push(format!("accepts {}", tls.accepted.join(", ")));
        }
        if let Some(u) = r.unauthenticated {
            detail.push(
                if u {
                    "no authentication"
                } else {
                    "asks for credentials"
                }
                .into(),
            );
        }
        if let Some(c) = &r.credentials {
            detail.push(match &c.worked {
                Some(w) => format!("default credential {w} works"),
                None => format!("{} default credentials refused", c.tried),
            });
        }
        let state = serde_json::to_value(r.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            t,
            "{:<11} {:<10} {:<8} {}",
            r.port,
            state,
            r.service.as_deref().unwrap_or("?"),
            detail.join("; ")
        );
    }
    let closed = obs.ports.iter().filter(|r| !r.is_live()).count();
    let _ = writeln!(t, "({closed} more ports closed, filtered or silent)");
    let _ = writeln!(t);
    if s.findings.is_empty() {
        let _ = writeln!(t, "No findings.");
    }
    for f in &s.findings {
        let _ = writeln!(t, "[{}] {}: {}", f.severity, f.code, f.detail);
        if let Some(c) = &f.contradicts {
            let _ = writeln!(t, "    contradicts the profile: {c}");
        }
    }
    let n = s
        .findings
        .iter()
        .filter(|f| f.contradicts.is_some())
        .count();
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "{n} contradiction{} of the profile's claims; verified checks: {}",
        if n == 1 { "" } else { "s" },
        if s.checks.is_empty() {
            "none".to_owned()
        } else {
            s.checks
                .iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        c.code,
                        if c.result == riskmark_evidence::Result::Pass {
                            "pass"
                        } else {
                            "fail"
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    t
}

/// For `assess --evidence`: each file opened, its signature verified (by `trusted` when
/// given), its statement validated, its checks as verified checks. `None` (reported,
/// naming the file) when one cannot be used.
pub(crate) fn evidence(
    files: &[PathBuf],
    trusted: Option<&Path>,
    today: jiff::civil::Date,
) -> Option<Vec<riskmark_engine::VerifiedCheck>> {
    let fail = |file: &Path, m: &dyn std::fmt::Display| {
        output::problem(&format!("error: {}: {m}", file.display()));
        None
    };
    let trusted_key = match trusted {
        Some(file) => match super::read_text(file)
            .map_err(|e| e.to_string())
            .and_then(|t| riskmark_label::sign::read_public(&t).map_err(|e| e.to_string()))
        {
            Ok(k) => Some(k),
            Err(e) => return fail(file, &e),
        },
        None => None,
    };
    let mut out = Vec::new();
    for file in files {
        let bytes = match riskmark_model::read_limited(file) {
            Ok(b) => b,
            Err(e) => return fail(file, &e),
        };
        let opened = match riskmark_evidence::open(&bytes, trusted_key.as_ref()) {
            Ok(o) => o,
            Err(e) => return fail(file, &e),
        };
        if let Err(e) = opened.statement.validate(today) {
            return fail(file, &e);
        }
        out.extend(opened.verified(&file.display().to_string()));
    }
    Some(out)
}
