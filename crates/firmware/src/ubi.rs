//! A UBI reader: the volumes of a UBI image (ubinize's output, or a NAND dump's UBI
//! partition), each as the bytes of its logical erase blocks in order.
//!
//! Every physical erase block (PEB) starts with an erase-counter header (`UBI#`, with
//! the offsets of the volume-id header and of the data); a used PEB has a volume-id
//! header (`UBI!`: volume, logical block number, sequence number, for static volumes the
//! data size). The PEB size is where the next erase-counter header sits. The layout
//! volume (id 0x7fffefff) names the volumes. A logical block written twice is read from
//! its latest copy (highest sequence number). Both headers' CRCs, and the layout
//! records', are checked.
//!
//! Bounded: a volume by the per-file limit, all volumes by the total limit; a volume is
//! read up to its first missing block (with a note), so a block numbered far out cannot
//! make a large volume out of a small image; blocks out of the volume's range are
//! skipped with a note.

use std::collections::BTreeMap;

use crate::jffs2::{Budget, crc32_le};

const EC_MAGIC: &[u8] = b"UBI#";
const VID_MAGIC: &[u8] = b"UBI!";
const HDR_SIZE: usize = 64;
/// The layout volume's id: the volume table.
const LAYOUT_VOL: u32 = 0x7fff_efff;
/// Volume table records: at most 128, 172 bytes each.
const MAX_VOLUMES: usize = 128;
const VTBL_RECORD: usize = 172;
/// The PEB sizes looked for: 4 KiB to 16 MiB, powers of two.
const PEB_SHIFTS: std::ops::RangeInclusive<u32> = 12..=24;

/// Why bytes are not a UBI image.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UbiError {
    /// No valid erase-counter header at the start.
    #[error("no UBI erase counter header at the start")]
    NoHeader,
    /// The header's offsets do not fit any erase block size.
    #[error("no erase block size fits: no second erase counter header")]
    NoPebSize,
}

/// A volume read out of the image.
#[derive(Debug)]
pub(crate) struct Volume {
    pub(crate) id: u32,
    /// Its name from the volume table, or `volume-ID` without one.
    pub(crate) name: String,
    /// Where its first logical block's data is in the image.
    pub(crate) offset: usize,
    pub(crate) data: Vec<u8>,
}

/// What the image holds.
#[derive(Debug, Default)]
pub(crate) struct Ubi {
    pub(crate) volumes: Vec<Volume>,
    /// (what, the volume's name or empty for the image).
    pub(crate) notes: Vec<(String, String)>,
    /// The bytes of its erase blocks (those with a header of this image).
    pub(crate) size: usize,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// UBI's CRC: the reflected CRC-32 seeded with all ones, not inverted at the end.
fn crc(b: &[u8]) -> u32 {
    crc32_le(0xffff_ffff, b)
}

/// An erase-counter header at `at`: (vid header offset, data offset, image sequence).
fn ec_header(b: &[u8], at: usize) -> Option<(usize, usize, u32)> {
    let h = b.get(at..at.checked_add(HDR_SIZE)?)?;
    if !h.starts_with(EC_MAGIC) || crc(&h[..60]) != be32(h, 60)? {
        return None;
    }
    Some((be32(h, 16)? as usize, be32(h, 20)? as usize, be32(h, 24)?))
}

/// Whether `b` starts with a UBI erase-counter header (CRC checked).
pub(crate) fn is_ubi(b: &[u8]) -> bool {
    ec_header(b, 0).is_some()
}

/// One volume-id header: the block it holds.
#[derive(Debug, Clone, Copy)]
struct Vid {
    dynamic: bool,
    vol_id: u32,
    lnum: u32,
    data_size: usize,
    used_ebs: u32,
    data_pad: usize,
    data_crc: u32,
    sqnum: u64,
    /// Where the block's data starts in the image.
    data: usize,
}

fn vid_header(b: &[u8], at: usize) -> Option<Vid> {
    let h = b.get(at..at.checked_add(HDR_SIZE)?)?;
    if !h.starts_with(VID_MAGIC) || crc(&h[..60]) != be32(h, 60)? {
        return None;
    }
    Some(Vid {
        dynamic: h[5] == 1,
        vol_id: be32(h, 8)?,
        lnum: be32(h, 12)?,
        data_size: be32(h, 20)? as usize,
        used_ebs: be32(h, 24)?,
        data_pad: be32(h, 28)? as usize,
        data_crc: be32(h, 32)?,
        sqnum: u64::from_be_bytes(h.get(40..48)?.try_into().ok()?),
        data: 0,
    })
}

/// A volume table record: (reserved PEBs, name).
fn vtbl_record(r: &[u8]) -> Option<(u32, String)> {
    if r.len() < VTBL_RECORD || crc(&r[..168]) != be32(r, 168)? {
        return None;
    }
    let reserved = be32(r, 0)?;
    let len = usize::from(u16::from_be_bytes([r[14], r[15]])).min(127);
    let name = String::from_utf8_lossy(&r[16..16 + len]).into_owned();
    (reserved > 0).then_some((reserved, name))
}

/// Reads the UBI image at the start of `b`.
pub(crate) fn read(b: &[u8], budget: Budget) -> Result<Ubi, UbiError> {
    let (vid_off, data_off, seq) = ec_header(b, 0).ok_or(UbiError::NoHeader)?;
    let hdrs_end = vid_off.max(HDR_SIZE).saturating_add(HDR_SIZE).max(data_off);
    // The PEB size: the first power of two past the headers where another erase
    // counter header of this image sits.
    let peb = PEB_SHIFTS
        .map(|s| 1usize << s)
        .filter(|p| *p > hdrs_end)
        .find(|p| ec_header(b, *p).is_some_and(|(v, d, s)| (v, d, s) == (vid_off, data_off, seq)))
        .ok_or(UbiError::NoPebSize)?;
    let mut out = Ubi::default();
    let leb = peb - data_off;
    // (volume, block) -> its latest copy.
    let mut blocks: BTreeMap<(u32, u32), Vid> = BTreeMap::new();
    let mut bad = 0usize;
    let mut at = 0usize;
    while at.saturating_add(peb) <= b.len() {
        match ec_header(b, at) {
            Some((v, d, s)) if (v, d, s) == (vid_off, data_off, seq) => {}
            // Another image, or not UBI: this one ends here.
            _ => break,
        }
        let vid = b.get(at + vid_off..at + vid_off + HDR_SIZE);
        if vid.is_some_and(|h| h.iter().all(|x| *x == 0xff)) {
            // A free block.
        } else if let Some(mut v) = vid_header(b, at + vid_off) {
            v.data = at + data_off;
            let e = blocks.entry((v.vol_id, v.lnum)).or_insert(v);
            if v.sqnum > e.sqnum {
                *e = v;
            }
        } else {
            bad += 1;
        }
        at += peb;
    }
    out.size = at;
    if bad > 0 {
        out.notes.push((
            format!("{bad} UBI erase block(s) with a bad volume header skipped"),
            String::new(),
        ));
    }
    // The volume table, from the layout volume's first good copy.
    let mut table: BTreeMap<u32, (u32, String)> = BTreeMap::new();
    let layout = (0..2u32).find_map(|l| {
        let v = blocks.get(&(LAYOUT_VOL, l))?;
        let t: BTreeMap<u32, (u32, String)> = (0..MAX_VOLUMES.min(leb / VTBL_RECORD))
            .filter_map(|i| {
                let r = b.get(v.data + i * VTBL_RECORD..v.data + (i + 1) * VTBL_RECORD)?;
                Some((i as u32, vtbl_record(r)?))
            })
            .collect();
        (!t.is_empty()).then_some(t)
    });
    match layout {
        Some(t) => table = t,
        None => out.notes.push((
            "UBI layout volume missing or damaged: volumes named by id".into(),
            String::new(),
        )),
    }
    let mut ids: Vec<u32> = blocks.keys().map(|(v, _)| *v).collect();
    ids.dedup();
    let mut total: u64 = 0;
    for id in ids.into_iter().filter(|id| *id != LAYOUT_VOL) {
        let (reserved, name) = match table.get(&id) {
            Some((r, n)) => (Some(*r), n.clone()),
            None if !table.is_empty() => {
                out.notes.push((
                    format!("UBI volume {id} is not in the volume table; not read"),
                    String::new(),
                ));
                continue;
            }
            None => (None, format!("volume-{id}")),
        };
        let Some(vol) = volume(b, &blocks, id, reserved, leb, &name, budget, &mut out.notes) else {
            continue;
        };
        total += vol.data.len() as u64;
        if total > budget.total_bytes {
            out.notes.push((
                format!("size limit ({} bytes) reached", budget.total_bytes),
                name,
            ));
            break;
        }
        out.volumes.push(vol);
    }
    Ok(out)
}

/// One volume's blocks in order, up to the first missing one.
#[allow(clippy::too_many_arguments)]
fn volume(
    b: &[u8],
    blocks: &BTreeMap<(u32, u32), Vid>,
    id: u32,
    reserved: Option<u32>,
    leb: usize,
    name: &str,
    budget: Budget,
    notes: &mut Vec<(String, String)>,
) -> Option<Volume> {
    let mut data = Vec::new();
    let mut next = 0u32;
    let mut offset = None;
    let mut out_of_range = 0usize;
    let mut gap = None;
    for (_, v) in blocks.range((id, 0)..=(id, u32::MAX)) {
        let limit = if v.dynamic {
            reserved.unwrap_or(u32::MAX)
        } else {
            v.used_ebs.min(reserved.unwrap_or(u32::MAX))
        };
        if v.lnum >= limit {
            out_of_range += 1;
            continue;
        }
        if gap.is_some() {
            continue;
        }
        if v.lnum != next {
            gap = Some(next);
            continue;
        }
        let len = if v.dynamic {
            leb.saturating_sub(v.data_pad)
        } else {
            v.data_size.min(leb)
        };
        let Some(bytes) = b.get(v.data..v.data + len) else {
            gap = Some(next);
            continue;
        };
        if !v.dynamic && crc(bytes) != v.data_crc {
            notes.push((
                format!("UBI static volume block {} has a bad data CRC", v.lnum),
                name.to_owned(),
            ));
        }
        if (data.len() + len) as u64 > budget.file_bytes {
            notes.push((
                format!(
                    "UBI volume larger than {} bytes; not read",
                    budget.file_bytes
                ),
                name.to_owned(),
            ));
            return None;
        }
        offset.get_or_insert(v.data);
        data.extend_from_slice(bytes);
        next += 1;
    }
    if out_of_range > 0 {
        notes.push((
            format!("{out_of_range} UBI block(s) numbered past the volume's size skipped"),
            name.to_owned(),
        ));
    }
    if let Some(g) = gap {
        notes.push((
            format!("UBI volume block {g} missing; read up to it"),
            name.to_owned(),
        ));
    }
    Some(Volume {
        id,
        name: name.to_owned(),
        offset: offset?,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: Budget = Budget {
        files: 100,
        file_bytes: 1 << 20,
        total_bytes: 1 << 20,
    };
    const PEB: usize = 4096;

    /// An erase block: EC header at 0, VID header at 64, data from 128.
    fn block(vid: Option<(u32, u32, u64)>, data: &[u8]) -> Vec<u8> {
        let mut p = vec![0xffu8; PEB];
        let mut ec = [0u8; 64];
        ec[..4].copy_from_slice(EC_MAGIC);
        ec[4] = 1;
        ec[16..20].copy_from_slice(&64u32.to_be_bytes());
        ec[20..24].copy_from_slice(&128u32.to_be_bytes());
        ec[24..28].copy_from_slice(&7u32.to_be_bytes());
        let c = crc(&ec[..60]);
        ec[60..].copy_from_slice(&c.to_be_bytes());
        p[..64].copy_from_slice(&ec);
        if let Some((vol, lnum, sqnum)) = vid {
            let mut h = [0u8; 64];
            h[..4].copy_from_slice(VID_MAGIC);
            h[4] = 1;
            h[5] = 1;
            h[8..12].copy_from_slice(&vol.to_be_bytes());
            h[12..16].copy_from_slice(&lnum.to_be_bytes());
            h[40..48].copy_from_slice(&sqnum.to_be_bytes());
            let c = crc(&h[..60]);
            h[60..].copy_from_slice(&c.to_be_bytes());
            p[64..128].copy_from_slice(&h);
        }
        p[128..128 + data.len()].copy_from_slice(data);
        p
    }

    fn table(vols: &[(u32, &str)]) -> Vec<u8> {
        let mut t = Vec::new();
        for i in 0..(PEB - 128) / VTBL_RECORD {
            let mut r = [0u8; VTBL_RECORD];
            if let Some((reserved, name)) = vols.get(i) {
                r[..4].copy_from_slice(&reserved.to_be_bytes());
                r[12] = 1;
                r[14..16].copy_from_slice(&(name.len() as u16).to_be_bytes());
                r[16..16 + name.len()].copy_from_slice(name.as_bytes());
            }
            let c = crc(&r[..168]);
            r[168..].copy_from_slice(&c.to_be_bytes());
            t.extend_from_slice(&r);
        }
        t
    }

    #[test]
    fn volumes_latest_copies_gaps_and_ranges() {
        let mut img = Vec::new();
        img.extend(block(
            Some((LAYOUT_VOL, 0, 1)),
            &table(&[(4, "../root"), (3, "x")]),
        ));
        img.extend(block(Some((0, 0, 2)), b"A-old"));
        img.extend(block(Some((0, 1, 3)), b"B"));
        img.extend(block(Some((0, 0, 4)), b"A-new"));
        // Far out of range (4 reserved), then a gap in volume 1 (block 1 missing).
        img.extend(block(Some((0, 0x00ff_ffff, 5)), b"Z"));
        img.extend(block(Some((1, 0, 6)), b"x0"));
        img.extend(block(Some((1, 2, 7)), b"x2"));
        // A volume the table does not have, and a free block.
        img.extend(block(Some((9, 0, 8)), b"?"));
        img.extend(block(None, b""));
        let u = read(&img, B).unwrap();
        assert_eq!(u.size, img.len());
        let leb = PEB - 128;
        let v0 = &u.volumes[0];
        assert_eq!(
            (v0.id, v0.name.as_str(), v0.data.len()),
            (0, "../root", 2 * leb)
        );
        assert!(v0.data.starts_with(b"A-new") && v0.data[leb..].starts_with(b"B"));
        assert_eq!(v0.offset, 3 * PEB + 128);
        let v1 = &u.volumes[1];
        assert_eq!((v1.name.as_str(), v1.data.len()), ("x", leb));
        assert_eq!(u.volumes.len(), 2);
        let notes: Vec<String> = u.notes.iter().map(|(w, a)| format!("{w} @ {a}")).collect();
        for want in [
            "1 UBI block(s) numbered past the volume's size skipped @ ../root",
            "UBI volume block 1 missing; read up to it @ x",
            "UBI volume 9 is not in the volume table; not read @ ",
        ] {
            assert!(notes.iter().any(|n| n == want), "{want}: {notes:?}");
        }
        // Limits: a volume above the per-file limit; all volumes above the total.
        let u = read(
            &img,
            Budget {
                file_bytes: leb as u64,
                ..B
            },
        )
        .unwrap();
        assert!(u.volumes.iter().all(|v| v.id != 0), "{:?}", u.notes);
        let u = read(
            &img,
            Budget {
                total_bytes: 2 * leb as u64,
                ..B
            },
        )
        .unwrap();
        assert_eq!(u.volumes.len(), 1, "{:?}", u.notes);
        // Every cut of the image reads or is refused, never panics.
        for n in (0..img.len()).step_by(61) {
            let _ = read(&img[..n], B);
        }
    }

    #[test]
    fn without_a_layout_volume_or_a_second_block() {
        let mut img = block(Some((3, 0, 1)), b"data");
        assert!(matches!(read(&img, B), Err(UbiError::NoPebSize)));
        img.extend(block(None, b""));
        let u = read(&img, B).unwrap();
        assert_eq!(u.volumes[0].name, "volume-3");
        assert!(u.notes[0].0.starts_with("UBI layout volume missing"));
        assert!(matches!(read(&img[1..], B), Err(UbiError::NoHeader)));
        assert!(!is_ubi(b"UBI#"));
    }
}
