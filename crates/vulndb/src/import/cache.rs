//! What each input held when it was last imported (`source_files`, schema
//! revision 2), so that a re-import costs what changed: an input whose
//! bytes (or, for a zip archive, whose central directory) are unchanged is
//! not read further, and in a changed archive or directory only the
//! entries whose CRC-32 or size changed are inflated and parsed.
//!
//! Skipping is exact because a record can only be replaced by a later one
//! (`modified` decides, see [`super::Writer::advisory`]): re-reading an
//! unchanged entry would report its records unchanged and write nothing.
//! The one exception, a record replaced by another input's record with the
//! same `modified` and other content, makes the import forget what the
//! other inputs held ([`forget_others`]). A KEV catalog or EPSS file
//! replaces its whole table, so importing one forgets the other files of
//! its kind.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::InputKind;
use crate::schema;

/// The build that read an input: another build may derive other columns,
/// so it reads everything again. Raise the number after `/` when parsing
/// changes within a version.
pub(crate) const PARSER: &str = concat!(env!("CARGO_PKG_VERSION"), "/1");

/// One `.json` entry of an archive or directory as last imported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct EntryState {
    pub(crate) crc: u32,
    pub(crate) size: u64,
    /// Records read from it.
    pub(crate) records: u64,
}

/// Entries by name (zip entry name, or path relative to the directory).
pub(crate) type Entries = HashMap<String, EntryState>;

/// What an input gave at its last import: enough to report it again.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Remembered {
    pub(crate) records: u64,
    pub(crate) skipped: u64,
    pub(crate) bytes: u64,
    pub(crate) detail: Option<String>,
}

/// A stored row.
pub(crate) struct Stored {
    pub(crate) kind: String,
    pub(crate) size: u64,
    pub(crate) digest: Vec<u8>,
    pub(crate) report: Remembered,
    pub(crate) entries: Option<Vec<u8>>,
}

/// The tables whose content the rows vouch for: a database that lacks one
/// (built before it existed, or changed by hand) is read in full.
const TABLES: [&str; 11] = [
    "meta",
    "sources",
    "advisories",
    "affected",
    "nvd_cves",
    "cpe_match",
    "kev",
    "epss",
    "counts",
    "ecosystem_counts",
    "source_files",
];

/// Whether the stored rows describe the database: every table exists and
/// the last import was made by a build that kept them (`source_files_at`
/// equals `built_at`).
pub(crate) fn trusted(conn: &Connection) -> rusqlite::Result<bool> {
    for t in TABLES {
        if !schema::has_table(conn, t)? {
            return Ok(false);
        }
    }
    if schema::revision(conn)? < 2 || schema::meta(conn, "counts_kept")?.is_none() {
        return Ok(false);
    }
    let built = schema::meta(conn, "built_at")?;
    Ok(built.is_some() && built == schema::meta(conn, "source_files_at")?)
}

/// Marks the rows as describing the import that committed at `built_at`.
pub(crate) fn mark(conn: &Connection, built_at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('source_files_at', ?1)",
        [built_at],
    )?;
    Ok(())
}

/// Forgets everything remembered (the rows are not trusted).
pub(crate) fn clear(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM source_files", [])?;
    Ok(())
}

/// The stored row of `source`, if it was read by this build.
pub(crate) fn lookup(conn: &Connection, source: &str) -> rusqlite::Result<Option<Stored>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, size, digest, report, entries FROM source_files
         WHERE source = ?1 AND parser = ?2",
    )?;
    let row = stmt
        .query_row(params![source, PARSER], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<Vec<u8>>>(4)?,
            ))
        })
        .optional()?;
    Ok(row.and_then(|(kind, size, digest, report, entries)| {
        Some(Stored {
            kind,
            size: u64::try_from(size).ok()?,
            digest,
            report: serde_json::from_str(&report).ok()?,
            entries,
        })
    }))
}

/// Remembers what `source` held.
pub(crate) fn store(
    conn: &Connection,
    source: &str,
    kind: InputKind,
    size: u64,
    digest: &[u8],
    report: &Remembered,
    entries: Option<&Entries>,
) -> rusqlite::Result<()> {
    let report = serde_json::to_string(report).unwrap_or_default();
    let entries = entries.map(encode);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO source_files (source, kind, parser, size, digest, report, entries)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        source,
        kind.as_str(),
        PARSER,
        i64::try_from(size).unwrap_or(i64::MAX),
        digest,
        report,
        entries
    ])?;
    Ok(())
}

/// [`store`] with the entries already encoded ([`encode_iter`]).
pub(crate) fn store_encoded(
    conn: &Connection,
    source: &str,
    kind: InputKind,
    size: u64,
    digest: &[u8],
    report: &Remembered,
    entries: &[u8],
) -> rusqlite::Result<()> {
    let report = serde_json::to_string(report).unwrap_or_default();
    conn.prepare_cached(
        "INSERT OR REPLACE INTO source_files (source, kind, parser, size, digest, report, entries)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        source,
        kind.as_str(),
        PARSER,
        i64::try_from(size).unwrap_or(i64::MAX),
        digest,
        report,
        entries
    ])?;
    Ok(())
}

/// Forgets the other inputs of the given kinds.
pub(crate) fn forget_others(
    conn: &Connection,
    source: &str,
    kinds: &[InputKind],
) -> rusqlite::Result<()> {
    let mut stmt =
        conn.prepare_cached("DELETE FROM source_files WHERE kind = ?1 AND source <> ?2")?;
    for k in kinds {
        stmt.execute(params![k.as_str(), source])?;
    }
    Ok(())
}

/// A fast digest of some bytes (XXH3, 128 bits), with their length.
pub(crate) fn digest(bytes: &[u8]) -> Vec<u8> {
    let mut d = xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes().to_vec();
    d.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    d
}

/// The largest central directory read for the digest (a real one holds
/// about 100 bytes an entry: 2.7 million entries).
const MAX_DIRECTORY: u64 = 256 << 20;

/// The digest of a zip archive's central directory (every entry's name,
/// CRC-32, sizes and offsets), read from its end without reading the
/// entries; `None` when the archive's end records cannot be read (the full
/// reading then reports why).
pub(crate) fn directory_digest<R: Read + Seek>(r: &mut R) -> Option<Vec<u8>> {
    let (dir, len) = read_directory(r)?;
    Some(directory_digest_of(&dir, len))
}

/// The digest of a central directory `dir` of an archive of `len` bytes.
pub(crate) fn directory_digest_of(dir: &[u8], len: u64) -> Vec<u8> {
    let mut d = digest(dir);
    d.extend_from_slice(&len.to_le_bytes());
    d
}

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(o..o + 2)?.try_into().ok()?))
}
fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(o..o + 4)?.try_into().ok()?))
}
fn u64_at(b: &[u8], o: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(o..o + 8)?.try_into().ok()?))
}

/// A zip archive's central directory, read from its end (the end record,
/// zip64 when needed), and the archive's length.
pub(crate) fn read_directory<R: Read + Seek>(r: &mut R) -> Option<(Vec<u8>, u64)> {
    let len = r.seek(SeekFrom::End(0)).ok()?;
    // The end record (22 bytes and a comment of up to 65,535), preceded by
    // the zip64 locator (20 bytes).
    let tail_len = len.min(22 + 0xFFFF + 20);
    let tail_start = len - tail_len;
    r.seek(SeekFrom::Start(tail_start)).ok()?;
    let mut tail = vec![0u8; usize::try_from(tail_len).ok()?];
    r.read_exact(&mut tail).ok()?;
    let p = (0..=tail.len().checked_sub(22)?)
        .rev()
        .find(|&i| tail[i..].starts_with(b"PK\x05\x06"))?;
    let eocd = &tail[p..];
    let mut size = u64::from(u32_at(eocd, 12)?);
    let mut offset = u64::from(u32_at(eocd, 16)?);
    if size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF || u16_at(eocd, 10)? == 0xFFFF {
        let locator = tail.get(p.checked_sub(20)?..p)?;
        if !locator.starts_with(b"PK\x06\x07") {
            return None;
        }
        let at = u64_at(locator, 8)?;
        r.seek(SeekFrom::Start(at)).ok()?;
        let mut z64 = [0u8; 56];
        r.read_exact(&mut z64).ok()?;
        if !z64.starts_with(b"PK\x06\x06") {
            return None;
        }
        size = u64_at(&z64, 40)?;
        offset = u64_at(&z64, 48)?;
    }
    if size > MAX_DIRECTORY || offset.checked_add(size)? > len {
        return None;
    }
    r.seek(SeekFrom::Start(offset)).ok()?;
    let mut dir = vec![0u8; usize::try_from(size).ok()?];
    r.read_exact(&mut dir).ok()?;
    Some((dir, len))
}

/// One entry of a central directory.
pub(crate) struct Listed<'a> {
    pub(crate) name: &'a str,
    pub(crate) crc: u32,
    pub(crate) compressed: u64,
    pub(crate) size: u64,
    pub(crate) method: u16,
    pub(crate) flags: u16,
    /// Where its local header starts.
    pub(crate) offset: u64,
}

impl Listed<'_> {
    /// An OSV entry, as the full reading decides (`inflate.rs`).
    pub(crate) fn is_json(&self) -> bool {
        !self.name.ends_with('/') && self.name.to_ascii_lowercase().ends_with(".json")
    }
}

/// The entries of a central directory; `None` for anything this reader
/// leaves to the full reading (`zip`): a malformed record, a name that is
/// not ASCII (`zip` decodes those by their flags), or a duplicate name.
pub(crate) fn list_directory(dir: &[u8]) -> Option<Vec<Listed<'_>>> {
    let mut out = Vec::new();
    let mut names = rustc_hash::FxHashSet::default();
    names.reserve(dir.len() / 80);
    let mut rest = dir;
    while !rest.is_empty() {
        if !rest.starts_with(b"PK\x01\x02") {
            return None;
        }
        let n = usize::from(u16_at(rest, 28)?);
        let m = usize::from(u16_at(rest, 30)?);
        let k = usize::from(u16_at(rest, 32)?);
        let name = rest.get(46..46 + n)?;
        if !name.is_ascii() {
            return None;
        }
        let name = std::str::from_utf8(name).ok()?;
        let extra = rest.get(46 + n..46 + n + m)?;
        let mut size = u64::from(u32_at(rest, 24)?);
        let mut compressed = u64::from(u32_at(rest, 20)?);
        let mut offset = u64::from(u32_at(rest, 42)?);
        if size == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // The zip64 extra field holds those that overflowed, in order.
            let mut e = extra;
            let mut z64 = None;
            while e.len() >= 4 {
                let id = u16_at(e, 0)?;
                let l = usize::from(u16_at(e, 2)?);
                let body = e.get(4..4 + l)?;
                if id == 1 {
                    z64 = Some(body);
                }
                e = &e[4 + l..];
            }
            let z64 = z64?;
            let mut at = 0;
            for field in [&mut size, &mut compressed, &mut offset] {
                if *field == 0xFFFF_FFFF {
                    *field = u64_at(z64, at)?;
                    at += 8;
                }
            }
        }
        if !names.insert(name) {
            return None;
        }
        out.push(Listed {
            name,
            crc: u32_at(rest, 16)?,
            compressed,
            size,
            method: u16_at(rest, 10)?,
            flags: u16_at(rest, 8)?,
            offset,
        });
        rest = rest.get(46 + n + m + k..)?;
    }
    Some(out)
}

/// The most a stored entry list may inflate to.
const MAX_ENTRIES_BYTES: usize = 1 << 30;

/// Entries as stored: each its name's length (u32), the
/// name, CRC-32 (u32), size and records (u64), little-endian; zstd.
fn encode(entries: &Entries) -> Vec<u8> {
    encode_iter(entries.iter().map(|(k, v)| (k.as_str(), *v)))
}

/// [`encode`] of any list of entries.
pub(crate) fn encode_iter<'a>(entries: impl IntoIterator<Item = (&'a str, EntryState)>) -> Vec<u8> {
    // In the order given: decoding builds a map, so order does not matter.
    let names: Vec<(&str, EntryState)> = entries.into_iter().collect();
    let mut out = Vec::with_capacity(names.len() * 48);
    for (name, e) in names {
        out.extend_from_slice(&u32::try_from(name.len()).unwrap_or(0).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&e.size.to_le_bytes());
        out.extend_from_slice(&e.records.to_le_bytes());
    }
    zstd::bulk::compress(&out, 3).unwrap_or_default()
}

/// The entries of a stored row; `None` when it cannot be read (the input
/// is then read in full).
pub(crate) fn decode(blob: &[u8]) -> Option<Entries> {
    let raw = inflate_entries(blob)?;
    Some(
        decode_borrowed(&raw)?
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// A stored row's entries, still encoded.
pub(crate) fn inflate_entries(blob: &[u8]) -> Option<Vec<u8>> {
    zstd::bulk::decompress(blob, MAX_ENTRIES_BYTES).ok()
}

/// Entries from [`inflate_entries`], their names borrowed.
pub(crate) fn decode_borrowed(raw: &[u8]) -> Option<FxHashMap<&str, EntryState>> {
    let mut out = FxHashMap::default();
    let mut rest = raw;
    while !rest.is_empty() {
        let n = usize::try_from(u32::from_le_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let name = std::str::from_utf8(rest.get(4..4 + n)?).ok()?;
        let f = rest.get(4 + n..4 + n + 20)?;
        let e = EntryState {
            crc: u32::from_le_bytes(f[..4].try_into().ok()?),
            size: u64::from_le_bytes(f[4..12].try_into().ok()?),
            records: u64::from_le_bytes(f[12..20].try_into().ok()?),
        };
        out.insert(name, e);
        rest = &rest[4 + n + 20..];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn entries_round_trip() {
        let mut e = Entries::new();
        e.insert(
            "GO-1.json".into(),
            EntryState {
                crc: 7,
                size: 100,
                records: 1,
            },
        );
        e.insert(
            "dir/é.json".into(),
            EntryState {
                crc: u32::MAX,
                size: u64::MAX,
                records: 3,
            },
        );
        assert_eq!(decode(&encode(&e)), Some(e));
        assert_eq!(decode(&encode(&Entries::new())), Some(Entries::new()));
        assert_eq!(decode(b"not zstd"), None);
        // A truncated list is refused, not read in part.
        let raw = zstd::bulk::compress(&[5, 0, 0, 0, b'a'], 3).unwrap_or_default();
        assert_eq!(decode(&raw), None);
    }

    /// A zip of `n` stored entries, built by `zip`.
    fn archive(n: usize) -> Vec<u8> {
        use std::io::Write as _;
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default());
        for i in 0..n {
            z.start_file(format!("A-{i}.json"), o).ok();
            z.write_all(format!("{{\"id\":\"A-{i}\"}}").as_bytes()).ok();
        }
        z.finish().map(Cursor::into_inner).unwrap_or_default()
    }

    #[test]
    fn the_directory_reader_agrees_with_zip() {
        let a = archive(5);
        let (dir, len) = read_directory(&mut Cursor::new(&a)).unwrap_or_default();
        assert_eq!(len, a.len() as u64);
        let listed = list_directory(&dir).unwrap_or_default();
        let z = zip::ZipArchive::new(Cursor::new(&a[..])).ok();
        let z = z.as_ref();
        assert_eq!(listed.len(), 5);
        for (i, e) in listed.iter().enumerate() {
            let d = z.and_then(|z| z.by_index_data(i).ok());
            assert_eq!(
                Some(e.name),
                d.as_ref().and_then(|d| d.name().ok()).as_deref()
            );
            assert_eq!(Some(e.crc), d.as_ref().map(|d| d.crc32()));
            assert_eq!(Some(e.size), d.as_ref().map(|d| d.size()));
            assert!(e.is_json() && e.method == 0 && e.flags & 1 == 0);
        }
    }

    /// More than 65,535 entries: the end record defers to the zip64 one.
    #[test]
    fn zip64_directories_are_read() {
        let n = 70_000;
        let a = archive(n);
        // The 16-bit entry count of the end record says "see zip64".
        let eocd = a.len() - 22;
        assert!(a[eocd..].starts_with(b"PK\x05\x06"));
        assert_eq!(u16_at(&a[eocd..], 10), Some(0xFFFF));
        let (dir, _) = read_directory(&mut Cursor::new(&a)).unwrap_or_default();
        let listed = list_directory(&dir).unwrap_or_default();
        assert_eq!(listed.len(), n);
        assert_eq!(listed.last().map(|e| e.name), Some("A-69999.json"));
    }

    /// Damaged archives: every byte of the directory and end records, and
    /// truncations, changed in turn; the readers answer or refuse, never
    /// panic, and never read past what they were given.
    #[test]
    fn damaged_directories_never_panic() {
        let a = archive(3);
        let (dir, _) = read_directory(&mut Cursor::new(&a)).unwrap_or_default();
        let start = a.len() - dir.len() - 22;
        for i in start..a.len() {
            for x in [0x00, 0xFF, 0x01, 0x80] {
                let mut b = a.clone();
                b[i] = x;
                if let Some((d, _)) = read_directory(&mut Cursor::new(&b)) {
                    let _ = list_directory(&d).map(|l| l.len());
                }
                let _ = list_directory(&b[start..]).map(|l| l.len());
            }
        }
        for cut in 0..a.len() {
            let _ = read_directory(&mut Cursor::new(&a[..cut]));
            let _ = list_directory(&dir[..cut.min(dir.len())]);
            let _ = decode_borrowed(&dir[..cut.min(dir.len())]);
        }
    }

    #[test]
    fn directory_digest_follows_the_directory() {
        use std::io::Write as _;
        let make = |body: &[u8]| {
            let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let o = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .last_modified_time(zip::DateTime::default());
            z.start_file("a.json", o).ok();
            z.write_all(body).ok();
            z.finish().map(Cursor::into_inner).unwrap_or_default()
        };
        let a = make(b"{\"id\":\"A\"}");
        let b = make(b"{\"id\":\"B\"}");
        let da = directory_digest(&mut Cursor::new(&a));
        assert!(da.is_some());
        assert_eq!(da, directory_digest(&mut Cursor::new(&a.clone())));
        // Same size, other content: the CRC-32 in the directory differs.
        assert_ne!(da, directory_digest(&mut Cursor::new(&b)));
        assert_eq!(
            directory_digest(&mut Cursor::new(b"PK\x05\x06 short")),
            None
        );
        assert_eq!(directory_digest(&mut Cursor::new(Vec::new())), None);
        let mut bad = a.clone();
        let n = bad.len();
        // The directory's offset points past the end.
        bad[n - 6..n - 2].copy_from_slice(&u32::MAX.wrapping_sub(1).to_le_bytes());
        assert_eq!(directory_digest(&mut Cursor::new(&bad)), None);
    }
}
