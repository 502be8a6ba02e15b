//! CSAF 2.0 VEX from `disclose csaf` against the BSI/secvisogram csaf-validator-lib: the
//! strict schema, every mandatory test and the optional tests, on the example router
//! (with each kind of VEX) and on real SBOMs from ../shared scanned against the shared
//! OSV archives. No error; the only warning allowed is 6.2.3 (no score) for a
//! vulnerability riskmark has no CVSS vector for (it does not invent one).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{command_in, root};

const LIB: &str = "/opt/riskmark-ref/csaf/node_modules/@secvisogram/csaf-validator-lib";

fn lib() -> Option<PathBuf> {
    let p = PathBuf::from(LIB);
    if p.join("validateStrict.js").is_file() && common::have("node") {
        Some(p)
    } else {
        common::missing("csaf-validator-lib (run .ci/setup.d/csaf.sh)");
        None
    }
}

/// Every problem the validator reports that riskmark does not accept, per file.
fn problems(lib: &Path, files: &[PathBuf]) -> Vec<String> {
    let out = Command::new("node")
        .arg(root().join("scripts/validate_csaf.mjs"))
        .args(files)
        .env("CSAF_VALIDATOR_LIB", lib)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut problems = Vec::new();
    let mut seen = 0;
    for line in text.lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        seen += 1;
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(r["file"].as_str().unwrap()).unwrap())
                .unwrap();
        for e in r["errors"].as_array().unwrap() {
            problems.push(format!("{}: error {e}", r["file"]));
        }
        for w in r["warnings"].as_array().unwrap() {
            let w = w.as_str().unwrap();
            // 6.2.3 is accepted only where the vulnerability has no score at all.
            let unscored = w.starts_with("optionalTest_6_2_3: /vulnerabilities/")
                && w["optionalTest_6_2_3: /vulnerabilities/".len()..]
                    .split('/')
                    .next()
                    .and_then(|i| i.parse::<usize>().ok())
                    .is_some_and(|i| doc["vulnerabilities"][i].get("scores").is_none());
            if !unscored {
                problems.push(format!("{}: warning {w}", r["file"]));
            }
        }
    }
    assert_eq!(
        seen,
        files.len(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    problems
}

fn csaf(home: &Path, out: &Path, args: &[&str]) -> Option<PathBuf> {
    let o = command_in(home)
        .args([
            "disclose",
            "csaf",
            "examples/home-router.toml",
            "--as-of",
            "2026-11-24",
            "--out",
        ])
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n != "provider-metadata.json"))
}

#[test]
fn the_validator_sees_what_riskmark_once_wrote() {
    let Some(lib) = lib() else { return };
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = csaf(home.path(), dir.path(), &[]).unwrap();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    // An unquoted CPE and a vulnerability without any identifier.
    doc["product_tree"]["full_product_names"][0]["product_identification_helper"]["cpe"] =
        "cpe:2.3:a:golang:x/mod:v0.1.0+incompatible:*:*:*:*:*:*:*".into();
    let v = &mut doc["vulnerabilities"][0];
    v.as_object_mut().unwrap().remove("cve");
    v.as_object_mut().unwrap().remove("ids");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, doc.to_string()).unwrap();
    let p = problems(&lib, &[bad]).join("\n");
    assert!(p.contains("csaf_2_0_strict"), "{p}");
    assert!(
        p.contains("6_1_27_8") || p.contains("6.1.27.8") || p.contains("27_8"),
        "{p}"
    );
}

#[test]
fn csaf_of_the_examples_and_real_sboms_passes_every_test() {
    let Some(lib) = lib() else { return };
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, vex) in ["", "csaf-vex.json", "openvex.json", "cdx-vex.json"]
        .iter()
        .enumerate()
    {
        let out = dir.path().join(format!("router{i}"));
        let path = format!("examples/sbom/home-router-firmware.{vex}");
        let args: Vec<&str> = if vex.is_empty() {
            vec![]
        } else {
            vec!["--vex", &path]
        };
        files.extend(csaf(home.path(), &out, &args));
    }
    assert_eq!(files.len(), 4);
    if let Some(db) = common::shared_osv_db(home.path()) {
        let sboms = common::REAL_SBOMS;
        let mut made = 0;
        for (i, s) in sboms.iter().enumerate() {
            let s = common::shared_data().join("sboms").join(s);
            let out = dir.path().join(format!("shared{i}"));
            let s = s.display().to_string();
            let d = db.display().to_string();
            let o = command_in(home.path())
                .args([
                    "disclose",
                    "csaf",
                    "examples/home-router.toml",
                    "--as-of",
                    "2026-11-24",
                ])
                .args(["--sbom", &s, "--db", &d, "--out"])
                .arg(&out)
                .output()
                .unwrap();
            if o.status.code() == Some(2) {
                continue; // not an SBOM riskmark reads (the corpus has a few)
            }
            if let Some(f) = std::fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.file_name().is_some_and(|n| n != "provider-metadata.json"))
            {
                files.push(f);
                made += 1;
            }
        }
        assert_eq!(made, sboms.len(), "every one of these SBOMs has findings");
    }
    let p = problems(&lib, &files);
    assert!(
        p.is_empty(),
        "{} problems in {} files:\n{}",
        p.len(),
        files.len(),
        p.join("\n")
    );
}
