//! Components whose purls are odd in the ways real SBOMs are (#14): several purls with
//! a wrong one first, a percent-encoded `@`, and a Go toolchain version. The SBOM is an
//! excerpt of the shared `fatbom` SPDX document, the advisories real OSV records (see
//! `tests/fixtures/PROVENANCE.md`).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use riskmark_scan::{MatchedBy, Scan, scan};
use riskmark_vulndb::Db;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run() -> (Scan, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vuln.db");
    riskmark_vulndb::import(&db, &[fixtures().join("osv/Go")], |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
    let bytes = std::fs::read(fixtures().join("fatbom-excerpt.spdx")).unwrap();
    let sbom = riskmark_sbom::parse(&bytes, "fatbom-excerpt.spdx").unwrap();
    let warnings = sbom.warnings.iter().map(|w| w.to_string()).collect();
    let db = Db::open(&db).unwrap();
    (
        scan(&sbom, "fatbom-excerpt.spdx", &db, &|_, _, _| None).unwrap(),
        warnings,
    )
}

fn ids(s: &Scan, component: &str) -> Vec<String> {
    s.findings
        .iter()
        .filter(|f| &*f.component == component)
        .map(|f| f.id.to_string())
        .collect()
}

#[test]
fn every_purl_of_a_component_is_tried() {
    let (s, _) = run();
    // The first purl (`golang.org/sys`) names no module; the second finds the advisory.
    let sys = ids(&s, "golang.org/x/sys");
    assert_eq!(sys, ["CVE-2026-39824"], "{:?}", s.findings);
    let f = s
        .findings
        .iter()
        .find(|f| &*f.component == "golang.org/x/sys")
        .unwrap();
    assert!(f.aliases.iter().any(|a| a == "GO-2026-5024"), "{f:?}");
    assert_eq!(f.matched_by, MatchedBy::Purl);
    assert_eq!(&*f.version, "v0.0.0-20220919091848-fb04ddd9f9c8");
}

#[test]
fn a_percent_encoded_at_is_the_version_separator_and_is_warned_about() {
    let (s, warnings) = run();
    // google.golang.org/grpc v1.45.0 is below 1.56.3: GO-2023-2153 (HTTP/2 rapid reset).
    let grpc = ids(&s, "google.golang.org/grpc");
    assert_eq!(grpc, ["GO-2023-2153"], "{:?}", s.findings);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("grpc%40v1.45.0") && w.contains("percent-encodes")),
        "{warnings:?}"
    );
}

#[test]
fn go_toolchain_versions_are_scanned() {
    let (s, _) = run();
    // stdlib go1.20.1 is below 1.20.10: GO-2023-2102 (CVE-2023-39325).
    assert_eq!(ids(&s, "stdlib"), ["CVE-2023-39325"], "{:?}", s.skipped);
    assert!(s.skipped.is_empty(), "{:?}", s.skipped);
}
