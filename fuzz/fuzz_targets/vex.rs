//! VEX: OpenVEX, CycloneDX VEX, CSAF 2.0 VEX (`riskmark_vex::parse` detects the format).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskmark_vex::parse(data, "fuzz.vex.json");
});
