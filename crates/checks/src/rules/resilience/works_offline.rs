//! `works-offline`: Core function survives network loss.
//!
//! ## What it checks
//!
//! Whether the product's core function keeps working when the network or cloud is
//! unavailable (`resilience.works_offline`).
//!
//! ## Why it matters
//!
//! A lock that will not open, or heating that stops, when a cloud service fails turns
//! outages into safety problems.
//!
//! ## Serves
//!
//! - EN 303 645 5.9-1
//! - EN 303 645 5.9-2
//! - CRA Annex I(2)(h)
//! - IEC 62443-4-2 CR 7.1
//!
//! ## Remediation
//!
//! Keep core functions local; reconnect in an orderly way after outages.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.9-1 and 5.9-2; CRA Annex I Part I(2)(h).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .resilience
        .as_ref()
        .and_then(|r| r.works_offline);
    b.flag(
        "resilience.works_offline",
        v,
        "the core function works without network or cloud",
        "the core function stops without network or cloud",
    )
}
