//! `user-data-deletion`: Users can erase their data.
//!
//! ## What it checks
//!
//! Whether users can erase their data and settings, e.g. by factory reset
//! (`data_protection.user_data_deletion`).
//!
//! ## Why it matters
//!
//! Devices are sold on, returned and discarded; without a simple erase, the next owner
//! gets the previous owner's data.
//!
//! ## Serves
//!
//! - EN 303 645 5.11-1
//! - EN 303 645 5.11-2
//! - CRA Annex I(2)(m)
//! - NIST IR 8425 Data Protection 3
//! - EN 18031-1 DLM-1
//! - IEC 62443-4-2 CR 4.2
//!
//! ## Remediation
//!
//! Offer a simple factory reset that erases personal data and credentials on the device
//! and in the backend.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.11-1 and 5.11-2; CRA Annex I Part I(2)(m).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .data_protection
        .as_ref()
        .and_then(|d| d.user_data_deletion);
    b.flag(
        "data_protection.user_data_deletion",
        v,
        "users can erase their data",
        "users cannot erase their data",
    )
}
