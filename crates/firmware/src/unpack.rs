//! Unpacking an image into the files it holds, recursively: squashfs v4 (backhand), cpio
//! newc, tar, gzip, xz, zstd, uImage headers, JFFS2 ([`crate::jffs2`]), UBI volumes
//! ([`crate::ubi`]), and filesystems carved at an offset of a
//! flash layout (found by signature, kept only when their structure opens). Formats that
//! are recognised but not opened are reported by name and offset, never skipped in
//! silence. Everything stays in memory, bounded by [`Limits`]; paths are normalized and
//! cannot escape the image's root.

use std::io::{Cursor, Read};

use crate::{Container, Limits};

/// One file of the image, with its path inside the image.
#[derive(Debug, Clone)]
pub struct File {
    /// The path from the image's root (`squashfs@0x80000/etc/shadow`).
    pub path: String,
    /// The contents (a symlink has none).
    pub data: Vec<u8>,
    /// Unix mode bits, when the container keeps them.
    pub mode: Option<u32>,
    /// Owner uid, when kept.
    pub uid: Option<u32>,
    /// A container that was opened: its files are read, not it.
    pub container: bool,
}

/// What unpacking found.
#[derive(Debug, Default)]
pub(crate) struct Unpacked {
    pub(crate) files: Vec<File>,
    pub(crate) containers: Vec<Container>,
    /// Containers recognised but not opened, or limits reached: (what, where).
    pub(crate) notes: Vec<(String, String)>,
    total: u64,
}

const SQUASHFS_LE: &[u8] = b"hsqs";
const GZIP: &[u8] = &[0x1f, 0x8b, 0x08];
const XZ: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];
const ZSTD: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const UIMAGE: &[u8] = &[0x27, 0x05, 0x19, 0x56];
const CPIO_NEWC: &[u8] = b"070701";
const CPIO_CRC: &[u8] = b"070702";
/// Recognised, not opened (no reader here): name, magic, where it must sit.
const KNOWN: &[(&str, &[u8])] = &[
    ("bzip2", b"BZh91AY&SY"),
    ("squashfs (big-endian, v3 or older)", b"sqsh"),
];

/// Unpacks `bytes` (named `name`) into its files.
pub(crate) fn unpack(bytes: &[u8], name: &str, limits: &Limits) -> Unpacked {
    let mut out = Unpacked::default();
    open(bytes, name, 0, limits, &mut out, true);
    out
}

fn note(out: &mut Unpacked, what: impl Into<String>, at: impl Into<String>) {
    out.notes.push((what.into(), at.into()));
}

fn container(out: &mut Unpacked, format: &str, path: &str, offset: usize, size: usize) {
    out.containers.push(Container {
        format: format.to_owned(),
        path: path.to_owned(),
        offset: offset as u64,
        size: size as u64,
    });
}

/// Adds a file, unpacking it further when it is a container.
fn add(out: &mut Unpacked, limits: &Limits, depth: usize, f: File) {
    if out.files.len() >= limits.max_files {
        if !out.notes.iter().any(|(w, _)| w.starts_with("file limit")) {
            note(
                out,
                format!(
                    "file limit ({}) reached; the rest is not read",
                    limits.max_files
                ),
                f.path,
            );
        }
        return;
    }
    out.total += f.data.len() as u64;
    if out.total > limits.max_total_bytes {
        note(
            out,
            format!("size limit ({} bytes) reached", limits.max_total_bytes),
            f.path,
        );
        return;
    }
    // A compressed or archived file inside the image is opened in turn (a root
    // filesystem in a cpio.gz, a package in a tar); not its carved insides.
    if depth < limits.max_depth && is_container(&f.data) {
        let path = f.path.clone();
        let data = f.data.clone();
        out.files.push(File {
            container: true,
            ..f
        });
        open(&data, &path, depth + 1, limits, out, false);
    } else {
        out.files.push(f);
    }
}

fn is_container(b: &[u8]) -> bool {
    [SQUASHFS_LE, GZIP, XZ, ZSTD, UIMAGE, CPIO_NEWC, CPIO_CRC]
        .iter()
        .any(|m| b.starts_with(m))
        || is_tar(b)
        || crate::jffs2::is_jffs2(b)
        || crate::ubi::is_ubi(b)
}

/// A UBIFS node's magic (0x06101831, little-endian): the start of a UBIFS volume.
const UBIFS: &[u8] = &[0x31, 0x18, 0x10, 0x06];

fn is_tar(b: &[u8]) -> bool {
    b.len() >= 512 && &b[257..262] == b"ustar"
}

/// Opens a container at the start of `b`; with `carve`, also looks for filesystems at
/// other offsets (a raw flash image).
fn open(b: &[u8], path: &str, depth: usize, limits: &Limits, out: &mut Unpacked, carve: bool) {
    if depth > limits.max_depth {
        note(
            out,
            format!("depth limit ({}) reached", limits.max_depth),
            path,
        );
        return;
    }
    let before = out.containers.len();
    if b.starts_with(SQUASHFS_LE) && squashfs(b, 0, path, depth, limits, out) {
        // A flash dump may go on after its root filesystem (an overlay, a config
        // partition): look past the squashfs's own bytes (its container was pushed
        // first, before those found inside it).
        let used = out.containers.get(before).map_or(0, |c| c.size as usize);
        if carve && used > 0 && used < b.len() {
            carve_all(b, (used + 3) & !3, path, depth, limits, out);
        }
        return;
    }
    // A compressed stream: its content, decompressed within the limits, is the one file
    // inside (`<path>:gunzip`, `:unxz`, `:unzstd`).
    let stream: Option<(&str, &str, Box<dyn Read + '_>)> = if b.starts_with(GZIP) {
        Some((
            "gzip",
            "gunzip",
            Box::new(flate2::read::MultiGzDecoder::new(b)),
        ))
    } else if b.starts_with(XZ) {
        Some((
            "xz",
            "unxz",
            Box::new(liblzma::read::XzDecoder::new_multi_decoder(b)),
        ))
    } else if b.starts_with(ZSTD) {
        zstd::stream::read::Decoder::new(b)
            .ok()
            .map(|d| ("zstd", "unzstd", Box::new(d) as Box<dyn Read>))
    } else {
        None
    };
    if let Some((kind, suffix, mut d)) = stream
        && let Some(data) = inflate(&mut d, limits, out, path, kind)
    {
        container(out, kind, path, 0, b.len());
        add(
            out,
            limits,
            depth + 1,
            File {
                path: format!("{path}:{suffix}"),
                data,
                mode: None,
                uid: None,
                container: false,
            },
        );
        return;
    }
    if b.starts_with(CPIO_NEWC) || b.starts_with(CPIO_CRC) {
        cpio(b, path, depth, limits, out);
        return;
    }
    if is_tar(b) {
        tar(b, path, depth, limits, out);
        return;
    }
    if crate::jffs2::is_jffs2(b)
        && let Some(used) = jffs2(b, 0, path, depth, limits, out)
    {
        if carve && used < b.len() {
            carve_all(b, (used + 3) & !3, path, depth, limits, out);
        }
        return;
    }
    if crate::ubi::is_ubi(b)
        && let Some(used) = ubi(b, 0, path, depth, limits, out)
    {
        if carve && used < b.len() {
            carve_all(b, used, path, depth, limits, out);
        }
        return;
    }
    // Where carving starts: past a uImage (its payload was just read; carving it again
    // would list it twice).
    let mut from = 4;
    if b.starts_with(UIMAGE) && b.len() >= 64 {
        uimage(b, path, depth, limits, out);
        if !carve {
            return;
        }
        let size = u32::from_be_bytes([b[12], b[13], b[14], b[15]]) as usize;
        from = 64usize.saturating_add(size).min(b.len()).saturating_add(3) & !3;
    }
    if carve {
        // A format recognised but not opened, at the very start (a bare jffs2 or UBI
        // image); carving below names those further in.
        for (name, magic) in KNOWN {
            if magic.len() >= 4 && b.starts_with(magic) {
                note(
                    out,
                    format!("{name} found, not opened (no reader here)"),
                    format!("{path}@0x0"),
                );
                break;
            }
        }
        carve_all(b, from, path, depth, limits, out);
    }
}

/// Decompresses at most the per-file limit.
fn inflate(
    r: &mut dyn Read,
    limits: &Limits,
    out: &mut Unpacked,
    path: &str,
    what: &str,
) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    match r.take(limits.max_file_bytes + 1).read_to_end(&mut data) {
        Ok(_) if data.len() as u64 > limits.max_file_bytes => {
            note(
                out,
                format!(
                    "{what} stream larger than {} bytes once decompressed; not read",
                    limits.max_file_bytes
                ),
                path,
            );
            None
        }
        Ok(_) => Some(data),
        Err(e) => {
            note(out, format!("{what} stream does not decompress: {e}"), path);
            None
        }
    }
}

/// A path inside a container, normalized: no `..`, no leading `/`, no empty parts.
pub fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for s in p.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn squashfs(
    b: &[u8],
    offset: usize,
    path: &str,
    depth: usize,
    limits: &Limits,
    out: &mut Unpacked,
) -> bool {
    let Ok(fs) = backhand::FilesystemReader::from_reader_with_offset(Cursor::new(b), offset as u64)
    else {
        return false;
    };
    // The superblock's `bytes_used` (offset 40, little-endian).
    let size = b
        .get(offset + 40..offset + 48)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map_or(0, |s| usize::try_from(u64::from_le_bytes(s)).unwrap_or(0));
    let root = format!("{path}@squashfs:0x{offset:x}");
    container(out, "squashfs", path, offset, size);
    for node in fs.files() {
        let p = clean(&node.fullpath.to_string_lossy());
        if p.is_empty() {
            continue;
        }
        // Squashfs keeps the permission bits; the node kind gives the type bits.
        let kind = match &node.inner {
            backhand::InnerNode::Symlink(_) => 0o120_000,
            _ => 0o100_000,
        };
        let mode = Some(kind | u32::from(node.header.permissions));
        let uid = Some(node.header.uid);
        let data = match &node.inner {
            backhand::InnerNode::File(f) => {
                if f.file_len() as u64 > limits.max_file_bytes {
                    note(
                        out,
                        format!("file larger than {} bytes; not read", limits.max_file_bytes),
                        format!("{root}/{p}"),
                    );
                    continue;
                }
                let mut data = Vec::with_capacity(f.file_len());
                if let Err(e) = fs.file(f).reader().read_to_end(&mut data) {
                    note(
                        out,
                        format!("file does not read: {e}"),
                        format!("{root}/{p}"),
                    );
                    continue;
                }
                data
            }
            backhand::InnerNode::Symlink(s) => s.link.to_string_lossy().into_owned().into_bytes(),
            _ => continue,
        };
        add(
            out,
            limits,
            depth,
            File {
                path: format!("{root}/{p}"),
                data,
                mode,
                uid,
                container: false,
            },
        );
    }
    true
}

/// What is left of the limits for a reader that returns its files at once.
fn budget(out: &Unpacked, limits: &Limits) -> crate::jffs2::Budget {
    crate::jffs2::Budget {
        files: limits.max_files.saturating_sub(out.files.len()),
        file_bytes: limits.max_file_bytes,
        total_bytes: limits.max_total_bytes.saturating_sub(out.total),
    }
}

/// A JFFS2 image at `offset`: its files, and how many bytes it spans.
fn jffs2(
    b: &[u8],
    offset: usize,
    path: &str,
    depth: usize,
    limits: &Limits,
    out: &mut Unpacked,
) -> Option<usize> {
    let fs = crate::jffs2::read(b.get(offset..)?, budget(out, limits)).ok()?;
    let root = format!("{path}@jffs2:0x{offset:x}");
    let format = if fs.big_endian {
        "jffs2 (big-endian)"
    } else {
        "jffs2"
    };
    container(out, format, path, offset, fs.size);
    for (what, at) in fs.notes {
        let at = if at.is_empty() {
            root.clone()
        } else {
            format!("{root}/{}", clean(&at))
        };
        note(out, what, at);
    }
    for f in fs.files {
        add(
            out,
            limits,
            depth,
            File {
                path: format!("{root}/{}", clean(&f.path)),
                data: f.data,
                mode: Some(f.mode),
                uid: Some(f.uid),
                container: false,
            },
        );
    }
    Some(fs.size)
}

/// A UBI image at `offset`: each volume opened in turn (a squashfs root), a UBIFS
/// volume named; how many bytes its erase blocks span.
fn ubi(
    b: &[u8],
    offset: usize,
    path: &str,
    depth: usize,
    limits: &Limits,
    out: &mut Unpacked,
) -> Option<usize> {
    let image = match crate::ubi::read(b.get(offset..)?, budget(out, limits)) {
        Ok(i) => i,
        Err(e) => {
            // Named once per image, not at each of its erase blocks.
            if !out.notes.iter().any(|(w, _)| w.starts_with("ubi found")) {
                note(
                    out,
                    format!("ubi found, not read: {e}"),
                    format!("{path}@0x{offset:x}"),
                );
            }
            return None;
        }
    };
    let root = format!("{path}@ubi:0x{offset:x}");
    container(out, "ubi", path, offset, image.size);
    for (what, at) in image.notes {
        let at = if at.is_empty() {
            root.clone()
        } else {
            format!("{root}/{}", clean(&at))
        };
        note(out, what, at);
    }
    for v in image.volumes {
        let name = clean(&v.name);
        let name = if name.is_empty() {
            format!("volume-{}", v.id)
        } else {
            name
        };
        if v.data.starts_with(UBIFS) {
            note(
                out,
                format!(
                    "ubifs in UBI volume `{name}` ({} bytes), not opened (no reader here)",
                    v.data.len()
                ),
                format!("{path}@0x{:x}", offset + v.offset),
            );
            continue;
        }
        add(
            out,
            limits,
            depth,
            File {
                path: format!("{root}/{name}"),
                data: v.data,
                mode: None,
                uid: None,
                container: false,
            },
        );
    }
    Some(image.size)
}

fn hex(b: &[u8]) -> Option<usize> {
    usize::from_str_radix(std::str::from_utf8(b).ok()?, 16).ok()
}

/// cpio "newc" (and "crc"): 110-byte ASCII headers, names and data padded to 4 bytes.
fn cpio(b: &[u8], path: &str, depth: usize, limits: &Limits, out: &mut Unpacked) {
    let mut at = 0usize;
    let root = format!("{path}@cpio");
    loop {
        let Some(h) = b.get(at..at + 110) else {
            note(out, "cpio archive ends without its trailer", &root);
            break;
        };
        if !(h.starts_with(CPIO_NEWC) || h.starts_with(CPIO_CRC)) {
            note(out, format!("cpio header expected at byte {at}"), &root);
            break;
        }
        let (Some(mode), Some(uid), Some(filesize), Some(namesize)) = (
            hex(&h[14..22]),
            hex(&h[22..30]),
            hex(&h[54..62]),
            hex(&h[94..102]),
        ) else {
            note(
                out,
                format!("cpio header at byte {at} is not hexadecimal"),
                &root,
            );
            break;
        };
        let name_start = at + 110;
        let Some(name) = b.get(name_start..name_start + namesize.saturating_sub(1)) else {
            note(out, "cpio archive truncated in a name", &root);
            break;
        };
        let name = String::from_utf8_lossy(name).into_owned();
        let data_start = (name_start + namesize + 3) & !3;
        let Some(data) = b.get(data_start..data_start.saturating_add(filesize)) else {
            note(out, format!("cpio archive truncated in `{name}`"), &root);
            break;
        };
        if name == "TRAILER!!!" {
            container(out, "cpio", path, 0, data_start);
            break;
        }
        let kind = mode & 0o170_000;
        if (kind == 0o100_000 || kind == 0o120_000) && filesize as u64 <= limits.max_file_bytes {
            let p = clean(&name);
            add(
                out,
                limits,
                depth,
                File {
                    path: format!("{root}/{p}"),
                    data: data.to_vec(),
                    mode: Some(mode as u32),
                    uid: Some(uid as u32),
                    container: false,
                },
            );
        }
        at = (data_start + filesize + 3) & !3;
    }
}

fn tar(b: &[u8], path: &str, depth: usize, limits: &Limits, out: &mut Unpacked) {
    let root = format!("{path}@tar");
    let mut ar = tar::Archive::new(Cursor::new(b));
    let Ok(entries) = ar.entries() else {
        note(out, "tar archive does not read", &root);
        return;
    };
    container(out, "tar", path, 0, b.len());
    for e in entries {
        let Ok(mut e) = e else {
            note(out, "tar entry does not read", &root);
            break;
        };
        let Ok(p) = e.path().map(|p| clean(&p.to_string_lossy())) else {
            continue;
        };
        let t = e.header().entry_type();
        // tar keeps the permission bits only; the type comes from the entry type (as in
        // cpio and squashfs, so the checks on modes see a regular file as one).
        let kind = if t.is_symlink() { 0o120_000 } else { 0o100_000 };
        let mode = e.header().mode().ok().map(|m| (m & 0o7777) | kind);
        let uid = e.header().uid().ok().map(|u| u as u32);
        let data = if t.is_file() {
            if e.size() > limits.max_file_bytes {
                note(out, "tar entry too large; not read", format!("{root}/{p}"));
                continue;
            }
            let mut d = Vec::new();
            if e.read_to_end(&mut d).is_err() {
                continue;
            }
            d
        } else if t.is_symlink() {
            e.link_name()
                .ok()
                .flatten()
                .map(|l| l.to_string_lossy().into_owned().into_bytes())
                .unwrap_or_default()
        } else {
            continue;
        };
        add(
            out,
            limits,
            depth,
            File {
                path: format!("{root}/{p}"),
                data,
                mode,
                uid,
                container: false,
            },
        );
    }
}

/// A U-Boot legacy image: a 64-byte header (magic, sizes, OS, architecture, name), then
/// the payload (a kernel, often compressed, or a filesystem).
fn uimage(b: &[u8], path: &str, depth: usize, limits: &Limits, out: &mut Unpacked) {
    let size = u32::from_be_bytes([b[12], b[13], b[14], b[15]]) as usize;
    let name_end = b[32..64].iter().position(|c| *c == 0).unwrap_or(32);
    let name = String::from_utf8_lossy(&b[32..32 + name_end]).into_owned();
    container(out, &format!("uimage ({name})"), path, 0, 64 + size);
    let Some(payload) = b.get(64..64 + size) else {
        note(out, "uImage payload extends past the end of the file", path);
        return;
    };
    let sub = format!("{path}@uimage");
    add(
        out,
        limits,
        depth,
        File {
            path: sub,
            data: payload.to_vec(),
            mode: None,
            uid: None,
            container: false,
        },
    );
}

/// Looks for filesystems and archives at every 4-byte-aligned offset past the start (a
/// flash layout: boot loader, kernel, root filesystem, configuration); keeps those whose
/// structure opens, and names the ones recognised but not opened.
fn carve_all(b: &[u8], from: usize, path: &str, depth: usize, limits: &Limits, out: &mut Unpacked) {
    let mut at = from.max(4);
    while at + 8 <= b.len() {
        let rest = &b[at..];
        let before = out.containers.len();
        if rest.starts_with(SQUASHFS_LE) && squashfs(b, at, path, depth + 1, limits, out) {
            let used = out
                .containers
                .get(before)
                .map_or(4, |c| c.size as usize)
                .max(4);
            at = (at + used + 3) & !3;
            continue;
        }
        if rest.starts_with(CPIO_NEWC) {
            let sub = format!("{path}@0x{at:x}");
            cpio(rest, &sub, depth + 1, limits, out);
            // The archive's container comes after those of the files in it.
            if let Some(c) = out.containers[before..]
                .iter()
                .find(|c| c.format == "cpio" && c.path == sub)
            {
                let used = (c.size as usize).max(4);
                at = (at + used + 3) & !3;
                continue;
            }
        }
        if crate::jffs2::is_jffs2(rest)
            && let Some(used) = jffs2(b, at, path, depth + 1, limits, out)
        {
            at = (at + used.max(4) + 3) & !3;
            continue;
        }
        if crate::ubi::is_ubi(rest)
            && let Some(used) = ubi(b, at, path, depth + 1, limits, out)
        {
            at = (at + used.max(4) + 3) & !3;
            continue;
        }
        if rest.starts_with(GZIP) && rest.len() > 10 && rest[3] & 0xe0 == 0 {
            let mut d = flate2::read::GzDecoder::new(rest);
            let mut head = [0u8; 512];
            if d.read(&mut head).is_ok_and(|n| n > 0) {
                let mut d = flate2::read::GzDecoder::new(rest);
                if let Some(data) = inflate(&mut d, limits, out, path, "gzip") {
                    container(out, "gzip", path, at, 0);
                    add(
                        out,
                        limits,
                        depth + 1,
                        File {
                            path: format!("{path}@0x{at:x}:gunzip"),
                            data,
                            mode: None,
                            uid: None,
                            container: false,
                        },
                    );
                }
            }
        }
        for (name, magic) in KNOWN {
            if magic.len() >= 4
                && rest.starts_with(magic)
                && !out.notes.iter().any(|(w, _)| w.contains(name))
            {
                note(
                    out,
                    format!("{name} found, not opened (no reader here)"),
                    format!("{path}@0x{at:x}"),
                );
            }
        }
        at += 4;
    }
}
