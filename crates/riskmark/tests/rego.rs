//! `--rules`: custom checks in Rego (examples/rules) on real profiles, their verdicts in
//! JSON and SARIF, user-catalog controls following them, and every malformed rules file
//! exiting 2 with the file, line and check code.

#![allow(clippy::print_stderr)]

use serde_json::Value;

mod common;

use common::riskmark;

const RULES: &str = "examples/rules";
const CATALOG: &str = "examples/catalogs/company-policy.json";

fn assess(profile: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["assess", profile, "--as-of", "2026-11-24", "--rules", RULES];
    args.extend_from_slice(extra);
    riskmark(&args)
}

fn assess_json(profile: &str) -> Value {
    let (code, out, err) = assess(profile, &["--catalog", CATALOG, "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap()
}

fn check<'a>(a: &'a Value, code: &str) -> &'a Value {
    a["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no verdict for {code}"))
}

fn control<'a>(a: &'a Value, id: &str) -> &'a Value {
    let fw = a["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "acme-company-policy")
        .expect("the user catalog is assessed");
    fw["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn custom_verdicts_pass_and_fail_and_controls_follow() {
    let monitor = assess_json("examples/baby-monitor.toml");
    let telnet = check(&monitor, "no-telnet");
    assert_eq!(telnet["status"], "fail");
    assert!(
        telnet["reasons"][0].as_str().unwrap().contains("23/tcp"),
        "{telnet}"
    );
    assert_eq!(telnet["facts"][0]["path"], "connectivity.services");
    assert_eq!(telnet["responsible"], serde_json::json!(["manufacturer"]));
    assert_eq!(control(&monitor, "SEC-3")["status"], "fail");
    assert_eq!(
        control(&monitor, "SEC-3")["checks"],
        serde_json::json!(["no-telnet"])
    );
    assert_eq!(
        check(&monitor, "support-five-years")["status"],
        "needs-evidence"
    );
    assert_eq!(control(&monitor, "UPD-1")["status"], "needs-evidence");

    let plug = assess_json("examples/smart-plug.toml");
    assert_eq!(check(&plug, "no-telnet")["status"], "pass");
    assert_eq!(check(&plug, "support-five-years")["status"], "pass");
    assert_eq!(control(&plug, "SEC-3")["status"], "pass");
    assert_eq!(control(&plug, "UPD-1")["status"], "pass");

    let router = assess_json("examples/home-router.toml");
    assert_eq!(check(&router, "support-five-years")["status"], "fail");
    assert_eq!(control(&router, "UPD-1")["status"], "fail");
    assert_eq!(check(&router, "no-telnet")["status"], "pass");

    // The built-in verdicts are all still there, before the custom ones.
    let codes: Vec<&str> = plug["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2 + riskmark_builtin_count());
    assert_eq!(
        &codes[codes.len() - 2..],
        ["no-telnet", "support-five-years"]
    );
}

fn riskmark_builtin_count() -> usize {
    let (code, out, err) = riskmark(&["checks", "list", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn fail_on_follows_the_custom_control() {
    let args = [
        "--catalog",
        CATALOG,
        "--framework",
        "acme-company-policy",
        "--fail-on",
        "fail",
    ];
    assert_eq!(assess("examples/baby-monitor.toml", &args).0, Some(1));
    assert_eq!(assess("examples/smart-plug.toml", &args).0, Some(0));
}

#[test]
fn sarif_reports_the_failing_custom_check_at_the_profile_line() {
    let (code, out, err) = assess(
        "examples/baby-monitor.toml",
        &["--catalog", CATALOG, "--format", "sarif"],
    );
    assert_eq!(code, Some(0), "{err}");
    let log: Value = serde_json::from_str(&out).unwrap();
    let run = &log["runs"][0];
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "no-telnet")
        .expect("a SARIF result for no-telnet");
    assert_eq!(result["level"], "error");
    let text = result["message"]["text"].as_str().unwrap();
    assert!(text.contains("acme-company-policy SEC-3"), "{text}");
    // `connectivity.services` starts at line 30 of the baby monitor's profile.
    let line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        .as_u64()
        .unwrap();
    assert_eq!(line, 30);
    assert!(
        run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "no-telnet")
    );
}

#[test]
fn every_renderer_shows_the_custom_verdict() {
    for format in ["text", "markdown", "html", "oscal"] {
        let (code, out, err) = assess(
            "examples/baby-monitor.toml",
            &["--catalog", CATALOG, "--format", format],
        );
        assert_eq!(code, Some(0), "{format}: {err}");
        assert!(
            out.contains("no-telnet"),
            "{format} does not show the custom check"
        );
    }
}

#[test]
fn checks_list_shows_custom_checks() {
    let (code, out, err) = riskmark(&["checks", "list", "--rules", RULES]);
    assert_eq!(code, Some(0), "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("no-telnet"))
        .expect(&out);
    assert!(
        line.contains("network") && line.contains("No telnet service"),
        "{line}"
    );
    assert!(line.contains("no-telnet.rego"), "{line}");
    let (code, out, _) = riskmark(&["checks", "list", "--rules", RULES, "--format", "json"]);
    assert_eq!(code, Some(0));
    let all: Value = serde_json::from_str(&out).unwrap();
    let c = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "support-five-years")
        .unwrap();
    assert_eq!(c["area"], "updates");
    assert_eq!(c["responsible"], serde_json::json!(["manufacturer"]));
}

#[test]
fn without_rules_a_catalog_naming_a_custom_code_is_refused() {
    let (code, _, err) = riskmark(&["assess", "examples/smart-plug.toml", "--catalog", CATALOG]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("company-policy.json") && err.contains("unknown check `no-telnet`"),
        "{err}"
    );
}

/// Runs `assess --rules FILE` on a rules file with `text`; returns stderr after checking exit 2.
fn bad(name: &str, text: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let file = file.display().to_string();
    let (code, out, err) = riskmark(&["assess", "examples/smart-plug.toml", "--rules", &file]);
    assert_eq!(code, Some(2), "{name}: stdout {out}\nstderr {err}");
    assert!(out.is_empty(), "{out}");
    assert!(!err.contains("panicked"), "{err}");
    (file, err)
}

#[test]
fn syntax_error_exits_2_with_file_and_line() {
    let (file, err) = bad(
        "broken.rego",
        "package riskmark.checks.broken\n\nverdict := {\"status\": \"pass\",\n\"reason\" \"x\"}\n",
    );
    assert!(
        err.contains(&format!("{file}:4: check `broken`: expecting `:`")),
        "{err}"
    );
}

#[test]
fn missing_verdict_exits_2_with_file_line_and_code() {
    let (file, err) = bad(
        "none.rego",
        "package riskmark.checks.nothing\n\nallow := true\n",
    );
    assert!(err.contains(&format!("{file}:1: check `nothing`")), "{err}");
    assert!(err.contains("no `verdict`"), "{err}");
}

#[test]
fn wrong_shape_exits_2_with_file_line_and_code() {
    let (file, err) = bad(
        "shape.rego",
        "package riskmark.checks.shape\n\nverdict := [\"pass\"]\n",
    );
    assert!(err.contains(&format!("{file}:3: check `shape`")), "{err}");
    let (file, err) = bad(
        "reason.rego",
        "package riskmark.checks.shape\n\n\nverdict := {\"status\": \"pass\"}\n",
    );
    assert!(
        err.contains(&format!("{file}:4: check `shape`")) && err.contains("reason"),
        "{err}"
    );
}

#[test]
fn unknown_status_exits_2_with_file_line_and_code() {
    let (file, err) = bad(
        "status.rego",
        "package riskmark.checks.status\n\nverdict := {\"status\": \"green\", \"reason\": \"x\"}\n",
    );
    assert!(err.contains(&format!("{file}:3: check `status`")), "{err}");
    assert!(err.contains("unknown status `green`"), "{err}");
}

#[test]
fn evaluation_error_exits_2_with_file_line_and_code() {
    let (file, err) = bad(
        "divide.rego",
        "package riskmark.checks.divide\n\nverdict := {\"status\": \"pass\", \"reason\": sprintf(\"%v\", [1 / 0])}\n",
    );
    assert!(err.contains(&format!("{file}:3: check `divide`")), "{err}");
}

#[test]
fn runaway_rule_exits_2_at_the_time_limit() {
    let started = std::time::Instant::now();
    let (file, err) = bad(
        "forever.rego",
        "package riskmark.checks.forever\n\nn := count([x | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000); x := a * b])\nverdict := {\"status\": \"pass\", \"reason\": sprintf(\"%v\", [n])}\n",
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    assert!(
        err.contains(&file) && err.contains("check `forever`") && err.contains("time limit"),
        "{err}"
    );
}

#[test]
fn builtin_code_collision_exits_2_naming_file_and_code() {
    let (file, err) = bad(
        "signed.rego",
        "package riskmark.checks[\"update-signed\"]\n\nverdict := {\"status\": \"pass\", \"reason\": \"x\"}\n",
    );
    assert!(
        err.contains(&format!("{file}:1: check `update-signed`")) && err.contains("built-in"),
        "{err}"
    );
}

/// The example catalog and the OSCAL assessment results with custom checks validate with
/// compliance-trestle's OSCAL models (installed by `.ci/setup.d/trestle.sh`; required in CI).
#[test]
fn example_catalog_and_oscal_results_validate_with_trestle() {
    let python = std::path::Path::new("/opt/trestle/bin/python");
    if !python.exists() {
        common::missing("compliance-trestle for OSCAL validation (run .ci/setup.d/trestle.sh)");
        return;
    }
    let (code, out, err) = assess(
        "examples/baby-monitor.toml",
        &["--catalog", CATALOG, "--format", "oscal"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("no-telnet"));
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("assessment-results.json");
    std::fs::write(&results, out).unwrap();
    let out = std::process::Command::new(python)
        .arg(common::root().join("scripts/validate_oscal.py"))
        .arg(common::root().join(CATALOG))
        .arg(&results)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "trestle rejected:\n{report}");
    assert_eq!(report.matches(": valid ").count(), 2, "{report}");
}
