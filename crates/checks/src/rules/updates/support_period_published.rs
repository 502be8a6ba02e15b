//! `support-period-published`: A support end date is published.
//!
//! ## What it checks
//!
//! Whether the profile declares the date until which security updates are guaranteed
//! (`updates.support_end`).
//!
//! ## Why it matters
//!
//! Buyers cannot weigh a product's lifetime cost without knowing how long it will be
//! patched; PSTI and the CRA require the end date to be stated.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-13
//! - UK PSTI Sch. 1 para 3
//! - CRA Art. 13(8)
//! - CRA Annex II(7)
//! - NIST IR 8425 Information Dissemination 1a
//! - NIST IR 8425 Information Dissemination 1b
//!
//! ## Remediation
//!
//! Publish a defined support period with its end date, at the point of sale and in the
//! documentation; the CRA expects at least five years unless the product's use is
//! shorter.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.3-13; UK PSTI Schedule 1 paragraph 3; CRA Article 13(8)
//! and Annex II point 7.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let end = ctx.profile.updates.as_ref().and_then(|u| u.support_end);
    b.fact("updates.support_end", &end.map(|d| d.to_string()));
    match end {
        Some(d) => b.pass(format!("security updates are guaranteed until {d}")),
        None => b.needs("no support end date is declared (`updates.support_end`)"),
    }
}
