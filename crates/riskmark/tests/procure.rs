//! `riskmark procure` as a buyer runs it: three vendors side by side against a shipped
//! requirement set, the exit codes (1 when a mandatory requirement fails, 0 when none
//! does, even with evidence missing, 2 for a broken requirements file, located), the
//! JSON schema, and the HTML report in headless Chromium without console errors.

mod common;
use common::{chromium, have, riskmark};

const AS_OF: &str = "2026-12-05";
const SMALL: &str = "examples/requirements/small-enterprise.toml";

#[test]
fn three_vendors_side_by_side_and_the_exit_code_follows_mandatory_failures() {
    let (code, out, err) = riskmark(&[
        "procure",
        "examples/smart-plug.toml",
        "examples/security-camera.toml",
        "examples/smart-lock.toml",
        "--requirements",
        SMALL,
        "--as-of",
        AS_OF,
    ]);
    // The camera fails a mandatory requirement: the gate says no.
    assert_eq!(code, Some(1), "{err}");
    assert!(
        out.contains("[1]") && out.contains("[2]") && out.contains("[3]"),
        "{out}"
    );
    assert!(out.contains("DECISION"), "{out}");
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "wider than 80: {line}");
    }
    // The plug alone: nothing mandatory fails; what needs evidence is said, exit 0.
    let (code, out, err) = riskmark(&[
        "procure",
        "examples/smart-plug.toml",
        "--requirements",
        SMALL,
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(err.contains("need evidence"), "{err}");
}

#[test]
fn json_has_the_stable_schema_with_facts_per_requirement() {
    let (code, out, err) = riskmark(&[
        "procure",
        "examples/smart-plug.toml",
        "examples/baby-monitor.toml",
        "--requirements",
        SMALL,
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "riskmark/procure/v1");
    let profiles = v["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    // The baby monitor ships one password for every unit: a mandatory failure.
    let monitor = &profiles[1];
    assert_eq!(monitor["decision"], "reject");
    let pw = monitor["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "no-universal-password")
        .unwrap();
    assert_eq!(pw["status"], "fail");
    assert!(
        pw["facts"][0].as_str().unwrap().contains("universal"),
        "{pw}"
    );
    assert!(
        monitor["mandatory_failing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| id == "no-universal-password")
    );
}

#[test]
fn a_broken_requirements_file_is_located_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "schema = \"riskmark/requirements/v1\"\ntitle = \"t\"\n[[requirement]]\nid = \"x\"\n\
         title = \"y\"\nmandatory = true\nsource = \"s\"\nkind = \"support-period\"\n\
         years = \"three\"\n",
    )
    .unwrap();
    let (code, out, err) = riskmark(&[
        "procure",
        "examples/smart-plug.toml",
        "--requirements",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.is_empty());
    assert!(
        err.contains(&format!("{}:9:9", bad.display())) && err.contains("requirement[0].years"),
        "{err}"
    );
    let (code, _, err) = riskmark(&[
        "procure",
        "examples/no-such-profile.toml",
        "--requirements",
        SMALL,
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no-such-profile.toml"), "{err}");
}

#[test]
fn the_html_comparison_opens_in_chromium() {
    let (code, out, err) = riskmark(&[
        "procure",
        "examples/smart-plug.toml",
        "examples/security-camera.toml",
        "examples/smart-lock.toml",
        "--requirements",
        "examples/requirements/federal-800-213a.toml",
        "--as-of",
        AS_OF,
        "--format",
        "html",
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("<html lang=\"en\">") && out.contains("<caption"));
    assert!(!out.contains("<script") && !out.contains("src=\"http"));
    if !have("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::chromium_sees_console_errors(dir.path());
    let file = dir.path().join("procure.html");
    std::fs::write(&file, &out).unwrap();
    let (dom, console) = chromium(&file);
    assert_eq!(console, Vec::<String>::new());
    assert!(
        dom.contains("Acme Smart Plug") && dom.contains("Keystone"),
        "{dom}"
    );
}
