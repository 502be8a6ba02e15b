//! `vulns --format cyclonedx-vex` and `--format openvex` against the formats' own
//! validators (cyclonedx-python-lib's strict CycloneDX 1.6 validator; the OpenVEX 0.2.0
//! JSON schema, vendored, with format checks), on the example SBOM with each kind of
//! input VEX and on real SBOMs; and what the issue found: justifications in each format's
//! words, refs that resolve, IRIs for products without a purl, the input's action
//! statement kept, no duplicate statements, no invalid empty document.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{command_in, root};

const PYTHON: &str = "/opt/riskmark-ref/vex/bin/python";
const SBOM: &str = "examples/sbom/home-router-firmware.cdx.json";

fn python() -> Option<PathBuf> {
    let p = PathBuf::from(PYTHON);
    if p.is_file() {
        Some(p)
    } else {
        common::missing("the VEX validators (run .ci/setup.d/vex.sh)");
        None
    }
}

/// Validates files of one kind; returns the report when any is invalid.
fn validate(python: &Path, kind: &str, files: &[PathBuf]) -> Result<(), String> {
    let mut c = Command::new(python);
    c.arg(root().join("scripts/validate_vex.py")).arg(kind);
    if kind == "openvex" {
        c.arg(root().join("crates/riskmark/tests/schemas/openvex_json_schema.json"));
    }
    let out = c.args(files).output().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let valid = report
        .lines()
        .filter(|l| l.ends_with("valid (0 problems)"))
        .count();
    if out.status.success() && valid == files.len() {
        Ok(())
    } else {
        Err(report)
    }
}

fn vulns(home: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = command_in(home).arg("vulns").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(home: &Path, args: &[&str]) -> Value {
    let (code, out, err) = vulns(home, args);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn justifications_are_in_each_formats_words() {
    let home = tempfile::tempdir().unwrap();
    // OpenVEX input (vulnerable_code_not_in_execute_path) -> CycloneDX code_not_reachable.
    let cdx = json(
        home.path(),
        &[
            SBOM,
            "--vex",
            "examples/sbom/home-router-firmware.openvex.json",
            "--format",
            "cyclonedx-vex",
        ],
    );
    let curl = cdx["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "CVE-2023-38545")
        .unwrap();
    assert_eq!(curl["analysis"]["state"], "not_affected");
    assert_eq!(curl["analysis"]["justification"], "code_not_reachable");
    // CycloneDX input -> OpenVEX words.
    let cdx_in =
        std::fs::read_to_string(root().join("examples/sbom/home-router-firmware.cdx-vex.json"))
            .unwrap();
    let input: Value = serde_json::from_str(&cdx_in).unwrap();
    let given: Vec<&str> = input["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["analysis"]["justification"].as_str())
        .collect();
    assert!(!given.is_empty());
    let ov = json(
        home.path(),
        &[
            SBOM,
            "--vex",
            "examples/sbom/home-router-firmware.cdx-vex.json",
            "--format",
            "openvex",
        ],
    );
    let openvex_words = [
        "component_not_present",
        "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "inline_mitigations_already_exist",
    ];
    let said: Vec<&str> = ov["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["justification"].as_str())
        .collect();
    assert!(!said.is_empty(), "{ov}");
    assert!(said.iter().all(|j| openvex_words.contains(j)), "{said:?}");
}

#[test]
fn openvex_keeps_actions_has_iris_and_no_duplicates() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The router's OpenVEX says CVE-2022-0847 is affected, with an action statement.
    let ov = json(
        home.path(),
        &[
            SBOM,
            "--vex",
            "examples/sbom/home-router-firmware.openvex.json",
            "--format",
            "openvex",
        ],
    );
    let dirty = ov["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vulnerability"]["name"] == "CVE-2022-0847")
        .unwrap();
    assert_eq!(dirty["status"], "affected");
    assert_eq!(dirty["action_statement"], "Update to firmware 1.1.5.");
    // A package listed twice, and one without a purl (a CPE only).
    let sbom = dir.path().join("twice.cdx.json");
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
          {"type":"library","bom-ref":"bb-1","name":"busybox","version":"1.33.1","purl":"pkg:generic/busybox@1.33.1"},
          {"type":"library","bom-ref":"bb-2","name":"busybox","version":"1.33.1","purl":"pkg:generic/busybox@1.33.1"},
          {"type":"library","bom-ref":"ossl","name":"openssl","version":"1.1.1k","cpe":"cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"}]}"#,
    )
    .unwrap();
    let s = sbom.to_str().unwrap();
    let ov = json(home.path(), &[s, "--format", "openvex"]);
    let statements = ov["statements"].as_array().unwrap();
    let mut keys: Vec<String> = statements.iter().map(Value::to_string).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "duplicate statements");
    let products: Vec<&str> = statements
        .iter()
        .flat_map(|s| s["products"].as_array().unwrap())
        .map(|p| p["@id"].as_str().unwrap())
        .collect();
    assert!(
        products.iter().any(|p| p.starts_with("urn:riskmark:sbom:")),
        "{products:?}"
    );
    assert!(
        products
            .iter()
            .all(|p| p.starts_with("pkg:") || p.starts_with("urn:")),
        "{products:?}"
    );
    // The CycloneDX VEX of it: refs resolve to components listed in the document.
    let cdx = json(home.path(), &[s, "--format", "cyclonedx-vex"]);
    let refs: Vec<&str> = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    for v in cdx["vulnerabilities"].as_array().unwrap() {
        for a in v["affects"].as_array().unwrap() {
            assert!(refs.contains(&a["ref"].as_str().unwrap()), "{a}");
        }
    }
    if let Some(py) = python() {
        let a = dir.path().join("a.openvex.json");
        std::fs::write(&a, ov.to_string()).unwrap();
        validate(&py, "openvex", &[a]).unwrap();
        let b = dir.path().join("b.cdx.json");
        std::fs::write(&b, cdx.to_string()).unwrap();
        validate(&py, "cyclonedx", &[b]).unwrap();
    }
}

#[test]
fn no_finding_means_no_openvex_document() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("clean.cdx.json");
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
          {"type":"library","name":"zlib-unknown","version":"9.9","purl":"pkg:generic/zlib-unknown@9.9"}]}"#,
    )
    .unwrap();
    let (code, out, err) = vulns(
        home.path(),
        &[sbom.to_str().unwrap(), "--format", "openvex"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("no OpenVEX document"), "{err}");
}

#[test]
fn vex_outputs_of_example_and_real_sboms_validate() {
    let Some(py) = python() else { return };
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for vex in ["", "openvex.json", "cdx-vex.json", "csaf-vex.json"] {
        let mut r = vec![SBOM.to_owned()];
        if !vex.is_empty() {
            r.extend([
                "--vex".into(),
                format!("examples/sbom/home-router-firmware.{vex}"),
            ]);
        }
        runs.push(r);
    }
    if let Some(db) = common::shared_osv_db(home.path()) {
        for s in common::REAL_SBOMS {
            runs.push(vec![
                common::shared_data()
                    .join("sboms")
                    .join(s)
                    .display()
                    .to_string(),
                "--db".into(),
                db.display().to_string(),
            ]);
        }
    }
    let (mut cdx, mut ov) = (Vec::new(), Vec::new());
    for (i, r) in runs.iter().enumerate() {
        for (format, list) in [("cyclonedx-vex", &mut cdx), ("openvex", &mut ov)] {
            let mut args: Vec<&str> = r.iter().map(String::as_str).collect();
            args.extend(["--format", format]);
            let (code, out, err) = vulns(home.path(), &args);
            assert_eq!(code, Some(0), "{args:?}: {err}");
            let f = dir.path().join(format!("{i}.{format}.json"));
            std::fs::write(&f, out).unwrap();
            list.push(f);
        }
    }
    if let Err(report) = validate(&py, "cyclonedx", &cdx) {
        panic!("CycloneDX VEX:\n{report}");
    }
    if let Err(report) = validate(&py, "openvex", &ov) {
        panic!("OpenVEX:\n{report}");
    }
}

/// The validators reject what riskmark once wrote (so their silence means something).
#[test]
fn the_validators_see_what_riskmark_once_wrote() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let cdx = dir.path().join("old.cdx.json");
    std::fs::write(
        &cdx,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"vulnerabilities":[{"id":"CVE-1",
        "analysis":{"state":"not_affected","justification":"vulnerable_code_not_in_execute_path"},
        "affects":[{"ref":"curl"}]}]}"#,
    )
    .unwrap();
    let report = validate(&py, "cyclonedx", &[cdx]).unwrap_err();
    assert!(
        report.contains("vulnerable_code_not_in_execute_path")
            && report.contains("resolves to nothing"),
        "{report}"
    );
    let ov = dir.path().join("old.openvex.json");
    std::fs::write(
        &ov,
        r#"{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://riskmark.dev/vex/x","author":"riskmark",
        "timestamp":"2026-01-01T00:00:00Z","version":1,"statements":[]}"#,
    )
    .unwrap();
    let report = validate(&py, "openvex", &[ov]).unwrap_err();
    assert!(report.contains("non-empty"), "{report}");
}
