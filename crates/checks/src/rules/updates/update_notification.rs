//! `update-notification`: Users are told about updates.
//!
//! ## What it checks
//!
//! Whether users are notified of available or applied updates (`updates.notify_users`).
//!
//! ## Why it matters
//!
//! Users who are not told about an update cannot apply it or plan for the disruption it
//! causes.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-11
//! - EN 303 645 5.3-12
//! - CRA Annex I(2)(c)
//! - NIST IR 8425 Information Dissemination 1c
//!
//! ## Remediation
//!
//! Notify users through the app or device when an update is needed, why, and whether it
//! will interrupt the device.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.3-11 and 5.3-12.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let v = ctx.profile.updates.as_ref().and_then(|u| u.notify_users);
    Builder::new(ctx.profile).update_flag(
        ctx.update_mechanism(),
        "updates.notify_users",
        v,
        "users are notified about updates",
        "users are not notified about updates",
    )
}
