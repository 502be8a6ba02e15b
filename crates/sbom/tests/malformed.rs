//! Unreadable input is a typed error naming the problem; odd but readable
//! input is read with warnings. Nothing panics.

use proptest::prelude::*;
use riskmark_sbom::{SbomError, WarningKind, parse, parse_file};

fn err(input: &[u8]) -> SbomError {
    match parse(input, "input.sbom") {
        Ok(sbom) => panic!("expected an error, got {sbom:?}"),
        Err(e) => e,
    }
}

#[test]
fn empty_input() {
    for input in [&b""[..], b"   \n\t\r\n", b"\xEF\xBB\xBF"] {
        assert!(matches!(err(input), SbomError::Empty { .. }));
    }
    assert_eq!(err(b"").to_string(), "input.sbom: the input is empty");
}

#[test]
fn binary_garbage() {
    let e = err(&[0x00, 0x9F, 0x92, 0x96, 0xFF, 0x13, 0x37, 0x00, 0xC3]);
    assert!(matches!(e, SbomError::NotAnSbom { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("input.sbom: not a recognized SBOM"),
        "{e}"
    );
}

#[test]
fn missing_file_names_the_path() {
    let e = parse_file("/nonexistent/dir/bom.json").expect_err("missing");
    assert!(matches!(e, SbomError::Io { .. }));
    assert!(e.to_string().contains("/nonexistent/dir/bom.json"), "{e}");
}

#[test]
fn truncated_json_names_line_and_column() {
    let input = b"{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": [\n    {\"name\": \"a\"";
    let e = err(input);
    let SbomError::Json {
        line,
        column,
        ref message,
        ..
    } = e
    else {
        panic!("expected a JSON error, got {e:?}");
    };
    assert_eq!(line, 5);
    assert!(column > 0);
    assert!(message.contains("EOF"), "{message}");
    assert!(e.to_string().starts_with("input.sbom:5:"), "{e}");
}

#[test]
fn wrong_type_for_components_names_the_field() {
    let input = br#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "components": "busybox"}"#;
    let e = err(input);
    let SbomError::Json { line, ref path, .. } = e else {
        panic!("expected a JSON error, got {e:?}");
    };
    assert_eq!(line, 2);
    assert_eq!(path.as_deref(), Some("components"));
    assert!(e.to_string().contains("at `components`"), "{e}");
}

#[test]
fn wrong_type_for_spdx_packages_names_the_field() {
    let e = err(br#"{"spdxVersion": "SPDX-2.3", "packages": {"name": "x"}}"#);
    assert!(
        matches!(&e, SbomError::Json { path: Some(p), .. } if p == "packages"),
        "{e:?}"
    );
}

#[test]
fn json_that_is_not_an_sbom() {
    for input in [
        &br#"{"name": "left-pad", "version": "1.3.0"}"#[..],
        b"[1, 2, 3]",
    ] {
        assert!(matches!(err(input), SbomError::NotAnSbom { .. }));
    }
    let e = err(br#"{"bomFormat": "SWID", "specVersion": "1.0"}"#);
    assert!(e.to_string().contains("SWID"), "{e}");
}

#[test]
fn invalid_xml_names_line_and_column() {
    let input = b"<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n  <components>\n    <component type=\"library\"><name>a</name></components>\n</bom>\n";
    let e = err(input);
    let SbomError::Xml { line, .. } = e else {
        panic!("expected an XML error, got {e:?}");
    };
    assert_eq!(line, 4);
}

#[test]
fn truncated_xml() {
    let e = err(b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components><component>");
    assert!(matches!(e, SbomError::Xml { .. }), "{e:?}");
    assert!(e.to_string().contains("not closed"), "{e}");
}

#[test]
fn xml_that_is_not_cyclonedx() {
    let e = err(b"<html><body>404</body></html>");
    assert!(matches!(e, SbomError::NotAnSbom { .. }), "{e:?}");
    let e = err(b"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"></rdf:RDF>");
    assert!(e.to_string().contains("RDF"), "{e}");
}

#[test]
fn tag_value_broken_line_names_the_line() {
    let input = b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n\nPackageName: zlib\nthis line has no tag\n";
    let e = err(input);
    let SbomError::TagValue {
        line, ref message, ..
    } = e
    else {
        panic!("expected a tag-value error, got {e:?}");
    };
    assert_eq!(line, 6);
    assert!(message.contains("this line has no tag"), "{message}");
    assert!(
        e.to_string()
            .starts_with("input.sbom:6: invalid SPDX tag-value"),
        "{e}"
    );
}

#[test]
fn skipped_elements_become_warnings() {
    let input = br#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
      "components": [
        {"type": "library", "name": "ok", "version": "1", "bom-ref": "ok",
         "purl": "pkg:npm/ok@1", "cpe": "cpe:2.3:a:ok:ok:1:*:*:*:*:*:*:*"},
        {"type": "library", "version": "2", "bom-ref": "nameless"},
        42,
        {"type": "gadget", "name": "odd", "purl": "npm/odd", "cpe": "odd",
         "hashes": [{"alg": "SHA-256", "content": "ab"}, {"alg": "CRC32", "content": "cd"}]},
        {"type": "library", "name": "ok", "version": "1", "bom-ref": "ok",
         "purl": "pkg:npm/ok@1", "cpe": "cpe:2.3:a:ok:ok:1:*:*:*:*:*:*:*"},
        {"name": "nested-parent", "bom-ref": "p", "components": [{"name": "child", "bom-ref": "c"}]}
      ],
      "dependencies": [{"ref": "ok", "dependsOn": ["ghost", "p"]}, "not-an-object"]}"#;
    let sbom = parse(input, "odd.json").expect("readable");
    let kinds: Vec<WarningKind> = sbom.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        [
            WarningKind::MissingName,
            WarningKind::InvalidElement,
            WarningKind::UnknownValue,
            WarningKind::MalformedPurl,
            WarningKind::MalformedCpe,
            WarningKind::UnknownValue,
            WarningKind::DuplicateComponent,
            WarningKind::DanglingReference,
            WarningKind::InvalidElement,
        ],
        "{:#?}",
        sbom.warnings
    );
    assert_eq!(sbom.warnings[0].location, "components[1]");
    assert_eq!(sbom.warnings[1].location, "components[2]");
    let names: Vec<&str> = sbom.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["ok", "odd", "nested-parent", "child"]);
    // The odd component is kept: synthesized id, raw purl, raw CPE.
    let odd = &sbom.components[1];
    assert_eq!(odd.id, "components[3]");
    assert_eq!(odd.purl.as_deref(), Some("npm/odd"));
    assert!(odd.purl_parsed.is_none());
    assert_eq!(odd.cpes, ["odd"]);
    assert_eq!(odd.kind.as_str(), "gadget");
    // Nested components are flattened with their parent kept.
    assert_eq!(sbom.components[3].parent.as_deref(), Some("p"));
    assert!(sbom.relations.iter().any(|r| r.from == "p" && r.to == "c"));
    assert!(sbom.relations.iter().any(|r| r.from == "ok" && r.to == "p"));
}

#[test]
fn utf16_and_bom_inputs_are_read() {
    let doc = r#"{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [{"name": "é", "version": "1"}]}"#;
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in doc.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let sbom = parse(&utf16, "utf16.json").expect("utf-16");
    assert_eq!(sbom.components[0].name, "é");
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(doc.as_bytes());
    assert_eq!(
        parse(&with_bom, "bom.json").expect("bom").components.len(),
        1
    );
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning() {
    let sbom = parse(
        b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.4\", \"components\": [{\"name\": \"a\xFFb\"}]}",
        "latin1.json",
    )
    .expect("readable");
    assert_eq!(sbom.components[0].name, "a\u{FFFD}b");
    assert_eq!(sbom.warnings[0].kind, WarningKind::Encoding);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse(&bytes, "fuzz");
    }

    #[test]
    fn mangled_sboms_never_panic(
        which in 0usize..4,
        cut in 0usize..2000,
        junk in "[{}<>\\[\\]\":,/ a-z0-9\n\r&;#]{0,16}",
    ) {
        let docs: [&str; 4] = [
            include_str!("fixtures/kawipiko-sbom-cdx.json"),
            include_str!("fixtures/archivist-shell-cdx-first12.xml"),
            include_str!("fixtures/julia.spdx"),
            include_str!("fixtures/spdx-bom-balenalib_am571x-evm-alpine-node-8b2c99e327b7.spdx.json"),
        ];
        let doc = docs[which].as_bytes();
        let cut = cut.min(doc.len());
        let mut input = doc[..cut].to_vec();
        input.extend_from_slice(junk.as_bytes());
        input.extend_from_slice(&doc[cut..]);
        let _ = parse(&input, "mangled");
        let _ = parse(&doc[..cut], "truncated");
    }

    #[test]
    fn purl_and_cpe_strings_never_panic(purl in "pkg:[a-z%@/?#=&.:-]{0,40}", cpe in "cpe:[a-z0-9*:\\\\/.-]{0,40}") {
        let doc = serde_json::json!({
            "bomFormat": "CycloneDX", "specVersion": "1.5",
            "components": [{"name": "x", "purl": purl, "cpe": cpe}]
        });
        let sbom = parse(doc.to_string().as_bytes(), "purl").expect("readable");
        prop_assert_eq!(sbom.components.len(), 1);
    }
}

/// #14: CycloneDX components nested 3,000 deep overflowed the stack (SIGABRT, no
/// message); 100,000 deep took > 10 s and 4.5 GB. Now a located error, at once.
#[test]
fn regression_stack_overflow_nested_components() {
    for depth in [3_000usize, 100_000] {
        let mut doc = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#);
        for _ in 0..depth {
            doc.push_str(r#"[{"type":"library","name":"x","components":"#);
        }
        doc.push_str("[]");
        for _ in 0..depth {
            doc.push_str("}]");
        }
        doc.push('}');
        let e = parse(doc.as_bytes(), "deep.cdx.json").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("deep.cdx.json"), "{text}");
        assert!(text.contains("nested deeper than 64"), "{text}");
        assert_eq!(e.line(), Some(1), "{text}");
    }
    // A realistic nesting (components three levels down) still reads.
    let ok = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","components":[{"type":"library","name":"b","components":[{"type":"library","name":"c","version":"1"}]}]}]}"#;
    let sbom = parse(ok.as_bytes(), "ok.cdx.json").unwrap();
    assert_eq!(sbom.all_components().count(), 3);
}

/// #14: CycloneDX XML with a raw `<` in an attribute value (not well-formed) was read
/// without a word.
#[test]
fn regression_xml_raw_lt_in_attribute() {
    let doc = "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\">\n  <components>\n    <component type=\"library\" bom-ref=\"a<b\">\n      <name>x</name>\n    </component>\n  </components>\n</bom>\n";
    let e = err(doc.as_bytes());
    assert!(matches!(e, SbomError::Xml { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("input.sbom"), "{text}");
    assert!(text.contains("bom-ref"), "{text}");
    assert_eq!(e.line(), Some(4), "{text}");
    // The same document with the `<` escaped reads.
    let ok = doc.replace("a<b", "a&lt;b");
    let sbom = parse(ok.as_bytes(), "ok.xml").unwrap();
    assert_eq!(sbom.components[0].id, "a<b");
}
