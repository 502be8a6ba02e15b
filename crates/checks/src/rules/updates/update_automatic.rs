//! `update-automatic`: Security updates install automatically by default.
//!
//! ## What it checks
//!
//! Whether security updates are applied automatically by default (`updates.mechanism =
//! "automatic"`). User-initiated and manual updates fail: the user then carries the
//! responsibility to apply them.
//!
//! ## Why it matters
//!
//! Most users never install updates by hand; the CRA asks for automatic security updates
//! by default, with an opt-out.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-4
//! - EN 303 645 5.3-6
//! - CRA Annex I(2)(c)
//! - NIST IR 8425 Software Update 2
//!
//! ## Remediation
//!
//! Install security updates automatically by default, let users postpone or opt out, and
//! tell them what changed.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.3-4 and 5.3-6; CRA Annex I Part I(2)(c).

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
    b.fact("updates.mechanism", &mech);
    match mech {
        Some(UpdateMechanism::Automatic) => b.pass("security updates install automatically"),
        Some(m) => b.fail(format!("updates are {m}: users must apply them themselves")),
        None => b.needs("`updates.mechanism` is not declared"),
    }
}
