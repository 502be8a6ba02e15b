//! `internet-reachable`: Internet-reachable services are protected.
//!
//! ## What it checks
//!
//! Whether the product is reachable from the internet without the user's explicit action
//! (`connectivity.internet_reachable`) while a declared service lacks authentication.
//!
//! ## Why it matters
//!
//! Internet exposure turns every weak service into a target for mass scanning.
//!
//! ## Serves
//!
//! - EN 303 645 5.6-1
//! - CRA Annex I(2)(j)
//! - CRA Annex I(2)(i)
//! - NIST IR 8425 Interface Access Control 1a
//!
//! ## Remediation
//!
//! Keep devices off the internet by default; expose only authenticated, encrypted
//! services, and only when the user chooses to.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.6-1; CRA Annex I Part I(2)(j).

use riskmark_model::AuthMethod;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let reach = ctx.profile.connectivity.internet_reachable;
    b.fact("connectivity.internet_reachable", &reach);
    match reach {
        None => b.needs("`connectivity.internet_reachable` is not declared"),
        Some(false) => b.pass("not reachable from the internet without the user's action"),
        Some(true) => {
            let services = ctx
                .profile
                .connectivity
                .services
                .clone()
                .unwrap_or_default();
            b.fact("connectivity.services", &ctx.profile.connectivity.services);
            if services
                .iter()
                .any(|s| s.authentication == Some(AuthMethod::None))
            {
                b.fail("reachable from the internet with a service that needs no authentication")
            } else if ctx.profile.connectivity.services.is_none() {
                b.needs("reachable from the internet, and the listening services are not declared")
            } else {
                b.pass("reachable from the internet; every declared service authenticates")
            }
        }
    }
}
