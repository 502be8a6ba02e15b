//! `update-signed`: Update images are authenticated before install.
//!
//! ## What it checks
//!
//! Whether the device verifies the authenticity and integrity of update images before
//! installing them (`updates.signed`).
//!
//! ## Why it matters
//!
//! Unsigned updates let anyone who can reach the update path install malicious firmware.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-9
//! - EN 303 645 5.3-10
//! - CRA Annex I(2)(f)
//! - NIST IR 8425 Software Update 2
//! - EN 18031-1 SUM-2
//! - IEC 62443-4-2 CR 3.4
//!
//! ## Remediation
//!
//! Sign images with a key kept off the device and verify the signature on the device
//! before installing.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.3-9 and 5.3-10; NIST IR 8259A Software Update.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let v = ctx.profile.updates.as_ref().and_then(|u| u.signed);
    Builder::new(ctx.profile).update_flag(
        ctx.update_mechanism(),
        "updates.signed",
        v,
        "update images are verified before install",
        "update images are installed without verifying their signature",
    )
}
