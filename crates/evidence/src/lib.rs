//! Verified evidence: what a tool (`riskmark probe`) observed on a device, signed by whoever
//! ran it, and the check verdicts the observations decide.
//!
//! The statement (`riskmark/evidence/v1`) travels in a DSSE envelope like a lab attestation:
//! payload type `application/vnd.riskmark.evidence+json`, payload the statement in RFC 8785
//! canonical form, Ed25519 over DSSE's pre-authentication encoding. The signer's public key
//! is part of the signed statement, so an evidence file verifies on its own (integrity);
//! who the key belongs to is for the reader to trust (`assess --evidence-pub`, or a lab key
//! registered with the registry).
//!
//! ```json
//! {"schema": "riskmark/evidence/v1", "tool": "riskmark probe 0.1.0",
//!  "by": "Example Test Lab", "started": "2026-12-05T17:01:02Z", "finished": "...",
//!  "target": "192.0.2.10", "profile": {"product": "Acme SP100", "sha256": "..."},
//!  "observations": {...}, "findings": [...],
//!  "checks": [{"code": "legacy-crypto-protocol", "result": "fail",
//!              "evidence": "8443/tcp accepts TLS 1.0"}],
//!  "signer": "-----BEGIN PUBLIC KEY-----..."}
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use riskmark_label::sign::{Envelope, canonical, key_id};
use serde::{Deserialize, Serialize};

/// The statement's schema identifier.
pub const SCHEMA: &str = "riskmark/evidence/v1";
/// The DSSE payload type.
pub const PAYLOAD_TYPE: &str = "application/vnd.riskmark.evidence+json";

/// What was observed for one check: the same words as a lab attestation's.
pub use riskmark_attest::Result;

/// A check the observations decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// The check's code (`riskmark checks list`).
    pub code: String,
    /// What was observed.
    pub result: Result,
    /// What was seen, in a line (port, protocol, answer).
    pub evidence: String,
}

/// One thing the tool noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Stable finding code (`default-credential`, `legacy-tls`, ...).
    pub code: String,
    /// `critical`, `high`, `medium`, `low` or `info`.
    pub severity: String,
    /// Where (`2323/tcp`), when it is one port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// What was seen.
    pub detail: String,
    /// The profile's claim it contradicts, when it contradicts one
    /// (`identity.default_password = "unique-per-device"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contradicts: Option<String>,
    /// The check it decides, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

/// The profile the observations were compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRef {
    /// Its product's vendor and name.
    pub product: String,
    /// SHA-256 of the profile file as read.
    pub sha256: String,
}

/// What a tool observed on one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// [`SCHEMA`].
    pub schema: String,
    /// The tool and its version.
    pub tool: String,
    /// Who ran it (a lab, a person).
    pub by: String,
    /// When it started (RFC 3339, UTC).
    pub started: String,
    /// When it finished.
    pub finished: String,
    /// What was probed (the host as named, and its address).
    pub target: String,
    /// The profile whose claims were checked.
    pub profile: ProfileRef,
    /// The tool's observations (per port: state, service, banner, TLS, ...).
    pub observations: serde_json::Value,
    /// What it noticed.
    pub findings: Vec<Finding>,
    /// The checks the observations decide.
    pub checks: Vec<Check>,
    /// The signer's public key (SPKI PEM); filled in by [`sign`].
    #[serde(default)]
    pub signer: String,
}

/// Why an evidence file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Not a DSSE envelope of evidence, or its statement is malformed.
    #[error("not a riskmark evidence file: {0}")]
    Malformed(String),
    /// The signature does not verify with the statement's key (or the trusted key).
    #[error("{0}")]
    Signature(String),
    /// Well formed, but it says something that cannot be accepted.
    #[error("{0}")]
    Invalid(String),
}

impl Statement {
    /// The date the evidence speaks for (`YYYY-MM-DD` of `started`).
    pub fn date(&self) -> &str {
        self.started.get(..10).unwrap_or(&self.started)
    }

    /// Checks what the statement says: schema, a real date not after `today`, known check
    /// codes each once, a result and evidence for each.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first problem.
    pub fn validate(&self, today: jiff::civil::Date) -> std::result::Result<(), Error> {
        let bad = |m: String| Err(Error::Invalid(m));
        if self.schema != SCHEMA {
            return bad(format!("schema `{}`, expected `{SCHEMA}`", self.schema));
        }
        let Ok(date) = riskmark_model::IsoDate::parse(self.date()) else {
            return bad(format!(
                "started `{}` is not an RFC 3339 time",
                self.started
            ));
        };
        if date.0 > today {
            return bad(format!("started {} is in the future", self.started));
        }
        let known = riskmark_checks::codes();
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in self.checks.iter().enumerate() {
            if !known.contains(&c.code.as_str()) {
                return bad(format!("checks[{i}].code: unknown check `{}`", c.code));
            }
            if !seen.insert(c.code.as_str()) {
                return bad(format!("checks[{i}].code: `{}` appears twice", c.code));
            }
            if c.evidence.trim().is_empty() {
                return bad(format!("checks[{i}].evidence: say what was seen"));
            }
        }
        Ok(())
    }
}

/// Signs a statement (setting its `signer` to the key's public half) into an envelope.
///
/// # Errors
/// When the public key cannot be written as PEM.
pub fn sign(
    statement: &Statement,
    key: &SigningKey,
) -> std::result::Result<Envelope, riskmark_label::sign::KeyError> {
    let mut s = statement.clone();
    s.signer = riskmark_label::sign::public_pem(&key.verifying_key())?;
    let payload = canonical(&serde_json::to_value(&s).unwrap_or_default()).into_bytes();
    Ok(Envelope::signed(PAYLOAD_TYPE, &payload, key))
}

/// An opened evidence file: its statement and the id of the key that signed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// What it says.
    pub statement: Statement,
    /// The signer's key id.
    pub key_id: String,
}

impl Opened {
    /// The checks the evidence decides as verified checks for the engine: by the tool,
    /// who ran it and the key; the evidence names `file`, the target and what was seen.
    pub fn verified(&self, file: &str) -> Vec<riskmark_assess::VerifiedCheck> {
        let s = &self.statement;
        s.checks
            .iter()
            .map(|c| riskmark_assess::VerifiedCheck {
                code: c.code.clone(),
                status: c.result.status(),
                by: format!("{} (run by {}, key {})", s.tool, s.by, self.key_id),
                date: s.date().to_owned(),
                evidence: format!("{file} on {}: {}", s.target, c.evidence),
            })
            .collect()
    }
}

/// Reads an envelope and verifies it with the key the statement names; when `trusted` is
/// given, that key must be the signer.
///
/// # Errors
/// [`Error::Malformed`] or [`Error::Signature`].
pub fn open(text: &[u8], trusted: Option<&VerifyingKey>) -> std::result::Result<Opened, Error> {
    let env: Envelope = serde_json::from_slice(text)
        .map_err(|e| Error::Malformed(format!("not a DSSE envelope: {e}")))?;
    if env.payload_type != PAYLOAD_TYPE {
        return Err(Error::Malformed(format!(
            "payloadType `{}`, expected `{PAYLOAD_TYPE}`",
            env.payload_type
        )));
    }
    let payload = B64
        .decode(env.payload.as_bytes())
        .map_err(|e| Error::Malformed(format!("payload is not base64: {e}")))?;
    let statement: Statement = serde_json::from_slice(&payload)
        .map_err(|e| Error::Malformed(format!("statement: {e}")))?;
    let key = riskmark_label::sign::read_public(&statement.signer)
        .map_err(|e| Error::Malformed(format!("signer: {e}")))?;
    if let Some(t) = trusted
        && *t != key
    {
        return Err(Error::Signature(format!(
            "signed by key {}, not by the trusted key {}",
            key_id(&key),
            key_id(t)
        )));
    }
    if !env.verifies(&payload, std::slice::from_ref(&key)) {
        return Err(Error::Signature(format!(
            "no signature verifies with the signer's key {} (the file was changed after signing)",
            key_id(&key)
        )));
    }
    Ok(Opened {
        statement,
        key_id: key_id(&key),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn statement() -> Statement {
        Statement {
            schema: SCHEMA.into(),
            tool: "riskmark probe 0.1.0".into(),
            by: "Lab".into(),
            started: "2026-12-01T10:00:00Z".into(),
            finished: "2026-12-01T10:00:09Z".into(),
            target: "127.0.0.1".into(),
            profile: ProfileRef {
                product: "Acme SP100".into(),
                sha256: "00".into(),
            },
            observations: serde_json::json!({"ports": []}),
            findings: vec![],
            checks: vec![Check {
                code: "legacy-crypto-protocol".into(),
                result: Result::Fail,
                evidence: "8443/tcp accepts TLS 1.0".into(),
            }],
            signer: String::new(),
        }
    }

    fn today() -> jiff::civil::Date {
        jiff::civil::date(2026, 12, 5)
    }

    #[test]
    fn signed_evidence_opens_and_tampering_is_caught() {
        let s = statement();
        let env = serde_json::to_vec(&sign(&s, &key(1)).unwrap()).unwrap();
        let o = open(&env, None).unwrap();
        assert_eq!(o.statement.checks, s.checks);
        assert_eq!(o.key_id, key_id(&key(1).verifying_key()));
        assert!(open(&env, Some(&key(1).verifying_key())).is_ok());
        assert!(matches!(
            open(&env, Some(&key(2).verifying_key())),
            Err(Error::Signature(_))
        ));
        // A changed result no longer verifies.
        let mut e: Envelope = serde_json::from_slice(&env).unwrap();
        let mut other = o.statement.clone();
        other.checks[0].result = Result::Pass;
        e.payload = B64.encode(canonical(&serde_json::to_value(&other).unwrap()));
        let tampered = serde_json::to_vec(&e).unwrap();
        assert!(matches!(open(&tampered, None), Err(Error::Signature(_))));
        // Swapping in another signer's key does not help either.
        other.signer = riskmark_label::sign::public_pem(&key(3).verifying_key()).unwrap();
        e.payload = B64.encode(canonical(&serde_json::to_value(&other).unwrap()));
        assert!(matches!(
            open(&serde_json::to_vec(&e).unwrap(), None),
            Err(Error::Signature(_))
        ));
        assert!(matches!(open(b"{}", None), Err(Error::Malformed(_))));
        assert!(matches!(open(b"[", None), Err(Error::Malformed(_))));
    }

    #[test]
    fn validation_names_the_problem() {
        assert_eq!(statement().validate(today()), Ok(()));
        let mut s = statement();
        s.checks[0].code = "legacy-crypto".into();
        assert!(
            matches!(s.validate(today()), Err(Error::Invalid(m)) if m.contains("checks[0].code"))
        );
        let mut s = statement();
        s.started = "2027-01-01T00:00:00Z".into();
        assert!(matches!(s.validate(today()), Err(Error::Invalid(m)) if m.contains("future")));
        let mut s = statement();
        s.checks.push(s.checks[0].clone());
        assert!(matches!(s.validate(today()), Err(Error::Invalid(m)) if m.contains("twice")));
        let mut s = statement();
        s.schema = "riskmark/evidence/v0".into();
        assert!(s.validate(today()).is_err());
    }
}
