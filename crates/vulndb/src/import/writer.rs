//! The SQLite side of an import: the prepared statements of the import's
//! transaction, the upserts, and the consuming of parsed batches.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::cache::EntryState;
use super::pack;
use super::pipeline::Batches;
use super::{InputKind, InputReport, PROGRESS_EVERY, Progress, SYNC_EVERY};
use crate::counts::Tally;
use crate::error::{VulnDbError, db_err};
use crate::feeds;
use crate::nvd::NvdCve;
use crate::osv::Advisory;
use crate::schema;

/// The prepared statements of one import, all on the import's transaction.
pub(crate) struct Writer<'c> {
    conn: &'c Connection,
    path: PathBuf,
    existing: Statement<'c>,
    same_raw: Statement<'c>,
    put_advisory: Statement<'c>,
    delete_affected: Statement<'c>,
    put_affected: Statement<'c>,
    nvd_existing: Statement<'c>,
    put_nvd: Statement<'c>,
    delete_cpe: Statement<'c>,
    put_cpe: Statement<'c>,
    /// Set by KEV and EPSS imports: stored in `sources.detail`.
    pub(super) detail: Option<String>,
    /// The secondary indexes are not built yet (first import into an
    /// empty database): built before the first delete, else at the end.
    indexes_pending: bool,
    /// Signals the background flusher of a new database (see
    /// [`super::start_syncer`]), with the input bytes written since the last signal.
    pub(super) early_sync: Option<SyncSender<()>>,
    unsynced: u64,
    /// On a database that was empty: the `modified_us` and withdrawn state
    /// of every advisory written so far, which are all the table holds, so
    /// looking an id up needs no query.
    written: Option<HashMap<String, (i64, bool)>>,
    /// What this import changed, for the stored counts.
    tally: Tally,
    /// An advisory was replaced by a record with the same `modified` and
    /// other content since the last [`Self::take_contested`]: what other
    /// inputs held may no longer be what the database holds (see `cache.rs`).
    contested: bool,
    /// Compresses the raw records the workers did not.
    packer: pack::Packer,
    /// Reads stored raw records to compare them.
    unpacker: pack::Unpacker,
}

impl<'c> Writer<'c> {
    pub(super) fn new(
        conn: &'c Connection,
        path: &Path,
        indexes_pending: bool,
    ) -> Result<Self, VulnDbError> {
        let err = db_err(path);
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            existing: conn
                .prepare("SELECT modified_us, withdrawn IS NOT NULL FROM advisories WHERE id = ?1")
                .map_err(&err)?,
            same_raw: conn
                .prepare("SELECT raw FROM advisories WHERE id = ?1")
                .map_err(&err)?,
            put_advisory: conn
                .prepare(
                    "INSERT OR REPLACE INTO advisories (id, modified, modified_us, published,
                     withdrawn, summary, details, aliases, cvss_vector, cvss_score, severity, raw)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(&err)?,
            delete_affected: conn
                .prepare("DELETE FROM affected WHERE advisory_id = ?1")
                .map_err(&err)?,
            put_affected: conn
                .prepare(
                    "INSERT INTO affected (advisory_id, ecosystem, name, ranges, versions)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&err)?,
            nvd_existing: conn
                .prepare(
                    "SELECT last_modified_us, withdrawn IS NOT NULL FROM nvd_cves WHERE id = ?1",
                )
                .map_err(&err)?,
            put_nvd: conn
                .prepare(
                    "INSERT OR REPLACE INTO nvd_cves (id, last_modified, last_modified_us,
                     published, status, withdrawn, summary, description, cvss_vector,
                     cvss_score, severity, configurations)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(&err)?,
            delete_cpe: conn
                .prepare("DELETE FROM cpe_match WHERE cve_id = ?1")
                .map_err(&err)?,
            put_cpe: conn
                .prepare(
                    "INSERT INTO cpe_match (cve_id, part, vendor, product) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&err)?,
            detail: None,
            indexes_pending,
            early_sync: None,
            unsynced: 0,
            written: indexes_pending.then(HashMap::new),
            tally: Tally::new(indexes_pending),
            contested: false,
            packer: pack::Packer::new(),
            unpacker: pack::Unpacker::new(),
        })
    }

    /// Whether an advisory was replaced at the same `modified` since the
    /// last call.
    pub(super) fn take_contested(&mut self) -> bool {
        std::mem::take(&mut self.contested)
    }

    /// The database file.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// The import's connection.
    pub(super) fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// Ends the writing: builds the deferred indexes and stores the counts.
    pub(super) fn finish(mut self) -> Result<(), VulnDbError> {
        self.ensure_indexes()?;
        self.tally.store(self.conn, &self.path)
    }

    /// Builds the secondary indexes if they were deferred.
    pub(super) fn ensure_indexes(&mut self) -> Result<(), VulnDbError> {
        if self.indexes_pending {
            schema::create_indexes(self.conn, &self.path)?;
            self.indexes_pending = false;
        }
        Ok(())
    }

    /// Upserts one NVD CVE; `lastModified` decides (a CVE in two feed
    /// files keeps its latest state whatever the order).
    pub(super) fn nvd(&mut self, c: NvdCve, report: &mut InputReport) -> Result<(), VulnDbError> {
        report.records += 1;
        let old: Option<(i64, bool)> = self
            .nvd_existing
            .query_row([&c.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(db_err(&self.path))?;
        match old {
            Some((m, _)) if m >= c.last_modified_us => {
                report.unchanged += 1;
                return Ok(());
            }
            Some((_, rejected)) => {
                report.updated += 1;
                self.ensure_indexes()?;
                let rows = self
                    .delete_cpe
                    .execute([&c.id])
                    .map_err(db_err(&self.path))?;
                self.tally.nvd(-1, rejected, rows);
            }
            None => report.added += 1,
        }
        self.tally.nvd(1, c.withdrawn.is_some(), c.keys.len());
        self.put_nvd
            .execute(params![
                c.id,
                c.last_modified,
                c.last_modified_us,
                c.published,
                c.status,
                c.withdrawn,
                c.summary,
                c.description,
                c.cvss.as_ref().map(|x| x.vector.as_str()),
                c.cvss.as_ref().map(|x| x.score),
                c.severity.map(|s| s.as_str()),
                c.configurations,
            ])
            .map_err(db_err(&self.path))?;
        for (part, vendor, product) in &c.keys {
            self.put_cpe
                .execute(params![c.id, part, vendor, product])
                .map_err(db_err(&self.path))?;
        }
        Ok(())
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> VulnDbError + '_ {
        db_err(&self.path)
    }

    /// Upserts one advisory; `modified` decides.
    pub(crate) fn advisory(
        &mut self,
        a: &Advisory,
        report: &mut InputReport,
    ) -> Result<(), VulnDbError> {
        report.records += 1;
        let old: Option<(i64, bool)> = match &self.written {
            Some(written) => written.get(&a.id).copied(),
            None => self
                .existing
                .query_row([&a.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(db_err(&self.path))?,
        };
        // Same `modified` (golang/vulndb's export zeroes it): the content
        // decides, so a changed record is not lost.
        let same = |w: &mut Self| {
            w.same_raw
                .query_row([&a.id], |r| Ok(w.unpacker.same(r.get_ref(0)?, &a.raw)))
                .map_err(db_err(&w.path))
        };
        match old {
            Some((m, _)) if m > a.modified_us || (m == a.modified_us && same(self)?) => {
                report.unchanged += 1;
                return Ok(());
            }
            Some((m, withdrawn)) => {
                report.updated += 1;
                if m == a.modified_us {
                    self.contested = true;
                }
                self.ensure_indexes()?;
                let ecosystems = self.ecosystems_of(&a.id)?;
                self.tally
                    .advisory(-1, withdrawn, ecosystems.iter().map(String::as_str));
                self.delete_affected
                    .execute([&a.id])
                    .map_err(db_err(&self.path))?;
            }
            None => report.added += 1,
        }
        self.tally.advisory(
            1,
            a.withdrawn.is_some(),
            a.affected.iter().map(|f| f.ecosystem.as_str()),
        );
        // Compressed by a worker, else here; as text if compressing failed.
        let packed = match &a.raw_z {
            Some(_) => None,
            None => self.packer.pack(&a.raw),
        };
        let raw: &dyn rusqlite::ToSql = match (&a.raw_z, &packed) {
            (Some(z), _) | (None, Some(z)) => z,
            (None, None) => &a.raw,
        };
        self.put_advisory
            .execute(params![
                a.id,
                a.modified,
                a.modified_us,
                a.published,
                a.withdrawn,
                a.summary,
                None::<&str>,
                a.aliases,
                a.cvss.as_ref().map(|c| c.vector.as_str()),
                a.cvss.as_ref().map(|c| c.score),
                a.severity.map(|s| s.as_str()),
                raw,
            ])
            .map_err(db_err(&self.path))?;
        for f in &a.affected {
            self.put_affected
                .execute(params![a.id, f.ecosystem, f.name, f.ranges, f.versions])
                .map_err(db_err(&self.path))?;
        }
        if let Some(written) = &mut self.written {
            written.insert(a.id.clone(), (a.modified_us, a.withdrawn.is_some()));
        }
        Ok(())
    }

    /// The ecosystems of a stored advisory's affected entries.
    fn ecosystems_of(&self, id: &str) -> Result<Vec<String>, VulnDbError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT ecosystem FROM affected WHERE advisory_id = ?1")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([id], |r| r.get(0))
            .map_err(self.err())?
            .collect::<Result<Vec<String>, _>>();
        rows.map_err(self.err())
    }

    /// Writes the batches of a running pipeline, handing each back when
    /// written; returns the number of `.json` entries read. The records of
    /// entries skipped as unchanged count as unchanged; the entries read
    /// are added to `seen`.
    pub(super) fn osv_batches(
        &mut self,
        batches: &mut Batches,
        report: &mut InputReport,
        seen: &mut Vec<(String, EntryState)>,
        total: Option<u64>,
        progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
    ) -> Result<u64, VulnDbError> {
        let mut entries = 0u64;
        let mut json_entries = 0u64;
        let mut next_report = PROGRESS_EVERY;
        while let Some(batch) = batches.next() {
            let mut batch = batch?;
            report.records += batch.unchanged;
            report.unchanged += batch.unchanged;
            seen.append(&mut batch.seen);
            report.skipped += batch.skipped;
            report.bytes += batch.bytes;
            entries += batch.entries;
            json_entries += batch.json_entries;
            for a in &batch.advisories {
                self.advisory(a, report)?;
            }
            let bytes = batch.bytes;
            batches.recycle(batch);
            self.unsynced += bytes;
            if self.unsynced >= SYNC_EVERY {
                self.unsynced = 0;
                if let Some(sync) = &self.early_sync {
                    // Full: a flush is already pending, which will do.
                    let _ = sync.try_send(());
                }
            }
            if entries >= next_report {
                next_report = entries + PROGRESS_EVERY;
                let p = Progress {
                    input: &report.path,
                    kind: report.kind,
                    records: report.records,
                    entries,
                    total,
                    bytes: report.bytes,
                    finished: false,
                };
                if progress(&p).is_break() {
                    return Err(VulnDbError::Cancelled);
                }
            }
        }
        Ok(json_entries)
    }

    /// Writes KEV entries; `replace` clears the table first (a full catalog). Returns the
    /// entries read and how many CVEs were not listed before.
    pub(crate) fn kev(
        &mut self,
        c: &feeds::KevCatalog,
        replace: bool,
    ) -> Result<(u64, u64), VulnDbError> {
        self.tally.feeds();
        let before: std::collections::HashSet<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT cve FROM kev")
                .map_err(self.err())?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(self.err())?;
            rows.collect::<Result<_, _>>().map_err(self.err())?
        };
        let added = c
            .entries
            .iter()
            .filter(|e| !before.contains(&e.cve))
            .count() as u64;
        if replace {
            self.conn
                .execute("DELETE FROM kev", [])
                .map_err(self.err())?;
        }
        // A full catalog replaces; the curated excerpt only fills gaps.
        let verb = if replace { "REPLACE" } else { "IGNORE" };
        let mut stmt = self
            .conn
            .prepare(&format!(
                "INSERT OR {verb} INTO kev (cve, vendor, product, name, date_added, due_date, ransomware)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ))
            .map_err(self.err())?;
        for e in &c.entries {
            stmt.execute(params![
                e.cve,
                e.vendor,
                e.product,
                e.name,
                e.date_added,
                e.due_date,
                e.ransomware
            ])
            .map_err(self.err())?;
        }
        Ok((c.entries.len() as u64, added))
    }

    pub(super) fn epss(&mut self, s: &feeds::EpssScores) -> Result<u64, VulnDbError> {
        self.tally.feeds();
        self.conn
            .execute("DELETE FROM epss", [])
            .map_err(self.err())?;
        let mut stmt = self
            .conn
            .prepare(
                "INSERT OR REPLACE INTO epss (cve, epss, percentile, date) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(self.err())?;
        for r in &s.rows {
            stmt.execute(params![r.cve, r.epss, r.percentile, s.date])
                .map_err(self.err())?;
        }
        Ok(s.rows.len() as u64)
    }

    pub(super) fn source(
        &self,
        name: &str,
        kind: InputKind,
        records: u64,
        at: &jiff::Timestamp,
        detail: Option<String>,
    ) -> Result<(), VulnDbError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO sources (name, kind, records, imported_at, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    name,
                    kind.as_str(),
                    i64::try_from(records).unwrap_or(i64::MAX),
                    at.to_string(),
                    detail
                ],
            )
            .map_err(self.err())?;
        Ok(())
    }
}
