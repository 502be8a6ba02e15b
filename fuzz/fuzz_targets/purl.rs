//! Package URLs: parsing, and the mapping to OSV ecosystems.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = riskmark_ecosystem::Purl::parse(s);
        let _ = riskmark_ecosystem::map_purl(s);
    }
});
