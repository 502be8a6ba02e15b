//! The embedded catalogs: they load, have the standards' own counts, and map every
//! control to a check or mark it manual; user catalogs get located errors.

use riskmark_frameworks::{Status, embedded, embedded_errors, find, from_oscal};

#[test]
fn every_embedded_catalog_loads() {
    let errors = embedded_errors();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let ids: Vec<&str> = embedded().iter().map(|f| f.id.as_str()).collect();
    for id in [
        "nist-ir-8259a",
        "nist-ir-8259b",
        "nist-ir-8425",
        "nist-sp-800-213a",
        "etsi-en-303-645",
        "etsi-en-303-645-v2",
        "eu-cra",
        "uk-psti",
        "sg-cls",
        "en-18031-1",
        "iec-62443-4-2",
    ] {
        assert!(ids.contains(&id), "missing {id} in {ids:?}");
    }
}

fn counts(id: &str) -> (usize, usize) {
    let f = find(id).unwrap();
    let m = f
        .controls
        .iter()
        .filter(|c| c.status == Status::Mandatory)
        .count();
    (f.controls.len(), m)
}

#[test]
fn en_303_645_counts_match_the_standard() {
    // V3.1.3 Annex B: 78 rows, 36 M / 42 R. V2.1.1: 68 provisions, 33 M / 35 R.
    assert_eq!(counts("etsi-en-303-645"), (78, 36));
    assert_eq!(counts("etsi-en-303-645-v2"), (68, 33));
    let v2 = find("etsi-en-303-645-v2").unwrap();
    let p511 = v2.controls.iter().find(|c| c.id == "5.1-1").unwrap();
    assert!(
        p511.checks
            .iter()
            .any(|c| c == "default-password-universal")
    );
    let p5313 = v2.controls.iter().find(|c| c.id == "5.3-13").unwrap();
    assert!(p5313.checks.iter().any(|c| c == "support-period-published"));
}

#[test]
fn psti_has_its_three_requirements() {
    let f = find("uk-psti").unwrap();
    assert_eq!(f.controls.len(), 3);
    assert!(f.controls.iter().all(|c| !c.checks.is_empty()));
}

#[test]
fn every_control_maps_to_a_check_or_is_manual_and_names_who_is_responsible() {
    for f in embedded() {
        for c in &f.controls {
            assert!(
                !c.checks.is_empty() || c.manual,
                "{} {} maps to nothing",
                f.id,
                c.id
            );
            assert!(
                !c.responsible.is_empty(),
                "{} {} names no responsible party",
                f.id,
                c.id
            );
        }
    }
}

#[test]
fn user_catalog_errors_are_located() {
    let text = r#"{
  "catalog": {
    "uuid": "3f1e5a8c-1d2b-4c3d-8e9f-0a1b2c3d4e5f",
    "metadata": {"title": "Acme baseline", "version": "1", "oscal-version": "1.1.2", "last-modified": "2026-11-24T00:00:00Z"},
    "groups": [{"id": "g1", "title": "Passwords", "controls": [
      {"id": "acme-1", "title": "No shared passwords", "props": [
        {"name": "check", "value": "default-password-universl"},
        {"name": "responsible", "value": "manufacturer"}
      ]},
      {"id": "acme-2", "title": "Policy", "props": [{"name": "responsible", "value": "vendor"}]}
    ]}]
  }
}"#;
    let e = from_oscal("acme.json", text.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("acme.json:7:"), "{e}");
    assert!(
        e.contains("did you mean `default-password-universal`"),
        "{e}"
    );
    assert!(e.contains("maps to no check"), "{e}");
    assert!(e.contains("unknown responsible party `vendor`"), "{e}");
    let e = from_oscal("bad.json", b"{\"catalog\": {\"uuid\": 3}}")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bad.json:1:") && e.contains("catalog.uuid"),
        "{e}"
    );
}

#[test]
fn a_user_catalog_loads_without_recompiling() {
    let text = r#"{"catalog": {"uuid": "3f1e5a8c-1d2b-4c3d-8e9f-0a1b2c3d4e5f",
      "metadata": {"title": "Acme baseline", "version": "1", "oscal-version": "1.1.2", "last-modified": "2026-11-24T00:00:00Z",
        "props": [{"name": "framework-id", "value": "acme-baseline"}, {"name": "markets", "value": "US,EU"}]},
      "controls": [{"id": "acme-1", "title": "No shared passwords", "props": [
        {"name": "label", "value": "A-1"}, {"name": "check", "value": "default-password-universal"},
        {"name": "responsible", "value": "manufacturer"}]}]}}"#;
    let f = from_oscal("acme.json", text.as_bytes()).unwrap();
    assert_eq!(f.id, "acme-baseline");
    assert_eq!(f.controls[0].id, "A-1");
    assert_eq!(f.markets, ["US", "EU"]);
}
