//! The command line as a user runs it: exit codes, outputs, the README's commands.

use std::path::PathBuf;

mod common;
use common::{command as riskmark, root};

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        })
        .collect();
    v.sort();
    v
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = riskmark().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn validate_accepts_every_example() {
    let ex = examples();
    assert!(
        ex.len() >= 13,
        "expected the example profiles, found {}",
        ex.len()
    );
    let out = riskmark().arg("validate").args(&ex).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok: ")).count(),
        ex.len()
    );
}

#[test]
fn validate_reports_every_bad_file_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = root().join("examples/smart-plug.toml");
    let text = std::fs::read_to_string(&good).unwrap();
    let typo = dir.path().join("typo.toml");
    std::fs::write(&typo, text.replace("units_in_market", "unit_in_market")).unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let garbage = dir.path().join("garbage.toml");
    std::fs::write(&garbage, [0xff, 0xfe, 0x00, 0x41, 0x9c]).unwrap();
    let out = riskmark()
        .arg("validate")
        .arg(&good)
        .arg(&typo)
        .arg(&empty)
        .arg(&garbage)
        .arg(dir.path().join("missing.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("typo.toml:") && stderr.contains("field `product.unit_in_market`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `units_in_market`"),
        "{stderr}"
    );
    assert!(stderr.contains("empty.toml: file is empty"), "{stderr}");
    assert!(stderr.contains("garbage.toml:1:1: not UTF-8"), "{stderr}");
    assert!(stderr.contains("missing.toml: cannot read"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn validate_json_lists_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"schema\": \"riskmark/device-profile/v1\", \"product\": 3}",
    )
    .unwrap();
    let out = riskmark()
        .args(["validate", "--format", "json"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let fields: Vec<&str> = diags.iter().filter_map(|d| d["field"].as_str()).collect();
    assert_eq!(fields, ["product", "use", "connectivity"], "{v:#}");
    assert!(diags[0]["line"].as_u64().unwrap() >= 1);
}

#[test]
fn classify_json_contract_holds_for_every_example() {
    const TIERS: [&str; 4] = ["low", "medium", "high", "critical"];
    const CLASSES: [&str; 5] = [
        "default",
        "important-i",
        "important-ii",
        "critical",
        "out-of-scope",
    ];
    for ex in examples() {
        let ex = ex.to_str().unwrap();
        let v = json_of(&["classify", ex, "--format", "json", "--as-of", "2026-11-24"]);
        assert!(TIERS.contains(&v["tier"].as_str().unwrap()), "{ex}");
        assert!(CLASSES.contains(&v["cra_class"].as_str().unwrap()), "{ex}");
        let score = v["score"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&score), "{ex}");
        assert!(!v["cra_reason"].as_str().unwrap().is_empty());
        assert!(v["assurance"].is_object());
        let factors = v["factors"].as_array().unwrap();
        let sum: f64 = factors
            .iter()
            .map(|f| f["contribution"].as_f64().unwrap())
            .sum();
        assert_eq!(sum, score, "{ex}: contributions must explain the score");
        for f in factors {
            for key in ["name", "value", "contribution", "reason"] {
                assert!(f.get(key).is_some(), "{ex}: factor lacks {key}");
            }
        }
    }
}

#[test]
fn classify_gives_the_classes_the_regulation_gives() {
    let cases = [
        ("smart-plug.toml", "default"),
        ("smart-thermostat.toml", "default"),
        ("smart-bulb.toml", "default"),
        ("smart-lock.toml", "important-i"),
        ("security-camera.toml", "important-i"),
        ("baby-monitor.toml", "important-i"),
        ("home-router.toml", "important-i"),
        ("health-wearable.toml", "important-i"),
        ("connected-toy.toml", "important-i"),
        ("firewall-appliance.toml", "important-ii"),
        ("smart-meter-gateway.toml", "critical"),
        ("infusion-pump.toml", "out-of-scope"),
        ("vehicle-ecu.toml", "out-of-scope"),
        ("vehicle-telematics.toml", "out-of-scope"),
        ("industrial-controller.toml", "default"),
    ];
    for (file, class) in cases {
        let path = format!("examples/{file}");
        let v = json_of(&[
            "classify",
            &path,
            "--format",
            "json",
            "--as-of",
            "2026-11-24",
        ]);
        assert_eq!(v["cra_class"], class, "{file}: {}", v["cra_reason"]);
    }
}

#[test]
fn smart_plug_sits_well_below_a_car() {
    let plug = json_of(&[
        "classify",
        "examples/smart-plug.toml",
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
    ]);
    let car = json_of(&[
        "classify",
        "examples/vehicle-ecu.toml",
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
    ]);
    assert_eq!(plug["tier"], "low");
    assert_eq!(car["tier"], "critical");
    assert!(car["score"].as_u64().unwrap() >= plug["score"].as_u64().unwrap() + 30);
}

#[test]
fn classify_text_explains_itself() {
    let out = riskmark()
        .args([
            "classify",
            "examples/baby-monitor.toml",
            "--as-of",
            "2026-11-24",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "Risk tier",
        "EU CRA class important-i",
        "Annex III, class I, point 17",
        "default_password",
        "universal",
        "POINTS",
    ] {
        assert!(s.contains(needle), "missing {needle:?} in\n{s}");
    }
    assert!(
        s.lines().all(|l| l.chars().count() <= 100),
        "lines too long:\n{s}"
    );
}

#[test]
fn classify_input_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad_policy = dir.path().join("policy.toml");
    std::fs::write(
        &bad_policy,
        riskmark_risk::DEFAULT_POLICY.replace("upnp = 5", "upnp = \"five\""),
    )
    .unwrap();
    let out = riskmark()
        .args(["classify", "examples/smart-plug.toml", "--policy"])
        .arg(&bad_policy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("policy.toml:") && stderr.contains("field `exposure.upnp`"),
        "{stderr}"
    );

    let out = riskmark()
        .args([
            "classify",
            "examples/smart-plug.toml",
            "--as-of",
            "2026-02-30",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as-of"));

    let out = riskmark()
        .args(["classify", "examples/smart-plug.toml", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = riskmark().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_user_policy_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("strict.toml");
    let shown = riskmark().args(["policy", "show"]).output().unwrap();
    let text = String::from_utf8(shown.stdout).unwrap();
    std::fs::write(&policy, text.replace("medium = 25", "medium = 5")).unwrap();
    let v = json_of(&[
        "classify",
        "examples/smart-plug.toml",
        "--format",
        "json",
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(v["tier"], "medium");
    let out = riskmark()
        .args(["policy", "check"])
        .arg(&policy)
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn schema_command_matches_the_shipped_schema() {
    let out = riskmark().arg("schema").output().unwrap();
    assert!(out.status.success());
    let shipped =
        std::fs::read_to_string(root().join("schema/device-profile.v1.schema.json")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        shipped,
        "regenerate with: cargo run -q -p riskmark -- schema > schema/device-profile.v1.schema.json"
    );
}

#[test]
fn completions_man_and_help_work() {
    let out = riskmark().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("riskmark"));
    let out = riskmark().arg("man").output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains(".TH riskmark"));
    let out = riskmark().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for cmd in [
        "validate",
        "classify",
        "schema",
        "policy",
        "categories",
        "completions",
    ] {
        assert!(help.contains(cmd), "{help}");
    }
    let out = riskmark()
        .args(["categories", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 41);
}

/// The README's commands, as written.
#[test]
fn readme_commands_are_the_ones_tested() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains(
        "cargo install --locked --path crates/riskmark && riskmark classify examples/smart-plug.toml"
    ));
    assert!(readme.contains("\ncargo test --workspace\n"));
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(ci.contains("\ncargo test --workspace\n"));
    // The main job of the first command, with the binary cargo built.
    let out = riskmark()
        .args(["classify", "examples/smart-plug.toml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Risk tier    LOW"));
}
