//! Import and query on real OSV, KEV fixtures and a FIRST-layout EPSS file.

mod common;

use std::ops::ControlFlow;
use std::path::PathBuf;

use common::{find, fixture_entries, fixtures, ids, import, write_zip};
use riskmark_vulndb::{Db, InputKind, Severity, VulnDbError};

const EPSS: &str = "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\n\
cve,epss,percentile\n\
CVE-2021-45710,0.00123,0.41\n\
CVE-2023-32681,0.0625,0.91\n\
CVE-2025-24016,0.93,0.998\n";

struct Built {
    _dir: tempfile::TempDir,
    db: PathBuf,
    dir: PathBuf,
}

/// A database from the fixture directory (osv-dir), a zip of the Go
/// fixtures (osv-zip), the KEV excerpt and an EPSS file.
fn build() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vuln.db");
    let zip = dir.path().join("Go.zip");
    write_zip(&zip, &fixture_entries("Go"));
    let epss = dir.path().join("epss.csv");
    std::fs::write(&epss, EPSS).unwrap();
    let report = import(
        &db,
        &[
            fixtures().join("osv/PyPI"),
            fixtures().join("osv/crates.io"),
            zip,
            fixtures().join("kev.json"),
            epss,
        ],
    )
    .unwrap();
    let kinds: Vec<InputKind> = report.inputs.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            InputKind::OsvDir,
            InputKind::OsvDir,
            InputKind::OsvZip,
            InputKind::Kev,
            InputKind::Epss
        ]
    );
    let records: Vec<u64> = report.inputs.iter().map(|i| i.records).collect();
    assert_eq!(records, [4, 3, 3, 4, 3]);
    Built {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        db,
    }
}

#[test]
fn real_advisories_match_with_exact_versions() {
    let b = build();
    let db = Db::open(&b.db).unwrap();

    // RustSec: tokio, SEMVER ranges with two branches.
    let f = db.matches("crates.io", "tokio", "1.13.0").unwrap();
    assert_eq!(ids(&f), ["CVE-2021-45710"]);
    assert_eq!(f[0].advisories, ["RUSTSEC-2021-0124"]);
    assert_eq!(f[0].aliases, ["GHSA-fg7r-2g4j-5cgr", "RUSTSEC-2021-0124"]);
    assert_eq!(f[0].fixed, ["1.13.1"]);
    assert_eq!(f[0].epss, Some(0.00123));
    assert!(!f[0].kev);
    assert!(
        db.matches("crates.io", "tokio", "1.13.1")
            .unwrap()
            .is_empty()
    );
    assert!(
        db.matches("crates.io", "tokio", "1.8.4")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.matches("crates.io", "tokio", "1.8.3").unwrap()[0].fixed,
        ["1.8.4", "1.13.1"]
    );
    assert!(
        db.matches("crates.io", "tokio", "0.1.13")
            .unwrap()
            .is_empty()
    );

    // PyPI: requests, reported under its CVE with GHSA and PYSEC as aliases;
    // names are PEP 503-normalized.
    let f = db.matches("PyPI", "Requests", "2.30.0").unwrap();
    assert_eq!(ids(&f), ["CVE-2023-32681"]);
    assert_eq!(f[0].aliases, ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"]);
    assert_eq!(f[0].fixed, ["2.31.0"]);
    assert_eq!(f[0].epss, Some(0.0625));
    assert!(db.matches("PyPI", "requests", "2.31.0").unwrap().is_empty());
    assert!(db.matches("PyPI", "requests", "2.2.1").unwrap().is_empty());

    // Two PYSEC records of one CVE are one finding.
    let f = db.matches("PyPI", "distributed", "2021.9.1").unwrap();
    assert_eq!(ids(&f), ["CVE-2021-42343"]);
    assert_eq!(f[0].advisories, ["PYSEC-2021-871", "PYSEC-2021-872"]);
    assert_eq!(
        f[0].aliases,
        [
            "GHSA-hwqr-f3v9-hwxr",
            "GHSA-j8fq-86c5-5v2r",
            "PYSEC-2021-871",
            "PYSEC-2021-872"
        ]
    );

    // KEV flags through aliases.
    let f = db.matches("PyPI", "apache-airflow", "1.10.10").unwrap();
    assert!(find(&f, "PYSEC-2020-14").kev);
    let f = db.matches("crates.io", "libwebp-sys", "0.9.2").unwrap();
    let w = find(&f, "RUSTSEC-2023-0061");
    assert!(w.kev);
    assert_eq!(w.id, "CVE-2023-4863");

    // Go: module paths, stdlib, `+incompatible` versions, the purl route.
    let f = db.matches("Go", "golang.org/x/net", "v0.16.0").unwrap();
    assert_eq!(find(&f, "GO-2023-2102").id, "CVE-2023-39325");
    assert_eq!(find(&f, "GO-2023-2102").fixed, ["0.17.0"]);
    assert!(
        db.matches("Go", "golang.org/x/net", "v0.17.0")
            .unwrap()
            .is_empty()
    );
    let f = db
        .matches_purl("pkg:golang/golang.org/x/net@0.16.0")
        .unwrap();
    assert_eq!(ids(&f), ["CVE-2023-39325"]);
    let f = db.matches("Go", "stdlib", "1.21.2").unwrap();
    assert_eq!(f[0].fixed, ["1.21.3"]);
    let f = db
        .matches("Go", "github.com/wazuh/wazuh", "v4.9.0+incompatible")
        .unwrap();
    assert_eq!(ids(&f), ["CVE-2025-24016"]);
    assert!(f[0].kev);
    assert_eq!(f[0].epss, Some(0.93));

    // Withdrawn advisories are stored but never reported.
    assert!(
        db.matches("Go", "github.com/gorilla/sessions", "v1.2.1")
            .unwrap()
            .is_empty()
    );
    let s = db.stats().unwrap();
    assert_eq!(s.withdrawn, 1);
    assert_eq!(s.kev, 4 + 2, "the excerpt plus the curated Linux entries");
    assert_eq!(s.epss, 3);
    assert!(s.built_at.is_some());
    let epss = s.sources.iter().find(|s| s.kind == "epss").unwrap();
    assert_eq!(epss.detail.as_deref(), Some("2025-08-25"));
    let kev = s.sources.iter().find(|s| s.kind == "kev").unwrap();
    assert_eq!(kev.detail.as_deref(), Some("2025.08.25"));
}

#[test]
fn reimport_is_idempotent() {
    let b = build();
    let before = Db::open(&b.db).unwrap().stats().unwrap();
    let zip = b.dir.join("Go.zip");
    let again = import(&b.db, &[fixtures().join("osv/PyPI"), zip]).unwrap();
    for i in &again.inputs {
        assert_eq!((i.added, i.updated), (0, 0), "{}", i.path.display());
        assert_eq!(i.unchanged, i.records);
    }
    let db = Db::open(&b.db).unwrap();
    let after = db.stats().unwrap();
    assert_eq!(before.advisories, after.advisories);
    assert_eq!(before.ecosystems, after.ecosystems);
    assert_eq!(
        db.matches("PyPI", "distributed", "2021.9.1").unwrap().len(),
        1
    );
}

#[test]
fn a_newer_modified_replaces_and_an_older_one_does_not() {
    let b = build();
    let raw =
        std::fs::read_to_string(fixtures().join("osv/crates.io/RUSTSEC-2021-0124.json")).unwrap();
    let newer = raw
        .replace("\"fixed\": \"1.13.1\"", "\"fixed\": \"1.13.2\"")
        .replace("2025-", "2099-");
    let older = raw
        .replace("\"fixed\": \"1.13.1\"", "\"fixed\": \"1.13.9\"")
        .replace("\"modified\": \"20", "\"modified\": \"19");
    assert_ne!(newer, raw);
    assert_ne!(older, raw);
    let n = b.dir.join("newer.json");
    let o = b.dir.join("older.json");
    std::fs::write(&n, newer).unwrap();
    std::fs::write(&o, older).unwrap();
    let r = import(&b.db, &[n.clone(), o]).unwrap();
    assert_eq!(r.inputs[0].updated, 1);
    assert_eq!(r.inputs[1].unchanged, 1);
    let db = Db::open(&b.db).unwrap();
    let f = db.matches("crates.io", "tokio", "1.13.1").unwrap();
    assert_eq!(f[0].fixed, ["1.13.2"]);
    // What `db sync` compares a modified-id list with: the newer record's time, and
    // nothing for an id the database does not hold.
    let held = db
        .advisory_modified(["RUSTSEC-2021-0124", "RUSTSEC-0000-0000"])
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&n).unwrap()).unwrap();
    let t: jiff::Timestamp = v["modified"].as_str().unwrap().parse().unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held["RUSTSEC-2021-0124"], t.as_microsecond());
}

#[test]
fn a_failed_import_leaves_the_database_as_it_was() {
    let b = build();
    // A good file first, then a malformed one: neither is applied.
    let good = b.dir.join("good.json");
    std::fs::write(
        &good,
        r#"{"id":"TEST-1","modified":"2024-01-01T00:00:00Z","aliases":[],
            "affected":[{"package":{"ecosystem":"crates.io","name":"tokio"},
            "ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}"#,
    )
    .unwrap();
    let bad = b.dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\"id\":\"TEST-2\",\"modified\":\"2024-01-01T00:00:00Z\",\n\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"x\"},\n \"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":{}}]}]}",
    )
    .unwrap();
    match import(&b.db, &[good.clone(), bad.clone()]) {
        Err(VulnDbError::Osv {
            location, field, ..
        }) => {
            assert_eq!(location.path, bad);
            assert_eq!(location.line, Some(3));
            assert_eq!(field.as_deref(), Some("affected[0].ranges[0].events"));
        }
        other => panic!("{other:?}"),
    }
    let db = Db::open(&b.db).unwrap();
    let f = db.matches("crates.io", "tokio", "1.13.0").unwrap();
    assert_eq!(ids(&f), ["CVE-2021-45710"], "TEST-1 must not be applied");

    // Cancelling from the progress callback rolls back as well.
    let r = riskmark_vulndb::import(&b.db, &[good], |_| ControlFlow::Break(()));
    assert!(matches!(r, Err(VulnDbError::Cancelled)), "{r:?}");
    let f = db.matches("crates.io", "tokio", "1.13.0").unwrap();
    assert_eq!(ids(&f), ["CVE-2021-45710"]);
}

#[test]
fn broken_inputs_are_typed_errors_naming_file_entry_and_field() {
    let b = build();
    let check_intact = || {
        let db = Db::open(&b.db).unwrap();
        assert_eq!(db.matches("PyPI", "requests", "2.30.0").unwrap().len(), 1);
    };

    // A zip with a malformed OSV entry.
    let mut entries = fixture_entries("Go");
    entries.push((
        "GO-9999-0001.json".to_owned(),
        br#"{"id":"GO-9999-0001","modified":"2024-01-01T00:00:00Z","aliases":"x"}"#.to_vec(),
    ));
    let zip = b.dir.join("bad.zip");
    write_zip(&zip, &entries);
    match import(&b.db, std::slice::from_ref(&zip)) {
        Err(VulnDbError::Osv {
            location, field, ..
        }) => {
            assert_eq!(location.path, zip);
            assert_eq!(location.entry.as_deref(), Some("GO-9999-0001.json"));
            assert_eq!(field.as_deref(), Some("aliases"));
        }
        other => panic!("{other:?}"),
    }
    check_intact();

    // A zip that is not OSV.
    let zip = b.dir.join("notosv.zip");
    write_zip(&zip, &[("README.txt".to_owned(), b"hello".to_vec())]);
    let e = import(&b.db, std::slice::from_ref(&zip)).unwrap_err();
    assert!(matches!(e, VulnDbError::NotOsvArchive { .. }), "{e:?}");
    assert!(e.to_string().contains("notosv.zip"), "{e}");
    check_intact();

    // A KEV catalog with a bad entry.
    let kev = b.dir.join("kev.json");
    std::fs::write(
        &kev,
        r#"{"catalogVersion":"1","vulnerabilities":[{"cveID":"CVE-2020-1","dateAdded":"2024-01-01"},{"cveID":17}]}"#,
    )
    .unwrap();
    match import(&b.db, std::slice::from_ref(&kev)) {
        Err(VulnDbError::Kev { field, .. }) => {
            assert_eq!(field.as_deref(), Some("vulnerabilities[1].cveID"));
        }
        other => panic!("{other:?}"),
    }
    check_intact();

    // #14: KEV and NVD files with invalid UTF-8 (in a field serde_json skips) or text
    // after the JSON document were read without a word.
    let kev_entry = r#"{"cveID":"CVE-2020-1","dateAdded":"2024-01-01","notes":"#;
    let mut bad_utf8 =
        format!("{{\"catalogVersion\":\"1\",\n\"vulnerabilities\":[{kev_entry}\"a").into_bytes();
    bad_utf8.extend_from_slice(b"\xff\xfe\"}]}");
    std::fs::write(&kev, &bad_utf8).unwrap();
    match import(&b.db, std::slice::from_ref(&kev)) {
        Err(e @ VulnDbError::Kev { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("kev.json") && text.contains("not UTF-8"),
                "{text}"
            );
            assert!(text.contains(":2:"), "line 2 named: {text}");
        }
        other => panic!("regression_kev_invalid_utf8: {other:?}"),
    }
    check_intact();
    std::fs::write(
        &kev,
        format!("{{\"catalogVersion\":\"1\",\"vulnerabilities\":[{kev_entry}\"x\"}}]}}\n<footer>"),
    )
    .unwrap();
    match import(&b.db, std::slice::from_ref(&kev)) {
        Err(e @ VulnDbError::Kev { .. }) => {
            assert!(e.to_string().contains("text after the end"), "{e}");
            assert!(e.to_string().contains(":2:"), "{e}");
        }
        other => panic!("regression_kev_trailing_text: {other:?}"),
    }
    check_intact();
    let nvd = b.dir.join("nvdcve-2.0-bad.json");
    let mut feed = br#"{"resultsPerPage":0,"startIndex":0,"totalResults":0,"format":"NVD_CVE","version":"2.0","timestamp":"2024-01-01T00:00:00.000","vulnerabilities":[],"note":""#.to_vec();
    feed.extend_from_slice(b"\xc3\x28\"}");
    std::fs::write(&nvd, &feed).unwrap();
    match import(&b.db, std::slice::from_ref(&nvd)) {
        Err(e @ VulnDbError::Nvd { .. }) => {
            assert!(e.to_string().contains("not UTF-8"), "{e}");
        }
        other => panic!("regression_nvd_invalid_utf8: {other:?}"),
    }
    check_intact();
    let mut trailing = feed[..feed.len() - 4].to_vec();
    trailing.extend_from_slice(b"x\"}\n{}");
    std::fs::write(&nvd, &trailing).unwrap();
    match import(&b.db, std::slice::from_ref(&nvd)) {
        Err(e @ VulnDbError::Nvd { .. }) => {
            assert!(e.to_string().contains("trailing"), "{e}");
        }
        other => panic!("regression_nvd_trailing_text: {other:?}"),
    }
    check_intact();

    // An EPSS file with a bad number on line 3.
    let csv = b.dir.join("epss.csv");
    std::fs::write(
        &csv,
        "cve,epss,percentile\nCVE-2020-0001,0.1,0.2\nCVE-2020-0002,abc,0.2\n",
    )
    .unwrap();
    match import(&b.db, std::slice::from_ref(&csv)) {
        Err(VulnDbError::Epss {
            location, field, ..
        }) => {
            assert_eq!(location.line, Some(3));
            assert_eq!(field.as_deref(), Some("epss"));
        }
        other => panic!("{other:?}"),
    }
    check_intact();
    let db = Db::open(&b.db).unwrap();
    assert_eq!(
        db.stats().unwrap().epss,
        3,
        "the earlier EPSS snapshot stays"
    );

    // Something else entirely.
    let other = b.dir.join("notes.txt");
    std::fs::write(&other, "hello").unwrap();
    assert!(matches!(
        import(&b.db, &[other]),
        Err(VulnDbError::UnknownFormat { .. })
    ));
    check_intact();
}

#[test]
fn epss_gzip_and_severity() {
    let b = build();
    let gz = b.dir.join("epss.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(
        &mut enc,
        b"#model_version:v2025.03.14,score_date:2025-09-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-45710,0.5,0.97\n",
    )
    .unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let r = import(&b.db, &[gz]).unwrap();
    assert_eq!(r.inputs[0].kind, InputKind::Epss);
    let db = Db::open(&b.db).unwrap();
    let f = db.matches("crates.io", "tokio", "1.13.0").unwrap();
    assert_eq!(f[0].epss, Some(0.5));
    // A full snapshot replaces the previous one.
    assert_eq!(db.stats().unwrap().epss, 1);
    // RUSTSEC-2023-0090 has a CVSS v3.1 vector; the score is computed.
    let f = db.matches("crates.io", "wasmtime", "4.0.0").unwrap();
    assert_eq!(ids(&f), ["CVE-2023-26489"]);
    let cvss = f[0].cvss.as_ref().unwrap();
    assert_eq!(cvss.vector, "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H");
    assert_eq!(cvss.score, 9.9);
    assert_eq!(f[0].severity, Some(Severity::Critical));
    assert_eq!(f[0].fixed, ["4.0.1", "5.0.1", "6.0.1"]);
    assert!(
        db.matches("crates.io", "wasmtime", "5.0.1")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn query_errors() {
    let b = build();
    let db = Db::open(&b.db).unwrap();
    assert!(matches!(
        db.matches("Hackage", "x", "1"),
        Err(VulnDbError::UnknownEcosystem(_))
    ));
    assert!(matches!(
        db.matches("crates.io", "tokio", "not a version"),
        Err(VulnDbError::InvalidVersion { .. })
    ));
    assert!(matches!(
        db.matches_purl("pkg:cargo/tokio"),
        Err(VulnDbError::Purl { .. })
    ));
    assert!(matches!(
        db.matches_purl("pkg:github/foo/bar@1"),
        Err(VulnDbError::Purl { .. })
    ));
    let missing = b.dir.join("missing.db");
    assert!(matches!(Db::open(&missing), Err(VulnDbError::Io { .. })));
    let not_db = b.dir.join("not.db");
    std::fs::write(&not_db, "hello").unwrap();
    assert!(Db::open(&not_db).is_err());
}

/// Writes a zip of `entries` with `method`, returns the archive bytes.
fn zip_bytes(entries: &[(String, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, content) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Where the data of entry `name` starts in `archive`, and its length.
fn entry_data(archive: &[u8], name: &str) -> (usize, usize) {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
    let f = z.by_name(name).unwrap();
    (
        usize::try_from(f.data_start().unwrap()).unwrap(),
        usize::try_from(f.compressed_size()).unwrap(),
    )
}

#[test]
fn stored_and_deflated_zip_entries_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let entries = fixture_entries("Go");
    let mut dbs = Vec::new();
    for (name, method) in [
        ("stored", zip::CompressionMethod::Stored),
        ("deflated", zip::CompressionMethod::Deflated),
    ] {
        let zip = dir.path().join(format!("{name}.zip"));
        std::fs::write(&zip, zip_bytes(&entries, method)).unwrap();
        let db = dir.path().join(format!("{name}.db"));
        let r = import(&db, &[zip]).unwrap();
        assert_eq!(r.inputs[0].records, 3);
        assert_eq!(
            r.inputs[0].bytes,
            entries.iter().map(|(_, c)| c.len() as u64).sum::<u64>()
        );
        dbs.push(Db::open(&db).unwrap());
    }
    for db in &dbs {
        let f = db.matches("Go", "golang.org/x/net", "v0.16.0").unwrap();
        assert!(!f.is_empty());
        let (s, s0) = (db.stats().unwrap(), dbs[0].stats().unwrap());
        assert_eq!(
            (s.advisories, s.withdrawn, s.ecosystems),
            (s0.advisories, s0.withdrawn, s0.ecosystems)
        );
    }
}

#[test]
fn a_corrupt_zip_entry_is_an_error_naming_it_and_changes_nothing() {
    let b = build();
    let check_intact = || {
        let db = Db::open(&b.db).unwrap();
        assert_eq!(db.matches("PyPI", "requests", "2.30.0").unwrap().len(), 1);
    };
    let entries = fixture_entries("Go");
    let victim = entries[1].0.clone();
    for method in [
        zip::CompressionMethod::Stored,
        zip::CompressionMethod::Deflated,
    ] {
        let mut bytes = zip_bytes(&entries, method);
        let (start, len) = entry_data(&bytes, &victim);
        // Flip bits in the middle of the entry's data: the CRC-32 (or the
        // deflate stream) no longer checks out.
        bytes[start + len / 2] ^= 0x55;
        let zip = b.dir.join("corrupt.zip");
        std::fs::write(&zip, &bytes).unwrap();
        match import(&b.db, std::slice::from_ref(&zip)) {
            Err(VulnDbError::NotOsvArchive { location, message }) => {
                assert_eq!(location.path, zip);
                assert_eq!(location.entry.as_deref(), Some(victim.as_str()));
                assert!(!message.is_empty());
            }
            other => panic!("{method:?}: {other:?}"),
        }
        check_intact();
    }
}

#[test]
fn a_first_import_builds_indexes_and_upserts_like_later_ones() {
    // Into a new database: an older and a newer version of one record (the
    // newer replaces the older's affected rows), then the same again into
    // a database that already exists.
    let dir = tempfile::tempdir().unwrap();
    let raw =
        std::fs::read_to_string(fixtures().join("osv/crates.io/RUSTSEC-2021-0124.json")).unwrap();
    let newer = raw
        .replace("\"fixed\": \"1.13.1\"", "\"fixed\": \"1.13.2\"")
        .replace("\"modified\": \"20", "\"modified\": \"21");
    assert_ne!(newer, raw);
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(&old, &raw).unwrap();
    std::fs::write(&new, &newer).unwrap();
    let db = dir.path().join("fresh.db");
    let r = import(&db, &[old.clone(), new.clone()]).unwrap();
    assert_eq!((r.inputs[0].added, r.inputs[1].updated), (1, 1));
    let first = Db::open(&db).unwrap();
    let f = first.matches("crates.io", "tokio", "1.13.1").unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].fixed, ["1.13.2"]);
    assert!(
        first
            .matches("crates.io", "tokio", "1.13.2")
            .unwrap()
            .is_empty()
    );
    // The secondary indexes were built, and the file is left in WAL mode
    // (header bytes 18 and 19 are 2).
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap();
    let indexes: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        indexes,
        [
            "affected_advisory",
            "affected_package",
            "cpe_match_cve",
            "cpe_match_product",
        ]
    );
    drop(stmt);
    drop(conn);
    let header = std::fs::read(&db).unwrap();
    assert_eq!(&header[..16], b"SQLite format 3\0");
    assert_eq!((header[18], header[19]), (2, 2));
    // A second import into the existing database changes nothing.
    let again = import(&db, &[old, new]).unwrap();
    assert_eq!(again.inputs[0].unchanged, 1);
    assert_eq!(again.inputs[1].unchanged, 1);
    let f = Db::open(&db)
        .unwrap()
        .matches("crates.io", "tokio", "1.13.1")
        .unwrap();
    assert_eq!(f[0].fixed, ["1.13.2"]);
}

#[test]
fn a_failed_first_import_leaves_a_file_the_next_import_fills() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"id":"X-1","modified":"never"}"#).unwrap();
    let zip = dir.path().join("Go.zip");
    write_zip(&zip, &fixture_entries("Go"));
    assert!(matches!(
        import(&db, &[zip.clone(), bad]),
        Err(VulnDbError::Osv { .. })
    ));
    assert!(Db::open(&db).is_err(), "nothing was committed");
    let r = import(&db, &[zip]).unwrap();
    assert_eq!(r.inputs[0].added, 3);
    let s = Db::open(&db).unwrap().stats().unwrap();
    assert!(s.advisories > 3);
}
