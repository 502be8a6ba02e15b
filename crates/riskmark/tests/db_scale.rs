//! `riskmark db import` and `db stats` as a user runs them, for issue #13: an
//! unchanged re-import reports what a full reading reports, `db stats` tells the
//! bytes on disk and per advisory, and bad inputs exit 2 naming the file. The OSV
//! records are vulndb's fixtures (real records, see their PROVENANCE.md).

use std::io::Write as _;
use std::path::{Path, PathBuf};

mod common;
use common::command_in as riskmark;

fn fixtures() -> PathBuf {
    common::root().join("crates/vulndb/tests/fixtures")
}

fn go_zip(path: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    let mut files: Vec<_> = std::fs::read_dir(fixtures().join("osv/Go"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        zip.start_file(f.file_name().unwrap().to_string_lossy(), o)
            .unwrap();
        zip.write_all(&std::fs::read(&f).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

fn run(home: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = riskmark(home).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The import lines without their timing.
fn lines(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with("imported "))
        .map(|l| l.rsplit_once(" in ").map_or(l, |(a, _)| a).to_owned())
        .collect()
}

#[test]
fn an_unchanged_reimport_reports_every_record_unchanged() {
    let home = tempfile::tempdir().unwrap();
    let zip = home.path().join("Go.zip");
    go_zip(&zip);
    let zip_s = zip.to_str().unwrap();
    let kev = fixtures().join("kev.json");
    let kev_s = kev.to_str().unwrap();
    let dir = fixtures().join("osv/PyPI");
    let dir_s = dir.to_str().unwrap();
    let (code, first, err) = run(home.path(), &["db", "import", zip_s, kev_s, dir_s]);
    assert_eq!(code, Some(0), "{err}");
    let (code, second, err) = run(home.path(), &["db", "import", zip_s, kev_s, dir_s]);
    assert_eq!(code, Some(0), "{err}");
    let (code, third, _) = run(home.path(), &["db", "import", zip_s, kev_s, dir_s]);
    assert_eq!(code, Some(0));
    assert_eq!(
        lines(&second),
        [
            format!(
                "imported {zip_s} (osv-zip): 3 records, 0 added, 0 updated, 3 unchanged, 0.0 MB"
            ),
            format!(
                "imported {kev_s} (kev): 4 CISA KEV entries: 0 CVEs newly flagged as known exploited, 4 already flagged, 0.0 MB"
            ),
            format!(
                "imported {dir_s} (osv-dir): 4 records, 0 added, 0 updated, 4 unchanged, 0.0 MB"
            ),
        ],
        "{first}"
    );
    // The second import read everything (nothing was remembered before the
    // first); the third skips: both say the same.
    assert_eq!(lines(&second), lines(&third));
}

#[test]
fn db_stats_tells_the_bytes_on_disk_and_per_advisory() {
    let home = tempfile::tempdir().unwrap();
    let zip = home.path().join("Go.zip");
    go_zip(&zip);
    let (code, _, err) = run(home.path(), &["db", "import", zip.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let file = std::fs::metadata(home.path().join("vulndb.sqlite"))
        .unwrap()
        .len();

    let (code, out, _) = run(home.path(), &["db", "stats", "--format", "json"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["storage"];
    let advisories = v["stats"]["advisories"].as_u64().unwrap();
    assert_eq!(advisories, 3 + 26, "the 3 Go records and the curated set");
    assert_eq!(s["file_bytes"].as_u64(), Some(file));
    let on_disk = file + s["wal_bytes"].as_u64().unwrap();
    assert_eq!(s["bytes_per_advisory"].as_u64(), Some(on_disk / advisories));
    assert_eq!(s["schema_revision"], 2);
    assert!(s.get("tables").is_none(), "{s}");

    let (code, out, _) = run(
        home.path(),
        &["db", "stats", "--format", "json", "--tables"],
    );
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tables = v["storage"]["tables"].as_array().unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t[0].as_str().unwrap()).collect();
    for t in ["advisories", "affected", "source_files", "affected_package"] {
        assert!(names.contains(&t), "{t} not in {names:?}");
    }
    let total: u64 = tables.iter().map(|t| t[1].as_u64().unwrap()).sum();
    assert!(total <= file && total > file / 2, "{total} of {file}");

    let (code, out, _) = run(home.path(), &["db", "stats", "--tables"]);
    assert_eq!(code, Some(0));
    let line = out
        .lines()
        .find(|l| l.starts_with("on disk"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.ends_with(&format!(", {} bytes per advisory", on_disk / advisories)),
        "{line}"
    );
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("advisories "))
    );
}

#[test]
fn bad_inputs_exit_2_naming_the_file_and_change_nothing() {
    let home = tempfile::tempdir().unwrap();
    let zip = home.path().join("Go.zip");
    go_zip(&zip);
    let (code, _, err) = run(home.path(), &["db", "import", zip.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let before = run(home.path(), &["db", "stats", "--format", "json"]).1;

    // A truncated archive with the same name as the imported one.
    let bytes = std::fs::read(&zip).unwrap();
    let cut = home.path().join("cut/Go.zip");
    std::fs::create_dir_all(cut.parent().unwrap()).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    // Not JSON at all, and JSON of no known kind.
    let junk = home.path().join("junk.json");
    std::fs::write(&junk, "not json").unwrap();
    let other = home.path().join("other.json");
    std::fs::write(&other, r#"{"name": "x"}"#).unwrap();
    for bad in [&cut, &junk, &other] {
        let (code, out, err) = run(home.path(), &["db", "import", bad.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{}: {out}{err}", bad.display());
        assert!(
            err.contains(&bad.display().to_string()),
            "{}: {err}",
            bad.display()
        );
        assert!(err.contains("is unchanged"), "{err}");
    }
    // A file that was read fine once and is now broken is read again, not
    // skipped.
    let one = home.path().join("one.json");
    std::fs::copy(fixtures().join("osv/Go/GO-2023-2102.json"), &one).unwrap();
    let (code, _, err) = run(home.path(), &["db", "import", one.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    std::fs::write(&one, "{\"id\": \"GO-2023-2102\", \"modified\": 7}").unwrap();
    let (code, _, err) = run(home.path(), &["db", "import", one.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&one.display().to_string()), "{err}");
    let after = run(home.path(), &["db", "stats", "--format", "json"]).1;
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["stats"]["sources"] = serde_json::Value::Null;
        v["stats"]["built_at"] = serde_json::Value::Null;
        v["storage"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&before)["stats"]["advisories"], 29);
    assert_eq!(strip(&after)["stats"]["advisories"], 29);
}
