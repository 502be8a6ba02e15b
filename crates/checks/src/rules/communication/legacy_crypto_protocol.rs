//! `legacy-crypto-protocol`: No deprecated TLS versions.
//!
//! ## What it checks
//!
//! Whether TLS 1.0 or 1.1 is among the declared protocols
//! (`data_protection.encryption_in_transit`).
//!
//! ## Why it matters
//!
//! TLS 1.0 and 1.1 are deprecated (RFC 8996) and lack modern protections; allowing them
//! invites downgrade attacks.
//!
//! ## Serves
//!
//! - EN 303 645 5.5-1
//! - EN 303 645 5.5-3
//! - CRA Annex I(2)(e)
//! - EN 18031-1 CRY-1
//!
//! ## Remediation
//!
//! Disable TLS 1.0 and 1.1; offer TLS 1.2 with strong suites and TLS 1.3.
//!
//! ## References
//!
//! RFC 8996; ETSI EN 303 645 provision 5.5-1.

use riskmark_model::TransitEncryption;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .data_protection
        .as_ref()
        .and_then(|d| d.encryption_in_transit.clone());
    b.fact("data_protection.encryption_in_transit", &v);
    match v {
        None => b.needs("`data_protection.encryption_in_transit` is not declared"),
        Some(list)
            if list
                .iter()
                .any(|t| matches!(t, TransitEncryption::Tls1_0 | TransitEncryption::Tls1_1)) =>
        {
            b.fail("TLS 1.0 or 1.1 is still accepted")
        }
        Some(_) => b.pass("no deprecated TLS version is declared"),
    }
}
