//! SARIF that GitHub code scanning accepts: every `assess --format sarif` of the
//! examples (relative and absolute paths) and every `vulns --format sarif` of the example
//! SBOMs and a sample of the real ones in ../shared, validated by the SARIF Multitool
//! (the SARIF 2.1.0 schema, its SARIF rules and the GitHub rules): no error, no warning.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{command_in, root};

const MULTITOOL: &str =
    "/opt/riskmark-ref/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";

/// The multitool, or `None` (skipped with a note; a failure in CI).
fn multitool() -> Option<PathBuf> {
    let p = PathBuf::from(MULTITOOL);
    if p.is_file() {
        Some(p)
    } else {
        common::missing("the SARIF Multitool (run .ci/setup.d/sarif.sh)");
        None
    }
}

/// Every error and warning the multitool reports for the `.sarif` files in `dir`.
fn problems(tool: &Path, dir: &Path) -> Vec<String> {
    let out = dir.join("validation.out");
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sarif"))
        .collect();
    assert!(!files.is_empty());
    let run = Command::new(tool)
        .args([
            "validate",
            "--rule-kind",
            "Gh;Sarif",
            "--level",
            "Error;Warning",
            "-o",
        ])
        .arg(&out)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "multitool failed: {}",
        String::from_utf8_lossy(&run.stdout)
    );
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| matches!(r["level"].as_str(), Some("error" | "warning") | None))
        .map(|r| {
            format!(
                "{} {}: {} {}",
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["message"]["text"].as_str().unwrap_or_default(),
                r["message"]["arguments"]
            )
        })
        .collect()
}

fn run(home: &Path, args: &[&str]) -> String {
    let out = command_in(home).args(args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The multitool does flag what GitHub refuses (so its silence means something).
#[test]
fn the_validator_sees_what_github_refuses() {
    let Some(tool) = multitool() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.sarif"),
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[{"id":"R1"}]}},
        "results":[{"ruleId":"R1","message":{"text":"m"},"locations":[{"physicalLocation":
        {"artifactLocation":{"uri":"/abs/path.toml"}}}]}]}]}"#,
    )
    .unwrap();
    let p = problems(&tool, dir.path());
    assert!(p.iter().any(|m| m.contains("GH2012")), "{p:?}");
    assert!(p.iter().any(|m| m.contains("SARIF1004")), "{p:?}");
}

#[test]
fn assess_sarif_of_every_example_passes_the_github_rules() {
    let Some(tool) = multitool() else { return };
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(root().join("examples")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if !(name.ends_with(".toml") || name.ends_with(".json")) {
            continue;
        }
        let relative = format!("examples/{name}");
        let absolute = root().join(&relative).canonicalize().unwrap();
        for (tag, path) in [
            ("rel", relative.clone()),
            ("abs", absolute.display().to_string()),
        ] {
            let text = run(
                home.path(),
                &[
                    "assess",
                    &path,
                    "--format",
                    "sarif",
                    "--as-of",
                    "2026-11-24",
                ],
            );
            let v: Value = serde_json::from_str(&text).unwrap();
            let uri = v["runs"][0]["artifacts"][0]["location"]["uri"]
                .as_str()
                .unwrap();
            if tag == "abs" {
                assert!(uri.starts_with("file:///"), "{uri}");
            } else {
                assert_eq!(uri, relative);
            }
            std::fs::write(dir.path().join(format!("{name}.{tag}.sarif")), text).unwrap();
            n += 1;
        }
    }
    assert!(n >= 34, "{n}");
    let p = problems(&tool, dir.path());
    assert!(p.is_empty(), "{} problems:\n{}", p.len(), p.join("\n"));
}

#[test]
fn vulns_sarif_of_example_and_real_sboms_passes_the_github_rules() {
    let Some(tool) = multitool() else { return };
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut inputs: Vec<(String, Vec<String>)> = vec![(
        "router".into(),
        vec!["examples/sbom/home-router-firmware.cdx.json".into()],
    )];
    if let Some(db) = common::shared_osv_db(home.path()) {
        // Every 8th real SBOM of the shared corpus.
        let mut sboms: Vec<PathBuf> = Vec::new();
        let mut stack = vec![common::shared_data().join("sboms")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p
                    .extension()
                    .is_some_and(|x| x == "json" || x == "spdx" || x == "xml")
                {
                    sboms.push(p);
                }
            }
        }
        sboms.sort();
        for (i, s) in sboms.iter().enumerate().filter(|(i, _)| i % 8 == 0) {
            inputs.push((
                format!("shared{i}"),
                vec![
                    s.display().to_string(),
                    "--db".into(),
                    db.display().to_string(),
                ],
            ));
        }
    }
    let mut findings = 0;
    for (tag, args) in &inputs {
        let mut a = vec!["vulns"];
        a.extend(args.iter().map(String::as_str));
        a.extend(["--format", "sarif"]);
        let out = command_in(home.path()).args(&a).output().unwrap();
        if out.status.code() == Some(2) {
            continue; // not an SBOM (the corpus has a few such files)
        }
        let text = String::from_utf8(out.stdout).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        findings += v["runs"][0]["results"].as_array().unwrap().len();
        std::fs::write(dir.path().join(format!("{tag}.sarif")), text).unwrap();
    }
    assert!(findings > 10, "{findings}");
    let p = problems(&tool, dir.path());
    assert!(p.is_empty(), "{} problems:\n{}", p.len(), p.join("\n"));
}
