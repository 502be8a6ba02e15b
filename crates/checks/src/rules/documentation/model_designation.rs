//! `model-designation`: The model designation is stated.
//!
//! ## What it checks
//!
//! Whether the product's model designation is declared (`product.model`), so users can
//! tell which advisories and support terms apply.
//!
//! ## Why it matters
//!
//! Advisories and support periods are per model; users who cannot identify their model
//! cannot act on them.
//!
//! ## Serves
//!
//! - EN 303 645 5.3-16
//! - CRA Annex II(1)
//! - NIST IR 8425 Asset Identification 1
//!
//! ## Remediation
//!
//! Print the model designation on the device and its packaging, and show it in the app.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.3-16.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let m = ctx.profile.product.model.clone();
    b.fact("product.model", &m);
    if m.trim().is_empty() {
        b.fail("the model designation is empty")
    } else {
        b.pass(format!("model designation: {m}"))
    }
}
