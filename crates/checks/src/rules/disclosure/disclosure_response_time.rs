//! `disclosure-response-time`: Response timelines are promised.
//!
//! ## What it checks
//!
//! Whether the manufacturer promises a time to first response or remediation plan
//! (`disclosure.response_days`); more than 90 days fails.
//!
//! ## Why it matters
//!
//! PSTI requires reporters to be told when they will be acknowledged and updated; 90 days
//! is the common coordinated-disclosure horizon.
//!
//! ## Serves
//!
//! - EN 303 645 5.2-2
//! - UK PSTI Sch. 1 para 2
//! - CRA Annex I Part II(2)
//!
//! ## Remediation
//!
//! Promise and keep timelines: acknowledge within days, give status updates, and fix or
//! publish within 90 days.
//!
//! ## References
//!
//! UK PSTI Schedule 1 paragraph 2; ETSI EN 303 645 provision 5.2-2.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .disclosure
        .as_ref()
        .and_then(|d| d.response_days);
    b.fact("disclosure.response_days", &v);
    match v {
        Some(d) if d <= 90 => b.pass(format!("first response or plan promised within {d} days")),
        Some(d) => b.fail(format!(
            "{d} days is longer than the 90-day coordinated disclosure practice"
        )),
        None => b.needs("no response time is declared (`disclosure.response_days`)"),
    }
}
