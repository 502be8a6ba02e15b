//! Input bounds at the command line (docs/limits.md): an SBOM is read up to 1 GiB (it was
//! refused past the profile's 4 MiB), and an endless input (`/dev/zero` as a file or on
//! standard input) is refused with exit 2 naming it, under a memory limit that the
//! unbounded reads of before went past.

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{command_in, root};

/// Components of the example router SBOM (provenance: `examples/sbom/`, our own example),
/// repeated with padding until the SBOM is over 4 MiB.
#[test]
fn an_sbom_over_4_mib_is_scanned_like_a_small_one() {
    let home = tempfile::tempdir().unwrap();
    let small = root().join("examples/sbom/home-router-firmware.cdx.json");
    let mut sbom: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&small).unwrap()).unwrap();
    let findings = |path: &std::path::Path| -> Vec<(String, String)> {
        let out = command_in(home.path())
            .args(["vulns", "--format", "json"])
            .arg(path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let mut f: Vec<(String, String)> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["id"].to_string(), f["purl"].to_string()))
            .collect();
        f.sort();
        f.dedup();
        f
    };
    let expected = findings(&small);
    assert!(
        !expected.is_empty(),
        "the example has known vulnerabilities"
    );
    let components = sbom["components"].as_array().unwrap().clone();
    let list = sbom["components"].as_array_mut().unwrap();
    let mut i = 0;
    let mut size = 0;
    while size < 5 << 20 {
        let mut c = components[i % components.len()].clone();
        c["bom-ref"] = format!("copy-{i}").into();
        c["description"] = "padding ".repeat(100).into();
        size += c.to_string().len();
        list.push(c);
        i += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.cdx.json");
    std::fs::write(&big, serde_json::to_vec(&sbom).unwrap()).unwrap();
    assert!(std::fs::metadata(&big).unwrap().len() > 4 << 20);
    assert_eq!(findings(&big), expected);
}

/// riskmark with `args`, standard input from `/dev/zero` when `stdin_zero`, under an
/// address-space limit of 1 GiB (the shell's `ulimit -v`): exit code and stderr.
fn bounded(args: &[&str], stdin_zero: bool) -> (Option<i32>, String) {
    let home = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("riskmark");
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(r#"ulimit -v 1048576 && exec "$0" "$@""#)
        .arg(&bin)
        .args(args)
        .current_dir(root())
        .env("RISKMARK_DB", home.path())
        .env_remove("XDG_DATA_HOME")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .stdin(if stdin_zero {
            Stdio::from(std::fs::File::open("/dev/zero").unwrap())
        } else {
            Stdio::null()
        });
    let mut child = c.spawn().unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("riskmark {args:?} did not end within 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (status.code(), err)
}

#[test]
fn endless_inputs_are_refused_with_exit_2_naming_them() {
    let key = tempfile::tempdir().unwrap();
    let prefix = key.path().join("k");
    let made = command_in(key.path())
        .args(["keygen", "--out"])
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let public = format!("{}.pub", prefix.display());
    let router = "examples/sbom/home-router-firmware.cdx.json";
    let cases: Vec<(Vec<&str>, bool, &str)> = vec![
        (vec!["classify", "/dev/zero"], false, "/dev/zero"),
        (vec!["classify", "-"], true, "<stdin>"),
        (vec!["vulns", "/dev/zero"], false, "/dev/zero"),
        (vec!["vulns", "-"], true, "<stdin>"),
        (
            vec!["vulns", router, "--vex", "/dev/zero"],
            false,
            "/dev/zero",
        ),
        (
            vec!["assess", "examples/smart-plug.toml", "--sbom", "/dev/zero"],
            false,
            "/dev/zero",
        ),
        (vec!["db", "import", "/dev/zero"], false, "/dev/zero"),
        (vec!["fleet", "/dev/zero"], false, "/dev/zero"),
        (
            vec!["verify", "--pub", &public, "/dev/zero"],
            false,
            "/dev/zero",
        ),
        (
            vec!["verify", "--pub", "/dev/zero", router],
            false,
            "/dev/zero",
        ),
    ];
    let mut failures = Vec::new();
    for (args, stdin_zero, named) in &cases {
        let (code, err) = bounded(args, *stdin_zero);
        // Refused for what it is (past its bound, binary, not a feed), not because memory
        // ran out: unbounded reads of before ended with "out of memory" under the limit.
        let why = ["refused", "binary data", "NUL bytes", "not an OSV"]
            .iter()
            .any(|w| err.contains(w));
        if code != Some(2) || !err.contains(named) || !why || err.contains("panicked") {
            failures.push(format!("riskmark {args:?}: exit {code:?}\n{err}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn the_memory_limit_of_the_test_lets_normal_work_through() {
    // The limit `bounded` runs under is no refusal of its own: a real scan and import pass.
    let (code, err) = bounded(
        &["vulns", "examples/sbom/home-router-firmware.cdx.json"],
        false,
    );
    assert!(matches!(code, Some(0 | 1)), "{err}");
    let (code, err) = bounded(&["classify", "examples/smart-plug.toml"], false);
    assert_eq!(code, Some(0), "{err}");
    let _ = std::io::stderr().flush();
}
