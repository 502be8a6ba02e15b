//! `penetration-test`: A penetration test is done.
//!
//! ## What it checks
//!
//! Whether penetration testing is among the declared practices (`development.practices`);
//! with a test report as evidence it counts as verified.
//!
//! ## Why it matters
//!
//! An independent attack on the finished product finds what reviews miss; Singapore's CLS
//! level 4 requires it.
//!
//! ## Serves
//!
//! - CRA Annex I Part II(3)
//! - Singapore CLS level 4
//! - IEC 62443-4-1 SVV-4
//!
//! ## Remediation
//!
//! Commission a structured penetration test by an accredited lab before release and after
//! major changes.
//!
//! ## References
//!
//! CRA Annex I Part II(3); IEC 62443-4-1 SVV-4.

use riskmark_model::Practice;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let practices = ctx
        .profile
        .development
        .as_ref()
        .and_then(|d| d.practices.as_deref());
    Builder::new(ctx.profile).practice(practices, Practice::PenetrationTest)
}
