//! Snapshot of `classify --format json` for every example profile (insta). A change in
//! any factor, reason or class shows up here for review.

use std::path::Path;

use assert_cmd::Command;

#[test]
fn classify_json_of_every_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<_> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12);
    for file in files {
        let out = Command::cargo_bin("riskmark")
            .unwrap()
            .arg("classify")
            .arg(&file)
            .args(["--format", "json", "--as-of", "2026-11-24"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let name = file.file_stem().unwrap().to_str().unwrap().to_owned();
        insta::assert_json_snapshot!(format!("classify-{name}"), v);
    }
}
