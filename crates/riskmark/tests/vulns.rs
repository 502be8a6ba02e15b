//! `riskmark db` and `riskmark vulns` as a user runs them: the embedded curated set on a
//! fresh install, an imported OSV database, exit codes, malformed inputs.

use std::path::Path;

mod common;
use common::{command_in as riskmark, root};

const FIRMWARE: &str = "examples/sbom/home-router-firmware.cdx.json";

#[test]
fn fresh_install_finds_real_firmware_vulnerabilities_offline() {
    let home = tempfile::tempdir().unwrap();
    let out = riskmark(home.path())
        .args(["vulns", FIRMWARE, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    for f in findings {
        for key in [
            "purl",
            "component",
            "version",
            "id",
            "aliases",
            "summary",
            "severity",
            "cvss",
            "kev",
            "epss",
            "fixed",
            "status",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
    }
    let find = |id: &str| {
        findings
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id} not found"))
    };
    let dirty_pipe = find("CVE-2022-0847");
    assert_eq!(dirty_pipe["component"], "linux");
    assert_eq!(dirty_pipe["kev"], true);
    assert_eq!(find("CVE-2023-38545")["severity"], "critical");
    assert_eq!(find("CVE-2020-25681")["fixed"][0], "2.83");
    // Not affected: OpenSSL 1.1.1k is outside Heartbleed's 1.0.1-1.0.1f; dropbear 2022.83 is recent.
    assert!(findings.iter().all(|f| f["id"] != "CVE-2014-0160"));
    assert!(findings.iter().all(|f| f["component"] != "dropbear"));
    assert!(v["db"]["sources"].as_array().is_some());

    let table = riskmark(home.path())
        .args(["vulns", FIRMWARE])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("CVE-2022-0847") && text.contains("embedded curated set"),
        "{text}"
    );
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "table wider than 80 columns:\n{text}"
    );
}

#[test]
fn fail_on_thresholds() {
    let home = tempfile::tempdir().unwrap();
    let code = |level: &str| {
        riskmark(home.path())
            .args(["vulns", FIRMWARE, "--fail-on", level])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code("kev"), Some(1));
    assert_eq!(code("critical"), Some(1));
    let sbom = home.path().join("clean.cdx.json");
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"dropbear","version":"2022.83","purl":"pkg:generic/dropbear@2022.83"}]}"#,
    )
    .unwrap();
    let out = riskmark(home.path())
        .arg("vulns")
        .arg(&sbom)
        .args(["--fail-on", "low"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn imported_osv_database_answers_and_survives_a_bad_import() {
    let home = tempfile::tempdir().unwrap();
    let fixtures = root().join("crates/vulndb/tests/fixtures/osv/crates.io");
    let out = riskmark(home.path())
        .args(["db", "import"])
        .arg(&fixtures)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported"));

    let sbom = home.path().join("app.cdx.json");
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"tokio","version":"1.13.0","purl":"pkg:cargo/tokio@1.13.0"}]}"#,
    )
    .unwrap();
    let scan = |home: &Path| -> serde_json::Value {
        let out = riskmark(home)
            .arg("vulns")
            .arg(&sbom)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = scan(home.path());
    let f = &v["findings"][0];
    assert_eq!(f["id"], "CVE-2021-45710");
    assert!(
        f["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "RUSTSEC-2021-0124")
    );
    assert_eq!(f["fixed"][0], "1.13.1");

    let bad = home.path().join("bad.json");
    std::fs::write(&bad, r#"{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "crates.io", "name": "x"}, "ranges": [{"type": "SEMVER", "events": 3}]}]}"#).unwrap();
    let out = riskmark(home.path())
        .args(["db", "import"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.json") && err.contains("unchanged"),
        "{err}"
    );
    assert_eq!(
        scan(home.path())["findings"][0]["id"],
        "CVE-2021-45710",
        "database must be intact"
    );

    let stats = riskmark(home.path())
        .args(["db", "stats", "--format", "json"])
        .output()
        .unwrap();
    let st: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert!(st["stats"]["advisories"].as_u64().unwrap() >= 3);
}

#[test]
fn malformed_sbom_and_missing_db_exit_2() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.cdx.json");
    std::fs::write(
        &bad,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components": 7}"#,
    )
    .unwrap();
    let out = riskmark(home.path())
        .arg("vulns")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.cdx.json"));
    let out = riskmark(home.path())
        .args(["vulns", FIRMWARE, "--db"])
        .arg(home.path().join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("db import"));
}

#[test]
fn vex_in_three_formats_suppresses_with_justification() {
    let home = tempfile::tempdir().unwrap();
    for vex in ["openvex", "cdx-vex", "csaf-vex"] {
        let file = format!("examples/sbom/home-router-firmware.{vex}.json");
        let out = riskmark(home.path())
            .args(["vulns", FIRMWARE, "--vex", &file, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{vex}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let findings = v["findings"].as_array().unwrap();
        assert!(
            findings.iter().all(|f| f["id"] != "CVE-2023-38545"),
            "{vex} did not suppress"
        );
        assert!(
            findings.iter().any(|f| f["id"] == "CVE-2023-38546"),
            "{vex} suppressed too much"
        );
        assert_eq!(v["counts"]["suppressed"], 1, "{vex}");

        let out = riskmark(home.path())
            .args([
                "vulns",
                FIRMWARE,
                "--vex",
                &file,
                "--format",
                "json",
                "--show-suppressed",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "CVE-2023-38545")
            .unwrap();
        assert_eq!(f["status"], "not_affected", "{vex}");
        assert!(
            f["vex"]["justification"]
                .as_str()
                .is_some_and(|j| j.contains("not")),
            "{vex}: {f}"
        );
    }
    let out = riskmark(home.path())
        .args([
            "vulns",
            FIRMWARE,
            "--vex",
            "examples/sbom/home-router-firmware.openvex.json",
            "--show-suppressed",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("suppressed by VEX") && text.contains("vulnerable_code_not_in_execute_path"),
        "{text}"
    );
}

#[test]
fn machine_readable_vulnerability_outputs() {
    let home = tempfile::tempdir().unwrap();
    let run = |fmt: &str| -> serde_json::Value {
        let out = riskmark(home.path())
            .args([
                "vulns",
                FIRMWARE,
                "--vex",
                "examples/sbom/home-router-firmware.openvex.json",
                "--format",
                fmt,
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let sarif = run("sarif");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["ruleId"] != "CVE-2023-38545")
    );
    let cdx = run("cyclonedx-vex");
    let curl = cdx["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "CVE-2023-38545")
        .unwrap();
    assert_eq!(curl["analysis"]["state"], "not_affected");
    assert_eq!(curl["affects"][0]["ref"], "curl");
    let ov = run("openvex");
    assert_eq!(ov["@context"], "https://openvex.dev/ns/v0.2.0");
    let st = ov["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vulnerability"]["name"] == "CVE-2023-38545")
        .unwrap();
    assert_eq!(st["status"], "not_affected");
}

#[test]
fn malformed_vex_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.vex.json");
    std::fs::write(
        &bad,
        "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [",
    )
    .unwrap();
    let out = riskmark(home.path())
        .args(["vulns", FIRMWARE, "--vex"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.vex.json"));
}
