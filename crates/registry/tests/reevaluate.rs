//! New advisories reach registered devices: the package index finds the devices whose
//! SBOM has the package, they are re-assessed with a new version that says why, and the
//! others are left alone.

use std::ops::ControlFlow;
use std::path::Path;

use riskmark_engine::Database;
use riskmark_registry::{Config, Registry, Role, Submission};
use riskmark_vulndb::PackageKey;

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

#[test]
fn a_new_advisory_reassesses_exactly_the_devices_that_contain_the_package() {
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
        file: dir.path().join("registry.sqlite"),
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
