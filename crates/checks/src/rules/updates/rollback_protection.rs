//! `rollback-protection`: Rollback to vulnerable versions is prevented.
//!
//! ## What it checks
//!
//! Whether older, vulnerable images can be reinstalled (`updates.rollback_protection`).
//!
//! ## Why it matters
//!
//! Without rollback protection, an attacker can install an old, signed but vulnerable
//! image and exploit it.
//!
//! ## Serves
//!
//! - CRA Annex I(2)(f)
//! - NIST IR 8259A Software Update
//! - IEC 62443-4-2 CR 3.10
//!
//! ## Remediation
//!
//! Keep a monotonic version counter in protected storage and refuse images older than the
//! installed security version.
//!
//! ## References
//!
//! NIST IR 8259A (Software Update); IEC 62443-4-2 CR 3.10.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let v = ctx
        .profile
        .updates
        .as_ref()
        .and_then(|u| u.rollback_protection);
    Builder::new(ctx.profile).update_flag(
        ctx.update_mechanism(),
        "updates.rollback_protection",
        v,
        "older images cannot be reinstalled",
        "older, possibly vulnerable images can be reinstalled",
    )
}
