//! `code-review`: Code is reviewed.
//!
//! ## What it checks
//!
//! Whether code review is among the declared practices (`development.practices`).
//!
//! ## Why it matters
//!
//! Review by a second engineer catches a large share of security defects before they
//! ship.
//!
//! ## Serves
//!
//! - EN 303 645 5.6-9
//! - NIST SP 800-218 PW.7
//! - IEC 62443-4-1 SI-1
//!
//! ## Remediation
//!
//! Require review of every change, with security-sensitive code reviewed by someone
//! trained for it.
//!
//! ## References
//!
//! NIST SP 800-218 PW.7; IEC 62443-4-1 SI-1.

use riskmark_model::Practice;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let practices = ctx
        .profile
        .development
        .as_ref()
        .and_then(|d| d.practices.as_deref());
    Builder::new(ctx.profile).practice(practices, Practice::CodeReview)
}
