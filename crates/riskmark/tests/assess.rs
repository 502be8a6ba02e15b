//! `riskmark assess`: the JSON contract, verdicts tied to the standards' rules, every
//! output format (OSCAL validated with compliance-trestle), user catalogs, exit codes.

#![allow(clippy::print_stderr)]

use std::path::Path;

use serde_json::Value;

mod common;
use common::{command as riskmark, root};

fn assess(profile: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = riskmark()
        .args(["assess", profile, "--as-of", "2026-11-24"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn assess_json(profile: &str) -> Value {
    let (code, out, err) = assess(profile, &["--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap()
}

fn control<'a>(v: &'a Value, fw: &str, id: &str) -> &'a Value {
    let f = v["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == fw)
        .unwrap_or_else(|| panic!("no {fw}"));
    f["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {fw} {id}"))
}

fn examples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("examples/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    v.sort();
    v
}

#[test]
fn json_contract_for_every_example() {
    let mut digest = String::new();
    for ex in examples() {
        let v = assess_json(&ex);
        assert!(
            v["risk"]["tier"].is_string() && v["risk"]["factors"].is_array(),
            "{ex}"
        );
        let fws = v["frameworks"].as_array().unwrap();
        assert!(fws.len() >= 10, "{ex}");
        digest.push_str(&format!("{ex}\n"));
        for f in fws {
            for key in ["id", "title", "applies", "summary", "controls"] {
                assert!(f.get(key).is_some(), "{ex}: framework lacks {key}");
            }
            let mut statuses = String::new();
            for c in f["controls"].as_array().unwrap() {
                for key in [
                    "id",
                    "title",
                    "status",
                    "responsible",
                    "checks",
                    "reasons",
                    "evidence",
                ] {
                    assert!(c.get(key).is_some(), "{ex}: control lacks {key}");
                }
                assert!(
                    ["pass", "fail", "needs-evidence", "not-applicable"]
                        .contains(&c["status"].as_str().unwrap())
                );
                assert!(
                    ["declared", "verified", "none"].contains(&c["evidence"].as_str().unwrap())
                );
                assert!(
                    !c["responsible"].as_array().unwrap().is_empty(),
                    "{ex}: {} names nobody",
                    c["id"]
                );
                statuses.push(match c["status"].as_str().unwrap() {
                    "pass" => 'P',
                    "fail" => 'F',
                    "needs-evidence" => '?',
                    _ => '-',
                });
            }
            digest.push_str(&format!(
                "  {:<20} applies={:<5} {}\n",
                f["id"].as_str().unwrap(),
                f["applies"],
                statuses
            ));
        }
    }
    insta::assert_snapshot!("assess-digest", digest);
}

#[test]
fn verdicts_follow_the_standards_rules() {
    // A universal default password fails EN 303 645 5.1-1 and PSTI's password requirement.
    let baby = assess_json("examples/baby-monitor.toml");
    assert_eq!(
        control(&baby, "etsi-en-303-645-v2", "5.1-1")["status"],
        "fail"
    );
    let psti = baby["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "uk-psti")
        .unwrap();
    assert_eq!(psti["applies"], true);
    assert_eq!(psti["controls"][0]["status"], "fail");
    // No published disclosure policy never passes 5.2-1.
    assert_ne!(
        control(&baby, "etsi-en-303-645-v2", "5.2-1")["status"],
        "pass"
    );
    // A declared support end date passes 5.3-13.
    let plug = assess_json("examples/smart-plug.toml");
    assert_eq!(
        control(&plug, "etsi-en-303-645-v2", "5.3-13")["status"],
        "pass"
    );
    // The smart plug backs `updates.signed` with a test report: that verdict is verified,
    // and the CRA control deciding signed updates carries the evidence basis.
    let signed = plug["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "update-signed")
        .unwrap();
    assert_eq!(signed["evidence"], "verified");
    let cra = control(&plug, "eu-cra", control_id_for_signed(&plug));
    assert!(["verified", "declared"].contains(&cra["evidence"].as_str().unwrap()));
}

fn control_id_for_signed(v: &Value) -> &str {
    let f = v["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "eu-cra")
        .unwrap();
    f["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == "update-signed")
        })
        .and_then(|c| c["id"].as_str())
        .unwrap()
}

#[test]
fn a_device_without_passwords_makes_5_1_1_not_applicable() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/smart-plug.toml")).unwrap();
    let text = text.replace(
        "default_password = \"unique-per-device\"",
        "default_password = \"none\"",
    );
    assert!(
        text.contains("default_password = \"none\""),
        "fixture changed"
    );
    let p = dir.path().join("nopw.toml");
    std::fs::write(&p, text).unwrap();
    let out = riskmark()
        .args(["assess"])
        .arg(&p)
        .args(["--format", "json", "--as-of", "2026-11-24"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        control(&v, "etsi-en-303-645-v2", "5.1-1")["status"],
        "not-applicable"
    );
}

#[test]
fn fail_on_gives_exit_1() {
    let (code, _, _) = assess("examples/baby-monitor.toml", &["--fail-on", "fail"]);
    assert_eq!(code, Some(1));
    let (code, _, _) = assess("examples/baby-monitor.toml", &[]);
    assert_eq!(code, Some(0));
    let (code, _, _) = assess(
        "examples/smart-lock.toml",
        &["--framework", "uk-psti", "--fail-on", "fail"],
    );
    assert_eq!(code, Some(0));
}

#[test]
fn sarif_points_at_profile_lines() {
    let (code, out, _) = assess("examples/baby-monitor.toml", &["--format", "sarif"]);
    assert_eq!(code, Some(0));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let dp = results
        .iter()
        .find(|r| r["ruleId"] == "default-password-universal")
        .unwrap();
    assert_eq!(dp["level"], "error");
    let line = dp["locations"][0]["physicalLocation"]["region"]["startLine"]
        .as_u64()
        .unwrap() as usize;
    let text = std::fs::read_to_string(root().join("examples/baby-monitor.toml")).unwrap();
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap()
            .contains("default_password"),
        "line {line}"
    );
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), results.len());
}

#[test]
fn markdown_and_html_render() {
    let (_, md, _) = assess("examples/smart-lock.toml", &["--format", "markdown"]);
    assert!(md.starts_with("# Security assessment:") && md.contains("| Control | Title | Status"));
    let (_, html, _) = assess("examples/smart-lock.toml", &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en\">"));
    assert!(!html.contains("<script") && !html.contains("http://") && html.contains("<svg"));
    assert!(html.contains("Shared responsibility") && html.contains("software-developer"));
}

/// The HTML report opens in a real browser without console errors (headless Chromium,
/// installed by `.ci/setup.d/label.sh`; required in CI).
#[test]
fn html_report_renders_in_chromium_without_console_errors() {
    let (code, html, err) = assess("examples/home-router.toml", &["--format", "html"]);
    assert_eq!(code, Some(0), "{err}");
    if !common::have("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::chromium_sees_console_errors(dir.path());
    let file = dir.path().join("report.html");
    std::fs::write(&file, &html).unwrap();
    let (dom, console) = common::chromium(&file);
    assert_eq!(console, Vec::<String>::new());
    assert!(dom.contains("Skyfield AX3000 Home Router") && dom.contains("Known vulnerabilities"));
    assert!(dom.contains("<svg"), "the framework bars are inline SVG");
}

/// OSCAL assessment results validate with compliance-trestle's OSCAL models
/// (installed by `.ci/setup.d/trestle.sh`; required in CI).
#[test]
fn oscal_validates_with_trestle() {
    let python = Path::new("/opt/trestle/bin/python");
    if !python.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "compliance-trestle missing: run .ci/setup.d/trestle.sh"
        );
        eprintln!(
            "note: compliance-trestle not installed; OSCAL validation skipped (run .ci/setup.d/trestle.sh)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for ex in [
        "examples/baby-monitor.toml",
        "examples/smart-plug.toml",
        "examples/industrial-controller.toml",
    ] {
        let (code, out, err) = assess(ex, &["--format", "oscal"]);
        assert_eq!(code, Some(0), "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert!(
            v["assessment-results"]["results"]
                .as_array()
                .is_some_and(|r| !r.is_empty())
        );
        let f = dir.path().join(format!("{}.json", files.len()));
        std::fs::write(&f, out).unwrap();
        files.push(f);
    }
    for cat in std::fs::read_dir(root().join("crates/frameworks/catalogs")).unwrap() {
        let p = cat.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            files.push(p);
        }
    }
    let out = std::process::Command::new(python)
        .arg(root().join("scripts/validate_oscal.py"))
        .args(&files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "trestle rejected:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.contains(": valid ")).count(),
        files.len(),
        "{report}"
    );
}

#[test]
fn user_catalogs_and_bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("acme.json");
    std::fs::write(&good, r#"{"catalog": {"uuid": "3f1e5a8c-1d2b-4c3d-8e9f-0a1b2c3d4e5f",
      "metadata": {"title": "Acme baseline", "version": "1", "oscal-version": "1.1.2", "last-modified": "2026-11-24T00:00:00Z",
        "props": [{"name": "framework-id", "value": "acme-baseline"}, {"name": "markets", "value": "US,EU"}]},
      "controls": [{"id": "acme-1", "title": "No shared passwords", "props": [
        {"name": "label", "value": "A-1"}, {"name": "check", "value": "default-password-universal"},
        {"name": "responsible", "value": "manufacturer"}]}]}}"#).unwrap();
    let out = riskmark()
        .args([
            "assess",
            "examples/baby-monitor.toml",
            "--format",
            "json",
            "--framework",
            "acme-baseline",
            "--catalog",
        ])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["frameworks"].as_array().unwrap().len(), 1);
    assert_eq!(v["frameworks"][0]["controls"][0]["status"], "fail");

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"catalog\": {\"uuid\": \"x\", \"metadata\": {}}}").unwrap();
    let out = riskmark()
        .args(["assess", "examples/smart-plug.toml", "--catalog"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json:1:"));

    let (code, _, err) = assess("examples/smart-plug.toml", &["--framework", "uk-pst"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `uk-psti`"), "{err}");
}

#[test]
fn sbom_vulnerabilities_feed_risk_and_checks() {
    // The home router's profile names its SBOM (`disclosure.sbom`); the embedded curated
    // set finds real firmware vulnerabilities in it.
    let with = assess_json("examples/home-router.toml");
    let vulns = &with["vulnerabilities"]["findings"];
    assert!(
        vulns
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "CVE-2022-0847" && f["kev"] == true)
    );
    let factor = with["risk"]["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "known_vulnerabilities")
        .unwrap();
    assert!(factor["contribution"].as_i64().unwrap() >= 10, "{factor}");
    let check = |v: &Value, code: &str| -> String {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(check(&with, "known-exploited-vulnerabilities"), "fail");
    assert_eq!(check(&with, "sbom-available"), "pass");
    let (_, html, _) = assess("examples/home-router.toml", &["--format", "html"]);
    assert!(
        html.contains("<h2 id=\"vulnerabilities\">Known vulnerabilities</h2>")
            && html.contains("CVE-2022-0847")
    );
    let (_, md, _) = assess("examples/home-router.toml", &["--format", "markdown"]);
    assert!(
        md.contains("## Known vulnerabilities")
            && md.contains("| CVE-2023-38545 | curl@7.74.0 | critical |")
    );

    // Without the SBOM the vulnerability checks need evidence and the score is not higher.
    let out = riskmark()
        .args([
            "classify",
            "examples/home-router.toml",
            "--format",
            "json",
            "--as-of",
            "2026-11-24",
        ])
        .output()
        .unwrap();
    let without: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(with["risk"]["score"].as_u64() >= without["score"].as_u64());

    // VEX saying the kernel is not affected removes the KEV finding and its points.
    let dir = tempfile::tempdir().unwrap();
    let vex = dir.path().join("kernel.openvex.json");
    std::fs::write(&vex, r#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://skyfield.example/vex/1", "author": "Skyfield PSIRT", "timestamp": "2026-10-03T00:00:00Z", "version": 1,
      "statements": [{"vulnerability": {"name": "CVE-2022-0847"}, "products": [{"@id": "pkg:generic/linux@5.10.92"}], "status": "not_affected", "justification": "vulnerable_code_not_present"}]}"#).unwrap();
    let out = riskmark()
        .args([
            "assess",
            "examples/home-router.toml",
            "--format",
            "json",
            "--as-of",
            "2026-11-24",
            "--vex",
        ])
        .arg(&vex)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vexed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(check(&vexed, "known-exploited-vulnerabilities"), "pass");
    assert!(vexed["risk"]["score"].as_u64() < with["risk"]["score"].as_u64());
}

/// The HTML report has a table of contents with an anchor per applicable framework, every
/// in-page link resolves, ids do not wrap mid-token, and factor values read as words.
#[test]
fn html_report_has_contents_anchors_and_words() {
    for ex in ["examples/home-router.toml", "examples/baby-monitor.toml"] {
        let (code, html, err) = assess(ex, &["--format", "html"]);
        assert_eq!(code, Some(0), "{err}");
        let json = assess_json(ex);
        let mut ids = std::collections::BTreeSet::new();
        for part in html.split(" id=\"").skip(1) {
            ids.insert(part.split('"').next().unwrap().to_owned());
        }
        let hrefs: Vec<&str> = html
            .split("href=\"#")
            .skip(1)
            .map(|p| p.split('"').next().unwrap())
            .collect();
        assert!(hrefs.len() >= 5, "{ex}: a table of contents");
        for h in &hrefs {
            assert!(ids.contains(*h), "{ex}: #{h} resolves to nothing");
        }
        for f in json["frameworks"].as_array().unwrap() {
            if f["applies"] == true {
                let id = format!("fw-{}", f["id"].as_str().unwrap());
                assert!(
                    ids.contains(&id) && hrefs.contains(&id.as_str()),
                    "{ex}: {id}"
                );
            }
        }
        assert!(html.contains("white-space:nowrap") && html.contains("<td class=\"id\">"));
        assert!(!html.contains("[\""), "{ex}: JSON arrays in the report");
        assert!(!html.contains("{\""), "{ex}: JSON objects in the report");
    }
}
