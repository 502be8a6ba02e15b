//! Verdicts per control from the atomic check verdicts, tailored to the risk tier.

use std::collections::BTreeMap;

use riskmark_checks::{Basis, Role, Status as CheckStatus, Verdict};
use serde::Serialize;

use crate::applicability::Applicability;
use crate::catalog::{Framework, Status};

/// What a control asks of this product, after tailoring to its risk tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Obligation {
    /// Mandatory in the framework.
    Mandatory,
    /// Recommended, and the tier does not raise it.
    Recommended,
    /// Recommended in the framework, expected at this product's tier.
    Expected,
}

/// The verdict on one control.
#[derive(Debug, Clone, Serialize)]
pub struct ControlResult {
    /// The control's id as the framework numbers it.
    pub id: String,
    /// The control's OSCAL id in the catalog.
    pub oscal_id: String,
    /// Our short title.
    pub title: String,
    /// `pass`, `fail`, `needs-evidence` or `not-applicable`.
    pub status: CheckStatus,
    /// Mandatory, recommended, or expected at this tier.
    pub obligation: Obligation,
    /// Who is responsible.
    pub responsible: Vec<Role>,
    /// The atomic checks that decided it.
    pub checks: Vec<String>,
    /// Why, in words.
    pub reasons: Vec<String>,
    /// Whether the verdict rests on a declaration, on third-party evidence, or on nothing.
    pub evidence: Basis,
}

/// Counts of control verdicts by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Summary {
    /// Controls that pass.
    pub pass: usize,
    /// Controls that fail.
    pub fail: usize,
    /// Controls whose facts are not declared.
    pub needs_evidence: usize,
    /// Controls that do not apply to this product.
    pub not_applicable: usize,
    /// Failing controls that are mandatory or expected at this tier.
    pub required_failing: usize,
}

/// A framework's verdicts for one product.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkResult {
    /// Framework id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Version.
    pub version: String,
    /// Whether the framework applies to this product (markets, users, category).
    pub applies: bool,
    /// Why it applies or not.
    pub applies_reason: String,
    /// Counts per status.
    pub summary: Summary,
    /// Extension for level schemes (Singapore CLS): the highest level the evidence supports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highest_level: Option<String>,
    /// Verdicts per control.
    pub controls: Vec<ControlResult>,
}

/// Evaluates a framework from the check verdicts. `raise_recommended` is true when the
/// product's risk tier makes recommended provisions expected.
pub fn evaluate(
    fw: &Framework,
    verdicts: &[Verdict],
    applicability: Applicability,
    raise_recommended: bool,
) -> FrameworkResult {
    let by_code: BTreeMap<&str, &Verdict> = verdicts.iter().map(|v| (v.code, v)).collect();
    let mut summary = Summary::default();
    let mut controls = Vec::with_capacity(fw.controls.len());
    for c in &fw.controls {
        let obligation = match (c.status, raise_recommended) {
            (Status::Mandatory, _) => Obligation::Mandatory,
            (Status::Recommended, true) => Obligation::Expected,
            (Status::Recommended, false) => Obligation::Recommended,
        };
        let used: Vec<&Verdict> = c
            .checks
            .iter()
            .filter_map(|code| by_code.get(code.as_str()).copied())
            .collect();
        let mut reasons = Vec::new();
        let status = if c.manual && used.is_empty() {
            reasons.push(format!(
                "a document or process control: evidence needed{}",
                c.evidence_hint
                    .as_deref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            ));
            CheckStatus::NeedsEvidence
        } else {
            combine(&used)
        };
        for v in &used {
            if v.status == status || status == CheckStatus::Pass {
                for r in &v.reasons {
                    reasons.push(format!("{}: {r}", v.code as &str));
                }
            }
        }
        if c.manual && !used.is_empty() {
            reasons.push("also needs documentary evidence".into());
        }
        let evidence = basis(&used);
        let mut responsible = c.responsible.clone();
        if responsible.is_empty() {
            for v in &used {
                for r in &v.responsible {
                    if !responsible.contains(r) {
                        responsible.push(*r);
                    }
                }
            }
        }
        match status {
            CheckStatus::Pass => summary.pass += 1,
            CheckStatus::Fail => {
                summary.fail += 1;
                if obligation != Obligation::Recommended {
                    summary.required_failing += 1;
                }
            }
            CheckStatus::NeedsEvidence => summary.needs_evidence += 1,
            CheckStatus::NotApplicable => summary.not_applicable += 1,
        }
        controls.push(ControlResult {
            id: c.id.clone(),
            oscal_id: c.oscal_id.clone(),
            title: c.title.clone(),
            status,
            obligation,
            responsible,
            checks: c.checks.clone(),
            reasons,
            evidence,
        });
    }
    let highest_level = (fw.id == "sg-cls").then(|| cls_level(&controls));
    FrameworkResult {
        id: fw.id.clone(),
        title: fw.title.clone(),
        version: fw.version.clone(),
        applies: applicability.applies,
        applies_reason: applicability.reason,
        summary,
        highest_level,
        controls,
    }
}

/// fail > needs-evidence > pass; not-applicable only when every check is.
fn combine(used: &[&Verdict]) -> CheckStatus {
    if used.is_empty() {
        return CheckStatus::NeedsEvidence;
    }
    if used.iter().any(|v| v.status == CheckStatus::Fail) {
        CheckStatus::Fail
    } else if used.iter().any(|v| v.status == CheckStatus::NeedsEvidence) {
        CheckStatus::NeedsEvidence
    } else if used.iter().all(|v| v.status == CheckStatus::NotApplicable) {
        CheckStatus::NotApplicable
    } else {
        CheckStatus::Pass
    }
}

fn basis(used: &[&Verdict]) -> Basis {
    let applicable: Vec<Basis> = used
        .iter()
        .filter(|v| v.status != CheckStatus::NotApplicable)
        .map(|v| v.evidence)
        .collect();
    if applicable.is_empty() || applicable.iter().all(|b| *b == Basis::None) {
        Basis::None
    } else if applicable.iter().all(|b| *b == Basis::Verified) {
        Basis::Verified
    } else {
        Basis::Declared
    }
}

/// The highest CLS level whose control, and every lower level's, passes.
fn cls_level(controls: &[ControlResult]) -> String {
    let mut level = 0;
    for (i, c) in controls.iter().enumerate() {
        if c.status == CheckStatus::Pass {
            level = i + 1;
        } else {
            break;
        }
    }
    if level == 0 {
        "none".into()
    } else {
        format!("L{level}")
    }
}
