//! The registry's rules on a real SQLite file and a real PostgreSQL database: organizations and tokens, submissions
//! through the engine with history, who may write what, located problems, search.

use std::path::Path;

use riskmark_engine::Database;
use riskmark_registry::{Config, Error, Query, Registry, Role, Submission};

mod common;
use common::Backend;

#[path = "../../firmware/tests/build/mod.rs"]
mod build;

on_both!(
    the_lean_device_keeps_what_the_page_shows,
    devices_sharing_an_sbom_share_its_storage,
    a_manufacturer_registers_a_device_and_its_versions,
    tokens_authenticate_only_while_live_and_exact,
    no_one_writes_another_manufacturers_device_and_labs_register_nothing,
    an_invalid_profile_gives_every_located_problem_and_stores_nothing,
    search_filters_and_pages,
    a_lab_attestation_turns_declared_verdicts_into_verified_ones,
    a_lab_attests_with_its_signed_probe_evidence,
    a_submitted_firmware_image_gives_verified_verdicts_that_stay,
    labels_are_signed_with_the_registry_key,
);

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(root().join("examples").join(name)).unwrap()
}

fn open(b: &Backend) -> Registry {
    Registry::open(Config {
        database: b.location(),
        vulndb: Database::Embedded,
        public_url: "https://registry.example".into(),
        sign_key: None,
    })
    .unwrap()
}

fn as_of() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 24)
}

fn submission(profile: &str) -> Submission {
    Submission {
        profile_name: profile.into(),
        profile: example(profile),
        ..Submission::default()
    }
}

fn a_manufacturer_registers_a_device_and_its_versions(b: &Backend) {
    let r = open(b);
    r.create_org("Skyfield", Role::Manufacturer, "admin")
        .unwrap();
    let token = r.create_token("Skyfield", "admin").unwrap();
    let org = r.authenticate(&token).unwrap();
    assert_eq!(org.role, Role::Manufacturer);

    let mut s = submission("home-router.toml");
    s.sbom = Some(example("sbom/home-router-firmware.cdx.json"));
    let first = r.submit(&org, &s, as_of()).unwrap();
    assert_eq!(first.version, 1);
    assert_eq!(
        first.url,
        format!("https://registry.example/d/{}", first.id)
    );
    // The same engine as the command line: the router with its SBOM is 91, critical.
    assert_eq!(first.assessment["risk"]["score"], 91);
    assert_eq!(first.assessment["risk"]["tier"], "critical");

    // A new firmware: a new version, history kept.
    let text = String::from_utf8(example("home-router.toml"))
        .unwrap()
        .replace("firmware_version = \"", "firmware_version = \"9.");
    let second = r
        .submit(
            &org,
            &Submission {
                profile_name: "home-router.toml".into(),
                profile: text.into_bytes(),
                ..Submission::default()
            },
            as_of(),
        )
        .unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.version, 2);
    let d = r.device(&first.id).unwrap();
    assert_eq!(d.summary.version, 2);
    assert_eq!(d.versions.len(), 2);
    assert_eq!(d.versions[0].version, 2);
    assert!(
        d.versions[0]
            .firmware_version
            .as_deref()
            .unwrap()
            .starts_with("9.")
    );
    assert_eq!(d.registered_by, "Skyfield");
    // Without the SBOM the second version scores lower: the page shows what was sent.
    assert!(d.summary.score < 91, "{}", d.summary.score);

    let label: serde_json::Value = serde_json::from_str(&r.label(&first.id).unwrap()).unwrap();
    assert_eq!(label["device_id"], first.id.as_str());
    assert_eq!(label["schema"], "riskmark/label/v1");
}

fn tokens_authenticate_only_while_live_and_exact(b: &Backend) {
    let r = open(b);
    r.create_org("Acme", Role::Manufacturer, "admin").unwrap();
    let t = r.create_token("Acme", "admin").unwrap();
    assert!(t.starts_with("rmk_"));
    assert!(r.authenticate(&t).is_ok());
    let mut wrong = t.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    assert!(matches!(r.authenticate(&wrong), Err(Error::Unauthorized)));
    assert!(matches!(
        r.authenticate("rmk_nonsense"),
        Err(Error::Unauthorized)
    ));
    let id = &t[4..16];
    r.revoke_token(id, "admin").unwrap();
    assert!(matches!(r.authenticate(&t), Err(Error::Unauthorized)));
    assert!(matches!(
        r.revoke_token(id, "admin"),
        Err(Error::NotFound(_))
    ));
    // The secret is nowhere in the file.
    let secret = &t[17..];
    assert!(!b.stores(secret));
    // ... and the check itself finds what is stored.
    assert!(b.stores(&t[4..16]));
    assert!(matches!(
        r.create_org("Acme", Role::Lab, "admin"),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        r.create_token("Nobody", "admin"),
        Err(Error::NotFound(_))
    ));
}

fn no_one_writes_another_manufacturers_device_and_labs_register_nothing(b: &Backend) {
    let r = open(b);
    let acme = r.create_org("Acme", Role::Manufacturer, "admin").unwrap();
    let other = r.create_org("Other", Role::Manufacturer, "admin").unwrap();
    let lab = r.create_org("Lab", Role::Lab, "admin").unwrap();
    let s = submission("smart-plug.toml");
    let first = r.submit(&acme, &s, as_of()).unwrap();
    assert!(matches!(
        r.submit(&other, &s, as_of()),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        r.submit(&lab, &s, as_of()),
        Err(Error::Forbidden(_))
    ));
    // Nothing was written by the refused attempts.
    assert_eq!(r.device(&first.id).unwrap().versions.len(), 1);
}

fn an_invalid_profile_gives_every_located_problem_and_stores_nothing(b: &Backend) {
    let r = open(b);
    let acme = r.create_org("Acme", Role::Manufacturer, "admin").unwrap();
    let text = String::from_utf8(example("smart-plug.toml"))
        .unwrap()
        .replace("units_in_market", "unit_in_market");
    let e = r
        .submit(
            &acme,
            &Submission {
                profile_name: "plug.toml".into(),
                profile: text.clone().into_bytes(),
                ..Submission::default()
            },
            as_of(),
        )
        .unwrap_err();
    let Error::Invalid(problems) = e else {
        panic!("{e:?}")
    };
    let line = text
        .lines()
        .position(|l| l.starts_with("unit_in_market"))
        .unwrap()
        + 1;
    assert!(
        problems.iter().any(|p| p.file == "plug.toml"
            && p.line == line
            && p.message.contains("units_in_market")),
        "{problems:?}"
    );
    let page = r.search(&Query::default()).unwrap();
    assert_eq!(page.total, 0);
    // A broken SBOM is a located problem too.
    let mut s = submission("smart-plug.toml");
    s.sbom = Some(b"{\"bomFormat\": \"CycloneDX\", ".to_vec());
    assert!(matches!(
        r.submit(&acme, &s, as_of()),
        Err(Error::Invalid(_))
    ));
    assert_eq!(r.search(&Query::default()).unwrap().total, 0);
}

fn search_filters_and_pages(b: &Backend) {
    let r = open(b);
    let org = r.create_org("Many", Role::Manufacturer, "admin").unwrap();
    let names = [
        "smart-plug.toml",
        "baby-monitor.toml",
        "home-router.toml",
        "smart-lock.toml",
        "smart-bulb.toml",
    ];
    for n in names {
        r.submit(&org, &submission(n), as_of()).unwrap();
    }
    let all = r
        .search(&Query {
            per_page: 2,
            page: 1,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(all.total, 5);
    assert_eq!(all.devices.len(), 2);
    let third = r
        .search(&Query {
            per_page: 2,
            page: 3,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(third.devices.len(), 1);
    let router = r
        .search(&Query {
            q: Some("ax3000".into()),
            per_page: 10,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(router.total, 1, "{router:?}");
    let low = r
        .search(&Query {
            tier: Some("low".into()),
            per_page: 10,
            ..Query::default()
        })
        .unwrap();
    assert!(low.devices.iter().all(|d| d.tier == "low") && low.total >= 1);
    // LIKE wildcards in a query are literal.
    let none = r
        .search(&Query {
            q: Some("%".into()),
            per_page: 10,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(none.total, 0);
}

/// A lab's signed statement turns the checks it verified from declared into verified,
/// naming the lab, in a new version; a new submission needs a new attestation.
fn a_lab_attestation_turns_declared_verdicts_into_verified_ones(b: &Backend) {
    use riskmark_attest::{Result as Observed, SCHEMA, Statement, Verified};
    let r = open(b);
    let acme = r.create_org("Acme", Role::Manufacturer, "admin").unwrap();
    let lab = r.create_org("Test Lab", Role::Lab, "admin").unwrap();
    let other_lab = r.create_org("Other Lab", Role::Lab, "admin").unwrap();
    let device = r
        .submit(&acme, &submission("home-router.toml"), as_of())
        .unwrap();
    let check = |a: &serde_json::Value, code: &str| {
        a["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()
            .clone()
    };
    let before = check(&device.assessment, "default-password-universal");
    assert_eq!(before["evidence"], "declared");

    let key = riskmark_label::sign::generate().unwrap();
    let pem = riskmark_label::sign::public_pem(&key.verifying_key()).unwrap();
    let statement = Statement {
        schema: SCHEMA.into(),
        device_id: device.id.clone(),
        lab: "Test Lab".into(),
        date: "2026-11-20".into(),
        checks: vec![
            Verified {
                code: "default-password-universal".into(),
                result: Observed::Pass,
                evidence: "TR-2026-113 section 4.2".into(),
            },
            Verified {
                code: "secure-boot".into(),
                result: Observed::Fail,
                evidence: "TR-2026-113 section 6.1".into(),
            },
        ],
    };
    let envelope = serde_json::to_vec(&riskmark_attest::sign(&statement, &key)).unwrap();
    // Before the lab registered its key, nothing verifies.
    assert!(matches!(
        r.attest(&lab, &device.id, &envelope, as_of()),
        Err(Error::Invalid(_))
    ));
    r.add_key("Test Lab", &pem, "admin").unwrap();
    // Manufacturers do not attest; another lab's token cannot use this lab's statement.
    assert!(matches!(
        r.attest(&acme, &device.id, &envelope, as_of()),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        r.attest(&other_lab, &device.id, &envelope, as_of()),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        r.attest(&lab, "nobody-nothing-00000000", &envelope, as_of()),
        Err(Error::NotFound(_))
    ));
    let attested = r.attest(&lab, &device.id, &envelope, as_of()).unwrap();
    assert_eq!(attested.version, 2);
    let pw = check(&attested.assessment, "default-password-universal");
    assert_eq!(pw["evidence"], "verified");
    assert_eq!(pw["status"], "pass");
    assert!(
        pw["reasons"]
            .to_string()
            .contains("verified by Test Lab on 2026-11-20"),
        "{pw}"
    );
    let sb = check(&attested.assessment, "secure-boot");
    assert_eq!(
        (sb["status"].as_str(), sb["evidence"].as_str()),
        (Some("fail"), Some("verified"))
    );
    let d = r.device(&device.id).unwrap();
    assert_eq!(d.attestations.len(), 1);
    assert_eq!(d.attestations[0]["lab"], "Test Lab");
    assert_eq!(d.versions[0].note.as_deref(), Some("attested by Test Lab"));
    // A tampered statement is refused and changes nothing.
    let mut env: serde_json::Value = serde_json::from_slice(&envelope).unwrap();
    env["payload"] = serde_json::Value::String(env["payload"].as_str().unwrap().replace('A', "B"));
    assert!(
        r.attest(&lab, &device.id, env.to_string().as_bytes(), as_of())
            .is_err()
    );
    assert_eq!(r.device(&device.id).unwrap().versions.len(), 2);
    // The manufacturer's next submission is assessed on its declarations again.
    let next = r
        .submit(&acme, &submission("home-router.toml"), as_of())
        .unwrap();
    assert_eq!(
        check(&next.assessment, "default-password-universal")["evidence"],
        "declared"
    );
}

/// With a registry key, every label is signed with it and verifies with its public key.
fn labels_are_signed_with_the_registry_key(b: &Backend) {
    let key = riskmark_label::sign::generate().unwrap();
    let r = Registry::open(Config {
        database: b.location(),
        vulndb: Database::Embedded,
        public_url: "https://registry.example".into(),
        sign_key: Some(key.clone()),
    })
    .unwrap();
    let org = r.create_org("Acme", Role::Manufacturer, "t").unwrap();
    let s = r
        .submit(&org, &submission("smart-plug.toml"), as_of())
        .unwrap();
    let text = r.label(&s.id).unwrap();
    riskmark_label::sign::verify(&text, &key.verifying_key()).unwrap();
    let other = riskmark_label::sign::generate().unwrap();
    assert!(riskmark_label::sign::verify(&text, &other.verifying_key()).is_err());
}

/// Two devices (and their versions) with the same SBOM keep it once, and one package
/// set indexes both; assessments are stored compressed, and all of it reads back whole.
fn devices_sharing_an_sbom_share_its_storage(b: &Backend) {
    let r = open(b);
    r.create_org("Skyfield", Role::Manufacturer, "t").unwrap();
    let org = r
        .authenticate(&r.create_token("Skyfield", "t").unwrap())
        .unwrap();
    let sbom = example("sbom/home-router-firmware.cdx.json");
    let mut ids = Vec::new();
    for profile in ["home-router.toml", "smart-plug.toml", "home-router.toml"] {
        let mut s = submission(profile);
        s.sbom = Some(sbom.clone());
        ids.push(r.submit(&org, &s, as_of()).unwrap().id);
    }
    assert_eq!(ids[0], ids[2]);
    assert_ne!(ids[0], ids[1]);
    assert_eq!(b.count("SELECT count(*) FROM blobs"), 1);
    assert_eq!(
        b.count("SELECT count(DISTINCT set_id) FROM package_sets"),
        1
    );
    assert_eq!(
        b.count("SELECT count(DISTINCT package_set) FROM devices"),
        1
    );
    let rows = b.count("SELECT count(*) FROM package_sets");
    assert!(rows > 0);
    // Stored compressed: well under the size of the JSON the API answers.
    let stored =
        b.count("SELECT CAST(max(length(assessment_zstd)) AS BIGINT) FROM device_versions");
    let d = r.device(&ids[0]).unwrap();
    let json = serde_json::to_string(&d.assessment).unwrap();
    assert!(
        stored > 0 && stored * 3 < json.len() as i64,
        "{stored} vs {}",
        json.len()
    );
    assert_eq!(d.versions.len(), 2);
    assert_eq!(d.assessment["risk"]["score"], 91);
    // The index finds both devices through the one set.
    let key = riskmark_vulndb::PackageKey {
        ecosystem: "riskmark:firmware".into(),
        name: "openssl".into(),
    };
    let mut both = ids[..2].to_vec();
    both.sort();
    let found = r.affected_devices(&[key]).unwrap();
    assert_eq!(found, both);
}

/// A registry written at schema 4 (SBOMs and assessments inline, a package index per
/// device) reads the same after migrating to schema 5, and its devices are still found
/// by the index and re-assessed from their stored documents.
#[test]
fn a_schema_4_registry_reads_the_same_after_migrating() {
    // What a device looks like, made by the current code in a scratch registry.
    let scratch = Backend::sqlite();
    let r = open(&scratch);
    r.create_org("Skyfield", Role::Manufacturer, "t").unwrap();
    let org = r
        .authenticate(&r.create_token("Skyfield", "t").unwrap())
        .unwrap();
    let mut s = submission("home-router.toml");
    s.sbom = Some(example("sbom/home-router-firmware.cdx.json"));
    let id = r.submit(&org, &s, as_of()).unwrap().id;
    let made = r.device_json(&id).unwrap();
    let label = r.label(&id).unwrap();
    drop(r);

    // The same device written as schema 4 wrote it.
    let old = Backend::sqlite();
    let Backend::Sqlite(dir) = &old else {
        unreachable!()
    };
    let file = dir.path().join("registry.sqlite");
    let c = rusqlite::Connection::open(&file).unwrap();
    for m in [
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/sqlite/0002_attestations.sql"),
        include_str!("../migrations/sqlite/0003_reevaluation.sql"),
        include_str!("../migrations/sqlite/0004_jobs.sql"),
    ] {
        c.execute_batch(m).unwrap();
    }
    c.execute_batch("PRAGMA user_version = 4").unwrap();
    let made_v: serde_json::Value = serde_json::from_str(&made).unwrap();
    let assessment = serde_json::to_string(&made_v["assessment"]).unwrap();
    let t = "2026-11-24T00:00:00Z";
    c.execute(
        "INSERT INTO orgs (id, name, role, created) VALUES (1, 'Skyfield', 'manufacturer', ?1)",
        [t],
    )
    .unwrap();
    c.execute(
        "INSERT INTO devices VALUES (?1, 1, 'Skyfield Networks', 'x', 'y', 'router', \
         'critical', 91, 1, ?2, ?2)",
        rusqlite::params![id, t],
    )
    .unwrap();
    c.execute(
        "INSERT INTO device_versions (device_id, version, firmware_version, profile_name, \
         profile, sbom, vex, tier, score, assessment, label, created) \
         VALUES (?1, 1, NULL, 'home-router.toml', ?2, ?3, '[]', 'critical', 91, ?4, ?5, ?6)",
        rusqlite::params![
            id,
            s.profile,
            s.sbom.as_deref().unwrap(),
            assessment,
            label,
            t
        ],
    )
    .unwrap();
    c.execute(
        "INSERT INTO device_packages VALUES (?1, 'riskmark:firmware', 'openssl')",
        [&id],
    )
    .unwrap();
    c.execute(
        "INSERT INTO package_digests VALUES ('riskmark:firmware', 'openssl', 1)",
        [],
    )
    .unwrap();
    drop(c);

    let r = open(&old);
    let d = r.device(&id).unwrap();
    assert_eq!(d.assessment, made_v["assessment"]);
    assert_eq!(r.label(&id).unwrap(), label);
    let key = riskmark_vulndb::PackageKey {
        ecosystem: "riskmark:firmware".into(),
        name: "openssl".into(),
    };
    assert_eq!(r.affected_devices(&[key]).unwrap(), vec![id.clone()]);
    // The kept digest (1) is not the database's: the device is re-assessed from its
    // stored profile and SBOM, and the outcome is the same.
    let rep = r.reevaluate(as_of()).unwrap();
    assert_eq!(rep.devices_reassessed, vec![id.clone()], "{rep:?}");
    assert!(rep.devices_changed.is_empty(), "{rep:?}");
    // A new submission lands beside the old version.
    let again = r.submit(&org, &s, as_of()).unwrap();
    assert_eq!(again.version, 2);
    assert_eq!(old.count("SELECT count(*) FROM device_versions"), 2);
}

/// The page's read of a device keeps every framework's title, applicability and counts
/// and everything else the page shows, and drops only the per-control verdicts.
fn the_lean_device_keeps_what_the_page_shows(b: &Backend) {
    let r = open(b);
    r.create_org("Skyfield", Role::Manufacturer, "t").unwrap();
    let org = r
        .authenticate(&r.create_token("Skyfield", "t").unwrap())
        .unwrap();
    let mut s = submission("home-router.toml");
    s.sbom = Some(example("sbom/home-router-firmware.cdx.json"));
    let id = r.submit(&org, &s, as_of()).unwrap().id;
    let full = r.device(&id).unwrap();
    let lean = r.device_lean(&id).unwrap();
    assert_eq!(lean.summary, full.summary);
    assert_eq!(lean.versions, full.versions);
    for k in ["subject", "risk", "checks", "vulnerabilities"] {
        assert_eq!(lean.assessment[k], full.assessment[k], "{k}");
    }
    let (lf, ff) = (
        lean.assessment["frameworks"].as_array().unwrap(),
        full.assessment["frameworks"].as_array().unwrap(),
    );
    assert_eq!(lf.len(), ff.len());
    assert!(ff.len() > 5);
    for (l, f) in lf.iter().zip(ff) {
        for k in ["id", "title", "applies", "summary"] {
            assert_eq!(l[k], f[k], "{k}");
        }
        assert!(l.get("controls").is_none());
        assert!(!f["controls"].as_array().unwrap().is_empty());
    }
}

/// `riskmark probe --out` evidence, signed with a lab's registered key, is that lab's
/// attestation: the checks it decides become verified verdicts naming the lab and the tool.
fn a_lab_attests_with_its_signed_probe_evidence(b: &Backend) {
    use riskmark_evidence::{Check, ProfileRef, Result as Observed, SCHEMA, Statement};
    let r = open(b);
    let acme = r.create_org("Acme", Role::Manufacturer, "admin").unwrap();
    let lab = r.create_org("Test Lab", Role::Lab, "admin").unwrap();
    let device = r
        .submit(&acme, &submission("home-router.toml"), as_of())
        .unwrap();
    let statement = Statement {
        schema: SCHEMA.into(),
        tool: "riskmark probe 0.1.0".into(),
        by: "Test Lab".into(),
        started: "2026-11-21T09:00:00Z".into(),
        finished: "2026-11-21T09:00:04Z".into(),
        target: "192.0.2.10".into(),
        profile: ProfileRef {
            product: "Acme".into(),
            sha256: "00".into(),
        },
        observations: serde_json::json!({}),
        findings: vec![],
        checks: vec![Check {
            code: "legacy-crypto-protocol".into(),
            result: Observed::Fail,
            evidence: "443/tcp accepts TLS 1.0".into(),
        }],
        signer: String::new(),
    };
    let key = riskmark_label::sign::generate().unwrap();
    let stranger = riskmark_label::sign::generate().unwrap();
    let envelope = serde_json::to_vec(&riskmark_evidence::sign(&statement, &key).unwrap()).unwrap();
    let foreign =
        serde_json::to_vec(&riskmark_evidence::sign(&statement, &stranger).unwrap()).unwrap();
    let pem = riskmark_label::sign::public_pem(&key.verifying_key()).unwrap();
    r.add_key("Test Lab", &pem, "admin").unwrap();
    // Evidence signed by a key the lab never registered is refused.
    assert!(matches!(
        r.attest(&lab, &device.id, &foreign, as_of()),
        Err(Error::Invalid(_))
    ));
    let attested = r.attest(&lab, &device.id, &envelope, as_of()).unwrap();
    assert_eq!(attested.version, 2);
    let v = attested.assessment["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "legacy-crypto-protocol")
        .unwrap()
        .clone();
    assert_eq!(v["status"], "fail", "{v}");
    assert_eq!(v["evidence"], "verified", "{v}");
    let reasons = v["reasons"].to_string();
    assert!(
        reasons.contains("verified by Test Lab on 2026-11-21")
            && reasons.contains("riskmark probe 0.1.0 on 192.0.2.10: 443/tcp accepts TLS 1.0"),
        "{reasons}"
    );
}

/// A submission with a firmware image (Debian's BusyBox with planted weaknesses, as a
/// squashfs): the registry analyses it, scans its SBOM, and its findings are verified
/// verdicts naming the analysis; they stay when a lab attests later, and a new
/// submission without the image no longer has them.
fn a_submitted_firmware_image_gives_verified_verdicts_that_stay(b: &Backend) {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rootfs = build::rootfs(dir.path(), false);
    let img = dir.path().join("fw.sqfs");
    build::squashfs(&rootfs, &img);
    let r = open(b);
    let acme = r.create_org("Acme", Role::Manufacturer, "admin").unwrap();
    let mut s = submission("home-router.toml");
    s.firmware = Some(std::fs::read(&img).unwrap());
    let check = |a: &serde_json::Value, code: &str| {
        a["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()
            .clone()
    };
    let device = r.submit(&acme, &s, as_of()).unwrap();
    let pw = check(&device.assessment, "default-password-universal");
    assert_eq!(pw["status"], "fail", "{pw}");
    assert_eq!(pw["evidence"], "verified", "{pw}");
    assert!(
        pw["reasons"]
            .to_string()
            .contains("the registry's analysis of the submitted image"),
        "{pw}"
    );
    // The image's SBOM was scanned (it is the device's SBOM now).
    assert!(
        device.assessment["vulnerabilities"].is_object(),
        "{}",
        device.assessment
    );
    // The device's record names the analysis, not the manufacturer, as the statement's
    // author.
    let record = r.device(&device.id).unwrap();
    assert!(
        record.attestations.iter().any(|a| a["lab"]
            .as_str()
            .is_some_and(|l| l.contains("registry's analysis"))),
        "{:?}",
        record.attestations
    );
    // A lab's later attestation keeps the image's verdicts (one new version).
    let lab = r.create_org("Test Lab", Role::Lab, "admin").unwrap();
    let key = riskmark_label::sign::generate().unwrap();
    r.add_key(
        "Test Lab",
        &riskmark_label::sign::public_pem(&key.verifying_key()).unwrap(),
        "admin",
    )
    .unwrap();
    let st = riskmark_attest::Statement {
        schema: riskmark_attest::SCHEMA.into(),
        device_id: device.id.clone(),
        lab: "Test Lab".into(),
        date: "2026-11-20".into(),
        checks: vec![riskmark_attest::Verified {
            code: "secure-boot".into(),
            result: riskmark_attest::Result::Fail,
            evidence: "TR-1".into(),
        }],
    };
    let env = serde_json::to_vec(&riskmark_attest::sign(&st, &key)).unwrap();
    let attested = r.attest(&lab, &device.id, &env, as_of()).unwrap();
    let pw = check(&attested.assessment, "default-password-universal");
    assert_eq!(
        (pw["status"].as_str(), pw["evidence"].as_str()),
        (Some("fail"), Some("verified")),
        "{pw}"
    );
    let reasons = check(&attested.assessment, "secure-boot")["reasons"].to_string();
    assert!(reasons.contains("verified by Test Lab"), "{reasons}");
    // A new submission without the image: its verdicts are the profile's again.
    let plain = r
        .submit(&acme, &submission("home-router.toml"), as_of())
        .unwrap();
    assert_eq!(
        check(&plain.assessment, "default-password-universal")["evidence"],
        "declared"
    );
    // An image that is not one: a located problem naming the part, nothing stored.
    let mut bad = submission("home-router.toml");
    bad.firmware = Some(b"not a firmware image".to_vec());
    let before = r.device(&device.id).unwrap().versions.len();
    assert!(
        matches!(r.submit(&acme, &bad, as_of()), Err(Error::Invalid(p)) if p[0].file == "firmware")
    );
    assert_eq!(r.device(&device.id).unwrap().versions.len(), before);
}
