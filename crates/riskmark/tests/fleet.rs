//! `riskmark fleet` as a security team runs it: the example estate in every format, the
//! exit codes (2 for rows it could not use, each located, with the rest still reported;
//! 1 at a --fail-on threshold), CSV a spreadsheet reads back, and the HTML report in
//! headless Chromium without console errors.

mod common;
use common::{chromium, have, riskmark, root};

const INVENTORY: &str = "examples/fleet/inventory.csv";
const AS_OF: &str = "2026-12-05";

#[test]
fn the_table_names_the_top_actions_and_the_riskiest_devices() {
    let (code, out, err) = riskmark(&["fleet", INVENTORY, "--as-of", AS_OF]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("14 devices of 10 models"), "{out}");
    assert!(
        out.contains("actions, the most risk removed first:"),
        "{out}"
    );
    assert!(
        out.contains(
            "Update Skyfield AX3000 Home Router (SF-AX3000) from firmware 1.1.4.58 to 1.2.0.12"
        ),
        "{out}"
    );
    let devices = out.split("devices, the riskiest first:").nth(1).unwrap();
    let first = devices.lines().nth(2).unwrap();
    assert!(first.trim_start().starts_with("mon-creche"), "{first}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn json_has_the_stable_schema_and_every_device() {
    let (code, out, err) = riskmark(&["fleet", INVENTORY, "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "riskmark/fleet/v1");
    assert_eq!(v["devices"].as_array().unwrap().len(), 14);
    assert_eq!(v["summary"]["models"], 10);
    assert_eq!(v["summary"]["zones"]["dmz"]["devices"], 4);
    let a = &v["actions"][0];
    for k in ["rank", "kind", "title", "reason", "devices", "risk_removed"] {
        assert!(!a[k].is_null(), "{k}: {a}");
    }
    // Known exploited first among a model's vulnerabilities.
    let router = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["firmware_version"] == "1.1.4.58")
        .unwrap();
    assert_eq!(router["vulnerabilities"][0]["id"], "CVE-2022-0847");
    assert_eq!(router["vulnerabilities"][0]["kev"], true);
}

#[test]
fn csv_is_one_row_per_device_that_reads_back() {
    let (code, out, err) = riskmark(&["fleet", INVENTORY, "--as-of", AS_OF, "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "device_id");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 14);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let hq = rows.iter().find(|r| &r[0] == "rtr-hq-01").unwrap();
    assert_eq!(&hq[col("support")], "expired");
    assert_eq!(&hq[col("support_days_left")], "-158");
    assert_eq!(&hq[col("kev")], "1");
    // Names with commas survive quoting.
    let fw = rows.iter().find(|r| &r[0] == "cam-lobby").unwrap();
    assert_eq!(
        &fw[col("manufacturer")],
        "Brightwatch Technologies Co., Ltd."
    );
}

#[test]
fn fail_on_thresholds_exit_1() {
    for (on, want) in [("kev", 1), ("expired", 1), ("critical", 1)] {
        let (code, _, err) = riskmark(&["fleet", INVENTORY, "--as-of", AS_OF, "--fail-on", on]);
        assert_eq!(code, Some(want), "{on}: {err}");
    }
    // Smart plugs alone: low, supported, nothing known exploited.
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("plugs.csv");
    std::fs::write(
        &inv,
        format!(
            "device_id,profile\np1,{}\n",
            root().join("examples/smart-plug.toml").display()
        ),
    )
    .unwrap();
    for on in ["kev", "expired", "medium"] {
        let (code, _, err) = riskmark(&[
            "fleet",
            inv.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--fail-on",
            on,
        ]);
        assert_eq!(code, Some(0), "{on}: {err}");
    }
}

#[test]
fn malformed_rows_exit_2_with_their_line_and_column_and_the_rest_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inventory.csv");
    let plug = root().join("examples/smart-plug.toml");
    std::fs::write(
        &inv,
        format!(
            "device_id,profile,criticality\ngood,{p},low\nbad,{p},urgent\nlost,missing.toml,low\n",
            p = plug.display()
        ),
    )
    .unwrap();
    let (code, out, err) = riskmark(&["fleet", inv.to_str().unwrap(), "--as-of", AS_OF]);
    assert_eq!(code, Some(2), "{err}");
    let name = inv.display().to_string();
    assert!(
        err.contains(&format!("{name}:3:3: criticality: `urgent`")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{name}:4:2: profile: `missing.toml` does not exist"
        )),
        "{err}"
    );
    assert!(out.contains("1 devices of 1 models"), "{out}");
    assert!(out.contains("inventory problems:"), "{out}");
    // No usable header: nothing to report.
    std::fs::write(&inv, "name,path\nx,y\n").unwrap();
    let (code, out, err) = riskmark(&["fleet", inv.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains(":1:1: device_id: the header has no `device_id` column"),
        "{err}"
    );
    let (code, _, err) = riskmark(&["fleet", "no/such/inventory.csv"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no/such/inventory.csv"), "{err}");
}

#[test]
fn the_html_report_is_self_contained_and_opens_in_chromium() {
    let (code, out, err) = riskmark(&["fleet", INVENTORY, "--as-of", AS_OF, "--format", "html"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("<!DOCTYPE html>") && out.contains("<html lang=\"en\">"));
    // Nothing from elsewhere, no script.
    for needle in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(!out.contains(needle), "{needle}");
    }
    for chart in ["zones-cap", "support-cap", "kev-cap"] {
        assert!(
            out.contains(&format!("aria-labelledby=\"{chart}\"")),
            "{chart}"
        );
    }
    if !have("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::chromium_sees_console_errors(dir.path());
    let file = dir.path().join("fleet.html");
    std::fs::write(&file, &out).unwrap();
    let (dom, console) = chromium(&file);
    assert_eq!(console, Vec::<String>::new());
    assert!(dom.contains("Risk by network zone") && dom.contains("rtr-hq-01"));
    assert!(dom.contains("<svg"), "{dom}");
}
