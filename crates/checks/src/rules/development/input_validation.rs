//! `input-validation`: Input is validated (fuzzing or static analysis applied).
//!
//! ## What it checks
//!
//! Whether the development practices (`development.practices`) include fuzzing or static
//! analysis, the practices that find missing input validation on user and network
//! interfaces before release.
//!
//! ## Why it matters
//!
//! Unvalidated input (overlong fields, malformed packets, injected commands) is the root
//! of most remotely exploitable device vulnerabilities.
//!
//! ## Serves
//!
//! - EN 303 645 5.13-1 (V2), 5.13-1A and 5.13-1B (V3)
//! - EN 18031-1 GEC-6
//! - IEC 62443-4-2 CR 3.5
//! - NIST IR 8425 Interface Access Control 2a
//! - CRA Annex I(2)(k)
//!
//! ## Remediation
//!
//! Validate every input against its expected type, length and range on the device; fuzz
//! the network parsers and the local interfaces, and run static analysis on every build.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.13-1; IEC 62443-4-2 CR 3.5; NIST SP 800-218 PW.7/PW.8.

use riskmark_model::Practice;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let practices = ctx
        .profile
        .development
        .as_ref()
        .and_then(|d| d.practices.as_deref());
    let mut b = Builder::new(ctx.profile);
    b.fact("development.practices", &practices);
    match practices {
        None => b.needs("`development.practices` is not declared"),
        Some(p)
            if p.iter()
                .any(|x| matches!(x, Practice::Fuzzing | Practice::StaticAnalysis)) =>
        {
            b.pass("fuzzing or static analysis looks for missing input validation")
        }
        Some(_) => b.fail("neither fuzzing nor static analysis is among the declared practices"),
    }
}
