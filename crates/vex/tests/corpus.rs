//! Reads every JSON file of the shared real-world VEX corpus
//! (`<workspace>/../shared/data/vex`).
//!
//! The corpus is not part of the repository: when it is absent the test
//! says so and passes. Every file must parse (none of them is malformed);
//! every file that has VEX content must yield statements; only the SBOMs
//! that VEX documents refer to, the one informational advisory and one VEX
//! whose statement names no product may yield none (see `expected_empty`).
#![allow(
    clippy::print_stdout,
    reason = "the corpus summary is the test's report"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskmark_vex::{VexFormat, VexStatus, parse_file};

fn corpus_dir() -> PathBuf {
    // crates/vex -> workspace root -> ../shared
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/vex")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Files that hold no VEX statement, and why.
fn expected_empty(name: &str) -> bool {
    // SBOMs the CycloneDX VEX examples link to.
    name.contains("_bom-") || name == "bom.json"
        // A CSAF informational advisory: no vulnerabilities at all.
        || name == "rhsa-2019_1862.json"
        // One not_affected statement without `affects` ("not exploitable in
        // any current version of any product"): skipped with a warning
        // rather than applied to every component of every SBOM.
        || name == "Use-Cases_Case-7_vex.json"
}

#[test]
fn every_corpus_vex_parses() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        shared_missing(&dir);
        return;
    }
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    assert!(
        files.len() >= 50,
        "only {} files in {}",
        files.len(),
        dir.display()
    );

    let mut by_format: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let (mut statements, mut warnings, mut empty) = (0, 0, 0);
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let doc = match parse_file(path) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{e}"));
                continue;
            }
        };
        let expected_format = if path.parent().is_some_and(|p| p.ends_with("csaf")) {
            VexFormat::Csaf
        } else {
            VexFormat::CycloneDx
        };
        if doc.format != expected_format {
            failures.push(format!("{name}: read as {}", doc.format));
        }
        *by_format.entry(doc.format.to_string()).or_default() += 1;
        if doc.statements.is_empty() {
            empty += 1;
            if !expected_empty(name) {
                failures.push(format!("{name}: no statements ({:?})", doc.warnings));
            }
        } else if expected_empty(name) {
            failures.push(format!("{name}: expected no statements"));
        }
        for s in &doc.statements {
            *by_status.entry(s.status.as_str()).or_default() += 1;
            if s.products.is_empty() || s.vulnerability.is_empty() {
                failures.push(format!("{name}: empty statement {s:?}"));
            }
            if s.justification.is_some() && s.status != VexStatus::NotAffected {
                failures.push(format!("{name}: justification on {}", s.status));
            }
        }
        statements += doc.statements.len();
        warnings += doc.warnings.len();
    }
    println!(
        "{} files ({by_format:?}); {statements} statements {by_status:?}; {empty} without statements; {warnings} warnings",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for status in ["not_affected", "affected", "fixed", "under_investigation"] {
        assert!(
            by_status.get(status).copied().unwrap_or(0) > 0,
            "no {status} statement in the corpus"
        );
    }
}

/// `../shared` (the real data beside the repository) is absent: a failure in CI, where
/// it is always there; elsewhere a note on the terminal (stderr written directly, which
/// the test harness does not capture) and the test skips.
fn shared_missing(dir: &Path) {
    use std::io::Write as _;
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} is absent: required in CI",
        dir.display()
    );
    let _ = writeln!(
        std::io::stderr(),
        "note: skipped: {} is absent",
        dir.display()
    );
}
