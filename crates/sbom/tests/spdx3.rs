//! SPDX 3.0 JSON-LD, on a small hand-written document in the shape the
//! SPDX 3.0.1 JSON-LD context produces (no real-world SPDX 3 SBOM is in the
//! corpus yet).

use riskmark_sbom::{ComponentKind, Format, HashAlg, RelationKind, WarningKind, parse};

const DOC: &str = r#"{
  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
  "@graph": [
    {"type": "CreationInfo", "@id": "_:creationinfo", "specVersion": "3.0.1",
     "created": "2025-01-02T03:04:05Z", "createdBy": ["urn:acme:org"]},
    {"type": "Organization", "spdxId": "urn:acme:org", "creationInfo": "_:creationinfo",
     "name": "ACME Devices"},
    {"type": "Tool", "spdxId": "urn:acme:tool", "creationInfo": "_:creationinfo",
     "name": "acme-sbom 2.0"},
    {"type": "SpdxDocument", "spdxId": "urn:acme:doc", "creationInfo": "_:creationinfo",
     "name": "thermostat-firmware", "rootElement": ["urn:acme:sbom"]},
    {"type": "software_Sbom", "spdxId": "urn:acme:sbom", "creationInfo": "_:creationinfo",
     "rootElement": ["urn:acme:fw"]},
    {"type": "software_Package", "spdxId": "urn:acme:fw", "creationInfo": "_:creationinfo",
     "name": "thermostat-fw", "software_packageVersion": "4.2.0",
     "software_primaryPurpose": "firmware", "suppliedBy": "urn:acme:org"},
    {"type": "software_Package", "spdxId": "urn:acme:busybox", "creationInfo": "_:creationinfo",
     "name": "busybox", "software_packageVersion": "1.36.1",
     "software_packageUrl": "pkg:generic/busybox@1.36.1",
     "software_primaryPurpose": "operatingSystem",
     "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "cpe23",
       "identifier": "cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*"}],
     "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "00ff"}]},
    {"type": "software_Package", "spdxId": "urn:acme:gcc", "creationInfo": "_:creationinfo",
     "name": "gcc", "software_packageVersion": "13.2"},
    {"type": "software_File", "spdxId": "urn:acme:file", "creationInfo": "_:creationinfo",
     "name": "/bin/sh"},
    {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:acme:gpl",
     "creationInfo": "_:creationinfo", "simplelicensing_licenseExpression": "GPL-2.0-only"},
    {"type": "Relationship", "spdxId": "urn:acme:r1", "creationInfo": "_:creationinfo",
     "from": "urn:acme:fw", "relationshipType": "contains", "to": ["urn:acme:busybox"]},
    {"type": "LifecycleScopedRelationship", "spdxId": "urn:acme:r2",
     "creationInfo": "_:creationinfo", "from": "urn:acme:fw", "relationshipType": "dependsOn",
     "scope": "build", "to": ["urn:acme:gcc"]},
    {"type": "Relationship", "spdxId": "urn:acme:r3", "creationInfo": "_:creationinfo",
     "from": "urn:acme:busybox", "relationshipType": "hasDeclaredLicense", "to": ["urn:acme:gpl"]},
    {"type": "Relationship", "spdxId": "urn:acme:r4", "creationInfo": "_:creationinfo",
     "from": "urn:acme:busybox", "relationshipType": "contains", "to": ["urn:acme:file"]},
    {"type": "Relationship", "spdxId": "urn:acme:r5", "creationInfo": "_:creationinfo",
     "from": "urn:acme:fw", "relationshipType": "dependsOn", "to": ["urn:elsewhere:libc"]}
  ]
}"#;

#[test]
fn spdx3_json_ld_document() {
    let sbom = parse(DOC.as_bytes(), "fw.spdx3.json").expect("readable");
    assert_eq!(sbom.format, Format::Spdx3JsonLd);
    assert_eq!(sbom.spec_version, "3.0.1");
    assert_eq!(sbom.name.as_deref(), Some("thermostat-firmware"));
    assert_eq!(sbom.serial.as_deref(), Some("urn:acme:doc"));
    assert_eq!(sbom.created.as_deref(), Some("2025-01-02T03:04:05Z"));
    assert_eq!(sbom.tools, ["acme-sbom 2.0"]);

    let root = sbom
        .root
        .as_ref()
        .expect("root via software_Sbom.rootElement");
    assert_eq!(root.id, "urn:acme:fw");
    assert_eq!(root.kind, ComponentKind::Firmware);
    assert_eq!(root.supplier.as_deref(), Some("ACME Devices"));

    assert_eq!(sbom.components.len(), 2);
    let busybox = sbom.component("urn:acme:busybox").expect("busybox");
    assert_eq!(busybox.kind, ComponentKind::OperatingSystem);
    assert_eq!(busybox.purl.as_deref(), Some("pkg:generic/busybox@1.36.1"));
    assert_eq!(
        busybox.cpes,
        ["cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*"]
    );
    assert_eq!(busybox.hashes[0].alg, HashAlg::Sha256);

    let relations: Vec<(&str, &RelationKind, &str)> = sbom
        .relations
        .iter()
        .map(|r| (r.from.as_str(), &r.kind, r.to.as_str()))
        .collect();
    assert_eq!(
        relations,
        [
            ("urn:acme:fw", &RelationKind::Contains, "urn:acme:busybox"),
            ("urn:acme:fw", &RelationKind::DevDependsOn, "urn:acme:gcc"),
        ]
    );
    // The file and licence relations are outside the model; the reference
    // to an element the graph does not hold is reported.
    assert_eq!(sbom.warnings.len(), 1, "{:?}", sbom.warnings);
    assert_eq!(sbom.warnings[0].kind, WarningKind::DanglingReference);
    assert_eq!(sbom.warnings[0].location, "@graph[14]");
}

#[test]
fn spdx3_graph_with_wrong_type_is_an_error() {
    let doc = r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": 7}"#;
    let e = parse(doc.as_bytes(), "bad.json").expect_err("wrong type");
    assert!(e.to_string().contains("at `@graph`"), "{e}");
}
