//! `riskmark db import` of NVD CVE JSON 2.0 files and `riskmark vulns` matching the
//! example firmware SBOM's CPEs (linux, openssl), as a user runs them. The NVD files are
//! vulndb's fixtures: transcribed real NVD records (see
//! `crates/vulndb/tests/fixtures/nvd/PROVENANCE.md`).

use std::path::Path;

mod common;
use common::command_in as riskmark;

const FIRMWARE: &str = "examples/sbom/home-router-firmware.cdx.json";
const PART1: &str = "crates/vulndb/tests/fixtures/nvd/nvdcve-2.0-part1.json";
const PART2: &str = "crates/vulndb/tests/fixtures/nvd/nvdcve-2.0-part2.json";

fn imported() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let out = riskmark(home.path())
        .args(["db", "import", PART1, PART2])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    home
}

fn json(home: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = riskmark(home).args(args).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), v)
}

#[test]
fn firmware_cpes_match_nvd_records_once_per_cve() {
    let home = imported();
    let (code, stats) = json(home.path(), &["db", "stats", "--format", "json"]);
    assert_eq!(code, Some(0));
    assert_eq!(stats["stats"]["nvd_cves"], 8, "{stats}");
    assert_eq!(stats["stats"]["nvd_rejected"], 1);

    let (code, v) = json(home.path(), &["vulns", FIRMWARE, "--format", "json"]);
    assert_eq!(code, Some(0));
    let findings = v["findings"].as_array().unwrap();
    let of = |component: &str, id: &str| -> Vec<&serde_json::Value> {
        findings
            .iter()
            .filter(|f| f["component"] == component && f["id"] == id)
            .collect()
    };
    for f in findings {
        assert!(
            f["matched_by"].is_string() && f["confidence"].is_string(),
            "{f}"
        );
    }
    // Dirty Pipe: curated (purl) and NVD (CPE): reported once, by purl.
    let dirty_pipe = of("linux", "CVE-2022-0847");
    assert_eq!(dirty_pipe.len(), 1);
    assert_eq!(dirty_pipe[0]["matched_by"], "purl");
    assert_eq!(dirty_pipe[0]["kev"], true);
    // Only NVD knows CVE-2022-0185 (fixed in 5.10.93; the SBOM has 5.10.92).
    let fsconfig = of("linux", "CVE-2022-0185");
    assert_eq!(fsconfig.len(), 1);
    assert_eq!(fsconfig[0]["matched_by"], "cpe");
    assert_eq!(fsconfig[0]["confidence"], "high");
    assert_eq!(fsconfig[0]["fixed"][0], "5.10.93");
    assert_eq!(fsconfig[0]["severity"], "high");
    // OpenSSL 1.1.1k: CVE-2021-3711 by CPE, CVE-2022-0778 once (curated and NVD).
    let sm2 = of("openssl", "CVE-2021-3711");
    assert_eq!(sm2.len(), 1);
    assert_eq!(sm2[0]["matched_by"], "cpe");
    assert_eq!(sm2[0]["severity"], "critical");
    assert_eq!(of("openssl", "CVE-2022-0778").len(), 1);
    assert_eq!(of("openssl", "CVE-2022-0778")[0]["matched_by"], "purl");
    // Heartbleed's exact versions do not include 1.1.1k; the rejected curl CVE never
    // matches; curl has no CPE and is still found by purl.
    assert!(findings.iter().all(|f| f["id"] != "CVE-2014-0160"));
    assert!(findings.iter().all(|f| f["id"] != "CVE-2020-19909"));
    assert_eq!(of("curl", "CVE-2023-38545")[0]["matched_by"], "purl");
    assert_eq!(v["counts"]["low_confidence"], 0);

    // Without the NVD records (fresh install), the NVD-only CVEs are absent.
    let fresh = tempfile::tempdir().unwrap();
    let (_, f) = json(fresh.path(), &["vulns", FIRMWARE, "--format", "json"]);
    let ids: Vec<&str> = f["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["id"].as_str())
        .collect();
    assert!(!ids.contains(&"CVE-2021-3711") && !ids.contains(&"CVE-2022-0185"));
}

#[test]
fn low_confidence_findings_do_not_trip_fail_on() {
    let home = imported();
    let sbom = home.path().join("desktop.cdx.json");
    // Firefox 111 with no operating system in the SBOM: CVE-2023-29542 applies only on
    // Windows (an AND configuration), so the match is low confidence.
    std::fs::write(
        &sbom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
          {"type":"application","name":"firefox","version":"111.0","cpe":"cpe:2.3:a:mozilla:firefox:111.0:*:*:*:*:*:*:*"}]}"#,
    )
    .unwrap();
    let sbom = sbom.to_str().unwrap();
    let (code, v) = json(
        home.path(),
        &["vulns", sbom, "--format", "json", "--fail-on", "low"],
    );
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["findings"][0]["id"], "CVE-2023-29542");
    assert_eq!(v["findings"][0]["confidence"], "low");
    assert_eq!(v["counts"]["total"], 0);
    assert_eq!(v["counts"]["low_confidence"], 1);

    // With Windows named in the SBOM the same CVE is certain and fails the run.
    let windows = home.path().join("windows.cdx.json");
    std::fs::write(
        &windows,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
          {"type":"operating-system","name":"windows","cpe":"cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"},
          {"type":"application","name":"firefox","version":"111.0","cpe":"cpe:2.3:a:mozilla:firefox:111.0:*:*:*:*:*:*:*"}]}"#,
    )
    .unwrap();
    let out = riskmark(home.path())
        .arg("vulns")
        .arg(&windows)
        .args(["--fail-on", "critical"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("CVE-2023-29542"));
}

#[test]
fn malformed_nvd_file_is_an_input_error_and_keeps_the_database() {
    let home = imported();
    let bad = home.path().join("nvd-bad.json");
    std::fs::write(
        &bad,
        "{\"format\": \"NVD_CVE\",\n\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2099-1\",\n\"lastModified\": \"not a time\"}}]}\n",
    )
    .unwrap();
    let out = riskmark(home.path())
        .args(["db", "import"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nvd-bad.json:3:") && err.contains("vulnerabilities[0].cve.lastModified"),
        "{err}"
    );
    let (_, stats) = json(home.path(), &["db", "stats", "--format", "json"]);
    assert_eq!(stats["stats"]["nvd_cves"], 8);
}
