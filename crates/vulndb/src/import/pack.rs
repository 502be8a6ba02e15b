//! The raw OSV records are stored zstd-compressed (`advisories.raw` holds a
//! BLOB; databases written before hold TEXT, and both are read). Nothing
//! queries `raw`: it is kept so that a later riskmark can derive new
//! columns without a download, and compared when a record comes again with
//! the same `modified`.
//!
//! Records are compressed at level 1 with a dictionary trained on OSV
//! records (`data/osv-records.zstd-dict`, see `data/README.md`): a record of
//! about 2 KB shares most of its structure with every other, which a
//! dictionary gives the compressor up front. On records the dictionary was
//! not trained on (crates.io) it compresses 2.86x against 2.21x without, and
//! faster. Its id is in every frame; frames without one (written by an
//! earlier build) are read without it.

use rusqlite::types::ValueRef;

use crate::osv::Advisory;

/// zstd level: 1, the fastest of the normal levels (with the dictionary
/// it compresses better than level 3 without).
const LEVEL: i32 = 1;

/// The dictionary, and the id it carries (`zstd --train --dictID`).
const DICT: &[u8] = include_bytes!("../../data/osv-records.zstd-dict");
const DICT_ID: u32 = 1_330_013;

/// The most a stored record may inflate to (the largest entry an import
/// reads, see `inflate.rs`).
const MAX_RECORD: usize = 64 << 20;

/// A reusable compression context.
pub(crate) struct Packer(Option<zstd::bulk::Compressor<'static>>);

impl Packer {
    pub(crate) fn new() -> Self {
        Self(zstd::bulk::Compressor::with_dictionary(LEVEL, DICT).ok())
    }

    /// `raw` compressed; `None` if compressing failed (it is then stored as
    /// text).
    pub(crate) fn pack(&mut self, raw: &str) -> Option<Vec<u8>> {
        self.0.as_mut()?.compress(raw.as_bytes()).ok()
    }

    /// Compresses the raw record of each advisory.
    pub(crate) fn pack_all(&mut self, advisories: &mut [Advisory]) {
        for a in advisories {
            if a.raw_z.is_none() {
                a.raw_z = self.pack(&a.raw);
            }
        }
    }
}

/// Reusable decompression contexts, with and without the dictionary.
pub(crate) struct Unpacker {
    dict: Option<zstd::bulk::Decompressor<'static>>,
    plain: Option<zstd::bulk::Decompressor<'static>>,
}

impl Unpacker {
    pub(crate) fn new() -> Self {
        Self {
            dict: zstd::bulk::Decompressor::with_dictionary(DICT).ok(),
            plain: zstd::bulk::Decompressor::new().ok(),
        }
    }

    /// Whether a stored `raw` (text, or compressed) is the record `raw`.
    pub(crate) fn same(&mut self, stored: ValueRef<'_>, raw: &str) -> bool {
        match stored {
            ValueRef::Text(t) => t == raw.as_bytes(),
            ValueRef::Blob(b) => {
                let d = match zstd::zstd_safe::get_dict_id_from_frame(b) {
                    Some(id) if id.get() == DICT_ID => self.dict.as_mut(),
                    Some(_) => None,
                    None => self.plain.as_mut(),
                };
                d.and_then(|d| d.decompress(b, MAX_RECORD.max(raw.len())).ok())
                    .is_some_and(|d| d == raw.as_bytes())
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_records_compare_with_their_text() {
        let raw = r#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","details":"a a a a a a a a"}"#;
        let z = Packer::new().pack(raw).unwrap_or_default();
        assert!(!z.is_empty() && z.len() < raw.len());
        assert_eq!(
            zstd::zstd_safe::get_dict_id_from_frame(&z).map(|i| i.get()),
            Some(DICT_ID)
        );
        let mut u = Unpacker::new();
        assert!(u.same(ValueRef::Blob(&z), raw));
        assert!(!u.same(ValueRef::Blob(&z), "{}"));
        assert!(u.same(ValueRef::Text(raw.as_bytes()), raw));
        assert!(!u.same(ValueRef::Blob(b"not zstd"), raw));
        assert!(!u.same(ValueRef::Null, raw));
        // A frame of an earlier build: no dictionary.
        let old = zstd::bulk::compress(raw.as_bytes(), 3).unwrap_or_default();
        assert!(u.same(ValueRef::Blob(&old), raw));
        // The dictionary pays: a real record shrinks more than without it.
        let rec = include_str!("../../tests/fixtures/osv/crates.io/RUSTSEC-2021-0124.json");
        let with = Packer::new().pack(rec).unwrap_or_default().len();
        let without = zstd::bulk::compress(rec.as_bytes(), 3)
            .unwrap_or_default()
            .len();
        assert!(with < without, "{with} vs {without}");
    }
}
