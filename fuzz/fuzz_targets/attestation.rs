//! Opening a lab's signed attestation envelope (`riskmark_attest::open`), as the
//! registry does with request bodies; the seeds are signed with `seeds/label_json.pub.pem`'s
//! key.
#![no_main]
use std::sync::LazyLock;

static KEY: LazyLock<ed25519_dalek::VerifyingKey> = LazyLock::new(|| {
    riskmark_label::sign::read_public(include_str!("../seeds/label_json.pub.pem"))
        .expect("the seeds' public key")
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(statement) = riskmark_attest::open(data, "Example Lab", &[*KEY]) {
        let _ = statement.validate(jiff::civil::date(2026, 12, 1));
    }
});
