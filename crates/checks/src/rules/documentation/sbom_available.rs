//! `sbom-available`: An SBOM is maintained.
//!
//! ## What it checks
//!
//! Whether an SBOM is declared (`disclosure.sbom`) or was given for this assessment. A
//! declared SBOM that names a local file (relative to the profile) which is not there
//! needs evidence: the declaration points at nothing.
//!
//! ## Why it matters
//!
//! The CRA requires manufacturers to identify and document their components in an SBOM;
//! vulnerability handling starts there.
//!
//! ## Serves
//!
//! - CRA Annex I Part II(1)
//! - CRA Annex II(9)
//! - NIST IR 8425 Documentation 1d
//! - FCC 24-26 registry field 10
//! - IEC 62443-4-1 SM-9
//!
//! ## Remediation
//!
//! Generate a CycloneDX or SPDX SBOM for every firmware release (at least top-level
//! dependencies) and keep it with the technical documentation.
//!
//! ## References
//!
//! CRA Annex I Part II(1); BSI TR-03183-2; NTIA minimum elements.

use crate::Ctx;
use crate::verdict::{Builder, Verdict};

pub(crate) fn check(ctx: &Ctx<'_>) -> Verdict {
    let mut b = Builder::new(ctx.profile);
    let b = &mut b;
    let declared = ctx.profile.disclosure.as_ref().and_then(|d| d.sbom.clone());
    b.fact("disclosure.sbom", &declared);
    if let Some(missing) = ctx.missing_sbom {
        return b.needs(format!(
            "the declared SBOM `{missing}` was not found next to the profile (give it with \
             --sbom, or fix `disclosure.sbom`)"
        ));
    }
    match (
        declared,
        ctx.vulnerabilities.is_some_and(|v| v.sbom_present),
    ) {
        (_, true) => b.pass("an SBOM was given for this assessment"),
        (Some(s), false) => b.pass(format!("SBOM declared: {s}")),
        (None, false) => b.needs("no SBOM is declared (`disclosure.sbom`) or given"),
    }
}
