//! Input that is not a VEX document, or is a broken one: typed errors and
//! warnings, never a panic.

use proptest::prelude::*;
use riskmark_vex::{VexError, VexStatus, parse};

fn err(input: &str) -> VexError {
    match parse(input.as_bytes(), "bad.json") {
        Ok(doc) => panic!("expected an error, got {doc:?}"),
        Err(e) => e,
    }
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let e = err("{\n  \"@context\": \"https://openvex.dev/ns/v0.2.0\",\n  \"statements\": [,]\n}");
    match &e {
        VexError::Json {
            origin,
            line,
            column,
            field,
            ..
        } => {
            assert_eq!(origin, "bad.json");
            assert_eq!(*line, 3);
            assert_eq!(*column, 18);
            assert_eq!(field, &None);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string().starts_with("bad.json:3:18: invalid JSON"),
        "{e}"
    );
    assert!(matches!(err(""), VexError::Json { line: 1, .. }));
    assert!(matches!(err("{\"a\": 1"), VexError::Json { .. }));
}

#[test]
fn wrong_field_type_names_the_field() {
    let e = err(r#"{"@context": "https://openvex.dev/ns/v0.2.0",
  "statements": [{"vulnerability": {"name": "CVE-1"}, "products": [], "status": 7}]}"#);
    assert_eq!(e.field(), Some("statements[0].status"), "{e}");
    assert_eq!(e.line(), Some(2));
    assert!(e.to_string().contains("at `statements[0].status`"), "{e}");

    let e = err(r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
      "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "not_affected", "response": "update"}}]}"#);
    assert_eq!(
        e.field(),
        Some("vulnerabilities[0].analysis.response"),
        "{e}"
    );

    let e = err(
        r#"{"document": {"csaf_version": "2.0"}, "vulnerabilities": [{"cve": "CVE-1",
      "product_status": {"known_not_affected": "CSAFPID-1"}}]}"#,
    );
    assert_eq!(
        e.field(),
        Some("vulnerabilities[0].product_status.known_not_affected"),
        "{e}"
    );
}

#[test]
fn not_a_vex_document() {
    for input in [
        "[]",
        "\"x\"",
        "42",
        "null",
        "{}",
        r#"{"spdxVersion": "SPDX-2.3"}"#,
        r#"{"bomFormat": "SPDX"}"#,
    ] {
        let e = err(input);
        assert!(
            matches!(e, VexError::UnknownFormat { .. }),
            "{input}: {e:?}"
        );
        assert!(
            e.to_string().starts_with("bad.json: not a VEX document"),
            "{e}"
        );
    }
}

#[test]
fn unknown_statuses_are_warnings_and_skipped() {
    let doc = parse(
        br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": [
            {"id": "CVE-1", "analysis": {"state": "maybe"}, "affects": [{"ref": "a"}]},
            {"id": "CVE-2", "analysis": {"state": "exploitable"},
             "affects": [{"ref": "a", "versions": [{"version": "1", "status": "perhaps"}, {"version": "2"}]}]},
            {"id": "CVE-3", "affects": [{"ref": "a"}]}
        ]}"#,
        "x.cdx.json",
    );
    let doc = match doc {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(doc.statements.len(), 1);
    assert_eq!(doc.statements[0].vulnerability, "CVE-2");
    assert_eq!(doc.statements[0].status, VexStatus::Affected);
    assert_eq!(doc.statements[0].products.len(), 1);
    let w = doc.warnings.join("\n");
    assert!(w.contains("unknown analysis.state `maybe`"), "{w}");
    assert!(w.contains("unknown status `perhaps`"), "{w}");
    assert!(w.contains("CVE-3 has no `analysis`"), "{w}");

    let csaf = parse(
        br#"{"document": {"category": "csaf_vex", "csaf_version": "2.0"},
             "product_tree": {"full_product_names": [{"name": "X", "product_id": "P1",
               "product_identification_helper": {"purl": "pkg:generic/x@1"}}]},
             "vulnerabilities": [{"cve": "CVE-1", "product_status": {"probably_fine": ["P1"], "known_affected": ["P1", "P9"]}}]}"#,
        "x.csaf.json",
    );
    let csaf = match csaf {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(csaf.statements.len(), 1);
    assert_eq!(
        csaf.statements[0].products[0].purl.as_deref(),
        Some("pkg:generic/x@1")
    );
    let w = csaf.warnings.join("\n");
    assert!(w.contains("unknown status `probably_fine`"), "{w}");
    assert!(w.contains("product `P9` is not defined"), "{w}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse(&bytes, "fuzz");
    }

    /// Mutations of a real document: each result is a document or an error.
    #[test]
    fn mutated_documents_never_panic(cut in 0usize..2000, byte in any::<u8>()) {
        let base = include_bytes!("fixtures/cyclonedx/CISA-Use-Cases_Case-7_vex.json");
        let mut v = base.to_vec();
        let i = cut % v.len();
        v[i] = byte;
        let _ = parse(&v, "fuzz");
        let _ = parse(&base[..i], "fuzz");
    }

    /// Structurally valid JSON with random values in VEX places.
    #[test]
    fn random_values_in_vex_shapes_never_panic(
        status in "[a-z_]{0,20}",
        id in "\\PC{0,20}",
        purl in "(pkg:)?[a-zA-Z%@/?&=#.]{0,30}",
        range in "(vers:)?[a-z]{0,8}/?[<>=!|*0-9.]{0,20}",
    ) {
        let doc = serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "statements": [{"vulnerability": {"name": id}, "products": [{"@id": purl}], "status": status}]
        });
        if let Ok(d) = parse(doc.to_string().as_bytes(), "fuzz") {
            let set = riskmark_vex::VexSet::from_documents([d]);
            let key = riskmark_vex::ComponentKey { purl: Some(&purl), bom_ref: None, cpes: &[] };
            let _ = set.lookup(&id, &[], &key);
        }
        let cdx = serde_json::json!({
            "bomFormat": "CycloneDX", "specVersion": "1.5",
            "vulnerabilities": [{"id": id, "analysis": {"state": status},
              "affects": [{"ref": purl, "versions": [{"range": range}]}]}]
        });
        if let Ok(d) = parse(cdx.to_string().as_bytes(), "fuzz") {
            let set = riskmark_vex::VexSet::from_documents([d]);
            let key = riskmark_vex::ComponentKey { purl: None, bom_ref: Some(&purl), cpes: &[] };
            let _ = set.lookup_at_version(&id, &[], &key, Some("1.2.3"));
        }
    }
}

#[test]
fn csaf_vex_not_affected_without_impact_is_reported() {
    let doc = parse(
        br#"{"document": {"category": "csaf_vex", "csaf_version": "2.0"},
             "product_tree": {"full_product_names": [{"name": "X", "product_id": "P1",
               "product_identification_helper": {"cpe": "cpe:2.3:a:x:x:1:*:*:*:*:*:*:*"}}]},
             "vulnerabilities": [{"cve": "CVE-1", "product_status": {"known_not_affected": ["P1"]}}]}"#,
        "x.csaf.json",
    );
    let doc = match doc {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(doc.statements.len(), 1);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("without a flag or impact statement")),
        "{:?}",
        doc.warnings
    );
}
