//! `disclosure-contact`: A security contact is published.
//!
//! ## What it checks
//!
//! Whether a point of contact for security issues is declared (`disclosure.contact`, a
//! `mailto:` or `https:` address).
//!
//! ## Why it matters
//!
//! PSTI and the CRA require a single point of contact for reporting vulnerabilities.
//!
//! ## Serves
//!
//! - EN 303 645 5.2-1
//! - UK PSTI Sch. 1 para 2
//! - CRA Annex I Part II(6)
//! - CRA Annex II(2)
//! - NIST IR 8425 Information and Query Reception 1a
//!
//! ## Remediation
//!
//! Publish a monitored address (e.g. security@ with a mailto: link, or a web form) and
//! list it in security.txt.
//!
//! ## References
//!
//! UK PSTI Schedule 1 paragraph 2; CRA Annex II point 2.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .disclosure
        .as_ref()
        .and_then(|d| d.contact.clone());
    b.fact("disclosure.contact", &v);
    match v {
        Some(c) if c.starts_with("mailto:") || c.starts_with("https://") => {
            b.pass(format!("security contact: {c}"))
        }
        Some(c) => b.fail(format!(
            "the contact `{c}` is not a mailto: or https: address"
        )),
        None => b.needs("no security contact is declared (`disclosure.contact`)"),
    }
}
