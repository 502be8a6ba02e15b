//! `upnp-enabled`: UPnP port mapping is off.
//!
//! ## What it checks
//!
//! Whether the product uses UPnP to open ports on the user's router
//! (`connectivity.upnp`).
//!
//! ## Why it matters
//!
//! UPnP silently exposes the device to the internet and has been abused to build botnets
//! and proxy networks.
//!
//! ## Serves
//!
//! - EN 303 645 5.6-1
//! - CRA Annex I(2)(j)
//! - CRA Annex I(2)(i)
//!
//! ## Remediation
//!
//! Do not use UPnP port mapping; use outbound connections to a relay or cloud service
//! instead.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.6-1; CRA Annex I Part I(2)(i) and (j).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx.profile.connectivity.upnp;
    b.fact("connectivity.upnp", &v);
    match v {
        Some(true) => b.fail("UPnP can open ports on the user's router"),
        Some(false) => b.pass("UPnP is not used"),
        None => b.needs("`connectivity.upnp` is not declared"),
    }
}
