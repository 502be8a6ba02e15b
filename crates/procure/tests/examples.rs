//! The three shipped requirement sets against every shipped example profile: each
//! outcome is checked against the profile's own facts (read here from the profile file,
//! not from the gate) and against the assessment, plus the decisions a reader of the
//! profiles would expect.

use std::path::{Path, PathBuf};

use riskmark_engine::{Database, Document, Inputs};
use riskmark_model::{DefaultPassword, Profile, UpdateMechanism};
use riskmark_procure::{
    Candidate, Decision, Kind, Level, Offer, Options, Report, Requirements, Status, load_path,
    procure, render,
};

const AS_OF: &str = "2026-12-05";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn profiles() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    assert!(v.len() >= 15, "{v:?}");
    v
}

fn options() -> Options {
    Options {
        database: Database::Embedded,
        as_of: AS_OF.parse().unwrap(),
    }
}

fn gate(set: &str, profiles: &[PathBuf]) -> (Requirements, Report) {
    let reqs = load_path(&root().join("examples/requirements").join(set)).unwrap();
    let offers: Vec<Offer> = profiles
        .iter()
        .map(|p| Offer::profile(Document::path(p)))
        .collect();
    let report = procure(&reqs, &offers, &options()).unwrap();
    (reqs, report)
}

fn verified(p: &Profile, claim: &str) -> bool {
    p.is_verified(claim)
}

/// The outcome the profile's own facts call for, for the kinds that read one fact.
fn expected_from_facts(
    kind: &Kind,
    level: Level,
    p: &Profile,
    purchase: jiff::civil::Date,
) -> Option<Status> {
    let lab = |claim: &str, s: Status| {
        if s == Status::Pass && level == Level::LabVerified && !verified(p, claim) {
            Status::NeedsEvidence
        } else {
            s
        }
    };
    Some(match kind {
        Kind::SupportPeriod { years } => {
            let end = p.updates.as_ref().and_then(|u| u.support_end);
            let s = match end {
                None => Status::NeedsEvidence,
                Some(end) => {
                    let need = purchase
                        .checked_add(jiff::Span::new().years(i64::from(*years)))
                        .unwrap();
                    if end.0 >= need {
                        Status::Pass
                    } else {
                        Status::Fail
                    }
                }
            };
            lab("updates.support_end", s)
        }
        Kind::SignedUpdates => {
            let u = p.updates.as_ref();
            let s = if u.and_then(|u| u.mechanism) == Some(UpdateMechanism::None) {
                Status::Fail
            } else {
                match u.and_then(|u| u.signed) {
                    Some(true) => Status::Pass,
                    Some(false) => Status::Fail,
                    None => Status::NeedsEvidence,
                }
            };
            lab("updates.signed", s)
        }
        Kind::NoUniversalDefaultPassword => {
            let s = match p.identity.as_ref().and_then(|i| i.default_password) {
                Some(DefaultPassword::Universal) => Status::Fail,
                Some(_) => Status::Pass,
                None => Status::NeedsEvidence,
            };
            lab("identity.default_password", s)
        }
        Kind::Vex => {
            let s = match p
                .disclosure
                .as_ref()
                .and_then(|d| d.advisories_url.as_deref())
            {
                Some(u) if u.ends_with("provider-metadata.json") => Status::Pass,
                _ => Status::NeedsEvidence,
            };
            lab("disclosure.advisories_url", s)
        }
        Kind::Evidence { claims } => {
            let json = serde_json::to_value(p).unwrap();
            let all = claims.iter().all(|c| {
                let declared = c
                    .split('.')
                    .try_fold(&json, |v, k| v.get(k))
                    .is_some_and(|v| !v.is_null());
                declared && (level == Level::Declared || verified(p, c))
            });
            if all {
                Status::Pass
            } else {
                Status::NeedsEvidence
            }
        }
        Kind::Frameworks { .. } | Kind::Risk { .. } | Kind::NoKnownExploited | Kind::Sbom => {
            return None;
        }
    })
}

/// The outcome the assessment calls for, for the kinds the engine decides.
fn expected_from_assessment(
    kind: &Kind,
    level: Level,
    profile: &Path,
    p: &Profile,
) -> Option<Status> {
    let e = riskmark_engine::evaluate(&Inputs {
        database: Database::Embedded,
        ..Inputs::new(Document::path(profile), AS_OF.parse().unwrap())
    })
    .unwrap();
    let a = &e.assessment;
    use riskmark_checks::Status as C;
    let worst = |v: &[C]| {
        if v.contains(&C::Fail) {
            Status::Fail
        } else if v.contains(&C::NeedsEvidence) {
            Status::NeedsEvidence
        } else {
            Status::Pass
        }
    };
    Some(match kind {
        Kind::Frameworks { frameworks } => {
            use riskmark_frameworks::Obligation;
            let statuses: Vec<C> = a
                .frameworks
                .iter()
                .filter(|f| frameworks.contains(&f.id))
                .flat_map(|f| {
                    // A catalogue of recommended controls counts whole.
                    let all = f
                        .controls
                        .iter()
                        .all(|c| c.obligation != Obligation::Mandatory);
                    f.controls
                        .iter()
                        .filter(move |c| all || c.obligation != Obligation::Recommended)
                })
                .map(|c| c.status)
                .collect();
            worst(&statuses)
        }
        Kind::Risk {
            max_tier,
            max_cra_class,
        } => {
            let over = max_tier.is_some_and(|m| a.risk.tier > m)
                || max_cra_class.is_some_and(|m| a.risk.cra_class > m);
            if over { Status::Fail } else { Status::Pass }
        }
        Kind::NoKnownExploited => match &a.vulnerabilities {
            None => Status::NeedsEvidence,
            Some(s) if s.active().any(|f| f.kev) => Status::Fail,
            Some(_) => Status::Pass,
        },
        Kind::Sbom => {
            let c = a
                .checks
                .iter()
                .find(|c| c.code == "sbom-available")
                .unwrap();
            let s = if c.status == C::Pass {
                Status::Pass
            } else {
                Status::NeedsEvidence
            };
            if s == Status::Pass && level == Level::LabVerified && !verified(p, "disclosure.sbom") {
                Status::NeedsEvidence
            } else {
                s
            }
        }
        _ => return None,
    })
}

fn check_set(set: &str) -> Report {
    let paths = profiles();
    let (reqs, report) = gate(set, &paths);
    assert_eq!(report.schema, "riskmark/procure/v1");
    assert_eq!(report.profiles.len(), paths.len());
    let purchase: jiff::civil::Date = report.purchase_date.parse().unwrap();
    for (path, c) in paths.iter().zip(&report.profiles) {
        let p = riskmark_model::load_path(path).unwrap().profile;
        assert_eq!(c.name, p.product.name);
        assert_eq!(c.results.len(), reqs.requirements.len());
        for (q, o) in reqs.requirements.iter().zip(&c.results) {
            assert_eq!(o.id, q.id);
            assert!(
                !o.facts.is_empty(),
                "{set} {}: {} has no facts",
                c.file,
                q.id
            );
            let want = expected_from_facts(&q.kind, q.evidence, &p, purchase)
                .or_else(|| expected_from_assessment(&q.kind, q.evidence, path, &p))
                .unwrap();
            assert_eq!(o.status, want, "{set}: {} {}: {:?}", c.file, q.id, o.facts);
        }
        let want = if c
            .results
            .iter()
            .any(|o| o.mandatory && o.status == Status::Fail)
        {
            Decision::Reject
        } else if c
            .results
            .iter()
            .any(|o| o.mandatory && o.status == Status::NeedsEvidence)
        {
            Decision::NeedsEvidence
        } else {
            Decision::Accept
        };
        assert_eq!(c.decision, want, "{set}: {}", c.file);
    }
    report
}

fn candidate<'a>(r: &'a Report, file: &str) -> &'a Candidate {
    r.profiles
        .iter()
        .find(|c| c.file.ends_with(file))
        .unwrap_or_else(|| panic!("{file}"))
}

fn status(c: &Candidate, id: &str) -> Status {
    c.results.iter().find(|o| o.id == id).unwrap().status
}

#[test]
fn federal_set_against_every_example() {
    let r = check_set("federal-800-213a.toml");
    // No purchase date in the file: the assessment date.
    assert_eq!(r.purchase_date, AS_OF);
    // The router's support ended in mid-2026 and its SBOM carries a KEV-listed kernel bug.
    let router = candidate(&r, "home-router.toml");
    assert_eq!(router.decision, Decision::Reject);
    assert_eq!(status(router, "support-5y"), Status::Fail);
    assert_eq!(status(router, "no-kev"), Status::Fail);
    assert!(
        router.results[2].facts[0]
            .starts_with("support ended 2026-06-30: 0.4 years before purchase 2026-12-05"),
        "{:?}",
        router.results[2].facts
    );
    // The smart plug's signed updates carry a test report: lab-verified passes.
    let plug = candidate(&r, "smart-plug.toml");
    assert_eq!(status(plug, "signed-updates"), Status::Pass);
    // The baby monitor ships a universal password.
    let baby = candidate(&r, "baby-monitor.toml");
    assert_eq!(status(baby, "no-universal-password"), Status::Fail);
    assert!(r.any_rejected());
}

#[test]
fn hospital_set_against_every_example() {
    let r = check_set("hospital.toml");
    assert_eq!(r.purchase_date, "2027-01-15");
    let pump = candidate(&r, "infusion-pump.toml");
    assert_eq!(pump.tier, "critical");
    // Optional: a critical tier does not reject by itself.
    assert_eq!(status(pump, "risk-review"), Status::Fail);
    assert!(!pump.mandatory_failing.contains(&"risk-review".to_owned()));
}

#[test]
fn small_enterprise_set_against_every_example() {
    let r = check_set("small-enterprise.toml");
    let baby = candidate(&r, "baby-monitor.toml");
    assert_eq!(baby.decision, Decision::Reject);
    assert!(
        baby.mandatory_failing
            .contains(&"no-universal-password".to_owned())
    );
    // The toy has a contact but no published policy: needs evidence, not a failure.
    let toy = candidate(&r, "connected-toy.toml");
    assert_eq!(status(toy, "disclosure"), Status::NeedsEvidence);
}

#[test]
fn renderers_show_every_candidate() {
    let paths: Vec<PathBuf> = ["smart-plug.toml", "home-router.toml", "baby-monitor.toml"]
        .iter()
        .map(|f| root().join("examples").join(f))
        .collect();
    let (reqs, r) = gate("federal-800-213a.toml", &paths);
    let text = render::table(&r, 80);
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert!(text.contains("[1]") && text.contains("[3]"), "{text}");
    assert!(text.contains("DECISION"), "{text}");
    assert!(
        text.contains("Skyfield AX3000 Home Router is rejected"),
        "{text}"
    );
    for q in &reqs.requirements {
        assert!(text.contains(&q.id), "{}", q.id);
    }
    // Narrow: the three columns split into several matrices, still within the width.
    let narrow = render::table(&r, 60);
    assert!(narrow.lines().all(|l| l.chars().count() <= 60), "{narrow}");
    assert!(narrow.matches("DECISION").count() >= 2, "{narrow}");

    let json: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(json["schema"], "riskmark/procure/v1");
    let arr = json["profiles"].as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[1]["decision"], "reject");
    assert_eq!(
        json["requirements"]["requirements"][0]["kind"],
        "frameworks"
    );
    assert_eq!(arr[1]["results"][2]["status"], "fail");

    let html = render::html(&r);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<caption>"));
    assert!(html.contains("<th scope=\"col\">"));
    assert!(html.contains("<th scope=\"row\">"));
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("http://") && !html.contains("src="),
        "no outside resource"
    );
    assert_eq!(html.matches("<tr>").count(), reqs.requirements.len() + 2);
}

#[test]
fn a_broken_profile_is_an_error_naming_it() {
    let reqs = load_path(&root().join("examples/requirements/small-enterprise.toml")).unwrap();
    let offers = [
        Offer::profile(Document::path(root().join("examples/smart-plug.toml"))),
        Offer::profile(Document::memory(
            "broken.toml",
            b"schema = \"riskmark/device-profile/v1\"\n[product]\nname = 1\n".to_vec(),
        )),
    ];
    let err = procure(&reqs, &offers, &options()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("broken.toml:3:"), "{text}");
    assert!(text.contains("product.name"), "{text}");
}
