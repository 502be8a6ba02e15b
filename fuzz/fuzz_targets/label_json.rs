//! Verifying a signed `label.json` (`riskmark_label::sign::verify`) with the public key
//! of the seeds' signer (`seeds/label_json.pub.pem`).
#![no_main]
use std::sync::LazyLock;

static KEY: LazyLock<ed25519_dalek::VerifyingKey> = LazyLock::new(|| {
    riskmark_label::sign::read_public(include_str!("../seeds/label_json.pub.pem"))
        .expect("the seeds' public key")
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = riskmark_label::sign::verify(text, &KEY);
    }
});
