//! Signing keys other tools read: `riskmark keygen` writes PKCS#8 v1 that OpenSSL 3 and
//! pyca/cryptography load (v2, which riskmark wrote before, they refused), and keys that
//! OpenSSL makes sign labels riskmark verifies.

use std::path::Path;
use std::process::Command;

mod common;
use common::{command_in, have};

const PYTHON: &str = "/opt/riskmark-ref/keys/bin/python";

fn riskmark(home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = command_in(home).args(args).output().unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn openssl_and_pyca_cryptography_read_riskmark_keys() {
    if !have("openssl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let prefix = home.path().join("acme");
    let (code, out) = riskmark(home.path(), &["keygen", "--out", prefix.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    let key = prefix.with_extension("key");
    let public = prefix.with_extension("pub");
    let o = Command::new("openssl")
        .args(["pkey", "-noout", "-in"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // OpenSSL derives the same public key riskmark wrote.
    let o = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        std::fs::read_to_string(&public).unwrap().trim()
    );
    if Path::new(PYTHON).is_file() {
        let o = Command::new(PYTHON)
            .args([
                "-c",
                "import sys; from cryptography.hazmat.primitives import serialization as s; \
                 k = s.load_pem_private_key(open(sys.argv[1], 'rb').read(), None); \
                 p = s.load_pem_public_key(open(sys.argv[2], 'rb').read()); \
                 sig = k.sign(b'x'); p.verify(sig, b'x'); print(type(k).__name__)",
            ])
            .arg(&key)
            .arg(&public)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "cryptography: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    } else {
        common::missing("pyca/cryptography (run .ci/setup.d/keys.sh)");
    }
}

#[test]
fn a_key_made_by_openssl_signs_a_label_riskmark_verifies() {
    if !have("openssl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("ossl.key");
    let public = home.path().join("ossl.pub");
    assert!(
        Command::new("openssl")
            .args(["genpkey", "-algorithm", "ed25519", "-out"])
            .arg(&key)
            .status()
            .unwrap()
            .success()
    );
    assert!(
        Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(&key)
            .arg("-out")
            .arg(&public)
            .status()
            .unwrap()
            .success()
    );
    let out = home.path().join("label");
    let (code, text) = riskmark(
        home.path(),
        &[
            "label",
            "examples/smart-plug.toml",
            "--out",
            out.to_str().unwrap(),
            "--sign-key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = riskmark(
        home.path(),
        &[
            "verify",
            out.join("label.json").to_str().unwrap(),
            "--pub",
            public.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn a_file_that_is_not_pem_says_so() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.key");
    std::fs::write(&bad, "hello").unwrap();
    let (code, text) = riskmark(
        home.path(),
        &[
            "label",
            "examples/smart-plug.toml",
            "--out",
            home.path().join("l").to_str().unwrap(),
            "--sign-key",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        text.contains("bad.key") && text.contains("not a PEM file"),
        "{text}"
    );
}
