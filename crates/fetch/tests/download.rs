//! The downloader against a loopback HTTP server: conditional requests,
//! resume, retries, `Retry-After`, final errors, NVD paging.

#[path = "common/server.rs"]
mod server;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use riskmark_fetch::{
    Config, FetchError, Fetcher, NvdOptions, Request, RetryPolicy, Status, download_nvd,
};
use server::{Reply, Server, fixture, serve_file};

/// Short delays, so the retry tests take milliseconds.
fn fetcher(attempts: u32) -> Fetcher {
    Fetcher::new(
        &Config::default()
            .with_retry(RetryPolicy {
                attempts,
                initial_delay: Duration::from_millis(20),
                max_delay: Duration::from_millis(100),
                max_retry_after: Duration::from_secs(5),
            })
            .with_timeouts(Duration::from_secs(5), Duration::from_secs(5)),
    )
}

fn get(f: &Fetcher, url: &str, dest: &Path) -> Result<riskmark_fetch::Download, FetchError> {
    f.download(&Request::new(url, dest), &mut |_| {})
}

#[test]
fn downloads_then_an_unchanged_file_is_not_sent_again() {
    let body = fixture("PyPI-all.zip");
    let b = body.clone();
    let srv = Server::start(move |req, _| serve_file(req, &b, "\"v1\""));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("osv-PyPI.zip");
    let url = format!("{}/PyPI/all.zip", srv.base());
    let f = fetcher(3);

    let mut calls = Vec::new();
    let d = f
        .download(&Request::new(&url, &dest), &mut |p| {
            calls.push((p.done, p.total));
        })
        .unwrap();
    assert_eq!(d.status, Status::Downloaded);
    assert_eq!(d.transferred, body.len() as u64);
    assert_eq!(d.size, body.len() as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(
        calls.last(),
        Some(&(body.len() as u64, Some(body.len() as u64)))
    );
    assert!(!dir.path().join("osv-PyPI.zip.part").exists());

    let d = get(&f, &url, &dest).unwrap();
    assert_eq!(d.status, Status::NotModified);
    assert_eq!(d.transferred, 0);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("if-none-match"), None);
    assert_eq!(reqs[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        reqs[1].header("if-modified-since"),
        Some("Mon, 25 Aug 2025 12:00:00 GMT")
    );
}

#[test]
fn a_dropped_connection_is_resumed_with_a_range_request() {
    let body = fixture("PyPI-all.zip");
    let half = body.len() / 2;
    let b = body.clone();
    let srv = Server::start(move |req, n| {
        let r = serve_file(req, &b, "\"v1\"");
        if n == 0 { r.cut_after(half) } else { r }
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("osv-PyPI.zip");
    let d = get(&fetcher(3), &format!("{}/PyPI/all.zip", srv.base()), &dest).unwrap();

    assert_eq!(d.status, Status::Downloaded);
    assert!(d.resumed);
    assert_eq!(d.attempts, 2);
    assert_eq!(d.transferred, body.len() as u64, "nothing was sent twice");
    assert_eq!(std::fs::read(&dest).unwrap(), body, "byte-identical");
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("range"), None);
    let expected = format!("bytes={half}-");
    assert_eq!(reqs[1].header("range"), Some(expected.as_str()));
    assert_eq!(reqs[1].header("if-range"), Some("\"v1\""));
}

#[test]
fn a_part_left_by_an_earlier_run_is_continued_or_started_over() {
    let body = fixture("Go-all.zip");
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("osv-Go.zip");
    let part = dir.path().join("osv-Go.zip.part");

    // A server that honours Range: only the rest is sent.
    std::fs::write(&part, &body[..1000]).unwrap();
    let b = body.clone();
    let srv = Server::start(move |req, _| serve_file(req, &b, "\"g\""));
    let d = get(&fetcher(2), &format!("{}/Go/all.zip", srv.base()), &dest).unwrap();
    assert!(d.resumed);
    assert_eq!(d.transferred, (body.len() - 1000) as u64);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_eq!(srv.requests()[0].header("range"), Some("bytes=1000-"));
    drop(srv);

    // A server that ignores Range (200): the part is started over.
    std::fs::remove_file(&dest).unwrap();
    std::fs::write(&part, b"garbage that must not survive").unwrap();
    let b = body.clone();
    let srv = Server::start(move |_, _| Reply::status(200).body(b.clone()));
    let d = get(&fetcher(2), &format!("{}/Go/all.zip", srv.base()), &dest).unwrap();
    assert!(!d.resumed);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert!(srv.requests()[0].header("range").is_some());
}

#[test]
fn temporary_failures_are_retried() {
    let body = fixture("kev.json");
    let b = body.clone();
    let srv = Server::start(move |req, n| {
        if n < 2 {
            Reply::status(503)
        } else {
            serve_file(req, &b, "\"k\"")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("kev.json");
    // Progress tells which attempt runs, so a progress bar can say it is retrying.
    let mut seen = Vec::new();
    let url = format!("{}/kev.json", srv.base());
    let d = fetcher(3)
        .download(&Request::new(&url, &dest), &mut |p| {
            seen.push((p.attempt, p.attempts))
        })
        .unwrap();
    assert_eq!(d.attempts, 3);
    assert_eq!(srv.requests().len(), 3);
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert!(seen.contains(&(2, 3)) && seen.contains(&(3, 3)), "{seen:?}");
    assert!(seen.iter().all(|(a, n)| a <= n && *n == 3), "{seen:?}");
}

#[test]
fn a_server_that_keeps_failing_is_unreachable_and_the_previous_file_stays() {
    let srv = Server::start(|_, _| Reply::status(502).body("bad gateway"));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("kev.json");
    std::fs::write(&dest, b"previous").unwrap();
    let url = format!("{}/kev.json", srv.base());
    let e = get(&fetcher(4), &url, &dest).unwrap_err();
    match &e {
        FetchError::Unreachable {
            url: u,
            attempts,
            reason,
        } => {
            assert_eq!(u, &url);
            assert_eq!(*attempts, 4);
            assert!(reason.contains("502"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains(&url), "{e}");
    assert_eq!(srv.requests().len(), 4);
    assert_eq!(std::fs::read(&dest).unwrap(), b"previous");
}

#[test]
fn retry_after_is_honoured() {
    let body = fixture("kev.json");
    let b = body.clone();
    let srv = Server::start(move |req, n| {
        if n == 0 {
            Reply::status(429).header("Retry-After", "1")
        } else {
            serve_file(req, &b, "\"k\"")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("kev.json");
    let t = Instant::now();
    // The backoff alone would wait 20 ms.
    let d = get(&fetcher(3), &format!("{}/kev.json", srv.base()), &dest).unwrap();
    let waited = t.elapsed();
    assert_eq!(d.attempts, 2);
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
}

#[test]
fn a_missing_file_is_final_and_not_retried() {
    let srv = Server::start(|_, _| Reply::status(404));
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/Nope/all.zip", srv.base());
    let e = get(&fetcher(5), &url, &dir.path().join("x.zip")).unwrap_err();
    assert!(
        matches!(&e, FetchError::Status { status: 404, url: u, .. } if *u == url),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        format!("{url}: the server answered HTTP 404 Not Found")
    );
    assert_eq!(srv.requests().len(), 1);
}

#[test]
fn a_refused_connection_is_retried_then_unreachable() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/kev.json");
    let e = get(&fetcher(2), &url, &dir.path().join("kev.json")).unwrap_err();
    assert!(
        matches!(&e, FetchError::Unreachable { attempts: 2, .. }),
        "{e:?}"
    );
}

fn nvd_page(start: usize, per_page: usize, total: usize) -> String {
    let n = per_page.min(total.saturating_sub(start));
    let vulns: Vec<String> = (start..start + n)
        .map(|i| format!(r#"{{"cve":{{"id":"CVE-2025-{:04}"}}}}"#, 1000 + i))
        .collect();
    format!(
        r#"{{"resultsPerPage":{n},"startIndex":{start},"totalResults":{total},"format":"NVD_CVE","version":"2.0","vulnerabilities":[{}]}}"#,
        vulns.join(",")
    )
}

#[test]
fn nvd_is_paged_with_its_parameters_and_the_api_key() {
    let srv = Server::start(|req, _| {
        let start: usize = req
            .query("startIndex")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let per: usize = req
            .query("resultsPerPage")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        Reply::status(200).body(nvd_page(start, per, 5))
    });
    let dir = tempfile::tempdir().unwrap();
    let nvd_dir = dir.path().join("nvd");
    std::fs::create_dir_all(&nvd_dir).unwrap();
    std::fs::write(nvd_dir.join("nvd-9.json"), "stale page of an earlier run").unwrap();
    let start = "2025-08-01T00:00:00Z".parse().unwrap();
    let end = "2025-08-25T12:00:00Z".parse().unwrap();
    let opts = NvdOptions::new(Some("k3y".into()))
        .with_page_size(2)
        .with_page_delay(Duration::from_millis(200))
        .modified_between(start, end);
    let base = format!("{}/rest/json/cves/2.0", srv.base());
    let t = Instant::now();
    let d = download_nvd(&fetcher(2), &base, &nvd_dir, &opts, &mut |_| {}).unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "two pauses between three pages"
    );

    assert_eq!(d.records, 5);
    let names: Vec<String> = d
        .pages
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["nvd-1.json", "nvd-2.json", "nvd-3.json"]);
    assert_eq!(
        riskmark_fetch::nvd_pages(&nvd_dir).unwrap(),
        d.pages,
        "stale page removed"
    );
    let reqs = srv.requests();
    let starts: Vec<&str> = reqs.iter().filter_map(|r| r.query("startIndex")).collect();
    assert_eq!(starts, ["0", "2", "4"]);
    for r in &reqs {
        assert_eq!(r.path(), "/rest/json/cves/2.0");
        assert_eq!(r.query("resultsPerPage"), Some("2"));
        assert_eq!(
            r.query("lastModStartDate"),
            Some("2025-08-01T00:00:00.000Z")
        );
        assert_eq!(r.query("lastModEndDate"), Some("2025-08-25T12:00:00.000Z"));
        assert_eq!(r.header("apikey"), Some("k3y"));
        assert_eq!(r.header("if-none-match"), None);
    }
}

#[test]
fn an_nvd_answer_that_is_not_a_cve_page_is_named() {
    let hits = std::sync::Arc::new(AtomicUsize::new(0));
    let h = std::sync::Arc::clone(&hits);
    let srv = Server::start(move |_, _| {
        h.fetch_add(1, Ordering::SeqCst);
        Reply::status(200).body("<html>maintenance</html>")
    });
    let dir = tempfile::tempdir().unwrap();
    let base = format!("{}/rest/json/cves/2.0", srv.base());
    let e = download_nvd(
        &fetcher(2),
        &base,
        dir.path(),
        &NvdOptions::new(None),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, FetchError::Protocol { .. }), "{e:?}");
    assert!(e.to_string().contains("not a CVE API 2.0 page"), "{e}");
    assert!(e.to_string().contains("startIndex=0"), "{e}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[test]
fn a_file_over_the_download_bound_is_refused_and_nothing_is_kept() {
    let body = fixture("PyPI-all.zip");
    let dir = tempfile::tempdir().unwrap();
    let max = body.len() as u64 / 2;
    let f = Fetcher::new(
        &Config::default()
            .with_retry(RetryPolicy {
                attempts: 3,
                initial_delay: Duration::from_millis(20),
                max_delay: Duration::from_millis(100),
                max_retry_after: Duration::from_secs(5),
            })
            .with_timeouts(Duration::from_secs(5), Duration::from_secs(5))
            .with_max_bytes(max),
    );
    // Announced by Content-Length, then sent with no length (the body ends at close).
    for no_length in [false, true] {
        let b = body.clone();
        let srv = Server::start(move |_, _| {
            let r = Reply::status(200).body(b.clone());
            if no_length { r.without_length() } else { r }
        });
        let dest = dir.path().join(format!("big-{no_length}.zip"));
        let url = format!("{}/PyPI/all.zip", srv.base());
        let e = get(&f, &url, &dest).unwrap_err();
        let m = e.to_string();
        assert!(matches!(e, FetchError::Protocol { .. }), "{m}");
        assert!(m.contains(&url), "{m}");
        assert!(
            m.contains(&format!("downloads larger than {max} bytes are refused")),
            "{m}"
        );
        // Refused once, not retried; no part is kept to resume.
        assert_eq!(srv.requests().len(), 1, "{m}");
        assert!(!dest.exists());
        assert!(
            !dir.path()
                .join(format!("big-{no_length}.zip.part"))
                .exists()
        );
    }
    // At the bound it downloads.
    let b = body.clone();
    let srv = Server::start(move |req, _| serve_file(req, &b, "\"v1\""));
    let f = Fetcher::new(&Config::default().with_max_bytes(body.len() as u64));
    let dest = dir.path().join("exact.zip");
    get(&f, &format!("{}/x.zip", srv.base()), &dest).unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
}
