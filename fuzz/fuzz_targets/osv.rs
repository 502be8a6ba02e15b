//! The vulnerability database's osv reader (`riskmark_vulndb::parse::osv`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_vulndb::parse::osv(data);
});
