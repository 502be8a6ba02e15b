//! `riskmark firmware` and `assess --firmware` as a user runs them, on images built from
//! Debian's real binaries with planted weaknesses (`crates/firmware/tests/build`).

#[path = "../../firmware/tests/build/mod.rs"]
mod build;
mod common;

use common::{command_in as riskmark, root};

#[test]
fn firmware_command_writes_the_sbom_and_the_report() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rootfs = build::rootfs(dir.path(), false);
    let img = dir.path().join("flash.bin");
    build::flash(&rootfs, &img);
    let out_dir = dir.path().join("out");
    let out = riskmark(dir.path())
        .arg("firmware")
        .arg(&img)
        .args(["--format", "json", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["schema"], "riskmark/firmware/v1");
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for c in [
        "default-password",
        "debug-service",
        "private-key",
        "update-unsigned",
    ] {
        assert!(codes.contains(&c), "{c}: {codes:?}");
    }
    for f in report["findings"].as_array().unwrap() {
        for key in ["code", "path", "detail", "severity"] {
            assert!(f[key].is_string(), "{key}: {f}");
        }
    }
    // The SBOM file is CycloneDX 1.6 and reads back as an SBOM riskmark scans.
    let sbom = out_dir.join("sbom.cdx.json");
    let bom: serde_json::Value = serde_json::from_slice(&std::fs::read(&sbom).unwrap()).unwrap();
    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(bom["metadata"]["component"]["type"], "firmware");
    // cyclonedx-python-lib's strict CycloneDX 1.6 validator (.ci/setup.d/vex.sh).
    let python = std::path::Path::new("/opt/riskmark-ref/vex/bin/python");
    if python.is_file() {
        let v = std::process::Command::new(python)
            .arg(root().join("scripts/validate_vex.py"))
            .arg("cyclonedx")
            .arg(&sbom)
            .output()
            .unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
        assert!(
            v.status.success() && report.contains("valid (0 problems)"),
            "{report}"
        );
    } else {
        common::missing("the CycloneDX validator (run .ci/setup.d/vex.sh)");
    }
    let vulns = riskmark(dir.path())
        .arg("vulns")
        .arg(&sbom)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        vulns.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&vulns.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&vulns.stdout).unwrap();
    // The kernel found in the uImage (5.10.92) has Dirty Pipe, in CISA's KEV, in the
    // embedded curated set.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["component"] == "linux" && f["id"] == "CVE-2022-0847" && f["kev"] == true),
        "{v}"
    );
    // A file that is no image: exit 2 naming it.
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, vec![0xabu8; 10_000]).unwrap();
    let bad = riskmark(dir.path())
        .arg("firmware")
        .arg(&junk)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("junk.bin"));
}

#[test]
fn assess_with_firmware_turns_declared_passes_into_verified_failures() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("flash.bin");
    build::flash(&build::rootfs(dir.path(), false), &img);
    let profile = root().join("examples/home-router.toml");
    let run = |image: Option<&std::path::Path>| {
        let mut c = riskmark(dir.path());
        c.arg("assess")
            .arg(&profile)
            .args(["--format", "json", "--as-of", "2026-11-24"]);
        if let Some(i) = image {
            c.arg("--firmware").arg(i);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let check = |a: &serde_json::Value, code: &str| {
        a["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()
            .clone()
    };
    let declared = run(None);
    assert_eq!(
        check(&declared, "default-password-universal")["status"],
        "pass"
    );
    let verified = run(Some(&img));
    let c = check(&verified, "default-password-universal");
    assert_eq!(c["status"], "fail", "{c}");
    assert_eq!(c["evidence"], "verified");
    let reasons = c["reasons"].to_string();
    assert!(
        reasons.contains("declared and verified disagree"),
        "{reasons}"
    );
    assert!(
        reasons.contains("etc/shadow"),
        "evidence path named: {reasons}"
    );
    assert_eq!(check(&verified, "update-signed")["status"], "fail");
    // The image's SBOM was scanned: the kernel's advisories count.
    assert!(
        verified["vulnerabilities"]["findings"]
            .as_array()
            .is_some_and(|f| !f.is_empty()),
        "{}",
        verified["vulnerabilities"]
    );
    // An honest image changes no verdict to fail.
    let honest = dir.path().join("honest.sqfs");
    build::squashfs(&build::rootfs(dir.path(), true), &honest);
    let h = run(Some(&honest));
    assert_eq!(check(&h, "default-password-universal")["status"], "pass");
}

#[test]
fn label_with_firmware_reflects_the_verified_failures() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("rootfs.sqfs");
    build::squashfs(&build::rootfs(dir.path(), false), &img);
    let profile = root().join("examples/home-router.toml");
    let psti = |image: Option<&std::path::Path>, out: &str| {
        let out_dir = dir.path().join(out);
        let mut c = riskmark(dir.path());
        c.arg("label")
            .arg(&profile)
            .arg("--out")
            .arg(&out_dir)
            .args(["--as-of", "2026-11-24"]);
        if let Some(i) = image {
            c.arg("--firmware").arg(i);
        }
        let o = c.output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let label: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out_dir.join("label.json")).unwrap()).unwrap();
        label["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["framework"] == "uk-psti")
            .unwrap()["outcome"]
            .clone()
    };
    // The UK bans universal default passwords: declared, the router meets PSTI; its
    // image, with `admin` as root's password, does not.
    assert_eq!(psti(None, "declared"), "meets");
    assert_eq!(psti(Some(&img), "verified"), "does-not-meet");
}

/// A fleet inventory's `firmware_image` column: that model's SBOM comes from the image and
/// its weaknesses are verified failures; the same profile without an image is another
/// model and keeps its declared verdicts; a missing image is a located problem.
#[test]
fn fleet_with_a_firmware_image_column() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rootfs = build::rootfs(dir.path(), false);
    build::squashfs(&rootfs, &dir.path().join("fw.sqfs"));
    std::fs::copy(
        root().join("examples/home-router.toml"),
        dir.path().join("router.toml"),
    )
    .unwrap();
    let inv = dir.path().join("inventory.csv");
    std::fs::write(
        &inv,
        "device_id,profile,firmware_image\nr1,router.toml,fw.sqfs\nr2,router.toml,\nr3,router.toml,missing.bin\n",
    )
    .unwrap();
    let out = riskmark(dir.path())
        .arg("fleet")
        .arg(&inv)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let f: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let models = f["models"].as_array().unwrap();
    assert_eq!(models.len(), 2, "{f}");
    let failing = |m: &serde_json::Value| -> Vec<String> {
        m["failing_checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    let with = models
        .iter()
        .find(|m| {
            m["firmware_image"]
                .as_str()
                .is_some_and(|p| p.ends_with("fw.sqfs"))
        })
        .unwrap_or_else(|| panic!("{f}"));
    let without = models
        .iter()
        .find(|m| m["firmware_image"].is_null())
        .unwrap();
    for code in ["default-password-universal", "debug-service-exposed"] {
        assert!(failing(with).iter().any(|c| c == code), "{code}: {with}");
        assert!(
            !failing(without).iter().any(|c| c == code),
            "{code}: {without}"
        );
    }
    assert!(
        with["sbom"].as_str().unwrap().contains("fw.sqfs (SBOM)"),
        "{with}"
    );
    // The missing image: a located problem naming the column, the row left out.
    let problems = f["problems"].to_string() + &stderr;
    assert!(
        problems.contains("firmware_image") && problems.contains("missing.bin"),
        "{problems}"
    );
}
