//! Labs: their signing keys, and their attestations (or signed evidence) about a device.

use crate::{Error, Org, Registry, Role, Submitted, store};

impl Registry {
    /// Registers an Ed25519 public key (PEM, from `riskmark keygen`) for an
    /// organization; returns its key id.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a text that is not such a key; [`Error::NotFound`] for an
    /// unknown organization; [`Error::Conflict`] for a key registered already.
    pub fn add_key(&self, org: &str, pem: &str, actor: &str) -> Result<String, Error> {
        let key = riskmark_label::sign::read_public(pem)
            .map_err(|e| Error::invalid("", Some("key"), e.to_string()))?;
        let id = riskmark_label::sign::key_id(&key);
        self.store.add_key(org, &id, pem.trim(), actor)?;
        Ok(id)
    }

    /// A lab's signed attestation about a device: verified with the keys registered for
    /// the lab, checked, stored, and the device re-assessed with every attestation about
    /// its current submission, in one transaction (a new version noting the lab).
    ///
    /// # Errors
    /// [`Error::Forbidden`] for a manufacturer; [`Error::NotFound`] for an unknown
    /// device; [`Error::Invalid`] for an envelope that does not verify or a statement
    /// that cannot be accepted.
    pub fn attest(
        &self,
        lab: &Org,
        device_id: &str,
        envelope: &[u8],
        today: jiff::civil::Date,
    ) -> Result<Submitted, Error> {
        let invalid = |message: String| Error::invalid("attestation", None, message);
        if lab.role != Role::Lab {
            return Err(Error::Forbidden(format!(
                "`{}` is a {}: only labs attest",
                lab.name, lab.role
            )));
        }
        let docs = self
            .store
            .documents(device_id)?
            .ok_or_else(|| Error::NotFound(format!("device `{device_id}`")))?;
        let keys: Vec<_> = self
            .store
            .keys(lab.id)?
            .iter()
            .filter_map(|pem| riskmark_label::sign::read_public(pem).ok())
            .collect();
        if keys.is_empty() {
            return Err(invalid(format!(
                "`{}` has no registered key: `riskmark registry key add --org ... --pub KEY.pub`",
                lab.name
            )));
        }
        let statement = if is_evidence(envelope) {
            evidence_statement(envelope, lab, device_id, &keys, today).map_err(invalid)?
        } else {
            riskmark_attest::open(envelope, &lab.name, &keys).map_err(|e| invalid(e.to_string()))?
        };
        if statement.lab != lab.name {
            return Err(invalid(format!(
                "the statement is by `{}`, the token is `{}`'s",
                statement.lab, lab.name
            )));
        }
        if statement.device_id != device_id {
            return Err(invalid(format!(
                "the statement is about `{}`, not `{device_id}`",
                statement.device_id
            )));
        }
        statement
            .validate(today)
            .map_err(|e| invalid(e.to_string()))?;
        let base = self.store.base_version(device_id)?;
        let text = serde_json::to_string(&statement).map_err(|e| Error::Internal(e.to_string()))?;
        let verified = self.verified(device_id, base, Some((&lab.name, &text)))?;
        let (owner, submission) = docs.into_submission();
        let note = format!("attested by {}", lab.name);
        let envelope = String::from_utf8_lossy(envelope).into_owned();
        let at = store::NewAttestation {
            lab,
            base,
            statement: &text,
            envelope: &envelope,
        };
        self.assess_and_store(&owner, &submission, today, verified, Some(&note), Some(&at))
    }
}

/// Whether an envelope carries evidence (`riskmark probe --out`) rather than a statement.
fn is_evidence(envelope: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "payloadType")]
        payload_type: String,
    }
    serde_json::from_slice::<Head>(envelope)
        .is_ok_and(|h| h.payload_type == riskmark_evidence::PAYLOAD_TYPE)
}

/// A lab's evidence file as its attestation about `device_id`: it must be signed by one of
/// the lab's registered keys; the checks it decides are what the lab attests, each naming
/// the tool and the target it observed.
fn evidence_statement(
    envelope: &[u8],
    lab: &Org,
    device_id: &str,
    keys: &[ed25519_dalek::VerifyingKey],
    today: jiff::civil::Date,
) -> Result<riskmark_attest::Statement, String> {
    let opened = keys
        .iter()
        .find_map(|k| riskmark_evidence::open(envelope, Some(k)).ok())
        .ok_or_else(|| {
            format!(
                "the evidence is not signed by a key registered for `{}`",
                lab.name
            )
        })?;
    let e = &opened.statement;
    e.validate(today).map_err(|x| x.to_string())?;
    if e.checks.is_empty() {
        return Err("the evidence decides no check".into());
    }
    Ok(riskmark_attest::Statement {
        schema: riskmark_attest::SCHEMA.into(),
        device_id: device_id.to_owned(),
        lab: lab.name.clone(),
        date: e.date().to_owned(),
        checks: e
            .checks
            .iter()
            .map(|c| riskmark_attest::Verified {
                code: c.code.clone(),
                result: c.result,
                evidence: format!("{} on {}: {}", e.tool, e.target, c.evidence),
            })
            .collect(),
    })
}
