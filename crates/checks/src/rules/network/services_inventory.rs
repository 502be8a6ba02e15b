//! `services-inventory`: Listening services are inventoried.
//!
//! ## What it checks
//!
//! Whether the profile lists every listening network service (`connectivity.services`),
//! debug ones included.
//!
//! ## Why it matters
//!
//! What is not inventoried cannot be minimized, protected or described to network
//! operators (MUD).
//!
//! ## Serves
//!
//! - EN 303 645 5.6-1
//! - EN 303 645 5.6-2
//! - CRA Annex I(2)(j)
//! - NIST IR 8425 Documentation 1b
//! - MUD RFC 8520
//!
//! ## Remediation
//!
//! List every listening port with its protocol, authentication and purpose; remove those
//! that are not needed.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.6-1; RFC 8520 (MUD).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx.profile.connectivity.services.clone();
    b.fact("connectivity.services", &v);
    match v {
        Some(s) => b.pass(format!("{} listening service(s) declared", s.len())),
        None => b.needs("listening services are not declared (`connectivity.services`)"),
    }
}
