//! New advisories reach registered devices: the package index finds the devices whose
//! SBOM has the package, they are re-assessed with a new version that says why, and the
//! others are left alone. Several servers over one database queue each change once and
//! do each job once.

use std::ops::ControlFlow;
use std::path::Path;

use riskmark_engine::Database;
use riskmark_registry::{Config, Registry, Role, Submission};
use riskmark_vulndb::PackageKey;

mod common;
use common::Backend;

on_both!(
    a_new_advisory_reassesses_exactly_the_devices_that_contain_the_package,
    two_servers_do_each_job_exactly_once,
);

fn sbom(packages: &[(&str, &str)]) -> Vec<u8> {
    let components: Vec<serde_json::Value> = packages
        .iter()
        .map(|(name, version)| {
            serde_json::json!({
                "type": "library", "name": name, "version": version,
                "purl": format!("pkg:pypi/{name}@{version}"),
                "bom-ref": format!("{name}@{version}"),
            })
        })
        .collect();
    serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "components": components,
    })
    .to_string()
    .into_bytes()
}

fn advisory(
    dir: &Path,
    id: &str,
    package: &str,
    fixed: &str,
    modified: &str,
) -> std::path::PathBuf {
    let file = dir.join(format!("{id}.json"));
    std::fs::write(
        &file,
        serde_json::json!({
            "id": id, "modified": modified, "aliases": [],
            "summary": format!("test advisory for {package}"),
            "database_specific": {"severity": "HIGH"},
            "affected": [{"package": {"ecosystem": "PyPI", "name": package},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}],
        })
        .to_string(),
    )
    .unwrap();
    file
}

fn import(db_dir: &Path, files: &[std::path::PathBuf]) {
    std::fs::create_dir_all(db_dir).unwrap();
    riskmark_vulndb::import(&db_dir.join(riskmark_engine::DB_FILE), files, |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
}

fn profile(model: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/smart-plug.toml"),
    )
    .unwrap();
    text.replace("model = \"SP-100\"", &format!("model = \"{model}\""))
        .into_bytes()
}

fn a_new_advisory_reassesses_exactly_the_devices_that_contain_the_package(b: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let vulndb = dir.path().join("vulndb");
    let adv = dir.path().join("advisories");
    std::fs::create_dir_all(&adv).unwrap();
    import(
        &vulndb,
        &[advisory(
            &adv,
            "TEST-OLD",
            "other-pkg",
            "1.0",
            "2024-01-01T00:00:00Z",
        )],
    );
    let r = Registry::open(Config {
        database: b.location(),
        vulndb: Database::Dir(vulndb.clone()),
        public_url: "https://registry.example".into(),
        sign_key: None,
    })
    .unwrap();
    let org = r.create_org("Acme", Role::Manufacturer, "t").unwrap();
    let as_of = jiff::civil::date(2026, 11, 24);
    let submit = |model: &str, pkgs: &[(&str, &str)]| {
        r.submit(
            &org,
            &Submission {
                profile_name: "p.toml".into(),
                profile: profile(model),
                sbom: Some(sbom(pkgs)),
                vex: Vec::new(),
                firmware: None,
            },
            as_of,
        )
        .unwrap()
    };
    let with = submit("A-1", &[("jinja2", "2.10"), ("requests", "2.0.0")]);
    let without = submit("B-2", &[("requests", "2.0.0")]);
    assert_ne!(with.id, without.id);
    let before = r.device(&with.id).unwrap();
    assert_eq!(
        before.assessment["vulnerabilities"]["findings"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Nothing changed: nothing is re-assessed.
    let none = r.reevaluate(as_of).unwrap();
    assert!(
        none.packages_changed.is_empty() && none.devices_reassessed.is_empty(),
        "{none:?}"
    );

    // A new advisory for jinja2: found through the index.
    import(
        &vulndb,
        &[advisory(
            &adv,
            "TEST-JINJA",
            "jinja2",
            "2.11",
            "2026-12-01T00:00:00Z",
        )],
    );
    let key = PackageKey {
        ecosystem: "PyPI".into(),
        name: "jinja2".into(),
    };
    assert_eq!(r.affected_devices(&[key]).unwrap(), vec![with.id.clone()]);
    let report = r.reevaluate(as_of).unwrap();
    assert_eq!(
        report.packages_changed,
        vec!["PyPI/jinja2".to_owned()],
        "{report:?}"
    );
    assert_eq!(report.devices_reassessed, vec![with.id.clone()]);
    assert_eq!(report.devices_changed, vec![with.id.clone()]);
    let after = r.device(&with.id).unwrap();
    assert_eq!(after.versions.len(), 2);
    assert!(
        after.versions[0]
            .note
            .as_deref()
            .unwrap()
            .contains("PyPI/jinja2")
    );
    let ids: Vec<&str> = after.assessment["vulnerabilities"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["TEST-JINJA"]);
    assert!(after.summary.score > before.summary.score);
    assert_eq!(r.device(&without.id).unwrap().versions.len(), 1);
    // The feeds carry the change.
    let feed = r.feed(None, 10).unwrap();
    assert_eq!(feed[0].device_id, with.id);
    assert!(feed[0].note.as_deref().unwrap().starts_with("re-assessed"));
    // Done once: a second run finds nothing new.
    let again = r.reevaluate(as_of).unwrap();
    assert!(again.devices_reassessed.is_empty(), "{again:?}");
}

/// Two registries over one database (two servers): both see the new advisory at once,
/// the change is queued once, each job is claimed and done by exactly one of them, and
/// each affected device gets exactly one new version.
#[allow(clippy::print_stderr)]
fn two_servers_do_each_job_exactly_once(b: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let vulndb = dir.path().join("vulndb");
    let adv = dir.path().join("advisories");
    std::fs::create_dir_all(&adv).unwrap();
    import(
        &vulndb,
        &[advisory(
            &adv,
            "TEST-OLD",
            "other-pkg",
            "1.0",
            "2024-01-01T00:00:00Z",
        )],
    );
    let open = || {
        Registry::open(Config {
            database: b.location(),
            vulndb: Database::Dir(vulndb.clone()),
            public_url: "https://registry.example".into(),
            sign_key: None,
        })
        .unwrap()
    };
    let (one, two) = (open(), open());
    let org = one.create_org("Acme", Role::Manufacturer, "t").unwrap();
    let as_of = jiff::civil::date(2026, 11, 24);
    let mut affected = Vec::new();
    for i in 0..16 {
        let pkgs: &[(&str, &str)] = if i % 4 == 3 {
            &[("requests", "2.0.0")]
        } else {
            &[("jinja2", "2.10"), ("requests", "2.0.0")]
        };
        let s = one
            .submit(
                &org,
                &Submission {
                    profile_name: "p.toml".into(),
                    profile: profile(&format!("M-{i}")),
                    sbom: Some(sbom(pkgs)),
                    vex: Vec::new(),
                    firmware: None,
                },
                as_of,
            )
            .unwrap();
        if i % 4 != 3 {
            affected.push(s.id);
        }
    }
    affected.sort();
    import(
        &vulndb,
        &[advisory(
            &adv,
            "TEST-JINJA",
            "jinja2",
            "2.11",
            "2026-12-01T00:00:00Z",
        )],
    );

    let barrier = std::sync::Barrier::new(2);
    let run = |r: &Registry| {
        barrier.wait();
        r.reevaluate(as_of).unwrap()
    };
    let (a, b2) = std::thread::scope(|s| {
        let (one, two, run) = (&one, &two, &run);
        let a = s.spawn(move || run(one));
        let b2 = s.spawn(move || run(two));
        (a.join().unwrap(), b2.join().unwrap())
    });
    // The change was recorded and queued by one of them only.
    assert_eq!(
        a.jobs_queued + b2.jobs_queued,
        affected.len(),
        "{a:?} {b2:?}"
    );
    assert_eq!(
        a.packages_changed.len() + b2.packages_changed.len(),
        1,
        "{a:?} {b2:?}"
    );
    // Each job done by exactly one.
    let mut done: Vec<String> = a
        .devices_reassessed
        .iter()
        .chain(&b2.devices_reassessed)
        .cloned()
        .collect();
    done.sort();
    assert_eq!(done, affected, "{a:?} {b2:?}");
    for id in &affected {
        let d = one.device(id).unwrap();
        assert_eq!(d.versions.len(), 2, "{id}: {:?}", d.versions);
    }
    let jobs = b.jobs();
    assert_eq!(jobs.len(), affected.len());
    let mut workers = std::collections::BTreeSet::new();
    for (device, by, claims, outcome) in &jobs {
        assert_eq!(*claims, 1, "{device} claimed {claims} times");
        assert_eq!(outcome.as_deref(), Some("changed"), "{device}");
        workers.insert(by.clone());
    }
    eprintln!(
        "jobs: {} by the first, {} by the second",
        a.devices_reassessed.len(),
        b2.devices_reassessed.len()
    );
    assert!(!workers.is_empty() && workers.len() <= 2, "{workers:?}");
    // Nothing left: a third run finds no change and no job.
    let again = two.reevaluate(as_of).unwrap();
    assert!(
        again.devices_reassessed.is_empty() && again.jobs_queued == 0,
        "{again:?}"
    );
}
