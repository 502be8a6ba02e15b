//! `support-period-expired`: The support period has not ended.
//!
//! ## What it checks
//!
//! Whether the declared support end date (`updates.support_end`) is still in the future
//! on the assessment date.
//!
//! ## Why it matters
//!
//! A product past its support end no longer receives security fixes; new vulnerabilities
//! stay open.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-8
//! - CRA Annex I Part II(2)
//! - NIST IR 8425 Information Dissemination 1b
//!
//! ## Remediation
//!
//! Extend the support period, or tell users the product is unsupported and how to replace
//! or isolate it.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.3-8; CRA Annex I Part II(2).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let end = ctx.profile.updates.as_ref().and_then(|u| u.support_end);
    b.fact("updates.support_end", &end.map(|d| d.to_string()));
    match end {
        Some(d) if d.0 < ctx.as_of => b.fail(format!("security support ended on {d}")),
        Some(d) => b.pass(format!("supported until {d}")),
        None => b.needs("no support end date is declared (`updates.support_end`)"),
    }
}
