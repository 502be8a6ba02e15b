//! Atomic, framework-agnostic checks over a device profile.
//!
//! Each check is one file under `rules/<area>/`, whose module documentation is the
//! user documentation (headings: What it checks, Why it matters, Serves, Remediation,
//! References). Frameworks are data (OSCAL catalogs) that map their controls to these
//! codes, so the codes are a stable contract: never renamed, never reused.

#![warn(missing_docs)]

mod registry;
mod rules;
mod verdict;

use jiff::civil::Date;
use riskmark_model::{AuthMethod, DataKind, DefaultPassword, Profile, UpdateMechanism};
use serde::Serialize;

pub use registry::{Area, CheckInfo, checks, codes, doc, info, title};
pub use verdict::{Basis, FactRef, Role, Status, Verdict};

/// What the vulnerability scan found (when an SBOM was scanned).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VulnSummary {
    /// An SBOM was provided.
    pub sbom_present: bool,
    /// Its components were matched against the vulnerability database.
    pub scanned: bool,
    /// Findings not suppressed by VEX.
    pub total: usize,
    /// ... of critical severity.
    pub critical: usize,
    /// ... of high severity.
    pub high: usize,
    /// ... listed in CISA's Known Exploited Vulnerabilities catalog.
    pub kev: usize,
}

/// What checks read.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The profile.
    pub profile: &'a Profile,
    /// The assessment date.
    pub as_of: Date,
    /// The vulnerability scan, when there was one.
    pub vulnerabilities: Option<&'a VulnSummary>,
    /// The profile's `disclosure.sbom` when it names a local file that was not found.
    pub missing_sbom: Option<&'a str>,
}

impl Ctx<'_> {
    /// The product uses passwords or PINs (EN 303 645 V2 condition 1, V3 feature (a)).
    pub fn uses_passwords(&self) -> bool {
        let id = self.profile.identity.as_ref();
        let dp = id.and_then(|i| i.default_password);
        let auth = id
            .and_then(|i| i.authentication.as_deref())
            .unwrap_or_default();
        matches!(
            dp,
            Some(
                DefaultPassword::Universal
                    | DefaultPassword::UniquePerDevice
                    | DefaultPassword::UserSetAtSetup
            )
        ) || auth
            .iter()
            .any(|a| matches!(a, AuthMethod::Password | AuthMethod::Pin))
    }

    /// The update mechanism, when declared.
    pub fn update_mechanism(&self) -> Option<UpdateMechanism> {
        self.profile.updates.as_ref().and_then(|u| u.mechanism)
    }

    /// The product processes personal data (any kind but `usage` and `none`).
    pub fn personal_data(&self) -> Option<bool> {
        self.profile.use_.data.as_ref().map(|d| {
            d.iter()
                .any(|k| !matches!(k, DataKind::Usage | DataKind::None))
        })
    }
}

/// Runs every check, in registry order.
pub fn run_all(ctx: &Ctx<'_>) -> Vec<Verdict> {
    checks().iter().map(|c| c.run(ctx)).collect()
}

/// Runs one check by code.
pub fn run(code: &str, ctx: &Ctx<'_>) -> Option<Verdict> {
    info(code).map(|c| c.run(ctx))
}
