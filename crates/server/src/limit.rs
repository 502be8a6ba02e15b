//! Rate limits: a token bucket per client IP for every request, and one per API token
//! for writes. Over the limit: `429 Too Many Requests` with `Retry-After`. In memory, per
//! process (several servers each apply their own).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Requests allowed per second and burst.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Tokens added per second (0: no limit).
    pub per_second: f64,
    /// The bucket's size.
    pub burst: f64,
}

impl Rate {
    /// No limit.
    pub const OFF: Self = Self {
        per_second: 0.0,
        burst: 0.0,
    };
}

/// The limits a server applies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Every request, per client IP address.
    pub per_ip: Rate,
    /// Writes (POST), per API token.
    pub writes_per_token: Rate,
}

impl Default for Limits {
    /// 2,000 requests a second per address (bursts of 4,000), 2 writes a second per token
    /// (bursts of 60).
    fn default() -> Self {
        Self {
            per_ip: Rate {
                per_second: 2000.0,
                burst: 4000.0,
            },
            writes_per_token: Rate {
                per_second: 2.0,
                burst: 60.0,
            },
        }
    }
}

/// Token buckets by key.
#[derive(Debug, Default)]
pub(crate) struct Buckets {
    map: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Buckets {
    /// Takes a token for `key`; `Err(seconds)` until the next one when none is left.
    fn take(&self, key: &str, rate: Rate) -> Result<(), u64> {
        if rate.per_second <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let Ok(mut map) = self.map.lock() else {
            return Ok(());
        };
        if map.len() > 100_000 {
            // Forget full buckets (idle clients) so the map stays bounded.
            map.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate.per_second < rate.burst
            });
        }
        let (tokens, at) = map.entry(key.to_owned()).or_insert((rate.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * rate.per_second).min(rate.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Err(((1.0 - *tokens) / rate.per_second).ceil().max(1.0) as u64)
        }
    }
}

fn too_many(seconds: u64, what: &str) -> Response {
    let mut r = (
        StatusCode::TOO_MANY_REQUESTS,
        axum::Json(
            serde_json::json!({"error": format!("too many requests {what}; retry in {seconds} s")}),
        ),
    )
        .into_response();
    if let Ok(v) = header::HeaderValue::from_str(&seconds.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// The middleware.
pub(crate) async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    if let Some(ip) = &ip
        && let Err(s) = state.buckets.take(&format!("ip:{ip}"), state.limits.per_ip)
    {
        return too_many(s, "from this address");
    }
    if req.method() == Method::POST {
        // The token's id (rmk_<id>_...) names the bucket; the secret never leaves here.
        let token_id = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer rmk_"))
            .and_then(|v| v.split('_').next())
            .map(str::to_owned);
        if let Some(id) = token_id
            && let Err(s) = state
                .buckets
                .take(&format!("token:{id}"), state.limits.writes_per_token)
        {
            return too_many(s, "with this token");
        }
    }
    next.run(req).await
}
