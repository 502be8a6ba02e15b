//! Lab attestations: a test lab states which checks it verified on a device (the check
//! codes, the result it observed, a reference to its evidence, the date), signs the
//! statement with its Ed25519 key, and the registry turns the matching verdicts from
//! *declared* into *verified*, naming the lab.
//!
//! The statement (`riskmark/attestation/v1`) travels in a DSSE envelope, like a signed
//! label: payload type `application/vnd.riskmark.attestation+json`, payload the statement
//! in RFC 8785 canonical form, Ed25519 over DSSE's pre-authentication encoding.
//!
//! ```json
//! {"schema": "riskmark/attestation/v1", "device_id": "acme-sp100-0a1b2c3d",
//!  "lab": "Example Test Lab", "date": "2026-12-01",
//!  "checks": [{"code": "default-password-universal", "result": "pass",
//!              "evidence": "report TR-2026-113, section 4.2"}]}
//! ```

#![warn(missing_docs)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{SigningKey, VerifyingKey};
use riskmark_checks::Status;
use riskmark_label::sign::{Envelope, canonical};
use serde::{Deserialize, Serialize};

/// The schema identifier of a statement.
pub const SCHEMA: &str = "riskmark/attestation/v1";
/// The DSSE payload type of a statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.riskmark.attestation+json";

/// What the lab observed for one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Result {
    /// The device meets the check.
    Pass,
    /// It does not.
    Fail,
}

impl Result {
    /// The verdict status it sets.
    pub const fn status(self) -> Status {
        match self {
            Self::Pass => Status::Pass,
            Self::Fail => Status::Fail,
        }
    }
}

/// One verified check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verified {
    /// The check's code (`riskmark checks list`).
    pub code: String,
    /// What the lab observed.
    pub result: Result,
    /// Where the evidence is (a report and section, a test id).
    pub evidence: String,
}

/// A lab's statement about one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// [`SCHEMA`].
    pub schema: String,
    /// The registry device id.
    pub device_id: String,
    /// The lab (its registry organization name).
    pub lab: String,
    /// When it verified (`YYYY-MM-DD`).
    pub date: String,
    /// What it verified.
    pub checks: Vec<Verified>,
}

/// Why an attestation is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Not a DSSE envelope of an attestation, or its statement is malformed.
    #[error("not a riskmark attestation: {0}")]
    Malformed(String),
    /// No signature verifies with the lab's registered keys.
    #[error("no signature verifies with a key registered for `{0}`")]
    Signature(String),
    /// The statement is well formed but says something that cannot be accepted.
    #[error("{0}")]
    Invalid(String),
}

impl Statement {
    /// Checks what the statement says: the schema, a date that is real and not in the
    /// future, at least one check, known check codes, each code once, evidence given.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first problem.
    pub fn validate(&self, today: jiff::civil::Date) -> std::result::Result<(), Error> {
        let bad = |m: String| Err(Error::Invalid(m));
        if self.schema != SCHEMA {
            return bad(format!("schema `{}`, expected `{SCHEMA}`", self.schema));
        }
        let Ok(date) = riskmark_model::IsoDate::parse(&self.date) else {
            return bad(format!("date `{}` is not YYYY-MM-DD", self.date));
        };
        if date.0 > today {
            return bad(format!("date {} is in the future", self.date));
        }
        if self.checks.is_empty() {
            return bad("the statement verifies no check".into());
        }
        let known = riskmark_checks::codes();
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in self.checks.iter().enumerate() {
            if !known.contains(&c.code.as_str()) {
                let hint = riskmark_model::suggest(&c.code, known)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return bad(format!(
                    "checks[{i}].code: unknown check `{}`{hint}",
                    c.code
                ));
            }
            if !seen.insert(c.code.as_str()) {
                return bad(format!("checks[{i}].code: `{}` is stated twice", c.code));
            }
            if c.evidence.trim().is_empty() {
                return bad(format!("checks[{i}].evidence: say where the evidence is"));
            }
        }
        Ok(())
    }
}

/// Signs a statement into an envelope.
pub fn sign(statement: &Statement, key: &SigningKey) -> Envelope {
    let payload = canonical(&serde_json::to_value(statement).unwrap_or_default()).into_bytes();
    Envelope::signed(PAYLOAD_TYPE, &payload, key)
}

/// Reads an envelope and verifies it with any of `keys` (the lab's registered keys);
/// returns the statement.
///
/// # Errors
/// [`Error::Malformed`] or [`Error::Signature`].
pub fn open(
    text: &[u8],
    lab: &str,
    keys: &[VerifyingKey],
) -> std::result::Result<Statement, Error> {
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
    if !env.verifies(&payload, keys) {
        return Err(Error::Signature(lab.to_owned()));
    }
    serde_json::from_slice(&payload).map_err(|e| Error::Malformed(format!("statement: {e}")))
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
            device_id: "acme-sp100-0a1b2c3d".into(),
            lab: "Lab".into(),
            date: "2026-12-01".into(),
            checks: vec![Verified {
                code: "default-password-universal".into(),
                result: Result::Pass,
                evidence: "TR-1 4.2".into(),
            }],
        }
    }

    #[test]
    fn a_signed_statement_opens_with_its_key_only() {
        let s = statement();
        let env = serde_json::to_vec(&sign(&s, &key(1))).unwrap();
        assert_eq!(open(&env, "Lab", &[key(1).verifying_key()]).unwrap(), s);
        assert_eq!(
            open(&env, "Lab", &[key(2).verifying_key()]),
            Err(Error::Signature("Lab".into()))
        );
        assert!(open(&env, "Lab", &[]).is_err());
        // A changed payload no longer verifies.
        let mut e: Envelope = serde_json::from_slice(&env).unwrap();
        let mut other = s.clone();
        other.checks[0].result = Result::Fail;
        e.payload = B64.encode(canonical(&serde_json::to_value(&other).unwrap()));
        let tampered = serde_json::to_vec(&e).unwrap();
        assert!(matches!(
            open(&tampered, "Lab", &[key(1).verifying_key()]),
            Err(Error::Signature(_))
        ));
        assert!(matches!(open(b"{}", "Lab", &[]), Err(Error::Malformed(_))));
    }

    #[test]
    fn statements_say_only_what_can_be_accepted() {
        let today = jiff::civil::date(2026, 12, 5);
        assert_eq!(statement().validate(today), Ok(()));
        let mut s = statement();
        s.checks[0].code = "default-password-universl".into();
        let e = s.validate(today).unwrap_err().to_string();
        assert!(
            e.contains("did you mean `default-password-universal`"),
            "{e}"
        );
        let mut s = statement();
        s.date = "2027-01-01".into();
        assert!(s.validate(today).is_err());
        let mut s = statement();
        s.checks.push(s.checks[0].clone());
        assert!(s.validate(today).unwrap_err().to_string().contains("twice"));
        let mut s = statement();
        s.checks[0].evidence = " ".into();
        assert!(s.validate(today).is_err());
        let mut s = statement();
        s.checks.clear();
        assert!(s.validate(today).is_err());
    }
}
