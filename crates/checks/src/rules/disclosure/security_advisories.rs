//! `security-advisories`: Security advisories are published.
//!
//! ## What it checks
//!
//! Whether a location for security advisories is declared (`disclosure.advisories_url`,
//! e.g. CSAF provider metadata).
//!
//! ## Why it matters
//!
//! After a fix, users and operators need an advisory describing the vulnerability, the
//! affected versions and the remedy.
//!
//! ## Serves
//!
//! - CRA Annex I Part II(4)
//! - CRA Annex I Part II(8)
//! - NIST IR 8425 Information Dissemination 1d
//!
//! ## Remediation
//!
//! Publish advisories, preferably as CSAF 2.0 from /.well-known/csaf/provider-
//! metadata.json.
//!
//! ## References
//!
//! CRA Annex I Part II(4); OASIS CSAF 2.0.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .disclosure
        .as_ref()
        .and_then(|d| d.advisories_url.clone());
    b.fact("disclosure.advisories_url", &v);
    match v {
        Some(url) if url.trim().is_empty() => b.fail("`disclosure.advisories_url` is empty"),
        Some(url) => b.pass(format!("advisories published: {url}")),
        None => b.needs("an advisories location is not declared (`disclosure.advisories_url`)"),
    }
}
