//! `ssdf-attestation`: A secure development self-attestation exists.
//!
//! ## What it checks
//!
//! Whether a NIST SP 800-218 (SSDF) self-attestation exists
//! (`development.ssdf_attestation`).
//!
//! ## Why it matters
//!
//! US federal buyers require software producers to attest to secure development
//! practices.
//!
//! ## Serves
//!
//! - NIST SP 800-218 (SSDF)
//! - US OMB M-22-18
//! - NIST IR 8425 Documentation 1c
//!
//! ## Remediation
//!
//! Complete the CISA secure software development attestation form for the product's
//! software.
//!
//! ## References
//!
//! NIST SP 800-218; OMB M-22-18.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .development
        .as_ref()
        .and_then(|d| d.ssdf_attestation);
    b.flag(
        "development.ssdf_attestation",
        v,
        "an SSDF self-attestation exists",
        "no SSDF self-attestation exists",
    )
}
