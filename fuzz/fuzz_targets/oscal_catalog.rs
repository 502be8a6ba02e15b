//! User frameworks: OSCAL catalogs (`riskmark_frameworks::from_oscal`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_frameworks::from_oscal("fuzz-catalog.json", data);
});
