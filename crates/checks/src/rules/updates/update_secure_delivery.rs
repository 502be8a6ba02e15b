//! `update-secure-delivery`: Updates delivered over a secure channel.
//!
//! ## What it checks
//!
//! Whether updates travel over an authenticated, encrypted channel
//! (`updates.secure_delivery`).
//!
//! ## Why it matters
//!
//! An unprotected delivery channel exposes the update process to tampering and downgrade.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-7
//! - CRA Annex I Part II(7)
//! - EN 18031-1 SUM-3
//!
//! ## Remediation
//!
//! Deliver updates over TLS with server authentication, in addition to verifying image
//! signatures.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.3-7; CRA Annex I Part II(7).

use riskmark_model::UpdateMechanism;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let mech = ctx.update_mechanism();
    if mech == Some(UpdateMechanism::None) {
        b.fact("updates.mechanism", &mech);
        return b.na("the product has no update mechanism");
    }
    let v = ctx.profile.updates.as_ref().and_then(|u| u.secure_delivery);
    b.flag(
        "updates.secure_delivery",
        v,
        "updates are delivered over an authenticated, encrypted channel",
        "updates are delivered over an unprotected channel",
    )
}
