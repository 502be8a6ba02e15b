//! `credential-storage`: Credentials and keys stored securely.
//!
//! ## What it checks
//!
//! How credentials and keys are stored on the device (`identity.credential_storage`):
//! plaintext fails; hashed, encrypted or in a secure element passes.
//!
//! ## Why it matters
//!
//! Secrets read from flash or a memory dump let an attacker impersonate the device or its
//! users across the fleet.
//!
//! ## Serves
//!
//! - EN 303 645 5.4-1
//! - EN 303 645 5.4-3
//! - CRA Annex I(2)(e)
//! - EN 18031-1 SSM-1
//! - EN 18031-1 CCK-1
//! - IEC 62443-4-2 CR 4.1
//!
//! ## Remediation
//!
//! Store passwords as salted hashes and keys encrypted or in a secure element; never
//! hard-code them in firmware.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.4-1 and 5.4-3.

use riskmark_model::CredentialStorage;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .identity
        .as_ref()
        .and_then(|i| i.credential_storage);
    b.fact("identity.credential_storage", &v);
    match v {
        Some(CredentialStorage::Plaintext) => b.fail("credentials are stored in plaintext"),
        Some(s) => b.pass(format!("credentials are stored {s}")),
        None => b.needs("`identity.credential_storage` is not declared"),
    }
}
