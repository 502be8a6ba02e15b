//! The vulnerability database's epss reader (`riskmark_vulndb::parse::epss`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_vulndb::parse::epss(data);
});
