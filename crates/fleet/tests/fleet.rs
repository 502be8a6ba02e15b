//! Fleets on the shipped examples: inventories in three formats, located row problems
//! that stop nothing else, one assessment per distinct model (the same as `assess`
//! gives), and action rankings on hand-made estates where the right order is obvious.

use std::path::{Path, PathBuf};

use riskmark_engine::Database;
use riskmark_fleet::{ActionKind, Criticality, Options, Support, inventory};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn opts() -> Options {
    Options {
        database: Database::Embedded,
        as_of: jiff::civil::date(2026, 12, 5),
        policy: None,
        horizon_days: 365,
    }
}

fn quiet(_: usize, _: usize) {}

/// A CSV in a temporary directory; `{ex}` stands for the examples directory.
fn csv(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inventory.csv");
    std::fs::write(
        &file,
        text.replace("{ex}", &examples().display().to_string()),
    )
    .unwrap();
    (dir, file)
}

#[test]
fn the_example_inventory_reads_and_ranks() {
    let inv = inventory::read(&examples().join("fleet/inventory.csv")).unwrap();
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    assert_eq!(inv.instances.len(), 14);
    let hq = &inv.instances[0];
    assert_eq!(hq.device_id, "rtr-hq-01");
    assert_eq!(hq.criticality, Criticality::High);
    assert_eq!(hq.network_zone.as_deref(), Some("dmz"));
    assert_eq!(hq.tags.get("asset_tag"), Some("A-1001"));
    assert!(hq.profile.ends_with("home-router.toml"));

    let f = riskmark_fleet::assess(inv, &opts(), &quiet);
    assert_eq!(f.schema, "riskmark/fleet/v1");
    assert_eq!(f.summary.devices, 14);
    // Two router firmwares, and eight other models.
    assert_eq!(f.summary.models, 10);
    // The routers' support ended on 2026-06-30 (the profile says so).
    let rtr = f
        .devices
        .iter()
        .find(|d| d.device_id == "rtr-hq-01")
        .unwrap();
    assert_eq!(rtr.support, Support::Expired);
    assert_eq!(rtr.support_days_left, Some(-158));
    assert_eq!(rtr.kev, 1);
    // Devices sorted riskiest first.
    assert!(f.devices.windows(2).all(|w| w[0].score >= w[1].score));
    // The update to the newer firmware is proposed for the two old ones only.
    let update = f
        .actions
        .iter()
        .find(|a| a.kind == ActionKind::UpdateFirmware)
        .unwrap();
    assert_eq!(update.devices, ["rtr-br-02", "rtr-hq-01"]);
    assert!(
        update.title.contains("1.1.4.58 to 1.2.0.12"),
        "{}",
        update.title
    );
    // (91 - 69) points, weighted high 3 + medium 2.
    assert_eq!(update.risk_removed, 22 * 5);
    // The baby monitor's universal password.
    assert!(
        f.actions
            .iter()
            .any(|a| a.kind == ActionKind::ChangeDefaultPassword && a.devices == ["mon-creche"])
    );
    // Ranks are 1..n in order of risk removed.
    for (i, a) in f.actions.iter().enumerate() {
        assert_eq!(a.rank, i + 1);
    }
    assert!(
        f.actions
            .windows(2)
            .all(|w| w[0].risk_removed >= w[1].risk_removed)
    );
    // Every device lists the ranks of its actions.
    let mon = f
        .devices
        .iter()
        .find(|d| d.device_id == "mon-creche")
        .unwrap();
    assert!(
        mon.actions
            .iter()
            .all(|r| f.actions[r - 1].devices.contains(&mon.device_id))
    );
}

/// A model is assessed once for all its instances, and as `assess` assesses it.
#[test]
fn each_distinct_model_is_assessed_once_and_as_the_engine_does() {
    let mut text = String::from("device_id,profile\n");
    for i in 0..200 {
        text.push_str(&format!("plug-{i},{{ex}}/smart-plug.toml\n"));
    }
    text.push_str("cam-1,{ex}/security-camera.toml\n");
    let (_d, file) = csv(&text);
    let inv = inventory::read(&file).unwrap();
    let f = riskmark_fleet::assess(inv, &opts(), &quiet);
    assert_eq!(f.summary.devices, 201);
    assert_eq!(f.summary.models, 2);
    let plug = f.models.iter().find(|m| m.model == "SP-100").unwrap();
    assert_eq!(plug.instances, 200);
    let e = riskmark_engine::evaluate(&riskmark_engine::Inputs {
        database: Database::Embedded,
        ..riskmark_engine::Inputs::new(
            riskmark_engine::Document::path(examples().join("smart-plug.toml")),
            opts().as_of,
        )
    })
    .unwrap();
    assert_eq!(plug.score, e.assessment.risk.score);
    assert_eq!(plug.tier, e.assessment.risk.tier.as_str());
}

/// Every bad row is named by line, column and field; the good rows are still assessed.
#[test]
fn malformed_rows_are_located_and_stop_nothing_else() {
    let (_d, file) = csv("device_id,profile,criticality,sbom,room\n\
         ok-1,{ex}/smart-plug.toml,high,,kitchen\n\
         ,{ex}/smart-plug.toml,low,,hall\n\
         missing,{ex}/no-such-profile.toml,low,,hall\n\
         bad-crit,{ex}/smart-plug.toml,extreme,,hall\n\
         ok-1,{ex}/smart-bulb.toml,low,,hall\n\
         bad-sbom,{ex}/smart-plug.toml,low,nope.json,hall\n\
         ok-2,{ex}/smart-bulb.toml,,,\n");
    let inv = inventory::read(&file).unwrap();
    let ids: Vec<&str> = inv.instances.iter().map(|i| i.device_id.as_str()).collect();
    assert_eq!(ids, ["ok-1", "ok-2"]);
    let found: Vec<(usize, usize, &str)> = inv
        .problems
        .iter()
        .map(|p| (p.line, p.column, p.field.as_deref().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (3, 1, "device_id"),
            (4, 2, "profile"),
            (5, 3, "criticality"),
            (6, 1, "device_id"),
            (7, 4, "sbom"),
        ],
        "{:#?}",
        inv.problems
    );
    assert!(inv.problems[1].message.contains("no-such-profile.toml"));
    assert!(inv.problems[2].message.contains("`extreme`"));
    assert!(inv.problems[3].message.contains("listed twice"));
    assert_eq!(inv.instances[0].tags.get("room"), Some("kitchen"));
    let f = riskmark_fleet::assess(inv, &opts(), &quiet);
    assert_eq!(f.summary.devices, 2);
    assert_eq!(f.problems.len(), 5);
}

#[test]
fn an_inventory_without_the_required_columns_is_refused_with_its_location() {
    let (_d, file) = csv("id,profile\nx,{ex}/smart-plug.toml\n");
    match inventory::read(&file) {
        Err(inventory::InventoryError::Invalid(d)) => {
            assert_eq!((d.line, d.field.as_deref()), (1, Some("device_id")));
            assert!(d.message.contains("found: id, profile"), "{}", d.message);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_profile_that_does_not_load_is_a_located_problem_for_its_devices() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.toml"), "[product]\nname = 3\n").unwrap();
    std::fs::write(
        dir.path().join("inventory.csv"),
        format!(
            "device_id,profile\na,broken.toml\nb,broken.toml\nc,{}\n",
            examples().join("smart-plug.toml").display()
        ),
    )
    .unwrap();
    let inv = inventory::read(&dir.path().join("inventory.csv")).unwrap();
    let f = riskmark_fleet::assess(inv, &opts(), &quiet);
    assert_eq!(f.summary.devices, 1);
    assert!(!f.problems.is_empty());
    let p = &f.problems[0];
    assert!(p.file.ends_with("broken.toml") && p.line > 0, "{p:?}");
    assert!(p.message.contains("not assessed: a, b"), "{}", p.message);
}

#[test]
fn a_directory_of_profiles_is_an_inventory() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["smart-plug.toml", "baby-monitor.toml"] {
        std::fs::copy(examples().join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "not a profile").unwrap();
    let inv = inventory::read(dir.path()).unwrap();
    let ids: Vec<&str> = inv.instances.iter().map(|i| i.device_id.as_str()).collect();
    assert_eq!(ids, ["baby-monitor", "smart-plug"]);
    let f = riskmark_fleet::assess(inv, &opts(), &quiet);
    assert_eq!(f.summary.models, 2);
}

#[test]
fn a_cyclonedx_bom_of_devices_is_an_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let plug = examples().join("smart-plug.toml");
    let bom = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "components": [
            {"type": "device", "bom-ref": "plug-1", "name": "plug", "version": "2.4.1",
             "properties": [
                {"name": "riskmark:profile", "value": plug.display().to_string()},
                {"name": "riskmark:network_zone", "value": "office"},
                {"name": "riskmark:criticality", "value": "high"},
                {"name": "site", "value": "Lyon"}]},
            {"type": "library", "name": "not-a-device", "version": "1"},
            {"type": "device", "bom-ref": "rack", "name": "rack", "components": [
                {"type": "device", "bom-ref": "plug-2", "name": "plug", "properties": [
                    {"name": "riskmark:profile", "value": plug.display().to_string()}]},
                {"type": "device", "bom-ref": "orphan", "name": "orphan"}]}
        ]
    });
    let file = dir.path().join("estate.cdx.json");
    std::fs::write(&file, bom.to_string()).unwrap();
    let inv = inventory::read(&file).unwrap();
    let ids: Vec<&str> = inv.instances.iter().map(|i| i.device_id.as_str()).collect();
    assert_eq!(ids, ["plug-1", "plug-2"]);
    assert_eq!(inv.instances[0].firmware_version.as_deref(), Some("2.4.1"));
    assert_eq!(inv.instances[0].criticality, Criticality::High);
    assert_eq!(inv.instances[0].tags.get("site"), Some("Lyon"));
    // The rack has no profile, nor has the orphan: both named by their JSON pointer.
    let fields: Vec<&str> = inv
        .problems
        .iter()
        .map(|p| p.field.as_deref().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "components[2] (profile)",
            "components[2].components[1] (profile)"
        ]
    );
}

/// Many critical devices with a universal password outweigh one low-criticality device's
/// firmware update; with the weights turned around, the update comes first.
#[test]
fn actions_rank_by_weighted_risk_removed() {
    let rows = |monitors: usize, mon_crit: &str, routers: usize, rtr_crit: &str| {
        let mut t = String::from("device_id,profile,firmware_version,sbom,criticality\n");
        for i in 0..monitors {
            t.push_str(&format!("mon-{i},{{ex}}/baby-monitor.toml,,,{mon_crit}\n"));
        }
        for i in 0..routers {
            t.push_str(&format!(
                "old-{i},{{ex}}/home-router.toml,1.1.4.58,{{ex}}/sbom/home-router-firmware.cdx.json,{rtr_crit}\n"
            ));
        }
        t.push_str(
            "new-0,{ex}/home-router.toml,1.2.0.12,{ex}/fleet/sbom/home-router-1.2.0.12.cdx.json,low\n",
        );
        t
    };
    let first = |text: String| {
        let (_d, file) = csv(&text);
        let f = riskmark_fleet::assess(inventory::read(&file).unwrap(), &opts(), &quiet);
        f.actions
            .iter()
            .filter(|a| {
                matches!(
                    a.kind,
                    ActionKind::ChangeDefaultPassword | ActionKind::UpdateFirmware
                )
            })
            .map(|a| a.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        first(rows(20, "critical", 1, "low")),
        [
            ActionKind::ChangeDefaultPassword,
            ActionKind::UpdateFirmware
        ]
    );
    assert_eq!(
        first(rows(1, "low", 20, "critical")),
        [
            ActionKind::UpdateFirmware,
            ActionKind::ChangeDefaultPassword
        ]
    );
}
