//! `security-logging`: Security events are logged.
//!
//! ## What it checks
//!
//! Whether security-relevant events are recorded (`resilience.logging`).
//!
//! ## Why it matters
//!
//! Without logs, compromise goes unnoticed and incidents cannot be investigated or
//! reported within the CRA's 24-hour window.
//!
//! ## Serves
//!
//! - EN 303 645 5.10-1
//! - CRA Annex I(2)(l)
//! - NIST IR 8425 Cybersecurity State Awareness 1
//! - EN 18031-1 LGM-1
//! - IEC 62443-4-2 CR 2.8
//! - IEC 62443-4-2 CR 6.1
//!
//! ## Remediation
//!
//! Log authentication, configuration changes and update events; protect the logs and let
//! operators export them.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.10-1; CRA Annex I Part I(2)(l).

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx.profile.resilience.as_ref().and_then(|r| r.logging);
    b.flag(
        "resilience.logging",
        v,
        "security events are logged",
        "security events are not logged",
    )
}
