//! The Assessment: computed once from a profile, read by every renderer.
//!
//! Data flows one way: profile -> risk classification and atomic check verdicts ->
//! framework verdicts (tailored to the tier) -> [`Assessment`]. Renderers never
//! recompute a verdict.

#![warn(missing_docs)]

use riskmark_checks::{Ctx, Status, Verdict, VulnSummary};
use riskmark_frameworks::{Framework, FrameworkResult, Obligation};
use riskmark_model::{Category, LoadedProfile, Locations};
use riskmark_risk::{Classification, Context, CraClass, KnownVulns, Policy, Tier};
use serde::Serialize;

/// The format identifier of assessment JSON.
pub const SCHEMA: &str = "riskmark/assessment/v1";

/// What was assessed.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// The profile file.
    pub file: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Product name.
    pub name: String,
    /// Model.
    pub model: String,
    /// Firmware version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firmware_version: Option<String>,
    /// Category.
    pub category: Category,
}

/// The tool that made the assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `riskmark`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// One product's assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// `riskmark/assessment/v1`.
    pub schema: &'static str,
    /// The tool.
    pub tool: Tool,
    /// The product.
    pub subject: Subject,
    /// The risk classification (the `classify` object).
    pub risk: Classification,
    /// Every framework evaluated.
    pub frameworks: Vec<FrameworkResult>,
    /// Every atomic check verdict.
    pub checks: Vec<Verdict>,
    /// The SBOM's known vulnerabilities, when an SBOM was scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<riskmark_scan::Scan>,
    /// Where each profile fact was written (for SARIF and reports).
    #[serde(skip)]
    pub locations: Locations,
}

/// How to assess.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// Framework ids to evaluate; empty means all embedded and user frameworks.
    pub frameworks: Vec<String>,
    /// User frameworks (from `--catalog`).
    pub extra: Vec<Framework>,
    /// The risk policy.
    pub policy: &'a Policy,
    /// The assessment date.
    pub as_of: jiff::civil::Date,
    /// The SBOM scan (VEX applied), when an SBOM was given.
    pub scan: Option<riskmark_scan::Scan>,
    /// The profile's `disclosure.sbom` when it names a local file that was not found.
    pub missing_sbom: Option<String>,
    /// Checks a third party verified (lab attestations): their verdicts take the
    /// observed status and become `verified`, naming who verified them.
    pub verified: Vec<VerifiedCheck>,
}

/// A check a third party verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheck {
    /// The check's code.
    pub code: String,
    /// What was observed.
    pub status: Status,
    /// Who verified it (a lab).
    pub by: String,
    /// When (`YYYY-MM-DD`).
    pub date: String,
    /// Where the evidence is.
    pub evidence: String,
}

/// Turns the verdicts third parties verified into verified verdicts with the observed
/// status (the latest statement about a check wins).
fn apply_verified(checks: &mut [Verdict], verified: &[VerifiedCheck]) {
    let mut latest: Vec<&VerifiedCheck> = verified.iter().collect();
    latest.sort_by(|a, b| a.date.cmp(&b.date));
    let word = |s: Status| match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::NeedsEvidence => "needs evidence",
        Status::NotApplicable => "not applicable",
    };
    for v in latest {
        if let Some(c) = checks.iter_mut().find(|c| c.code == v.code) {
            let declared = (c.evidence != riskmark_checks::Basis::Verified).then_some(c.status);
            c.status = v.status;
            c.evidence = riskmark_checks::Basis::Verified;
            c.reasons.push(format!(
                "verified by {} on {}: {} ({})",
                v.by,
                v.date,
                word(v.status),
                v.evidence
            ));
            if let Some(d) = declared.filter(|d| {
                *d != v.status
                    && matches!(
                        (d, v.status),
                        (Status::Pass, Status::Fail) | (Status::Fail, Status::Pass)
                    )
            }) {
                c.reasons.push(format!(
                    "declared and verified disagree: the profile's facts give {}, {} observed {}",
                    word(d),
                    v.by,
                    word(v.status)
                ));
            }
        }
    }
}

/// A framework id that is neither embedded nor given by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFramework {
    /// The id asked for.
    pub id: String,
    /// The closest known id.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownFramework {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown framework `{}`", self.id)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        write!(f, "; `riskmark frameworks list` shows the ids")
    }
}

impl std::error::Error for UnknownFramework {}

/// Why [`assess_with`] could not assess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssessError<E> {
    /// A framework id that is neither embedded nor given by the user.
    UnknownFramework(UnknownFramework),
    /// The custom checks failed.
    Custom(E),
}

impl<E: std::fmt::Display> std::fmt::Display for AssessError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownFramework(e) => e.fmt(f),
            Self::Custom(e) => e.fmt(f),
        }
    }
}

impl<E: std::fmt::Debug + std::fmt::Display> std::error::Error for AssessError<E> {}

/// Assesses a loaded profile.
pub fn assess(loaded: &LoadedProfile, opts: &Options<'_>) -> Result<Assessment, UnknownFramework> {
    let none = |_: &Ctx<'_>, _: &Classification| Ok::<_, std::convert::Infallible>(Vec::new());
    match assess_with(loaded, opts, none) {
        Ok(a) => Ok(a),
        Err(AssessError::UnknownFramework(e)) => Err(e),
        Err(AssessError::Custom(never)) => match never {},
    }
}

/// Assesses a loaded profile with custom checks (e.g. the user's Rego rules): `custom`
/// gets the check context and the risk classification, and its verdicts join the built-in
/// ones (after them) in [`Assessment::checks`], so frameworks and every renderer read them
/// alike.
pub fn assess_with<E>(
    loaded: &LoadedProfile,
    opts: &Options<'_>,
    custom: impl FnOnce(&Ctx<'_>, &Classification) -> Result<Vec<Verdict>, E>,
) -> Result<Assessment, AssessError<E>> {
    let p = &loaded.profile;
    let counts = opts.scan.as_ref().map(riskmark_scan::Scan::counts);
    let known = counts.map(|c| KnownVulns {
        total: c.total,
        critical: c.critical,
        high: c.high,
        kev: c.kev,
        high_epss: c.high_epss,
    });
    let summary = counts.map(|c| VulnSummary {
        sbom_present: true,
        scanned: true,
        total: c.total,
        critical: c.critical,
        high: c.high,
        kev: c.kev,
    });
    let risk = riskmark_risk::classify(
        p,
        opts.policy,
        &Context {
            as_of: opts.as_of,
            vulnerabilities: known,
        },
    );
    let ctx = Ctx {
        profile: p,
        as_of: opts.as_of,
        vulnerabilities: summary.as_ref(),
        missing_sbom: opts.missing_sbom.as_deref(),
    };
    let mut checks = riskmark_checks::run_all(&ctx);
    checks.extend(custom(&ctx, &risk).map_err(AssessError::Custom)?);
    apply_verified(&mut checks, &opts.verified);
    let all: Vec<&Framework> = riskmark_frameworks::embedded()
        .iter()
        .chain(opts.extra.iter())
        .collect();
    let selected: Vec<&Framework> = if opts.frameworks.is_empty() {
        all.clone()
    } else {
        let mut v = Vec::new();
        for id in &opts.frameworks {
            match all.iter().find(|f| &f.id == id) {
                Some(f) => v.push(*f),
                None => {
                    let ids: Vec<&str> = all.iter().map(|f| f.id.as_str()).collect();
                    return Err(AssessError::UnknownFramework(UnknownFramework {
                        id: id.clone(),
                        suggestion: riskmark_model::suggest(id, &ids).map(str::to_owned),
                    }));
                }
            }
        }
        v
    };
    let raise = risk.tier >= Tier::High;
    let in_scope = risk.cra_class != CraClass::OutOfScope;
    let frameworks = selected
        .into_iter()
        .map(|fw| {
            let a = riskmark_frameworks::applicability(fw, p, in_scope);
            riskmark_frameworks::evaluate(fw, &checks, a, raise)
        })
        .collect();
    Ok(Assessment {
        schema: SCHEMA,
        tool: Tool {
            name: "riskmark",
            version: env!("CARGO_PKG_VERSION"),
        },
        subject: Subject {
            file: loaded.file.clone(),
            manufacturer: p.product.manufacturer.clone(),
            name: p.product.name.clone(),
            model: p.product.model.clone(),
            firmware_version: p.product.firmware_version.clone(),
            category: p.product.category,
        },
        risk,
        frameworks,
        checks,
        vulnerabilities: opts.scan.clone(),
        locations: loaded.locations.clone(),
    })
}

/// The `--fail-on` threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any required control of an applicable framework fails.
    Fail,
    /// ... or needs evidence.
    NeedsEvidence,
}

impl Assessment {
    /// Whether the findings reach the threshold: a mandatory (or, at this tier, expected)
    /// control of an applicable framework fails (or needs evidence).
    pub fn reaches(&self, threshold: FailOn) -> bool {
        self.frameworks.iter().filter(|f| f.applies).any(|f| {
            f.controls.iter().any(|c| {
                c.obligation != Obligation::Recommended
                    && (c.status == Status::Fail
                        || (threshold == FailOn::NeedsEvidence
                            && c.status == Status::NeedsEvidence))
            })
        })
    }
}
