//! The database's counts (records, withdrawn, per ecosystem ...), kept
//! current by every import, so that reading them costs a few rows.
//!
//! Every scan reports these counts with its findings. Counting on each scan
//! read every page of the record tables and sorted the `affected` rows for
//! the distinct advisories per ecosystem: several milliseconds of a scan
//! that otherwise takes a few. An import knows what it adds, replaces and
//! clears, so it keeps the counts as it writes ([`Tally`]) and stores them
//! with its commit ([`Tally::store`]).
//!
//! A database written before the counts existed has none: readers then
//! count with SQL ([`count_all`]), and its next import stores them.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;

use crate::error::{VulnDbError, db_err};
use crate::schema;

/// The `meta` key whose presence says the `counts` tables are current.
const KEPT: &str = "counts_kept";

/// The counts a scan reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) advisories: u64,
    pub(crate) withdrawn: u64,
    pub(crate) nvd_cves: u64,
    pub(crate) nvd_rejected: u64,
    pub(crate) cpe_keys: u64,
    pub(crate) kev: u64,
    pub(crate) epss: u64,
    /// Distinct advisories (withdrawn included) per ecosystem key, sorted.
    pub(crate) ecosystems: BTreeMap<String, u64>,
}

/// What an import changed, as differences to the stored counts.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    advisories: i64,
    withdrawn: i64,
    nvd_cves: i64,
    nvd_rejected: i64,
    cpe_keys: i64,
    ecosystems: BTreeMap<String, i64>,
    /// The `kev` or `epss` table was written: recounted at the end (they
    /// are small, and whole catalogs replace them).
    feeds_written: bool,
    /// The database was empty before this import: the tally is the count.
    from_empty: bool,
}

impl Tally {
    /// The tally of one import; `from_empty`: the database held nothing
    /// before it.
    pub(crate) fn new(from_empty: bool) -> Self {
        Self {
            from_empty,
            ..Self::default()
        }
    }

    /// An OSV record written (`added`) or removed before its replacement.
    /// `ecosystems` are the ecosystem keys of its affected entries, in any
    /// order, repeats allowed.
    pub(crate) fn advisory<'a>(
        &mut self,
        sign: i64,
        withdrawn: bool,
        ecosystems: impl IntoIterator<Item = &'a str>,
    ) {
        self.advisories += sign;
        self.withdrawn += sign * i64::from(withdrawn);
        let mut seen: Vec<&str> = Vec::new();
        for e in ecosystems {
            if !seen.contains(&e) {
                seen.push(e);
                // A lookup by `&str` first: allocating the key only for a new
                // ecosystem, not once per record.
                match self.ecosystems.get_mut(e) {
                    Some(n) => *n += sign,
                    None => {
                        self.ecosystems.insert(e.to_owned(), sign);
                    }
                }
            }
        }
    }

    /// An NVD CVE written (`sign` 1) or removed before its replacement
    /// (`sign` -1), with its `cpe_match` rows.
    pub(crate) fn nvd(&mut self, sign: i64, rejected: bool, cpe_rows: usize) {
        self.nvd_cves += sign;
        self.nvd_rejected += sign * i64::from(rejected);
        self.cpe_keys += sign * i64::try_from(cpe_rows).unwrap_or(i64::MAX);
    }

    /// The KEV or EPSS table was written.
    pub(crate) fn feeds(&mut self) {
        self.feeds_written = true;
    }

    /// Stores the counts inside the import's transaction: the stored ones
    /// plus this tally, or, for a database that kept none, all counted
    /// anew.
    pub(crate) fn store(self, conn: &Connection, path: &Path) -> Result<(), VulnDbError> {
        let err = db_err(path);
        let kept = self.from_empty || schema::meta(conn, KEPT).map_err(&err)?.is_some();
        let counts = if kept {
            let mut c = if self.from_empty {
                Counts::default()
            } else {
                stored(conn).map_err(&err)?
            };
            let add = |n: &mut u64, d: i64| *n = n.saturating_add_signed(d);
            add(&mut c.advisories, self.advisories);
            add(&mut c.withdrawn, self.withdrawn);
            add(&mut c.nvd_cves, self.nvd_cves);
            add(&mut c.nvd_rejected, self.nvd_rejected);
            add(&mut c.cpe_keys, self.cpe_keys);
            for (eco, d) in self.ecosystems {
                add(c.ecosystems.entry(eco).or_default(), d);
            }
            c.ecosystems.retain(|_, n| *n > 0);
            if self.feeds_written {
                c.kev = count(conn, "SELECT COUNT(*) FROM kev").map_err(&err)?;
                c.epss = count(conn, "SELECT COUNT(*) FROM epss").map_err(&err)?;
            }
            c
        } else {
            count_all(conn).map_err(&err)?
        };
        write(conn, &counts).map_err(&err)
    }
}

/// The stored counts, or `None` for a database that keeps none.
pub(crate) fn read(conn: &Connection) -> rusqlite::Result<Option<Counts>> {
    if schema::meta(conn, KEPT)?.is_none() {
        return Ok(None);
    }
    stored(conn).map(Some)
}

fn stored(conn: &Connection) -> rusqlite::Result<Counts> {
    let mut c = Counts::default();
    let mut stmt = conn.prepare("SELECT name, n FROM counts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let n = u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
        match r.get_ref(0)?.as_str()? {
            "advisories" => c.advisories = n,
            "withdrawn" => c.withdrawn = n,
            "nvd_cves" => c.nvd_cves = n,
            "nvd_rejected" => c.nvd_rejected = n,
            "cpe_keys" => c.cpe_keys = n,
            "kev" => c.kev = n,
            "epss" => c.epss = n,
            _ => {}
        }
    }
    let mut stmt = conn.prepare("SELECT ecosystem, advisories FROM ecosystem_counts")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let n = u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
        c.ecosystems.insert(r.get(0)?, n);
    }
    Ok(c)
}

fn write(conn: &Connection, c: &Counts) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM counts", [])?;
    conn.execute("DELETE FROM ecosystem_counts", [])?;
    let mut put = conn.prepare("INSERT INTO counts (name, n) VALUES (?1, ?2)")?;
    for (name, n) in [
        ("advisories", c.advisories),
        ("withdrawn", c.withdrawn),
        ("nvd_cves", c.nvd_cves),
        ("nvd_rejected", c.nvd_rejected),
        ("cpe_keys", c.cpe_keys),
        ("kev", c.kev),
        ("epss", c.epss),
    ] {
        put.execute((name, i64::try_from(n).unwrap_or(i64::MAX)))?;
    }
    let mut put =
        conn.prepare("INSERT INTO ecosystem_counts (ecosystem, advisories) VALUES (?1, ?2)")?;
    for (eco, n) in &c.ecosystems {
        put.execute((eco, i64::try_from(*n).unwrap_or(i64::MAX)))?;
    }
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')",
        [KEPT],
    )?;
    Ok(())
}

fn count(conn: &Connection, sql: &str) -> rusqlite::Result<u64> {
    let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Every count, from the tables themselves (a database without stored
/// counts, and the tests' reference).
pub(crate) fn count_all(conn: &Connection) -> rusqlite::Result<Counts> {
    let nvd = schema::has_table(conn, "nvd_cves")?;
    let nvd_count = |sql: &str| if nvd { count(conn, sql) } else { Ok(0) };
    let mut ecosystems = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT ecosystem, COUNT(DISTINCT advisory_id) FROM affected GROUP BY ecosystem",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        ecosystems.insert(r.get(0)?, u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0));
    }
    Ok(Counts {
        advisories: count(conn, "SELECT COUNT(*) FROM advisories")?,
        withdrawn: count(
            conn,
            "SELECT COUNT(*) FROM advisories WHERE withdrawn IS NOT NULL",
        )?,
        nvd_cves: nvd_count("SELECT COUNT(*) FROM nvd_cves")?,
        nvd_rejected: nvd_count("SELECT COUNT(*) FROM nvd_cves WHERE withdrawn IS NOT NULL")?,
        cpe_keys: nvd_count("SELECT COUNT(*) FROM cpe_match")?,
        kev: count(conn, "SELECT COUNT(*) FROM kev")?,
        epss: count(conn, "SELECT COUNT(*) FROM epss")?,
        ecosystems,
    })
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;
    use std::path::{Path, PathBuf};

    use super::{Counts, count_all, read};
    use crate::schema;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
    }

    fn import(db: &Path, inputs: &[PathBuf]) {
        crate::import(db, inputs, |_| ControlFlow::Continue(())).unwrap();
    }

    /// The stored counts and the counts of the tables themselves.
    fn stored_and_counted(db: &Path) -> (Option<Counts>, Counts) {
        let conn = schema::open_ro(db).unwrap();
        (read(&conn).unwrap(), count_all(&conn).unwrap())
    }

    fn osv(id: &str, modified: &str, withdrawn: bool, packages: &[(&str, &str)]) -> String {
        let affected: Vec<String> = packages
            .iter()
            .map(|(eco, name)| {
                format!(
                    r#"{{"package":{{"ecosystem":"{eco}","name":"{name}"}},"versions":["1.0.0"]}}"#
                )
            })
            .collect();
        let withdrawn = if withdrawn {
            r#""withdrawn":"2024-02-01T00:00:00Z","#
        } else {
            ""
        };
        format!(
            r#"{{"id":"{id}","modified":"{modified}",{withdrawn}"affected":[{}]}}"#,
            affected.join(",")
        )
    }

    /// Every kind of change an import makes keeps the stored counts equal
    /// to what the tables hold: first import (OSV, NVD, KEV), replacements
    /// that move an advisory to other ecosystems and withdraw or restore
    /// it, an updated NVD CVE with other CPE keys, EPSS, an unchanged
    /// re-import, and a database that kept no counts.
    #[test]
    fn every_import_keeps_the_counts_equal_to_the_tables() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("vuln.db");
        let f = fixtures();
        let first = dir.path().join("first");
        std::fs::create_dir(&first).unwrap();
        let write = |dir: &Path, name: &str, text: String| {
            std::fs::write(dir.join(name), text).unwrap();
        };
        write(
            &first,
            "X-1.json",
            osv(
                "X-1",
                "2024-01-01T00:00:00Z",
                false,
                &[("PyPI", "a"), ("PyPI", "b"), ("Go", "example.com/c")],
            ),
        );
        write(
            &first,
            "X-2.json",
            osv("X-2", "2024-01-01T00:00:00Z", true, &[("crates.io", "d")]),
        );
        write(
            &first,
            "X-3.json",
            osv("X-3", "2024-01-01T00:00:00Z", true, &[]),
        );
        // The same import meets X-3 again, newer, no longer withdrawn and
        // with an affected package: a replacement inside a first import.
        let again = dir.path().join("again.json");
        write(
            dir.path(),
            "again.json",
            osv(
                "X-3",
                "2024-02-01T00:00:00Z",
                false,
                &[("Go", "example.com/g")],
            ),
        );
        import(
            &db,
            &[
                first.clone(),
                again,
                f.join("osv/PyPI"),
                f.join("nvd/nvdcve-2.0-part1.json"),
                f.join("kev.json"),
            ],
        );
        let (stored, counted) = stored_and_counted(&db);
        assert_eq!(stored.as_ref(), Some(&counted));
        assert_eq!(counted.withdrawn, 1);
        assert!(counted.ecosystems.get("Go") == Some(&2) && counted.nvd_cves == 5);
        let before = counted;

        // X-1 moves to crates.io only; X-2 is no longer withdrawn and
        // gains PyPI; X-4 is new; CVE-... of part 2 are new, and one CVE of
        // part 1 comes back with a later lastModified.
        let second = dir.path().join("second");
        std::fs::create_dir(&second).unwrap();
        write(
            &second,
            "X-1.json",
            osv("X-1", "2024-03-01T00:00:00Z", false, &[("crates.io", "e")]),
        );
        write(
            &second,
            "X-2.json",
            osv(
                "X-2",
                "2024-03-01T00:00:00Z",
                false,
                &[("crates.io", "d"), ("PyPI", "d")],
            ),
        );
        write(
            &second,
            "X-4.json",
            osv(
                "X-4",
                "2024-03-01T00:00:00Z",
                true,
                &[("Go", "example.com/f")],
            ),
        );
        let part1 = std::fs::read_to_string(f.join("nvd/nvdcve-2.0-part1.json")).unwrap();
        let updated = part1.replacen("\"lastModified\": \"", "\"lastModified\": \"2099", 1);
        assert_ne!(updated, part1, "the fixture's lastModified layout changed");
        let nvd = dir.path().join("nvd-update.json");
        std::fs::write(&nvd, fixed_year(&updated)).unwrap();
        let epss = dir.path().join("epss.csv");
        std::fs::write(
            &epss,
            "#model_version:v2025.03.14,score_date:2025-06-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.9,0.99\nCVE-2014-0160,0.5,0.9\n",
        )
        .unwrap();
        import(
            &db,
            &[second, nvd, f.join("nvd/nvdcve-2.0-part2.json"), epss],
        );
        let (stored, counted) = stored_and_counted(&db);
        assert_eq!(stored.as_ref(), Some(&counted));
        assert_ne!(counted, before, "the second import changed nothing");
        assert_eq!((counted.withdrawn, counted.epss), (1, 2));

        // Unchanged re-import: nothing moves.
        import(&db, &[f.join("osv/PyPI")]);
        assert_eq!(stored_and_counted(&db).0, Some(counted.clone()));

        // A database from before the counts: readers count, the next
        // import stores them.
        {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute("DELETE FROM meta WHERE key = 'counts_kept'", [])
                .unwrap();
            conn.execute("DELETE FROM counts", []).unwrap();
        }
        assert_eq!(stored_and_counted(&db).0, None);
        let stats = crate::Db::open(&db).unwrap().stats().unwrap();
        assert_eq!(
            (stats.advisories, stats.withdrawn),
            (counted.advisories, counted.withdrawn)
        );
        import(&db, &[f.join("osv/Go")]);
        let (stored, counted) = stored_and_counted(&db);
        assert_eq!(stored, Some(counted));
    }

    /// `2099` was put before the year of the first `lastModified`: keep a
    /// valid timestamp by dropping the old year's four digits.
    fn fixed_year(text: &str) -> String {
        let i = text.find("\"lastModified\": \"2099").unwrap() + "\"lastModified\": \"2099".len();
        format!("{}{}", &text[..i], &text[i + 4..])
    }
}
