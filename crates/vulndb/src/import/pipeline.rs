//! The parallel parse pipeline: worker threads read, inflate and parse OSV
//! entries (files of a directory, or entries of a zip archive) into
//! batches, while the calling thread consumes the batches ([`run`]). Each
//! batch goes back to the worker that parsed it to be freed there.

use std::fs;
use std::io::Cursor;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use super::cache::{Entries, EntryState};
use super::inflate::{Inflater, MAX_ENTRY_BYTES, zip_entry};
use super::pack::Packer;
use super::{parse_json_file, utf8};
use crate::error::{Location, VulnDbError};
use crate::osv::Advisory;

/// What the parsing threads hand to the writing thread: batches, so the
/// threads rarely wake each other.
enum Msg {
    Batch(Batch),
    Failed(VulnDbError),
}

/// Entries parsed by one worker.
#[derive(Default)]
pub(super) struct Batch {
    /// The worker that parsed (and allocated) these.
    worker: usize,
    pub(super) advisories: Vec<Advisory>,
    /// Entries read (files, or zip entries including skipped ones).
    pub(super) entries: u64,
    /// `.json` entries among them.
    pub(super) json_entries: u64,
    pub(super) skipped: u64,
    pub(super) bytes: u64,
    /// Records of the entries skipped as unchanged since the last import.
    pub(super) unchanged: u64,
    /// The `.json` entries read (not skipped), as the cache remembers them.
    pub(super) seen: Vec<(String, EntryState)>,
}
/// Entries per batch.
const BATCH: u64 = 64;

/// Entries a worker claims at a time: the workers take the next entries as
/// they go, so they finish an input together whatever the entries' sizes.
const CLAIM: usize = 8;

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
pub(super) struct Out<'a> {
    worker: usize,
    tx: SyncSender<Msg>,
    back: Receiver<Vec<Advisory>>,
    /// The next entry no worker has claimed yet.
    next: &'a AtomicUsize,
}

impl Out<'_> {
    /// The next entries of `0..len` for this worker; `None` when all are
    /// claimed.
    fn claim(&self, len: usize) -> Option<Range<usize>> {
        let start = self.next.fetch_add(CLAIM, Ordering::Relaxed);
        (start < len).then(|| start..len.min(start + CLAIM))
    }

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

/// A file of a directory, read whole up to [`MAX_ENTRY_BYTES`] (the bound of an archive's
/// entry; a `.json` that is a pipe or a link to a device stops there).
fn read_file(f: &Path) -> Result<Vec<u8>, VulnDbError> {
    use std::io::Read as _;
    let io = |source| VulnDbError::Io {
        path: f.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    fs::File::open(f)
        .map_err(io)?
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES {
        return Err(VulnDbError::TooLarge {
            path: f.to_path_buf(),
            size: None,
            limit: MAX_ENTRY_BYTES,
            inflated: false,
        });
    }
    Ok(bytes)
}

/// Reads and parses the files the worker claims; files whose size and
/// CRC-32 are those `known` remembers are not parsed.
pub(super) fn produce_dir(root: &Path, files: &[PathBuf], known: &Entries, out: &Out<'_>) {
    let mut packer = Packer::new();
    let mut batch = Batch::default();
    while let Some(claimed) = out.claim(files.len()) {
        for f in &files[claimed] {
            let rel = f.strip_prefix(root).unwrap_or(f).display().to_string();
            let bytes = match read_file(f) {
                Ok(b) => b,
                Err(e) => {
                    out.fail(e);
                    return;
                }
            };
            batch.bytes += bytes.len() as u64;
            let state = EntryState {
                crc: libdeflater::crc32(&bytes),
                size: bytes.len() as u64,
                records: 0,
            };
            batch.entries += 1;
            batch.json_entries += 1;
            if let Some(k) = known
                .get(&rel)
                .filter(|k| k.crc == state.crc && k.size == state.size)
            {
                batch.unchanged += k.records;
                if !out.flush(&mut batch, false) {
                    return;
                }
                continue;
            }
            let loc = Location::file(root).entry(Some(rel.clone()));
            match utf8(bytes, &loc).and_then(|t| parse_json_file(t, &loc)) {
                Ok(mut a) => {
                    batch.seen.push((
                        rel,
                        EntryState {
                            records: a.len() as u64,
                            ..state
                        },
                    ));
                    packer.pack_all(&mut a);
                    batch.advisories.extend(a);
                }
                Err(e) => {
                    out.fail(e);
                    return;
                }
            }
            if !out.flush(&mut batch, false) {
                return;
            }
        }
    }
    out.flush(&mut batch, true);
}

/// The name, CRC-32 and size of a `.json` entry, from the central
/// directory (nothing is read).
fn listed(zip: &zip::ZipArchive<Cursor<&[u8]>>, i: usize) -> Option<(String, EntryState)> {
    let e = zip.by_index_data(i).ok()?;
    let name = e.name().ok()?;
    if e.is_dir() || !name.to_ascii_lowercase().ends_with(".json") {
        return None;
    }
    Some((
        name.into_owned(),
        EntryState {
            crc: e.crc32(),
            size: e.size(),
            records: 0,
        },
    ))
}

/// Inflates and parses the entries the worker claims, with its own handle
/// on the archive; entries whose CRC-32 and size (in the central
/// directory) are those `known` remembers are not inflated.
pub(super) fn produce_zip(
    path: &Path,
    archive: &[u8],
    mut zip: zip::ZipArchive<Cursor<&[u8]>>,
    known: &Entries,
    out: &Out<'_>,
) {
    let mut inflater = Inflater::default();
    let mut packer = Packer::new();
    let mut batch = Batch::default();
    while let Some(claimed) = out.claim(zip.len()) {
        for i in claimed {
            let listed = listed(&zip, i);
            if let Some((name, state)) = &listed
                && let Some(k) = known
                    .get(name)
                    .filter(|k| k.crc == state.crc && k.size == state.size)
            {
                batch.json_entries += 1;
                batch.bytes += k.size;
                batch.unchanged += k.records;
                batch.entries += 1;
                if !out.flush(&mut batch, false) {
                    return;
                }
                continue;
            }
            match zip_entry(path, archive, &mut zip, &mut inflater, i) {
                Ok(None) => batch.skipped += 1,
                Ok(Some((mut advisories, bytes))) => {
                    packer.pack_all(&mut advisories);
                    batch.json_entries += 1;
                    batch.bytes += bytes;
                    if let Some((name, state)) = listed {
                        batch.seen.push((
                            name,
                            EntryState {
                                records: advisories.len() as u64,
                                ..state
                            },
                        ));
                    }
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
    }
    out.flush(&mut batch, true);
}

/// The consuming end of a running pipeline: the batches as they arrive
/// (the first error ends them), and the way back to the workers.
pub(super) struct Batches {
    rx: Receiver<Msg>,
    backs: Vec<Sender<Vec<Advisory>>>,
}

impl Iterator for Batches {
    type Item = Result<Batch, VulnDbError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.rx.recv().ok()? {
            Msg::Batch(b) => Some(Ok(b)),
            Msg::Failed(e) => Some(Err(e)),
        }
    }
}

impl Batches {
    /// Hands a consumed batch back to the worker that allocated it, to be
    /// freed there.
    pub(super) fn recycle(&self, batch: Batch) {
        if let Some(back) = self.backs.get(batch.worker) {
            // A worker that has stopped cannot take them: freed here.
            let _ = back.send(batch.advisories);
        }
    }
}

/// Runs `produce(out)` on one thread per core (reading, inflating,
/// parsing the entries each claims) while `consume` takes the batches on
/// this thread, so every core works.
pub(super) fn run<R>(
    produce: impl Fn(&Out<'_>) + Sync,
    consume: impl FnOnce(&mut Batches) -> R,
) -> R {
    let n = workers();
    let (tx, rx) = sync_channel::<Msg>(4 * n);
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let mut backs = Vec::with_capacity(n);
        for k in 0..n {
            let (back_tx, back) = channel();
            backs.push(back_tx);
            let out = Out {
                worker: k,
                tx: tx.clone(),
                back,
                next: &next,
            };
            let produce = &produce;
            s.spawn(move || {
                produce(&out);
                out.finish();
            });
        }
        drop(tx);
        let mut batches = Batches { rx, backs };
        let result = consume(&mut batches);
        // On an early return the workers' next send now fails and they
        // stop; the scope then joins them.
        drop(batches);
        result
    })
}
