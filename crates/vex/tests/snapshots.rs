//! The normalized model of a few real documents, as JSON snapshots.

use std::path::Path;

fn normalized(rel: &str) -> riskmark_vex::VexDocument {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => panic!("{}: {e}", path.display()),
    };
    match riskmark_vex::parse(&bytes, rel) {
        Ok(doc) => doc,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn cisa_case7_cyclonedx() {
    insta::assert_json_snapshot!(normalized("cyclonedx/CISA-Use-Cases_Case-7_vex.json"));
}

#[test]
fn secvisogram_csaf_vex() {
    insta::assert_json_snapshot!(normalized("csaf/sec-vex-2022-0001.json"));
}

#[test]
fn firmware_openvex() {
    insta::assert_json_snapshot!(normalized("openvex/firmware.openvex.json"));
}
