//! Signed labels: Ed25519 keys and a DSSE envelope over the label's canonical JSON.
//!
//! # Key files
//!
//! `PREFIX.key` is the Ed25519 private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`,
//! RFC 8410), `PREFIX.pub` the public key as SubjectPublicKeyInfo PEM
//! (`-----BEGIN PUBLIC KEY-----`): the formats OpenSSL reads and writes
//! (`openssl pkey -in PREFIX.key -pubout` gives `PREFIX.pub`).
//!
//! # Signature
//!
//! A signed `label.json` is the label object with one more member, `signature`, holding a
//! [DSSE](https://github.com/secure-systems-lab/dsse/blob/master/envelope.md) envelope:
//!
//! ```json
//! "signature": {
//!   "payloadType": "application/vnd.riskmark.label+json",
//!   "payload": "<base64 of the canonical label>",
//!   "signatures": [{ "keyid": "<16 hex digits>", "sig": "<base64 Ed25519 signature>" }]
//! }
//! ```
//!
//! - The payload is the label **without** `signature`, canonicalized per RFC 8785 (JCS):
//!   object members sorted by their UTF-16 code units, no whitespace, strings with only the
//!   mandatory escapes. (Labels hold integers only, so JCS number formatting reduces to
//!   plain integers.)
//! - `sig` is Ed25519 over DSSE's PAE: `"DSSEv1" SP len(type) SP type SP len(payload) SP
//!   payload`, lengths as ASCII decimal byte counts.
//! - `keyid` is the first 16 hex digits of SHA-256 over the raw 32-byte public key.
//! - Base64 is the standard alphabet with padding.
//!
//! Verification ([`verify`]) needs both: a signature by the given key over the payload,
//! and the label's visible content canonicalizing to exactly the payload. Changing any
//! byte of content, of the payload or of the signature fails it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::Label;

pub use ed25519_dalek::{SigningKey as PrivateKey, VerifyingKey as PublicKey};

/// The DSSE payload type of a riskmark label.
pub const PAYLOAD_TYPE: &str = "application/vnd.riskmark.label+json";

/// A DSSE envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// [`PAYLOAD_TYPE`].
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Base64 of the signed bytes.
    pub payload: String,
    /// The signatures.
    pub signatures: Vec<EnvelopeSignature>,
}

impl Envelope {
    /// `payload` as `payload_type`, signed with `key` over DSSE's pre-authentication
    /// encoding ([`pae`]); the signature names the key ([`key_id`]). Labels, lab
    /// attestations and probe evidence are all signed this way.
    pub fn signed(payload_type: &str, payload: &[u8], key: &SigningKey) -> Self {
        let sig = key.sign(&pae(payload_type, payload));
        Self {
            payload_type: payload_type.to_owned(),
            payload: B64.encode(payload),
            signatures: vec![EnvelopeSignature {
                keyid: key_id(&key.verifying_key()),
                sig: B64.encode(sig.to_bytes()),
            }],
        }
    }

    /// Whether one of the signatures verifies, with one of `keys`, over the
    /// pre-authentication encoding of this envelope's type and `payload` (the
    /// envelope's payload, already decoded).
    pub fn verifies(&self, payload: &[u8], keys: &[VerifyingKey]) -> bool {
        let message = pae(&self.payload_type, payload);
        self.signatures.iter().any(|s| {
            B64.decode(s.sig.as_bytes())
                .ok()
                .and_then(|b| Signature::from_slice(&b).ok())
                .is_some_and(|sig| keys.iter().any(|k| k.verify(&message, &sig).is_ok()))
        })
    }
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// Which key: [`key_id`].
    #[serde(default)]
    pub keyid: String,
    /// Base64 of the Ed25519 signature.
    pub sig: String,
}

/// Key problems.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The system's random source failed.
    #[error("no randomness for a new key: {0}")]
    Random(String),
    /// The text is not a key of the expected kind.
    #[error("not an Ed25519 {kind} key in PEM ({expected}): {reason}")]
    Malformed {
        /// `private` or `public`.
        kind: &'static str,
        /// The PEM label expected.
        expected: &'static str,
        /// The decoder's reason.
        reason: String,
    },
    /// Encoding a key failed.
    #[error("cannot encode the key: {0}")]
    Encode(String),
}

/// Why a label does not verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input is not a label (not JSON, not an object): a usage or input error.
    #[error("not a label: {0}")]
    NotALabel(String),
    /// The label has no `signature`, or it is not a DSSE envelope of a riskmark label.
    #[error("not a signed label: {0}")]
    NotSigned(String),
    /// The signature does not match the key, or the content is not what was signed.
    #[error("signature does not match: {0}")]
    Mismatch(String),
}

/// A new random signing key.
pub fn generate() -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The private key as PKCS#8 v1 PEM (RFC 8410 section 7: the seed only, no public key),
/// the form OpenSSL 3 and pyca/cryptography read; [`read_private`] reads v1 and v2.
pub fn private_pem(key: &SigningKey) -> Result<String, KeyError> {
    // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }
    const PREFIX: [u8; 16] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    let mut der = PREFIX.to_vec();
    der.extend_from_slice(key.as_bytes());
    let b64 = B64.encode(&der);
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).map_err(|e| KeyError::Encode(e.to_string()))?);
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    Ok(pem)
}

/// The public key as SubjectPublicKeyInfo PEM.
pub fn public_pem(key: &VerifyingKey) -> Result<String, KeyError> {
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|e| KeyError::Encode(e.to_string()))
}

/// Reads a PKCS#8 PEM private key (v1 or v2).
pub fn read_private(pem: &str) -> Result<SigningKey, KeyError> {
    if !pem.trim_start().starts_with("-----BEGIN ") {
        return Err(KeyError::Malformed {
            kind: "private",
            expected: "-----BEGIN PRIVATE KEY-----",
            reason: "not a PEM file".into(),
        });
    }
    SigningKey::from_pkcs8_pem(pem.trim()).map_err(|e| KeyError::Malformed {
        kind: "private",
        expected: "-----BEGIN PRIVATE KEY-----",
        reason: e.to_string(),
    })
}

/// Reads a SubjectPublicKeyInfo PEM public key.
pub fn read_public(pem: &str) -> Result<VerifyingKey, KeyError> {
    if !pem.trim_start().starts_with("-----BEGIN ") {
        return Err(KeyError::Malformed {
            kind: "public",
            expected: "-----BEGIN PUBLIC KEY-----",
            reason: "not a PEM file".into(),
        });
    }
    VerifyingKey::from_public_key_pem(pem.trim()).map_err(|e| KeyError::Malformed {
        kind: "public",
        expected: "-----BEGIN PUBLIC KEY-----",
        reason: e.to_string(),
    })
}

/// The key id: the first 16 hex digits of SHA-256 over the raw public key.
pub fn key_id(key: &VerifyingKey) -> String {
    Sha256::digest(key.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// DSSE's pre-authentication encoding.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// RFC 8785 (JCS) canonical JSON of a value.
pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        out.push_str(&format!("{f:.0}"));
                    }
                    // ryu's shortest round-trip form, as ECMAScript prints most values.
                    _ => out.push_str(&n.to_string()),
                }
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                if let Some(v) = map.get(k) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The canonical bytes a label's signature covers: the label without `signature`.
fn payload_of(mut v: Value) -> Vec<u8> {
    if let Value::Object(map) = &mut v {
        map.remove("signature");
    }
    canonical(&v).into_bytes()
}

/// Signs a label: returns it with `signature` set (any earlier signature replaced).
pub fn sign(label: &Label, key: &SigningKey) -> Label {
    let mut unsigned = label.clone();
    unsigned.signature = None;
    let value = serde_json::to_value(&unsigned).unwrap_or(Value::Null);
    let payload = payload_of(value);
    unsigned.signature = Some(Envelope::signed(PAYLOAD_TYPE, &payload, key));
    unsigned
}

/// Verifies a signed `label.json` text against a public key.
pub fn verify(text: &str, key: &VerifyingKey) -> Result<(), VerifyError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| VerifyError::NotALabel(format!("{e}")))?;
    let Value::Object(map) = &value else {
        return Err(VerifyError::NotALabel("not a JSON object".into()));
    };
    let Some(sig) = map.get("signature") else {
        return Err(VerifyError::NotSigned("no `signature` member".into()));
    };
    let env: Envelope = serde_json::from_value(sig.clone())
        .map_err(|e| VerifyError::NotSigned(format!("`signature` is not a DSSE envelope: {e}")))?;
    if env.payload_type != PAYLOAD_TYPE {
        return Err(VerifyError::NotSigned(format!(
            "payloadType `{}`, expected `{PAYLOAD_TYPE}`",
            env.payload_type
        )));
    }
    if env.signatures.is_empty() {
        return Err(VerifyError::NotSigned(
            "the envelope has no signatures".into(),
        ));
    }
    let payload = B64
        .decode(env.payload.as_bytes())
        .map_err(|e| VerifyError::Mismatch(format!("payload is not base64: {e}")))?;
    if !env.verifies(&payload, std::slice::from_ref(key)) {
        return Err(VerifyError::Mismatch(format!(
            "no signature in the envelope verifies with key {}",
            key_id(key)
        )));
    }
    if payload_of(value.clone()) != payload {
        return Err(VerifyError::Mismatch(
            "the label's content differs from the signed payload".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_pkcs8_v1_and_both_versions_read() {
        use ed25519_dalek::pkcs8::EncodePrivateKey as _;
        let key = SigningKey::from_bytes(&[7; 32]);
        let v1 = private_pem(&key).unwrap();
        // RFC 8410 section 10.3's shape: 48 bytes of DER, no public key attached.
        let body: String = v1.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(B64.decode(body).unwrap().len(), 48);
        assert_eq!(read_private(&v1).unwrap().to_bytes(), key.to_bytes());
        // The PKCS#8 v2 keys earlier riskmark versions wrote still read.
        let v2 = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
        assert_ne!(v1, v2);
        assert_eq!(read_private(&v2).unwrap().to_bytes(), key.to_bytes());
        let e = read_private("not a key").unwrap_err().to_string();
        assert!(e.contains("not a PEM file"), "{e}");
        let e = read_public("{}").unwrap_err().to_string();
        assert!(e.contains("not a PEM file"), "{e}");
    }

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // DSSE protocol.md test vector.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn canonical_json_follows_jcs() {
        let v: Value = serde_json::from_str(
            r#"{"b": [1, true, null, "x\"\n\u001f/é"], "a": {"z": 0, "\u20ac": 1, "\ud83d\ude00": 2}}"#,
        )
        .expect("valid JSON");
        // By UTF-16 code units: "z" (0x7A) < U+20AC < U+1F600 (high surrogate 0xD83D).
        assert_eq!(
            canonical(&v),
            "{\"a\":{\"z\":0,\"\u{20ac}\":1,\"\u{1f600}\":2},\"b\":[1,true,null,\"x\\\"\\n\\u001f/é\"]}"
        );
    }

    #[test]
    fn keys_round_trip_through_pem() {
        let k = generate().expect("random");
        let pem = private_pem(&k).expect("encode");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(read_private(&pem).expect("decode").to_bytes(), k.to_bytes());
        let pubpem = public_pem(&k.verifying_key()).expect("encode");
        assert!(pubpem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(read_public(&pubpem).expect("decode"), k.verifying_key());
        assert!(read_public(&pem).is_err());
        assert!(read_public("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").is_err());
        assert_eq!(key_id(&k.verifying_key()).len(), 16);
    }
}
