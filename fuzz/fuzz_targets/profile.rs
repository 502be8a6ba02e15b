//! Device profiles, TOML and JSON (`riskmark_model::load_bytes`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_model::load_bytes("fuzz.toml", data);
    let _ = riskmark_model::load_bytes("fuzz.json", data);
});
