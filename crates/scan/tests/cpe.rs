//! Scanning components that carry CPEs: purl and CPE routes merged into one finding per
//! vulnerability, `matched_by`, and low-confidence CPE matches kept out of the counts.
//! The database is built from vulndb's NVD fixtures (transcribed real NVD records, see
//! `crates/vulndb/tests/fixtures/nvd/PROVENANCE.md`).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use riskmark_scan::{Confidence, MatchedBy, Scan, ScanFinding, scan};
use riskmark_vulndb::Db;

fn nvd(n: u8) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../vulndb/tests/fixtures/nvd/nvdcve-2.0-part{n}.json"
    ))
}

fn run(components: &str) -> Scan {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vuln.db");
    riskmark_vulndb::import(&db, &[nvd(1), nvd(2)], |_| ControlFlow::Continue(())).unwrap();
    let sbom = format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{components}]}}"#
    );
    let sbom = riskmark_sbom::parse(sbom.as_bytes(), "test.cdx.json").unwrap();
    let db = Db::open(&db).unwrap();
    scan(&sbom, "test.cdx.json", &db, &|_, _, _| None).unwrap()
}

fn find<'a>(s: &'a Scan, component: &str, id: &str) -> Vec<&'a ScanFinding> {
    s.findings
        .iter()
        .filter(|f| &*f.component == component && &*f.id == id)
        .collect()
}

#[test]
fn purl_and_cpe_findings_of_one_cve_are_one() {
    let s = run(
        r#"{"type":"library","bom-ref":"openssl","name":"openssl","version":"1.1.1k",
            "purl":"pkg:generic/openssl@1.1.1k","cpe":"cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"}"#,
    );
    // CVE-2022-0778: in the curated set (purl) and in NVD (CPE): once, found by purl,
    // with both records.
    let both = find(&s, "openssl", "CVE-2022-0778");
    assert_eq!(both.len(), 1, "{:?}", s.findings);
    assert_eq!(both[0].matched_by, MatchedBy::Purl);
    assert_eq!(both[0].confidence, Confidence::High);
    assert!(!both[0].aliases.contains(&"CVE-2022-0778".to_owned()));
    // CVE-2021-3711 is only in NVD: found by CPE.
    let nvd_only = find(&s, "openssl", "CVE-2021-3711");
    assert_eq!(nvd_only.len(), 1);
    assert_eq!(nvd_only[0].matched_by, MatchedBy::Cpe);
    assert_eq!(&*nvd_only[0].fixed, ["1.1.1l"]);
    // The curated OpenSSL CVEs that do not affect 1.1.1k stay out.
    assert!(find(&s, "openssl", "CVE-2014-0160").is_empty());
    let ids: Vec<&str> = s.findings.iter().map(|f| &*f.id).collect();
    let mut dedup = ids.clone();
    dedup.sort_unstable();
    dedup.dedup();
    assert_eq!(ids.len(), dedup.len(), "{ids:?}");
    let json = serde_json::to_value(&s).unwrap();
    assert!(json["findings"][0]["matched_by"].as_str().is_some());
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["matched_by"] == "cpe" && f["confidence"] == "high")
    );
}

#[test]
fn cpe_without_version_takes_the_components_and_cpe_alone_suffices() {
    // No purl: the name route (curated set) and the CPE route (NVD) both run.
    let s = run(
        r#"{"type":"library","name":"curl","version":"7.74.0","cpe":"cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*"},
           {"type":"library","name":"kernel","cpe":"cpe:2.3:o:linux:linux_kernel:5.10.92:*:*:*:*:*:*:*"}"#,
    );
    let curl = find(&s, "curl", "CVE-2023-38545");
    assert_eq!(curl.len(), 1);
    assert_eq!(curl[0].matched_by, MatchedBy::Name);
    // A component with no version field, matched by its CPE's version.
    let k = find(&s, "kernel", "CVE-2022-0185");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].matched_by, MatchedBy::Cpe);
    assert_eq!(&*k[0].version, "5.10.92");
    assert_eq!(s.matched_components, 2);
}

#[test]
fn low_confidence_matches_are_listed_but_do_not_count() {
    // Firefox with no OS in the SBOM: CVE-2023-29542 applies only on Windows.
    let unknown = run(
        r#"{"type":"application","name":"firefox","version":"111.0","cpe":"cpe:2.3:a:mozilla:firefox:111.0:*:*:*:*:*:*:*"}"#,
    );
    let f = find(&unknown, "firefox", "CVE-2023-29542");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].confidence, Confidence::Low);
    assert_eq!(unknown.active().count(), 0);
    let c = unknown.counts();
    assert_eq!((c.total, c.critical, c.low_confidence), (0, 0, 1));
    let sarif: serde_json::Value = serde_json::from_str(&riskmark_scan::sarif(&unknown)).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "note");
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"]["confidence"],
        "low"
    );

    // On Windows: high confidence, counted (critical, 9.8).
    let windows = run(
        r#"{"type":"operating-system","name":"windows","cpe":"cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"},
           {"type":"application","name":"firefox","version":"111.0","cpe":"cpe:2.3:a:mozilla:firefox:111.0:*:*:*:*:*:*:*"}"#,
    );
    let f = find(&windows, "firefox", "CVE-2023-29542");
    assert_eq!(f[0].confidence, Confidence::High);
    assert_eq!(windows.counts().critical, 1);
    // Windows itself (a platform criteria, `vulnerable: false`) has no finding.
    assert!(windows.findings.iter().all(|f| &*f.component != "windows"));

    // On Linux: ruled out.
    let linux = run(
        r#"{"type":"operating-system","name":"linux","version":"5.10.92","cpe":"cpe:2.3:o:linux:linux_kernel:5.10.92:*:*:*:*:*:*:*"},
           {"type":"application","name":"firefox","version":"111.0","cpe":"cpe:2.3:a:mozilla:firefox:111.0:*:*:*:*:*:*:*"}"#,
    );
    assert!(find(&linux, "firefox", "CVE-2023-29542").is_empty());
}

#[test]
fn malformed_cpes_skip_only_when_nothing_else_answers() {
    let s = run(
        r#"{"type":"library","name":"widget","cpe":"cpe:/a:acme:widget:1.0"},
           {"type":"library","name":"openssl","version":"1.0.1f","purl":"pkg:generic/openssl@1.0.1f","cpe":"cpe:2.3:a:*:openssl:1.0.1f"}"#,
    );
    assert_eq!(s.skipped.len(), 1, "{:?}", s.skipped);
    assert_eq!(s.skipped[0].component, "widget");
    assert!(
        s.skipped[0].reason.contains("CPE 2.2"),
        "{}",
        s.skipped[0].reason
    );
    // The purl still answered for openssl.
    assert_eq!(find(&s, "openssl", "CVE-2014-0160").len(), 1);
}
