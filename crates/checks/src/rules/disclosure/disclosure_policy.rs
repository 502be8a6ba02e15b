//! `disclosure-policy`: A vulnerability disclosure policy is published.
//!
//! ## What it checks
//!
//! Whether a coordinated vulnerability disclosure policy is published
//! (`disclosure.policy_url`). A missing policy never passes.
//!
//! ## Why it matters
//!
//! Researchers who find a flaw need to know how to report it and what to expect; without
//! a policy, reports are lost or go public unfixed.
//!
//! ## Serves
//!
//! - EN 303 645 5.2-1
//! - UK PSTI Sch. 1 para 2
//! - CRA Annex I Part II(5)
//! - NIST IR 8425 Information and Query Reception 1a
//! - IEC 62443-4-1 DM-1
//!
//! ## Remediation
//!
//! Publish a policy that gives the contact, the timelines for acknowledgement and status
//! updates, and how reporters are treated.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.2-1; ISO/IEC 29147; CRA Annex I Part II(5).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .disclosure
        .as_ref()
        .and_then(|d| d.policy_url.clone());
    b.fact("disclosure.policy_url", &v);
    match v {
        Some(url) if url.trim().is_empty() => b.fail("`disclosure.policy_url` is empty"),
        Some(url) => b.pass(format!("disclosure policy published: {url}")),
        None => b.needs("a disclosure policy is not declared (`disclosure.policy_url`)"),
    }
}
