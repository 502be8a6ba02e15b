//! NVD CVE JSON 2.0 import and CPE 2.3 matching, on transcribed real NVD
//! records (`tests/fixtures/nvd`, see its PROVENANCE.md) and, for the
//! rules no real record in the fixtures exercises, small synthetic records
//! of a made-up `acme` vendor.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{fixtures, ids, import};
use riskmark_vulndb::{Confidence, Cpe, Db, Finding, InputKind, VulnDbError};

struct Built {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
}

fn part(n: u8) -> PathBuf {
    fixtures().join(format!("nvd/nvdcve-2.0-part{n}.json"))
}

fn build() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vuln.db");
    let report = import(&db, &[part(1), part(2)]).unwrap();
    let kinds: Vec<InputKind> = report.inputs.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [InputKind::Nvd, InputKind::Nvd]);
    let records: Vec<u64> = report.inputs.iter().map(|i| i.records).collect();
    assert_eq!(records, [5, 3]);
    let added: Vec<u64> = report.inputs.iter().map(|i| i.added).collect();
    assert_eq!(added, [5, 3]);
    Built {
        dir: dir.path().to_path_buf(),
        _dir: dir,
        db,
    }
}

fn cpe_ids(db: &Db, cpe: &str) -> Vec<String> {
    db.matches_cpe(cpe)
        .unwrap_or_else(|e| panic!("{cpe}: {e}"))
        .into_iter()
        .map(|f| f.id)
        .collect()
}

fn one<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{id} not in {:?}", ids(findings)))
}

/// A feed file of synthetic CVEs: `(id, lastModified, vulnStatus,
/// configurations JSON)`.
fn synthetic(path: &Path, cves: &[(&str, &str, &str, &str)]) {
    let items: Vec<String> = cves
        .iter()
        .map(|(id, modified, status, configs)| {
            format!(
                r#"{{"cve":{{"id":"{id}","published":"2024-01-01T00:00:00.000","lastModified":"{modified}","vulnStatus":"{status}","descriptions":[{{"lang":"en","value":"synthetic {id}"}}],"metrics":{{}},"configurations":{configs}}}}}"#
            )
        })
        .collect();
    std::fs::write(
        path,
        format!(
            r#"{{"resultsPerPage":{n},"startIndex":0,"totalResults":{n},"format":"NVD_CVE","version":"2.0","timestamp":"2024-06-01T00:00:00.000","vulnerabilities":[{}]}}"#,
            items.join(","),
            n = cves.len()
        ),
    )
    .unwrap();
}

fn node(entries: &str) -> String {
    format!(r#"{{"operator":"OR","negate":false,"cpeMatch":[{entries}]}}"#)
}

#[test]
fn imports_counts_and_is_idempotent() {
    let b = build();
    let db = Db::open(&b.db).unwrap();
    let st = db.stats().unwrap();
    assert_eq!(st.nvd_cves, 8);
    assert_eq!(st.nvd_rejected, 1);
    // Index keys: one (part, vendor, product) per vulnerable product of a
    // CVE: 4 OpenSSL and curl CVEs, Firefox/ESR/Thunderbird, 2 Linux.
    assert_eq!(st.cpe_keys, 4 + 3 + 2);
    assert!(
        st.sources
            .iter()
            .any(|s| s.name == "nvdcve-2.0-part1.json" && s.kind == "nvd" && s.records == 5)
    );
    let before = cpe_ids(&db, "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*");
    drop(db);

    let again = import(&b.db, &[part(2), part(1)]).unwrap();
    for i in &again.inputs {
        assert_eq!((i.added, i.updated), (0, 0), "{}", i.path.display());
    }
    let unchanged: u64 = again.inputs.iter().map(|i| i.unchanged).sum();
    assert_eq!(unchanged, 8);
    let db = Db::open(&b.db).unwrap();
    assert_eq!(db.stats().unwrap().nvd_cves, 8);
    assert_eq!(
        cpe_ids(&db, "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"),
        before
    );
}

#[test]
fn gzip_feed_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("nvdcve-2.0-2022.json.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(&std::fs::read(part(2)).unwrap()).unwrap();
    enc.finish().unwrap();
    let db = dir.path().join("vuln.db");
    let r = import(&db, &[gz]).unwrap();
    assert_eq!(r.inputs[0].kind, InputKind::Nvd);
    assert_eq!(r.inputs[0].records, 3);
    let db = Db::open(&db).unwrap();
    assert_eq!(
        cpe_ids(&db, "cpe:2.3:o:linux:linux_kernel:5.10.92:*:*:*:*:*:*:*"),
        ["CVE-2022-0185", "CVE-2022-0847"]
    );
}

#[test]
fn malformed_file_keeps_the_database_and_names_file_line_and_field() {
    let b = build();
    // Line 5 holds a `vulnerable` that is not a boolean.
    let bad = b.dir.join("broken.json");
    std::fs::write(
        &bad,
        "{\"format\": \"NVD_CVE\", \"version\": \"2.0\",\n\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2099-0001\",\n\"lastModified\": \"2099-01-01T00:00:00.000\",\n\"configurations\": [{\"nodes\": [{\"operator\": \"OR\", \"cpeMatch\": [\n{\"vulnerable\": \"yes\", \"criteria\": \"cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*\"}]}]}]}}]}\n",
    )
    .unwrap();
    let e = import(&b.db, &[part(2), bad.clone()]).unwrap_err();
    match &e {
        VulnDbError::Nvd {
            location, field, ..
        } => {
            assert_eq!(location.path, bad);
            assert_eq!(location.line, Some(5));
            assert_eq!(
                field.as_deref(),
                Some("vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].vulnerable")
            );
        }
        other => panic!("{other:?}"),
    }
    let msg = e.to_string();
    assert!(
        msg.contains("broken.json:5:") && msg.contains("cpeMatch[0].vulnerable"),
        "{msg}"
    );

    // A criteria that is not a CPE 2.3 name: located too.
    let bad_cpe = b.dir.join("bad-cpe.json");
    synthetic(
        &bad_cpe,
        &[(
            "CVE-2099-0002",
            "2099-01-01T00:00:00.000",
            "Analyzed",
            &format!(
                "[{{\"nodes\":[{}]}}]",
                node(r#"{"vulnerable":true,"criteria":"cpe:/a:openssl:openssl:1.1.1k"}"#)
            ),
        )],
    );
    match import(&b.db, &[bad_cpe]).unwrap_err() {
        VulnDbError::Nvd {
            field, location, ..
        } => {
            assert_eq!(
                field.as_deref(),
                Some("vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].criteria")
            );
            assert_eq!(location.line, Some(1));
        }
        other => panic!("{other:?}"),
    }

    // Nothing of either failed import was applied.
    let db = Db::open(&b.db).unwrap();
    assert_eq!(db.stats().unwrap().nvd_cves, 8);
    assert!(
        db.stats()
            .unwrap()
            .sources
            .iter()
            .all(|s| s.name != "broken.json")
    );
    assert_eq!(
        cpe_ids(&db, "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"),
        ["CVE-2021-3711", "CVE-2022-0778"]
    );
}

#[test]
fn exact_versions_and_updates() {
    let b = build();
    let db = Db::open(&b.db).unwrap();
    let hb = "CVE-2014-0160";
    let f = db
        .matches_cpe("cpe:2.3:a:openssl:openssl:1.0.1f:*:*:*:*:*:*:*")
        .unwrap();
    let heartbleed = one(&f, hb);
    assert_eq!(heartbleed.confidence, Confidence::High);
    assert_eq!(heartbleed.cvss.as_ref().map(|c| c.score), Some(7.5));
    assert!(heartbleed.kev, "the curated KEV excerpt lists Heartbleed");
    assert!(heartbleed.summary.as_deref().unwrap().len() <= 163);
    // Vendor and product are case-insensitive.
    assert!(cpe_ids(&db, "cpe:2.3:a:OpenSSL:OpenSSL:1.0.1a:*:*:*:*:*:*:*").contains(&hb.into()));
    // Not the fixed release, not an unknown version.
    assert!(!cpe_ids(&db, "cpe:2.3:a:openssl:openssl:1.0.1g:*:*:*:*:*:*:*").contains(&hb.into()));
    assert!(!cpe_ids(&db, "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*").contains(&hb.into()));
    assert!(!cpe_ids(&db, "cpe:2.3:a:openssl:openssl:-:*:*:*:*:*:*:*").contains(&hb.into()));
    // `1.0.2:beta1` is listed; the 1.0.2 release (update `*`) and another
    // beta are not.
    assert!(cpe_ids(&db, "cpe:2.3:a:openssl:openssl:1.0.2:beta1:*:*:*:*:*:*").contains(&hb.into()));
    assert!(!cpe_ids(&db, "cpe:2.3:a:openssl:openssl:1.0.2:*:*:*:*:*:*:*").contains(&hb.into()));
    assert!(
        !cpe_ids(&db, "cpe:2.3:a:openssl:openssl:1.0.2:beta2:*:*:*:*:*:*").contains(&hb.into())
    );
    // The same guard on Linux release candidates: 5.17-rc2 is affected,
    // the 5.17 release is not.
    assert_eq!(
        cpe_ids(&db, "cpe:2.3:o:linux:linux_kernel:5.17:rc2:*:*:*:*:*:*"),
        ["CVE-2022-0847"]
    );
    assert!(cpe_ids(&db, "cpe:2.3:o:linux:linux_kernel:5.17:*:*:*:*:*:*:*").is_empty());
    // The part must agree: an application named linux_kernel is not the OS.
    assert!(cpe_ids(&db, "cpe:2.3:a:linux:linux_kernel:5.10.92:*:*:*:*:*:*:*").is_empty());
}

#[test]
fn version_bounds_in_upstream_order() {
    let b = build();
    let db = Db::open(&b.db).unwrap();
    let curl = |v: &str| cpe_ids(&db, &format!("cpe:2.3:a:haxx:curl:{v}:*:*:*:*:*:*:*"));
    assert_eq!(curl("7.69.0"), ["CVE-2023-38545"]);
    assert_eq!(curl("7.74.0"), ["CVE-2023-38545"]);
    assert_eq!(curl("8.3.0"), ["CVE-2023-38545"]);
    assert!(curl("7.68.0").is_empty());
    assert!(curl("8.4.0").is_empty());
    assert!(curl("8.10.1").is_empty());
    let f = db
        .matches_cpe("cpe:2.3:a:haxx:curl:8.3.0:*:*:*:*:*:*:*")
        .unwrap();
    assert_eq!(f[0].fixed, ["8.4.0"]);
    assert_eq!(f[0].confidence, Confidence::High);
    // Letter suffixes order as OpenSSL releases do.
    let ossl = |v: &str| cpe_ids(&db, &format!("cpe:2.3:a:openssl:openssl:{v}:*:*:*:*:*:*:*"));
    assert_eq!(ossl("1.1.1k"), ["CVE-2021-3711", "CVE-2022-0778"]);
    assert_eq!(ossl("1.1.1m"), ["CVE-2022-0778"]);
    assert!(ossl("1.1.1n").is_empty());
    assert_eq!(ossl("1.0.2zc"), ["CVE-2022-0778"]);
    assert!(ossl("1.0.2zd").is_empty());
    assert_eq!(ossl("3.0.1"), ["CVE-2022-0778"]);
    // 5.10.92 < 5.10.93 < 5.10.102, numerically.
    let linux = db
        .matches_cpe("cpe:2.3:o:linux:linux_kernel:5.10.92:*:*:*:*:*:*:*")
        .unwrap();
    assert_eq!(ids(&linux), ["CVE-2022-0185", "CVE-2022-0847"]);
    assert_eq!(one(&linux, "CVE-2022-0185").fixed, ["5.10.93"]);
    assert_eq!(one(&linux, "CVE-2022-0847").fixed, ["5.10.102"]);
    assert_eq!(
        cpe_ids(&db, "cpe:2.3:o:linux:linux_kernel:5.10.93:*:*:*:*:*:*:*"),
        ["CVE-2022-0847"]
    );
    // A version that is not one (no digits) is not placed in a range.
    assert!(curl("next").is_empty());
}

#[test]
fn and_configuration_needs_its_platform() {
    let b = build();
    let db = Db::open(&b.db).unwrap();
    let firefox = "cpe:2.3:a:mozilla:firefox:111.0:*:*:*:*:*:*:*";
    let windows = Cpe::parse("cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*").unwrap();
    let linux = Cpe::parse("cpe:2.3:o:linux:linux_kernel:5.10.92:*:*:*:*:*:*:*").unwrap();
    let busybox = Cpe::parse("cpe:2.3:a:busybox:busybox:1.33.1:*:*:*:*:*:*:*").unwrap();
    // On Windows: affected (the criteria's `windows:-` is any Windows).
    let on_windows = db
        .matches_cpe_on(firefox, std::slice::from_ref(&windows))
        .unwrap();
    assert_eq!(ids(&on_windows), ["CVE-2023-29542"]);
    assert_eq!(on_windows[0].confidence, Confidence::High);
    let windows_10 = Cpe::parse("cpe:2.3:o:microsoft:windows_10:22h2:*:*:*:*:*:*:*").unwrap();
    let windows_any = Cpe::parse("cpe:2.3:o:microsoft:windows:10:*:*:*:*:*:*:*").unwrap();
    assert_eq!(
        db.matches_cpe_on(firefox, &[windows_any]).unwrap()[0].confidence,
        Confidence::High
    );
    // windows_10 is another product: an OS is named, not this one.
    assert!(
        db.matches_cpe_on(firefox, &[windows_10])
            .unwrap()
            .is_empty()
    );
    // The SBOM names another OS: the platform condition is ruled out.
    assert!(db.matches_cpe_on(firefox, &[linux]).unwrap().is_empty());
    // The SBOM names no OS at all: reported, low confidence.
    for platform in [vec![], vec![busybox]] {
        let unknown = db.matches_cpe_on(firefox, &platform).unwrap();
        assert_eq!(ids(&unknown), ["CVE-2023-29542"]);
        assert_eq!(unknown[0].confidence, Confidence::Low);
    }
    // The fixed release, on Windows: not affected.
    assert!(
        db.matches_cpe_on("cpe:2.3:a:mozilla:firefox:112.0:*:*:*:*:*:*:*", &[windows])
            .unwrap()
            .is_empty()
    );
    // `vulnerable: false`: Windows itself is never reported.
    assert!(cpe_ids(&db, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*").is_empty());
}

#[test]
fn rejected_cves_never_match_and_last_modified_decides() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vuln.db");
    let widget = |e: &str| format!("[{{\"nodes\":[{}]}}]", node(e));
    let cfg = widget(
        r#"{"vulnerable":true,"criteria":"cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*","versionEndExcluding":"2.0"}"#,
    );
    let (v1, v2, old) = (
        dir.path().join("v1.json"),
        dir.path().join("v2.json"),
        dir.path().join("old.json"),
    );
    synthetic(
        &v1,
        &[("CVE-2099-1000", "2024-02-01T00:00:00.000", "Analyzed", &cfg)],
    );
    synthetic(
        &v2,
        &[("CVE-2099-1000", "2024-03-01T00:00:00.000", "Rejected", &cfg)],
    );
    synthetic(
        &old,
        &[("CVE-2099-1000", "2024-01-01T00:00:00.000", "Analyzed", &cfg)],
    );
    let q = "cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*";
    import(&db, &[v1]).unwrap();
    assert_eq!(cpe_ids(&Db::open(&db).unwrap(), q), ["CVE-2099-1000"]);
    let r = import(&db, &[v2]).unwrap();
    assert_eq!(r.inputs[0].updated, 1);
    let d = Db::open(&db).unwrap();
    assert!(cpe_ids(&d, q).is_empty());
    assert_eq!(d.stats().unwrap().nvd_rejected, 1);
    drop(d);
    // An older state of the record does not bring it back.
    let r = import(&db, &[old]).unwrap();
    assert_eq!(r.inputs[0].unchanged, 1);
    assert!(cpe_ids(&Db::open(&db).unwrap(), q).is_empty());

    // The real rejected record is stored as withdrawn.
    let b = build();
    let st = Db::open(&b.db).unwrap().stats().unwrap();
    assert_eq!(st.nvd_rejected, 1);
}

#[test]
fn false_positive_guards() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guards.json");
    let cfg = |nodes: &[String], op: &str, negate: bool| {
        format!(
            "[{{{op}\"negate\":{negate},\"nodes\":[{}]}}]",
            nodes.join(",")
        )
    };
    let entry = |criteria: &str, vulnerable: bool| {
        format!(r#"{{"vulnerable":{vulnerable},"criteria":"{criteria}"}}"#)
    };
    synthetic(
        &file,
        &[
            // Every version, no bounds.
            (
                "CVE-2099-0001",
                "2024-01-01T00:00:00.000",
                "Analyzed",
                &cfg(&[node(&entry("cpe:2.3:a:acme:anyver:*:*:*:*:*:*:*:*", true))], "", false),
            ),
            // Wildcard vendor and product, and a pattern product.
            (
                "CVE-2099-0002",
                "2024-01-01T00:00:00.000",
                "Analyzed",
                &cfg(
                    &[node(&format!(
                        "{},{}",
                        entry("cpe:2.3:a:*:*:1.0:*:*:*:*:*:*:*", true),
                        entry("cpe:2.3:a:acme:wid*:1.0:*:*:*:*:*:*:*", true)
                    ))],
                    "",
                    false,
                ),
            ),
            // `vulnerable: false` only.
            (
                "CVE-2099-0003",
                "2024-01-01T00:00:00.000",
                "Analyzed",
                &cfg(&[node(&entry("cpe:2.3:a:acme:platformonly:1.0:*:*:*:*:*:*:*", false))], "", false),
            ),
            // A negated configuration, and a negated node.
            (
                "CVE-2099-0004",
                "2024-01-01T00:00:00.000",
                "Analyzed",
                &cfg(&[node(&entry("cpe:2.3:a:acme:negcfg:1.0:*:*:*:*:*:*:*", true))], "", true),
            ),
            (
                "CVE-2099-0005",
                "2024-01-01T00:00:00.000",
                "Analyzed",
                &cfg(
                    &[r#"{"operator":"OR","negate":true,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:acme:negnode:1.0:*:*:*:*:*:*:*"}]}"#.to_owned()],
                    "",
                    false,
                ),
            ),
            // App AND NOT on an OS (a negated platform node).
            (
                "CVE-2099-0006",
                "2024-01-01T00:00:00.000",
                "Analyzed",
                &cfg(
                    &[
                        node(&entry("cpe:2.3:a:acme:notonbsd:1.0:*:*:*:*:*:*:*", true)),
                        r#"{"operator":"OR","negate":true,"cpeMatch":[{"vulnerable":false,"criteria":"cpe:2.3:o:freebsd:freebsd:*:*:*:*:*:*:*:*"}]}"#.to_owned(),
                    ],
                    "\"operator\":\"AND\",",
                    false,
                ),
            ),
            // Target software and edition named by the criteria.
            (
                "CVE-2099-0007",
                "2024-01-01T00:00:00.000",
                "Analyzed",
                &cfg(
                    &[node(&entry(
                        "cpe:2.3:a:acme:plugin:*:*:*:*:*:wordpress:*:*",
                        true,
                    )
                    .replace('}', r#","versionEndExcluding":"2.0"}"#))],
                    "",
                    false,
                ),
            ),
        ],
    );
    let db_path = dir.path().join("vuln.db");
    import(&db_path, &[file]).unwrap();
    let db = Db::open(&db_path).unwrap();

    // Every version, no bounds: a match, low confidence, at any version.
    for v in ["1.0", "99", "*", "-"] {
        let f = db
            .matches_cpe(&format!("cpe:2.3:a:acme:anyver:{v}:*:*:*:*:*:*:*"))
            .unwrap();
        assert_eq!(ids(&f), ["CVE-2099-0001"], "{v}");
        assert_eq!(f[0].confidence, Confidence::Low);
    }
    // Wildcard vendor/product criteria match nothing; queries need both.
    assert!(cpe_ids(&db, "cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*").is_empty());
    for q in [
        "cpe:2.3:a:*:*:1.0:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:*:1.0:*:*:*:*:*:*:*",
        "cpe:2.3:a:acme:wid*:1.0:*:*:*:*:*:*:*",
        "cpe:/a:acme:widget:1.0",
        "acme widget",
    ] {
        assert!(
            matches!(db.matches_cpe(q), Err(VulnDbError::Cpe { .. })),
            "{q}"
        );
    }
    // Platform-only criteria never match.
    assert!(cpe_ids(&db, "cpe:2.3:a:acme:platformonly:1.0:*:*:*:*:*:*:*").is_empty());
    // Negations.
    assert!(cpe_ids(&db, "cpe:2.3:a:acme:negcfg:1.0:*:*:*:*:*:*:*").is_empty());
    assert!(cpe_ids(&db, "cpe:2.3:a:acme:negnode:1.0:*:*:*:*:*:*:*").is_empty());
    let notonbsd = "cpe:2.3:a:acme:notonbsd:1.0:*:*:*:*:*:*:*";
    let bsd = Cpe::parse("cpe:2.3:o:freebsd:freebsd:14.1:*:*:*:*:*:*:*").unwrap();
    let linux = Cpe::parse("cpe:2.3:o:linux:linux_kernel:6.1:*:*:*:*:*:*:*").unwrap();
    assert!(db.matches_cpe_on(notonbsd, &[bsd]).unwrap().is_empty());
    let on_linux = db.matches_cpe_on(notonbsd, &[linux]).unwrap();
    assert_eq!(ids(&on_linux), ["CVE-2099-0006"]);
    assert_eq!(on_linux[0].confidence, Confidence::High);
    // target_sw: compared when both name it.
    let plugin = |ts: &str| cpe_ids(&db, &format!("cpe:2.3:a:acme:plugin:1.5:*:*:*:*:{ts}:*:*"));
    assert_eq!(plugin("wordpress"), ["CVE-2099-0007"]);
    assert_eq!(plugin("WordPress"), ["CVE-2099-0007"]);
    assert_eq!(plugin("*"), ["CVE-2099-0007"]);
    assert!(plugin("joomla").is_empty());
}

#[test]
fn nvd_and_osv_findings_of_one_cve_merge() {
    let b = build();
    let db = Db::open(&b.db).unwrap();
    // The curated OSV set knows CVE-2022-0778 for OpenSSL 1.1.1k by purl.
    let by_purl = db.matches_purl("pkg:generic/openssl@1.1.1k").unwrap();
    let by_cpe = db
        .matches_cpe("cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*")
        .unwrap();
    let mut osv = one(&by_purl, "CVE-2022-0778").clone();
    let nvd = one(&by_cpe, "CVE-2022-0778").clone();
    assert_eq!(nvd.advisories, ["CVE-2022-0778"]);
    assert!(osv.advisories.iter().any(|a| a.starts_with("RISKMARK-")));
    assert!(osv.same_vulnerability(&nvd) && nvd.same_vulnerability(&osv));
    assert!(!one(&by_cpe, "CVE-2021-3711").same_vulnerability(&osv));
    osv.merge(nvd);
    assert_eq!(osv.id, "CVE-2022-0778");
    assert!(osv.advisories.contains(&"CVE-2022-0778".to_owned()));
    assert!(osv.advisories.iter().any(|a| a.starts_with("RISKMARK-")));
    assert!(!osv.aliases.contains(&"CVE-2022-0778".to_owned()));
    assert_eq!(osv.confidence, Confidence::High);
    assert!(osv.fixed.contains(&"1.1.1n".to_owned()), "{:?}", osv.fixed);
}

#[test]
fn databases_without_nvd_tables_answer_no_cpe_query() {
    // A schema-1 database built before NVD import existed (and so before
    // the stored counts).
    let b = build();
    {
        let conn = rusqlite::Connection::open(&b.db).unwrap();
        conn.execute_batch(
            "DROP TABLE cpe_match; DROP TABLE nvd_cves; DROP TABLE counts;
             DROP TABLE ecosystem_counts; DELETE FROM meta WHERE key = 'counts_kept';",
        )
        .unwrap();
    }
    let old = Db::open(&b.db).unwrap();
    assert!(
        old.matches_cpe("cpe:2.3:a:openssl:openssl:1.0.1f:*:*:*:*:*:*:*")
            .unwrap()
            .is_empty()
    );
    assert_eq!(old.stats().unwrap().nvd_cves, 0);
    drop(old);
    // Importing into it again creates them.
    import(&b.db, &[part(1)]).unwrap();
    assert_eq!(
        cpe_ids(
            &Db::open(&b.db).unwrap(),
            "cpe:2.3:a:openssl:openssl:1.0.1f:*:*:*:*:*:*:*"
        ),
        ["CVE-2014-0160"]
    );
    // The embedded set has the tables, and no NVD CVE.
    let db = Db::embedded_default().unwrap();
    assert!(
        db.matches_cpe("cpe:2.3:a:openssl:openssl:1.0.1f:*:*:*:*:*:*:*")
            .unwrap()
            .is_empty()
    );
    assert_eq!(db.stats().unwrap().nvd_cves, 0);
}
