//! OSCAL outputs and catalogs against the OSCAL metaschema (the `oscal` package:
//! structure, data types, allowed values, cardinality) and its document-wide rules
//! (unique UUIDs, internal references that resolve): scripts/check_oscal.py.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{command_in, root};

const PYTHON: &str = "/opt/riskmark-ref/oscal/bin/python";

fn python() -> Option<PathBuf> {
    let p = PathBuf::from(PYTHON);
    if p.is_file() {
        Some(p)
    } else {
        common::missing("the `oscal` package (run .ci/setup.d/oscal.sh)");
        None
    }
}

/// Runs the checker; returns (all valid, its report).
fn check(python: &Path, files: &[PathBuf]) -> (bool, String) {
    // The oscal package writes a support database into its working directory.
    let scratch = tempfile::tempdir().unwrap();
    let out = Command::new(python)
        .arg(root().join("scripts/check_oscal.py"))
        .args(files)
        .current_dir(scratch.path())
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let valid = report
        .lines()
        .filter(|l| l.ends_with("valid (0 problems)"))
        .count();
    (out.status.success() && valid == files.len(), report)
}

/// The checker sees the problems riskmark once had (so its silence means something).
#[test]
fn the_checker_sees_duplicate_uuids_dangling_references_and_bare_props() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = command_in(home.path())
        .args([
            "assess",
            "examples/smart-plug.toml",
            "--format",
            "oscal",
            "--as-of",
            "2026-11-24",
        ])
        .output()
        .unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ar = &mut doc["assessment-results"];
    ar["import-ap"]["href"] = "#nowhere".into();
    let first = ar["results"][0]["observations"][0]["uuid"].clone();
    ar["results"][1]["observations"][0]["uuid"] = first;
    ar["metadata"]["props"][0]
        .as_object_mut()
        .unwrap()
        .remove("ns");
    let f = dir.path().join("broken.json");
    std::fs::write(&f, doc.to_string()).unwrap();
    let (ok, report) = check(&python, &[f]);
    assert!(!ok);
    for want in ["UUID_NOT_UNIQUE", "REFERENCE_NOT_FOUND", "allowed-values"] {
        assert!(report.contains(want), "{want} missing:\n{report}");
    }
}

#[test]
fn every_assessment_result_and_catalog_is_valid_oscal() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for e in std::fs::read_dir(root().join("examples")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".toml") || name.ends_with(".json") {
            runs.push(vec![format!("examples/{name}")]);
        }
    }
    runs.push(vec![
        "examples/smart-plug.toml".into(),
        "--sbom".into(),
        "examples/sbom/home-router-firmware.cdx.json".into(),
    ]);
    runs.push(vec![
        "examples/baby-monitor.toml".into(),
        "--rules".into(),
        "examples/rules".into(),
        "--catalog".into(),
        "examples/catalogs/company-policy.json".into(),
    ]);
    for (i, r) in runs.iter().enumerate() {
        let out = command_in(home.path())
            .arg("assess")
            .args(r)
            .args(["--format", "oscal", "--as-of", "2026-11-24"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{r:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let f = dir.path().join(format!("ar-{i}.json"));
        std::fs::write(&f, &out.stdout).unwrap();
        files.push(f);
    }
    assert!(files.len() >= 19);
    for cat in std::fs::read_dir(root().join("crates/frameworks/catalogs")).unwrap() {
        let p = cat.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            files.push(p);
        }
    }
    files.push(root().join("examples/catalogs/company-policy.json"));
    let (ok, report) = check(&python, &files);
    assert!(ok, "{report}");
}
