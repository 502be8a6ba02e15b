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
    let v = ctx
        .profile
        .updates
        .as_ref()
        .and_then(|u| u.rollback_protection);
    b.flag(
        "updates.rollback_protection",
        v,
        "older images cannot be reinstalled",
        "older, possibly vulnerable images can be reinstalled",
    )
}
