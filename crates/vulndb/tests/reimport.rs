//! Re-imports cost what changed (issue #13): unchanged inputs and zip
//! entries are skipped, a changed entry replaces only its advisories, and a
//! database of an older schema revision opens and upgrades.
//!
//! That an entry was skipped (not inflated) is shown by corrupting its
//! data while the central directory keeps its CRC-32 and size: reading it
//! would fail the CRC check, so an import that succeeds did not read it.

mod common;

use std::path::Path;

use common::{fixture_entries, fixtures, import};
use riskmark_vulndb::{Db, VulnDbError};
use rusqlite::Connection;

fn zip_bytes(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// `archive` with the data of entry `name` damaged (its directory record,
/// CRC-32 included, unchanged).
fn corrupt(archive: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
    let f = z.by_name(name).unwrap();
    let start = usize::try_from(f.data_start().unwrap()).unwrap();
    let len = usize::try_from(f.compressed_size()).unwrap();
    drop(f);
    let mut out = archive.to_vec();
    out[start + len / 2] ^= 0x55;
    out
}

/// Every advisory and affected row, `raw` included, sorted.
fn dump(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut out = Vec::new();
    for q in [
        "SELECT id, modified, summary, aliases, severity, hex(raw) FROM advisories",
        "SELECT advisory_id, ecosystem, name, ranges, versions FROM affected",
        "SELECT cve, vendor, product FROM kev",
        "SELECT name, n FROM counts",
        "SELECT ecosystem, advisories FROM ecosystem_counts",
    ] {
        let mut s = c.prepare(q).unwrap();
        let n = s.column_count();
        let rows = s
            .query_map([], |r| {
                let mut v = Vec::new();
                for i in 0..n {
                    v.push(format!("{:?}", r.get_ref(i)?));
                }
                Ok(v.join("|"))
            })
            .unwrap();
        let mut rows: Vec<String> = rows.map(Result::unwrap).collect();
        rows.sort();
        out.extend(rows);
    }
    out
}

fn summary(db: &Path, id: &str) -> Option<String> {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT summary FROM advisories WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

/// The Go fixtures with one advisory changed: a later `modified` and
/// another summary.
fn changed_go() -> Vec<(String, Vec<u8>)> {
    let mut e = fixture_entries("Go");
    let text = String::from_utf8(e[0].1.clone()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["modified"] = "2099-01-01T00:00:00Z".into();
    v["summary"] = "changed summary".into();
    e[0].1 = serde_json::to_vec_pretty(&v).unwrap();
    e
}

fn id_of(entry: &(String, Vec<u8>)) -> String {
    let v: serde_json::Value = serde_json::from_slice(&entry.1).unwrap();
    v["id"].as_str().unwrap().to_owned()
}

#[test]
fn an_unchanged_archive_is_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let zip = dir.path().join("Go.zip");
    let entries = fixture_entries("Go");
    let bytes = zip_bytes(&entries);
    std::fs::write(&zip, &bytes).unwrap();
    let kev = fixtures().join("kev.json");
    let first = import(&db, &[zip.clone(), kev.clone()]).unwrap();
    let before = dump(&db);

    // Every entry's data damaged, the directory intact: a full reading
    // would fail; the directory is unchanged, so nothing is read.
    let mut damaged = bytes.clone();
    for (name, _) in &entries {
        damaged = corrupt(&damaged, name);
    }
    std::fs::write(&zip, &damaged).unwrap();
    let again = import(&db, &[zip.clone(), kev.clone()]).unwrap();
    for (a, b) in first.inputs.iter().zip(&again.inputs) {
        assert_eq!(a.kind, b.kind);
        assert_eq!(a.records, b.records);
        assert_eq!(a.bytes, b.bytes);
        assert_eq!((b.added, b.updated), (0, 0), "{}", b.path.display());
        assert_eq!(b.unchanged, b.records);
    }
    assert_eq!(dump(&db), before);
    let st = Db::open(&db).unwrap().stats().unwrap();
    let kev_src = st.sources.iter().find(|s| s.kind == "kev").unwrap();
    assert_eq!(kev_src.detail.as_deref(), Some("2025.08.25"));

    // Without the database's memory (another database), the damage is found.
    let other = dir.path().join("other.db");
    assert!(matches!(
        import(&other, std::slice::from_ref(&zip)),
        Err(VulnDbError::NotOsvArchive { .. })
    ));
}

#[test]
fn a_changed_entry_is_the_only_one_read_and_replaces_its_advisory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let zip = dir.path().join("Go.zip");
    std::fs::write(&zip, zip_bytes(&fixture_entries("Go"))).unwrap();
    import(&db, std::slice::from_ref(&zip)).unwrap();

    let changed = changed_go();
    let id = id_of(&changed[0]);
    // The unchanged entries are damaged: only the changed one may be read.
    let mut bytes = zip_bytes(&changed);
    for (name, _) in &changed[1..] {
        bytes = corrupt(&bytes, name);
    }
    std::fs::write(&zip, &bytes).unwrap();
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    let i = &r.inputs[0];
    assert_eq!((i.records, i.added, i.updated, i.unchanged), (3, 0, 1, 2));
    assert_eq!(summary(&db, &id).as_deref(), Some("changed summary"));

    // The same database content as reading everything into a database
    // that held the original archive.
    let reference = dir.path().join("reference.db");
    let orig = dir.path().join("orig/Go.zip");
    std::fs::create_dir_all(orig.parent().unwrap()).unwrap();
    std::fs::write(&orig, zip_bytes(&fixture_entries("Go"))).unwrap();
    import(&reference, std::slice::from_ref(&orig)).unwrap();
    std::fs::write(&orig, zip_bytes(&changed)).unwrap();
    import(&reference, std::slice::from_ref(&orig)).unwrap();
    assert_eq!(dump(&db), dump(&reference));

    // And the next import of the same archive skips it all.
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    assert_eq!(r.inputs[0].unchanged, 3);
}

#[test]
fn a_directory_reads_only_changed_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let osv = dir.path().join("osv");
    std::fs::create_dir_all(&osv).unwrap();
    for (name, body) in fixture_entries("PyPI") {
        std::fs::write(osv.join(name), body).unwrap();
    }
    let first = import(&db, std::slice::from_ref(&osv)).unwrap();
    assert_eq!(first.inputs[0].added, 4);
    let r = import(&db, std::slice::from_ref(&osv)).unwrap();
    assert_eq!((r.inputs[0].records, r.inputs[0].unchanged), (4, 4));
    // A changed file is read (and must parse); a new file is added.
    let path = osv.join("PYSEC-2020-14.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["modified"] = "2099-01-01T00:00:00Z".into();
    v["summary"] = "changed".into();
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    std::fs::write(
        osv.join("NEW-1.json"),
        r#"{"id":"NEW-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"x"},"versions":["1"]}]}"#,
    )
    .unwrap();
    let r = import(&db, std::slice::from_ref(&osv)).unwrap();
    let i = &r.inputs[0];
    assert_eq!(
        (i.records, i.added, i.updated, i.unchanged),
        (5, 1, 1, 3),
        "{i:?}"
    );
    assert_eq!(summary(&db, "PYSEC-2020-14").as_deref(), Some("changed"));
    // A file broken after it was imported is read again and reported.
    std::fs::write(&path, "{\"id\": ").unwrap();
    match import(&db, std::slice::from_ref(&osv)) {
        Err(VulnDbError::Osv { location, .. }) => {
            assert_eq!(location.path, osv);
            assert_eq!(location.entry.as_deref(), Some("PYSEC-2020-14.json"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_kev_catalog_imported_again_after_another_is_applied_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let a = fixtures().join("kev.json");
    let text = std::fs::read_to_string(&a).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = v["vulnerabilities"][0]["cveID"]
        .as_str()
        .unwrap()
        .to_owned();
    v["vulnerabilities"].as_array_mut().unwrap().remove(0);
    v["catalogVersion"] = "2000.01.01".into();
    let b = dir.path().join("older-kev.json");
    std::fs::write(&b, serde_json::to_vec(&v).unwrap()).unwrap();
    let listed = |db: &Path| -> bool {
        Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM kev WHERE cve = ?1", [&first], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap()
            == 1
    };
    import(&db, std::slice::from_ref(&a)).unwrap();
    assert!(listed(&db));
    import(&db, std::slice::from_ref(&b)).unwrap();
    assert!(!listed(&db));
    // `a` is unchanged, but the table no longer holds it: read again.
    let r = import(&db, std::slice::from_ref(&a)).unwrap();
    assert!(listed(&db));
    assert_eq!(r.inputs[0].added, 1);
}

#[test]
fn a_record_replaced_at_the_same_modified_by_another_input_is_applied_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let entries = fixture_entries("Go");
    let id = id_of(&entries[0]);
    let mut other = entries.clone();
    let mut v: serde_json::Value = serde_json::from_slice(&other[0].1).unwrap();
    v["summary"] = "the other input's summary".into();
    other[0].1 = serde_json::to_vec_pretty(&v).unwrap();
    let a = dir.path().join("a.zip");
    let b = dir.path().join("b.zip");
    std::fs::write(&a, zip_bytes(&entries)).unwrap();
    std::fs::write(&b, zip_bytes(&other)).unwrap();
    import(&db, std::slice::from_ref(&a)).unwrap();
    let original = summary(&db, &id);
    import(&db, std::slice::from_ref(&b)).unwrap();
    assert_eq!(
        summary(&db, &id).as_deref(),
        Some("the other input's summary")
    );
    // Reading `a` again replaces it back (same modified, other content),
    // as it always did: `a` must not be skipped.
    let r = import(&db, std::slice::from_ref(&a)).unwrap();
    assert_eq!(r.inputs[0].updated, 1);
    assert_eq!(summary(&db, &id), original);
}

/// Turns a database into one of schema revision 1 (before `source_files`,
/// and with the raw records stored as text).
fn make_revision_1(db: &Path) {
    let c = Connection::open(db).unwrap();
    c.execute_batch(
        "DROP TABLE source_files;
         DELETE FROM meta WHERE key IN ('schema_revision', 'source_files_at');",
    )
    .unwrap();
    let rows: Vec<(String, Vec<u8>)> = c
        .prepare("SELECT id, raw FROM advisories")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, z) in rows {
        let dict = include_bytes!("../data/osv-records.zstd-dict");
        let mut d = zstd::bulk::Decompressor::with_dictionary(dict).unwrap();
        let text = String::from_utf8(d.decompress(&z, 1 << 24).unwrap()).unwrap();
        c.execute(
            "UPDATE advisories SET raw = ?2 WHERE id = ?1",
            rusqlite::params![id, text],
        )
        .unwrap();
    }
}

#[test]
fn a_revision_1_database_opens_and_its_next_import_upgrades_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let zip = dir.path().join("Go.zip");
    let bytes = zip_bytes(&fixture_entries("Go"));
    std::fs::write(&zip, &bytes).unwrap();
    import(&db, &[zip.clone(), fixtures().join("osv/PyPI")]).unwrap();
    make_revision_1(&db);
    let text_raw: i64 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM advisories WHERE typeof(raw) = 'text'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(text_raw, 3 + 4 + 26);
    let before = dump(&db);
    {
        let d = Db::open(&db).unwrap();
        assert_eq!(d.stats().unwrap().schema_version, 1);
        assert_eq!(
            d.matches("PyPI", "distributed", "2021.9.1").unwrap().len(),
            1
        );
    }
    let meta = |k: &str| -> Option<String> {
        Connection::open(&db)
            .unwrap()
            .query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
            .ok()
    };
    assert_eq!(meta("schema_revision"), None);
    // The upgrading import reads everything (there is nothing remembered).
    let damaged = corrupt(&bytes, &fixture_entries("Go")[0].0);
    std::fs::write(&zip, &damaged).unwrap();
    assert!(import(&db, std::slice::from_ref(&zip)).is_err());
    assert_eq!(
        meta("schema_revision"),
        None,
        "a failed import changes nothing"
    );
    std::fs::write(&zip, &bytes).unwrap();
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    assert_eq!(r.inputs[0].unchanged, 3);
    assert_eq!(meta("schema_revision").as_deref(), Some("2"));
    assert_eq!(meta("schema_version").as_deref(), Some("1"));
    // The records stored as text compare equal with the same records read
    // again (nothing was rewritten).
    assert_eq!(dump(&db), before);
    // A changed record at the same `modified` replaces a text one.
    let mut changed = fixture_entries("Go");
    let id = id_of(&changed[0]);
    let mut v: serde_json::Value = serde_json::from_slice(&changed[0].1).unwrap();
    v["summary"] = "same modified, other text".into();
    changed[0].1 = serde_json::to_vec_pretty(&v).unwrap();
    let other = dir.path().join("other.zip");
    std::fs::write(&other, zip_bytes(&changed)).unwrap();
    let r = import(&db, std::slice::from_ref(&other)).unwrap();
    assert_eq!((r.inputs[0].updated, r.inputs[0].unchanged), (1, 2));
    assert_eq!(
        summary(&db, &id).as_deref(),
        Some("same modified, other text")
    );
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    assert_eq!(r.inputs[0].updated, 1, "back to the original");
    // From now on an unchanged archive is skipped.
    std::fs::write(&zip, &damaged).unwrap();
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    assert_eq!(r.inputs[0].unchanged, 3);
}

#[test]
fn an_import_by_an_older_build_makes_the_memory_untrusted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let zip = dir.path().join("Go.zip");
    let bytes = zip_bytes(&fixture_entries("Go"));
    std::fs::write(&zip, &bytes).unwrap();
    import(&db, std::slice::from_ref(&zip)).unwrap();
    // An older build imports: it sets built_at, not source_files_at.
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE meta SET value = '2030-01-01T00:00:00Z' WHERE key = 'built_at'",
            [],
        )
        .unwrap();
    std::fs::write(&zip, corrupt(&bytes, &fixture_entries("Go")[1].0)).unwrap();
    assert!(matches!(
        import(&db, std::slice::from_ref(&zip)),
        Err(VulnDbError::NotOsvArchive { .. })
    ));
}

#[test]
fn a_damaged_memory_means_reading_everything() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let zip = dir.path().join("Go.zip");
    let entries = changed_go();
    std::fs::write(&zip, zip_bytes(&fixture_entries("Go"))).unwrap();
    import(&db, std::slice::from_ref(&zip)).unwrap();
    Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE source_files SET entries = x'00ff', report = 'not json';")
        .unwrap();
    // Not trusted: the whole row is ignored (its report is unreadable).
    std::fs::write(&zip, zip_bytes(&entries)).unwrap();
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    let i = &r.inputs[0];
    assert_eq!((i.records, i.updated, i.unchanged), (3, 1, 2));
    // Entries that cannot be decoded: every entry is read.
    Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE source_files SET entries = x'00ff', digest = x'00';")
        .unwrap();
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    assert_eq!(r.inputs[0].unchanged, 3);
}

#[test]
fn a_damaged_changed_entry_is_an_error_naming_it_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let zip = dir.path().join("Go.zip");
    std::fs::write(&zip, zip_bytes(&fixture_entries("Go"))).unwrap();
    import(&db, std::slice::from_ref(&zip)).unwrap();
    let before = dump(&db);
    let changed = changed_go();
    let victim = changed[0].0.clone();
    std::fs::write(&zip, corrupt(&zip_bytes(&changed), &victim)).unwrap();
    match import(&db, std::slice::from_ref(&zip)) {
        Err(VulnDbError::NotOsvArchive { location, message }) => {
            assert_eq!(location.path, zip);
            assert_eq!(location.entry.as_deref(), Some(victim.as_str()));
            assert!(!message.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(dump(&db), before);
    // A truncated archive (its directory gone) is read in full and refused.
    let bytes = zip_bytes(&changed);
    std::fs::write(&zip, &bytes[..bytes.len() - 30]).unwrap();
    assert!(import(&db, std::slice::from_ref(&zip)).is_err());
    assert_eq!(dump(&db), before);
    // The same change, intact, applies.
    std::fs::write(&zip, &bytes).unwrap();
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    assert_eq!((r.inputs[0].updated, r.inputs[0].unchanged), (1, 2));
}

/// `n` small advisories, the first `changed` of them at a later `modified`.
fn many(n: usize, changed: usize) -> Vec<(String, Vec<u8>)> {
    (0..n)
        .map(|i| {
            let modified = if i < changed { "2099" } else { "2024" };
            let body = format!(
                r#"{{"id":"TEST-{i}","modified":"{modified}-01-01T00:00:00Z","affected":[{{"package":{{"ecosystem":"PyPI","name":"p{i}"}},"versions":["1.0"]}}]}}"#
            );
            (format!("TEST-{i}.json"), body.into_bytes())
        })
        .collect()
}

#[test]
fn an_archive_with_many_changes_is_read_whole_but_inflates_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let zip = dir.path().join("many.zip");
    std::fs::write(&zip, zip_bytes(&many(300, 0))).unwrap();
    import(&db, std::slice::from_ref(&zip)).unwrap();
    // 150 of 300 changed: more than the few read one by one.
    let entries = many(300, 150);
    let mut bytes = zip_bytes(&entries);
    for (name, _) in &entries[150..] {
        bytes = corrupt(&bytes, name);
    }
    std::fs::write(&zip, &bytes).unwrap();
    let r = import(&db, std::slice::from_ref(&zip)).unwrap();
    let i = &r.inputs[0];
    assert_eq!((i.records, i.updated, i.unchanged), (300, 150, 150));
    // Damage in a changed entry is found.
    std::fs::write(&zip, corrupt(&zip_bytes(&many(300, 200)), "TEST-170.json")).unwrap();
    match import(&db, std::slice::from_ref(&zip)) {
        Err(VulnDbError::NotOsvArchive { location, .. }) => {
            assert_eq!(location.entry.as_deref(), Some("TEST-170.json"));
        }
        other => panic!("{other:?}"),
    }
}
