//! `unauthenticated-service`: No network service without authentication.
//!
//! ## What it checks
//!
//! Whether any declared listening service accepts clients without authentication
//! (`connectivity.services[].authentication = "none"`).
//!
//! ## Why it matters
//!
//! Unauthenticated services (Modbus, telnet, local HTTP control pages) let anyone who
//! reaches the network control the device.
//!
//! ## Serves
//!
//! - EN 303 645 5.5-4
//! - EN 303 645 5.5-5
//! - EN 303 645 5.6-2
//! - CRA Annex I(2)(d)
//! - CRA Annex I(2)(j)
//! - NIST IR 8425 Interface Access Control 1b
//! - EN 18031-1 ACM-1
//! - IEC 62443-4-2 CR 2.1
//!
//! ## Remediation
//!
//! Require authentication on every service, or remove it; operators of industrial
//! products must segment networks where a protocol cannot authenticate.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.5-4 and 5.6-2; IEC 62443-4-2 CR 2.1.

use riskmark_model::AuthMethod;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let services = ctx.profile.connectivity.services.clone();
    b.fact("connectivity.services", &services);
    let Some(services) = services else {
        return b.needs("listening services are not declared (`connectivity.services`)");
    };
    let open: Vec<String> = services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.authentication == Some(AuthMethod::None))
        .map(|(i, s)| {
            format!(
                "{}/{} (services[{i}])",
                s.name.as_deref().unwrap_or("service"),
                s.port
            )
        })
        .collect();
    if open.is_empty() {
        b.pass(format!(
            "{} declared service(s), none without authentication",
            services.len()
        ))
    } else {
        b.fail(format!("without authentication: {}", open.join(", ")))
    }
}
