//! One engine, one truth: `classify`, `assess` and `label` give the same tier and score
//! for the same inputs (profile, its declared SBOM or `--sbom`, VEX, policy, database),
//! and a declared SBOM that is not there is said, never silently ignored.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{command_in, root};

const AS_OF: &str = "2026-11-24";

fn run(home: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = command_in(home).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (tier, score) from classify, assess and label, with the same extra arguments.
fn three(profile: &str, extra: &[&str]) -> [(String, u64); 3] {
    let home = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let base = |cmd: &str| {
        let mut v = vec![
            cmd.to_owned(),
            profile.to_owned(),
            "--as-of".into(),
            AS_OF.into(),
        ];
        v.extend(extra.iter().map(|s| (*s).to_owned()));
        v
    };
    let pick = |v: &Value| {
        (
            v["tier"].as_str().unwrap().to_owned(),
            v["score"].as_u64().unwrap(),
        )
    };
    let mut c = base("classify");
    c.extend(["--format".into(), "json".into()]);
    let c: Vec<&str> = c.iter().map(String::as_str).collect();
    let (code, text, err) = run(home.path(), &c);
    assert_eq!(code, Some(0), "classify {profile}: {err}");
    let classify = pick(&serde_json::from_str(&text).unwrap());

    let mut a = base("assess");
    a.extend(["--format".into(), "json".into()]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, text, err) = run(home.path(), &a);
    assert_eq!(code, Some(0), "assess {profile}: {err}");
    let assess = pick(&serde_json::from_str::<Value>(&text).unwrap()["risk"]);

    let mut l = base("label");
    l.extend(["--out".into(), out.path().display().to_string()]);
    let l: Vec<&str> = l.iter().map(String::as_str).collect();
    let (code, _, err) = run(home.path(), &l);
    assert_eq!(code, Some(0), "label {profile}: {err}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("label.json")).unwrap())
            .unwrap();
    let label = pick(&json["risk"]);
    [classify, assess, label]
}

/// The router declares a local SBOM with known vulnerabilities: classify used to ignore
/// it (69/100) while assess and label counted it (91/100).
#[test]
fn classify_assess_and_label_agree_on_the_declared_sbom() {
    let [c, a, l] = three("examples/home-router.toml", &[]);
    assert_eq!(c, a);
    assert_eq!(a, l);
    // The SBOM's findings count: the score is higher than without any vulnerability.
    let home = tempfile::tempdir().unwrap();
    let bare = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/home-router.toml"))
        .unwrap()
        .replace("sbom = \"sbom/home-router-firmware.cdx.json\"", "");
    let p = bare.path().join("router.toml");
    std::fs::write(&p, text).unwrap();
    let (code, out, err) = run(
        home.path(),
        &[
            "classify",
            p.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let without: Value = serde_json::from_str(&out).unwrap();
    assert!(
        without["score"].as_u64().unwrap() < c.1,
        "the declared SBOM's vulnerabilities raise the score: {} vs {}",
        without["score"],
        c.1
    );
}

/// Every example, with and without an explicit SBOM and VEX: the same tier and score.
#[test]
fn every_example_gets_one_score() {
    let mut profiles: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.ends_with(".toml").then(|| format!("examples/{name}"))
        })
        .collect();
    profiles.sort();
    assert!(profiles.len() >= 15, "{profiles:?}");
    for p in &profiles {
        let [c, a, l] = three(p, &[]);
        assert!(
            c == a && a == l,
            "{p}: classify {c:?}, assess {a:?}, label {l:?}"
        );
    }
    let sbom = [
        "--sbom",
        "examples/sbom/home-router-firmware.cdx.json",
        "--vex",
        "examples/sbom/home-router-firmware.openvex.json",
    ];
    for p in ["examples/smart-plug.toml", "examples/security-camera.toml"] {
        let [c, a, l] = three(p, &sbom);
        assert!(
            c == a && a == l,
            "{p} --sbom: classify {c:?}, assess {a:?}, label {l:?}"
        );
        let [plain, _, _] = three(p, &[]);
        assert!(
            c.1 > plain.1,
            "{p}: the SBOM's findings count in classify too"
        );
    }
}

/// A profile whose `disclosure.sbom` names a local file that is not there: every command
/// warns, naming the file, line and field, and the SBOM check needs evidence instead of
/// passing on the declaration.
#[test]
fn a_declared_sbom_that_is_missing_is_reported_and_needs_evidence() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("examples/home-router.toml"))
        .unwrap()
        .replace("sbom/home-router-firmware.cdx.json", "missing/fw.cdx.json");
    let p = dir.path().join("router.toml");
    std::fs::write(&p, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("missing/fw.cdx.json"))
        .unwrap()
        + 1;
    let file = p.to_str().unwrap();
    for cmd in ["classify", "assess"] {
        let (code, out, err) = run(
            home.path(),
            &[cmd, file, "--as-of", AS_OF, "--format", "json"],
        );
        assert_eq!(code, Some(0), "{err}");
        assert!(
            err.contains(&format!("{file}:{line}:"))
                && err.contains("field `disclosure.sbom`")
                && err.contains("missing/fw.cdx.json")
                && err.contains("does not exist"),
            "{cmd}: {err}"
        );
        if cmd == "assess" {
            let v: Value = serde_json::from_str(&out).unwrap();
            let check = v["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["code"] == "sbom-available")
                .unwrap();
            assert_eq!(check["status"], "needs-evidence", "{check}");
            assert!(
                check["reasons"].to_string().contains("missing/fw.cdx.json"),
                "{check}"
            );
        }
    }
    // The same profile with the SBOM given explicitly scans it and passes.
    let (code, out, err) = run(
        home.path(),
        &[
            "assess",
            file,
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--sbom",
            root()
                .join("examples/sbom/home-router-firmware.cdx.json")
                .to_str()
                .unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("does not exist"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["vulnerabilities"].is_object());
}
