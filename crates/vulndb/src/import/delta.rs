//! An OSV archive that changed a little: only its changed entries are read.

use std::fs;
use std::ops::ControlFlow;
use std::path::Path;

use super::{
    InputKind, InputReport, Progress, Writer, cache, finished, inflate, io, pack, parse_json_file,
    utf8,
};
use crate::error::{Location, VulnDbError, db_err};

/// Re-reading a zip archive whose central directory changed: when few of
/// its `.json` entries changed (by CRC-32 or size), only those are read,
/// from the file (`pread`), inflated and parsed on this thread, and the
/// archive is never read whole. `None` when the archive is better (or only)
/// read in full: many changes, entries this reader leaves to `zip`
/// (encrypted, methods other than stored and deflate, non-ASCII or
/// duplicate names), or nothing remembered.
#[allow(clippy::too_many_arguments)]
pub(super) fn zip_delta(
    w: &mut Writer<'_>,
    input: &Path,
    name: &str,
    stored: &cache::Stored,
    file: &fs::File,
    dir: &[u8],
    len: u64,
    progress: &mut dyn FnMut(&Progress<'_>) -> ControlFlow<()>,
) -> Result<Option<InputReport>, VulnDbError> {
    use std::os::unix::fs::FileExt as _;
    let Some(raw) = stored.entries.as_deref().and_then(cache::inflate_entries) else {
        return Ok(None);
    };
    let Some(known) = cache::decode_borrowed(&raw) else {
        return Ok(None);
    };
    let Some(listed) = cache::list_directory(dir) else {
        return Ok(None);
    };
    let mut report = InputReport::new(input.to_path_buf(), InputKind::OsvZip);
    let mut changed = Vec::new();
    // What the cache will remember: every `.json` entry's state, those of
    // the changed ones filled in when read.
    let mut states: Vec<(&str, cache::EntryState)> = Vec::with_capacity(listed.len());
    for e in &listed {
        if !e.is_json() {
            report.skipped += 1;
            continue;
        }
        report.bytes += e.size;
        match known.get(e.name) {
            Some(k) if k.crc == e.crc && k.size == e.size => {
                report.records += k.records;
                report.unchanged += k.records;
                states.push((e.name, *k));
            }
            _ => {
                changed.push((states.len(), e));
                states.push((e.name, cache::EntryState::default()));
            }
        }
    }
    let json_entries = states.len();
    let plain =
        |(_, e): &(usize, &cache::Listed<'_>)| e.flags & 1 == 0 && matches!(e.method, 0 | 8);
    if json_entries == 0 || changed.len() > (listed.len() / 8).max(64) || !changed.iter().all(plain)
    {
        return Ok(None);
    }
    let not_osv = |entry: &str, message: String| VulnDbError::NotOsvArchive {
        location: Box::new(Location::file(input).entry(Some(entry.to_owned()))),
        message,
    };
    let read_at = |at: u64, n: usize, entry: &str| -> Result<Vec<u8>, VulnDbError> {
        if at.checked_add(n as u64).is_none_or(|end| end > len) {
            return Err(not_osv(
                entry,
                "the entry's data lies outside the archive".to_owned(),
            ));
        }
        let mut buf = vec![0u8; n];
        file.read_exact_at(&mut buf, at).map_err(io(input))?;
        Ok(buf)
    };
    let mut inflater = inflate::Inflater::default();
    let mut packer = pack::Packer::new();
    for (at, e) in changed {
        if e.size > inflate::MAX_ENTRY_BYTES {
            return Err(not_osv(
                e.name,
                format!("entry of {} bytes is too large", e.size),
            ));
        }
        let header = read_at(e.offset, 30, e.name)?;
        if !header.starts_with(b"PK\x03\x04") {
            return Err(not_osv(e.name, "no local file header".to_owned()));
        }
        let skip = 30
            + u64::from(u16::from_le_bytes([header[26], header[27]]))
            + u64::from(u16::from_le_bytes([header[28], header[29]]));
        let data = read_at(
            e.offset + skip,
            usize::try_from(e.compressed).unwrap_or(usize::MAX),
            e.name,
        )?;
        let size = usize::try_from(e.size).unwrap_or(usize::MAX);
        let bytes = if e.method == 0 {
            inflate::check_crc(&data, e.crc).map_err(|m| not_osv(e.name, m))?;
            data
        } else {
            inflater
                .inflate(&data, size, e.crc)
                .map_err(|m| not_osv(e.name, m))?
        };
        let loc = Location::file(input).entry(Some(e.name.to_owned()));
        let mut advisories = parse_json_file(utf8(bytes, &loc)?, &loc)?;
        packer.pack_all(&mut advisories);
        for a in &advisories {
            w.advisory(a, &mut report)?;
        }
        states[at].1 = cache::EntryState {
            crc: e.crc,
            size: e.size,
            records: advisories.len() as u64,
        };
    }
    let r = cache::Remembered {
        records: report.records,
        skipped: report.skipped,
        bytes: report.bytes,
        detail: None,
    };
    cache::store_encoded(
        w.conn(),
        name,
        InputKind::OsvZip,
        len,
        &cache::directory_digest_of(dir, len),
        &r,
        &cache::encode_iter(states),
    )
    .map_err(db_err(w.path()))?;
    finished(&report, progress)?;
    Ok(Some(report))
}
