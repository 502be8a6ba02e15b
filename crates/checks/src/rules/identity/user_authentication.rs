//! `user-authentication`: Every interface authenticates its users.
//!
//! ## What it checks
//!
//! Whether the declared authentication methods (`identity.authentication`) include
//! `none`, meaning some interface grants access without authentication.
//!
//! ## Why it matters
//!
//! An interface without authentication lets anyone on the network, or nearby, change
//! settings or read data.
//!
//! ## Serves
//!
//! - EN 303 645 5.5-4
//! - EN 303 645 5.5-5
//! - CRA Annex I(2)(d)
//! - NIST IR 8425 Interface Access Control 1b
//! - EN 18031-1 ACM-1
//! - IEC 62443-4-2 CR 1.1
//!
//! ## Remediation
//!
//! Require authentication (pairing, certificates, tokens or passwords) for every
//! interface that can change configuration or read data.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.5-4 and 5.5-5; EN 18031-1 ACM-1.

use riskmark_model::AuthMethod;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .identity
        .as_ref()
        .and_then(|i| i.authentication.clone());
    b.fact("identity.authentication", &v);
    match v.as_deref() {
        None => b.needs("`identity.authentication` is not declared"),
        Some([]) => b.needs("no authentication method is declared"),
        Some(list) if list.contains(&AuthMethod::None) => {
            b.fail("some interface is declared without authentication (`none`)")
        }
        Some(list) => b.pass(format!(
            "authentication by {}",
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
