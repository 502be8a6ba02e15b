//! Loading profiles: the spec's own example, and malformed inputs that must each give a
//! precise, located error.

use riskmark_model::{Category, DefaultPassword, Diagnostic, LoadError, load_bytes, load_path};

const SPEC: &str = include_str!("fixtures/spec-example.toml");

fn errors(name: &str, text: &str) -> Vec<Diagnostic> {
    match load_bytes(name, text.as_bytes()) {
        Ok(_) => panic!("{name} loaded but should not have"),
        Err(e) => e.diagnostics(),
    }
}

fn one_error(name: &str, text: &str) -> Diagnostic {
    let d = errors(name, text);
    assert_eq!(d.len(), 1, "expected one diagnostic, got {d:#?}");
    d.into_iter().next().unwrap()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn spec_example_loads() {
    let p = load_bytes("spec.toml", SPEC.as_bytes()).unwrap();
    assert_eq!(p.profile.product.category, Category::SmartPlug);
    assert_eq!(
        p.profile.identity.as_ref().unwrap().default_password,
        Some(DefaultPassword::UniquePerDevice)
    );
    assert_eq!(p.profile.evidence.len(), 1);
    let pos = p.locations.get("updates.support_end").unwrap();
    assert_eq!(pos.line, line_of(SPEC, "support_end ="));
    let svc = p.locations.get("connectivity.services[0]").unwrap();
    assert_eq!(svc.line, line_of(SPEC, "{ port = 80"));
}

#[test]
fn json_form_is_equivalent() {
    let toml_p = load_bytes("spec.toml", SPEC.as_bytes()).unwrap().profile;
    let json = serde_json::to_string_pretty(&toml_p).unwrap();
    let json_p = load_bytes("spec.json", json.as_bytes()).unwrap();
    assert_eq!(json_p.profile, toml_p);
    assert!(json_p.locations.get("identity.default_password").is_some());
}

#[test]
fn not_declared_is_distinct_from_false() {
    let text = SPEC.replace("upnp = false\n", "");
    let p = load_bytes("p.toml", text.as_bytes()).unwrap().profile;
    assert_eq!(p.connectivity.upnp, None);
    let p = load_bytes("p.toml", SPEC.as_bytes()).unwrap().profile;
    assert_eq!(p.connectivity.upnp, Some(false));
}

#[test]
fn typo_key_names_field_line_and_suggestion() {
    let text = SPEC.replace("units_in_market", "unit_in_market");
    let d = one_error("typo.toml", &text);
    assert_eq!(d.field.as_deref(), Some("product.unit_in_market"));
    assert_eq!(d.line, line_of(&text, "unit_in_market"));
    assert_eq!(d.column, 1);
    assert!(
        d.message.contains("did you mean `units_in_market`"),
        "{}",
        d.message
    );
    assert_eq!(d.file, "typo.toml");
}

#[test]
fn wrong_type_is_located() {
    let text = SPEC.replace("upnp = false", "upnp = \"no\"");
    let d = one_error("type.toml", &text);
    assert_eq!(d.field.as_deref(), Some("connectivity.upnp"));
    assert_eq!(d.line, line_of(&text, "upnp = \"no\""));
    assert!(
        d.message.contains("expected true or false"),
        "{}",
        d.message
    );
}

#[test]
fn unknown_enum_value_lists_the_allowed_ones() {
    let text = SPEC.replace("environment = \"home\"", "environment = \"hom\"");
    let d = one_error("enum.toml", &text);
    assert_eq!(d.field.as_deref(), Some("use.environment"));
    assert_eq!(d.line, line_of(&text, "\"hom\""));
    assert!(d.message.contains("did you mean `home`"), "{}", d.message);
    assert!(
        d.message.contains("critical-infrastructure"),
        "{}",
        d.message
    );
}

#[test]
fn unknown_value_inside_an_array_of_tables() {
    let text = SPEC.replace("authentication = \"none\"", "authentication = \"nope\"");
    let d = one_error("svc.toml", &text);
    assert_eq!(
        d.field.as_deref(),
        Some("connectivity.services[0].authentication")
    );
    assert_eq!(d.line, line_of(&text, "\"nope\""));
}

#[test]
fn several_sections_report_several_errors() {
    let text = SPEC
        .replace("upnp = false", "upnp = 3")
        .replace("signed = true", "signd = true")
        .replace("category = \"smart-plug\"", "category = \"smart-plugg\"");
    let d = errors("many.toml", &text);
    let fields: Vec<_> = d.iter().filter_map(|d| d.field.as_deref()).collect();
    assert_eq!(
        fields,
        ["product.category", "connectivity.upnp", "updates.signd"],
        "{d:#?}"
    );
}

#[test]
fn unknown_top_level_key() {
    let text = format!("{SPEC}\n[updatez]\nsigned = true\n");
    let d = one_error("top.toml", &text);
    assert_eq!(d.field.as_deref(), Some("updatez"));
    assert!(
        d.message.contains("did you mean `updates`"),
        "{}",
        d.message
    );
}

#[test]
fn wrong_schema_and_missing_sections() {
    let text = SPEC.replace("riskmark/device-profile/v1", "riskmark/device-profile/v2");
    let d = one_error("schema.toml", &text);
    assert_eq!(d.field.as_deref(), Some("schema"));
    assert!(d.message.contains("riskmark/device-profile/v1"));

    let d = errors("min.toml", "schema = \"riskmark/device-profile/v1\"\n");
    let fields: Vec<_> = d.iter().filter_map(|d| d.field.as_deref()).collect();
    assert_eq!(fields, ["product", "use", "connectivity"]);
}

#[test]
fn missing_required_field() {
    let text = SPEC.replace("model = \"SP-100\"", "");
    let d = one_error("m.toml", &text);
    assert_eq!(d.field.as_deref(), Some("product"));
    assert!(d.message.contains("missing field `model`"), "{}", d.message);
    assert_eq!(d.line, line_of(&text, "[product]"));
}

#[test]
fn bad_date_and_market() {
    let text = SPEC
        .replace("2031-12-31", "2031-13-31")
        .replace("\"SG\"]", "\"sg\"]");
    let d = errors("d.toml", &text);
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(
        d[0].message.contains("invalid market `sg`"),
        "{}",
        d[0].message
    );
    assert!(
        d[1].message.contains("invalid date `2031-13-31`"),
        "{}",
        d[1].message
    );
    assert_eq!(d[1].line, line_of(&text, "2031-13-31"));
}

#[test]
fn evidence_claim_must_name_a_field() {
    let text = SPEC.replace("claim = \"updates.signed\"", "claim = \"updates.signd\"");
    let d = one_error("ev.toml", &text);
    assert_eq!(d.field.as_deref(), Some("evidence[0].claim"));
    assert!(
        d.message.contains("did you mean `updates.signed`"),
        "{}",
        d.message
    );
}

#[test]
fn toml_syntax_error_is_located() {
    let text = SPEC.replace("name = \"Acme Smart Plug\"", "name = \"Acme Smart Plug");
    let d = one_error("syntax.toml", &text);
    assert!(d.message.starts_with("invalid TOML"), "{}", d.message);
    assert_eq!(d.line, line_of(&text, "name = \"Acme Smart Plug"));
}

#[test]
fn json_errors_are_located() {
    let d = one_error(
        "bad.json",
        "{\n  \"schema\": \"riskmark/device-profile/v1\",\n  \"product\": }\n",
    );
    assert_eq!(d.line, 3);
    assert!(d.message.starts_with("invalid JSON"), "{}", d.message);

    let p = load_bytes("spec.toml", SPEC.as_bytes()).unwrap().profile;
    let json = serde_json::to_string_pretty(&p)
        .unwrap()
        .replace("\"upnp\": false", "\"upnp\": \"no\"");
    let d = one_error("type.json", &json);
    assert_eq!(d.field.as_deref(), Some("connectivity.upnp"));
    assert_eq!(d.line, line_of(&json, "\"upnp\""));

    let d = one_error("arr.json", "[1, 2]");
    assert!(d.message.contains("must be an object"));
}

#[test]
fn empty_garbage_and_huge_inputs() {
    let d = one_error("empty.toml", "  \n\n");
    assert!(d.message.contains("file is empty"), "{}", d.message);

    let garbage: Vec<u8> = (0..2048u32)
        .map(|i| (i * 7919 % 251) as u8 | 0x80)
        .collect();
    let e = load_bytes("garbage.bin", &garbage).unwrap_err();
    assert!(e.to_string().contains("not UTF-8"), "{e}");

    let d = one_error("nul.toml", "schema = \"x\"\0\0");
    assert!(d.message.contains("NUL"), "{}", d.message);

    let dir = tempfile_dir();
    let big = dir.join("big.toml");
    let mut f = std::fs::File::create(&big).unwrap();
    let line = "# padding padding padding padding padding padding padding padding\n";
    for _ in 0..(50 * 1024 * 1024 / line.len()) {
        std::io::Write::write_all(&mut f, line.as_bytes()).unwrap();
    }
    drop(f);
    let e = load_path(&big).unwrap_err();
    assert!(e.to_string().contains("are refused"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep_toml = format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        load_bytes("deep.toml", deep_toml.as_bytes()),
        Err(LoadError::Invalid(_))
    ));
    let deep_json = format!("{{\"x\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        load_bytes("deep.json", deep_json.as_bytes()),
        Err(LoadError::Invalid(_))
    ));
    let deep_tables = format!("x = {}1{}\n", "{a = ".repeat(50_000), "}".repeat(50_000));
    assert!(matches!(
        load_bytes("deep2.toml", deep_tables.as_bytes()),
        Err(LoadError::Invalid(_))
    ));
}

#[test]
fn missing_file_is_an_io_error() {
    let e = load_path(std::path::Path::new("/nonexistent/p.toml")).unwrap_err();
    assert!(matches!(e, LoadError::Io { .. }));
    assert!(
        e.to_string()
            .starts_with("/nonexistent/p.toml: cannot read")
    );
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("riskmark-model-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
