//! `security-txt`: An RFC 9116 security.txt is published.
//!
//! ## What it checks
//!
//! Whether a machine-readable security.txt (RFC 9116) is declared
//! (`disclosure.security_txt`).
//!
//! ## Why it matters
//!
//! Tools and researchers look for /.well-known/security.txt to find where to report;
//! Germany's CRA preparation guideline requires it.
//!
//! ## Serves
//!
//! - CRA Annex I Part II(6)
//! - BSI TR-03183-3
//! - NIST IR 8425 Information and Query Reception 1a
//!
//! ## Remediation
//!
//! Publish /.well-known/security.txt with Contact, Expires and Policy (and CSAF when you
//! publish advisories); `riskmark disclose security-txt` can write it.
//!
//! ## References
//!
//! RFC 9116; BSI TR-03183-3.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .disclosure
        .as_ref()
        .and_then(|d| d.security_txt.clone());
    b.fact("disclosure.security_txt", &v);
    match v {
        Some(url) if url.trim().is_empty() => b.fail("`disclosure.security_txt` is empty"),
        Some(url) => b.pass(format!("security.txt published: {url}")),
        None => b.needs("a security.txt is not declared (`disclosure.security_txt`)"),
    }
}
