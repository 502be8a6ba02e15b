//! `dependency-scanning`: Third-party components are scanned.
//!
//! ## What it checks
//!
//! Whether dependency scanning is among the declared practices (`development.practices`).
//!
//! ## Why it matters
//!
//! Most firmware code comes from third parties; known vulnerabilities in them must be
//! found and fixed throughout the product's life.
//!
//! ## Serves
//!
//! - EN 303 645 5.2-3
//! - CRA Annex I Part II(1)
//! - CRA Annex I Part II(2)
//! - NIST SP 800-218 PW.4
//!
//! ## Remediation
//!
//! Scan the SBOM's components against vulnerability databases on every build and during
//! support; riskmark vulns does this offline.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.2-3; CRA Annex I Part II(1)-(2).

use riskmark_model::Practice;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let practices = ctx
        .profile
        .development
        .as_ref()
        .and_then(|d| d.practices.as_deref());
    Builder::new(ctx.profile).practice(practices, Practice::DependencyScanning)
}
