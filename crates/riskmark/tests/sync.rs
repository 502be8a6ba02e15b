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
    // This mirror has no modified-id lists (404): the archives are asked for again.
    let (lists, second): (Vec<Req>, Vec<Req>) = second
        .into_iter()
        .partition(|q| q.path().ends_with("/modified_id.csv"));
    assert_eq!(lists.len(), 2, "{lists:?}");
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
    // Request 0 is the modified-id list (404 here), 1 the archive, cut half-way.
    let srv = Server::start(move |req, n| {
        let r = mirror(req);
        if n == 1 { r.cut_after(half) } else { r }
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
    let reqs: Vec<Req> = srv
        .requests()
        .into_iter()
        .filter(|q| q.path() == "/PyPI/all.zip")
        .collect();
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

/// What a mirror with OSV's modified-id list for PyPI serves: the list
/// (newest first) and the single records.
struct Listing {
    list: String,
    records: std::collections::HashMap<String, Vec<u8>>,
}

/// The list of the archive's four records, as OSV writes it.
const PYPI_LIST: &str = "2023-06-05T01:13:00.534973Z,PYSEC-2023-74
2023-05-25T05:07:00Z,PYSEC-2021-872
2022-07-14T05:11:51.739830Z,PYSEC-2021-871
2020-07-22T17:15:00Z,PYSEC-2020-14
";

/// A record of the archive, as the single-record URL serves it.
fn archived(id: &str) -> serde_json::Value {
    let bytes = fixture("PyPI-all.zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let f = zip.by_name(&format!("{id}.json")).unwrap();
    serde_json::from_reader(f).unwrap()
}

/// A mirror that lists the archive's records (`PYPI_LIST`) and serves what the test puts
/// in the returned listing.
fn listing_mirror() -> (std::sync::Arc<std::sync::Mutex<Listing>>, Server) {
    let feed = std::sync::Arc::new(std::sync::Mutex::new(Listing {
        list: PYPI_LIST.to_owned(),
        records: std::collections::HashMap::new(),
    }));
    let served = std::sync::Arc::clone(&feed);
    let srv = Server::start(move |req, _| {
        let f = served.lock().unwrap();
        let path = req.path();
        if path == "/PyPI/modified_id.csv" {
            return Reply::status(200).body(f.list.clone());
        }
        if let Some(id) = path
            .strip_prefix("/PyPI/")
            .and_then(|p| p.strip_suffix(".json"))
        {
            return f.records.get(id).map_or_else(
                || Reply::status(404),
                |b| Reply::status(200).body(b.clone()),
            );
        }
        mirror(req)
    });
    (feed, srv)
}

fn paths_since(srv: &Server, before: usize) -> Vec<String> {
    srv.requests()
        .split_off(before)
        .iter()
        .map(|q| q.path().to_owned())
        .collect()
}

#[test]
fn a_synced_ecosystem_downloads_only_the_records_its_modified_id_list_names() {
    let (feed, srv) = listing_mirror();
    let home = tempfile::tempdir().unwrap();
    let args = ["--source", "osv", "--ecosystem", "PyPI"];

    // 1. First sync: the list's first line, then the whole archive.
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        line(&r.stdout, "osv PyPI").contains("4 records imported"),
        "{}",
        r.stdout
    );
    assert_eq!(
        paths_since(&srv, 0),
        ["/PyPI/modified_id.csv", "/PyPI/all.zip"]
    );
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(home.path().join("downloads/osv-state.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(state["PyPI"], "2023-06-05T01:13:00.534973Z", "{state}");
    assert!(findings(home.path()).iter().any(is_requests_cve));

    // 2. Nothing changed: the list is read, nothing else.
    let before = srv.requests().len();
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let l = line(&r.stdout, "osv PyPI");
    assert!(
        l.contains("no record changed") && l.contains("already in the database"),
        "{l}"
    );
    assert_eq!(paths_since(&srv, before), ["/PyPI/modified_id.csv"]);

    // 3. Upstream withdraws the requests advisory and publishes a new one:
    // two lines on top of the list, two single-record downloads, one import.
    let mut withdrawn = archived("PYSEC-2023-74");
    withdrawn["modified"] = "2026-12-05T08:00:00Z".into();
    withdrawn["withdrawn"] = "2026-12-05T08:00:00Z".into();
    let mut new = archived("PYSEC-2021-872");
    new["id"] = "PYSEC-2026-9001".into();
    new["modified"] = "2026-12-05T09:00:00Z".into();
    new["aliases"] = serde_json::json!(["CVE-2026-9001"]);
    new["affected"][0]["package"]["name"] = "requests".into();
    new["affected"][0]["ranges"] = serde_json::json!([{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.32.0"}]}]);
    new["affected"][0]["versions"] = serde_json::json!([]);
    {
        let mut f = feed.lock().unwrap();
        f.list = format!(
            "2026-12-05T09:00:00Z,PYSEC-2026-9001\n2026-12-05T08:00:00Z,PYSEC-2023-74\n{PYPI_LIST}"
        );
        for v in [&withdrawn, &new] {
            f.records.insert(
                v["id"].as_str().unwrap().to_owned(),
                serde_json::to_vec(v).unwrap(),
            );
        }
    }
    let before = srv.requests().len();
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let l = line(&r.stdout, "osv PyPI");
    assert!(
        l.contains("2 changed records") && l.contains("2 records imported"),
        "{l}"
    );
    // The records are downloaded in parallel, in any order.
    let mut asked = paths_since(&srv, before);
    asked[1..].sort();
    assert_eq!(
        asked,
        [
            "/PyPI/modified_id.csv",
            "/PyPI/PYSEC-2023-74.json",
            "/PyPI/PYSEC-2026-9001.json"
        ],
        "the archive is not asked for"
    );
    let f = findings(home.path());
    assert!(!f.iter().any(is_requests_cve), "withdrawn: {f:?}");
    assert!(
        f.iter().any(|x| x["id"] == "PYSEC-2026-9001"
            || x["aliases"]
                .as_array()
                .is_some_and(|a| a.iter().any(|i| i == "PYSEC-2026-9001"))),
        "{f:?}"
    );

    // 4. The next sync reads the overlap (two days before the newest time)
    // again, but downloads nothing: the database holds those records.
    let before = srv.requests().len();
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        line(&r.stdout, "osv PyPI").contains("no record changed"),
        "{}",
        r.stdout
    );
    assert_eq!(paths_since(&srv, before), ["/PyPI/modified_id.csv"]);

    // 5. `--full` asks for the archive (unchanged: 304) all the same.
    let before = srv.requests().len();
    let r = sync(home.path(), &srv, &[&args[..], &["--full"]].concat());
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(
        line(&r.stdout, "osv PyPI").contains("not modified"),
        "{}",
        r.stdout
    );
    assert_eq!(
        paths_since(&srv, before),
        ["/PyPI/modified_id.csv", "/PyPI/all.zip"]
    );
}

#[test]
fn too_many_changes_or_a_broken_list_fall_back_to_the_archive() {
    let (feed, srv) = listing_mirror();
    let home = tempfile::tempdir().unwrap();
    let args = ["--source", "osv", "--ecosystem", "PyPI"];
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);

    // 501 changed records: one archive is cheaper than 501 requests.
    let many: String = (0..501)
        .map(|i| {
            format!(
                "2026-12-05T09:{:02}:{:02}Z,PYSEC-2026-{}\n",
                59 - i / 60 % 60,
                59 - i % 60,
                10_000 + i
            )
        })
        .collect();
    feed.lock().unwrap().list = format!("{many}{PYPI_LIST}");
    let before = srv.requests().len();
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let l = line(&r.stdout, "osv PyPI");
    assert!(
        l.contains("(whole archive: more than 500 records changed)"),
        "{l}"
    );
    assert_eq!(
        paths_since(&srv, before),
        ["/PyPI/modified_id.csv", "/PyPI/all.zip"]
    );

    // A list that is not newest first cannot be trusted to stop early.
    feed.lock().unwrap().list = format!(
        "2026-12-05T09:00:00Z,PYSEC-2026-1\n2026-12-06T00:00:00Z,PYSEC-2026-2\n{PYPI_LIST}"
    );
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let l = line(&r.stdout, "osv PyPI");
    assert!(
        l.contains("(whole archive: modified_id.csv unusable:") && l.contains("line 2:"),
        "{l}"
    );

    // A listed record the mirror does not have: the sync fails, names it,
    // and the database is as it was.
    let built = built_at(home.path());
    feed.lock().unwrap().list = format!("2026-12-07T00:00:00Z,PYSEC-2026-404\n{PYPI_LIST}");
    let r = sync(home.path(), &srv, &args);
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("/PyPI/PYSEC-2026-404.json: the server answered HTTP 404"),
        "{}",
        r.stderr
    );
    assert_eq!(built_at(home.path()), built);
}
