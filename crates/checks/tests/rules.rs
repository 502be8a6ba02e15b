//! Per-check fixtures and the standards' own rules.

use jiff::civil::date;
use riskmark_checks::{Basis, Ctx, Status, VulnSummary, checks, codes, run, run_all};
use riskmark_model::{
    AuthMethod, DefaultPassword, Practice, Profile, Protocol, Service, TransitEncryption,
    UpdateMechanism, load_bytes,
};

const SPEC: &str = include_str!("../../model/tests/fixtures/spec-example.toml");

fn spec() -> Profile {
    load_bytes("spec.toml", SPEC.as_bytes()).unwrap().profile
}

fn status(p: &Profile, code: &str) -> Status {
    status_with(p, code, None)
}

fn status_with(p: &Profile, code: &str, v: Option<&VulnSummary>) -> Status {
    let ctx = Ctx {
        profile: p,
        as_of: date(2026, 11, 24),
        vulnerabilities: v,
        missing_sbom: None,
    };
    run(code, &ctx)
        .unwrap_or_else(|| panic!("no check {code}"))
        .status
}

#[test]
fn codes_are_unique_kebab_case_and_at_least_forty() {
    let c = codes();
    assert!(c.len() >= 40, "{} checks", c.len());
    let mut seen = std::collections::BTreeSet::new();
    for code in c {
        assert!(seen.insert(*code), "duplicate {code}");
        assert!(
            code.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
            "{code}"
        );
        assert!(!code.starts_with('-') && !code.ends_with('-') && !code.contains("--"));
    }
    insta::assert_snapshot!("codes", c.join("\n"));
}

#[test]
fn every_check_is_documented_under_the_fixed_headings() {
    for c in checks() {
        let doc = c.doc();
        for h in [
            "## What it checks",
            "## Why it matters",
            "## Serves",
            "## Remediation",
            "## References",
        ] {
            assert!(doc.contains(h), "{} lacks {h}", c.code);
        }
        assert!(
            !c.serves.is_empty() && !c.responsible.is_empty(),
            "{}",
            c.code
        );
    }
}

#[test]
fn spec_example_verdicts_name_their_facts() {
    let p = spec();
    let ctx = Ctx {
        profile: &p,
        as_of: date(2026, 11, 24),
        vulnerabilities: None,
        missing_sbom: None,
    };
    for v in run_all(&ctx) {
        assert!(!v.reasons.is_empty(), "{}", v.code);
        if v.status != Status::NeedsEvidence || !v.facts.is_empty() {
            assert!(
                !v.facts.is_empty() || v.code.starts_with("known-"),
                "{} names no fact",
                v.code
            );
        }
    }
}

// EN 303 645 5.1-1 and UK PSTI para 1.
#[test]
fn universal_default_password_fails_and_no_passwords_is_not_applicable() {
    let mut p = spec();
    assert_eq!(status(&p, "default-password-universal"), Status::Pass);
    p.identity.as_mut().unwrap().default_password = Some(DefaultPassword::Universal);
    assert_eq!(status(&p, "default-password-universal"), Status::Fail);
    p.identity.as_mut().unwrap().default_password = Some(DefaultPassword::None);
    p.identity.as_mut().unwrap().authentication = Some(vec![AuthMethod::AppPairing]);
    assert_eq!(
        status(&p, "default-password-universal"),
        Status::NotApplicable
    );
    assert_eq!(status(&p, "brute-force-protection"), Status::NotApplicable);
    p.identity = None;
    assert_eq!(
        status(&p, "default-password-universal"),
        Status::NeedsEvidence
    );
}

// EN 303 645 5.2-1: no published policy never passes.
#[test]
fn missing_disclosure_policy_never_passes() {
    let mut p = spec();
    assert_eq!(status(&p, "disclosure-policy"), Status::Pass);
    p.disclosure.as_mut().unwrap().policy_url = None;
    assert_ne!(status(&p, "disclosure-policy"), Status::Pass);
    p.disclosure = None;
    assert_eq!(status(&p, "disclosure-policy"), Status::NeedsEvidence);
    assert_eq!(status(&p, "disclosure-contact"), Status::NeedsEvidence);
}

// EN 303 645 5.3-13: a declared support end date passes; an expired one fails "support active".
#[test]
fn support_period_published_and_expired() {
    let mut p = spec();
    assert_eq!(status(&p, "support-period-published"), Status::Pass);
    assert_eq!(status(&p, "support-period-expired"), Status::Pass);
    p.updates.as_mut().unwrap().support_end =
        Some(riskmark_model::IsoDate::parse("2025-01-01").unwrap());
    assert_eq!(status(&p, "support-period-published"), Status::Pass);
    assert_eq!(status(&p, "support-period-expired"), Status::Fail);
    p.updates.as_mut().unwrap().support_end = None;
    assert_eq!(
        status(&p, "support-period-published"),
        Status::NeedsEvidence
    );
}

#[test]
fn update_checks_follow_the_mechanism() {
    let mut p = spec();
    for code in [
        "update-mechanism",
        "update-signed",
        "update-secure-delivery",
        "rollback-protection",
        "update-automatic",
        "update-notification",
    ] {
        assert_eq!(status(&p, code), Status::Pass, "{code}");
    }
    p.updates.as_mut().unwrap().mechanism = Some(UpdateMechanism::Manual);
    p.updates.as_mut().unwrap().signed = Some(false);
    assert_eq!(status(&p, "update-automatic"), Status::Fail);
    assert_eq!(status(&p, "update-signed"), Status::Fail);
    p.updates.as_mut().unwrap().mechanism = Some(UpdateMechanism::None);
    assert_eq!(status(&p, "update-mechanism"), Status::Fail);
    for code in [
        "update-signed",
        "update-secure-delivery",
        "rollback-protection",
        "update-automatic",
        "update-notification",
    ] {
        assert_eq!(status(&p, code), Status::NotApplicable, "{code}");
    }
}

#[test]
fn network_checks() {
    let mut p = spec();
    // The spec example's local HTTP control page has no authentication.
    assert_eq!(status(&p, "unauthenticated-service"), Status::Fail);
    assert_eq!(status(&p, "internet-reachable"), Status::Pass);
    assert_eq!(status(&p, "upnp-enabled"), Status::Pass);
    p.connectivity.internet_reachable = Some(true);
    assert_eq!(status(&p, "internet-reachable"), Status::Fail);
    p.connectivity.services.as_mut().unwrap()[0].authentication = Some(AuthMethod::Password);
    assert_eq!(status(&p, "unauthenticated-service"), Status::Pass);
    assert_eq!(status(&p, "internet-reachable"), Status::Pass);
    assert_eq!(status(&p, "debug-service-exposed"), Status::Pass);
    p.connectivity.services.as_mut().unwrap().push(Service {
        port: 23,
        protocol: Some(Protocol::Tcp),
        name: Some("telnet".into()),
        authentication: Some(AuthMethod::Password),
        purpose: None,
    });
    assert_eq!(status(&p, "debug-service-exposed"), Status::Fail);
    p.connectivity.upnp = Some(true);
    assert_eq!(status(&p, "upnp-enabled"), Status::Fail);
    p.connectivity.services = None;
    assert_eq!(status(&p, "services-inventory"), Status::NeedsEvidence);
    assert_eq!(status(&p, "unauthenticated-service"), Status::NeedsEvidence);
}

#[test]
fn transport_and_data_checks() {
    let mut p = spec();
    assert_eq!(status(&p, "encryption-in-transit"), Status::Pass);
    p.data_protection.as_mut().unwrap().encryption_in_transit =
        Some(vec![TransitEncryption::Tls1_2, TransitEncryption::Tls1_0]);
    assert_eq!(status(&p, "encryption-in-transit"), Status::Pass);
    assert_eq!(status(&p, "legacy-crypto-protocol"), Status::Fail);
    p.data_protection.as_mut().unwrap().encryption_in_transit = Some(vec![TransitEncryption::None]);
    assert_eq!(status(&p, "encryption-in-transit"), Status::Fail);
    // The spec example declares only usage data: no personal data, so these do not apply.
    assert_eq!(status(&p, "privacy-notice"), Status::NotApplicable);
    assert_eq!(status(&p, "encryption-at-rest"), Status::NotApplicable);
    p.use_.data = Some(vec![riskmark_model::DataKind::Video]);
    assert_eq!(status(&p, "encryption-at-rest"), Status::Pass);
    p.data_protection.as_mut().unwrap().encryption_at_rest = Some(false);
    assert_eq!(status(&p, "encryption-at-rest"), Status::Fail);
}

#[test]
fn development_checks() {
    let mut p = spec();
    for code in [
        "secure-development",
        "threat-modeling",
        "penetration-test",
        "code-review",
        "dependency-scanning",
        "ssdf-attestation",
    ] {
        assert_eq!(status(&p, code), Status::Pass, "{code}");
    }
    p.development.as_mut().unwrap().practices = Some(vec![Practice::SecureCodingTraining]);
    assert_eq!(status(&p, "secure-development"), Status::Fail);
    assert_eq!(status(&p, "threat-modeling"), Status::Fail);
    p.development = None;
    assert_eq!(status(&p, "code-review"), Status::NeedsEvidence);
}

#[test]
fn vulnerability_checks_need_a_scan() {
    let p = spec();
    assert_eq!(status(&p, "known-vulnerabilities"), Status::NeedsEvidence);
    let clean = VulnSummary {
        sbom_present: true,
        scanned: true,
        total: 2,
        ..Default::default()
    };
    assert_eq!(
        status_with(&p, "known-vulnerabilities", Some(&clean)),
        Status::Pass
    );
    assert_eq!(
        status_with(&p, "sbom-available", Some(&clean)),
        Status::Pass
    );
    let bad = VulnSummary {
        sbom_present: true,
        scanned: true,
        total: 3,
        high: 1,
        kev: 1,
        ..Default::default()
    };
    assert_eq!(
        status_with(&p, "known-vulnerabilities", Some(&bad)),
        Status::Fail
    );
    assert_eq!(
        status_with(&p, "known-exploited-vulnerabilities", Some(&bad)),
        Status::Fail
    );
}

#[test]
fn evidence_basis_distinguishes_declared_and_verified() {
    let p = spec();
    let ctx = Ctx {
        profile: &p,
        as_of: date(2026, 11, 24),
        vulnerabilities: None,
        missing_sbom: None,
    };
    // The spec example backs `updates.signed` with a test report.
    assert_eq!(
        run("update-signed", &ctx).unwrap().evidence,
        Basis::Verified
    );
    assert_eq!(run("secure-boot", &ctx).unwrap().evidence, Basis::Declared);
    let mut q = spec();
    q.resilience = None;
    let ctx = Ctx {
        profile: &q,
        as_of: date(2026, 11, 24),
        vulnerabilities: None,
        missing_sbom: None,
    };
    assert_eq!(run("secure-boot", &ctx).unwrap().evidence, Basis::None);
}

#[test]
fn every_check_can_pass_and_can_miss_evidence_or_not_apply() {
    // A bare profile: every check either needs evidence or does not apply; none passes
    // on facts that were never declared (model-designation reads a required field).
    let bare = load_bytes(
        "bare.toml",
        b"schema = \"riskmark/device-profile/v1\"\n[product]\nmanufacturer = \"M\"\nname = \"N\"\nmodel = \"X1\"\ncategory = \"other\"\n[use]\n[connectivity]\n",
    )
    .unwrap()
    .profile;
    let ctx = Ctx {
        profile: &bare,
        as_of: date(2026, 11, 24),
        vulnerabilities: None,
        missing_sbom: None,
    };
    for v in run_all(&ctx) {
        if v.code == "model-designation" {
            assert_eq!(v.status, Status::Pass);
        } else {
            assert!(
                matches!(v.status, Status::NeedsEvidence | Status::NotApplicable),
                "{} gave {:?} on undeclared facts",
                v.code,
                v.status
            );
        }
    }
}

#[test]
fn status_matrix_of_the_examples() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::new();
    for f in files {
        let p = riskmark_model::load_path(&f).unwrap().profile;
        let ctx = Ctx {
            profile: &p,
            as_of: date(2026, 11, 24),
            vulnerabilities: None,
            missing_sbom: None,
        };
        let row: String = run_all(&ctx)
            .iter()
            .map(|v| match v.status {
                Status::Pass => 'P',
                Status::Fail => 'F',
                Status::NeedsEvidence => '?',
                Status::NotApplicable => '-',
            })
            .collect();
        out.push_str(&format!(
            "{:<28} {row}\n",
            f.file_name().unwrap().to_string_lossy()
        ));
    }
    insta::assert_snapshot!("example-matrix", out);
}
