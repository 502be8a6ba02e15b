//! `riskmark disclose`: security.txt, CSAF and MUD files as a user makes them, checked by
//! third-party validators (installed by `.ci/setup.d/disclose.sh`; required in CI) and by
//! the rules of the standards that the validators do not check.

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// riskmark run from the repository root, its default database pointed at an empty
/// directory (so the embedded curated set answers).
fn riskmark(args: &[&str]) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("riskmark")
        .unwrap()
        .current_dir(root())
        .env("RISKMARK_DB", home.path())
        .env_remove("XDG_DATA_HOME")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The validators' Python, or `None` (with a note) when they are not installed; in CI a
/// missing validator is a failure.
fn validators() -> Option<PathBuf> {
    let python = std::env::var_os("RISKMARK_DISCLOSE_PYTHON").map_or_else(
        || PathBuf::from("/opt/riskmark-ref/disclose/bin/python"),
        PathBuf::from,
    );
    let ok = python.exists()
        && Process::new(&python)
            .args([
                "-c",
                "import sectxt, jsonschema, referencing, yangson, pyang",
            ])
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "disclosure validators missing: run .ci/setup.d/disclose.sh"
        );
        eprintln!(
            "note: disclosure validators not installed; skipped (run .ci/setup.d/disclose.sh)"
        );
        return None;
    }
    Some(python)
}

/// Runs `check.py KIND ARGS...`; returns whether it passed and its JSON report.
fn check(python: &Path, kind: &str, args: &[&Path]) -> (bool, Value) {
    let script = root().join("crates/disclose/tests/validators/check.py");
    let out = Process::new(python)
        .arg(script)
        .arg(kind)
        .args(args)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{kind} validator output is not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), report)
}

fn today() -> jiff::civil::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

// ---------------------------------------------------------------- security.txt

#[test]
fn security_txt_has_the_profile_facts() {
    let (code, out, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-plug.toml",
        "--as-of",
        "2026-11-24",
        "--lang",
        "en,de",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let fields: Vec<(&str, &str)> = out
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        .collect();
    assert_eq!(
        fields,
        [
            ("Contact", "mailto:security@acme.example"),
            ("Expires", "2027-11-24T00:00:00Z"),
            ("Policy", "https://acme.example/security/policy"),
            ("Preferred-Languages", "en, de"),
            ("Canonical", "https://acme.example/.well-known/security.txt"),
            (
                "CSAF",
                "https://acme.example/.well-known/csaf/provider-metadata.json"
            ),
        ]
    );
    assert!(out.ends_with('\n'));
}

#[test]
fn security_txt_leaves_out_what_rfc_9116_does_not_accept() {
    // The router's advisories_url is a web page, not a provider-metadata.json.
    let (code, out, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/home-router.toml",
        "--as-of",
        "2026-11-24",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains("CSAF:"), "{out}");
    assert!(err.contains("disclosure.advisories_url"), "{err}");
    assert!(out.contains("Canonical: https://skyfield.example/.well-known/security.txt"));
}

/// sectxt (the Dutch Internet Standards Platform's validator) finds no error in the files
/// made for two example products; it runs offline on the content with the Canonical URL
/// as the file's location. Made today, so that `Expires` is in the future for sectxt.
#[test]
fn security_txt_passes_sectxt() {
    let Some(python) = validators() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (example, canonical) in [
        (
            "examples/smart-plug.toml",
            "https://acme.example/.well-known/security.txt",
        ),
        (
            "examples/home-router.toml",
            "https://skyfield.example/.well-known/security.txt",
        ),
        ("examples/industrial-controller.toml", ""),
    ] {
        let (code, out, err) = riskmark(&["disclose", "security-txt", example]);
        assert_eq!(code, Some(0), "{example}: {err}");
        let file = dir.path().join("security.txt");
        std::fs::write(&file, &out).unwrap();
        let canonical_path = PathBuf::from(canonical);
        let mut args = vec![file.as_path()];
        if !canonical.is_empty() {
            args.push(&canonical_path);
        }
        let (ok, report) = check(&python, "sectxt", &args);
        assert!(
            ok && report["errors"] == serde_json::json!([]),
            "{example}: {report:#}\n{out}"
        );
        // Only the recommendations riskmark cannot act on (no key, no signature) remain.
        let recs: Vec<&str> = report["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert!(
            recs.iter()
                .all(|r| ["no_encryption", "not_signed"].contains(r)),
            "{example}: {recs:?}"
        );
    }
    // The validator is not a rubber stamp: an expired file is an error.
    let stale = dir.path().join("stale.txt");
    std::fs::write(
        &stale,
        "Contact: mailto:a@b.example\nExpires: 2020-01-01T00:00:00Z\n",
    )
    .unwrap();
    let (ok, report) = check(&python, "sectxt", &[stale.as_path()]);
    assert!(
        !ok && report["errors"][0]["code"] == "expired",
        "{report:#}"
    );
}

#[test]
fn security_txt_expires_defaults_to_a_year_and_never_more() {
    let as_of = today();
    let (code, out, err) = riskmark(&["disclose", "security-txt", "examples/smart-lock.toml"]);
    assert_eq!(code, Some(0), "{err}");
    let year_later = as_of.checked_add(jiff::Span::new().years(1)).unwrap();
    assert!(
        out.contains(&format!("Expires: {year_later}T00:00:00Z")),
        "{out}"
    );

    let (code, out, _) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-lock.toml",
        "--as-of",
        "2026-11-24",
        "--expires",
        "2027-03-31",
    ]);
    assert_eq!(code, Some(0));
    assert!(out.contains("Expires: 2027-03-31T00:00:00Z"), "{out}");

    for (expires, why) in [
        ("2027-11-25", "more than a year"),
        ("2026-11-24", "not after"),
    ] {
        let (code, out, err) = riskmark(&[
            "disclose",
            "security-txt",
            "examples/smart-lock.toml",
            "--as-of",
            "2026-11-24",
            "--expires",
            expires,
        ]);
        assert_eq!(code, Some(2), "{expires}");
        assert!(out.is_empty());
        assert!(err.contains("`--expires`") && err.contains(why), "{err}");
    }
}

#[test]
fn security_txt_input_errors_name_file_and_field() {
    // baby-monitor.toml declares no disclosure contact.
    let (code, out, err) = riskmark(&["disclose", "security-txt", "examples/baby-monitor.toml"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("examples/baby-monitor.toml") && err.contains("`disclosure.contact`"),
        "{err}"
    );

    let (code, _, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-plug.toml",
        "--as-of",
        "2026-02-30",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--as-of") && err.contains("2026-02-30"),
        "{err}"
    );

    let (code, _, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-plug.toml",
        "--lang",
        "en_GB",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`--lang`") && err.contains("en_GB"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    let text = std::fs::read_to_string(root().join("examples/smart-plug.toml"))
        .unwrap()
        .replace(
            "contact = \"mailto:security@acme.example\"",
            "contact = \"http://acme.example/report\"",
        );
    std::fs::write(&p, text).unwrap();
    let (code, _, err) = riskmark(&["disclose", "security-txt", p.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    // Located at the contact's line.
    assert!(
        err.contains("p.toml:") && err.contains("`disclosure.contact`") && err.contains("https"),
        "{err}"
    );
}
