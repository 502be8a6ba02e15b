//! Facts read by hand from the real VEX fixtures (see `fixtures/PROVENANCE.md`).

use std::path::{Path, PathBuf};

use riskmark_vex::{ComponentKey, VexDocument, VexFormat, VexSet, VexStatus, parse_file};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn load(rel: &str) -> VexDocument {
    match parse_file(fixture(rel)) {
        Ok(doc) => doc,
        Err(e) => panic!("{rel}: {e}"),
    }
}

fn bom_ref(r: &str) -> ComponentKey<'_> {
    ComponentKey {
        purl: None,
        bom_ref: Some(r),
        cpes: &[],
    }
}

#[test]
fn cisa_case1_each_status() {
    let cases = [
        (
            "not_affected",
            VexStatus::NotAffected,
            "product-ABC",
            "ABC",
            "4.2",
        ),
        ("affected", VexStatus::Affected, "product-DEF", "DEF", "1.0"),
        ("fixed", VexStatus::Fixed, "product-DEF", "DEF", "1.1"),
        (
            "under_investigation",
            VexStatus::UnderInvestigation,
            "product-GHI",
            "GHI",
            "17.4",
        ),
    ];
    for (file, status, r, name, version) in cases {
        let doc = load(&format!("cyclonedx/CISA-Use-Cases_Case-1_vex-{file}.json"));
        assert_eq!(doc.format, VexFormat::CycloneDx);
        assert_eq!(doc.statements.len(), 1, "{file}");
        let st = &doc.statements[0];
        assert_eq!(st.vulnerability, "CVE-2021-44228");
        assert_eq!(st.status, status, "{file}");
        assert_eq!(st.timestamp.as_deref(), Some("2022-03-03T00:00:00Z"));
        assert_eq!(st.products.len(), 1);
        // The ref names the document's own metadata component.
        let p = &st.products[0];
        assert_eq!(p.bom_ref.as_deref(), Some(r));
        assert_eq!(p.name.as_deref(), Some(name));
        assert_eq!(p.version.as_deref(), Some(version));
    }
    let na = load("cyclonedx/CISA-Use-Cases_Case-1_vex-not_affected.json");
    let st = &na.statements[0];
    assert_eq!(st.justification.as_deref(), Some("code_not_present"));
    assert!(
        st.detail
            .as_deref()
            .unwrap_or_default()
            .contains("Class with vulnerable code was removed")
    );
    assert_eq!(st.action.as_deref(), Some("response: will_not_fix"));
    let a = load("cyclonedx/CISA-Use-Cases_Case-1_vex-affected.json");
    assert_eq!(a.statements[0].justification, None);
    assert_eq!(
        a.statements[0].action.as_deref(),
        Some("response: will_not_fix, update")
    );
}

#[test]
fn cisa_case1_same_bom_ref_is_told_apart_by_version() {
    // DEF 1.0 is affected, DEF 1.1 fixed: both refer to bom-ref product-DEF.
    let set = VexSet::from_documents([
        load("cyclonedx/CISA-Use-Cases_Case-1_vex-affected.json"),
        load("cyclonedx/CISA-Use-Cases_Case-1_vex-fixed.json"),
    ]);
    let key = bom_ref("product-DEF");
    let at = |v| {
        set.lookup_at_version("CVE-2021-44228", &[], &key, Some(v))
            .map(|s| s.status)
    };
    assert_eq!(at("1.0"), Some(VexStatus::Affected));
    assert_eq!(at("1.1"), Some(VexStatus::Fixed));
    assert_eq!(at("1.2"), None);
    // Version unknown: a statement pinned to a version cannot be applied.
    assert_eq!(set.lookup("CVE-2021-44228", &[], &key), None);
}

#[test]
fn cisa_case7_bom_links_and_version_ranges() {
    let doc = load("cyclonedx/CISA-Use-Cases_Case-7_vex.json");
    let by: Vec<(VexStatus, usize)> = doc
        .statements
        .iter()
        .map(|s| (s.status, s.products.len()))
        .collect();
    assert_eq!(
        by,
        [
            (VexStatus::Affected, 4),
            (VexStatus::NotAffected, 4),
            (VexStatus::NotAffected, 1),
            (VexStatus::Fixed, 1),
        ]
    );
    let first = &doc.statements[0].products;
    assert_eq!(
        first[0].bom_ref.as_deref(),
        Some("urn:cdx:cbb2cd68-2857-43b8-a10b-e8c03d277d18/1#product-ABC")
    );
    assert_eq!(first[0].version.as_deref(), Some("2.4"));
    assert_eq!(
        first[2].version_range.as_deref(),
        Some("vers:generic/>=2.9|<=4.1")
    );
    assert_eq!(
        doc.statements[1].justification.as_deref(),
        Some("code_not_present")
    );
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);

    let set = VexSet::from_documents([doc]);
    let abc = bom_ref("product-ABC");
    let jkl = bom_ref("product-JKL");
    let at = |k: &ComponentKey<'_>, v| {
        set.lookup_at_version("CVE-2021-44228", &[], k, Some(v))
            .map(|s| s.status)
    };
    assert_eq!(at(&abc, "2.4"), Some(VexStatus::Affected));
    assert_eq!(at(&abc, "3.0"), Some(VexStatus::Affected));
    assert_eq!(at(&abc, "2.5"), Some(VexStatus::NotAffected));
    assert_eq!(at(&abc, "2.8"), Some(VexStatus::NotAffected));
    assert_eq!(at(&abc, "4.2"), Some(VexStatus::NotAffected));
    assert_eq!(at(&abc, "4.3"), None);
    assert_eq!(at(&jkl, "4.7"), Some(VexStatus::Affected));
    assert_eq!(at(&jkl, "1.0"), Some(VexStatus::NotAffected));
    assert_eq!(at(&jkl, "5.1"), Some(VexStatus::Fixed));
    // The full BOM-Link as the component's bom-ref matches too.
    let link = bom_ref("urn:cdx:e4c3eedc-4978-470c-ad02-6ffff63738ff/1#product-JKL");
    assert_eq!(at(&link, "5.1"), Some(VexStatus::Fixed));
}

#[test]
fn cisa_case7_boms_hold_no_statements() {
    for f in [
        "cyclonedx/CISA-Use-Cases_Case-7_bom-1.json",
        "cyclonedx/CISA-Use-Cases_Case-7_bom-2.json",
    ] {
        let doc = load(f);
        assert!(doc.statements.is_empty());
        assert!(
            doc.warnings
                .iter()
                .any(|w| w.contains("no `vulnerabilities`")),
            "{:?}",
            doc.warnings
        );
    }
}

#[test]
fn cyclonedx_reference_ids_are_aliases_and_purl_bom_refs_match() {
    let doc = load("cyclonedx/vex.json");
    assert_eq!(doc.statements.len(), 1);
    let st = &doc.statements[0];
    assert_eq!(st.vulnerability, "CVE-2020-25649");
    assert_eq!(st.aliases, ["SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302"]);
    assert_eq!(st.justification.as_deref(), Some("code_not_reachable"));
    // analysis has no lastUpdated: the vulnerability's `updated` is the time.
    assert_eq!(st.timestamp.as_deref(), Some("2021-10-26T00:00:00.000Z"));
    assert!(
        st.action
            .as_deref()
            .unwrap_or_default()
            .contains("recommendation: Upgrade")
    );
    let set = VexSet::from_documents([doc]);
    let key = bom_ref("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar");
    let found = set.lookup("snyk-java-comfasterxmljacksoncore-1048302", &[], &key);
    assert_eq!(found.map(|s| s.status), Some(VexStatus::NotAffected));
    assert_eq!(
        set.lookup("CVE-2020-25649", &[], &bom_ref("pkg:maven/other/x@1")),
        None
    );
}

#[test]
fn csaf_use_case_1_not_affected() {
    let doc = load("csaf/2022-evd-uc-01-na-001.json");
    assert_eq!(doc.format, VexFormat::Csaf);
    assert_eq!(doc.statements.len(), 1);
    let st = &doc.statements[0];
    assert_eq!(st.vulnerability, "CVE-2021-44228");
    assert_eq!(st.status, VexStatus::NotAffected);
    assert_eq!(
        st.detail.as_deref(),
        Some("Class with vulnerable code was removed before shipping.")
    );
    assert_eq!(st.timestamp.as_deref(), Some("2022-03-03T11:00:00.000Z"));
    let p = &st.products[0];
    assert_eq!(p.name.as_deref(), Some("Example Company ABC 4.2"));
    assert_eq!(p.version.as_deref(), Some("4.2"));
    assert_eq!((p.purl.as_deref(), p.cpe.as_deref()), (None, None));
    // Nothing to match it by: the document says so.
    assert!(
        doc.warnings.iter().any(|w| w.contains("never match")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn csaf_use_case_3_multiple_statuses() {
    let doc = load("csaf/2022-evd-uc-03-ms-001.json");
    let count = |s| doc.statements.iter().filter(|x| x.status == s).count();
    assert_eq!(doc.statements.len(), 19);
    assert_eq!(count(VexStatus::NotAffected), 6);
    assert_eq!(count(VexStatus::UnderInvestigation), 5);
    assert_eq!(count(VexStatus::Affected), 5);
    assert_eq!(count(VexStatus::Fixed), 3);
    let st = |cve: &str| doc.statements.iter().find(|s| s.vulnerability == cve);
    assert_eq!(
        st("CVE-2020-11896").map(|s| s.status),
        Some(VexStatus::UnderInvestigation)
    );
    assert_eq!(
        st("CVE-2020-11906").and_then(|s| s.detail.as_deref()),
        Some("This code was re-written. The vulnerable code is not present.")
    );
    assert_eq!(
        st("CVE-2020-11898").and_then(|s| s.action.as_deref()),
        Some("none_available: We are working to integrate the upstream patches in our code.")
    );
    assert_eq!(
        st("CVE-2020-11901").map(|s| s.status),
        Some(VexStatus::Fixed)
    );
}

#[test]
fn csaf_flags_are_justifications() {
    let doc = load("csaf/sec-vex-2022-0001.json");
    let cves: Vec<&str> = doc
        .statements
        .iter()
        .map(|s| s.vulnerability.as_str())
        .collect();
    assert_eq!(cves, ["CVE-2021-44228", "CVE-2021-45046", "CVE-2021-45105"]);
    for st in &doc.statements {
        assert_eq!(st.status, VexStatus::NotAffected);
        assert_eq!(st.justification.as_deref(), Some("component_not_present"));
        assert_eq!(
            st.detail.as_deref(),
            Some("Secvisogram is written in JavaScript. No Java is included.")
        );
        assert_eq!(st.products[0].name.as_deref(), Some("Secvisogram <=1.14.0"));
        assert_eq!(st.products[0].version_range.as_deref(), Some("<=1.14.0"));
    }
}

#[test]
fn csaf_rhsa_relationships_and_remediations() {
    let doc = load("csaf/rhsa-2021_5186.json");
    let cve: Vec<_> = doc
        .statements
        .iter()
        .filter(|s| s.vulnerability == "CVE-2021-4104")
        .collect();
    assert_eq!(cve.len(), 2);
    let fixed = cve
        .iter()
        .find(|s| s.status == VexStatus::Fixed)
        .map(|s| &s.products);
    let names: Vec<&str> = fixed
        .into_iter()
        .flatten()
        .filter_map(|p| p.name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            "openshift4/ose-metering-hive:v4.6.0-202112160147.p0.gf139e12.assembly.stream as a component of Red Hat OpenShift Container Platform 4.6"
        ]
    );
    let not_affected = cve.iter().find(|s| s.status == VexStatus::NotAffected);
    assert_eq!(not_affected.map(|s| s.products.len()), Some(2));
    for st in &cve {
        assert!(
            st.action
                .as_deref()
                .unwrap_or_default()
                .starts_with("vendor_fix: ")
        );
        assert!(
            st.action
                .as_deref()
                .unwrap_or_default()
                .ends_with("(https://access.redhat.com/errata/RHSA-2021:5186)")
        );
        assert_eq!(
            st.aliases,
            ["https://bugzilla.redhat.com/show_bug.cgi?id=2031667"]
        );
        // The "Moderate" impact threat names no product: it is a severity, not an impact statement.
        assert_eq!(st.detail, None);
    }
    // A security advisory, not the VEX profile: known_not_affected needs no
    // impact statement there.
    assert!(
        !doc.warnings
            .iter()
            .any(|w| w.contains("without a flag or impact statement"))
    );
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("3 product(s) have no purl")),
        "{:?}",
        doc.warnings
    );
}

#[test]
fn openvex_fixture() {
    let doc = load("openvex/firmware.openvex.json");
    assert_eq!(doc.format, VexFormat::OpenVex);
    assert_eq!(doc.statements.len(), 3);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("unknown status `wontfix`")),
        "{:?}",
        doc.warnings
    );
    let busybox = &doc.statements[0];
    assert_eq!(busybox.aliases, ["GHSA-xxxx-busy-box0"]);
    // The subcomponent, not the camera, is what the statement is about.
    assert_eq!(busybox.products.len(), 1);
    assert_eq!(
        busybox.products[0].purl.as_deref(),
        Some("pkg:apk/alpine/busybox@1.36.1-r2?arch=armv7")
    );
    assert_eq!(busybox.timestamp.as_deref(), Some("2024-03-01T10:00:00Z"));
    assert_eq!(
        doc.statements[1].products[0].cpe.as_deref(),
        Some("cpe:2.3:a:openssl:openssl:3.0.8:*:*:*:*:*:*:*")
    );
    assert_eq!(doc.statements[2].vulnerability, "CVE-2023-0464");
}
