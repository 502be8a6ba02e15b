//! Custom checks: loading a Rego module (`RuleSet::add_source`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut set = riskmark_rego::RuleSet::default();
        let _ = set.add_source("fuzz.rego", text);
    }
});
