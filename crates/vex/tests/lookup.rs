//! `VexSet::lookup`: vulnerability ids and aliases, purl, bom-ref and CPE
//! matching, and which statement wins.

use riskmark_vex::{ComponentKey, VexDocument, VexSet, VexStatus, parse};

/// An OpenVEX document with one statement per `(vulnerability, product, status, timestamp)`.
fn openvex(statements: &[(&str, &str, &str, Option<&str>)]) -> VexDocument {
    let stmts: Vec<serde_json::Value> = statements
        .iter()
        .map(|(vuln, product, status, ts)| {
            let mut s = serde_json::json!({
                "vulnerability": {"name": vuln, "aliases": ["GHSA-2222-3333-4444"]},
                "products": [serde_json::from_str::<serde_json::Value>(product).unwrap_or_else(|_| serde_json::json!({"@id": product}))],
                "status": status,
                "justification": "component_not_present",
            });
            if let Some(ts) = ts {
                s["timestamp"] = serde_json::json!(ts);
            }
            s
        })
        .collect();
    let doc = serde_json::json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.invalid/vex",
        "author": "test",
        "version": 1,
        "statements": stmts,
    });
    match parse(doc.to_string().as_bytes(), "test.openvex.json") {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

fn purl(p: &str) -> ComponentKey<'_> {
    ComponentKey {
        purl: Some(p),
        bom_ref: None,
        cpes: &[],
    }
}

fn status(set: &VexSet, vuln: &str, key: &ComponentKey<'_>) -> Option<VexStatus> {
    set.lookup(vuln, &[], key).map(|s| s.status)
}

#[test]
fn id_and_alias_match_case_insensitively() {
    let set = VexSet::from_documents([openvex(&[(
        "CVE-2024-0001",
        "pkg:deb/debian/zlib",
        "not_affected",
        None,
    )])]);
    let key = purl("pkg:deb/debian/zlib@1.2.13");
    assert_eq!(
        status(&set, "CVE-2024-0001", &key),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(
        status(&set, "cve-2024-0001", &key),
        Some(VexStatus::NotAffected)
    );
    // The finding is the GHSA; the VEX lists it as alias.
    assert_eq!(
        status(&set, "ghsa-2222-3333-4444", &key),
        Some(VexStatus::NotAffected)
    );
    // The finding's own alias names the CVE.
    let aliases = ["CVE-2024-0001".to_owned()];
    assert_eq!(
        set.lookup("OSV-2024-77", &aliases, &key).map(|s| s.status),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(status(&set, "CVE-2024-0002", &key), None);
}

#[test]
fn purl_version_and_qualifiers() {
    let set = VexSet::from_documents([openvex(&[
        ("CVE-1", "pkg:deb/debian/openssl", "not_affected", None),
        ("CVE-2", "pkg:deb/debian/openssl@3.0.8-1", "fixed", None),
        (
            "CVE-3",
            "pkg:deb/debian/openssl@3.0.8-1?distro=bookworm&arch=armhf",
            "not_affected",
            None,
        ),
    ])]);
    // Without version: every version.
    assert_eq!(
        status(&set, "CVE-1", &purl("pkg:deb/debian/openssl@1.1.1")),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(
        status(&set, "CVE-1", &purl("pkg:deb/debian/openssl")),
        Some(VexStatus::NotAffected)
    );
    // With version: only that version.
    assert_eq!(
        status(
            &set,
            "CVE-2",
            &purl("pkg:deb/debian/openssl@3.0.8-1?arch=amd64")
        ),
        Some(VexStatus::Fixed)
    );
    assert_eq!(
        status(&set, "CVE-2", &purl("pkg:deb/debian/openssl@3.0.9-1")),
        None
    );
    assert_eq!(status(&set, "CVE-2", &purl("pkg:deb/debian/openssl")), None);
    // Qualifiers in another order, and one more on the component.
    assert_eq!(
        status(
            &set,
            "CVE-3",
            &purl("pkg:deb/debian/openssl@3.0.8-1?arch=armhf&epoch=0&distro=bookworm")
        ),
        Some(VexStatus::NotAffected)
    );
    // A qualifier the VEX requires is missing or different.
    assert_eq!(
        status(
            &set,
            "CVE-3",
            &purl("pkg:deb/debian/openssl@3.0.8-1?arch=armhf")
        ),
        None
    );
    assert_eq!(
        status(
            &set,
            "CVE-3",
            &purl("pkg:deb/debian/openssl@3.0.8-1?arch=arm64&distro=bookworm")
        ),
        None
    );
    // Other package, other namespace.
    assert_eq!(
        status(&set, "CVE-1", &purl("pkg:deb/debian/openssh@9.2")),
        None
    );
    assert_eq!(
        status(&set, "CVE-1", &purl("pkg:deb/ubuntu/openssl@3.0.2")),
        None
    );
}

#[test]
fn purl_case_follows_the_type() {
    let set = VexSet::from_documents([openvex(&[
        ("CVE-1", "pkg:npm/%40Scope/Left-Pad", "not_affected", None),
        ("CVE-2", "pkg:maven/org.Example/Lib", "not_affected", None),
        ("CVE-3", "pkg:pypi/Typing_Extensions", "not_affected", None),
    ])]);
    assert_eq!(
        status(&set, "CVE-1", &purl("PKG:NPM/@scope/left-pad@1.3.0")),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(
        status(&set, "CVE-2", &purl("pkg:Maven/org.Example/Lib@1")),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(
        status(&set, "CVE-2", &purl("pkg:maven/org.example/lib@1")),
        None
    );
    assert_eq!(
        status(&set, "CVE-3", &purl("pkg:pypi/typing-extensions@4.9.0")),
        Some(VexStatus::NotAffected)
    );
}

#[test]
fn bom_ref_and_bom_link() {
    let doc = parse(
        br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
             "vulnerabilities": [
               {"id": "CVE-1", "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                "affects": [{"ref": "urn:cdx:0a1b/3#busybox%40ash"}]},
               {"id": "CVE-2", "analysis": {"state": "resolved"},
                "affects": [{"ref": "dropbear"}]}
             ]}"#,
        "cdx.json",
    );
    let doc = match doc {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let set = VexSet::from_documents([doc]);
    let key = |r| ComponentKey {
        purl: None,
        bom_ref: Some(r),
        cpes: &[],
    };
    assert_eq!(
        status(&set, "CVE-1", &key("busybox@ash")),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(
        status(&set, "CVE-1", &key("urn:cdx:0a1b/3#busybox%40ash")),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(status(&set, "CVE-1", &key("busybox")), None);
    assert_eq!(
        status(&set, "CVE-2", &key("dropbear")),
        Some(VexStatus::Fixed)
    );
    assert_eq!(status(&set, "CVE-2", &key("Dropbear")), None);
}

#[test]
fn cpe_match() {
    let set = VexSet::from_documents([openvex(&[(
        "CVE-1",
        r#"{"@id": "https://example.invalid/fw", "identifiers": {"cpe23": "cpe:2.3:o:example:cam_firmware:2.4.0:*:*:*:*:*:*:*"}}"#,
        "not_affected",
        None,
    )])]);
    let cpes = [
        "cpe:2.3:a:other:x:1:*:*:*:*:*:*:*".to_owned(),
        "CPE:2.3:O:Example:Cam_Firmware:2.4.0:*:*:*:*:*:*:*".to_owned(),
    ];
    let key = ComponentKey {
        purl: None,
        bom_ref: None,
        cpes: &cpes,
    };
    assert_eq!(status(&set, "CVE-1", &key), Some(VexStatus::NotAffected));
    let other = ["cpe:2.3:o:example:cam_firmware:2.4.1:*:*:*:*:*:*:*".to_owned()];
    let key = ComponentKey {
        purl: None,
        bom_ref: None,
        cpes: &other,
    };
    assert_eq!(status(&set, "CVE-1", &key), None);
}

#[test]
fn latest_statement_wins() {
    let p = "pkg:apk/alpine/busybox";
    let key = purl("pkg:apk/alpine/busybox@1.36.1-r2");
    // By timestamp, whatever the order of the documents; offsets are honoured
    // (08:00+01:00 is 07:00Z, earlier than 07:30Z).
    let later = openvex(&[("CVE-1", p, "affected", Some("2024-03-05T07:30:00Z"))]);
    let earlier = openvex(&[(
        "CVE-1",
        p,
        "not_affected",
        Some("2024-03-05T08:00:00+01:00"),
    )]);
    let set = VexSet::from_documents([later.clone(), earlier.clone()]);
    assert_eq!(status(&set, "CVE-1", &key), Some(VexStatus::Affected));
    let set = VexSet::from_documents([earlier, later]);
    assert_eq!(status(&set, "CVE-1", &key), Some(VexStatus::Affected));

    // No timestamps: the last one added.
    let a = openvex(&[("CVE-1", p, "under_investigation", None)]);
    let b = openvex(&[("CVE-1", p, "fixed", None)]);
    assert_eq!(
        status(
            &VexSet::from_documents([a.clone(), b.clone()]),
            "CVE-1",
            &key
        ),
        Some(VexStatus::Fixed)
    );
    assert_eq!(
        status(
            &VexSet::from_documents([b.clone(), a.clone()]),
            "CVE-1",
            &key
        ),
        Some(VexStatus::UnderInvestigation)
    );
    // Inside one document: the later statement.
    let one = openvex(&[
        ("CVE-1", p, "affected", None),
        ("CVE-1", p, "not_affected", None),
    ]);
    assert_eq!(
        status(&VexSet::from_documents([one]), "CVE-1", &key),
        Some(VexStatus::NotAffected)
    );
    // A dated statement beats an undated one added later.
    let dated = openvex(&[("CVE-1", p, "affected", Some("2020-01-01T00:00:00Z"))]);
    assert_eq!(
        status(&VexSet::from_documents([dated, b]), "CVE-1", &key),
        Some(VexStatus::Affected)
    );
    // Only matching statements compete.
    let other = openvex(&[(
        "CVE-1",
        "pkg:apk/alpine/openssl",
        "affected",
        Some("2030-01-01T00:00:00Z"),
    )]);
    assert_eq!(
        status(&VexSet::from_documents([a, other]), "CVE-1", &key),
        Some(VexStatus::UnderInvestigation)
    );
}

#[test]
fn openvex_fixture_versionless_then_versioned() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/openvex/firmware.openvex.json");
    let doc = match riskmark_vex::parse_file(&path) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let set = VexSet::from_documents([doc]);
    // 3.0.8-1 is fixed by the later statement; other versions stay affected.
    let Some((st, source)) = set.lookup_with_source(
        "CVE-2023-0464",
        &[],
        &purl("pkg:deb/debian/openssl@3.0.8-1"),
        None,
    ) else {
        panic!("no statement");
    };
    assert_eq!(st.status, VexStatus::Fixed);
    assert!(source.ends_with("firmware.openvex.json"));
    assert_eq!(
        status(
            &set,
            "CVE-2023-0464",
            &purl("pkg:deb/debian/openssl@3.0.7-1")
        ),
        Some(VexStatus::Affected)
    );
    // Subcomponent purl with qualifier.
    let bb = status(
        &set,
        "GHSA-xxxx-busy-box0",
        &purl("pkg:apk/alpine/busybox@1.36.1-r2?arch=armv7"),
    );
    assert_eq!(bb, Some(VexStatus::NotAffected));
    assert_eq!(
        status(
            &set,
            "CVE-2022-48174",
            &purl("pkg:apk/alpine/busybox@1.36.1-r3?arch=armv7")
        ),
        None
    );
    assert!(VexStatus::NotAffected.suppresses() && VexStatus::Fixed.suppresses());
    assert!(!VexStatus::Affected.suppresses() && !VexStatus::UnderInvestigation.suppresses());
}
