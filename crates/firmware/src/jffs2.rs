//! A JFFS2 reader: the nodes of a NOR flash filesystem image (mkfs.jffs2's output, or a
//! partition of a flash dump), in either byte order.
//!
//! Every node starts with a 12-byte header (magic 0x1985, node type, total length, a CRC
//! of the first 8 bytes); directory entries (`pino`, `version`, `ino`, name) build the
//! tree, the latest version of an entry winning (an entry to inode 0 is a deletion);
//! inode nodes (`ino`, `version`, `mode`, `uid`, size, and a range of data, compressed)
//! give each file's contents, applied oldest version first. Data compressed with none,
//! zero, zlib or rtime is read; lzo, lzma and rubin are named in notes. Nodes whose CRCs
//! do not match are skipped (and counted in a note), obsolete nodes too. The scan ends at
//! the image's end, or where a squashfs or a UBI image starts (a flash dump's next
//! partition).
//!
//! Everything is bounded: a node's data by [`MAX_NODE_DATA`], a file by the per-file
//! limit, all files and all decompression work by the total limit, the tree's depth by
//! [`MAX_DEPTH`]; a directory is entered once, so loops of entries end.

use std::collections::{HashMap, HashSet};
use std::io::Read;

/// The magic of every node.
const MAGIC: u16 = 0x1985;
/// A node type's bit that says the node is current (cleared when it is obsoleted).
const ACCURATE: u16 = 0x2000;
const DIRENT: u16 = 0xe001;
const INODE: u16 = 0xe002;
/// Sizes of the fixed parts of a directory entry and of an inode node.
const DIRENT_SIZE: usize = 40;
const INODE_SIZE: usize = 68;
/// The most data one inode node may hold (a page; 64 KiB on the largest pages).
pub(crate) const MAX_NODE_DATA: usize = 64 << 10;
/// The deepest directory read.
pub(crate) const MAX_DEPTH: usize = 128;
/// The root directory's inode.
const ROOT_INO: u32 = 1;

const S_IFMT: u32 = 0o170_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFREG: u32 = 0o100_000;
const S_IFLNK: u32 = 0o120_000;

/// Why bytes are not a JFFS2 image.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Jffs2Error {
    /// No node header (magic and header CRC) at the start.
    #[error("no JFFS2 node header at the start")]
    NoNode,
}

/// A file read out of the image.
#[derive(Debug)]
pub(crate) struct Entry {
    /// Its path from the root, normalized (no `..`, no empty parts).
    pub(crate) path: String,
    pub(crate) data: Vec<u8>,
    pub(crate) mode: u32,
    pub(crate) uid: u32,
}

/// What the image holds.
#[derive(Debug, Default)]
pub(crate) struct Jffs2 {
    pub(crate) files: Vec<Entry>,
    /// (what, the path inside the image or empty for the image).
    pub(crate) notes: Vec<(String, String)>,
    /// The bytes up to the end of the last valid node.
    pub(crate) size: usize,
    pub(crate) big_endian: bool,
}

/// How much may still be read: files and bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    pub(crate) files: usize,
    pub(crate) file_bytes: u64,
    pub(crate) total_bytes: u64,
}

/// The CRC-32 JFFS2 uses: the reflected polynomial 0xedb88320, seed 0, no final
/// inversion (Linux's `crc32(0, ...)`).
pub(crate) fn crc(b: &[u8]) -> u32 {
    crc32_le(0, b)
}

const CRC_TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xedb8_8320
            } else {
                c >> 1
            };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// Linux's `crc32_le(seed, ...)`: the reflected CRC-32 without the inversions (the
/// usual CRC-32 is `!crc32_le(!0, ...)`); JFFS2 seeds it with 0, UBI with `!0`.
pub(crate) fn crc32_le(seed: u32, b: &[u8]) -> u32 {
    b.iter().fold(seed, |c, x| {
        CRC_TABLE[((c ^ u32::from(*x)) & 0xff) as usize] ^ (c >> 8)
    })
}

#[derive(Clone, Copy)]
struct Rd<'a> {
    b: &'a [u8],
    be: bool,
}

impl Rd<'_> {
    fn u16(self, at: usize) -> Option<u16> {
        let s: [u8; 2] = self.b.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if self.be {
            u16::from_be_bytes(s)
        } else {
            u16::from_le_bytes(s)
        })
    }
    fn u32(self, at: usize) -> Option<u32> {
        let s: [u8; 4] = self.b.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.be {
            u32::from_be_bytes(s)
        } else {
            u32::from_le_bytes(s)
        })
    }
    /// The node at `at` when its magic and header CRC hold: (type, total length).
    fn header(self, at: usize) -> Option<(u16, usize)> {
        if self.u16(at)? != MAGIC {
            return None;
        }
        let kind = self.u16(at + 2)?;
        let len = self.u32(at + 4)? as usize;
        // The CRC is of the header as written: an obsoleted node has had its accurate
        // bit cleared since (as the kernel's scan does, the bit is set back to check).
        let mut h: [u8; 8] = self.b.get(at..at + 8)?.try_into().ok()?;
        let written = kind | ACCURATE;
        h[2..4].copy_from_slice(&if self.be {
            written.to_be_bytes()
        } else {
            written.to_le_bytes()
        });
        if crc(&h) != self.u32(at + 8)? || len < 12 {
            return None;
        }
        // The whole node must be in the image.
        self.b.get(at..at.checked_add(len)?)?;
        Some((kind, len))
    }
}

/// Whether `b` starts with a JFFS2 node (either byte order, header CRC checked).
pub(crate) fn is_jffs2(b: &[u8]) -> bool {
    [false, true]
        .into_iter()
        .any(|be| Rd { b, be }.header(0).is_some())
}

/// One inode node: where its data is, and what it says.
#[derive(Debug, Clone, Copy)]
struct InodeNode {
    version: u32,
    mode: u32,
    uid: u32,
    isize: u32,
    offset: u32,
    dsize: u32,
    compr: u8,
    /// The compressed data: start and length in the image.
    data: (usize, usize),
}

/// Reads the JFFS2 image at the start of `b`.
pub(crate) fn read(b: &[u8], budget: Budget) -> Result<Jffs2, Jffs2Error> {
    let be = if (Rd { b, be: false }).header(0).is_some() {
        false
    } else if (Rd { b, be: true }).header(0).is_some() {
        true
    } else {
        return Err(Jffs2Error::NoNode);
    };
    let rd = Rd { b, be };
    let mut out = Jffs2 {
        big_endian: be,
        ..Jffs2::default()
    };
    // (parent, name) -> (version, ino, type): the latest version of each entry.
    let mut dirents: HashMap<(u32, Vec<u8>), (u32, u32)> = HashMap::new();
    let mut inodes: HashMap<u32, Vec<InodeNode>> = HashMap::new();
    // Where headers with a bad CRC were: those past the last good node are not the
    // filesystem's.
    let mut bad_at: Vec<usize> = Vec::new();
    let (mut bad, mut unknown) = (0usize, 0usize);
    let mut at = 0usize;
    while at + 12 <= b.len() {
        if rd.u16(at) != Some(MAGIC) {
            // A flash dump's next partition ends the filesystem: a squashfs, a UBI
            // image.
            let rest = &b[at..];
            if rest.starts_with(b"hsqs") || crate::ubi::is_ubi(rest) {
                break;
            }
            at += 4;
            continue;
        }
        let Some((kind, len)) = rd.header(at) else {
            bad_at.push(at);
            at += 4;
            continue;
        };
        let node = &b[at..at + len];
        let next = (at + len + 3) & !3;
        out.size = next.min(b.len());
        if kind & ACCURATE == 0 {
            // Obsolete: superseded, skipped.
        } else if kind == DIRENT {
            if !dirent(Rd { b: node, be }, &mut dirents) {
                bad += 1;
            }
        } else if kind == INODE {
            match inode(Rd { b: node, be }) {
                Some(mut n) => {
                    n.data.0 += at;
                    inodes
                        .entry(rd.u32(at + 12).unwrap_or(0))
                        .or_default()
                        .push(n);
                }
                None => bad += 1,
            }
        } else if kind & 0xc000 == 0xc000 {
            // An incompatible type this reader does not know (xattrs are 0xe008/0xe009
            // and carry no file data).
            if kind != 0xe008 && kind != 0xe009 {
                unknown += 1;
            }
        }
        at = next;
    }
    bad += bad_at.iter().filter(|a| **a < out.size).count();
    if bad > 0 {
        out.notes.push((
            format!("{bad} JFFS2 node(s) with a bad CRC or length skipped"),
            String::new(),
        ));
    }
    if unknown > 0 {
        out.notes.push((
            format!("{unknown} JFFS2 node(s) of an unknown incompatible type skipped"),
            String::new(),
        ));
    }
    tree(b, &mut out, &dirents, &mut inodes, budget);
    Ok(out)
}

/// A directory entry node: keeps it when its CRCs hold and it is the latest version.
fn dirent(n: Rd<'_>, dirents: &mut HashMap<(u32, Vec<u8>), (u32, u32)>) -> bool {
    let (Some(pino), Some(version), Some(ino), Some(node_crc), Some(name_crc)) =
        (n.u32(12), n.u32(16), n.u32(20), n.u32(32), n.u32(36))
    else {
        return false;
    };
    let Some(&nsize) = n.b.get(28) else {
        return false;
    };
    let Some(name) = n.b.get(DIRENT_SIZE..DIRENT_SIZE + nsize as usize) else {
        return false;
    };
    if crc(&n.b[..DIRENT_SIZE - 8]) != node_crc || crc(name) != name_crc {
        return false;
    }
    let e = dirents.entry((pino, name.to_vec())).or_insert((0, 0));
    if version >= e.0 {
        *e = (version, ino);
    }
    true
}

/// An inode node, when its CRCs hold (the data offset is relative to the node).
fn inode(n: Rd<'_>) -> Option<InodeNode> {
    let csize = n.u32(48)? as usize;
    let data = n.b.get(INODE_SIZE..INODE_SIZE.checked_add(csize)?)?;
    if crc(n.b.get(..INODE_SIZE - 8)?) != n.u32(64)? || crc(data) != n.u32(60)? {
        return None;
    }
    Some(InodeNode {
        version: n.u32(16)?,
        mode: n.u32(20)?,
        uid: u32::from(n.u16(24)?),
        isize: n.u32(28)?,
        offset: n.u32(44)?,
        dsize: n.u32(52)?,
        compr: *n.b.get(56)?,
        data: (INODE_SIZE, csize),
    })
}

/// Walks the tree from the root, each directory once, and reads the files.
fn tree(
    b: &[u8],
    out: &mut Jffs2,
    dirents: &HashMap<(u32, Vec<u8>), (u32, u32)>,
    inodes: &mut HashMap<u32, Vec<InodeNode>>,
    budget: Budget,
) {
    let mut children: HashMap<u32, Vec<(&[u8], u32)>> = HashMap::new();
    for ((pino, name), (_, ino)) in dirents {
        // An entry to inode 0 deletes the name; names with a slash or a dot name
        // cannot be real (and must not climb out of the root).
        if *ino == 0
            || name.is_empty()
            || name.contains(&b'/')
            || name.contains(&0)
            || name == b"."
            || name == b".."
        {
            continue;
        }
        children.entry(*pino).or_default().push((name, *ino));
    }
    for c in children.values_mut() {
        c.sort_unstable();
    }
    for nodes in inodes.values_mut() {
        nodes.sort_by_key(|n| n.version);
    }
    let mut seen: HashSet<u32> = HashSet::from([ROOT_INO]);
    let mut stack: Vec<(u32, String, usize)> = vec![(ROOT_INO, String::new(), 0)];
    let mut total: u64 = 0;
    let mut work: u64 = 0;
    let mut unread: HashMap<&'static str, usize> = HashMap::new();
    while let Some((dir, path, depth)) = stack.pop() {
        let Some(kids) = children.get(&dir) else {
            continue;
        };
        // Files in name order, then the subdirectories, also in name order.
        let mut subdirs = Vec::new();
        for (name, ino) in kids {
            let name = String::from_utf8_lossy(name);
            let p = if path.is_empty() {
                name.into_owned()
            } else {
                format!("{path}/{name}")
            };
            let Some(nodes) = inodes.get(ino).filter(|n| !n.is_empty()) else {
                // A name without an inode (its nodes lost or bad): nothing to read.
                out.notes
                    .push(("JFFS2 entry without an inode; not read".into(), p));
                continue;
            };
            let last = nodes[nodes.len() - 1];
            match last.mode & S_IFMT {
                S_IFDIR => {
                    if depth + 1 >= MAX_DEPTH {
                        out.notes.push((
                            format!("JFFS2 directory deeper than {MAX_DEPTH}; not read"),
                            p,
                        ));
                    } else if seen.insert(*ino) {
                        subdirs.push((*ino, p, depth + 1));
                    } else {
                        out.notes.push((
                            "JFFS2 directory reached twice (a loop or a hard link); read once"
                                .into(),
                            p,
                        ));
                    }
                }
                S_IFREG | S_IFLNK => {
                    if out.files.len() >= budget.files {
                        out.notes.push((
                            format!(
                                "file limit ({}) reached; the rest is not read",
                                budget.files
                            ),
                            p,
                        ));
                        return;
                    }
                    let size = u64::from(last.isize);
                    if size > budget.file_bytes {
                        out.notes.push((
                            format!("file larger than {} bytes; not read", budget.file_bytes),
                            p,
                        ));
                        continue;
                    }
                    total += size;
                    if total > budget.total_bytes {
                        out.notes.push((
                            format!("size limit ({} bytes) reached", budget.total_bytes),
                            p,
                        ));
                        return;
                    }
                    let Some(data) =
                        contents(b, nodes, size as usize, &mut work, budget, &mut unread)
                    else {
                        out.notes.push((
                            format!(
                                "decompression limit ({} bytes) reached; the rest is not read",
                                budget.total_bytes
                            ),
                            p,
                        ));
                        return;
                    };
                    for (what, n) in unread.drain() {
                        out.notes.push((
                            format!(
                                "{n} JFFS2 node(s) compressed with {what} not read (left as zeros)"
                            ),
                            p.clone(),
                        ));
                    }
                    out.files.push(Entry {
                        path: p,
                        data,
                        mode: last.mode,
                        uid: last.uid,
                    });
                }
                _ => {}
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
}

/// A file's contents: its nodes applied oldest first over zeros, `size` bytes; `None`
/// when the decompression budget is spent.
fn contents(
    b: &[u8],
    nodes: &[InodeNode],
    size: usize,
    work: &mut u64,
    budget: Budget,
    unread: &mut HashMap<&'static str, usize>,
) -> Option<Vec<u8>> {
    let mut data = vec![0u8; size];
    for n in nodes {
        let (offset, dsize) = (n.offset as usize, n.dsize as usize);
        if dsize == 0 || offset >= size {
            continue;
        }
        if dsize > MAX_NODE_DATA {
            *unread.entry("a size above 64 KiB").or_default() += 1;
            continue;
        }
        *work += dsize as u64;
        if *work > budget.total_bytes {
            return None;
        }
        let Some(src) = b.get(n.data.0..n.data.0 + n.data.1) else {
            continue;
        };
        let plain = match n.compr {
            // None, and "copy" (the same).
            0 | 4 => Some(src.get(..dsize).unwrap_or(src).to_vec()),
            // A hole.
            1 => Some(vec![0; dsize]),
            2 => rtime(src, dsize),
            6 => zlib(src, dsize),
            3 | 5 => {
                *unread.entry("rubin").or_default() += 1;
                continue;
            }
            7 => {
                *unread.entry("lzo").or_default() += 1;
                continue;
            }
            8 => {
                *unread.entry("lzma").or_default() += 1;
                continue;
            }
            _ => {
                *unread.entry("an unknown method").or_default() += 1;
                continue;
            }
        };
        let Some(plain) = plain else {
            *unread.entry("data that does not decompress").or_default() += 1;
            continue;
        };
        let end = offset.saturating_add(plain.len()).min(size);
        data[offset..end].copy_from_slice(&plain[..end - offset]);
    }
    Some(data)
}

/// zlib (with its header), exactly `dsize` bytes.
fn zlib(src: &[u8], dsize: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(dsize);
    flate2::read::ZlibDecoder::new(src)
        .take(dsize as u64)
        .read_to_end(&mut out)
        .ok()?;
    (out.len() == dsize).then_some(out)
}

/// JFFS2's "rtime": pairs of (byte, repeat); the byte is written, then `repeat` bytes
/// copied from just after the previous occurrence of that byte.
pub(crate) fn rtime(src: &[u8], dsize: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(dsize);
    let mut positions = [0usize; 256];
    let mut pos = 0usize;
    while out.len() < dsize {
        let value = *src.get(pos)?;
        let repeat = *src.get(pos + 1)?;
        pos += 2;
        out.push(value);
        let back = positions[usize::from(value)];
        positions[usize::from(value)] = out.len();
        for from in back..back + usize::from(repeat) {
            if out.len() >= dsize {
                break;
            }
            let c = *out.get(from)?;
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtime_copies_back_references_and_stops_at_dsize() {
        // "ab" then 'a' repeating 3 from after the first 'a' ("bab"), then 'x'.
        assert_eq!(
            rtime(&[b'a', 0, b'b', 0, b'a', 3, b'x', 0], 7).unwrap(),
            b"ababab"[..6]
                .iter()
                .chain(b"x")
                .copied()
                .collect::<Vec<_>>()
        );
        // A repeat past dsize is cut; input that ends early is refused.
        assert_eq!(rtime(&[b'a', 0, b'a', 200], 5).unwrap(), b"aaaaa");
        assert!(rtime(b"a", 2).is_none());
        assert!(rtime(&[], 0).unwrap().is_empty());
    }

    #[test]
    fn crc_is_linux_crc32_seed_zero() {
        // crc32_le(0, "123456789") without the inversions.
        assert_eq!(crc(b""), 0);
        assert_eq!(crc(b"123456789"), 0x2dfd_2d88);
    }

    const B: Budget = Budget {
        files: 100,
        file_bytes: 1 << 20,
        total_bytes: 1 << 20,
    };

    fn node(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut n = Vec::new();
        n.extend_from_slice(&MAGIC.to_le_bytes());
        n.extend_from_slice(&kind.to_le_bytes());
        n.extend_from_slice(&((12 + body.len()) as u32).to_le_bytes());
        let c = crc(&n);
        n.extend_from_slice(&c.to_le_bytes());
        n.extend_from_slice(body);
        while !n.len().is_multiple_of(4) {
            n.push(0xff);
        }
        n
    }

    fn dirent(pino: u32, version: u32, ino: u32, name: &[u8]) -> Vec<u8> {
        let mut n = node(DIRENT, &[0; 28]);
        n.truncate(12 + 28);
        n[12..16].copy_from_slice(&pino.to_le_bytes());
        n[16..20].copy_from_slice(&version.to_le_bytes());
        n[20..24].copy_from_slice(&ino.to_le_bytes());
        n[28] = name.len() as u8;
        n[4..8].copy_from_slice(&((DIRENT_SIZE + name.len()) as u32).to_le_bytes());
        let c = crc(&n[..8]);
        n[8..12].copy_from_slice(&c.to_le_bytes());
        let c = crc(&n[..32]);
        n[32..36].copy_from_slice(&c.to_le_bytes());
        n[36..40].copy_from_slice(&crc(name).to_le_bytes());
        n.extend_from_slice(name);
        while !n.len().is_multiple_of(4) {
            n.push(0xff);
        }
        n
    }

    #[allow(clippy::too_many_arguments)]
    fn inode(
        ino: u32,
        version: u32,
        mode: u32,
        isize: u32,
        offset: u32,
        dsize: u32,
        compr: u8,
        data: &[u8],
    ) -> Vec<u8> {
        let mut n = vec![0u8; INODE_SIZE];
        n[0..2].copy_from_slice(&MAGIC.to_le_bytes());
        n[2..4].copy_from_slice(&INODE.to_le_bytes());
        n[4..8].copy_from_slice(&((INODE_SIZE + data.len()) as u32).to_le_bytes());
        let c = crc(&n[..8]);
        n[8..12].copy_from_slice(&c.to_le_bytes());
        n[12..16].copy_from_slice(&ino.to_le_bytes());
        n[16..20].copy_from_slice(&version.to_le_bytes());
        n[20..24].copy_from_slice(&mode.to_le_bytes());
        n[28..32].copy_from_slice(&isize.to_le_bytes());
        n[44..48].copy_from_slice(&offset.to_le_bytes());
        n[48..52].copy_from_slice(&(data.len() as u32).to_le_bytes());
        n[52..56].copy_from_slice(&dsize.to_le_bytes());
        n[56] = compr;
        n[60..64].copy_from_slice(&crc(data).to_le_bytes());
        let c = crc(&n[..60]);
        n[64..68].copy_from_slice(&c.to_le_bytes());
        n.extend_from_slice(data);
        while !n.len().is_multiple_of(4) {
            n.push(0xff);
        }
        n
    }

    fn file(fs: &Jffs2, path: &str) -> Option<Vec<u8>> {
        fs.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.data.clone())
    }

    #[test]
    fn latest_versions_win_deletions_hold_and_rtime_zero_none_read() {
        let mut img = Vec::new();
        img.extend(dirent(1, 1, 2, b"etc"));
        img.extend(inode(2, 1, S_IFDIR | 0o755, 0, 0, 0, 0, &[]));
        img.extend(dirent(2, 2, 3, b"passwd"));
        img.extend(inode(3, 1, S_IFREG | 0o644, 3, 0, 3, 0, b"old"));
        // Version 2 rewrites the file: 4 bytes of rtime, then a hole up to 8.
        img.extend(inode(
            3,
            2,
            S_IFREG | 0o600,
            8,
            0,
            4,
            2,
            &[b'r', 0, b'o', 0, b'o', 0, b't', 0],
        ));
        img.extend(inode(3, 3, S_IFREG | 0o600, 8, 4, 4, 1, &[]));
        // A file created, then deleted (an entry to inode 0, later version).
        img.extend(dirent(1, 3, 4, b"gone"));
        img.extend(inode(4, 1, S_IFREG | 0o644, 1, 0, 1, 0, b"x"));
        img.extend(dirent(1, 4, 0, b"gone"));
        // An obsolete node (the accurate bit cleared) and a node with a bad CRC.
        // (Its header CRC is of the header as written, before the bit was cleared.)
        let mut obs = inode(5, 1, S_IFREG, 1, 0, 1, 0, b"y");
        obs.extend(dirent(1, 5, 5, b"obsolete"));
        obs[2..4].copy_from_slice(&(INODE & !ACCURATE).to_le_bytes());
        img.extend(obs);
        let mut bad = dirent(1, 6, 3, b"bad");
        bad[40] ^= 1;
        img.extend(bad);
        img.resize(img.len() + 4096, 0xff);
        let fs = read(&img, B).unwrap();
        assert_eq!(file(&fs, "etc/passwd").unwrap(), b"root\0\0\0\0");
        let f = fs.files.iter().find(|f| f.path == "etc/passwd").unwrap();
        assert_eq!(f.mode, S_IFREG | 0o600);
        assert!(file(&fs, "gone").is_none());
        assert!(file(&fs, "bad").is_none());
        // The obsolete file's entry is current but its inode is not: not read.
        assert!(file(&fs, "obsolete").is_none());
        assert!(
            fs.notes
                .iter()
                .any(|(w, _)| w.starts_with("1 JFFS2 node(s) with a bad CRC")),
            "{:?}",
            fs.notes
        );
        assert_eq!(fs.size, img.len() - 4096);
        assert!(!fs.big_endian);
    }

    #[test]
    fn loops_dot_names_and_huge_sizes_give_notes() {
        let mut img = Vec::new();
        img.extend(dirent(1, 1, 2, b"a"));
        img.extend(inode(2, 1, S_IFDIR | 0o755, 0, 0, 0, 0, &[]));
        // a/self -> a, a/up -> the root, and names that would climb out.
        img.extend(dirent(2, 1, 2, b"self"));
        img.extend(dirent(2, 2, 1, b"up"));
        img.extend(dirent(2, 3, 3, b".."));
        img.extend(dirent(2, 4, 3, b"x/../../y"));
        img.extend(inode(1, 1, S_IFDIR | 0o755, 0, 0, 0, 0, &[]));
        img.extend(inode(3, 1, S_IFREG | 0o644, 1, 0, 1, 0, b"z"));
        // A node that claims 1 GiB of data, and a file that claims 4 GiB.
        img.extend(dirent(1, 2, 4, b"big"));
        img.extend(inode(4, 1, S_IFREG | 0o644, 10, 0, 1 << 30, 1, &[]));
        img.extend(dirent(1, 3, 5, b"huge"));
        img.extend(inode(5, 1, S_IFREG | 0o644, u32::MAX, 0, 0, 0, &[]));
        // lzo and lzma data are named.
        img.extend(dirent(1, 4, 6, b"lzo"));
        img.extend(inode(6, 1, S_IFREG | 0o644, 4, 0, 4, 7, b"\x01\x02"));
        let fs = read(&img, B).unwrap();
        let paths: Vec<&str> = fs.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["big", "lzo"], "{:?}", fs.notes);
        assert_eq!(file(&fs, "big").unwrap(), [0; 10]);
        let notes: Vec<String> = fs.notes.iter().map(|(w, a)| format!("{w} @ {a}")).collect();
        for want in [
            "reached twice (a loop or a hard link); read once @ a/self",
            "reached twice (a loop or a hard link); read once @ a/up",
            "compressed with a size above 64 KiB not read (left as zeros) @ big",
            "file larger than 1048576 bytes; not read @ huge",
            "1 JFFS2 node(s) compressed with lzo not read (left as zeros) @ lzo",
        ] {
            assert!(notes.iter().any(|n| n.contains(want)), "{want}: {notes:?}");
        }
    }

    #[test]
    fn decompression_work_and_file_counts_are_bounded() {
        // One 64 KiB file rewritten 100 times (zero-filled holes cost no input).
        let mut img = dirent(1, 1, 2, b"f");
        for v in 1..=100 {
            img.extend(inode(2, v, S_IFREG | 0o644, 64 << 10, 0, 64 << 10, 1, &[]));
        }
        let fs = read(&img, B).unwrap();
        assert!(fs.files.is_empty());
        assert!(
            fs.notes
                .iter()
                .any(|(w, _)| w.starts_with("decompression limit")),
            "{:?}",
            fs.notes
        );
        // More files than allowed.
        let mut img = Vec::new();
        for i in 0..20u32 {
            img.extend(dirent(1, i + 1, i + 2, format!("f{i:02}").as_bytes()));
            img.extend(inode(i + 2, 1, S_IFREG | 0o644, 1, 0, 1, 0, b"x"));
        }
        let fs = read(&img, Budget { files: 5, ..B }).unwrap();
        assert_eq!(fs.files.len(), 5);
        assert!(
            fs.notes
                .iter()
                .any(|(w, _)| w.starts_with("file limit (5)")),
            "{:?}",
            fs.notes
        );
        // Every truncation of the image reads without a panic.
        for n in 0..img.len() {
            let _ = read(&img[..n], B);
        }
    }

    #[test]
    fn not_jffs2_and_truncated_headers() {
        assert!(
            read(
                b"",
                Budget {
                    files: 10,
                    file_bytes: 1 << 20,
                    total_bytes: 1 << 20
                }
            )
            .is_err()
        );
        assert!(!is_jffs2(&[0x85, 0x19, 0x01, 0xe0, 0, 0, 0, 0]));
    }
}
