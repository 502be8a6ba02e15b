//! `riskmark disclose`: security.txt, CSAF and MUD files as a user makes them, checked by
//! third-party validators (installed by `.ci/setup.d/disclose.sh`; required in CI) and by
//! the rules of the standards that the validators do not check.

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;

mod common;
use common::{riskmark, root};

/// The validators' Python, or `None` (with a note) when they are not installed; in CI a
/// missing validator is a failure.
fn validators() -> Option<PathBuf> {
    let python = std::env::var_os("RISKMARK_DISCLOSE_PYTHON").map_or_else(
        || PathBuf::from("/opt/riskmark-ref/disclose/bin/python"),
        PathBuf::from,
    );
    let ok = python.exists()
        && Process::new(&python)
            .args([
                "-c",
                "import sectxt, jsonschema, referencing, yangson, pyang",
            ])
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "disclosure validators missing: run .ci/setup.d/disclose.sh"
        );
        eprintln!(
            "note: disclosure validators not installed; skipped (run .ci/setup.d/disclose.sh)"
        );
        return None;
    }
    Some(python)
}

/// Runs `check.py KIND ARGS...`; returns whether it passed and its JSON report.
fn check(python: &Path, kind: &str, args: &[&Path]) -> (bool, Value) {
    let script = root().join("crates/disclose/tests/validators/check.py");
    let out = Process::new(python)
        .arg(script)
        .arg(kind)
        .args(args)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{kind} validator output is not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), report)
}

fn today() -> jiff::civil::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

// ---------------------------------------------------------------- security.txt

#[test]
fn security_txt_has_the_profile_facts() {
    let (code, out, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-plug.toml",
        "--as-of",
        "2026-11-24",
        "--lang",
        "en,de",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let fields: Vec<(&str, &str)> = out
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        .collect();
    assert_eq!(
        fields,
        [
            ("Contact", "mailto:security@acme.example"),
            ("Expires", "2027-11-24T00:00:00Z"),
            ("Policy", "https://acme.example/security/policy"),
            ("Preferred-Languages", "en, de"),
            ("Canonical", "https://acme.example/.well-known/security.txt"),
            (
                "CSAF",
                "https://acme.example/.well-known/csaf/provider-metadata.json"
            ),
        ]
    );
    assert!(out.ends_with('\n'));
}

#[test]
fn security_txt_leaves_out_what_rfc_9116_does_not_accept() {
    // The router's advisories_url is a web page, not a provider-metadata.json.
    let (code, out, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/home-router.toml",
        "--as-of",
        "2026-11-24",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains("CSAF:"), "{out}");
    assert!(err.contains("disclosure.advisories_url"), "{err}");
    assert!(out.contains("Canonical: https://skyfield.example/.well-known/security.txt"));
}

/// sectxt (the Dutch Internet Standards Platform's validator) finds no error in the files
/// made for two example products; it runs offline on the content with the Canonical URL
/// as the file's location. Made today, so that `Expires` is in the future for sectxt.
#[test]
fn security_txt_passes_sectxt() {
    let Some(python) = validators() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (example, canonical) in [
        (
            "examples/smart-plug.toml",
            "https://acme.example/.well-known/security.txt",
        ),
        (
            "examples/home-router.toml",
            "https://skyfield.example/.well-known/security.txt",
        ),
        ("examples/industrial-controller.toml", ""),
    ] {
        let (code, out, err) = riskmark(&["disclose", "security-txt", example]);
        assert_eq!(code, Some(0), "{example}: {err}");
        let file = dir.path().join("security.txt");
        std::fs::write(&file, &out).unwrap();
        let canonical_path = PathBuf::from(canonical);
        let mut args = vec![file.as_path()];
        if !canonical.is_empty() {
            args.push(&canonical_path);
        }
        let (ok, report) = check(&python, "sectxt", &args);
        assert!(
            ok && report["errors"] == serde_json::json!([]),
            "{example}: {report:#}\n{out}"
        );
        // Only the recommendations riskmark cannot act on (no key, no signature) remain.
        let recs: Vec<&str> = report["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert!(
            recs.iter()
                .all(|r| ["no_encryption", "not_signed"].contains(r)),
            "{example}: {recs:?}"
        );
    }
    // The validator is not a rubber stamp: an expired file is an error.
    let stale = dir.path().join("stale.txt");
    std::fs::write(
        &stale,
        "Contact: mailto:a@b.example\nExpires: 2020-01-01T00:00:00Z\n",
    )
    .unwrap();
    let (ok, report) = check(&python, "sectxt", &[stale.as_path()]);
    assert!(
        !ok && report["errors"][0]["code"] == "expired",
        "{report:#}"
    );
}

#[test]
fn security_txt_expires_defaults_to_a_year_and_never_more() {
    let as_of = today();
    let (code, out, err) = riskmark(&["disclose", "security-txt", "examples/smart-lock.toml"]);
    assert_eq!(code, Some(0), "{err}");
    let year_later = as_of.checked_add(jiff::Span::new().years(1)).unwrap();
    assert!(
        out.contains(&format!("Expires: {year_later}T00:00:00Z")),
        "{out}"
    );

    let (code, out, _) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-lock.toml",
        "--as-of",
        "2026-11-24",
        "--expires",
        "2027-03-31",
    ]);
    assert_eq!(code, Some(0));
    assert!(out.contains("Expires: 2027-03-31T00:00:00Z"), "{out}");

    for (expires, why) in [
        ("2027-11-25", "more than a year"),
        ("2026-11-24", "not after"),
    ] {
        let (code, out, err) = riskmark(&[
            "disclose",
            "security-txt",
            "examples/smart-lock.toml",
            "--as-of",
            "2026-11-24",
            "--expires",
            expires,
        ]);
        assert_eq!(code, Some(2), "{expires}");
        assert!(out.is_empty());
        assert!(err.contains("`--expires`") && err.contains(why), "{err}");
    }
}

#[test]
fn security_txt_input_errors_name_file_and_field() {
    // baby-monitor.toml declares no disclosure contact.
    let (code, out, err) = riskmark(&["disclose", "security-txt", "examples/baby-monitor.toml"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("examples/baby-monitor.toml") && err.contains("`disclosure.contact`"),
        "{err}"
    );

    let (code, _, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-plug.toml",
        "--as-of",
        "2026-02-30",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--as-of") && err.contains("2026-02-30"),
        "{err}"
    );

    let (code, _, err) = riskmark(&[
        "disclose",
        "security-txt",
        "examples/smart-plug.toml",
        "--lang",
        "en_GB",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`--lang`") && err.contains("en_GB"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    let text = std::fs::read_to_string(root().join("examples/smart-plug.toml"))
        .unwrap()
        .replace(
            "contact = \"mailto:security@acme.example\"",
            "contact = \"http://acme.example/report\"",
        );
    std::fs::write(&p, text).unwrap();
    let (code, _, err) = riskmark(&["disclose", "security-txt", p.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    // Located at the contact's line.
    assert!(
        err.contains("p.toml:") && err.contains("`disclosure.contact`") && err.contains("https"),
        "{err}"
    );
}

// ---------------------------------------------------------------- CSAF

const ROUTER: &str = "examples/home-router.toml";
const ROUTER_CSAF_VEX: &str = "examples/sbom/home-router-firmware.csaf-vex.json";
const ROUTER_OPENVEX: &str = "examples/sbom/home-router-firmware.openvex.json";

/// `disclose csaf --out DIR` for the router with its VEX documents; the two files.
fn router_csaf(dir: &Path) -> (Value, Value, PathBuf) {
    let (code, out, err) = riskmark(&[
        "disclose",
        "csaf",
        ROUTER,
        "--vex",
        ROUTER_CSAF_VEX,
        "--vex",
        ROUTER_OPENVEX,
        "--as-of",
        "2026-11-24",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty(), "{out}");
    let vex_file = dir.join("sf-ax3000-vex-1-1-4-58-20261124.json");
    let read = |p: &Path| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        )
        .unwrap()
    };
    (
        read(&vex_file),
        read(&dir.join("provider-metadata.json")),
        vex_file,
    )
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every `product_id` a product tree defines (branches, full product names, relationships).
fn defined_products(tree: &Value, out: &mut Vec<String>) {
    if let Some(p) = tree.get("product") {
        out.push(p["product_id"].as_str().unwrap().to_owned());
    }
    for b in tree["branches"].as_array().into_iter().flatten() {
        defined_products(b, out);
    }
    for p in tree["full_product_names"].as_array().into_iter().flatten() {
        out.push(p["product_id"].as_str().unwrap().to_owned());
    }
    for r in tree["relationships"].as_array().into_iter().flatten() {
        out.push(
            r["full_product_name"]["product_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
}

/// The CSAF 2.0 JSON schema and the provider-metadata schema accept both files (Python
/// jsonschema, draft 2020-12 with format checks, CVSS schemas resolved locally).
#[test]
fn csaf_passes_the_csaf_schemas() {
    let Some(python) = validators() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_, _, vex_file) = router_csaf(dir.path());
    let schemas = root().join("crates/disclose/tests/schemas");
    let pm = dir.path().join("provider-metadata.json");
    let (ok, report) = check(&python, "csaf", &[&schemas, &vex_file, &pm]);
    assert!(ok, "{report:#}");

    // Another product (no VEX, no CPEs), through stdout.
    let (code, out, err) = riskmark(&[
        "disclose",
        "csaf",
        "examples/smart-plug.toml",
        "--sbom",
        "examples/sbom/home-router-firmware.cdx.json",
        "--as-of",
        "2026-11-24",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let plug = dir.path().join("plug.json");
    std::fs::write(&plug, &out).unwrap();
    let (ok, report) = check(&python, "csaf", &[&schemas, &plug, Path::new("-")]);
    assert!(ok, "{report:#}");

    // The schema check is not a rubber stamp: a wrong CVSS severity and a missing
    // tracking id are caught.
    let mut bad: Value = serde_json::from_str(&out).unwrap();
    bad["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseSeverity"] = "SEVERE".into();
    bad["document"]["tracking"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    std::fs::write(&plug, bad.to_string()).unwrap();
    let (ok, report) = check(&python, "csaf", &[&schemas, &plug, Path::new("-")]);
    assert!(
        !ok && report["errors"].as_array().unwrap().len() >= 2,
        "{report:#}"
    );
}

/// The mandatory rules of CSAF 2.0 section 6.1 that a schema cannot express, as far as
/// they concern what riskmark writes, and the csaf_vex profile's rules (6.1.27).
#[test]
fn csaf_keeps_the_mandatory_rules() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, pm, vex_file) = router_csaf(dir.path());
    let tree = &doc["product_tree"];
    let mut defined = Vec::new();
    defined_products(tree, &mut defined);
    // 6.1.2 unique product ids.
    let unique: std::collections::BTreeSet<_> = defined.iter().collect();
    assert_eq!(unique.len(), defined.len(), "{defined:?}");
    // 6.1.1 every referenced product id is defined.
    let mut referenced = Vec::new();
    for r in tree["relationships"].as_array().unwrap() {
        referenced.push(r["product_reference"].as_str().unwrap().to_owned());
        referenced.push(
            r["relates_to_product_reference"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    assert!(!vulns.is_empty());
    for v in vulns {
        let statuses = v["product_status"].as_object().unwrap();
        for ids in statuses.values() {
            referenced.extend(strs(ids));
        }
        for key in ["flags", "threats", "remediations"] {
            for x in v[key].as_array().into_iter().flatten() {
                referenced.extend(strs(&x["product_ids"]));
            }
        }
        for s in v["scores"].as_array().into_iter().flatten() {
            referenced.extend(strs(&s["products"]));
        }
        // 6.1.6 no product in contradicting groups (affected / not affected / fixed /
        // under investigation).
        let mut seen = std::collections::BTreeSet::new();
        for ids in statuses.values() {
            for id in strs(ids) {
                assert!(seen.insert(id.clone()), "{id} in two statuses: {v:#}");
            }
        }
        // 6.1.27.8 an id; 6.1.27.5 notes; 6.1.27.7 a VEX status.
        assert!(v.get("cve").is_some() || v.get("ids").is_some(), "{v:#}");
        assert!(!v["notes"].as_array().unwrap().is_empty());
        assert!(statuses.keys().all(|k| {
            [
                "known_affected",
                "known_not_affected",
                "fixed",
                "under_investigation",
            ]
            .contains(&k.as_str())
        }));
        // 6.1.27.9 impact statement for every known_not_affected product.
        for id in strs(&v["product_status"]["known_not_affected"]) {
            let flagged = v["flags"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|f| strs(&f["product_ids"]).contains(&id));
            let impact = v["threats"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|t| t["category"] == "impact" && strs(&t["product_ids"]).contains(&id));
            assert!(flagged || impact, "{id}: no impact statement");
        }
        // 6.1.27.10 action statement for every known_affected product.
        for id in strs(&v["product_status"]["known_affected"]) {
            assert!(
                v["remediations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|r| strs(&r["product_ids"]).contains(&id)),
                "{id}: no remediation"
            );
        }
        // 6.1.8/6.1.9: CVSS v3 severity agrees with the score.
        for s in v["scores"].as_array().into_iter().flatten() {
            if let Some(c) = s.get("cvss_v3") {
                let score = c["baseScore"].as_f64().unwrap();
                let want = match score {
                    x if x >= 9.0 => "CRITICAL",
                    x if x >= 7.0 => "HIGH",
                    x if x >= 4.0 => "MEDIUM",
                    x if x > 0.0 => "LOW",
                    _ => "NONE",
                };
                assert_eq!(c["baseSeverity"], want);
            }
        }
    }
    for id in &referenced {
        assert!(defined.contains(id), "{id} referenced but not defined");
    }
    // 6.1.16 / 6.1.21 tracking version is the latest revision; 6.1.14 dates in order.
    let t = &doc["document"]["tracking"];
    let history = t["revision_history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["number"], t["version"]);
    assert_eq!(t["status"], "final");
    assert!(t["initial_release_date"].as_str() <= t["current_release_date"].as_str());
    // 5.1 file name from the tracking id.
    let stem = t["id"].as_str().unwrap().to_ascii_lowercase().replace(
        |c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-'),
        "_",
    );
    assert_eq!(
        vex_file.file_name().unwrap().to_str().unwrap(),
        format!("{stem}.json")
    );
    // The provider metadata names the same publisher.
    assert_eq!(pm["publisher"], doc["document"]["publisher"]);
    assert_eq!(pm["role"], "csaf_publisher");
    assert!(
        pm["canonical_url"]
            .as_str()
            .unwrap()
            .ends_with("/provider-metadata.json")
    );
}

/// The statuses follow the scan and the VEX documents: curl's SOCKS5 bug is not affected
/// (the example CSAF VEX says so), Dirty Pipe is affected, KEV-listed, with its fixes.
#[test]
fn csaf_statuses_follow_the_scan_and_vex() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, _, _) = router_csaf(dir.path());
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    let by_cve = |cve: &str| {
        vulns
            .iter()
            .find(|v| v["cve"] == cve)
            .unwrap_or_else(|| panic!("{cve} missing"))
    };
    let curl = by_cve("CVE-2023-38545");
    assert_eq!(
        strs(&curl["product_status"]["known_not_affected"]),
        ["curl-7-74-0-in-sf-ax3000-1-1-4-58"]
    );
    assert_eq!(
        curl["flags"][0]["label"],
        "vulnerable_code_not_in_execute_path"
    );
    let pipe = by_cve("CVE-2022-0847");
    assert_eq!(
        strs(&pipe["product_status"]["known_affected"]),
        ["linux-5-10-92-in-sf-ax3000-1-1-4-58"]
    );
    assert_eq!(pipe["remediations"][0]["category"], "vendor_fix");
    assert!(
        pipe["remediations"][0]["details"]
            .as_str()
            .unwrap()
            .contains("5.10.102")
    );
    assert!(
        pipe["threats"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["category"] == "exploit_status")
    );
    assert_eq!(
        pipe["scores"][0]["cvss_v3"]["vectorString"],
        "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"
    );
    // uClibc-ng's finding has no fixed version.
    let uclibc = by_cve("CVE-2022-30295");
    assert_eq!(uclibc["remediations"][0]["category"], "none_available");
    // Components carry their SBOM identifiers.
    let linux = doc["product_tree"]["full_product_names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["product_id"] == "linux-5-10-92")
        .unwrap();
    assert_eq!(
        linux["product_identification_helper"]["purl"],
        "pkg:generic/linux@5.10.92"
    );
    assert_eq!(
        linux["product_identification_helper"]["cpe"],
        "cpe:2.3:o:linux:linux_kernel:5.10.92:*:*:*:*:*:*:*"
    );
    // Firmware: vendor -> product name -> product version.
    let vendor = &doc["product_tree"]["branches"][0];
    assert_eq!(vendor["category"], "vendor");
    assert_eq!(vendor["name"], "Skyfield Networks Corp.");
    assert_eq!(vendor["branches"][0]["category"], "product_name");
    assert_eq!(
        vendor["branches"][0]["branches"][0]["category"],
        "product_version"
    );
    assert_eq!(vendor["branches"][0]["branches"][0]["name"], "1.1.4.58");
}

#[test]
fn csaf_is_deterministic() {
    let args = [
        "disclose",
        "csaf",
        ROUTER,
        "--vex",
        ROUTER_CSAF_VEX,
        "--as-of",
        "2026-11-24",
    ];
    let (code, first, err) = riskmark(&args);
    assert_eq!(code, Some(0), "{err}");
    let (_, second, _) = riskmark(&args);
    assert_eq!(first, second);
    // --out writes the same document.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = riskmark(&[&args[..], &["--out", dir.path().to_str().unwrap()]].concat());
    assert_eq!(code, Some(0), "{err}");
    let file =
        std::fs::read_to_string(dir.path().join("sf-ax3000-vex-1-1-4-58-20261124.json")).unwrap();
    assert_eq!(file, first);
    // Another day, another tracking id and dates.
    let (_, other, _) = riskmark(&[
        "disclose",
        "csaf",
        ROUTER,
        "--vex",
        ROUTER_CSAF_VEX,
        "--as-of",
        "2026-12-01",
    ]);
    let v: Value = serde_json::from_str(&other).unwrap();
    assert_eq!(
        v["document"]["tracking"]["id"],
        "SF-AX3000-VEX-1-1-4-58-20261201"
    );
    assert_eq!(
        v["document"]["tracking"]["current_release_date"],
        "2026-12-01T00:00:00Z"
    );
}

#[test]
fn csaf_input_errors_name_file_and_field() {
    // An unreadable SBOM.
    let (code, out, err) = riskmark(&[
        "disclose",
        "csaf",
        ROUTER,
        "--sbom",
        "examples/sbom/missing.cdx.json",
    ]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("examples/sbom/missing.cdx.json"), "{err}");
    // A profile whose SBOM is a URL (riskmark reads local files only), and none given.
    let (code, _, err) = riskmark(&["disclose", "csaf", "examples/firewall-appliance.toml"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("examples/firewall-appliance.toml") && err.contains("`disclosure.sbom`"),
        "{err}"
    );
    // A declared SBOM that is not there.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("router.toml");
    let text = std::fs::read_to_string(root().join(ROUTER))
        .unwrap()
        .replace("sbom/home-router-firmware.cdx.json", "sbom/gone.cdx.json");
    std::fs::write(&p, text).unwrap();
    let (code, _, err) = riskmark(&["disclose", "csaf", p.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("gone.cdx.json") && err.contains("`disclosure.sbom`"),
        "{err}"
    );
    // A bad date.
    let (code, _, err) = riskmark(&["disclose", "csaf", ROUTER, "--as-of", "24.11.2026"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--as-of"), "{err}");
    // A malformed VEX document.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"document\": 1}").unwrap();
    let (code, _, err) = riskmark(&["disclose", "csaf", ROUTER, "--vex", bad.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("bad.json"), "{err}");
}

// ---------------------------------------------------------------- MUD

fn mud(args: &[&str]) -> Value {
    let (code, out, err) = riskmark(&[&["disclose", "mud"], args].concat());
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap()
}

/// (port, protocol number) of the accepting entries that match the local networks, in
/// the to-device lists.
fn inbound_ports(doc: &Value) -> std::collections::BTreeSet<(u64, u64)> {
    let mut ports = std::collections::BTreeSet::new();
    for acl in doc["ietf-access-control-list:acls"]["acl"]
        .as_array()
        .unwrap()
    {
        if !acl["name"].as_str().unwrap().ends_with("to") {
            continue;
        }
        for ace in acl["aces"]["ace"].as_array().unwrap() {
            let m = &ace["matches"];
            if m["ietf-mud:mud"]["local-networks"].is_null() {
                continue;
            }
            let l3 = if m["ipv4"].is_null() {
                &m["ipv6"]
            } else {
                &m["ipv4"]
            };
            let l4 = if m["tcp"].is_null() {
                &m["udp"]
            } else {
                &m["tcp"]
            };
            ports.insert((
                l4["destination-port"]["port"].as_u64().unwrap(),
                l3["protocol"].as_u64().unwrap(),
            ));
        }
    }
    ports
}

/// yangson validates the MUD files against the ietf-mud, ietf-acldns and
/// ietf-access-control-list YANG modules (as shipped with pyang).
#[test]
fn mud_passes_yang_validation() {
    let Some(python) = validators() else { return };
    let yang = python
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("share/yang/modules/ietf");
    let dir = tempfile::tempdir().unwrap();
    for example in [
        "examples/smart-plug.toml",
        "examples/home-router.toml",
        "examples/industrial-controller.toml",
    ] {
        let doc = mud(&[example, "--as-of", "2026-11-24"]);
        let file = dir.path().join("mud.json");
        std::fs::write(&file, doc.to_string()).unwrap();
        let (ok, report) = check(&python, "mud", &[&yang, &file]);
        assert!(ok, "{example}: {report:#}");
    }
    // Not a rubber stamp: a port out of range and an unknown leaf are rejected.
    let mut bad = mud(&["examples/smart-plug.toml", "--as-of", "2026-11-24"]);
    bad["ietf-access-control-list:acls"]["acl"][0]["aces"]["ace"][0]["matches"]["tcp"]["destination-port"]
        ["port"] = 70000.into();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, bad.to_string()).unwrap();
    let (ok, report) = check(&python, "mud", &[&yang, &file]);
    assert!(!ok, "{report:#}");
    let mut bad = mud(&["examples/smart-plug.toml", "--as-of", "2026-11-24"]);
    bad["ietf-mud:mud"]["support-ends"] = "2031-12-31".into();
    std::fs::write(&file, bad.to_string()).unwrap();
    let (ok, report) = check(&python, "mud", &[&yang, &file]);
    assert!(!ok, "{report:#}");
}

#[test]
fn mud_has_the_required_leaves_and_consistent_access_lists() {
    let doc = mud(&["examples/home-router.toml", "--as-of", "2026-11-24"]);
    let m = &doc["ietf-mud:mud"];
    assert_eq!(m["mud-version"], 1);
    assert_eq!(m["mud-url"], "https://skyfield.example/mud/sf-ax3000.json");
    assert_eq!(m["last-update"], "2026-11-24T00:00:00Z");
    assert_eq!(m["cache-validity"], 48);
    // Support ended on 2026-06-30.
    assert_eq!(m["is-supported"], false);
    assert_eq!(m["mfg-name"], "Skyfield Networks Corp.");
    assert_eq!(m["model-name"], "SF-AX3000");
    assert_eq!(m["systeminfo"], "Skyfield AX3000 Home Router (SF-AX3000)");
    assert_eq!(
        m["documentation"],
        "https://skyfield.example/support/security"
    );
    assert!(m.get("firmware-rev").is_none());

    let acls = doc["ietf-access-control-list:acls"]["acl"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = acls.iter().map(|a| a["name"].as_str().unwrap()).collect();
    let mut referenced = Vec::new();
    for policy in ["from-device-policy", "to-device-policy"] {
        for a in m[policy]["access-lists"]["access-list"].as_array().unwrap() {
            let n = a["name"].as_str().unwrap();
            assert!(
                names.contains(&n),
                "{policy} names {n}, which is not defined"
            );
            referenced.push(n);
        }
    }
    referenced.sort_unstable();
    let mut all = names.clone();
    all.sort_unstable();
    assert_eq!(referenced, all, "every list is used by a policy");
    for acl in acls {
        let aces = acl["aces"]["ace"].as_array().unwrap();
        let last = aces.last().unwrap();
        assert_eq!(
            last["actions"]["forwarding"], "drop",
            "{}: no default deny",
            acl["name"]
        );
        assert!(last.get("matches").is_none());
        let ace_names: std::collections::BTreeSet<_> =
            aces.iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(ace_names.len(), aces.len(), "unique entry names");
    }
    // Inbound: exactly the declared services, from the local networks.
    let tcp = 6;
    let udp = 17;
    let want: std::collections::BTreeSet<(u64, u64)> = [
        (80, tcp),
        (443, tcp),
        (8443, tcp),
        (7547, tcp),
        (53, udp),
        (1900, udp),
        (445, tcp),
    ]
    .into();
    assert_eq!(inbound_ports(&doc), want);
    // Not cloud dependent: no DNS-named entries.
    assert!(!doc.to_string().contains("dnsname"));
}

#[test]
fn mud_allows_the_cloud_for_a_cloud_dependent_product() {
    let doc = mud(&["examples/smart-plug.toml", "--as-of", "2026-11-24"]);
    assert_eq!(doc["ietf-mud:mud"]["is-supported"], true); // support ends 2031
    let text = doc.to_string();
    // The assumed host: the manufacturer's domain from disclosure.policy_url.
    assert!(
        text.contains("\"ietf-acldns:dst-dnsname\":\"acme.example\""),
        "{text}"
    );
    assert!(text.contains("\"ietf-acldns:src-dnsname\":\"acme.example\""));

    let doc = mud(&[
        "examples/smart-plug.toml",
        "--as-of",
        "2026-11-24",
        "--mud-url",
        "https://acme.example/.well-known/mud/sp-100.json",
        "--cloud-host",
        "iot.acme.example",
        "--cloud-host",
        "ota.acme.example",
    ]);
    assert_eq!(
        doc["ietf-mud:mud"]["mud-url"],
        "https://acme.example/.well-known/mud/sp-100.json"
    );
    let from: Vec<&Value> = doc["ietf-access-control-list:acls"]["acl"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["name"] == "mud-sp-100-v4fr")
        .flat_map(|a| a["aces"]["ace"].as_array().unwrap())
        .collect();
    let hosts: Vec<&str> = from
        .iter()
        .filter_map(|a| a["matches"]["ipv4"]["ietf-acldns:dst-dnsname"].as_str())
        .collect();
    assert_eq!(hosts, ["iot.acme.example", "ota.acme.example"]);
    for a in from
        .iter()
        .filter(|a| !a["matches"]["ipv4"]["ietf-acldns:dst-dnsname"].is_null())
    {
        assert_eq!(a["matches"]["tcp"]["destination-port"]["port"], 443);
        assert_eq!(
            a["matches"]["tcp"]["ietf-mud:direction-initiated"],
            "from-device"
        );
    }
}

#[test]
fn mud_is_deterministic_and_rejects_bad_options() {
    let args = [
        "disclose",
        "mud",
        "examples/smart-lock.toml",
        "--as-of",
        "2026-11-24",
    ];
    let (code, first, err) = riskmark(&args);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(riskmark(&args).1, first);

    let (code, out, err) = riskmark(
        &[
            &args[..],
            &["--mud-url", "http://keystone.example/mud.json"],
        ]
        .concat(),
    );
    assert_eq!(code, Some(2));
    assert!(
        out.is_empty() && err.contains("`--mud-url`") && err.contains("https"),
        "{err}"
    );
    let (code, _, err) = riskmark(&[
        "disclose",
        "mud",
        "examples/smart-plug.toml",
        "--cloud-host",
        "not a host",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`--cloud-host`"), "{err}");
    let (code, _, err) = riskmark(&["disclose", "mud", "examples/missing.toml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("examples/missing.toml"), "{err}");
}
