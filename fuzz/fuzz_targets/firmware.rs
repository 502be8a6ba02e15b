//! A firmware image through `riskmark_firmware::analyze`: container detection (squashfs,
//! cpio, tar, gzip/xz/zstd, uImage, JFFS2, UBI, raw flash layouts), unpacking, component signatures,
//! package databases and weakness scans. The limits are smaller than the defaults so a
//! decompression bomb within the real limits (2 GiB) does not count as running out of
//! memory here; the limits themselves are what is under test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limits = riskmark_firmware::Limits {
        max_depth: 6,
        max_files: 10_000,
        max_file_bytes: 16 << 20,
        max_total_bytes: 64 << 20,
    };
    if let Ok(a) = riskmark_firmware::analyze(data, "fuzz.bin", &limits) {
        let _ = a.verified();
        let _ = a.cyclonedx();
    }
});
