//! The embedded curated firmware set.

mod common;

use common::{ids, import};
use riskmark_vulndb::{Db, FIRMWARE_ECOSYSTEM, Severity};

#[test]
fn versions_inside_curated_ranges_match_and_outside_do_not() {
    let db = Db::embedded_default().unwrap();
    let m = |name: &str, v: &str| db.matches(FIRMWARE_ECOSYSTEM, name, v).unwrap();

    let f = m("openssl", "1.0.1f");
    assert_eq!(ids(&f), ["CVE-2014-0160"]);
    assert!(f[0].kev);
    assert_eq!(f[0].severity, Some(Severity::High));
    assert_eq!(f[0].cvss.as_ref().map(|c| c.score), Some(7.5));
    assert_eq!(f[0].fixed, ["1.0.1g"]);
    assert_eq!(f[0].advisories, ["RISKMARK-CVE-2014-0160"]);
    assert!(m("openssl", "1.0.1g").is_empty());
    assert!(m("openssl", "1.0.0").is_empty());

    assert_eq!(
        ids(&m("OpenSSL", "3.0.6")),
        ["CVE-2022-3602", "CVE-2022-3786", "CVE-2023-0286"]
    );
    assert_eq!(
        ids(&m("openssl", "3.0.1")),
        [
            "CVE-2022-0778",
            "CVE-2022-3602",
            "CVE-2022-3786",
            "CVE-2023-0286"
        ]
    );
    assert_eq!(ids(&m("openssl", "3.0.7")), ["CVE-2023-0286"]);
    assert!(m("openssl", "3.0.8").is_empty());
    assert_eq!(
        ids(&m("openssl", "1.0.2zc")),
        ["CVE-2022-0778", "CVE-2023-0286"]
    );
    assert_eq!(ids(&m("openssl", "1.0.2zd")), ["CVE-2023-0286"]);

    let f = m("curl", "8.3.0");
    assert_eq!(ids(&f), ["CVE-2023-38545", "CVE-2023-38546"]);
    assert_eq!(f[0].severity, Some(Severity::Critical));
    assert_eq!(f[1].severity, Some(Severity::Low));
    assert_eq!(ids(&m("curl", "7.68.0")), ["CVE-2023-38546"]);
    assert!(m("curl", "8.4.0").is_empty());

    assert_eq!(ids(&m("busybox", "1.34.1")), ["CVE-2022-48174"]);
    assert_eq!(
        ids(&m("busybox", "1.32.1")),
        ["CVE-2021-28831", "CVE-2022-48174"]
    );
    assert!(m("busybox", "1.35.0").is_empty());

    assert_eq!(m("dnsmasq", "2.82").len(), 7);
    assert_eq!(m("dnsmasq", "2.77").len(), 8);
    assert!(m("dnsmasq", "2.83").is_empty());

    assert_eq!(
        ids(&m("dropbear", "2016.73")),
        ["CVE-2016-7406", "CVE-2016-7407"]
    );
    assert!(m("dropbear", "2016.74").is_empty());

    let f = m("linux", "5.15.24");
    assert_eq!(ids(&f), ["CVE-2022-0847"]);
    assert!(f[0].kev);
    assert_eq!(f[0].fixed, ["5.15.25", "5.16.11"]);
    assert!(m("linux", "5.15.25").is_empty());
    assert!(m("linux", "5.7.19").is_empty());
    assert_eq!(ids(&m("linux", "4.4.25")), ["CVE-2016-5195"]);

    assert_eq!(ids(&m("openssh", "9.7p1")), ["CVE-2024-6387"]);
    assert!(m("openssh", "9.8p1").is_empty());
    assert!(m("openssh", "8.4p1").is_empty());
    assert_eq!(
        ids(&m("lighttpd", "1.4.60")),
        ["CVE-2022-22707", "CVE-2022-41556"]
    );
    assert!(m("lighttpd", "1.4.45").is_empty());
    assert_eq!(ids(&m("musl", "1.2.1")), ["CVE-2020-28928"]);
    let f = m("uclibc-ng", "1.0.40");
    assert_eq!(f[0].severity, Some(Severity::Medium));
    assert_eq!(f[0].cvss, None);
    assert!(m("uclibc-ng", "1.0.41").is_empty());

    // The purl route.
    let f = db.matches_purl("pkg:generic/openssl@1.0.1c").unwrap();
    assert_eq!(ids(&f), ["CVE-2014-0160"]);
    let f = db
        .matches_purl("pkg:generic/busybox/busybox@1.36.1")
        .unwrap();
    assert!(f.is_empty());
}

#[test]
fn every_import_seeds_the_curated_set() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("v.db");
    let empty: [std::path::PathBuf; 0] = [];
    import(&db_path, &empty).unwrap();
    let db = Db::open_or_default(&db_path).unwrap();
    assert_eq!(db.path(), db_path);
    assert_eq!(
        ids(&db.matches(FIRMWARE_ECOSYSTEM, "curl", "8.0.1").unwrap()),
        ["CVE-2023-38545", "CVE-2023-38546"]
    );
    let s = db.stats().unwrap();
    assert_eq!(s.advisories, 26);
    assert_eq!(s.kev, 3);
    assert!(
        s.sources
            .iter()
            .any(|s| s.name == "embedded:curated" && s.records == 26)
    );
    // A path that does not exist falls back to the embedded set.
    let d = Db::open_or_default(&dir.path().join("none.db")).unwrap();
    assert_eq!(d.stats().unwrap().advisories, 26);
}
