//! The raw OSV records are stored zstd-compressed (`advisories.raw` holds a
//! BLOB; databases written before hold TEXT, and both are read). Nothing
//! queries `raw`: it is kept so that a later riskmark can derive new
//! columns without a download, and compared when a record comes again with
//! the same `modified`.

use rusqlite::types::ValueRef;

use crate::osv::Advisory;

/// zstd level: 3, zstd's default.
const LEVEL: i32 = 3;

/// The most a stored record may inflate to (the largest entry an import
/// reads, see `inflate.rs`).
const MAX_RECORD: usize = 64 << 20;

/// A reusable compression context.
pub(crate) struct Packer(Option<zstd::bulk::Compressor<'static>>);

impl Packer {
    pub(crate) fn new() -> Self {
        Self(zstd::bulk::Compressor::new(LEVEL).ok())
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

/// Whether a stored `raw` (text, or compressed) is the record `raw`.
pub(crate) fn same(stored: ValueRef<'_>, raw: &str) -> bool {
    match stored {
        ValueRef::Text(t) => t == raw.as_bytes(),
        ValueRef::Blob(b) => {
            zstd::bulk::decompress(b, MAX_RECORD.max(raw.len())).is_ok_and(|d| d == raw.as_bytes())
        }
        _ => false,
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
        assert!(same(ValueRef::Blob(&z), raw));
        assert!(!same(ValueRef::Blob(&z), "{}"));
        assert!(same(ValueRef::Text(raw.as_bytes()), raw));
        assert!(!same(ValueRef::Blob(b"not zstd"), raw));
        assert!(!same(ValueRef::Null, raw));
    }
}
