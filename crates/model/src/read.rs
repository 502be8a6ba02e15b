//! Reading input files whole, with a bound: a regular file by its size before it is
//! read, a stream (a pipe, a device) once the bound is passed, a text format at its first
//! binary data.

use std::io::Read;
use std::path::Path;

use crate::load::{LoadError, MAX_PROFILE_BYTES, whole_file};

/// Reads a small input file (a profile or a policy), refusing files over
/// [`MAX_PROFILE_BYTES`] before reading them whole.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, LoadError> {
    read_bounded(path, MAX_PROFILE_BYTES, None, |n| {
        let n = n.map_or_else(
            || format!("more than {MAX_PROFILE_BYTES}"),
            |n| n.to_string(),
        );
        format!(
            "file is {n} bytes; input files larger than {MAX_PROFILE_BYTES} bytes are refused (a profile is a few kilobytes)"
        )
    })
}

/// Reads an input file whole, refusing one over `max` bytes: a regular file by its size,
/// before anything is read; anything else (a pipe, a device such as `/dev/zero`) once
/// `max` bytes have been read, so memory stays bounded either way. `what` names the kind
/// of input in the message ("an SBOM").
pub fn read_capped(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, LoadError> {
    read_bounded(path, max, None, |n| too_large(n, max, what))
}

/// [`read_capped`] for a text format (an SBOM, a VEX document): binary data in the first
/// 64 KiB ([`binary_at`]) ends the read at once with an error naming its offset, so that
/// a binary file or a device is refused without reading up to `max`.
pub fn read_capped_text(path: &Path, max: u64, what: &str) -> Result<Vec<u8>, LoadError> {
    read_bounded(path, max, Some(what), |n| too_large(n, max, what))
}

/// Where the first 64 KiB hold a zero 16-bit unit (two zero bytes at an even offset):
/// no text has one, in UTF-8 or in UTF-16 (which the SBOM readers also take, and whose
/// ASCII characters have single zero bytes), while binary data and `/dev/zero` do.
pub fn binary_at(bytes: &[u8]) -> Option<usize> {
    bytes[..bytes.len().min(SNIFF_BYTES)]
        .chunks_exact(2)
        .position(|u| u == [0, 0])
        .map(|i| 2 * i)
}

/// The message for a text input with zero bytes at `at`.
pub fn binary_message(at: usize, what: &str) -> String {
    format!("binary data (zero bytes at offset {at}): {what} is text")
}

const SNIFF_BYTES: usize = 64 << 10;

/// The message for an input over its limit of `max` bytes: `n` is its size when known
/// (`None`: a stream that went past the limit); `what` names the kind ("an SBOM").
pub fn too_large(n: Option<u64>, max: u64, what: &str) -> String {
    let n = n.map_or_else(|| format!("more than {max}"), |n| n.to_string());
    format!(
        "file is {n} bytes; {what} larger than {max} bytes ({}) is refused",
        human_bytes(max)
    )
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

fn read_bounded(
    path: &Path,
    max: u64,
    text: Option<&str>,
    message: impl Fn(Option<u64>) -> String,
) -> Result<Vec<u8>, LoadError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| LoadError::Io {
        file: file.clone(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(LoadError::Io {
            file,
            message: "is a directory, not a file".into(),
        });
    }
    if meta.is_file() && meta.len() > max {
        return Err(whole_file(&file, message(Some(meta.len()))));
    }
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    if let Some(what) = text {
        (&mut f)
            .take((SNIFF_BYTES as u64).min(max + 1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if let Some(at) = binary_at(&bytes) {
            return Err(whole_file(&file, binary_message(at, what)));
        }
    }
    f.take(max + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        // A stream (its size is not known in advance), or a file that grew meanwhile.
        return Err(whole_file(&file, message(None)));
    }
    Ok(bytes)
}
