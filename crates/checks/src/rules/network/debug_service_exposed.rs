//! `debug-service-exposed`: No debug service on the network.
//!
//! ## What it checks
//!
//! Whether a declared service looks like a debug or maintenance interface (telnet, ADB,
//! GDB, JTAG/UART bridges, or a purpose mentioning debug) that is reachable over the
//! network.
//!
//! ## Why it matters
//!
//! Debug services left enabled in production are a classic way in: they often run as root
//! and skip authentication.
//!
//! ## Serves
//!
//! - EN 303 645 5.6-1
//! - EN 303 645 5.6-4
//! - CRA Annex I(2)(j)
//! - NIST IR 8425 Interface Access Control 1a
//! - EN 18031-1 GEC-3
//!
//! ## Remediation
//!
//! Disable debug services in production firmware, or put them behind strong
//! authentication and a physical action.
//!
//! ## References
//!
//! ETSI EN 303 645 provisions 5.6-1 and 5.6-4.

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
    let debug: Vec<String> = services
        .iter()
        .filter(|s| {
            let text = format!(
                "{} {}",
                s.name.as_deref().unwrap_or(""),
                s.purpose.as_deref().unwrap_or("")
            )
            .to_lowercase();
            s.port == 23
                || [
                    "telnet",
                    "debug",
                    "adb",
                    "gdb",
                    "jtag",
                    "uart",
                    "diagnostic",
                ]
                .iter()
                .any(|k| text.contains(k))
        })
        .map(|s| format!("{}/{}", s.name.as_deref().unwrap_or("service"), s.port))
        .collect();
    if debug.is_empty() {
        b.pass("no declared service looks like a debug interface")
    } else {
        b.fail(format!(
            "debug or maintenance services reachable over the network: {}",
            debug.join(", ")
        ))
    }
}
