//! Risk policies (`Policy::from_bytes`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_risk::Policy::from_bytes("fuzz-policy.toml", data);
});
