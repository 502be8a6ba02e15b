//! `riskmark vulns SBOM`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use riskmark_engine::{Database, Document};
use riskmark_scan::{Scan, ScanFinding};
use riskmark_vulndb::Severity;

use super::Outcome;
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
        VulnsFormat::Table => table(&scan, args.show_suppressed, output::width()),
        VulnsFormat::Sarif => {
            // Streamed: a SARIF result per finding, built and dropped one at a time.
            output::out_stream(|w| riskmark_scan::write_sarif(&scan, w))?;
            String::new()
        }
        VulnsFormat::CyclonedxVex => {
            // Streamed like SARIF: components and vulnerabilities one at a time.
            output::out_stream(|w| riskmark_scan::write_cyclonedx_vex(&scan, w))?;
            String::new()
        }
        VulnsFormat::Openvex => match scan.findings.is_empty() {
            false => {
                output::out_stream(|w| riskmark_scan::write_openvex(&scan, w))?;
                String::new()
            }
            true => {
                output::problem(&format!(
                    "{}: no known vulnerabilities: no OpenVEX document (OpenVEX needs at least \
                     one statement, and riskmark does not state products unaffected by \
                     vulnerabilities it does not know)",
                    scan.sbom
                ));
                String::new()
            }
        },
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
            // Streamed: a 20,000-component SBOM has ~100,000 findings (57 MB of JSON),
            // which held twice in memory was most of the command's peak.
            output::out_json(&report)?;
            String::new()
        }
    };
    if !text.is_empty() {
        output::out(&text)?;
    }
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

/// Parses the SBOM and VEX files, opens the database and scans (the engine's path);
/// reports problems itself and returns `None` when an input could not be used.
pub(crate) fn scan_sbom(
    sbom_path: &Path,
    db: Option<&Path>,
    vex_files: &[PathBuf],
) -> anyhow::Result<Option<Scan>> {
    let vex: Vec<Document> = vex_files.iter().map(|p| super::doc(p)).collect();
    match riskmark_engine::scan(&super::doc(sbom_path), &vex, &Database::from_flag(db)) {
        Ok(s) => {
            super::report_warnings(&s.warnings);
            Ok(Some(s.scan))
        }
        Err(e) => {
            super::report_engine_error(&e);
            Ok(None)
        }
    }
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

/// Severity, KEV, id, component@version, fixed in: columns that fit 80 columns (or the
/// terminal); a row whose values are longer wraps instead of being cut.
fn table(scan: &Scan, show_suppressed: bool, width: usize) -> String {
    use riskmark_report::hang;
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
        let fixed = if f.fixed.is_empty() {
            "-".to_owned()
        } else {
            f.fixed.join(", ")
        };
        let kev = if f.kev { "yes" } else { "" };
        let row = format!("{sev:<8} {kev:<3} {:<19} {comp:<28} {fixed}", f.id);
        if row.chars().count() <= width {
            let _ = writeln!(s, "{}", row.trim_end());
        } else {
            hang(
                &mut s,
                &format!("{sev:<8} {kev:<3} "),
                13,
                &format!("{} {comp} fixed in {fixed}", f.id),
                width,
            );
        }
        if let Some(v) = &f.vex {
            let status = serde_json::to_value(f.status)
                .ok()
                .and_then(|x| x.as_str().map(str::to_owned))
                .unwrap_or_default();
            let why = v.justification.as_deref().unwrap_or(&status);
            let what = if f.status.suppressed() {
                format!("suppressed by VEX ({}): {why}", v.source)
            } else {
                format!("VEX ({}) says: {why}", v.source)
            };
            hang(&mut s, "         ", 13, &what, width);
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
