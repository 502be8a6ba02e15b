//! `privacy-notice`: A privacy notice is published.
//!
//! ## What it checks
//!
//! Whether a privacy notice is declared (`data_protection.privacy_notice_url`) for
//! products that process personal data.
//!
//! ## Why it matters
//!
//! Users must be told what personal data is processed, why and by whom (EN 303 645 clause
//! 6, GDPR).
//!
//! ## Serves
//!
//! - EN 303 645 6-1
//! - EN 303 645 5.8-3
//! - CRA Annex I(2)(g)
//! - NIST IR 8425 Documentation 1a
//!
//! ## Remediation
//!
//! Publish a clear notice per sensor and data type: what is collected, why, where it is
//! stored and who receives it.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 6-1.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    b.fact("use.data", &ctx.profile.use_.data);
    if ctx.personal_data() == Some(false) {
        return b.na("the product declares no personal data");
    }
    let v = ctx
        .profile
        .data_protection
        .as_ref()
        .and_then(|d| d.privacy_notice_url.clone());
    b.fact("data_protection.privacy_notice_url", &v);
    match v {
        Some(u) => b.pass(format!("privacy notice: {u}")),
        None => b.needs("no privacy notice is declared (`data_protection.privacy_notice_url`)"),
    }
}
