//! Malformed requirements files: every problem names the file, line, column and field.

use riskmark_model::Diagnostic;
use riskmark_procure::{Kind, Level, load_bytes, load_path};

const HEAD: &str = "schema = \"riskmark/requirements/v1\"\n";

fn problems(text: &str) -> Vec<Diagnostic> {
    match load_bytes("buyer.toml", text.as_bytes()) {
        Ok(r) => panic!("loaded: {r:?}"),
        Err(e) => e.diagnostics(),
    }
}

/// The single problem, with its line, column and field.
fn one(text: &str) -> Diagnostic {
    let d = problems(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    let d = d.into_iter().next().unwrap();
    assert_eq!(d.file, "buyer.toml");
    assert!(d.line > 0 && d.column > 0, "{d:?}");
    d
}

fn requirement(body: &str) -> String {
    format!(
        "{HEAD}\n[[requirement]]\nid = \"r1\"\ntitle = \"t\"\nmandatory = true\nsource = \"NIST SP 800-213A\"\n{body}"
    )
}

#[test]
fn a_valid_file_loads_with_defaults() {
    let r = load_bytes(
        "buyer.toml",
        requirement("kind = \"support-period\"\nyears = 5\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(r.requirements.len(), 1);
    assert_eq!(r.requirements[0].kind, Kind::SupportPeriod { years: 5 });
    assert_eq!(r.requirements[0].evidence, Level::Declared);
    assert_eq!(r.purchase_date, None);
}

#[test]
fn unknown_key_is_located_with_a_suggestion() {
    let d = one(&requirement("kind = \"support-period\"\nyeras = 5\n"));
    assert_eq!(d.line, 9, "{d}");
    assert_eq!(d.field.as_deref(), Some("requirement[0].yeras"), "{d}");
    assert!(d.message.contains("did you mean `years`"), "{d}");
    let text = d.to_string();
    assert!(
        text.starts_with("buyer.toml:9:1: field `requirement[0].yeras`"),
        "{text}"
    );
}

#[test]
fn unknown_kind_suggests_the_closest() {
    let d = one(&requirement("kind = \"suport-period\"\nyears = 5\n"));
    assert_eq!(d.line, 8, "{d}");
    assert_eq!(d.field.as_deref(), Some("requirement[0].kind"));
    assert!(d.message.contains("did you mean `support-period`"), "{d}");
}

#[test]
fn a_missing_parameter_names_the_field() {
    let d = one(&requirement("kind = \"support-period\"\n"));
    assert_eq!(d.field.as_deref(), Some("requirement[0].years"));
    assert!(d.message.contains("needs `years`"), "{d}");
    // Located at the requirement's table.
    assert!((3..=8).contains(&d.line), "{d}");
}

#[test]
fn a_parameter_of_another_kind_is_refused() {
    let d = one(&requirement("kind = \"sbom\"\nyears = 5\n"));
    assert_eq!(d.line, 9, "{d}");
    assert_eq!(d.field.as_deref(), Some("requirement[0].years"));
    assert!(d.message.contains("does not apply to kind `sbom`"), "{d}");
    let d = one(&requirement(
        "kind = \"risk\"\nevidence = \"lab-verified\"\nmax_tier = \"high\"\n",
    ));
    assert_eq!(d.field.as_deref(), Some("requirement[0].evidence"));
}

#[test]
fn unknown_framework_is_located_in_the_list() {
    let d = one(&requirement(
        "kind = \"frameworks\"\nframeworks = [\"uk-psti\", \"nist-ir-8259\"]\n",
    ));
    assert_eq!(d.line, 9, "{d}");
    assert_eq!(d.field.as_deref(), Some("requirement[0].frameworks[1]"));
    assert!(
        d.message.contains("unknown framework `nist-ir-8259`"),
        "{d}"
    );
    assert_eq!(d.column, 26, "{d}");
    assert!(d.message.contains("(did you mean `nist-ir-8259"), "{d}");
}

#[test]
fn unknown_claim_is_located() {
    let d = one(&requirement(
        "kind = \"evidence\"\nclaims = [\"updates.signd\"]\n",
    ));
    assert_eq!(d.field.as_deref(), Some("requirement[0].claims[0]"));
    assert!(d.message.contains("did you mean `updates.signed`"), "{d}");
}

#[test]
fn wrong_types_and_values() {
    let d = one(&format!(
        "{HEAD}[[requirement]]\nid = \"r1\"\ntitle = \"t\"\nmandatory = \"yes\"\nsource = \"s\"\nkind = \"sbom\"\n"
    ));
    assert_eq!(d.line, 5, "{d}");
    assert_eq!(d.field.as_deref(), Some("requirement[0].mandatory"));
    assert!(d.message.contains("expected true or false"), "{d}");
    let d = one(&requirement("kind = \"risk\"\nmax_tier = \"hihg\"\n"));
    assert_eq!(d.line, 9, "{d}");
    assert_eq!(d.field.as_deref(), Some("requirement[0].max_tier"));
    assert!(d.message.contains("did you mean `high`"), "{d}");
    let d = one(&requirement("kind = \"risk\"\n"));
    assert!(d.message.contains("needs `max_tier`"), "{d}");
    let d = one(&requirement("kind = \"support-period\"\nyears = 0\n"));
    assert_eq!(d.field.as_deref(), Some("requirement[0].years"));
    let d = one(&requirement("kind = \"sbom\"\nevidence = \"lab\"\n"));
    assert_eq!(d.field.as_deref(), Some("requirement[0].evidence"));
    assert!(d.message.contains("lab-verified"), "{d}");
}

#[test]
fn purchase_date_must_be_a_date() {
    let d = one(&format!(
        "{HEAD}purchase_date = \"2026-13-01\"\n[[requirement]]\nid = \"r\"\ntitle = \"t\"\nmandatory = true\nsource = \"s\"\nkind = \"sbom\"\n"
    ));
    assert_eq!(d.line, 2, "{d}");
    assert_eq!(d.field.as_deref(), Some("purchase_date"));
}

#[test]
fn ids_are_unique_and_well_formed() {
    let text = format!(
        "{}\n[[requirement]]\nid = \"r1\"\ntitle = \"t\"\nmandatory = false\nsource = \"s\"\nkind = \"vex\"\n\n[[requirement]]\nid = \"Bad Id\"\ntitle = \"t\"\nmandatory = false\nsource = \"s\"\nkind = \"vex\"\n",
        requirement("kind = \"sbom\"")
    );
    let d = problems(&text);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(d[0].field.as_deref(), Some("requirement[1].id"));
    assert!(d[0].message.contains("duplicate id `r1`"), "{}", d[0]);
    assert_eq!(d[0].line, 10, "{}", d[0]);
    assert_eq!(d[1].field.as_deref(), Some("requirement[2].id"));
    assert!(d[1].message.contains("invalid id"), "{}", d[1]);
}

#[test]
fn schema_syntax_and_emptiness() {
    let d = one(
        "schema = \"riskmark/requirements/v2\"\n[[requirement]]\nid = \"r\"\ntitle = \"t\"\nmandatory = true\nsource = \"s\"\nkind = \"sbom\"\n",
    );
    assert_eq!(d.field.as_deref(), Some("schema"));
    assert!(d.message.contains("riskmark/requirements/v1"), "{d}");
    let d = one(
        "schema = \"riskmark/device-profile/v1\"\n[[requirement]]\nid = \"r\"\ntitle = \"t\"\nmandatory = true\nsource = \"s\"\nkind = \"sbom\"\n",
    );
    assert!(d.message.contains("this is a device profile"), "{d}");
    let d = one(&format!("{HEAD}[[requirement]\nid = 1\n"));
    assert_eq!(d.line, 2, "{d}");
    assert!(d.message.starts_with("invalid TOML"), "{d}");
    let d = one(HEAD);
    assert_eq!(d.field.as_deref(), Some("requirement"));
    let empty = problems("  \n");
    assert_eq!(empty.len(), 1);
    assert!(empty[0].message.contains("empty"), "{:?}", empty[0]);
    let missing = one(&format!(
        "{HEAD}[[requirement]]\nid = \"r\"\ntitle = \"t\"\nmandatory = true\nkind = \"sbom\"\n"
    ));
    assert!(missing.message.contains("source"), "{missing}");
}

#[test]
fn a_file_that_is_not_there_is_named() {
    let e = load_path(std::path::Path::new("/nonexistent/buyer.toml")).unwrap_err();
    let d = e.diagnostics();
    assert_eq!(d[0].file, "/nonexistent/buyer.toml");
    assert!(d[0].message.contains("cannot read"), "{:?}", d[0]);
}

#[test]
fn the_shipped_examples_load() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/requirements");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let r = load_path(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.requirements.len() >= 5, "{}", path.display());
        for q in &r.requirements {
            assert!(!q.source.trim().is_empty(), "{}: {}", path.display(), q.id);
        }
        n += 1;
    }
    assert_eq!(n, 3);
}
