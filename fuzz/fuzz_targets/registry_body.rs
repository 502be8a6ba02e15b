//! Registry request bodies: a device submission (`POST /api/v1/devices`) through the
//! real router (axum's extractors, multipart and JSON parsing, the registry's validation,
//! the engine, storage in a temporary SQLite registry). Whatever the body, the answer is
//! below 500 (201, 413, or a 4xx naming the problem): a panic or an internal error is a
//! finding.
//!
//! The first byte chooses the framing: the rest sent raw as multipart/form-data (boundary
//! `B`) or JSON, or split at 0xFF bytes into multipart parts whose first byte picks the
//! part's name (profile, sbom, vex, firmware, or an unknown one).
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

struct Env {
    rt: tokio::runtime::Runtime,
    app: axum::Router,
    token: String,
    _dir: tempfile::TempDir,
}

static ENV: OnceLock<Env> = OnceLock::new();

fn env() -> &'static Env {
    ENV.get_or_init(|| {
        // In memory where there is a tmpfs: a commit's fsync would be most of the time.
        let dir = tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .expect("tempdir");
        let registry = riskmark_registry::Registry::open(riskmark_registry::Config {
            database: riskmark_registry::Location::Sqlite(dir.path().join("registry.sqlite")),
            vulndb: riskmark_engine::Database::Embedded,
            public_url: "http://registry.test".into(),
            sign_key: None,
        })
        .expect("registry");
        registry
            .create_org("Acme", riskmark_registry::Role::Manufacturer, "fuzz")
            .expect("org");
        let token = registry.create_token("Acme", "fuzz").expect("token");
        let app = riskmark_server::app_with(
            Arc::new(registry),
            riskmark_server::Limits {
                per_ip: riskmark_server::Rate::OFF,
                writes_per_token: riskmark_server::Rate::OFF,
            },
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Env {
            rt,
            app,
            token,
            _dir: dir,
        }
    })
}

const NAMES: [&str; 5] = ["profile", "sbom", "vex", "firmware", "x"];

fn multipart(data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in data.split(|&b| b == 0xFF) {
        let (name, bytes) = match part.split_first() {
            Some((n, rest)) => (NAMES[usize::from(*n) % NAMES.len()], rest),
            None => ("profile", part),
        };
        body.extend_from_slice(
            format!(
                "--B\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.toml\"\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--B--\r\n");
    body
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let (content_type, body) = match mode % 3 {
        0 => ("multipart/form-data; boundary=B", rest.to_vec()),
        1 => ("application/json", rest.to_vec()),
        _ => ("multipart/form-data; boundary=B", multipart(rest)),
    };
    let e = env();
    let req = Request::post("/api/v1/devices")
        .header("content-type", content_type)
        .header("authorization", format!("Bearer {}", e.token))
        .body(Body::from(body))
        .expect("request");
    let (status, text) = e.rt.block_on(async {
        let resp = e.app.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    });
    assert!(
        status < StatusCode::INTERNAL_SERVER_ERROR,
        "HTTP {status}: {text}"
    );
});
