//! The JSON API.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use riskmark_registry::{Error, Org, Problem, Submission};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;

/// A registry error as an HTTP answer.
pub(crate) struct ApiError(pub(crate) Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

pub(crate) fn status(e: &Error) -> StatusCode {
    match e {
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Unauthorized => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = status(&self.0);
        let body = match &self.0 {
            Error::Invalid(problems) => json!({"error": self.0.to_string(), "errors": problems}),
            e => json!({"error": e.to_string()}),
        };
        let mut r = (code, Json(body)).into_response();
        if code == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"riskmark\""),
            );
        }
        r
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError(Error::Invalid(vec![Problem {
        file: "request".into(),
        line: 0,
        column: 0,
        field: Some(field.into()),
        message: message.into(),
    }]))
}

/// Runs registry work (SQLite, the engine) off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError(Error::Internal(format!("worker: {e}"))))?
        .map_err(ApiError)
}

/// The organization of the request's `Authorization: Bearer` token.
async fn org(state: &AppState, headers: &HeaderMap) -> Result<Org, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError(Error::Unauthorized))?
        .to_owned();
    let r = state.registry.clone();
    blocking(move || r.authenticate(&token)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSubmission {
    profile: String,
    #[serde(default)]
    profile_name: Option<String>,
    #[serde(default)]
    sbom: Option<Value>,
    #[serde(default)]
    vex: Vec<Value>,
}

/// A document sent inline: text as it is, anything else as its JSON.
fn document(v: Value) -> Vec<u8> {
    match v {
        Value::String(s) => s.into_bytes(),
        other => other.to_string().into_bytes(),
    }
}

async fn from_multipart(mut m: Multipart) -> Result<Submission, ApiError> {
    let mut s = Submission::default();
    let mut have_profile = false;
    loop {
        let field = m
            .next_field()
            .await
            .map_err(|e| invalid("multipart", e.body_text()))?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| invalid(&name, e.body_text()))?
            .to_vec();
        match name.as_str() {
            "profile" => {
                s.profile_name = file_name.unwrap_or_else(|| "profile.toml".into());
                s.profile = bytes;
                have_profile = true;
            }
            "sbom" => s.sbom = Some(bytes),
            "vex" => s.vex.push(bytes),
            other => {
                return Err(invalid(
                    other,
                    format!("unknown part `{other}`: send `profile`, `sbom` and `vex` parts"),
                ));
            }
        }
    }
    if !have_profile {
        return Err(invalid("profile", "a `profile` part is required"));
    }
    Ok(s)
}

/// `POST /api/v1/devices`
pub(crate) async fn submit(
    State(state): State<AppState>,
    req: Request,
) -> Result<Response, ApiError> {
    let org = org(&state, req.headers()).await?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let submission = if content_type.starts_with("multipart/form-data") {
        let m = Multipart::from_request(req, &state)
            .await
            .map_err(|e| invalid("body", e.body_text()))?;
        from_multipart(m).await?
    } else if content_type.starts_with("application/json") {
        let bytes = axum::body::Bytes::from_request(req, &state)
            .await
            .map_err(|e| invalid("body", e.body_text()))?;
        let j: JsonSubmission = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError(Error::Invalid(vec![Problem {
                file: "request".into(),
                line: e.line(),
                column: e.column(),
                field: None,
                message: format!("not a submission: {e}"),
            }]))
        })?;
        Submission {
            profile_name: j.profile_name.unwrap_or_else(|| "profile.toml".into()),
            profile: j.profile.into_bytes(),
            sbom: j.sbom.map(document),
            vex: j.vex.into_iter().map(document).collect(),
        }
    } else {
        return Err(invalid(
            "content-type",
            "send multipart/form-data (profile, sbom, vex parts) or application/json",
        ));
    };
    let r = state.registry.clone();
    let today = riskmark_engine::today();
    let done = blocking(move || r.submit(&org, &submission, today)).await?;
    let mut resp = (StatusCode::CREATED, Json(&done)).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&format!("/api/v1/devices/{}", done.id)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// `POST /api/v1/devices/{id}/attestations`: a lab's signed statement (a DSSE envelope,
/// `riskmark attest`).
pub(crate) async fn attest(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let org = org(&state, &headers).await?;
    let r = state.registry.clone();
    let today = riskmark_engine::today();
    let done = blocking(move || r.attest(&org, &id, &body, today)).await?;
    Ok((StatusCode::CREATED, Json(&done)).into_response())
}

/// Search parameters.
#[derive(Debug, Deserialize)]
pub(crate) struct SearchParams {
    pub(crate) q: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) tier: Option<String>,
    pub(crate) manufacturer: Option<String>,
    pub(crate) page: Option<u32>,
    pub(crate) per_page: Option<u32>,
}

impl SearchParams {
    pub(crate) fn query(self) -> riskmark_registry::Query {
        riskmark_registry::Query {
            q: self.q,
            category: self.category,
            tier: self.tier,
            manufacturer: self.manufacturer,
            page: self.page.unwrap_or(1),
            per_page: self.per_page.unwrap_or(20),
        }
    }
}

/// `GET /api/v1/devices`
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let r = state.registry.clone();
    let page = blocking(move || r.search(&p.query())).await?;
    Ok(Json(page).into_response())
}

/// `GET /api/v1/devices/{id}`
pub(crate) async fn device(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let r = state.registry.clone();
    let d = blocking(move || r.device(&id)).await?;
    Ok(Json(d).into_response())
}

/// `GET /api/v1/devices/{id}/label.json`
pub(crate) async fn label(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let r = state.registry.clone();
    let text = blocking(move || r.label(&id)).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// Anything else.
pub(crate) async fn not_found() -> ApiError {
    ApiError(Error::NotFound("this page".into()))
}
