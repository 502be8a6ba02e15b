//! `import`: OSV archives, directories and files, the CISA KEV catalog and
//! EPSS CSV files into the database, in one transaction.

mod cache;
mod delta;
mod inflate;
mod pack;
mod pipeline;
mod writer;

use std::fs;
use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::Instant;

use rusqlite::Connection;
use serde::Serialize;

pub(crate) use writer::Writer;

use crate::curated;
use crate::error::{Location, VulnDbError, db_err};
use crate::feeds;
use crate::nvd;
use crate::osv::{self, Advisory};
use crate::schema;

/// How often the progress callback is called, in records.
const PROGRESS_EVERY: u64 = 500;

/// What an input was recognized as (from its content, not its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum InputKind {
    /// A zip archive of OSV JSON files, as OSV publishes per ecosystem.
    OsvZip,
    /// A directory of OSV JSON files (searched recursively).
    OsvDir,
    /// One OSV JSON file (a record, or an array of records).
    OsvJson,
    /// The CISA Known Exploited Vulnerabilities catalog (JSON).
    Kev,
    /// An EPSS scores CSV (FIRST's layout), optionally gzip-compressed.
    Epss,
    /// An NVD CVE JSON 2.0 file (an API 2.0 response page or a JSON 2.0
    /// feed file), optionally gzip-compressed.
    Nvd,
}

impl InputKind {
    /// The kebab-case name, as stored in `sources.kind`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OsvZip => "osv-zip",
            Self::OsvDir => "osv-dir",
            Self::OsvJson => "osv-json",
            Self::Kev => "kev",
            Self::Epss => "epss",
            Self::Nvd => "nvd",
        }
    }
}

/// A progress report, given to the callback of [`import`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Progress<'a> {
    /// The input being imported.
    pub input: &'a Path,
    /// What it was recognized as.
    pub kind: InputKind,
    /// Records read so far from this input.
    pub records: u64,
    /// Files (directory files, archive entries) read so far.
    pub entries: u64,
    /// Files in the input, when known in advance.
    pub total: Option<u64>,
    /// Bytes of JSON or CSV read so far from this input (uncompressed).
    pub bytes: u64,
    /// This input is done.
    pub finished: bool,
}

/// What one input contributed.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct InputReport {
    /// The input.
    pub path: PathBuf,
    /// What it was recognized as.
    pub kind: InputKind,
    /// Records read (advisories, KEV entries or EPSS rows).
    pub records: u64,
    /// Advisories new to the database.
    pub added: u64,
    /// Advisories replaced by a newer `modified` (or changed content at the
    /// same `modified`).
    pub updated: u64,
    /// Advisories already present with the same or a newer `modified`.
    pub unchanged: u64,
    /// Entries that were not OSV JSON (non-`.json` files in an archive).
    pub skipped: u64,
    /// Uncompressed bytes read.
    pub bytes: u64,
    /// Wall time spent on this input.
    pub seconds: f64,
}

impl InputReport {
    /// A report of nothing read yet.
    pub(crate) fn new(path: PathBuf, kind: InputKind) -> Self {
        Self {
            path,
            kind,
            records: 0,
            added: 0,
            updated: 0,
            unchanged: 0,
            skipped: 0,
            bytes: 0,
            seconds: 0.0,
        }
    }
}

/// The outcome of [`import`].
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ImportReport {
    /// One entry per input, in the order given.
    pub inputs: Vec<InputReport>,
    /// The database's new `built_at`.
    pub built_at: jiff::Timestamp,
    /// Wall time of the whole import, commit included.
    pub seconds: f64,
}

/// Imports `inputs` into the database at `db_path`, creating it if needed.
///
/// Each input's kind is detected from its content: a zip archive of OSV
/// JSON files (OSV's per-ecosystem `all.zip`), a directory of OSV JSON
/// files, one OSV JSON file, an NVD CVE JSON 2.0 file (API response page
/// or feed file; a feed split over several files is several inputs), the
/// CISA KEV catalog JSON, or an EPSS CSV (any file may be gzip-compressed).
/// The embedded curated firmware set is (re)applied too.
///
/// - NVD CVEs are upserted by id like advisories, `lastModified` deciding;
///   a `Rejected` CVE is stored as withdrawn and never matched; the
///   vulnerable CPE criteria are indexed by (vendor, product).
///
/// - Advisories are upserted by id: a record replaces the stored one when
///   its `modified` is later (or equal with different content), so
///   re-importing is idempotent. Withdrawn advisories are stored; queries
///   skip them.
/// - A KEV catalog or an EPSS file is a full snapshot and replaces the
///   previous one.
/// - Everything happens in ONE transaction: when an input is malformed,
///   the callback cancels, or the process dies, nothing of this import is
///   applied and the database keeps serving its previous content (readers
///   are never blocked, thanks to WAL). The first import into a new (or
///   empty) database uses SQLite's rollback journal instead, which writes
///   each page once; an interrupted one leaves an empty database, and the
///   file is switched to WAL after the commit.
///
/// `progress` is called every few hundred records and at the end of each
/// input; returning [`ControlFlow::Break`] cancels the import.
///
/// # Errors
/// [`VulnDbError`] naming the input (and zip entry, line and field) for
/// unreadable or malformed inputs, [`VulnDbError::Cancelled`], or
/// [`VulnDbError::Database`].
pub fn import<P: AsRef<Path>>(
    db_path: &Path,
    inputs: &[P],
    mut progress: impl FnMut(&Progress<'_>) -> ControlFlow<()>,
) -> Result<ImportReport, VulnDbError> {
    let start = Instant::now();
    let (mut conn, fresh) = schema::open_rw(db_path)?;
    let inputs: Vec<&Path> = inputs.iter().map(AsRef::as_ref).collect();
    let (early_sync, syncer) = if fresh {
        start_syncer(db_path)
    } else {
        (None, None)
    };
    let result = import_into(
        &mut conn,
        db_path,
        &inputs,
        fresh,
        early_sync,
        &mut progress,
    );
    // The import has dropped its sender: the syncer ends.
    if let Some(syncer) = syncer {
        let _ = syncer.join();
    }
    let (reports, built_at) = result?;
    if fresh {
        schema::finish_fresh(&conn, db_path)?;
    } else {
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(db_err(db_path))?;
    }
    Ok(ImportReport {
        inputs: reports,
        built_at,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Bytes of input between two background flushes of a new database.
const SYNC_EVERY: u64 = 4 << 20;

/// Starts a thread that flushes a new database's file to disk each time it
/// is signalled, while the import goes on: the pages SQLite has written so
/// far reach the disk in the background, and the fsync at the commit finds
/// little left to write. Only ever more syncing: errors are left to
/// SQLite's own fsync at the commit.
fn start_syncer(db_path: &Path) -> (Option<SyncSender<()>>, Option<JoinHandle<()>>) {
    let Ok(file) = fs::File::open(db_path) else {
        return (None, None);
    };
    let (tx, rx) = sync_channel::<()>(1);
    match std::thread::Builder::new()
        .name("vulndb-sync".to_owned())
        .spawn(move || {
            for () in rx {
                let _ = file.sync_data();
            }
        }) {
        Ok(handle) => (Some(tx), Some(handle)),
        Err(_) => (None, None),
    }
}

/// The import on an open connection (a file or the in-memory embedded DB).
/// `fresh`: the database is empty, so the secondary indexes are built
/// after the inserts. `early_sync`: signalled every [`SYNC_EVERY`] bytes
/// of input (see [`start_syncer`]).
pub(crate) fn import_into(
    conn: &mut Connection,
    db_path: &Path,
    inputs: &[&Path],
    fresh: bool,
    early_sync: Option<SyncSender<()>>,
    progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
) -> Result<(Vec<InputReport>, jiff::Timestamp), VulnDbError> {
    let err = db_err(db_path);
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(&err)?;
    // Read before init, which upgrades an older database.
    let trusted = cache::trusted(&tx).map_err(&err)?;
    schema::init(&tx, db_path, fresh)?;
    if !trusted {
        cache::clear(&tx).map_err(&err)?;
    }
    let now = jiff::Timestamp::now();
    let mut reports = Vec::with_capacity(inputs.len());
    {
        let mut w = Writer::new(&tx, db_path, fresh)?;
        w.early_sync = early_sync;
        for input in inputs {
            let name = source_name(input);
            let report = import_one(&mut w, input, &name, progress)?;
            let detail = w.detail.take();
            w.source(&name, report.kind, report.records, &now, detail)?;
            if w.take_contested() {
                cache::forget_others(w.conn(), &name, &OSV_KINDS).map_err(&err)?;
            }
            reports.push(report);
        }
        let n = curated::seed(&mut w)?;
        w.source("embedded:curated", InputKind::OsvJson, n, &now, None)?;
        if w.take_contested() {
            cache::forget_others(w.conn(), "embedded:curated", &OSV_KINDS).map_err(&err)?;
        }
        w.finish()?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('built_at', ?1)",
        [now.to_string()],
    )
    .map_err(&err)?;
    cache::mark(&tx, &now.to_string()).map_err(&err)?;
    tx.commit().map_err(&err)?;
    Ok((reports, now))
}

/// The kinds of input that hold advisories.
const OSV_KINDS: [InputKind; 3] = [InputKind::OsvZip, InputKind::OsvDir, InputKind::OsvJson];

fn source_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> VulnDbError + '_ {
    move |source| VulnDbError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn import_one(
    w: &mut Writer<'_>,
    input: &Path,
    name: &str,
    progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
) -> Result<InputReport, VulnDbError> {
    let start = Instant::now();
    let meta = fs::metadata(input).map_err(io(input))?;
    let mut report = InputReport::new(input.to_path_buf(), InputKind::OsvDir);
    let stored = cache::lookup(w.conn(), name).map_err(db_err(w.path()))?;
    if meta.is_dir() {
        let mut files = Vec::new();
        walk_json(input, &mut files)?;
        files.sort();
        let total = Some(files.len() as u64);
        let known = known_entries(stored.as_ref(), InputKind::OsvDir);
        let mut seen = Vec::new();
        pipeline::run(
            |out| pipeline::produce_dir(input, &files, &known, out),
            |batches| w.osv_batches(batches, &mut report, &mut seen, total, progress),
        )?;
        let current = files
            .iter()
            .map(|f| f.strip_prefix(input).unwrap_or(f).display().to_string());
        let entries = merge_entries(known, current, seen);
        remember(w, name, &report, 0, &[], Some(&entries))?;
    } else {
        // A zip archive whose central directory is unchanged is not read
        // further.
        if let Some(stored) = stored
            .as_ref()
            .filter(|s| s.kind == InputKind::OsvZip.as_str())
            && let Ok(mut f) = fs::File::open(input)
            && let Some((dir, len)) = cache::read_directory(&mut f)
        {
            if cache::directory_digest_of(&dir, len) == stored.digest {
                return unchanged(input, InputKind::OsvZip, stored, w, start, progress);
            }
            // A few changed entries are read from the file, not the whole
            // archive into memory.
            if let Some(report) = delta::zip_delta(w, input, name, stored, &f, &dir, len, progress)?
            {
                return Ok(InputReport {
                    seconds: start.elapsed().as_secs_f64(),
                    ..report
                });
            }
        }
        let mut bytes = read_input(input, &meta)?;
        let size = bytes.len() as u64;
        // Any other file: unchanged when its bytes are.
        let mut digest = None;
        if !bytes.starts_with(b"PK") {
            let d = cache::digest(&bytes);
            if let Some(stored) = stored.as_ref().filter(|s| s.size == size && s.digest == d)
                && let Some(kind) = kind_named(&stored.kind)
            {
                return unchanged(input, kind, stored, w, start, progress);
            }
            digest = Some(d);
        }
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut out)
                .map_err(io(input))?;
            if out.len() as u64 > MAX_INPUT_BYTES {
                return Err(VulnDbError::TooLarge {
                    path: input.to_path_buf(),
                    size: None,
                    limit: MAX_INPUT_BYTES,
                    inflated: true,
                });
            }
            bytes = out;
        }
        let kind = detect(&bytes).ok_or_else(|| VulnDbError::UnknownFormat {
            path: input.to_path_buf(),
        })?;
        report.kind = kind;
        match kind {
            InputKind::OsvZip => {
                let zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).map_err(|e| {
                    VulnDbError::NotOsvArchive {
                        location: Box::new(Location::file(input)),
                        message: e.to_string(),
                    }
                })?;
                let total = Some(zip.len() as u64);
                let known = known_entries(stored.as_ref(), InputKind::OsvZip);
                let mut seen = Vec::new();
                let json_entries = pipeline::run(
                    |out| pipeline::produce_zip(input, &bytes, zip.clone(), &known, out),
                    |batches| w.osv_batches(batches, &mut report, &mut seen, total, progress),
                )?;
                if json_entries == 0 {
                    return Err(VulnDbError::NotOsvArchive {
                        location: Box::new(Location::file(input)),
                        message: "the archive holds no .json entries".to_owned(),
                    });
                }
                if let Some(d) = cache::directory_digest(&mut Cursor::new(&bytes[..])) {
                    let current = zip
                        .file_names()
                        .filter_map(|n| n.ok().map(std::borrow::Cow::into_owned));
                    let entries = merge_entries(known, current, seen);
                    remember(w, name, &report, size, &d, Some(&entries))?;
                }
            }
            InputKind::OsvJson | InputKind::OsvDir => {
                let text = utf8(bytes, &Location::file(input))?;
                report.bytes = text.len() as u64;
                for adv in parse_json_file(text, &Location::file(input))? {
                    w.advisory(&adv, &mut report)?;
                }
            }
            InputKind::Kev => {
                report.bytes = bytes.len() as u64;
                let loc = Location::file(input);
                let catalog = feeds::parse_kev(&bytes, &loc)?;
                w.detail = catalog.version.clone();
                let (records, added) = w.kev(&catalog, true)?;
                report.records = records;
                report.added = added;
                report.unchanged = records - added;
                // The catalog replaced the table: another KEV file is no
                // longer what it holds.
                cache::forget_others(w.conn(), name, &[InputKind::Kev])
                    .map_err(db_err(w.path()))?;
            }
            InputKind::Nvd => {
                report.bytes = bytes.len() as u64;
                let feed = nvd::parse(&bytes, &Location::file(input))?;
                w.detail = feed.timestamp.clone();
                for cve in feed.cves {
                    w.nvd(cve, &mut report)?;
                }
            }
            InputKind::Epss => {
                report.bytes = bytes.len() as u64;
                let text = utf8(bytes, &Location::file(input))?;
                let scores = feeds::parse_epss(&text, &Location::file(input))?;
                w.detail = scores.date.clone();
                report.records = w.epss(&scores)?;
                cache::forget_others(w.conn(), name, &[InputKind::Epss])
                    .map_err(db_err(w.path()))?;
            }
        }
        if let Some(d) = digest {
            remember(w, name, &report, size, &d, None)?;
        }
    }
    report.seconds = start.elapsed().as_secs_f64();
    finished(&report, progress)?;
    Ok(report)
}

/// The last progress call of an input.
fn finished(
    report: &InputReport,
    progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
) -> Result<(), VulnDbError> {
    let p = Progress {
        input: &report.path,
        kind: report.kind,
        records: report.records,
        entries: 0,
        total: None,
        bytes: report.bytes,
        finished: true,
    };
    if progress(&p).is_break() {
        return Err(VulnDbError::Cancelled);
    }
    Ok(())
}

fn kind_named(name: &str) -> Option<InputKind> {
    [
        InputKind::OsvZip,
        InputKind::OsvDir,
        InputKind::OsvJson,
        InputKind::Kev,
        InputKind::Epss,
        InputKind::Nvd,
    ]
    .into_iter()
    .find(|k| k.as_str() == name)
}

/// The report of an input skipped as unchanged: what reading it again
/// would report (every record unchanged; a KEV catalog flags nothing new).
fn unchanged(
    input: &Path,
    kind: InputKind,
    stored: &cache::Stored,
    w: &mut Writer<'_>,
    start: Instant,
    progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
) -> Result<InputReport, VulnDbError> {
    let r = &stored.report;
    let mut report = InputReport::new(input.to_path_buf(), kind);
    report.records = r.records;
    report.bytes = r.bytes;
    report.skipped = r.skipped;
    if kind != InputKind::Epss {
        report.unchanged = r.records;
    }
    w.detail.clone_from(&r.detail);
    report.seconds = start.elapsed().as_secs_f64();
    finished(&report, progress)?;
    Ok(report)
}

/// The entries the cache remembers for an input of this kind (none when it
/// was another kind or cannot be read).
fn known_entries(stored: Option<&cache::Stored>, kind: InputKind) -> cache::Entries {
    stored
        .filter(|s| s.kind == kind.as_str())
        .and_then(|s| s.entries.as_deref())
        .and_then(cache::decode)
        .unwrap_or_default()
}

/// The entries an input holds now: those read, and those skipped as
/// unchanged (remembered, and still present).
fn merge_entries(
    known: cache::Entries,
    current: impl Iterator<Item = String>,
    seen: Vec<(String, cache::EntryState)>,
) -> cache::Entries {
    let mut out = cache::Entries::with_capacity(known.len().max(seen.len()));
    if !known.is_empty() {
        for name in current {
            if let Some(e) = known.get(&name) {
                out.insert(name, *e);
            }
        }
    }
    out.extend(seen);
    out
}

fn remember(
    w: &Writer<'_>,
    name: &str,
    report: &InputReport,
    size: u64,
    digest: &[u8],
    entries: Option<&cache::Entries>,
) -> Result<(), VulnDbError> {
    let r = cache::Remembered {
        records: report.records,
        skipped: report.skipped,
        bytes: report.bytes,
        detail: w.detail.clone(),
    };
    cache::store(w.conn(), name, report.kind, size, digest, &r, entries).map_err(db_err(w.path()))
}

/// Recognizes an input from its first bytes.
/// The largest input file `import` reads (4 GiB), and the most a gzip-compressed input
/// may inflate to: several times the largest real feed (OSV's whole export is about a
/// gigabyte), and a bound on the memory an endless stream or a gzip bomb can take.
pub const MAX_INPUT_BYTES: u64 = 4 << 30;

/// Reads an input file whole: a regular file over [`MAX_INPUT_BYTES`] is refused by its
/// size; any input whose first bytes are none of the formats imported is refused before
/// the rest is read (so `/dev/zero` or a wrong file fails at once), and a stream is cut
/// and refused one byte past the limit.
fn read_input(input: &Path, meta: &fs::Metadata) -> Result<Vec<u8>, VulnDbError> {
    let too_large = |size| VulnDbError::TooLarge {
        path: input.to_path_buf(),
        size,
        limit: MAX_INPUT_BYTES,
        inflated: false,
    };
    if meta.is_file() && meta.len() > MAX_INPUT_BYTES {
        return Err(too_large(Some(meta.len())));
    }
    let mut f = fs::File::open(input).map_err(io(input))?;
    let mut bytes = Vec::new();
    (&mut f)
        .take(64 << 10)
        .read_to_end(&mut bytes)
        .map_err(io(input))?;
    let compressed = bytes.starts_with(b"PK") || bytes.starts_with(&[0x1f, 0x8b]);
    if !compressed && detect(&bytes).is_none() {
        return Err(VulnDbError::UnknownFormat {
            path: input.to_path_buf(),
        });
    }
    f.take(MAX_INPUT_BYTES + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io(input))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(None));
    }
    Ok(bytes)
}

fn detect(bytes: &[u8]) -> Option<InputKind> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(InputKind::OsvZip);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let body = &body[start..];
    let head = &body[..body.len().min(8192)];
    let has = |k: &[u8]| head.windows(k.len()).any(|w| w == k);
    match body.first()? {
        b'{' if has(b"\"NVD_CVE\"")
            || (has(b"\"vulnerabilities\"") && has(b"\"cve\"") && has(b"\"lastModified\"")) =>
        {
            Some(InputKind::Nvd)
        }
        b'{' if has(b"\"vulnerabilities\"")
            && (has(b"\"catalogVersion\"") || has(b"\"cveID\"")) =>
        {
            Some(InputKind::Kev)
        }
        b'{' | b'[' if osv::looks_like_osv(head) => Some(InputKind::OsvJson),
        b'#' => Some(InputKind::Epss),
        _ if head.len() >= 4 && head[..4].eq_ignore_ascii_case(b"cve,") => Some(InputKind::Epss),
        _ => None,
    }
}

fn utf8(bytes: Vec<u8>, loc: &Location) -> Result<String, VulnDbError> {
    String::from_utf8(bytes).map_err(|e| VulnDbError::Osv {
        location: Box::new(loc.clone()),
        field: None,
        message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })
}

/// Parses an OSV JSON file: one record, or an array of records.
pub(crate) fn parse_json_file(text: String, loc: &Location) -> Result<Vec<Advisory>, VulnDbError> {
    if text.trim_start().starts_with('[') {
        let values: Vec<serde_json::Value> =
            serde_json::from_str(&text).map_err(|e| VulnDbError::Osv {
                location: Box::new(loc.clone().at(e.line(), Some(e.column()))),
                field: None,
                message: e.to_string(),
            })?;
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let loc = loc
                    .clone()
                    .entry(Some(loc.entry.clone().unwrap_or_else(|| format!("[{i}]"))));
                osv::parse(v.to_string(), &loc)
            })
            .collect()
    } else {
        Ok(vec![osv::parse(text, loc)?])
    }
}

fn walk_json(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), VulnDbError> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let ty = entry.file_type().map_err(io(&path))?;
        if ty.is_dir() {
            walk_json(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(detect(b"PK\x03\x04rest"), Some(InputKind::OsvZip));
        assert_eq!(
            detect(b" {\"title\":\"x\",\"catalogVersion\":\"1\",\"vulnerabilities\":[]}"),
            Some(InputKind::Kev)
        );
        assert_eq!(
            detect(b"{\"id\":\"GO-1\",\"modified\":\"2024-01-01T00:00:00Z\"}"),
            Some(InputKind::OsvJson)
        );
        assert_eq!(
            detect(b"#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\n"),
            Some(InputKind::Epss)
        );
        assert_eq!(detect(b"CVE,EPSS,PERCENTILE\n"), Some(InputKind::Epss));
        assert_eq!(
            detect(b"{\"resultsPerPage\":1,\"format\":\"NVD_CVE\",\"version\":\"2.0\",\"vulnerabilities\":[]}"),
            Some(InputKind::Nvd)
        );
        assert_eq!(
            detect(b"{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-1\",\"lastModified\":\"2024-01-01T00:00:00\"}}]}"),
            Some(InputKind::Nvd)
        );
        assert_eq!(detect(b"{\"name\":\"x\"}"), None);
        assert_eq!(detect(b""), None);
        assert_eq!(detect(b"hello"), None);
    }
}
