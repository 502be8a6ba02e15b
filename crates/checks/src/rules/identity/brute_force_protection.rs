//! `brute-force-protection`: Brute-force protection on authentication.
//!
//! ## What it checks
//!
//! Whether repeated failed authentication attempts are limited
//! (`identity.brute_force_protection`). Applies when the product authenticates with
//! passwords or PINs.
//!
//! ## Why it matters
//!
//! Without rate limiting or lockout, short passwords and PINs fall to automated guessing
//! in hours.
//!
//! ## Serves
//!
//! - EN 303 645 5.1-5
//! - CRA Annex I(2)(d)
//! - NIST IR 8259A Logical Access to Interfaces
//! - EN 18031-1 AUM-6
//! - IEC 62443-4-2 CR 1.11
//!
//! ## Remediation
//!
//! Limit attempts (delays that grow, temporary lockout) on every interface that accepts
//! passwords or PINs, including local ones.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.1-5; IEC 62443-4-2 CR 1.11.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    if !ctx.uses_passwords() {
        b.fact(
            "identity.authentication",
            &ctx.profile
                .identity
                .as_ref()
                .and_then(|i| i.authentication.clone()),
        );
        return b.na("no password or PIN authentication is declared");
    }
    let v = ctx
        .profile
        .identity
        .as_ref()
        .and_then(|i| i.brute_force_protection);
    b.flag(
        "identity.brute_force_protection",
        v,
        "failed authentication attempts are limited",
        "passwords or PINs are accepted without limiting failed attempts",
    )
}
