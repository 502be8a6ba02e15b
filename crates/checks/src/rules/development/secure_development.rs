//! `secure-development`: A secure development lifecycle is followed.
//!
//! ## What it checks
//!
//! Whether the declared development practices (`development.practices`) cover design,
//! review and testing: at least three practices, including one of code review, static
//! analysis or fuzzing.
//!
//! ## Why it matters
//!
//! Most vulnerabilities are introduced in development; a lifecycle with review and
//! testing catches them before release.
//!
//! ## Serves
//!
//! - EN 303 645 5.6-9
//! - CRA Annex I Part II(3)
//! - NIST SP 800-218 (SSDF)
//! - IEC 62443-4-1 SM-1
//!
//! ## Remediation
//!
//! Adopt NIST SP 800-218 (SSDF) or IEC 62443-4-1 practices: threat modeling, code review,
//! static analysis, fuzzing, dependency scanning.
//!
//! ## References
//!
//! ETSI EN 303 645 provision 5.6-9; NIST SP 800-218; IEC 62443-4-1.

use riskmark_model::Practice;

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let v = ctx
        .profile
        .development
        .as_ref()
        .and_then(|d| d.practices.clone());
    b.fact("development.practices", &v);
    match v {
        None => b.needs("`development.practices` is not declared"),
        Some(p) => {
            let testing = p.iter().any(|x| {
                matches!(
                    x,
                    Practice::CodeReview | Practice::StaticAnalysis | Practice::Fuzzing
                )
            });
            if p.len() >= 3 && testing {
                b.pass(format!(
                    "{} practices declared, including review or testing",
                    p.len()
                ))
            } else {
                b.fail(format!("only {} practice(s) declared; a lifecycle needs at least three, with review or testing", p.len()))
            }
        }
    }
}
