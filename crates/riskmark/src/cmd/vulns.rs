//! `riskmark vulns SBOM`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use riskmark_scan::{Scan, ScanFinding};
use riskmark_vulndb::{Db, Severity};

use super::Outcome;
use super::db::{DB_FILE, db_dir};
use crate::cli::{VulnFailOn, VulnsFormat};
use crate::output;

pub(crate) struct Args<'a> {
    pub(crate) sbom: &'a Path,
    pub(crate) db: Option<&'a Path>,
    pub(crate) vex: &'a [PathBuf],
    pub(crate) format: VulnsFormat,
    pub(crate) fail_on: Option<VulnFailOn>,
    pub(crate) show_suppressed: bool,
}

pub(crate) fn run(args: &Args<'_>) -> anyhow::Result<Outcome> {
    let Some(mut scan) = scan_sbom(args.sbom, args.db, args.vex)? else {
        return Ok(Outcome::InputError);
    };
    let text = match args.format {
        VulnsFormat::Table => table(&scan, args.show_suppressed),
        VulnsFormat::Sarif => riskmark_scan::sarif(&scan),
        VulnsFormat::CyclonedxVex => riskmark_scan::cyclonedx_vex(&scan),
        VulnsFormat::Openvex => riskmark_scan::openvex(&scan),
        VulnsFormat::Json => {
            let counts = scan.counts();
            if !args.show_suppressed {
                scan.findings.retain(|f| !f.status.suppressed());
            }
            // Written straight from the structs, in their field order; going
            // through a `serde_json::Value` first cost a fifth of a scan with
            // a thousand findings.
            #[derive(serde::Serialize)]
            struct Report<'a> {
                #[serde(flatten)]
                scan: &'a Scan,
                counts: riskmark_scan::Counts,
            }
            let report = Report {
                scan: &scan,
                counts,
            };
            format!("{}\n", serde_json::to_string_pretty(&report)?)
        }
    };
    output::out(&text)?;
    Ok(
        if args
            .fail_on
            .is_some_and(|t| scan.active().any(|f| reaches(f, t)))
        {
            Outcome::Findings
        } else {
            Outcome::Success
        },
    )
}

/// The scan `assess` and `label` fold in: of `--sbom`, else of the profile's
/// `disclosure.sbom` when it names a local file (relative to the profile).
/// `Ok(None)`: no SBOM; `Err(())`: an input could not be used (reported).
pub(crate) fn profile_scan(
    loaded: &riskmark_model::LoadedProfile,
    profile: &Path,
    sbom: Option<&Path>,
    db: Option<&Path>,
    vex_files: &[PathBuf],
) -> anyhow::Result<Result<Option<Scan>, ()>> {
    let declared = || {
        loaded
            .profile
            .disclosure
            .as_ref()
            .and_then(|d| d.sbom.as_deref())
            .filter(|s| !s.contains("://"))
            .map(|s| profile.parent().unwrap_or_else(|| Path::new(".")).join(s))
            .filter(|p| p.is_file())
    };
    let Some(sbom) = sbom.map(Path::to_path_buf).or_else(declared) else {
        return Ok(Ok(None));
    };
    Ok(scan_sbom(&sbom, db, vex_files)?.map(Some).ok_or(()))
}

/// Parses the SBOM and VEX files, opens the database and scans; reports input problems
/// itself and returns `None` when an input could not be used.
pub(crate) fn scan_sbom(
    sbom_path: &Path,
    db: Option<&Path>,
    vex_files: &[PathBuf],
) -> anyhow::Result<Option<Scan>> {
    let sbom = match riskmark_sbom::parse_file(sbom_path) {
        Ok(s) => s,
        Err(e) => {
            output::problem(&format!("error: {e}"));
            return Ok(None);
        }
    };
    for w in &sbom.warnings {
        output::problem(&format!(
            "warning: {}: {} ({})",
            sbom_path.display(),
            w.message,
            w.location
        ));
    }
    let mut docs = Vec::new();
    for file in vex_files {
        match riskmark_vex::parse_file(file) {
            Ok(d) => {
                for w in &d.warnings {
                    output::problem(&format!("warning: {}: {w}", file.display()));
                }
                docs.push(d);
            }
            Err(e) => {
                output::problem(&format!("error: {e}"));
                return Ok(None);
            }
        }
    }
    let vex = riskmark_vex::VexSet::from_documents(docs);
    let file = db_dir(db).join(DB_FILE);
    if db.is_some() && !file.exists() {
        output::problem(&format!(
            "error: no vulnerability database at {} (create it with `riskmark db import`)",
            file.display()
        ));
        return Ok(None);
    }
    let db = Db::open_or_default(&file)?;
    let scan = riskmark_scan::scan(
        &sbom,
        &sbom_path.display().to_string(),
        &db,
        &riskmark_scan::vex_lookup(&vex),
    )?;
    Ok(Some(scan))
}

fn reaches(f: &ScanFinding, t: VulnFailOn) -> bool {
    let min = match t {
        VulnFailOn::Kev => return f.kev,
        VulnFailOn::Low => Severity::Low,
        VulnFailOn::Medium => Severity::Medium,
        VulnFailOn::High => Severity::High,
        VulnFailOn::Critical => Severity::Critical,
    };
    f.kev || f.severity.is_some_and(|s| s >= min)
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}~", s.chars().take(n - 1).collect::<String>())
    }
}

/// At most 80 columns: severity, KEV, id, component@version, fixed in.
fn table(scan: &Scan, show_suppressed: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:<3} {:<19} {:<28} FIXED IN",
        "SEVERITY", "KEV", "ID", "COMPONENT"
    );
    let mut suppressed = 0;
    for f in &scan.findings {
        if f.status.suppressed() {
            suppressed += 1;
            if !show_suppressed {
                continue;
            }
        }
        let sev = f.severity.map_or("unknown", Severity::as_str);
        let comp = format!("{}@{}", f.component, f.version);
        let fixed = f.fixed.first().map_or("-", String::as_str);
        let _ = writeln!(
            s,
            "{:<8} {:<3} {:<19} {:<28} {}",
            sev,
            if f.kev { "yes" } else { "" },
            cut(&f.id, 19),
            cut(&comp, 28),
            cut(fixed, 17)
        );
        if let Some(v) = &f.vex {
            let what = if f.status.suppressed() {
                format!("suppressed by VEX ({})", cut(&v.source, 28))
            } else {
                format!("VEX ({}) says", cut(&v.source, 28))
            };
            let status = serde_json::to_value(f.status)
                .ok()
                .and_then(|x| x.as_str().map(str::to_owned))
                .unwrap_or_default();
            let why = v.justification.as_deref().unwrap_or(&status);
            let _ = writeln!(s, "         {what}: {}", cut(why, 36));
        }
    }
    let active = scan.findings.len() - suppressed;
    let _ = writeln!(
        s,
        "\n{} findings in {} of {} components ({} suppressed by VEX)\n{} components not matched{}",
        active,
        scan.matched_components,
        scan.components,
        suppressed,
        scan.skipped.len(),
        if scan.skipped.is_empty() {
            ""
        } else {
            " (see --format json: skipped)"
        }
    );
    let _ = writeln!(
        s,
        "database: {}\nbuilt:    {}",
        if scan.db_path == ":memory:" {
            "embedded curated set".to_owned()
        } else {
            scan.db_path.clone()
        },
        scan.db
            .built_at
            .map_or_else(|| "unknown".into(), |t| t.to_string())
    );
    s
}
