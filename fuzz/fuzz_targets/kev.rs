//! The vulnerability database's kev reader (`riskmark_vulndb::parse::kev`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_vulndb::parse::kev(data);
});
