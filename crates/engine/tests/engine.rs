//! The engine as a library: documents from files or memory, the declared SBOM, the
//! database choice, typed errors.

use std::path::Path;

use riskmark_engine::{Database, Document, Error, Inputs};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn as_of() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 24)
}

#[test]
fn a_file_and_the_same_bytes_in_memory_give_one_assessment() {
    let path = root().join("examples/home-router.toml");
    let from_file = riskmark_engine::evaluate(&Inputs {
        sbom: Some(Document::path(
            root().join("examples/sbom/home-router-firmware.cdx.json"),
        )),
        database: Database::Embedded,
        ..Inputs::new(Document::path(&path), as_of())
    })
    .unwrap();
    let from_memory = riskmark_engine::evaluate(&Inputs {
        sbom: Some(Document::memory(
            "upload.cdx.json",
            std::fs::read(root().join("examples/sbom/home-router-firmware.cdx.json")).unwrap(),
        )),
        database: Database::Embedded,
        ..Inputs::new(
            Document::memory("upload.toml", std::fs::read(&path).unwrap()),
            as_of(),
        )
    })
    .unwrap();
    assert_eq!(from_file.assessment.risk.score, 91);
    assert_eq!(
        from_file.assessment.risk.score,
        from_memory.assessment.risk.score
    );
    assert_eq!(from_memory.loaded.file, "upload.toml");
    assert!(
        !from_memory.packages.is_empty(),
        "the SBOM's packages are reported"
    );
}

#[test]
fn a_declared_sbom_resolves_next_to_the_profile_and_never_in_memory() {
    let path = root().join("examples/home-router.toml");
    let e = riskmark_engine::evaluate(&Inputs {
        database: Database::Embedded,
        ..Inputs::new(Document::path(&path), as_of())
    })
    .unwrap();
    assert!(
        e.sbom
            .as_deref()
            .is_some_and(|s| s.ends_with("home-router-firmware.cdx.json"))
    );
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    let m = riskmark_engine::evaluate(&Inputs {
        database: Database::Embedded,
        ..Inputs::new(
            Document::memory("r.toml", std::fs::read(&path).unwrap()),
            as_of(),
        )
    })
    .unwrap();
    assert!(m.sbom.is_none());
    assert_eq!(m.warnings.len(), 1);
    assert_eq!(m.warnings[0].field.as_deref(), Some("disclosure.sbom"));
    assert!(m.assessment.risk.score < e.assessment.risk.score);
}

#[test]
fn problems_are_typed_and_name_their_input() {
    let bad = riskmark_engine::evaluate(&Inputs::new(
        Document::memory("bad.toml", b"units_in_market = 1\n".to_vec()),
        as_of(),
    ))
    .unwrap_err();
    assert!(matches!(bad, Error::Profile(_)));
    assert!(
        bad.diagnostics()
            .unwrap()
            .iter()
            .all(|d| d.file == "bad.toml")
    );
    let dir = tempfile::tempdir().unwrap();
    let no_db = riskmark_engine::evaluate(&Inputs {
        database: Database::Dir(dir.path().to_path_buf()),
        sbom: Some(Document::path(
            root().join("examples/sbom/home-router-firmware.cdx.json"),
        )),
        ..Inputs::new(
            Document::path(root().join("examples/smart-plug.toml")),
            as_of(),
        )
    })
    .unwrap_err();
    assert!(matches!(no_db, Error::NoDatabase(_)), "{no_db}");
    let bad_sbom = riskmark_engine::evaluate(&Inputs {
        sbom: Some(Document::memory("s.json", b"{\"bomFormat\": ".to_vec())),
        database: Database::Embedded,
        ..Inputs::new(
            Document::path(root().join("examples/smart-plug.toml")),
            as_of(),
        )
    })
    .unwrap_err();
    assert!(
        matches!(bad_sbom, Error::Sbom(_)) && bad_sbom.to_string().contains("s.json"),
        "{bad_sbom}"
    );
    let unknown = riskmark_engine::evaluate(&Inputs {
        frameworks: vec!["uk-pst".into()],
        ..Inputs::new(
            Document::path(root().join("examples/smart-plug.toml")),
            as_of(),
        )
    })
    .unwrap_err();
    assert!(
        unknown.to_string().contains("did you mean `uk-psti`"),
        "{unknown}"
    );
}

#[test]
fn a_verified_fail_over_a_declared_pass_says_they_disagree() {
    let path = root().join("examples/home-router.toml");
    let run = |verified: Vec<riskmark_engine::VerifiedCheck>| {
        riskmark_engine::evaluate(&Inputs {
            database: Database::Embedded,
            verified,
            ..Inputs::new(Document::path(&path), as_of())
        })
        .unwrap()
        .assessment
    };
    let code = "default-password-universal";
    let declared = run(Vec::new());
    let before = declared.checks.iter().find(|c| c.code == code).unwrap();
    assert_eq!(before.status, riskmark_checks::Status::Pass);
    let observed = |status| riskmark_engine::VerifiedCheck {
        code: code.to_owned(),
        status,
        by: "riskmark firmware".to_owned(),
        date: "2026-11-24".to_owned(),
        evidence: "squashfs-root/etc/shadow".to_owned(),
    };
    let verified = run(vec![observed(riskmark_checks::Status::Fail)]);
    let after = verified.checks.iter().find(|c| c.code == code).unwrap();
    assert_eq!(after.status, riskmark_checks::Status::Fail);
    assert_eq!(after.evidence, riskmark_checks::Basis::Verified);
    assert!(
        after
            .reasons
            .iter()
            .any(|r| r.contains("declared and verified disagree")
                && r.contains("give pass")
                && r.contains("observed fail")),
        "{:?}",
        after.reasons
    );
    // Agreement says nothing more than the verification.
    let agreed = run(vec![observed(riskmark_checks::Status::Pass)]);
    let same = agreed.checks.iter().find(|c| c.code == code).unwrap();
    assert!(!same.reasons.iter().any(|r| r.contains("disagree")));
}
