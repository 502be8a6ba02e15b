//! `riskmark serve`: the registry over HTTP. A JSON API for manufacturers (and, next, labs)
//! and public pages that work without JavaScript, where a label's QR code leads.
//!
//! Routes (a contract; extend, don't rename):
//!
//! | method and path | who | what |
//! |---|---|---|
//! | `POST /api/v1/devices` | manufacturer token | a profile (+ SBOM, VEX) -> `201 {id, url, version, assessment, warnings}` |
//! | `GET /api/v1/devices?q=&category=&tier=&manufacturer=&page=&per_page=` | anyone | search |
//! | `GET /api/v1/devices/{id}` | anyone | current assessment, versions, attestations |
//! | `GET /api/v1/devices/{id}/label.json` | anyone | the current label (`riskmark/label/v1`) |
//! | `POST /api/v1/devices/{id}/attestations` | lab token | a signed statement (`riskmark attest`) -> `201`, the device re-assessed |
//! | `GET /d/{id}` | anyone | the public device page |
//! | `GET /api/v1/openapi.json` | anyone | the OpenAPI 3.1 document, generated from the types |
//! | `GET /` | anyone | search and browse |
//! | `GET /feed.atom`, `GET /d/{id}/feed.atom` | anyone | Atom feeds of new versions (submissions, attestations, re-assessments) |
//!
//! A submission is `multipart/form-data` (parts `profile`, `sbom`, `vex`; the profile
//! part's file name decides TOML or JSON) or JSON `{"profile": "<text>", "profile_name":
//! "x.toml", "sbom": <object or text>, "vex": [<object or text>]}`. Invalid documents
//! answer `422 {"errors": [{file, line, column, field, message}]}`, the problems the
//! command line prints. Every answer carries a strict Content-Security-Policy (no script
//! at all) and the usual headers; bodies are limited in size. The library never prints.

#![warn(missing_docs)]

mod api;
mod feed;
mod limit;
mod pages;

pub use limit::{Limits, Rate};

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use riskmark_registry::Registry;

/// The largest request body accepted (an SBOM of a large firmware fits).
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The registry.
    pub registry: Arc<Registry>,
    /// The rate limits.
    pub limits: Limits,
    buckets: Arc<limit::Buckets>,
    pages: Arc<pages::Cache>,
}

/// The application with the default rate limits.
pub fn app(registry: Arc<Registry>) -> Router {
    app_with(registry, Limits::default())
}

/// The application: every route, the security headers, the body and rate limits.
pub fn app_with(registry: Arc<Registry>, limits: Limits) -> Router {
    let state = AppState {
        registry,
        limits,
        buckets: Arc::default(),
        pages: Arc::default(),
    };
    Router::new()
        .route("/", get(pages::search))
        .route("/d/{id}", get(pages::device))
        .route("/feed.atom", get(feed::all))
        .route("/d/{id}/feed.atom", get(feed::device))
        .route("/static/site.css", get(pages::css))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/api/v1/devices", get(api::search).post(api::submit))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/devices/{id}", get(api::device))
        .route("/api/v1/devices/{id}/label.json", get(api::label))
        .route(
            "/api/v1/devices/{id}/attestations",
            axum::routing::post(api::attest),
        )
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limit::limit,
        ))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: HeaderName, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    r
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
///
/// # Errors
/// The listener fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    registry: Arc<Registry>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, registry, Limits::default(), shutdown).await
}

/// [`serve`] with the given rate limits.
///
/// # Errors
/// The listener fails.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    registry: Arc<Registry>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app_with(registry, limits).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// A cached answer as a response body without copying it (the API's device answer is
/// hundreds of kB; every request used to copy it).
pub(crate) fn shared_body(text: Arc<String>) -> axum::body::Bytes {
    struct Shared(Arc<String>);
    impl AsRef<[u8]> for Shared {
        fn as_ref(&self) -> &[u8] {
            self.0.as_bytes()
        }
    }
    axum::body::Bytes::from_owner(Shared(text))
}
