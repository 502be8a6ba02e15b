//! `known-vulnerabilities`: No known high or critical vulnerabilities.
//!
//! ## What it checks
//!
//! Whether the SBOM's components have known vulnerabilities of high or critical severity
//! that VEX does not mark as not affected or fixed.
//!
//! ## Why it matters
//!
//! The CRA forbids placing products with known exploitable vulnerabilities on the market;
//! high and critical ones are the likeliest to be exploited.
//!
//! ## Serves
//!
//! - EN 303 645 5.2-3
//! - EN 303 645 5.3-8
//! - CRA Annex I(2)(a)
//! - CRA Annex I Part II(2)
//! - EN 18031-1 GEC-1
//! - IEC 62443-4-2 CR 7.8
//!
//! ## Remediation
//!
//! Update the affected components, or publish VEX statements explaining why the product
//! is not affected.
//!
//! ## References
//!
//! CRA Annex I Part I(2)(a); ETSI EN 303 645 provisions 5.2-3 and 5.3-8.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    match ctx.vulnerabilities.filter(|v| v.scanned) {
        None => b.needs("no SBOM was scanned for known vulnerabilities"),
        Some(v) if v.critical + v.high > 0 => b.fail(format!(
            "{} critical and {} high-severity known vulnerabilities",
            v.critical, v.high
        )),
        Some(v) => b.pass(format!(
            "no high or critical known vulnerabilities ({} lower-severity)",
            v.total
        )),
    }
}
