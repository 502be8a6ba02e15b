//! How rows are packed: many rows a statement, documents compressed and addressed by
//! their SHA-256, package sets named by the hash of their keys.

use riskmark_vulndb::PackageKey;

use super::sql::{Arg, Conn, Fail};
use crate::Error;

/// `INSERT INTO {table} VALUES (...), (...) ON CONFLICT DO NOTHING` in chunks: one round
/// trip per hundred rows instead of one per row (a submission writes hundreds).
pub(super) fn insert_many<const N: usize>(
    tx: &mut dyn Conn,
    table: &str,
    rows: &[[Arg<'_>; N]],
) -> Result<(), Fail> {
    for chunk in rows.chunks(100) {
        let mut sql = format!("INSERT INTO {table} VALUES ");
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 0..N {
                n += 1;
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT DO NOTHING");
        let args: Vec<Arg<'_>> = chunk.iter().flat_map(|r| r.iter().copied()).collect();
        tx.execute(&sql, &args)?;
    }
    Ok(())
}

/// zstd at level 3: about 10x on assessments, at hundreds of MB/s.
pub(super) fn pack(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    zstd::bulk::compress(bytes, 3).map_err(|e| Error::Internal(format!("compressing: {e}")))
}

pub(super) fn unpack(data: &[u8]) -> Result<Vec<u8>, Fail> {
    zstd::decode_all(data)
        .map_err(|e| Fail::Error(Error::Storage(format!("a stored document: {e}"))))
}

pub(super) fn unpack_text(data: &[u8]) -> Result<String, Fail> {
    String::from_utf8(unpack(data)?)
        .map_err(|e| Fail::Error(Error::Storage(format!("a stored assessment: {e}"))))
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The id of a set of packages: the SHA-256 of its sorted keys; `None` for no packages.
pub(super) fn package_set(packages: &[(PackageKey, u64)]) -> Option<String> {
    if packages.is_empty() {
        return None;
    }
    let mut keys: Vec<String> = packages
        .iter()
        .map(|(k, _)| format!("{}\u{0}{}", k.ecosystem, k.name))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    Some(sha256_hex(keys.join("\n").as_bytes()))
}
