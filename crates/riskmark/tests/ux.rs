//! What a user sees at the terminal: closed pipes end quietly, huge one-line inputs are
//! quoted around the problem, not whole.

use std::io::Read as _;
use std::process::{Command, Stdio};

mod common;
use common::root;

/// A profile with thousands of problems: more diagnostics than a pipe buffer holds.
fn noisy_profile(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = std::fs::read_to_string(root().join("examples/smart-plug.toml")).unwrap();
    text.push_str("\n[extra]\n");
    for i in 0..3000 {
        text.push_str(&format!("unknown_key_number_{i} = {i}\n"));
    }
    let p = dir.join("noisy.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// `riskmark validate noisy.toml 2>&1 | head -c 100`: the reader goes away after 100
/// bytes; riskmark ends with its exit code, not a panic.
#[test]
fn a_closed_stderr_or_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let p = noisy_profile(dir.path());
    for (stream, args) in [
        (
            "stderr",
            vec!["validate".to_owned(), p.display().to_string()],
        ),
        ("stdout", vec!["checks".to_owned(), "list".to_owned()]),
    ] {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("riskmark"));
        cmd.args(&args).current_dir(root()).stdin(Stdio::null());
        if stream == "stderr" {
            cmd.stderr(Stdio::piped()).stdout(Stdio::null());
        } else {
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        }
        let mut child = cmd.spawn().unwrap();
        let mut first = [0u8; 100];
        if stream == "stderr" {
            let mut err = child.stderr.take().unwrap();
            err.read_exact(&mut first).unwrap();
            drop(err);
        } else {
            let mut out = child.stdout.take().unwrap();
            out.read_exact(&mut first).unwrap();
            drop(out);
        }
        let status = child.wait().unwrap();
        let mut rest = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut rest);
        }
        assert_ne!(status.code(), Some(101), "{stream}: panicked: {rest}");
        assert!(!rest.contains("panicked"), "{stream}: {rest}");
        let want = if stream == "stderr" { Some(2) } else { Some(0) };
        assert_eq!(status.code(), want, "{stream}");
    }
}

/// A 3.5 MB one-line JSON profile with a problem near its end: the message quotes a window
/// around the problem, not the line.
#[test]
fn a_huge_one_line_input_is_quoted_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let pad = "x".repeat(3_500_000);
    let json = format!(
        r#"{{"schema": "riskmark/device-profile/v1", "product": {{"manufacturer": "{pad}", "name": "n", "model": "m", "category": "smart-plug", "unit_in_market": 3}}}}"#
    );
    let p = dir.path().join("huge.json");
    std::fs::write(&p, json).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("riskmark"))
        .args(["validate"])
        .arg(&p)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}", &err[..err.len().min(500)]);
    assert!(err.len() < 20_000, "{} bytes of error", err.len());
    assert!(
        err.contains("unit_in_market"),
        "{}",
        &err[..err.len().min(2000)]
    );
}

/// Text output fits 80 columns when it is not a terminal, and wraps instead of cutting:
/// every framework version and every failing control id of the JSON is in the text.
#[test]
fn text_fits_80_columns_and_cuts_nothing() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = common::command_in(home.path()).args(args).output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let mut profiles: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("examples/{n}"))
        .collect();
    profiles.sort();
    for p in &profiles {
        for args in [
            vec!["assess", p.as_str(), "--as-of", "2026-11-24"],
            vec!["classify", p.as_str(), "--as-of", "2026-11-24"],
        ] {
            let text = run(&args);
            for line in text.lines() {
                assert!(
                    line.chars().count() <= 80,
                    "{args:?}: {} columns: {line}",
                    line.chars().count()
                );
            }
            assert!(!text.contains("..."), "{args:?} cuts something");
        }
        let text: String = run(&["assess", p, "--as-of", "2026-11-24"])
            .split_whitespace()
            .collect();
        let json: serde_json::Value = serde_json::from_str(&run(&[
            "assess",
            p,
            "--as-of",
            "2026-11-24",
            "--format",
            "json",
        ]))
        .unwrap();
        for f in json["frameworks"].as_array().unwrap() {
            let version: String = f["version"].as_str().unwrap().split_whitespace().collect();
            assert!(text.contains(&version), "{p}: version {version} missing");
            if f["applies"] == true {
                for c in f["controls"].as_array().unwrap() {
                    if matches!(c["status"].as_str(), Some("fail" | "needs-evidence")) {
                        let id: String = c["id"].as_str().unwrap().split_whitespace().collect();
                        assert!(text.contains(&id), "{p}: control {id} missing");
                    }
                }
            }
        }
    }
    let table = run(&[
        "vulns",
        "examples/sbom/home-router-firmware.cdx.json",
        "--vex",
        "examples/sbom/home-router-firmware.openvex.json",
        "--show-suppressed",
    ]);
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    assert!(
        table.contains("examples/sbom/home-router-firmware.openvex.json"),
        "{table}"
    );
}

/// Messages speak the profile format's words, not Rust's types; a missing rules file is
/// named once.
#[test]
fn messages_are_in_user_words() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.toml");
    std::fs::write(
        &p,
        "schema = \"riskmark/device-profile/v1\"\n[product]\nmanufacturer = \"a\"\nname = \"b\"\nmodel = \"c\"\ncategory = \"smart-plug\"\nunits_in_market = -5\n[use]\nchildren = \"yes\"\n[connectivity]\nservices = [{port = 99999}]\n",
    )
    .unwrap();
    let out = common::command().arg("validate").arg(&p).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    for rust in ["u64", "u16", "a boolean", "integer `"] {
        assert!(!err.contains(rust), "`{rust}` in: {err}");
    }
    assert!(
        err.contains("expected a whole number of 0 or more, found the number -5"),
        "{err}"
    );
    assert!(
        err.contains("expected true or false, found the text \"yes\""),
        "{err}"
    );
    assert!(err.contains("from 0 to 65535"), "{err}");
    let out = common::command()
        .args([
            "assess",
            "examples/smart-plug.toml",
            "--rules",
            "missing.rego",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(err.matches("missing.rego").count(), 1, "{err}");
}

/// `-` reads standard input wherever a file is read; problems name `<stdin>`.
#[test]
fn a_dash_reads_standard_input() {
    let profile = std::fs::read(root().join("examples/smart-plug.toml")).unwrap();
    let sbom = std::fs::read(root().join("examples/sbom/home-router-firmware.cdx.json")).unwrap();
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], input: &[u8]| {
        let out = common::command_in(home.path())
            .args(args)
            .write_stdin(input.to_vec())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(
        &["classify", "-", "--format", "json", "--as-of", "2026-11-24"],
        &profile,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"score\": 20"), "{out}");
    let (code, _, err) = run(&["validate", "-"], &profile);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = run(
        &["assess", "-", "--format", "json", "--as-of", "2026-11-24"],
        &profile,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"frameworks\""));
    let (code, out, err) = run(
        &["disclose", "security-txt", "-", "--as-of", "2026-11-24"],
        &profile,
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Contact:"), "{out}");
    let (code, out, err) = run(&["vulns", "-", "--format", "json"], &sbom);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("CVE-2022-0847"), "{out}");
    let (code, _, err) = run(&["validate", "-"], b"units_in_market = 3\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("<stdin>"), "{err}");
}

/// The database commands say what they did: the embedded set's date is its data's, an
/// empty folder warns, a KEV import counts the CVEs it flagged.
#[test]
fn database_messages_say_what_happened() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = common::command_in(home.path()).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, _) = run(&[
        "vulns",
        "examples/sbom/home-router-firmware.cdx.json",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["db"]["built_at"], "2026-11-24T00:00:00Z",
        "the curated data's date, not now"
    );
    let empty = home.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let db = home.path().join("db");
    let (code, _, err) = run(&[
        "db",
        "import",
        empty.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains("warning:") && err.contains("no OSV records"),
        "{err}"
    );
    let kev = root().join("crates/vulndb/tests/fixtures/kev.json");
    let (code, out, err) = run(&[
        "db",
        "import",
        kev.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("4 CISA KEV entries: 3 CVEs newly flagged as known exploited"),
        "{out}"
    );
    let (_, again, _) = run(&[
        "db",
        "import",
        kev.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(again.contains(" 0 CVEs newly flagged"), "{again}");
}

/// `riskmark man --out DIR` writes a page for every command the main page names; each
/// renders with groff without warnings.
#[test]
fn every_man_page_named_exists_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::command()
        .args(["man", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(pages.contains(&"riskmark.1".to_owned()));
    assert!(pages.len() >= 30, "{pages:?}");
    let mut named = 0;
    for p in &pages {
        let text = std::fs::read_to_string(dir.path().join(p)).unwrap();
        // References look like `riskmark\-assess(1)` in roff.
        for (i, _) in text.match_indices("(1)") {
            let start = text[..i]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '\\'))
                .map_or(0, |s| s + 1);
            let name = text[start..i].replace("\\-", "-");
            if name.starts_with("riskmark") {
                named += 1;
                assert!(
                    pages.contains(&format!("{name}.1")),
                    "{p} names {name}(1), which is not written"
                );
            }
        }
        if common::have("groff") {
            let r = Command::new("groff")
                .args(["-man", "-Tutf8", "-ww", "-z"])
                .arg(dir.path().join(p))
                .output()
                .unwrap();
            assert!(
                r.status.success() && r.stderr.is_empty(),
                "{p}: {}",
                String::from_utf8_lossy(&r.stderr)
            );
        }
    }
    assert!(named >= 20, "{named}");
}

/// The JSON Schema (`riskmark schema`) and the loader agree: the same edits to a valid
/// profile are accepted by both or rejected by both, checked with a real JSON Schema
/// validator (python jsonschema, 2020-12, with format checks).
#[test]
fn the_json_schema_and_the_loader_agree() {
    use serde_json::{Value, json};
    let python = std::path::Path::new("/opt/riskmark-ref/vex/bin/python");
    if !python.is_file() {
        common::missing("python jsonschema (run .ci/setup.d/vex.sh)");
        return;
    }
    let base: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/smart-plug.json")).unwrap(),
    )
    .unwrap();
    type Edit = fn(&mut Value);
    let edits: Vec<(&str, Edit)> = vec![
        ("unchanged", |_| {}),
        ("empty manufacturer", |d| {
            d["product"]["manufacturer"] = json!("")
        }),
        ("empty name", |d| d["product"]["name"] = json!("")),
        ("empty model", |d| d["product"]["model"] = json!("")),
        ("null use (required)", |d| d["use"] = Value::Null),
        ("null identity", |d| d["identity"] = Value::Null),
        ("null updates", |d| d["updates"] = Value::Null),
        ("null units", |d| {
            d["product"]["units_in_market"] = Value::Null
        }),
        ("negative units", |d| {
            d["product"]["units_in_market"] = json!(-5)
        }),
        ("units as text", |d| {
            d["product"]["units_in_market"] = json!("many")
        }),
        ("negative price", |d| {
            d["product"]["price_usd"] = json!(-1.0)
        }),
        ("unknown section", |d| d["extra"] = json!({"a": 1})),
        ("unknown key", |d| d["product"]["unit_in_market"] = json!(3)),
        ("unknown category", |d| {
            d["product"]["category"] = json!("toaster")
        }),
        ("unknown environment", |d| {
            d["use"]["environment"] = json!("moon")
        }),
        ("bad date", |d| {
            d["updates"]["support_end"] = json!("2031-13-45")
        }),
        ("port too large", |d| {
            d["connectivity"]["services"][0]["port"] = json!(99999)
        }),
        ("boolean as text", |d| d["use"]["children"] = json!("yes")),
        ("wrong schema", |d| {
            d["schema"] = json!("riskmark/device-profile/v2")
        }),
        ("markets not a list", |d| {
            d["product"]["markets"] = json!("US")
        }),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (_, edit)) in edits.iter().enumerate() {
        let mut d = base.clone();
        edit(&mut d);
        let f = dir.path().join(format!("{i}.json"));
        std::fs::write(&f, d.to_string()).unwrap();
        files.push(f);
    }
    let schema = dir.path().join("schema.json");
    let out = common::command().arg("schema").output().unwrap();
    std::fs::write(&schema, &out.stdout).unwrap();
    let check = Command::new(python)
        .args([
            "-c",
            "import json, sys\n\
             from jsonschema import Draft202012Validator as V\n\
             v = V(json.load(open(sys.argv[1])), format_checker=V.FORMAT_CHECKER)\n\
             for f in sys.argv[2:]:\n    print('valid' if v.is_valid(json.load(open(f))) else 'invalid')",
        ])
        .arg(&schema)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let verdicts: Vec<bool> = String::from_utf8_lossy(&check.stdout)
        .lines()
        .map(|l| l == "valid")
        .collect();
    assert_eq!(verdicts.len(), edits.len());
    let mut disagree = Vec::new();
    for (i, (name, _)) in edits.iter().enumerate() {
        let loader = common::command()
            .arg("validate")
            .arg(&files[i])
            .output()
            .unwrap();
        let loader_ok = loader.status.success();
        if loader_ok != verdicts[i] {
            disagree.push(format!(
                "{name}: schema {}, loader {} ({})",
                if verdicts[i] { "accepts" } else { "rejects" },
                if loader_ok { "accepts" } else { "rejects" },
                String::from_utf8_lossy(&loader.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            ));
        }
    }
    assert!(verdicts[0], "the unchanged example is valid");
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}
