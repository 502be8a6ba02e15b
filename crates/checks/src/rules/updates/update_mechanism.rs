//! `update-mechanism`: Software can be updated.
//!
//! ## What it checks
//!
//! Whether the product has a way to receive security updates (`updates.mechanism` other
//! than `none`).
//!
//! ## Why it matters
//!
//! A device that cannot be patched stays vulnerable for its whole life; the CRA requires
//! that vulnerabilities can be fixed through updates.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-1
//! - EN 303 645 5.3-2
//! - CRA Annex I(2)(c)
//! - CRA Annex I Part II(7)
//! - NIST IR 8425 Software Update 1
//! - IEC 62443-4-2 CR 3.10
//!
//! ## Remediation
//!
//! Provide an update mechanism for all software components; if the device is truly
//! constrained, publish why and how it will be isolated or replaced (EN 303 645
//! 5.3-14/15).
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.3-1 and 5.3-2; Regulation (EU) 2024/2847 Annex I Part
//! I(2)(c).

use riskmark_model::UpdateMechanism;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let mech = ctx.update_mechanism();
    b.fact("updates.mechanism", &mech);
    match mech {
        Some(UpdateMechanism::None) => b.fail("the product cannot be updated"),
        Some(m) => b.pass(format!("updates are {m}")),
        None => b.needs("`updates.mechanism` is not declared"),
    }
}
