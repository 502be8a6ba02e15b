//! Reading input files with a bound: a regular file by its size, a stream (a pipe, a
//! device) by what has been read, a text format refused at its first binary data.

use std::path::PathBuf;

use riskmark_model::{LoadError, binary_at, read_capped, read_capped_text, read_limited};

/// A scratch file under the target directory's temporary area, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let dir = std::env::temp_dir().join(format!("riskmark-model-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        Self(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn message(e: &LoadError) -> String {
    e.diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_regular_file_over_the_bound_is_refused_by_its_size() {
    let f = Scratch::new("big.json", &[b'x'; 2000]);
    let e = read_capped(&f.0, 1000, "an SBOM").unwrap_err();
    let m = message(&e);
    assert!(m.contains(&f.0.display().to_string()), "{m}");
    assert!(
        m.contains("file is 2000 bytes; an SBOM larger than 1000 bytes"),
        "{m}"
    );
    // At the bound it is read.
    assert_eq!(read_capped(&f.0, 2000, "an SBOM").unwrap().len(), 2000);
}

#[test]
fn an_endless_stream_stops_one_byte_past_the_bound() {
    let e = read_capped(
        std::path::Path::new("/dev/zero"),
        1 << 20,
        "a firmware image",
    )
    .unwrap_err();
    let m = message(&e);
    assert!(m.starts_with("/dev/zero"), "{m}");
    assert!(
        m.contains(
            "more than 1048576 bytes; a firmware image larger than 1048576 bytes (1 MiB) is refused"
        ),
        "{m}"
    );
    // Profiles keep their own wording.
    let m = message(&read_limited(std::path::Path::new("/dev/zero")).unwrap_err());
    assert!(m.contains("file is more than 4194304 bytes"), "{m}");
}

#[test]
fn a_text_format_is_refused_at_its_first_binary_data() {
    // With a bound of 1 GiB: the read stops at the first 64 KiB, not at the bound.
    let e = read_capped_text(std::path::Path::new("/dev/zero"), 1 << 30, "an SBOM").unwrap_err();
    let m = message(&e);
    assert!(
        m.contains("binary data (zero bytes at offset 0): an SBOM is text"),
        "{m}"
    );
    let mut bytes = b"{\"bomFormat\": \"CycloneDX\"".to_vec();
    bytes.extend_from_slice(&[0, 0, 0, 0]);
    let f = Scratch::new("nul.json", &bytes);
    let m = message(&read_capped_text(&f.0, 1 << 30, "an SBOM").unwrap_err());
    assert!(m.contains("offset 26"), "{m}");
}

#[test]
fn utf16_text_is_not_binary() {
    let utf16le: Vec<u8> = "\u{feff}{\"bomFormat\": \"CycloneDX\", \"x\": \"\u{100}A\"}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let utf16be: Vec<u8> = "{\"spdxVersion\": \"SPDX-2.3\"}"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    assert_eq!(binary_at(&utf16le), None);
    assert_eq!(binary_at(&utf16be), None);
    let f = Scratch::new("utf16.json", &utf16le);
    assert_eq!(read_capped_text(&f.0, 1 << 20, "an SBOM").unwrap(), utf16le);
    // A zero 16-bit unit is binary; two zero bytes straddling two units are not.
    assert_eq!(binary_at(b"ab\0\0cd"), Some(2));
    assert_eq!(binary_at(b"a\0\0b"), None);
}

#[test]
fn a_directory_is_named_as_one() {
    let e = read_capped(std::path::Path::new("/"), 10, "an SBOM").unwrap_err();
    assert!(
        message(&e).contains("is a directory, not a file"),
        "{}",
        message(&e)
    );
}
