//! `threat-modeling`: Threat modeling is done.
//!
//! ## What it checks
//!
//! Whether threat modeling is among the declared practices (`development.practices`).
//!
//! ## Why it matters
//!
//! The CRA asks for security proportionate to the risks; a threat model is how those
//! risks are found.
//!
//! ## Serves
//!
//! - EN 303 645 5.6-9
//! - CRA Annex I(1)
//! - IEC 62443-4-1 SR-2
//! - NIST SP 800-218 PW.1
//!
//! ## Remediation
//!
//! Model threats for each interface and asset at design time and after major changes.
//!
//! ## References
//!
//! CRA Annex I Part I(1); IEC 62443-4-1 SR-2; NIST SP 800-218 PW.1.

use riskmark_model::Practice;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let practices = ctx
        .profile
        .development
        .as_ref()
        .and_then(|d| d.practices.as_deref());
    Builder::new(ctx.profile).practice(practices, Practice::ThreatModeling)
}
