//! Every requirement kind judged on hand-made profiles: pass, fail (where a kind can
//! fail) and needs-evidence.

use riskmark_engine::{Database, Document, Evaluation, Inputs};

use crate::requirements::{Kind, Level, Requirement, Requirements};
use crate::{Decision, Status, judge};

const GOOD: &str = r#"
schema = "riskmark/device-profile/v1"

[product]
manufacturer = "Test Co"
name = "Test Plug"
model = "TP-1"
category = "smart-plug"
markets = ["US", "EU", "UK"]

[use]
environment = "home"
users = ["consumer"]
physical_effects = ["switch-mains-power"]
safety_impact = "low"
data = ["usage"]
children = false
security_function = false

[connectivity]
interfaces = ["wifi"]
internet_reachable = false
cloud_dependent = true
upnp = false
services = []

[identity]
default_password = "unique-per-device"
authentication = ["app-pairing"]
brute_force_protection = true
credential_storage = "secure-element"

[updates]
mechanism = "automatic"
signed = true
secure_delivery = true
rollback_protection = true
support_end = "2031-12-31"
notify_users = true

[disclosure]
policy_url = "https://test.example/security"
contact = "mailto:security@test.example"
security_txt = "https://test.example/.well-known/security.txt"
response_days = 90
advisories_url = "https://test.example/.well-known/csaf/provider-metadata.json"
sbom = "https://test.example/sbom/tp-1.cdx.json"
"#;

const LAB_SIGNED: &str = r#"
[[evidence]]
claim = "updates.signed"
kind = "test-report"
issuer = "Example Lab"
reference = "TR-1"
"#;

fn date(s: &str) -> jiff::civil::Date {
    s.parse().unwrap()
}

fn evaluate_with(profile: &str, sbom: Option<Document>) -> Evaluation {
    let inputs = Inputs {
        sbom,
        database: Database::Embedded,
        ..Inputs::new(
            Document::memory("test.toml", profile.as_bytes()),
            date("2026-12-05"),
        )
    };
    riskmark_engine::evaluate(&inputs).unwrap()
}

fn evaluate(profile: &str) -> Evaluation {
    evaluate_with(profile, None)
}

fn req(kind: Kind, evidence: Level) -> Requirements {
    Requirements {
        file: "reqs.toml".into(),
        title: None,
        purchase_date: None,
        requirements: vec![Requirement {
            id: "r".into(),
            title: "r".into(),
            mandatory: true,
            source: "test".into(),
            kind,
            evidence,
        }],
    }
}

/// The one outcome's status and facts.
fn run(kind: Kind, evidence: Level, e: &Evaluation) -> (Status, Vec<String>) {
    let c = judge(&req(kind, evidence), e, date("2026-12-05"), &[]);
    let o = &c.results[0];
    (o.status, o.facts.clone())
}

fn without(profile: &str, line: &str) -> String {
    assert!(profile.contains(line), "{line}");
    profile.replace(line, "")
}

#[test]
fn support_period_counts_years_from_purchase() {
    let e = evaluate(GOOD);
    let five = Kind::SupportPeriod { years: 5 };
    let (s, facts) = run(five.clone(), Level::Declared, &e);
    assert_eq!(s, Status::Pass, "{facts:?}");
    assert_eq!(
        facts,
        [
            "support ends 2031-12-31: 5.1 years after purchase 2026-12-05, 5 required (until 2031-12-05)"
        ]
    );
    let (s, facts) = run(Kind::SupportPeriod { years: 6 }, Level::Declared, &e);
    assert_eq!(s, Status::Fail, "{facts:?}");
    assert!(
        facts[0].contains("6 required (until 2032-12-05)"),
        "{facts:?}"
    );

    // Support that ended before purchase.
    let ended = evaluate(&GOOD.replace("2031-12-31", "2026-06-30"));
    let (s, facts) = run(five.clone(), Level::Declared, &ended);
    assert_eq!(s, Status::Fail);
    assert!(
        facts[0].starts_with("support ended 2026-06-30: 0.4 years before purchase 2026-12-05"),
        "{facts:?}"
    );

    let undeclared = evaluate(&without(GOOD, "support_end = \"2031-12-31\"\n"));
    let (s, facts) = run(five.clone(), Level::Declared, &undeclared);
    assert_eq!(s, Status::NeedsEvidence);
    assert!(facts[0].contains("not declared"), "{facts:?}");

    // The purchase date moves the count: exactly five years is enough.
    let c = judge(&req(five, Level::Declared), &e, date("2026-12-31"), &[]);
    assert_eq!(c.results[0].status, Status::Pass, "{:?}", c.results[0]);
}

#[test]
fn support_period_lab_verified_needs_third_party_evidence() {
    let e = evaluate(GOOD);
    let (s, facts) = run(Kind::SupportPeriod { years: 5 }, Level::LabVerified, &e);
    assert_eq!(s, Status::NeedsEvidence);
    assert!(
        facts.iter().any(|f| f.contains("declared only")),
        "{facts:?}"
    );
}

#[test]
fn signed_updates_pass_fail_needs_evidence_and_lab_verified() {
    let (s, _) = run(Kind::SignedUpdates, Level::Declared, &evaluate(GOOD));
    assert_eq!(s, Status::Pass);
    let (s, facts) = run(
        Kind::SignedUpdates,
        Level::Declared,
        &evaluate(&GOOD.replace("signed = true", "signed = false")),
    );
    assert_eq!(s, Status::Fail, "{facts:?}");
    let (s, facts) = run(
        Kind::SignedUpdates,
        Level::Declared,
        &evaluate(&GOOD.replace("mechanism = \"automatic\"", "mechanism = \"none\"")),
    );
    assert_eq!(s, Status::Fail, "{facts:?}");
    let (s, _) = run(
        Kind::SignedUpdates,
        Level::Declared,
        &evaluate(&without(GOOD, "signed = true\n")),
    );
    assert_eq!(s, Status::NeedsEvidence);
    // Lab-verified: a declaration alone needs evidence; a test report passes.
    let (s, _) = run(Kind::SignedUpdates, Level::LabVerified, &evaluate(GOOD));
    assert_eq!(s, Status::NeedsEvidence);
    let (s, facts) = run(
        Kind::SignedUpdates,
        Level::LabVerified,
        &evaluate(&format!("{GOOD}{LAB_SIGNED}")),
    );
    assert_eq!(s, Status::Pass, "{facts:?}");
    assert!(
        facts
            .iter()
            .any(|f| f == "`updates.signed` verified: test-report by Example Lab (TR-1)"),
        "{facts:?}"
    );
    // Lab evidence never turns a declared weakness into a pass.
    let (s, _) = run(
        Kind::SignedUpdates,
        Level::LabVerified,
        &evaluate(&format!("{GOOD}{LAB_SIGNED}").replace("signed = true", "signed = false")),
    );
    assert_eq!(s, Status::Fail);
}

#[test]
fn universal_default_password() {
    let k = || Kind::NoUniversalDefaultPassword;
    let (s, _) = run(k(), Level::Declared, &evaluate(GOOD));
    assert_eq!(s, Status::Pass);
    let (s, facts) = run(
        k(),
        Level::Declared,
        &evaluate(&GOOD.replace("\"unique-per-device\"", "\"universal\"")),
    );
    assert_eq!(s, Status::Fail);
    assert!(facts[0].contains("universal"), "{facts:?}");
    let (s, _) = run(
        k(),
        Level::Declared,
        &evaluate(&without(GOOD, "default_password = \"unique-per-device\"\n")),
    );
    assert_eq!(s, Status::NeedsEvidence);
    let (s, _) = run(k(), Level::LabVerified, &evaluate(GOOD));
    assert_eq!(s, Status::NeedsEvidence);
}

#[test]
fn frameworks_follow_the_assessment_outcome() {
    // uk-psti's three controls pass on the good profile.
    let e = evaluate(GOOD);
    let psti = || Kind::Frameworks {
        frameworks: vec!["uk-psti".into()],
    };
    let (s, facts) = run(psti(), Level::Declared, &e);
    assert_eq!(s, Status::Pass, "{facts:?}");
    assert!(facts[0].starts_with("uk-psti "), "{facts:?}");
    // A universal password fails PSTI's first requirement.
    let bad = evaluate(&GOOD.replace("\"unique-per-device\"", "\"universal\""));
    let (s, facts) = run(psti(), Level::Declared, &bad);
    assert_eq!(s, Status::Fail, "{facts:?}");
    // No disclosure contact: PSTI needs evidence, nothing fails.
    let vague = evaluate(&without(
        GOOD,
        "contact = \"mailto:security@test.example\"\n",
    ));
    let (s, facts) = run(psti(), Level::Declared, &vague);
    assert_eq!(s, Status::NeedsEvidence, "{facts:?}");
    // The combined status is the worst framework's.
    let both = Kind::Frameworks {
        frameworks: vec!["uk-psti".into(), "etsi-en-303-645-v2".into()],
    };
    let (s, facts) = run(both, Level::Declared, &vague);
    let etsi = e_outcome(&vague, "etsi-en-303-645-v2");
    assert_eq!(s, Status::NeedsEvidence.max(etsi), "{facts:?}");
    assert_eq!(facts.len(), 2);
}

/// A framework's outcome read straight from the assessment, independently of the gate.
fn e_outcome(e: &Evaluation, id: &str) -> Status {
    use riskmark_frameworks::Obligation;
    let f = e.assessment.frameworks.iter().find(|f| f.id == id).unwrap();
    let catalogue = f
        .controls
        .iter()
        .all(|c| c.obligation != Obligation::Mandatory);
    let req: Vec<_> = f
        .controls
        .iter()
        .filter(|c| catalogue || c.obligation != Obligation::Recommended)
        .collect();
    if req
        .iter()
        .any(|c| c.status == riskmark_checks::Status::Fail)
    {
        Status::Fail
    } else if req
        .iter()
        .any(|c| c.status == riskmark_checks::Status::NeedsEvidence)
    {
        Status::NeedsEvidence
    } else {
        Status::Pass
    }
}

#[test]
fn a_catalogue_of_recommended_controls_counts_whole() {
    // NIST IR 8259A has only recommended controls: at a low tier none is required by
    // the assessment, yet a buyer who names it requires them all.
    let e = evaluate(&without(GOOD, "secure_delivery = true\n"));
    let f = e
        .assessment
        .frameworks
        .iter()
        .find(|f| f.id == "nist-ir-8259a")
        .unwrap();
    assert!(
        f.controls
            .iter()
            .all(|c| c.obligation == riskmark_frameworks::Obligation::Recommended),
        "the good profile is low tier"
    );
    let (s, facts) = run(
        Kind::Frameworks {
            frameworks: vec!["nist-ir-8259a".into()],
        },
        Level::Declared,
        &e,
    );
    assert_eq!(s, e_outcome(&e, "nist-ir-8259a"));
    assert_ne!(s, Status::Pass, "{facts:?}");
    assert!(facts[0].contains("recommended controls only"), "{facts:?}");
    assert!(facts[0].contains(" of 22 required controls"), "{facts:?}");
}

#[test]
fn risk_tier_and_cra_class() {
    use riskmark_risk::{CraClass, Tier};
    let e = evaluate(GOOD);
    let tier = e.assessment.risk.tier;
    let (s, facts) = run(
        Kind::Risk {
            max_tier: Some(tier),
            max_cra_class: Some(CraClass::Default),
        },
        Level::Declared,
        &e,
    );
    assert_eq!(s, Status::Pass, "{facts:?}");
    assert_eq!(facts.len(), 2);
    // A lock is CRA important I: above a `default` maximum.
    let lock = evaluate(
        &GOOD
            .replace("\"smart-plug\"", "\"smart-lock\"")
            .replace("security_function = false", "security_function = true"),
    );
    assert_eq!(lock.assessment.risk.cra_class, CraClass::ImportantI);
    let (s, facts) = run(
        Kind::Risk {
            max_tier: None,
            max_cra_class: Some(CraClass::Default),
        },
        Level::Declared,
        &lock,
    );
    assert_eq!(s, Status::Fail, "{facts:?}");
    assert!(
        facts[0].contains("exceeds the maximum default"),
        "{facts:?}"
    );
    // A universal password and internet exposure raise the tier above low.
    let risky = evaluate(
        &GOOD
            .replace("\"unique-per-device\"", "\"universal\"")
            .replace("internet_reachable = false", "internet_reachable = true")
            .replace("upnp = false", "upnp = true"),
    );
    assert!(risky.assessment.risk.tier > Tier::Low);
    let (s, _) = run(
        Kind::Risk {
            max_tier: Some(Tier::Low),
            max_cra_class: None,
        },
        Level::Declared,
        &risky,
    );
    assert_eq!(s, Status::Fail);
}

const CLEAN_SBOM: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
 "components":[{"type":"library","name":"left-pad-test","version":"1.0.0","purl":"pkg:generic/left-pad-test@1.0.0"}]}"#;

#[test]
fn known_exploited_from_the_scan() {
    let router = Document::path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/sbom/home-router-firmware.cdx.json"
    ));
    let e = evaluate_with(GOOD, Some(router));
    let (s, facts) = run(Kind::NoKnownExploited, Level::Declared, &e);
    assert_eq!(s, Status::Fail, "{facts:?}");
    assert!(
        facts
            .iter()
            .any(|f| f.contains("CVE-2022-0847 in linux 5.10.92")),
        "{facts:?}"
    );
    let clean = evaluate_with(
        GOOD,
        Some(Document::memory("clean.cdx.json", CLEAN_SBOM.as_bytes())),
    );
    let (s, facts) = run(Kind::NoKnownExploited, Level::Declared, &clean);
    assert_eq!(s, Status::Pass, "{facts:?}");
    assert!(facts[0].contains("1 components scanned"), "{facts:?}");
    // The good profile's SBOM is a URL: nothing was scanned.
    let (s, facts) = run(Kind::NoKnownExploited, Level::Declared, &evaluate(GOOD));
    assert_eq!(s, Status::NeedsEvidence);
    assert!(facts[0].contains("no SBOM was scanned"), "{facts:?}");
}

#[test]
fn sbom_declared_or_not() {
    let (s, _) = run(Kind::Sbom, Level::Declared, &evaluate(GOOD));
    assert_eq!(s, Status::Pass);
    let none = evaluate(&without(
        GOOD,
        "sbom = \"https://test.example/sbom/tp-1.cdx.json\"\n",
    ));
    let (s, facts) = run(Kind::Sbom, Level::Declared, &none);
    assert_eq!(s, Status::NeedsEvidence, "{facts:?}");
    let (s, _) = run(Kind::Sbom, Level::LabVerified, &evaluate(GOOD));
    assert_eq!(s, Status::NeedsEvidence);
}

#[test]
fn vex_given_or_declared() {
    let e = evaluate(GOOD);
    let (s, facts) = run(Kind::Vex, Level::Declared, &e);
    assert_eq!(s, Status::Pass, "{facts:?}");
    let html = evaluate(&GOOD.replace(
        "https://test.example/.well-known/csaf/provider-metadata.json",
        "https://test.example/advisories",
    ));
    let (s, facts) = run(Kind::Vex, Level::Declared, &html);
    assert_eq!(s, Status::NeedsEvidence, "{facts:?}");
    // A VEX document given with the profile is the evidence itself.
    let c = judge(
        &req(Kind::Vex, Level::LabVerified),
        &html,
        date("2026-12-05"),
        &["vendor.openvex.json".into()],
    );
    assert_eq!(c.results[0].status, Status::Pass);
    let none = evaluate(&without(
        GOOD,
        "advisories_url = \"https://test.example/.well-known/csaf/provider-metadata.json\"\n",
    ));
    let (s, _) = run(Kind::Vex, Level::Declared, &none);
    assert_eq!(s, Status::NeedsEvidence);
}

#[test]
fn evidence_levels_for_chosen_claims() {
    let claims = || Kind::Evidence {
        claims: vec!["updates.signed".into(), "use.safety_impact".into()],
    };
    let (s, facts) = run(claims(), Level::Declared, &evaluate(GOOD));
    assert_eq!(s, Status::Pass, "{facts:?}");
    assert_eq!(
        facts,
        [
            "`updates.signed` = true: declared",
            "`use.safety_impact` = low: declared"
        ]
    );
    let (s, facts) = run(claims(), Level::LabVerified, &evaluate(GOOD));
    assert_eq!(s, Status::NeedsEvidence, "{facts:?}");
    let only_signed = Kind::Evidence {
        claims: vec!["updates.signed".into()],
    };
    let (s, _) = run(
        only_signed,
        Level::LabVerified,
        &evaluate(&format!("{GOOD}{LAB_SIGNED}")),
    );
    assert_eq!(s, Status::Pass);
    let (s, facts) = run(
        claims(),
        Level::Declared,
        &evaluate(&without(GOOD, "safety_impact = \"low\"\n")),
    );
    assert_eq!(s, Status::NeedsEvidence);
    assert!(
        facts.contains(&"`use.safety_impact` is not declared".to_owned()),
        "{facts:?}"
    );
}

#[test]
fn decision_follows_mandatory_requirements_only() {
    let e = evaluate(&GOOD.replace("signed = true", "signed = false"));
    let mut reqs = req(Kind::SignedUpdates, Level::Declared);
    reqs.requirements[0].mandatory = false;
    reqs.requirements.push(Requirement {
        id: "sbom".into(),
        title: "sbom".into(),
        mandatory: true,
        source: "test".into(),
        kind: Kind::Sbom,
        evidence: Level::LabVerified,
    });
    let c = judge(&reqs, &e, date("2026-12-05"), &[]);
    // An optional failure does not reject; a mandatory needs-evidence is reported.
    assert_eq!(c.decision, Decision::NeedsEvidence);
    assert!(c.mandatory_failing.is_empty());
    assert_eq!(c.mandatory_needing_evidence, ["sbom"]);
    reqs.requirements[0].mandatory = true;
    let c = judge(&reqs, &e, date("2026-12-05"), &[]);
    assert_eq!(c.decision, Decision::Reject);
    assert_eq!(c.mandatory_failing, ["r"]);
    reqs.requirements[1].evidence = Level::Declared;
    let good = evaluate(GOOD);
    let c = judge(&reqs, &good, date("2026-12-05"), &[]);
    assert_eq!(c.decision, Decision::Accept, "{:?}", c.results);
}
