//! `import`: OSV archives, directories and files, the CISA KEV catalog and
//! EPSS CSV files into the database, in one transaction.

use std::fs;
use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::Instant;

use rusqlite::{Connection, OptionalExtension, Statement, params};
use serde::Serialize;

use crate::curated;
use crate::error::{Location, VulnDbError, db_err};
use crate::feeds;
use crate::nvd::{self, NvdCve};
use crate::osv::{self, Advisory};
use crate::schema;

/// The largest OSV entry read from an archive (a guard against zip bombs;
/// real records are a few KiB, the largest known a few MiB).
const MAX_ENTRY_BYTES: u64 = 64 << 20;

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
    schema::init(&tx, db_path, fresh)?;
    let now = jiff::Timestamp::now();
    let mut reports = Vec::with_capacity(inputs.len());
    {
        let mut w = Writer::new(&tx, db_path, fresh)?;
        w.early_sync = early_sync;
        for input in inputs {
            let report = import_one(&mut w, input, progress)?;
            let detail = w.detail.take();
            w.source(
                &source_name(input),
                report.kind,
                report.records,
                &now,
                detail,
            )?;
            reports.push(report);
        }
        let n = curated::seed(&mut w)?;
        w.source("embedded:curated", InputKind::OsvJson, n, &now, None)?;
        w.ensure_indexes()?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('built_at', ?1)",
        [now.to_string()],
    )
    .map_err(&err)?;
    tx.commit().map_err(&err)?;
    Ok((reports, now))
}

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
    progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
) -> Result<InputReport, VulnDbError> {
    let start = Instant::now();
    let meta = fs::metadata(input).map_err(io(input))?;
    let mut report = InputReport {
        path: input.to_path_buf(),
        kind: InputKind::OsvDir,
        records: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        bytes: 0,
        seconds: 0.0,
    };
    if meta.is_dir() {
        let mut files = Vec::new();
        walk_json(input, &mut files)?;
        files.sort();
        let total = Some(files.len() as u64);
        w.osv_stream(&mut report, total, progress, |k, n, out| {
            produce_dir(input, &files, k, n, out);
        })?;
    } else {
        let mut bytes = fs::read(input).map_err(io(input))?;
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut out)
                .map_err(io(input))?;
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
                let json_entries = w.osv_stream(&mut report, total, progress, |k, n, out| {
                    produce_zip(input, &bytes, zip.clone(), k, n, out);
                })?;
                if json_entries == 0 {
                    return Err(VulnDbError::NotOsvArchive {
                        location: Box::new(Location::file(input)),
                        message: "the archive holds no .json entries".to_owned(),
                    });
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
                report.records = w.kev(&catalog, true)?;
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
            }
        }
    }
    report.seconds = start.elapsed().as_secs_f64();
    let p = Progress {
        input,
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
    Ok(report)
}

/// Recognizes an input from its first bytes.
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

/// What the parsing threads hand to the writing thread: batches, so the
/// threads rarely wake each other.
enum Msg {
    Batch(Batch),
    Failed(VulnDbError),
}

#[derive(Default)]
struct Batch {
    /// The worker that parsed (and allocated) these.
    worker: usize,
    advisories: Vec<Advisory>,
    /// Entries read (files, or zip entries including skipped ones).
    entries: u64,
    /// `.json` entries among them.
    json_entries: u64,
    skipped: u64,
    bytes: u64,
}

/// Entries per batch.
const BATCH: u64 = 64;

/// How many threads read and parse while one writes: all cores, at least
/// one. Parsing (and inflating) is the slower side on two cores.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// A parsing thread's ends of the channels: batches go to the writer, and
/// the writer hands each batch's advisories back to the worker that
/// allocated them, to be freed there. (Freeing them on the writing thread
/// cost about half of its time: glibc's `free` of memory from another
/// thread's arena contends for that arena's lock.)
struct Out {
    worker: usize,
    tx: SyncSender<Msg>,
    back: Receiver<Vec<Advisory>>,
}

impl Out {
    /// Sends full batches (all when `force`); `false` when the import
    /// stopped listening.
    fn flush(&self, batch: &mut Batch, force: bool) -> bool {
        if batch.entries < BATCH && !(force && batch.entries > 0) {
            return true;
        }
        let mut full = std::mem::take(batch);
        full.worker = self.worker;
        if self.tx.send(Msg::Batch(full)).is_err() {
            return false;
        }
        // Free what the writer is done with.
        while let Ok(done) = self.back.try_recv() {
            drop(done);
        }
        true
    }

    fn fail(&self, e: VulnDbError) {
        let _ = self.tx.send(Msg::Failed(e));
    }

    /// Frees the writer's returns until it is done with this input.
    fn finish(self) {
        drop(self.tx);
        for done in self.back {
            drop(done);
        }
    }
}

/// Worker `k` of `n` reads files `k`, `k + n`, ...
fn produce_dir(root: &Path, files: &[PathBuf], k: usize, n: usize, out: &Out) {
    let mut batch = Batch::default();
    for f in files.iter().skip(k).step_by(n) {
        let rel = f.strip_prefix(root).unwrap_or(f).display().to_string();
        let loc = Location::file(root).entry(Some(rel));
        let bytes = match fs::read(f) {
            Ok(b) => b,
            Err(source) => {
                out.fail(VulnDbError::Io {
                    path: f.clone(),
                    source,
                });
                return;
            }
        };
        batch.bytes += bytes.len() as u64;
        match utf8(bytes, &loc).and_then(|t| parse_json_file(t, &loc)) {
            Ok(a) => batch.advisories.extend(a),
            Err(e) => {
                out.fail(e);
                return;
            }
        }
        batch.entries += 1;
        batch.json_entries += 1;
        if !out.flush(&mut batch, false) {
            return;
        }
    }
    out.flush(&mut batch, true);
}

/// Worker `k` of `n` inflates and parses entries `k`, `k + n`, ... of its
/// own handle on the archive.
fn produce_zip(
    path: &Path,
    archive: &[u8],
    mut zip: zip::ZipArchive<Cursor<&[u8]>>,
    k: usize,
    n: usize,
    out: &Out,
) {
    let mut inflater = Inflater::default();
    let mut batch = Batch::default();
    for i in (k..zip.len()).step_by(n) {
        match zip_entry(path, archive, &mut zip, &mut inflater, i) {
            Ok(None) => batch.skipped += 1,
            Ok(Some((advisories, bytes))) => {
                batch.json_entries += 1;
                batch.bytes += bytes;
                batch.advisories.extend(advisories);
            }
            Err(e) => {
                out.fail(e);
                return;
            }
        }
        batch.entries += 1;
        if !out.flush(&mut batch, false) {
            return;
        }
    }
    out.flush(&mut batch, true);
}

type Entry = Option<(Vec<Advisory>, u64)>;

/// A worker's deflate decoder, reset for each zip entry rather than built
/// anew (zlib-rs inflates these small entries about twice as fast as
/// `zip`'s own reader over miniz_oxide).
struct Inflater(zlib_rs::Inflate);

impl Default for Inflater {
    fn default() -> Self {
        Self(zlib_rs::Inflate::new(false, 15))
    }
}

impl Inflater {
    /// Inflates a raw deflate stream that must come out as exactly `size`
    /// bytes with CRC-32 `crc`.
    fn inflate(&mut self, input: &[u8], size: usize, crc: u32) -> Result<Vec<u8>, String> {
        self.0.reset(false);
        let mut out = vec![0u8; size];
        let status = self
            .0
            .decompress(input, &mut out, zlib_rs::InflateFlush::Finish)
            .map_err(|e| format!("corrupt deflate stream: {}", e.as_str()))?;
        if status != zlib_rs::Status::StreamEnd || self.0.total_out() != size as u64 {
            return Err(format!(
                "the deflate stream does not end after the recorded {size} bytes"
            ));
        }
        check_crc(&out, crc)?;
        Ok(out)
    }
}

fn check_crc(data: &[u8], crc: u32) -> Result<(), String> {
    let found = zlib_rs::crc32::crc32(0, data);
    if found == crc {
        Ok(())
    } else {
        Err(format!(
            "CRC-32 mismatch: recorded {crc:08x}, content {found:08x}"
        ))
    }
}

fn zip_entry(
    path: &Path,
    archive: &[u8],
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    inflater: &mut Inflater,
    i: usize,
) -> Result<Entry, VulnDbError> {
    let not_osv = |entry: Option<String>, message: String| VulnDbError::NotOsvArchive {
        location: Box::new(Location::file(path).entry(entry)),
        message,
    };
    let file = zip
        .by_index_raw(i)
        .map_err(|e| not_osv(Some(format!("#{i}")), e.to_string()))?;
    let name = match file.name() {
        Ok(n) => n.into_owned(),
        Err(e) => return Err(not_osv(Some(format!("#{i}")), e.to_string())),
    };
    if file.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
        return Ok(None);
    }
    let size = file.size();
    if size > MAX_ENTRY_BYTES {
        return Err(not_osv(
            Some(name),
            format!("entry of {size} bytes is too large"),
        ));
    }
    // Deflated and stored entries are read straight from the archive's
    // bytes; anything else (encrypted, other methods) goes through `zip`,
    // which reports what it cannot read.
    let method = file.compression();
    let plain = !file.encrypted()
        && matches!(
            method,
            zip::CompressionMethod::Deflated | zip::CompressionMethod::Stored
        );
    let crc = file.crc32();
    let data = file.data_start().and_then(|start| {
        let start = usize::try_from(start).ok()?;
        let len = usize::try_from(file.compressed_size()).ok()?;
        archive.get(start..start.checked_add(len)?)
    });
    drop(file);
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let bytes = match data {
        Some(data) if plain && method == zip::CompressionMethod::Stored => {
            let bytes = data.to_vec();
            check_crc(&bytes, crc).map_err(|m| not_osv(Some(name.clone()), m))?;
            bytes
        }
        Some(data) if plain => inflater
            .inflate(data, size, crc)
            .map_err(|m| not_osv(Some(name.clone()), m))?,
        None if plain => {
            return Err(not_osv(
                Some(name),
                "the entry's data lies outside the archive".to_owned(),
            ));
        }
        _ => {
            let mut file = zip
                .by_index(i)
                .map_err(|e| not_osv(Some(name.clone()), e.to_string()))?;
            let mut bytes = Vec::with_capacity(size.min(1 << 20));
            (&mut file)
                .take(MAX_ENTRY_BYTES)
                .read_to_end(&mut bytes)
                .map_err(|e| not_osv(Some(name.clone()), e.to_string()))?;
            bytes
        }
    };
    let n = bytes.len() as u64;
    let loc = Location::file(path).entry(Some(name));
    let text = utf8(bytes, &loc)?;
    Ok(Some((parse_json_file(text, &loc)?, n)))
}

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
    detail: Option<String>,
    /// The secondary indexes are not built yet (first import into an
    /// empty database): built before the first delete, else at the end.
    indexes_pending: bool,
    /// Signals the background flusher of a new database (see
    /// [`start_syncer`]), with the input bytes written since the last signal.
    early_sync: Option<SyncSender<()>>,
    unsynced: u64,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection, path: &Path, indexes_pending: bool) -> Result<Self, VulnDbError> {
        let err = db_err(path);
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            existing: conn
                .prepare("SELECT modified_us FROM advisories WHERE id = ?1")
                .map_err(&err)?,
            same_raw: conn
                .prepare("SELECT raw = ?2 FROM advisories WHERE id = ?1")
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
                .prepare("SELECT last_modified_us FROM nvd_cves WHERE id = ?1")
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
        })
    }

    /// Builds the secondary indexes if they were deferred.
    fn ensure_indexes(&mut self) -> Result<(), VulnDbError> {
        if self.indexes_pending {
            schema::create_indexes(self.conn, &self.path)?;
            self.indexes_pending = false;
        }
        Ok(())
    }

    /// Upserts one NVD CVE; `lastModified` decides (a CVE in two feed
    /// files keeps its latest state whatever the order).
    fn nvd(&mut self, c: NvdCve, report: &mut InputReport) -> Result<(), VulnDbError> {
        report.records += 1;
        let old: Option<i64> = self
            .nvd_existing
            .query_row([&c.id], |r| r.get(0))
            .optional()
            .map_err(db_err(&self.path))?;
        match old {
            Some(m) if m >= c.last_modified_us => {
                report.unchanged += 1;
                return Ok(());
            }
            Some(_) => {
                report.updated += 1;
                self.ensure_indexes()?;
                self.delete_cpe
                    .execute([&c.id])
                    .map_err(db_err(&self.path))?;
            }
            None => report.added += 1,
        }
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
        let old: Option<i64> = self
            .existing
            .query_row([&a.id], |r| r.get(0))
            .optional()
            .map_err(db_err(&self.path))?;
        // Same `modified` (golang/vulndb's export zeroes it): the content
        // decides, so a changed record is not lost.
        let same = |w: &mut Self| {
            w.same_raw
                .query_row(params![a.id, a.raw], |r| r.get::<_, bool>(0))
                .map_err(db_err(&w.path))
        };
        match old {
            Some(m) if m > a.modified_us || (m == a.modified_us && same(self)?) => {
                report.unchanged += 1;
                return Ok(());
            }
            Some(_) => {
                report.updated += 1;
                self.ensure_indexes()?;
                self.delete_affected
                    .execute([&a.id])
                    .map_err(db_err(&self.path))?;
            }
            None => report.added += 1,
        }
        self.put_advisory
            .execute(params![
                a.id,
                a.modified,
                a.modified_us,
                a.published,
                a.withdrawn,
                a.summary,
                a.details,
                a.aliases,
                a.cvss.as_ref().map(|c| c.vector.as_str()),
                a.cvss.as_ref().map(|c| c.score),
                a.severity.map(|s| s.as_str()),
                a.raw,
            ])
            .map_err(db_err(&self.path))?;
        for f in &a.affected {
            self.put_affected
                .execute(params![a.id, f.ecosystem, f.name, f.ranges, f.versions])
                .map_err(db_err(&self.path))?;
        }
        Ok(())
    }

    /// Runs `produce(k, n, tx)` on `n` threads (reading, inflating,
    /// parsing) while this thread writes, so every core works.
    fn osv_stream(
        &mut self,
        report: &mut InputReport,
        total: Option<u64>,
        progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
        produce: impl Fn(usize, usize, &Out) + Sync,
    ) -> Result<u64, VulnDbError> {
        let n = workers();
        let (tx, rx) = sync_channel::<Msg>(4 * n);
        std::thread::scope(|s| {
            let mut backs = Vec::with_capacity(n);
            for k in 0..n {
                let (back_tx, back) = channel();
                backs.push(back_tx);
                let out = Out {
                    worker: k,
                    tx: tx.clone(),
                    back,
                };
                let produce = &produce;
                s.spawn(move || {
                    produce(k, n, &out);
                    out.finish();
                });
            }
            drop(tx);
            // On an early return `rx` and `backs` are dropped, so the
            // workers' next send fails and they stop; the scope then joins
            // them.
            self.consume(rx, &backs, report, total, progress)
        })
    }

    /// Writes the batches; returns the number of `.json` entries read.
    fn consume(
        &mut self,
        rx: Receiver<Msg>,
        backs: &[Sender<Vec<Advisory>>],
        report: &mut InputReport,
        total: Option<u64>,
        progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
    ) -> Result<u64, VulnDbError> {
        let mut entries = 0u64;
        let mut json_entries = 0u64;
        let mut next_report = PROGRESS_EVERY;
        for msg in rx {
            let batch = match msg {
                Msg::Failed(e) => return Err(e),
                Msg::Batch(b) => b,
            };
            report.skipped += batch.skipped;
            report.bytes += batch.bytes;
            entries += batch.entries;
            json_entries += batch.json_entries;
            for a in &batch.advisories {
                self.advisory(a, report)?;
            }
            if let Some(back) = backs.get(batch.worker) {
                // A worker that has stopped cannot take them: freed here.
                let _ = back.send(batch.advisories);
            }
            self.unsynced += batch.bytes;
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

    /// Writes KEV entries; `replace` clears the table first (a full catalog).
    pub(crate) fn kev(&self, c: &feeds::KevCatalog, replace: bool) -> Result<u64, VulnDbError> {
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
        Ok(c.entries.len() as u64)
    }

    fn epss(&self, s: &feeds::EpssScores) -> Result<u64, VulnDbError> {
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

    fn source(
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
