//! The registry as a manufacturer and a consumer meet it: `riskmark registry` creates the
//! organization and token, `riskmark serve` runs, curl registers the device, the label's
//! QR code (printed with `--registry-url` at the server) decodes to the page's URL, and
//! that page and the search open in headless Chromium without console errors. On SQLite
//! and on PostgreSQL; two servers over one database share the re-evaluation work.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

mod common;
use common::{command_in, have, root};

/// A running `riskmark serve`, stopped (SIGTERM, graceful) on drop.
struct Serve {
    child: Child,
    base: String,
}

impl Serve {
    fn start(home: &Path, database: impl AsRef<std::ffi::OsStr>) -> Self {
        Self::start_with(home, database, &[])
    }

    fn start_with(home: &Path, database: impl AsRef<std::ffi::OsStr>, extra: &[&str]) -> Self {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("riskmark"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database"])
            .arg(database.as_ref())
            .args(extra)
            .env("RISKMARK_DB", home)
            .env_remove("XDG_DATA_HOME")
            .current_dir(root())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        // Keep reading what the server says, so that its stderr stays open.
        std::thread::spawn(move || for _ in lines {});
        let base = first
            .strip_prefix("riskmark registry on ")
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .to_owned();
        Self { child, base }
    }

    /// Stops the server with SIGTERM; returns its exit code.
    fn stop(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        self.child.wait().unwrap().code()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn riskmark(home: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = command_in(home).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Creates the manufacturer `Acme` in the registry database `db` and returns a new API
/// token of it.
fn manufacturer_token(home: &Path, db: &str) -> String {
    let (code, _, err) = riskmark(
        home,
        &[
            "registry",
            "org",
            "create",
            "Acme",
            "--role",
            "manufacturer",
            "--database",
            db,
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, token, err) = riskmark(
        home,
        &[
            "registry",
            "token",
            "create",
            "--org",
            "Acme",
            "--database",
            db,
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    token.trim().to_owned()
}

fn curl(args: &[&str]) -> String {
    let out = Command::new("curl")
        .args(["-sS", "--fail-with-body"])
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let body = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "curl {args:?}: {body} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    body
}

/// Where a test's registry is kept: a SQLite file, or a fresh PostgreSQL database.
enum Store {
    Sqlite(tempfile::TempDir),
    Postgres(riskmark_testdb::TestDatabase),
}

impl Store {
    /// `--database`'s argument.
    fn arg(&self) -> String {
        match self {
            Self::Sqlite(dir) => dir.path().join("registry.sqlite").display().to_string(),
            Self::Postgres(db) => db.url().to_owned(),
        }
    }
}

/// `fn name(store: &Store)` as a `sqlite` and a `postgres` test.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&super::Store::Sqlite(tempfile::tempdir().unwrap()));
            }
            #[test]
            fn postgres() {
                if let Some(db) = riskmark_testdb::TestDatabase::create() {
                    super::$name(&super::Store::Postgres(db));
                }
            }
        }
    )*};
}

on_both!(
    a_device_registered_with_curl_is_where_its_label_qr_leads,
    two_servers_reassess_once_and_both_pages_and_feeds_change,
    kill_9_during_submissions_loses_nothing_committed,
);

fn a_device_registered_with_curl_is_where_its_label_qr_leads(store: &Store) {
    if !have("curl") || !have("zbarimg") || !have("chromium") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = store.arg();
    let db_arg = db.as_str();
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "registry",
            "org",
            "create",
            "Skyfield",
            "--role",
            "manufacturer",
            "--database",
            db_arg,
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, token, err) = riskmark(
        home.path(),
        &[
            "registry",
            "token",
            "create",
            "--org",
            "Skyfield",
            "--database",
            db_arg,
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let token = token.trim().to_owned();
    assert!(
        token.starts_with("rmk_") && err.contains("shown only now"),
        "{err}"
    );

    let server = Serve::start(home.path(), &db);
    let body = curl(&[
        "-H",
        &format!("Authorization: Bearer {token}"),
        "-F",
        "profile=@examples/home-router.toml",
        "-F",
        "sbom=@examples/sbom/home-router-firmware.cdx.json",
        &format!("{}/api/v1/devices", server.base),
    ]);
    let v: Value = serde_json::from_str(&body).unwrap();
    let url = v["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&server.base), "{url}");

    // The label printed for this registry: its QR code is the device's page.
    let out = dir.path().join("label");
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "label",
            "examples/home-router.toml",
            "--out",
            out.to_str().unwrap(),
            "--registry-url",
            &format!("{}/d/", server.base),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let z = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(out.join("label.png"))
        .output()
        .unwrap();
    assert!(z.status.success());
    assert_eq!(String::from_utf8_lossy(&z.stdout).trim(), url);

    common::chromium_sees_console_errors(dir.path());
    let (dom, console) = common::chromium_url(&url);
    assert_eq!(console, Vec::<String>::new(), "{url}");
    assert!(
        dom.contains("Skyfield AX3000 Home Router")
            && dom.contains("US Cyber Trust Mark registry fields")
    );
    let (dom, console) = common::chromium_url(&format!("{}/?q=AX3000", server.base));
    assert_eq!(console, Vec::<String>::new());
    assert!(
        dom.contains(&format!(
            "href=\"/d/{}?lang=en\"",
            v["id"].as_str().unwrap()
        )),
        "{dom}"
    );

    // A lab registers its key, signs what it verified, and posts it: the page names it.
    let id = v["id"].as_str().unwrap();
    let key = dir.path().join("lab");
    let key_s = key.to_str().unwrap();
    for args in [
        &[
            "registry",
            "org",
            "create",
            "Test Lab",
            "--role",
            "lab",
            "--database",
            db_arg,
        ][..],
        &["keygen", "--out", key_s][..],
        &[
            "registry",
            "key",
            "add",
            "--org",
            "Test Lab",
            "--pub",
            &format!("{key_s}.pub"),
            "--database",
            db_arg,
        ][..],
    ] {
        let (code, _, err) = riskmark(home.path(), args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
    let (code, lab_token, err) = riskmark(
        home.path(),
        &[
            "registry",
            "token",
            "create",
            "--org",
            "Test Lab",
            "--database",
            db_arg,
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, envelope, err) = riskmark(
        home.path(),
        &[
            "attest",
            id,
            "--lab",
            "Test Lab",
            "--check",
            "default-password-universal=pass:report TR-2026-113 section 4.2",
            "--key",
            &format!("{key_s}.key"),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let att = dir.path().join("attestation.json");
    std::fs::write(&att, envelope).unwrap();
    let body = curl(&[
        "-H",
        &format!("Authorization: Bearer {}", lab_token.trim()),
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        &format!("@{}", att.display()),
        &format!("{}/api/v1/devices/{id}/attestations", server.base),
    ]);
    let a: Value = serde_json::from_str(&body).unwrap();
    let pw = a["assessment"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "default-password-universal")
        .unwrap();
    assert_eq!(pw["evidence"], "verified", "{pw}");
    let (dom, console) = common::chromium_url(&url);
    assert_eq!(console, Vec::<String>::new());
    assert!(dom.contains("Verified by labs") && dom.contains("report TR-2026-113 section 4.2"));
    assert!(dom.contains("attested by Test Lab"));

    // SIGTERM: the server finishes and exits cleanly.
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn registry_commands_refuse_what_they_cannot_do() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let db = db.to_str().unwrap();
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "registry",
            "token",
            "create",
            "--org",
            "Nobody",
            "--database",
            db,
        ],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("organization `Nobody` not found"), "{err}");
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "registry",
            "org",
            "create",
            "Acme",
            "--role",
            "lab",
            "--database",
            "postgres://riskmark:hunter2@127.0.0.1:1/x",
        ],
    );
    // A PostgreSQL server that does not answer: named, without its password.
    assert_eq!(code, Some(2));
    assert!(
        err.contains("postgres://riskmark@127.0.0.1:1/x") && err.contains("connect"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "registry",
            "org",
            "create",
            "Acme",
            "--role",
            "lab",
            "--database",
            "http://x/y",
        ],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("neither a PostgreSQL URL"), "{err}");
    for _ in 0..2 {
        riskmark(
            home.path(),
            &[
                "registry",
                "org",
                "create",
                "Acme",
                "--role",
                "lab",
                "--database",
                db,
            ],
        );
    }
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "registry",
            "org",
            "create",
            "Acme",
            "--role",
            "lab",
            "--database",
            db,
        ],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("exists already"), "{err}");
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "registry",
            "token",
            "revoke",
            "0123456789ab",
            "--database",
            db,
        ],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("not found"), "{err}");
    let (code, _, err) = riskmark(
        home.path(),
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            db,
            "--db",
            dir.path().join("none").to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("no vulnerability database"), "{err}");
}

/// `riskmark db import` of a new advisory into the server's vulnerability database:
/// the running server notices, re-assesses the device whose SBOM has the package, and
/// its page and feeds show the change.
/// After `riskmark db import`, two servers over one registry database (each looking at
/// the vulnerability database every second) re-assess the affected devices: the change is
/// queued once, each job is done by one server, both servers' pages and feeds show it,
/// and a device without the package is left alone.
fn two_servers_reassess_once_and_both_pages_and_feeds_change(store: &Store) {
    if !have("curl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vulndb = dir.path().join("vulndb");
    let old = dir.path().join("old.json");
    std::fs::write(
        &old,
        r#"{"id":"TEST-OLD","modified":"2024-01-01T00:00:00Z","aliases":[],
            "affected":[{"package":{"ecosystem":"PyPI","name":"unrelated"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#,
    )
    .unwrap();
    let vulndb_s = vulndb.to_str().unwrap();
    let (code, _, err) = riskmark(
        home.path(),
        &["db", "import", old.to_str().unwrap(), "--db", vulndb_s],
    );
    assert_eq!(code, Some(0), "{err}");
    let db = store.arg();
    let db_arg = db.as_str();
    let token = manufacturer_token(home.path(), db_arg);
    let sbom = |name: &str, components: &str| {
        let f = dir.path().join(name);
        std::fs::write(
            &f,
            format!(
                r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{components}]}}"#
            ),
        )
        .unwrap();
        f
    };
    let jinja = sbom(
        "jinja.cdx.json",
        r#"{"type":"library","name":"jinja2","version":"2.10","purl":"pkg:pypi/jinja2@2.10"}"#,
    );
    let other = sbom(
        "other.cdx.json",
        r#"{"type":"library","name":"requests","version":"2.0.0","purl":"pkg:pypi/requests@2.0.0"}"#,
    );
    let watch = ["--reevaluate-every", "1", "--db", vulndb_s];
    let (a, b) = (
        Serve::start_with(home.path(), db_arg, &watch),
        Serve::start_with(home.path(), db_arg, &watch),
    );
    let submit = |server: &Serve, profile: &str, sbom: &Path| -> String {
        let body = curl(&[
            "-H",
            &format!("Authorization: Bearer {}", token.trim()),
            "-F",
            &format!("profile=@{profile}"),
            "-F",
            &format!("sbom=@{}", sbom.display()),
            &format!("{}/api/v1/devices", server.base),
        ]);
        let v: Value = serde_json::from_str(&body).unwrap();
        v["id"].as_str().unwrap().to_owned()
    };
    // Two devices with jinja2, one registered through each server; one without.
    let plug = submit(&a, "examples/smart-plug.toml", &jinja);
    let bulb = submit(&b, "examples/smart-bulb.toml", &jinja);
    let cam = submit(&a, "examples/baby-monitor.toml", &other);
    let page = curl(&[&format!("{}/d/{plug}", b.base)]);
    assert!(
        page.contains("No known vulnerabilities in the listed components"),
        "{page}"
    );

    let new = dir.path().join("new.json");
    std::fs::write(
        &new,
        r#"{"id":"TEST-JINJA-1","modified":"2026-12-01T00:00:00Z","aliases":[],
            "summary":"template injection","database_specific":{"severity":"HIGH"},
            "affected":[{"package":{"ecosystem":"PyPI","name":"jinja2"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.11"}]}]}]}"#,
    )
    .unwrap();
    let (code, _, err) = riskmark(
        home.path(),
        &["db", "import", new.to_str().unwrap(), "--db", vulndb_s],
    );
    assert_eq!(code, Some(0), "{err}");
    // The servers look every second; give them a bounded while.
    let jobs = || -> Vec<Value> {
        let (code, out, err) = riskmark(
            home.path(),
            &["registry", "jobs", "--database", db_arg, "--format", "json"],
        );
        assert_eq!(code, Some(0), "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let mut done = Vec::new();
    for _ in 0..60 {
        done = jobs();
        if done.len() == 2 && done.iter().all(|j| !j["done_at"].is_null()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    // One job per affected device, each claimed once and done once.
    let mut devices: Vec<&str> = done
        .iter()
        .map(|j| j["device_id"].as_str().unwrap())
        .collect();
    devices.sort_unstable();
    let mut want = vec![plug.as_str(), bulb.as_str()];
    want.sort_unstable();
    assert_eq!(devices, want, "{done:#?}");
    for j in &done {
        assert_eq!(j["claims"], 1, "{j}");
        assert_eq!(j["outcome"], "changed", "{j}");
        assert_eq!(j["reason"], "PyPI/jinja2", "{j}");
    }
    let (code, text, _) = riskmark(home.path(), &["registry", "jobs", "--database", db_arg]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("changed at ") && text.contains("(PyPI/jinja2)"),
        "{text}"
    );

    // A server serves a page it checked within the last second without asking the
    // database again: another server's change shows within that second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for server in [&a, &b] {
        for id in [&plug, &bulb] {
            let feed = curl(&[&format!("{}/d/{id}/feed.atom", server.base)]);
            assert!(
                feed.contains("re-assessed: advisories changed for PyPI/jinja2"),
                "{feed}"
            );
            assert!(
                feed.starts_with("<?xml")
                    && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
            );
            let page = curl(&[&format!("{}/d/{id}", server.base)]);
            assert!(
                page.contains("TEST-JINJA-1") && page.contains("jinja2@2.10"),
                "{page}"
            );
            let api: Value =
                serde_json::from_str(&curl(&[&format!("{}/api/v1/devices/{id}", server.base)]))
                    .unwrap();
            assert_eq!(api["versions"].as_array().unwrap().len(), 2, "{api}");
        }
        let all = curl(&[&format!("{}/feed.atom", server.base)]);
        assert!(all.contains(&format!("/d/{plug}#v2")), "{all}");
        let api: Value =
            serde_json::from_str(&curl(&[&format!("{}/api/v1/devices/{cam}", server.base)]))
                .unwrap();
        assert_eq!(api["versions"].as_array().unwrap().len(), 1, "{api}");
    }
    assert_eq!(a.stop(), Some(0));
    assert_eq!(b.stop(), Some(0));
}

/// `kill -9` while devices are being submitted: every submission that was answered 201
/// is there after a restart, and no device is half-written (each one's page and versions
/// answer).
fn kill_9_during_submissions_loses_nothing_committed(store: &Store) {
    if !have("curl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let db = store.arg();
    let db_arg = db.as_str();
    let token = manufacturer_token(home.path(), db_arg);
    let text = std::fs::read_to_string(root().join("examples/smart-plug.toml")).unwrap();
    let server = Serve::start(home.path(), &db);
    let base = server.base.clone();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let submitter = std::thread::spawn(move || {
        for i in 0..200 {
            let profile = text.replace("model = \"SP-100\"", &format!("model = \"SP-{i}\""));
            let body =
                serde_json::json!({"profile_name": "p.toml", "profile": profile}).to_string();
            let out = Command::new("curl")
                .args(["-sS", "-o", "-", "-w", "\n%{http_code}", "-H"])
                .arg(format!("Authorization: Bearer {token}"))
                .args([
                    "-H",
                    "Content-Type: application/json",
                    "--data-binary",
                    &body,
                ])
                .arg(format!("{base}/api/v1/devices"))
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            if text.ends_with("201") {
                let v: Value = serde_json::from_str(text.rsplit_once('\n').unwrap().0).unwrap();
                if tx.send(v["id"].as_str().unwrap().to_owned()).is_err() {
                    return;
                }
            } else {
                return; // the server is gone
            }
        }
    });
    // Let some submissions land, then kill the server hard.
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 8 {
        acknowledged.push(rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap());
    }
    let mut child = server;
    let pid = child.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-9", &pid])
            .status()
            .unwrap()
            .success()
    );
    let _ = child.child.wait();
    submitter.join().unwrap();
    acknowledged.extend(rx.try_iter());

    let again = Serve::start(home.path(), &db);
    let list: Value = serde_json::from_str(&curl(&[&format!(
        "{}/api/v1/devices?per_page=100",
        again.base
    )]))
    .unwrap();
    let stored: Vec<&str> = list["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    for id in &acknowledged {
        assert!(
            stored.contains(&id.as_str()),
            "{id} was acknowledged and is gone"
        );
    }
    for id in &stored {
        let d: Value =
            serde_json::from_str(&curl(&[&format!("{}/api/v1/devices/{id}", again.base)])).unwrap();
        assert_eq!(d["versions"].as_array().unwrap().len(), 1, "{id}");
        assert!(
            d["assessment"]["risk"]["score"].is_u64(),
            "{id}: a whole assessment"
        );
    }
    assert!(stored.len() >= acknowledged.len());
    assert_eq!(again.stop(), Some(0));
}

/// schemathesis generates requests from the OpenAPI document (GET /api/v1/openapi.json)
/// and checks the live server's answers against it: no server error, documented status
/// codes, content types and response schemas (a bounded number of examples).
#[test]
fn the_api_conforms_to_its_openapi_document() {
    let st = Path::new("/opt/riskmark-ref/schemathesis/bin/schemathesis");
    if !st.is_file() {
        common::missing("schemathesis (run .ci/setup.d/schemathesis.sh)");
        return;
    }
    if !have("curl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let db_arg = db.to_str().unwrap();
    let token = manufacturer_token(home.path(), db_arg);
    let server = Serve::start_with(
        home.path(),
        &db,
        &["--rate-limit-ip", "0", "--rate-limit-writes", "0"],
    );
    curl(&[
        "-H",
        &format!("Authorization: Bearer {token}"),
        "-F",
        "profile=@examples/smart-plug.toml",
        &format!("{}/api/v1/devices", server.base),
    ]);
    let doc: Value =
        serde_json::from_str(&curl(&[&format!("{}/api/v1/openapi.json", server.base)])).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/devices"]["post"].is_object());
    let out = Command::new(st)
        .args(["run", &format!("{}/api/v1/openapi.json", server.base)])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args(["--max-examples", "15", "--seed", "1"])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("passed"), "{report}");
    assert_eq!(server.stop(), Some(0));
}

/// `riskmark serve --sign-key`: the label.json the API serves is signed with the
/// registry's key, and `riskmark verify` accepts it with the public key.
#[test]
fn the_served_label_verifies_with_the_registry_key() {
    if !have("curl") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let db_arg = db.to_str().unwrap();
    let key = dir.path().join("registry");
    riskmark(home.path(), &["keygen", "--out", key.to_str().unwrap()]);
    let token = manufacturer_token(home.path(), db_arg);
    let server = Serve::start_with(
        home.path(),
        &db,
        &["--sign-key", &format!("{}.key", key.display())],
    );
    let body = curl(&[
        "-H",
        &format!("Authorization: Bearer {}", token.trim()),
        "-F",
        "profile=@examples/smart-plug.toml",
        &format!("{}/api/v1/devices", server.base),
    ]);
    let id = serde_json::from_str::<Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let label = dir.path().join("label.json");
    std::fs::write(
        &label,
        curl(&[&format!("{}/api/v1/devices/{id}/label.json", server.base)]),
    )
    .unwrap();
    let (code, out, err) = riskmark(
        home.path(),
        &[
            "verify",
            label.to_str().unwrap(),
            "--pub",
            &format!("{}.pub", key.display()),
        ],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("valid signature"), "{out}");
    assert_eq!(server.stop(), Some(0));
}
