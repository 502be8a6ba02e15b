//! `secure-boot`: Secure boot verifies the software.
//!
//! ## What it checks
//!
//! Whether the boot chain verifies the software before running it
//! (`resilience.secure_boot`).
//!
//! ## Why it matters
//!
//! Without secure boot, persistent malware survives reboots and updates.
//!
//! ## Serves
//!
//! - EN 303 645 5.7-1
//! - CRA Annex I(2)(f)
//! - CRA Annex I(2)(k)
//! - NIST SP 800-213A Device Security
//! - IEC 62443-4-2 CR 3.14
//!
//! ## Remediation
//!
//! Enable a hardware root of trust and verify each boot stage's signature.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.7-1; IEC 62443-4-2 CR 3.14.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx.profile.resilience.as_ref().and_then(|r| r.secure_boot);
    b.flag(
        "resilience.secure_boot",
        v,
        "the boot chain verifies the software",
        "software is booted without verification",
    )
}
