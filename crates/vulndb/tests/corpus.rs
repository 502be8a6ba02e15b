//! The real OSV archives and KEV catalog from `<workspace>/../shared/data`,
//! when present: import them unchanged and spot-check known advisories.
#![allow(clippy::print_stderr)]

mod common;

use std::path::{Path, PathBuf};

use common::{find, ids, import};
use riskmark_vulndb::{Db, InputKind};

fn shared_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if p.join("osv/Go.zip").is_file() {
        Some(p)
    } else {
        use std::io::Write as _;
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{} is absent: required in CI",
            p.display()
        );
        let _ = writeln!(
            std::io::stderr(),
            "note: skipped: {} is absent",
            p.display()
        );
        None
    }
}

#[test]
fn real_osv_archives_and_kev() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("corpus.db");
    let inputs = [
        data.join("osv/Go.zip"),
        data.join("osv/PyPI.zip"),
        data.join("osv/crates.io.zip"),
        data.join("kev/known_exploited_vulnerabilities.json"),
    ];
    let report = import(&db_path, &inputs).unwrap();
    let counts: Vec<(InputKind, u64)> = report.inputs.iter().map(|i| (i.kind, i.records)).collect();
    assert_eq!(
        counts,
        [
            (InputKind::OsvZip, 4291),
            (InputKind::OsvZip, 2661),
            (InputKind::OsvZip, 1206),
            (InputKind::Kev, 1404)
        ]
    );
    // The crates.io archive has a `crates/` directory entry.
    assert_eq!(report.inputs[2].skipped, 1);

    let db = Db::open(&db_path).unwrap();
    let stats = db.stats().unwrap();
    assert_eq!(stats.advisories, 4291 + 2661 + 1206 + 26);
    assert_eq!(stats.withdrawn, 40);

    // RustSec: RUSTSEC-2021-0124, tokio, fixed in 1.8.4 and 1.13.1.
    let f = db.matches("crates.io", "tokio", "1.13.0").unwrap();
    let t = find(&f, "RUSTSEC-2021-0124");
    assert_eq!(t.id, "CVE-2021-45710");
    assert!(t.aliases.iter().any(|a| a == "GHSA-fg7r-2g4j-5cgr"));
    assert_eq!(t.fixed, ["1.13.1"]);
    assert!(
        !db.matches("crates.io", "tokio", "1.13.1")
            .unwrap()
            .iter()
            .any(|f| f.advisories.iter().any(|a| a == "RUSTSEC-2021-0124"))
    );

    // PyPI: requests CVE-2023-32681, GHSA-j8r2-6x86-q33q with its PYSEC id.
    let f = db.matches_purl("pkg:pypi/requests@2.30.0").unwrap();
    let r = find(&f, "PYSEC-2023-74");
    assert_eq!(r.id, "CVE-2023-32681");
    assert!(r.aliases.iter().any(|a| a == "GHSA-j8r2-6x86-q33q"));
    assert!(r.aliases.iter().any(|a| a == "PYSEC-2023-74"));
    assert_eq!(r.fixed, ["2.31.0"]);
    // Two PYSEC records of CVE-2021-42343 are reported once.
    let f = db.matches("PyPI", "distributed", "2021.9.1").unwrap();
    let d = find(&f, "CVE-2021-42343");
    assert_eq!(d.advisories, ["PYSEC-2021-871", "PYSEC-2021-872"]);
    assert_eq!(
        f.iter().filter(|x| x.id == "CVE-2021-42343").count(),
        1,
        "{:?}",
        ids(&f)
    );

    // Go: GO-2023-2102 on the module path golang.org/x/net and on stdlib.
    let f = db.matches("Go", "golang.org/x/net", "v0.16.0").unwrap();
    assert_eq!(find(&f, "GO-2023-2102").id, "CVE-2023-39325");
    let f = db.matches("Go", "stdlib", "v1.21.2").unwrap();
    assert_eq!(find(&f, "GO-2023-2102").fixed, ["1.21.3"]);
    // Withdrawn GO-2024-2730 is never reported.
    let f = db
        .matches("Go", "github.com/gorilla/sessions", "v1.2.1")
        .unwrap();
    assert!(
        !f.iter()
            .any(|x| x.advisories.iter().any(|a| a == "GO-2024-2730")),
        "{:?}",
        ids(&f)
    );

    // KEV through aliases: CVE-2025-24016 (wazuh), CVE-2020-11651 (salt).
    let f = db
        .matches("Go", "github.com/wazuh/wazuh", "v4.9.0+incompatible")
        .unwrap();
    assert!(find(&f, "CVE-2025-24016").kev);
    let f = db.matches("PyPI", "salt", "3000.1").unwrap();
    assert!(find(&f, "CVE-2020-11651").kev);

    // Re-importing the same archives changes nothing.
    let again = import(&db_path, &inputs[..3]).unwrap();
    for i in &again.inputs {
        assert_eq!((i.added, i.updated), (0, 0), "{}", i.path.display());
    }
}
