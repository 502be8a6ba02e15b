//! Each requirement kind judged from one candidate's evaluation.

use riskmark_checks::Status as CheckStatus;
use riskmark_engine::Evaluation;
use riskmark_frameworks::{FrameworkResult, Obligation};
use riskmark_model::{DefaultPassword, Profile, UpdateMechanism};
use riskmark_risk::{CraClass, Tier};

use crate::requirements::{Kind, Level, Requirement, Requirements};
use crate::{Candidate, Decision, Outcome, Status};

/// At most this many failing controls are named per framework.
const SHOWN_CONTROLS: usize = 5;

/// Judges one evaluated candidate against the requirements; `purchase` is the date
/// support periods count from, `vex_given` the VEX documents given with the profile.
pub fn judge(
    reqs: &Requirements,
    e: &Evaluation,
    purchase: jiff::civil::Date,
    vex_given: &[String],
) -> Candidate {
    let p = &e.loaded.profile;
    let a = &e.assessment;
    let results: Vec<Outcome> = reqs
        .requirements
        .iter()
        .map(|r| {
            let (status, facts) = one(r, e, purchase, vex_given);
            Outcome {
                id: r.id.clone(),
                mandatory: r.mandatory,
                status,
                facts,
            }
        })
        .collect();
    let ids = |s: Status| -> Vec<String> {
        results
            .iter()
            .filter(|o| o.mandatory && o.status == s)
            .map(|o| o.id.clone())
            .collect()
    };
    let mandatory_failing = ids(Status::Fail);
    let mandatory_needing_evidence = ids(Status::NeedsEvidence);
    let decision = if !mandatory_failing.is_empty() {
        Decision::Reject
    } else if !mandatory_needing_evidence.is_empty() {
        Decision::NeedsEvidence
    } else {
        Decision::Accept
    };
    Candidate {
        file: e.loaded.file.clone(),
        manufacturer: p.product.manufacturer.clone(),
        name: p.product.name.clone(),
        model: p.product.model.clone(),
        firmware_version: p.product.firmware_version.clone(),
        tier: a.risk.tier.as_str().to_owned(),
        score: a.risk.score,
        cra_class: a.risk.cra_class.as_str().to_owned(),
        decision,
        mandatory_failing,
        mandatory_needing_evidence,
        results,
        warnings: e.warnings.iter().map(ToString::to_string).collect(),
    }
}

fn one(
    r: &Requirement,
    e: &Evaluation,
    purchase: jiff::civil::Date,
    vex_given: &[String],
) -> (Status, Vec<String>) {
    let p = &e.loaded.profile;
    let (status, mut facts) = match &r.kind {
        Kind::SupportPeriod { years } => support_period(p, purchase, *years),
        Kind::Frameworks { frameworks } => frameworks_met(&e.assessment.frameworks, frameworks),
        Kind::Risk {
            max_tier,
            max_cra_class,
        } => risk(&e.assessment.risk, *max_tier, *max_cra_class),
        Kind::NoKnownExploited => no_known_exploited(e),
        Kind::Sbom => sbom(e),
        Kind::Vex => {
            if !vex_given.is_empty() {
                // The documents themselves are the evidence.
                return (
                    Status::Pass,
                    vec![format!("VEX given: {}", vex_given.join(", "))],
                );
            }
            vex(p)
        }
        Kind::SignedUpdates => signed_updates(p),
        Kind::NoUniversalDefaultPassword => default_password(p),
        Kind::Evidence { claims } => return evidence(p, claims, r.evidence),
    };
    // A pass on a claim that lab-verified evidence must back needs that evidence.
    if let Some(claim) = r.kind.claim()
        && r.evidence == Level::LabVerified
    {
        match verified_by(p, claim) {
            Some(by) => facts.push(format!("`{claim}` verified: {by}")),
            None if status == Status::Pass => {
                facts.push(format!(
                    "`{claim}` is declared only; lab-verified evidence is required (an \
                     [[evidence]] of kind test-report, certificate or probe)"
                ));
                return (Status::NeedsEvidence, facts);
            }
            None => {}
        }
    }
    (status, facts)
}

/// The third-party evidence behind a claim, in words.
fn verified_by(p: &Profile, claim: &str) -> Option<String> {
    let ev = p
        .evidence
        .iter()
        .find(|ev| ev.claim == claim && ev.kind.is_third_party())?;
    let mut s = ev.kind.to_string();
    if let Some(i) = &ev.issuer {
        s.push_str(&format!(" by {i}"));
    }
    if let Some(d) = &ev.date {
        s.push_str(&format!(" on {d}"));
    }
    if let Some(r) = &ev.reference {
        s.push_str(&format!(" ({r})"));
    }
    Some(s)
}

/// `days` as years with one decimal.
fn years_of(days: i64) -> String {
    // Exact enough for a fact in words: 365.25 days a year, rounded to a tenth.
    let tenths = (days.abs() * 40 + 730) / 1461;
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn support_period(p: &Profile, purchase: jiff::civil::Date, years: u32) -> (Status, Vec<String>) {
    let Some(end) = p.updates.as_ref().and_then(|u| u.support_end) else {
        return (
            Status::NeedsEvidence,
            vec![format!(
                "`updates.support_end` is not declared: no guaranteed support period; {years} years after purchase {purchase} required"
            )],
        );
    };
    let end = end.0;
    let required = purchase
        .checked_add(jiff::Span::new().years(i64::from(years)))
        .unwrap_or(jiff::civil::Date::MAX);
    let days = purchase.until(end).map_or(0, |s| i64::from(s.get_days()));
    let fact = if end >= purchase {
        format!(
            "support ends {end}: {} years after purchase {purchase}, {years} required (until {required})",
            years_of(days)
        )
    } else {
        format!(
            "support ended {end}: {} years before purchase {purchase}, {years} required (until {required})",
            years_of(days)
        )
    };
    let status = if end >= required {
        Status::Pass
    } else {
        Status::Fail
    };
    (status, vec![fact])
}

/// A framework's outcome from its required controls: mandatory, or expected at the
/// product's tier, as `riskmark assess --fail-on` reads them. A framework without any
/// mandatory control (NIST IR 8259A/B and SP 800-213A are catalogues of recommended
/// capabilities) would be met by nothing at a low tier; a buyer who names it adopts it
/// whole, so then every control counts.
fn framework_outcome(f: &FrameworkResult) -> (Status, String) {
    let catalogue = !f
        .controls
        .iter()
        .any(|c| c.obligation == Obligation::Mandatory);
    let required: Vec<_> = f
        .controls
        .iter()
        .filter(|c| catalogue || c.obligation != Obligation::Recommended)
        .collect();
    let with = |s: CheckStatus| -> Vec<&str> {
        required
            .iter()
            .filter(|c| c.status == s)
            .map(|c| c.id.as_str())
            .collect()
    };
    let name = |ids: &[&str]| -> String {
        let mut s = ids
            .iter()
            .take(SHOWN_CONTROLS)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if ids.len() > SHOWN_CONTROLS {
            s.push_str(&format!(" and {} more", ids.len() - SHOWN_CONTROLS));
        }
        s
    };
    let failing = with(CheckStatus::Fail);
    let needing = with(CheckStatus::NeedsEvidence);
    let level = f
        .highest_level
        .as_deref()
        .map(|l| format!(" (level supported: {l})"))
        .unwrap_or_default();
    let head = if catalogue {
        format!(
            "{} {} (recommended controls only: the requirement makes all count)",
            f.id, f.version
        )
    } else {
        format!("{} {}", f.id, f.version)
    };
    let (status, what) = if !failing.is_empty() {
        (
            Status::Fail,
            format!(
                "{} of {} required controls fail: {}",
                failing.len(),
                required.len(),
                name(&failing)
            ),
        )
    } else if !needing.is_empty() {
        (
            Status::NeedsEvidence,
            format!(
                "none of {} required controls fails; {} need evidence: {}",
                required.len(),
                needing.len(),
                name(&needing)
            ),
        )
    } else {
        (
            Status::Pass,
            format!(
                "{} of {} required controls pass, {} not applicable",
                with(CheckStatus::Pass).len(),
                required.len(),
                with(CheckStatus::NotApplicable).len()
            ),
        )
    };
    let applies = if f.applies {
        String::new()
    } else {
        format!(
            "; by the profile it does not apply ({}), judged on its controls as required",
            f.applies_reason
        )
    };
    (
        status,
        format!("{head}: {}: {what}{level}{applies}", status.as_str()),
    )
}

fn frameworks_met(results: &[FrameworkResult], ids: &[String]) -> (Status, Vec<String>) {
    let mut status = Status::Pass;
    let mut facts = Vec::new();
    for id in ids {
        match results.iter().find(|f| &f.id == id) {
            Some(f) => {
                let (s, fact) = framework_outcome(f);
                status = status.max(s);
                facts.push(fact);
            }
            None => {
                status = status.max(Status::NeedsEvidence);
                facts.push(format!("{id}: not evaluated"));
            }
        }
    }
    (status, facts)
}

fn risk(
    c: &riskmark_risk::Classification,
    max_tier: Option<Tier>,
    max_cra: Option<CraClass>,
) -> (Status, Vec<String>) {
    let mut status = Status::Pass;
    let mut facts = Vec::new();
    if let Some(max) = max_tier {
        let ok = c.tier <= max;
        if !ok {
            status = Status::Fail;
        }
        facts.push(format!(
            "risk tier {} (score {}) {} the maximum {max}",
            c.tier,
            c.score,
            if ok { "is within" } else { "exceeds" }
        ));
    }
    if let Some(max) = max_cra {
        let ok = c.cra_class <= max;
        if !ok {
            status = Status::Fail;
        }
        let entry = if c.cra_entry.is_empty() {
            String::new()
        } else {
            format!(", {}", c.cra_entry)
        };
        facts.push(format!(
            "EU CRA class {}{entry} {} the maximum {}",
            c.cra_class.as_str(),
            if ok { "is within" } else { "exceeds" },
            max.as_str()
        ));
    }
    (status, facts)
}

fn declared_sbom(p: &Profile) -> String {
    p.disclosure
        .as_ref()
        .and_then(|d| d.sbom.as_deref())
        .map_or_else(
            || "`disclosure.sbom` is not declared".to_owned(),
            |s| format!("`disclosure.sbom` = {s}"),
        )
}

fn no_known_exploited(e: &Evaluation) -> (Status, Vec<String>) {
    let Some(scan) = &e.assessment.vulnerabilities else {
        return (
            Status::NeedsEvidence,
            vec![format!(
                "no SBOM was scanned for known vulnerabilities ({})",
                declared_sbom(&e.loaded.profile)
            )],
        );
    };
    let db = if scan.db_path == ":memory:" {
        "the embedded curated set".to_owned()
    } else {
        scan.db_path.clone()
    };
    let mut facts = vec![format!(
        "SBOM {}: {} components scanned against {db}",
        scan.sbom, scan.components
    )];
    let kev: Vec<String> = scan
        .active()
        .filter(|f| f.kev)
        .map(|f| format!("{} in {} {}", f.id, f.component, f.version))
        .collect();
    let suppressed = scan
        .findings
        .iter()
        .filter(|f| f.kev && f.status.suppressed())
        .count();
    if suppressed > 0 {
        facts.push(format!(
            "{suppressed} KEV-listed finding(s) suppressed by VEX (not affected or fixed)"
        ));
    }
    if kev.is_empty() {
        facts.push("no KEV-listed vulnerability (CISA KEV)".into());
        (Status::Pass, facts)
    } else {
        facts.push(format!(
            "{} KEV-listed {}: {}",
            kev.len(),
            if kev.len() == 1 {
                "vulnerability"
            } else {
                "vulnerabilities"
            },
            kev.join(", ")
        ));
        (Status::Fail, facts)
    }
}

fn sbom(e: &Evaluation) -> (Status, Vec<String>) {
    // The engine's `sbom-available` check decides, so `assess` and the gate agree.
    let Some(v) = e
        .assessment
        .checks
        .iter()
        .find(|v| v.code == "sbom-available")
    else {
        return (
            Status::NeedsEvidence,
            vec!["the sbom-available check did not run".into()],
        );
    };
    let mut facts = v.reasons.clone();
    if let Some(scan) = &e.assessment.vulnerabilities {
        facts.push(format!(
            "scanned: {} ({} components)",
            scan.sbom, scan.components
        ));
    }
    let status = match v.status {
        CheckStatus::Pass => Status::Pass,
        CheckStatus::Fail => Status::Fail,
        CheckStatus::NeedsEvidence | CheckStatus::NotApplicable => Status::NeedsEvidence,
    };
    (status, facts)
}

fn vex(p: &Profile) -> (Status, Vec<String>) {
    match p
        .disclosure
        .as_ref()
        .and_then(|d| d.advisories_url.as_deref())
    {
        Some(url)
            if url
                .trim_end_matches('/')
                .ends_with("provider-metadata.json") =>
        {
            (
                Status::Pass,
                vec![format!(
                    "CSAF provider metadata published at {url}: VEX declared (CSAF VEX documents)"
                )],
            )
        }
        Some(url) => (
            Status::NeedsEvidence,
            vec![format!(
                "advisories are published at {url}, which is not a CSAF provider-metadata.json: \
                 no machine-readable VEX is declared, and none was given"
            )],
        ),
        None => (
            Status::NeedsEvidence,
            vec![
                "`disclosure.advisories_url` is not declared and no VEX document was given".into(),
            ],
        ),
    }
}

fn signed_updates(p: &Profile) -> (Status, Vec<String>) {
    let u = p.updates.as_ref();
    if u.and_then(|u| u.mechanism) == Some(UpdateMechanism::None) {
        return (
            Status::Fail,
            vec!["`updates.mechanism` = none: the product cannot be updated at all".into()],
        );
    }
    match u.and_then(|u| u.signed) {
        Some(true) => (
            Status::Pass,
            vec!["`updates.signed` = true: images are authenticated before install".into()],
        ),
        Some(false) => (
            Status::Fail,
            vec!["`updates.signed` = false: update images are not authenticated".into()],
        ),
        None => (
            Status::NeedsEvidence,
            vec!["`updates.signed` is not declared".into()],
        ),
    }
}

fn default_password(p: &Profile) -> (Status, Vec<String>) {
    match p.identity.as_ref().and_then(|i| i.default_password) {
        Some(DefaultPassword::Universal) => (
            Status::Fail,
            vec![
                "`identity.default_password` = universal: every unit ships the same password"
                    .into(),
            ],
        ),
        Some(other) => (
            Status::Pass,
            vec![format!("`identity.default_password` = {other}")],
        ),
        None => (
            Status::NeedsEvidence,
            vec!["`identity.default_password` is not declared".into()],
        ),
    }
}

/// The value of a dotted claim path in the profile, when declared.
fn claim_value(p: &Profile, claim: &str) -> Option<serde_json::Value> {
    let mut v = serde_json::to_value(p).ok()?;
    for part in claim.split('.') {
        v = v.get_mut(part)?.take();
    }
    (!v.is_null()).then_some(v)
}

fn evidence(p: &Profile, claims: &[String], level: Level) -> (Status, Vec<String>) {
    let mut status = Status::Pass;
    let mut facts = Vec::new();
    for claim in claims {
        let Some(value) = claim_value(p, claim) else {
            status = Status::NeedsEvidence;
            facts.push(format!("`{claim}` is not declared"));
            continue;
        };
        // As the profile writes it: `true`, `low`, `app-pairing, pin`.
        let shown = match &value {
            serde_json::Value::Bool(b) => b.to_string(),
            other => riskmark_report::words(other),
        };
        let shown = match &value {
            serde_json::Value::Array(items) if shown.chars().count() > 60 => {
                format!("{} entries", items.len())
            }
            _ if shown.chars().count() > 60 => "(declared)".to_owned(),
            _ => shown,
        };
        match (verified_by(p, claim), level) {
            (Some(by), _) => facts.push(format!("`{claim}` = {shown}: verified, {by}")),
            (None, Level::Declared) => facts.push(format!("`{claim}` = {shown}: declared")),
            (None, Level::LabVerified) => {
                status = Status::NeedsEvidence;
                facts.push(format!(
                    "`{claim}` = {shown}: declared only; lab-verified evidence is required"
                ));
            }
        }
    }
    (status, facts)
}
