//! The vulnerability database's nvd reader (`riskmark_vulndb::parse::nvd`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_vulndb::parse::nvd(data);
});
