//! The JSON API.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use riskmark_registry::{Error, Org, Problem, Submission};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;

/// A registry error as an HTTP answer; or a request body past [`crate::BODY_LIMIT`].
pub(crate) enum ApiError {
    /// What the registry said.
    Registry(Error),
    /// The body is larger than the registry accepts (413).
    TooLarge,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self::Registry(e)
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

impl ApiError {
    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::Registry(e) => status(e),
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    /// The message for people.
    pub(crate) fn message(&self) -> String {
        match self {
            Self::Registry(e) => e.to_string(),
            Self::TooLarge => format!(
                "the request body is larger than the registry accepts ({} MiB)",
                crate::BODY_LIMIT >> 20
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.status();
        let body = match &self {
            Self::Registry(Error::Invalid(problems)) => {
                json!({"error": self.message(), "errors": problems})
            }
            e => json!({"error": e.message()}),
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
    ApiError::Registry(Error::invalid("request", Some(field), message))
}

/// A body that could not be read: past the limit (413), or not what its content type
/// says (422, naming the part).
fn unreadable(field: &str, status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge
    } else {
        invalid(field, text)
    }
}

/// Runs registry work (SQLite, the engine) off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Registry(Error::Internal(format!("worker: {e}"))))?
        .map_err(ApiError::Registry)
}

/// The organization of the request's `Authorization: Bearer` token.
async fn org(state: &AppState, headers: &HeaderMap) -> Result<Org, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError::Registry(Error::Unauthorized))?
        .to_owned();
    let r = state.registry.clone();
    blocking(move || r.authenticate(&token)).await
}

/// A submission with the documents inline.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct JsonSubmission {
    /// The device profile, TOML or JSON text.
    profile: String,
    /// Its file name (`x.toml`, `x.json`), for messages and to tell the syntax.
    #[serde(default)]
    profile_name: Option<String>,
    /// The SBOM: a JSON document, or the text of one.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    sbom: Option<Value>,
    /// VEX documents (OpenVEX, CycloneDX, CSAF).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    vex: Vec<Value>,
}

/// A submission as multipart/form-data parts.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct MultipartSubmission {
    /// The device profile file (TOML or JSON; its file name tells which).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    profile: String,
    /// The SBOM file.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    sbom: Option<String>,
    /// VEX files (the part may repeat).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    vex: Option<Vec<String>>,
    /// A firmware image: analysed by the registry (its SBOM is used when no `sbom` part
    /// is sent; its weaknesses become verified verdicts); not stored.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    firmware: Option<String>,
}

/// An error answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    /// What went wrong.
    error: String,
    /// Every located problem (422).
    errors: Option<Vec<Problem>>,
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
            .map_err(|e| unreadable("multipart", e.status(), e.body_text()))?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| unreadable(&name, e.status(), e.body_text()))?
            .to_vec();
        match name.as_str() {
            "profile" => {
                s.profile_name = file_name.unwrap_or_else(|| "profile.toml".into());
                s.profile = bytes;
                have_profile = true;
            }
            "sbom" => s.sbom = Some(bytes),
            "vex" => s.vex.push(bytes),
            "firmware" => s.firmware = Some(bytes),
            other => {
                return Err(invalid(
                    other,
                    format!(
                        "unknown part `{other}`: send `profile`, `sbom`, `vex` and `firmware` parts"
                    ),
                ));
            }
        }
    }
    if !have_profile {
        return Err(invalid("profile", "a `profile` part is required"));
    }
    Ok(s)
}

/// Register a device, or a new version of one: a profile (TOML or JSON) with an optional
/// SBOM and VEX, assessed by the one engine.
#[utoipa::path(post, path = "/api/v1/devices", tag = "devices",
    request_body(
        content(
            (JsonSubmission = "application/json"),
            (MultipartSubmission = "multipart/form-data"),
        ),
    ),
    security(("token" = [])),
    responses(
        (status = 201, description = "Registered: the new version", body = riskmark_registry::Submitted),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not a manufacturer, or another manufacturer's device", body = ErrorBody),
        (status = 413, description = "Body larger than 32 MiB", body = ErrorBody),
        (status = 422, description = "The documents are not valid: every located problem", body = ErrorBody),
        (status = 429, description = "Over a rate limit", body = ErrorBody),
    ))]
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
            .map_err(|e| unreadable("body", e.status(), e.body_text()))?;
        from_multipart(m).await?
    } else if content_type.starts_with("application/json") {
        let bytes = axum::body::Bytes::from_request(req, &state)
            .await
            .map_err(|e| unreadable("body", e.status(), e.body_text()))?;
        let j: JsonSubmission = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::Registry(Error::Invalid(vec![Problem {
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
            firmware: None,
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
    state.pages.forget(&done.id);
    let mut resp = (StatusCode::CREATED, Json(&done)).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&format!("/api/v1/devices/{}", done.id)) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// A lab's signed statement of the checks it verified (a DSSE envelope from `riskmark
/// attest`); the device is re-assessed with it.
#[utoipa::path(post, path = "/api/v1/devices/{id}/attestations", tag = "devices",
    params(("id" = String, Path, description = "The device id")),
    request_body(content = Object, content_type = "application/json", description = "A DSSE envelope"),
    security(("token" = [])),
    responses(
        (status = 201, description = "Attested: the re-assessed version", body = riskmark_registry::Submitted),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 403, description = "Not a lab", body = ErrorBody),
        (status = 404, description = "No such device", body = ErrorBody),
        (status = 413, description = "Body larger than 32 MiB", body = ErrorBody),
        (status = 422, description = "The statement does not verify or cannot be accepted", body = ErrorBody),
        (status = 429, description = "Over a rate limit", body = ErrorBody),
    ))]
pub(crate) async fn attest(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let org = org(&state, &headers).await?;
    let body = body.map_err(|e| unreadable("body", e.status(), e.body_text()))?;
    let r = state.registry.clone();
    let today = riskmark_engine::today();
    let done = blocking(move || r.attest(&org, &id, &body, today)).await?;
    state.pages.forget(&done.id);
    Ok((StatusCode::CREATED, Json(&done)).into_response())
}

/// Search parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// Words in the manufacturer, name, model or id.
    pub(crate) q: Option<String>,
    /// Category id (`riskmark categories`).
    pub(crate) category: Option<String>,
    /// Risk tier: low, medium, high, critical.
    pub(crate) tier: Option<String>,
    /// Manufacturer (exact, case-insensitive).
    pub(crate) manufacturer: Option<String>,
    /// Page, from 1.
    #[param(minimum = 0)]
    pub(crate) page: Option<u32>,
    /// Results per page (1-100; default 20).
    #[param(minimum = 0)]
    pub(crate) per_page: Option<u32>,
    /// The language of the HTML page (`en`, `de`, `fr`, `es`, `ja`); the JSON ignores it.
    pub(crate) lang: Option<String>,
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

/// Search registered devices.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", params(SearchParams),
    responses(
        (status = 200, description = "A page of devices", body = riskmark_registry::Page),
        (status = 400, description = "A parameter is malformed"),
        (status = 429, description = "Over a rate limit", body = ErrorBody),
    ))]
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let r = state.registry.clone();
    let page = blocking(move || r.search(&p.query())).await?;
    Ok(Json(page).into_response())
}

/// A device: its current assessment, versions and attestations.
#[utoipa::path(get, path = "/api/v1/devices/{id}", tag = "devices",
    params(("id" = String, Path, description = "The device id (the label's device_id)")),
    responses(
        (status = 200, description = "The device", body = riskmark_registry::Device),
        (status = 404, description = "No such device", body = ErrorBody),
        (status = 429, description = "Over a rate limit", body = ErrorBody),
    ))]
pub(crate) async fn device(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    // Like the pages: written once per version, then served from memory.
    let key = format!("api:{id}");
    if let Some(text) = state.pages.fresh(&key) {
        return Ok((
            [(header::CONTENT_TYPE, "application/json")],
            crate::shared_body(text),
        )
            .into_response());
    }
    let r = state.registry.clone();
    let cache = state.pages.clone();
    let text = blocking(move || {
        let at = r.current(&id)?;
        if let Some(text) = cache.get(&key, &at) {
            return Ok(text);
        }
        let text = std::sync::Arc::new(r.device_json(&id)?);
        cache.put(key, at, text.clone());
        Ok(text)
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        crate::shared_body(text),
    )
        .into_response())
}

/// The current label (`riskmark/label/v1`).
#[utoipa::path(get, path = "/api/v1/devices/{id}/label.json", tag = "devices",
    params(("id" = String, Path, description = "The device id")),
    responses(
        (status = 200, description = "The label", body = Object),
        (status = 404, description = "No such device", body = ErrorBody),
        (status = 429, description = "Over a rate limit", body = ErrorBody),
    ))]
pub(crate) async fn label(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let r = state.registry.clone();
    let text = blocking(move || r.label(&id)).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// The OpenAPI 3.1 document of this API, generated from its types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "riskmark registry API", description = "Register devices, attest checks, read assessments."),
    paths(submit, search, device, label, attest),
    components(schemas(JsonSubmission, MultipartSubmission, ErrorBody, Problem)),
    modifiers(&BearerToken),
    tags((name = "devices", description = "Registered devices")),
)]
pub(crate) struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "token",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
    }
}

/// `GET /api/v1/openapi.json`
pub(crate) async fn openapi() -> Response {
    use utoipa::OpenApi as _;
    Json(ApiDoc::openapi()).into_response()
}

/// Anything else.
pub(crate) async fn not_found() -> ApiError {
    ApiError::Registry(Error::NotFound("this page".into()))
}
