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

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let v = ctx.profile.updates.as_ref().and_then(|u| u.secure_delivery);
    Builder::new(ctx.profile).update_flag(
        ctx.update_mechanism(),
        "updates.secure_delivery",
        v,
        "updates are delivered over an authenticated, encrypted channel",
        "updates are delivered over an unprotected channel",
    )
}
