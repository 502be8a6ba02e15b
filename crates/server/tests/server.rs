//! The registry over real HTTP on an ephemeral loopback port, backed by a real SQLite
//! file and by a real PostgreSQL database: submissions (multipart and JSON), the authorization matrix, located 422s, public
//! pages, headers, and malformed bodies that never make it fail.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use riskmark_engine::Database;
use riskmark_registry::{Config, Location, Registry, Role};
use serde_json::{Value, json};

/// Where a test's registry is kept: a SQLite file, or a fresh PostgreSQL database.
enum Store {
    Sqlite(tempfile::TempDir),
    Postgres(riskmark_testdb::TestDatabase),
}

impl Store {
    fn location(&self) -> Location {
        match self {
            Self::Sqlite(dir) => Location::Sqlite(dir.path().join("registry.sqlite")),
            Self::Postgres(db) => Location::Postgres(db.url().to_owned()),
        }
    }
}

/// `fn name(store: Store)` as a `sqlite` and a `postgres` test (the latter skipped
/// visibly without a server, failing under `CI=true`).
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(super::Store::Sqlite(tempfile::tempdir().unwrap()));
            }
            #[test]
            fn postgres() {
                if let Some(db) = riskmark_testdb::TestDatabase::create() {
                    super::$name(super::Store::Postgres(db));
                }
            }
        }
    )*};
}

on_both!(
    a_manufacturer_registers_with_multipart_and_the_public_page_shows_it,
    json_submissions_and_located_errors,
    authorization_matrix,
    malformed_bodies_never_fail_the_server,
    rate_limits_answer_429,
);

struct Server {
    addr: SocketAddr,
    registry: Arc<Registry>,
    _store: Store,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start(store: Store) -> Server {
    start_with(store, riskmark_server::Limits::default())
}

fn start_with(store: Store, limits: riskmark_server::Limits) -> Server {
    let registry = Arc::new(
        Registry::open(Config {
            database: store.location(),
            vulndb: Database::Embedded,
            public_url: "http://registry.test".into(),
            sign_key: None,
        })
        .unwrap(),
    );
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let r = registry.clone();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(l.local_addr().unwrap()).unwrap();
            riskmark_server::serve_with(l, r, limits, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
    });
    Server {
        addr: addr_rx.recv().unwrap(),
        registry,
        _store: store,
        stop: Some(tx),
        thread: Some(thread),
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(name),
    )
    .unwrap()
}

/// A multipart/form-data body of (part name, file name, bytes).
fn multipart(parts: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "riskmark-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// (status, body) of a POST.
fn post(
    s: &Server,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> (u16, String) {
    let mut req = agent()
        .post(&format!("http://{}{path}", s.addr))
        .header("Content-Type", content_type);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let mut resp = req.send(body).unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

/// (status, headers as text, body) of a GET.
fn get(s: &Server, path: &str) -> (u16, String, String) {
    let mut resp = agent()
        .get(&format!("http://{}{path}", s.addr))
        .call()
        .unwrap();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| format!("{k}: {}\n", v.to_str().unwrap_or("")))
        .collect();
    (
        resp.status().as_u16(),
        headers,
        resp.body_mut().read_to_string().unwrap_or_default(),
    )
}

fn submit_plug(s: &Server, token: Option<&str>) -> (u16, String) {
    let (ct, body) = multipart(&[("profile", "smart-plug.toml", &example("smart-plug.toml"))]);
    post(s, "/api/v1/devices", token, &ct, &body)
}

fn a_manufacturer_registers_with_multipart_and_the_public_page_shows_it(store: Store) {
    let s = start(store);
    s.registry
        .create_org("Skyfield", Role::Manufacturer, "test")
        .unwrap();
    let token = s.registry.create_token("Skyfield", "test").unwrap();
    let (ct, body) = multipart(&[
        ("profile", "home-router.toml", &example("home-router.toml")),
        (
            "sbom",
            "fw.cdx.json",
            &example("sbom/home-router-firmware.cdx.json"),
        ),
        (
            "vex",
            "fw.openvex.json",
            &example("sbom/home-router-firmware.openvex.json"),
        ),
    ]);
    let (code, text) = post(&s, "/api/v1/devices", Some(&token), &ct, &body);
    assert_eq!(code, 201, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let id = v["id"].as_str().unwrap();
    assert_eq!(v["url"], format!("http://registry.test/d/{id}"));
    assert_eq!(v["version"], 1);
    assert!(v["assessment"]["vulnerabilities"]["findings"].is_array());

    let (code, headers, html) = get(&s, &format!("/d/{id}"));
    assert_eq!(code, 200);
    assert!(
        headers.contains("content-security-policy: default-src 'none'"),
        "{headers}"
    );
    assert!(headers.contains("x-content-type-options: nosniff"));
    assert!(!html.contains("<script"), "no script on public pages");
    assert!(!html.contains("null"), "no JSON leaks into the page");
    assert!(html.contains("need evidence"));
    for field in [
        "Skyfield AX3000 Home Router",
        "US Cyber Trust Mark registry fields",
        "Test lab",
        "How to change the default password",
        "Whether updates are automatic",
        "Minimum support end date",
        "Support ended on 2026-06-30",
        "Whether an SBOM or HBOM is maintained",
        "Known vulnerabilities",
        "Known exploited",
        "Version history",
    ] {
        assert!(html.contains(field), "{field} missing from the page");
    }
    // Known exploited first: the first row of the vulnerability table is KEV.
    let table = &html[html.find("id=\"vulnerabilities\"").unwrap()..];
    let first_row = &table[table.find("<tbody><tr>").unwrap()..];
    let first_row = &first_row[..first_row.find("</tr>").unwrap()];
    assert!(first_row.contains("Known exploited"), "{first_row}");

    let (code, _, json) = get(&s, &format!("/api/v1/devices/{id}"));
    assert_eq!(code, 200);
    let d: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(d["registered_by"], "Skyfield");
    assert_eq!(d["versions"].as_array().unwrap().len(), 1);
    let (code, _, label) = get(&s, &format!("/api/v1/devices/{id}/label.json"));
    assert_eq!(code, 200);
    let l: Value = serde_json::from_str(&label).unwrap();
    assert_eq!(l["registry_url"], format!("http://registry.test/d/{id}"));

    let (code, _, found) = get(&s, "/api/v1/devices?q=AX3000");
    assert_eq!(code, 200);
    assert_eq!(serde_json::from_str::<Value>(&found).unwrap()["total"], 1);
    let (code, _, page) = get(&s, "/?q=ax3000");
    assert_eq!(code, 200);
    assert!(
        page.contains(&format!("href=\"/d/{id}?lang=en\"")),
        "{page}"
    );
    let (code, _, _) = get(&s, "/d/nobody-nothing-00000000");
    assert_eq!(code, 404);
    // The page in German: its own words, the engine's English marked as such.
    let (code, _, de) = get(&s, &format!("/d/{id}?lang=de"));
    assert_eq!(code, 200);
    assert!(de.contains("<html lang=\"de\""), "{de}");
    for word in [
        "Registerfelder",
        "Warum diese Risikostufe",
        "Bekannte",
        "Von Laboren geprüft",
        "Versionen",
    ] {
        assert!(de.contains(word), "{word} missing from the German page");
    }
    assert!(
        de.contains("<li lang=\"en\">"),
        "English reasons are marked"
    );
    assert!(
        de.contains("hreflang=\"ja\""),
        "links to the other languages"
    );
    let (_, _, unknown) = get(&s, &format!("/d/{id}?lang=xx"));
    assert!(unknown.contains("<html lang=\"en\""));
    let (code, _, css) = get(&s, "/static/site.css");
    assert_eq!(code, 200);
    assert!(css.contains(".tier-critical"));
}

fn json_submissions_and_located_errors(store: Store) {
    let s = start(store);
    s.registry
        .create_org("Acme", Role::Manufacturer, "test")
        .unwrap();
    let token = s.registry.create_token("Acme", "test").unwrap();
    let body = json!({
        "profile_name": "plug.toml",
        "profile": String::from_utf8(example("smart-plug.toml")).unwrap(),
        "sbom": serde_json::from_slice::<Value>(&example("sbom/home-router-firmware.cdx.json")).unwrap(),
    });
    let (code, text) = post(
        &s,
        "/api/v1/devices",
        Some(&token),
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(code, 201, "{text}");

    let bad = String::from_utf8(example("smart-plug.toml"))
        .unwrap()
        .replace("units_in_market", "unit_in_market");
    let line = bad
        .lines()
        .position(|l| l.starts_with("unit_in_market"))
        .unwrap()
        + 1;
    let body = json!({"profile_name": "plug.toml", "profile": bad});
    let (code, text) = post(
        &s,
        "/api/v1/devices",
        Some(&token),
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(code, 422, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let e = &v["errors"][0];
    assert_eq!(e["file"], "plug.toml");
    assert_eq!(e["line"], line);
    assert_eq!(e["field"], "product.unit_in_market");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `units_in_market`")
    );

    // Not a submission at all, and an unknown content type.
    let (code, text) = post(
        &s,
        "/api/v1/devices",
        Some(&token),
        "application/json",
        b"{\"profile\": 3}",
    );
    assert_eq!(code, 422, "{text}");
    let (code, _) = post(&s, "/api/v1/devices", Some(&token), "text/plain", b"hello");
    assert_eq!(code, 422);
    let (ct, body) = multipart(&[("sbom", "x.json", b"{}")]);
    let (code, text) = post(&s, "/api/v1/devices", Some(&token), &ct, &body);
    assert_eq!(code, 422, "{text}");
    assert!(text.contains("a `profile` part is required"));
}

/// Every write route x {anonymous, bad token, other manufacturer, lab, owner}: only the
/// owner writes, and a refused write changes nothing.
fn authorization_matrix(store: Store) {
    let s = start(store);
    for (org, role) in [
        ("Owner", Role::Manufacturer),
        ("Other", Role::Manufacturer),
        ("Lab", Role::Lab),
    ] {
        s.registry.create_org(org, role, "test").unwrap();
    }
    let owner = s.registry.create_token("Owner", "test").unwrap();
    let other = s.registry.create_token("Other", "test").unwrap();
    let lab = s.registry.create_token("Lab", "test").unwrap();
    let (code, text) = submit_plug(&s, Some(&owner));
    assert_eq!(code, 201, "{text}");
    let id = serde_json::from_str::<Value>(&text).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoked = s.registry.create_token("Owner", "test").unwrap();
    s.registry.revoke_token(&revoked[4..16], "test").unwrap();
    let repl = if owner.ends_with('0') { '1' } else { '0' };
    let bad = format!("{}{repl}", &owner[..owner.len() - 1]);
    let matrix: [(&str, Option<&str>, u16); 6] = [
        ("anonymous", None, 401),
        ("malformed token", Some("rmk_nope"), 401),
        ("wrong secret", Some(&bad), 401),
        ("revoked token", Some(&revoked), 401),
        ("other manufacturer", Some(&other), 403),
        ("lab", Some(&lab), 403),
    ];
    for (who, token, want) in matrix {
        let (code, text) = submit_plug(&s, token);
        assert_eq!(code, want, "{who}: {text}");
    }
    assert_eq!(s.registry.device(&id).unwrap().versions.len(), 1);
    let (code, text) = submit_plug(&s, Some(&owner));
    assert_eq!(code, 201, "{text}");
    assert_eq!(s.registry.device(&id).unwrap().versions.len(), 2);
}

/// Bodies shaped by an attacker: never a 5xx (a panic or a storage failure).
fn malformed_bodies_never_fail_the_server(store: Store) {
    // Many writes in a row with one token: no rate limit here.
    let s = start_with(
        store,
        riskmark_server::Limits {
            per_ip: riskmark_server::Rate::OFF,
            writes_per_token: riskmark_server::Rate::OFF,
        },
    );
    s.registry
        .create_org("Acme", Role::Manufacturer, "test")
        .unwrap();
    let token = s.registry.create_token("Acme", "test").unwrap();
    let plug = example("smart-plug.toml");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..60 {
        // Mutate the profile: flip, drop and duplicate bytes.
        let mut b = plug.clone();
        for _ in 0..(1 + next() % 8) {
            let n = usize::try_from(next() % b.len() as u64).unwrap();
            match next() % 3 {
                0 => b[n] = u8::try_from(next() % 256).unwrap(),
                1 => {
                    b.remove(n);
                }
                _ => b.insert(n, b[n]),
            }
        }
        let (ct, body) = if i % 2 == 0 {
            multipart(&[("profile", "p.toml", &b)])
        } else {
            let mut raw = b.clone();
            raw.truncate(usize::try_from(next() % (raw.len() as u64)).unwrap());
            ("multipart/form-data; boundary=x".to_owned(), raw)
        };
        let (code, text) = post(&s, "/api/v1/devices", Some(&token), &ct, &body);
        assert!(code < 500, "case {i}: {code} {text}");
    }
    for junk in [&b"\xff\xfe\x00"[..], b"[]", b"{\"profile\":\"\"}", b"null"] {
        let (code, text) = post(
            &s,
            "/api/v1/devices",
            Some(&token),
            "application/json",
            junk,
        );
        assert_eq!(code, 422, "{text}");
    }
}

/// Over the rate limits: 429 with Retry-After, per address for every request and per
/// token for writes; other tokens still write.
fn rate_limits_answer_429(store: Store) {
    use riskmark_server::{Limits, Rate};
    let s = start_with(
        store,
        Limits {
            per_ip: Rate {
                per_second: 0.5,
                burst: 6.0,
            },
            writes_per_token: Rate {
                per_second: 0.01,
                burst: 2.0,
            },
        },
    );
    s.registry
        .create_org("Acme", Role::Manufacturer, "test")
        .unwrap();
    let a = s.registry.create_token("Acme", "test").unwrap();
    let b = s.registry.create_token("Acme", "test").unwrap();
    assert_eq!(submit_plug(&s, Some(&a)).0, 201);
    assert_eq!(submit_plug(&s, Some(&a)).0, 201);
    let (code, text) = submit_plug(&s, Some(&a));
    assert_eq!(code, 429, "{text}");
    assert!(text.contains("with this token"), "{text}");
    assert_eq!(
        submit_plug(&s, Some(&b)).0,
        201,
        "another token still writes"
    );
    // Four POSTs used four of this address's six; two GETs pass, then 429.
    let codes: Vec<u16> = (0..4).map(|_| get(&s, "/healthz").0).collect();
    assert_eq!(codes, [200, 200, 429, 429]);
    let resp = agent()
        .get(&format!("http://{}/healthz", s.addr))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().get("retry-after").is_some());
}
