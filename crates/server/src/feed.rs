//! Atom feeds (RFC 4287) of new versions: every submission, attestation and
//! re-assessment after new advisories, registry-wide and per device.

use std::fmt::Write as _;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use riskmark_registry::{Error, FeedEntry};

use crate::AppState;
use crate::api::{ApiError, blocking};

/// How many entries a feed carries.
const ENTRIES: u32 = 50;

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn atom(base: &str, self_path: &str, title: &str, entries: &[FeedEntry]) -> String {
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z", |e| e.created.as_str());
    let mut x = String::new();
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <id>{b}{p}</id><title>{t}</title><updated>{u}</updated>\
         <link rel=\"self\" href=\"{b}{p}\"/><author><name>riskmark registry</name></author>",
        b = xml(base),
        p = xml(self_path),
        t = xml(title),
        u = xml(updated),
    );
    for e in entries {
        let why = e.note.as_deref().unwrap_or("submitted by the manufacturer");
        let _ = write!(
            x,
            "<entry><id>{b}/d/{id}#v{v}</id><title>{name}: version {v}, {tier} {score}/100</title>\
             <updated>{c}</updated><link href=\"{b}/d/{id}\"/>\
             <summary>{m} {name}{fw}: risk {tier} {score}/100 ({why}).</summary></entry>",
            b = xml(base),
            id = xml(&e.device_id),
            v = e.version,
            name = xml(&e.name),
            tier = xml(&e.tier),
            score = e.score,
            c = xml(&e.created),
            m = xml(&e.manufacturer),
            fw = e
                .firmware_version
                .as_deref()
                .map(|f| format!(" firmware {}", xml(f)))
                .unwrap_or_default(),
            why = xml(why),
        );
    }
    x.push_str("</feed>\n");
    x
}

fn reply(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        text,
    )
        .into_response()
}

/// `GET /feed.atom`
pub(crate) async fn all(State(state): State<AppState>) -> Result<Response, ApiError> {
    let r = state.registry.clone();
    let entries = blocking(move || r.feed(None, ENTRIES)).await?;
    let base = state.registry.public_url().to_owned();
    Ok(reply(atom(
        &base,
        "/feed.atom",
        "riskmark registry: changes",
        &entries,
    )))
}

/// `GET /d/{id}/feed.atom`
pub(crate) async fn device(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let r = state.registry.clone();
    let key = id.clone();
    let entries = blocking(move || {
        let entries = r.feed(Some(&key), ENTRIES)?;
        if entries.is_empty() {
            return Err(Error::NotFound(format!("device `{key}`")));
        }
        Ok(entries)
    })
    .await?;
    let base = state.registry.public_url().to_owned();
    let title = format!("{}: changes", entries[0].name);
    Ok(reply(atom(
        &base,
        &format!("/d/{id}/feed.atom"),
        &title,
        &entries,
    )))
}
