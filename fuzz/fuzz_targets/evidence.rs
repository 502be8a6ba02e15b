//! Opening a signed evidence file (`riskmark_evidence::open`), as `assess --evidence` and
//! the registry do, and validating what it says.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(o) = riskmark_evidence::open(data, None) {
        let _ = o.statement.validate(jiff::civil::date(2026, 12, 5));
    }
});
