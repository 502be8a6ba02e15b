//! `riskmark db sync` against a mirror on 127.0.0.1 (never the internet):
//! a full sync imports the feeds and `vulns` finds them; a second sync gets
//! 304s; a dropped connection is resumed; 503s and `Retry-After` are
//! retried; an unreachable source exits 2 and leaves the database as it was.

#[path = "../../fetch/tests/common/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use server::{Reply, Req, Server, fixture, serve_file};

const KEV_PATH: &str = "/sites/default/files/feeds/known_exploited_vulnerabilities.json";
const EPSS_PATH: &str = "/epss_scores-current.csv.gz";
const NVD_PATH: &str = "/rest/json/cves/2.0";

/// The mirror's tree, as a static file server with ETags serves it.
fn mirror(req: &Req) -> Reply {
    match req.path() {
        "/PyPI/all.zip" => serve_file(req, &fixture("PyPI-all.zip"), "\"pypi-1\""),
        "/Go/all.zip" => serve_file(req, &fixture("Go-all.zip"), "\"go-1\""),
        KEV_PATH => serve_file(req, &fixture("kev.json"), "\"kev-1\""),
        EPSS_PATH => serve_file(req, &fixture("epss.csv.gz"), "\"epss-1\""),
        NVD_PATH => Reply::status(200).body(fixture("nvd-page.json")),
        _ => Reply::status(404),
    }
}

/// riskmark with its database in `home`, no proxy and no mirror from the
/// environment.
fn riskmark(home: &Path) -> Command {
    let mut c = Command::cargo_bin("riskmark").unwrap();
    c.env("RISKMARK_DB", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("RISKMARK_MIRROR")
        .env_remove("NVD_API_KEY")
        .timeout(Duration::from_secs(60));
    for v in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        c.env_remove(v);
    }
    c
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let out = c.output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn sync(home: &Path, srv: &Server, extra: &[&str]) -> Run {
    let mut c = riskmark(home);
    c.args(["db", "sync", "--mirror", &srv.base()]).args(extra);
    run(&mut c)
}

/// The line of one source in the sync output.
fn line<'a>(out: &'a str, label: &str) -> &'a str {
    out.lines()
        .find(|l| l.split("  ").next() == Some(label))
        .unwrap_or_else(|| panic!("no line for {label:?} in:\n{out}"))
}

fn sbom(dir: &Path) -> PathBuf {
    let p = dir.join("sbom.cdx.json");
    std::fs::write(
        &p,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
          {"type":"library","name":"requests","version":"2.30.0","purl":"pkg:pypi/requests@2.30.0"}]}"#,
    )
    .unwrap();
    p
}

/// `vulns --format json` findings for the test SBOM.
fn findings(home: &Path) -> Vec<serde_json::Value> {
    let tmp = tempfile::tempdir().unwrap();
    let out = riskmark(home)
        .args(["vulns", "--format", "json"])
        .arg(sbom(tmp.path()))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"].as_array().cloned().unwrap_or_default()
}

fn is_requests_cve(f: &serde_json::Value) -> bool {
    f["id"] == "CVE-2023-32681"
        || f["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "CVE-2023-32681"))
}

fn built_at(home: &Path) -> String {
    let out = riskmark(home)
        .args(["db", "stats", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["stats"]["built_at"].to_string()
}

#[test]
fn a_full_sync_imports_the_feeds_and_a_second_one_downloads_nothing() {
    let srv = Server::start(|req, _| mirror(req));
    let home = tempfile::tempdir().unwrap();
    assert!(
        findings(home.path()).iter().all(|f| !is_requests_cve(f)),
        "not in the embedded set"
    );

    let r = sync(
        home.path(),
        &srv,
        &["--ecosystem", "PyPI", "--ecosystem", "Go"],
    );
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let pypi = fixture("PyPI-all.zip").len();
    assert!(
        line(&r.stdout, "osv PyPI").contains(&format!("downloaded {pypi} bytes")),
        "{}",
        r.stdout
    );
    assert!(line(&r.stdout, "osv PyPI").contains("4 records imported"));
    assert!(line(&r.stdout, "osv Go").contains("3 records imported"));
    assert!(line(&r.stdout, "kev").contains("4 records imported"));
    assert!(line(&r.stdout, "epss").contains("3 records imported"));
    let downloads = home.path().join("downloads");
    assert_eq!(
        std::fs::read(downloads.join("osv-PyPI.zip")).unwrap(),
        fixture("PyPI-all.zip")
    );

    // The records are in the database: `vulns` finds them, offline.
    let f = findings(home.path());
    let requests = f
        .iter()
        .find(|f| is_requests_cve(f))
        .unwrap_or_else(|| panic!("requests 2.30.0 finding missing: {f:?}"));
    assert_eq!(requests["component"], "requests");
    assert!(
        (requests["epss"].as_f64().unwrap_or_default() - 0.06123).abs() < 1e-9,
        "{requests}"
    );
    let first_built = built_at(home.path());

    // Second sync: every source answers 304; nothing is downloaded or imported.
    let before = srv.requests().len();
    let r = sync(
        home.path(),
        &srv,
        &["--ecosystem", "PyPI", "--ecosystem", "Go"],
    );
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    for label in ["osv PyPI", "osv Go", "kev", "epss"] {
        let l = line(&r.stdout, label);
        assert!(
            l.contains("not modified") && l.contains("already in the database"),
            "{l}"
        );
    }
    assert!(r.stdout.contains("is up to date"), "{}", r.stdout);
    let second: Vec<Req> = srv.requests().split_off(before);
    assert_eq!(second.len(), 4);
    for q in &second {
        assert!(q.header("if-none-match").is_some(), "{q:?}");
    }
    assert_eq!(built_at(home.path()), first_built, "no new import");
}

#[test]
fn a_connection_dropped_half_way_is_resumed_with_a_range_request() {
    let body = fixture("PyPI-all.zip");
    let half = body.len() / 2;
    let srv = Server::start(move |req, n| {
        let r = mirror(req);
        if n == 0 { r.cut_after(half) } else { r }
    });
    let home = tempfile::tempdir().unwrap();
    let r = sync(
        home.path(),
        &srv,
        &["--source", "osv", "--ecosystem", "PyPI"],
    );
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let l = line(&r.stdout, "osv PyPI");
    assert!(
        l.contains(&format!("downloaded {} bytes (resumed)", body.len())),
        "{l}"
    );
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    let range = format!("bytes={half}-");
    assert_eq!(reqs[1].header("range"), Some(range.as_str()));
    assert_eq!(
        std::fs::read(home.path().join("downloads/osv-PyPI.zip")).unwrap(),
        body,
        "byte-identical after the resume"
    );
    assert!(!home.path().join("downloads/osv-PyPI.zip.part").exists());
    assert!(l.contains("4 records imported"), "{l}");
}

#[test]
fn a_server_failing_twice_with_503_is_retried() {
    let srv = Server::start(|req, n| {
        if n < 2 {
            Reply::status(503)
        } else {
            mirror(req)
        }
    });
    let home = tempfile::tempdir().unwrap();
    // The mirror from the environment this time.
    let r = run(riskmark(home.path())
        .env("RISKMARK_MIRROR", srv.base())
        .args(["db", "sync", "--source", "kev", "--retries", "2"]));
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        line(&r.stdout, "kev").contains("4 records imported"),
        "{}",
        r.stdout
    );
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 3);
    assert!(reqs.iter().all(|q| q.path() == KEV_PATH));
}

#[test]
fn retry_after_is_honoured() {
    let srv = Server::start(|req, n| {
        if n == 0 {
            Reply::status(503).header("Retry-After", "2")
        } else {
            mirror(req)
        }
    });
    let home = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let r = sync(home.path(), &srv, &["--source", "epss", "--retries", "1"]);
    let waited = t.elapsed();
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    // The backoff alone would have waited 1 s.
    assert!(waited >= Duration::from_secs(2), "{waited:?}");
    assert!(line(&r.stdout, "epss").contains("3 records imported"));
    assert_eq!(srv.requests().len(), 2);
}

#[test]
fn an_unreachable_source_exits_2_and_the_previous_database_still_answers() {
    let home = tempfile::tempdir().unwrap();
    {
        let good = Server::start(|req, _| mirror(req));
        let r = sync(
            home.path(),
            &good,
            &["--source", "osv", "--ecosystem", "PyPI"],
        );
        assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    }
    let built = built_at(home.path());
    assert!(findings(home.path()).iter().any(is_requests_cve));

    // PyPI changed on the server (a new ETag), KEV is down for good.
    let bad = Server::start(|req, _| match req.path() {
        "/PyPI/all.zip" => serve_file(req, &fixture("PyPI-all.zip"), "\"pypi-2\""),
        KEV_PATH => Reply::status(503),
        _ => mirror(req),
    });
    let r = sync(
        home.path(),
        &bad,
        &[
            "--source",
            "osv",
            "--source",
            "kev",
            "--ecosystem",
            "PyPI",
            "--retries",
            "1",
        ],
    );
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    let url = format!("{}{KEV_PATH}", bad.base());
    assert!(
        r.stderr.contains(&format!(
            "error: kev: {url}: unreachable after 2 attempts: HTTP 503"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert_eq!(
        bad.requests()
            .iter()
            .filter(|q| q.path() == KEV_PATH)
            .count(),
        2
    );
    assert_eq!(built_at(home.path()), built, "the database was not rebuilt");
    assert!(findings(home.path()).iter().any(is_requests_cve));
}

#[test]
fn nvd_pages_are_downloaded_with_the_api_parameters() {
    let srv = Server::start(|req, _| mirror(req));
    let home = tempfile::tempdir().unwrap();
    let r = run(riskmark(home.path()).env("NVD_API_KEY", "test-key").args([
        "db",
        "sync",
        "--mirror",
        &srv.base(),
        "--source",
        "nvd",
    ]));
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 1, "one page holds every result");
    assert_eq!(reqs[0].path(), NVD_PATH);
    assert_eq!(reqs[0].query("startIndex"), Some("0"));
    assert_eq!(reqs[0].query("resultsPerPage"), Some("2000"));
    assert_eq!(
        reqs[0].query("lastModStartDate"),
        None,
        "first sync is full"
    );
    assert_eq!(reqs[0].header("apikey"), Some("test-key"));
    assert_eq!(
        std::fs::read(home.path().join("downloads/nvd/nvd-1.json")).unwrap(),
        fixture("nvd-page.json")
    );
    let l = line(&r.stdout, "nvd");
    assert!(
        l.contains("downloaded 1 page") && l.contains("1 record imported"),
        "{l}"
    );

    // The next sync asks only for what changed since the first one.
    let r =
        run(riskmark(home.path()).args(["db", "sync", "--mirror", &srv.base(), "--source", "nvd"]));
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    let since = reqs[1].query("lastModStartDate").unwrap_or_default();
    let until = reqs[1].query("lastModEndDate").unwrap_or_default();
    assert!(since.ends_with('Z') && since.len() == 24, "{since}");
    assert!(since < until, "{since} .. {until}");
    assert_eq!(reqs[1].header("apikey"), None);
}

#[test]
fn bad_mirror_and_ecosystem_names_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let r = run(riskmark(home.path()).args(["db", "sync", "--mirror", "ftp://x"]));
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("mirror URL \"ftp://x\""), "{}", r.stderr);
    let r = run(riskmark(home.path()).args([
        "db",
        "sync",
        "--mirror",
        "http://127.0.0.1:9",
        "--ecosystem",
        "../etc",
    ]));
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("OSV ecosystem \"../etc\""),
        "{}",
        r.stderr
    );
}

/// Every source that fails is named, not only the first; the others were still tried.
#[test]
fn every_failing_source_is_named() {
    let home = tempfile::tempdir().unwrap();
    let bad = Server::start(|req, _| match req.path() {
        KEV_PATH | "/epss_scores-current.csv.gz" => Reply::status(503),
        _ => mirror(req),
    });
    let r = sync(
        home.path(),
        &bad,
        &[
            "--source",
            "kev",
            "--source",
            "epss",
            "--source",
            "osv",
            "--ecosystem",
            "PyPI",
            "--retries",
            "0",
        ],
    );
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("error: kev: "), "{}", r.stderr);
    assert!(r.stderr.contains("error: epss: "), "{}", r.stderr);
    assert!(r.stderr.contains("2 of 3 sources failed: "), "{}", r.stderr);
    assert!(
        bad.requests().iter().any(|q| q.path() == "/PyPI/all.zip"),
        "the other sources were tried"
    );
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
}
