//! `encryption-at-rest`: Sensitive data is encrypted at rest.
//!
//! ## What it checks
//!
//! Whether stored data is encrypted (`data_protection.encryption_at_rest`). Not
//! applicable when the product declares no personal data.
//!
//! ## Why it matters
//!
//! Devices are lost, resold and opened; unencrypted storage gives away personal data and
//! secrets.
//!
//! ## Serves
//!
//! - EN 303 645 5.4-1
//! - CRA Annex I(2)(e)
//! - NIST IR 8425 Data Protection 1
//! - EN 18031-1 SSM-2
//!
//! ## Remediation
//!
//! Encrypt personal data and secrets at rest with keys protected by hardware where
//! possible.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.4-1; CRA Annex I Part I(2)(e).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    b.fact("use.data", &ctx.profile.use_.data);
    if ctx.personal_data() == Some(false) {
        return b.na("the product declares no personal data");
    }
    let v = ctx
        .profile
        .data_protection
        .as_ref()
        .and_then(|d| d.encryption_at_rest);
    b.flag(
        "data_protection.encryption_at_rest",
        v,
        "stored data is encrypted",
        "stored data is not encrypted",
    )
}
