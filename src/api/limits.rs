//! What runs before every `/api/v1` handler, in this order: authentication
//! (an unknown or revoked key is a 401 before anything else is touched), the
//! per-key rate limit (GCRA, shared by the nodes: `service::rate_limit`) and `Idempotency-Key` replay for
//! POSTs. The limiter cell and the idempotency scope are the key's id.

use crate::error::AppError;
use crate::service::idempotency::{self, IdemClaim};
use crate::service::keys::{self, ApiPrincipal};
use crate::service::{sha256_hex, App};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The raw API key of a request, if it carries one: `Authorization: Bearer …`
/// or `x-api-key`. Another `Authorization` scheme is not an API key (the
/// handler's extractor refuses it with its own message).
fn raw_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return match auth.split_once(' ') {
            Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => Some(key.trim()),
            _ => None,
        };
    }
    headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Why the key a request presented was refused (401), for `ApiAuth` to answer.
#[derive(Clone, Debug)]
pub struct AuthFailure(pub AppError);

/// Authenticates a request that presents an API key, before the rate limit and
/// idempotency see it. The principal rides in the request's extensions; an
/// unknown or revoked key carries an `AuthFailure` instead, so the rate limit and
/// idempotency pass it by untouched (no idempotency row, no replay, no limiter
/// cell) and the handler's `ApiAuth` answers 401 before it does anything. The
/// public paths (health, OpenAPI) still answer a request with a stray header.
pub async fn authenticate(State(app): State<App>, mut req: Request, next: Next) -> Response {
    let Some(raw) = raw_key(req.headers()) else {
        return next.run(req).await;
    };
    match keys::authenticate(&app, raw).await {
        Ok(principal) => {
            let (org, version) = (principal.organization_id.clone(), principal.setup_version);
            req.extensions_mut().insert(principal);
            return crate::service::setup::with_version_seen(org, version, next.run(req)).await;
        }
        Err(e) if e.http_status() == 401 => {
            req.extensions_mut().insert(AuthFailure(e));
        }
        Err(e) => return e.into_response(),
    }
    next.run(req).await
}

/// Marks a response that carries a secret (a webhook's signing secret): it is
/// never stored for replay. A retry with the same `Idempotency-Key` gets a 409
/// `idempotency_secret_not_replayed` instead, whose message is this text.
#[derive(Clone, Debug)]
pub struct NotReplayable(pub String);

fn set(headers: &mut HeaderMap, name: &'static str, value: u64) {
    headers.insert(name, HeaderValue::from(value));
}

/// 200 requests a minute per key by default; `X-RateLimit-*` on every response,
/// `429` with `Retry-After` when exhausted.
pub async fn rate_limit(State(app): State<App>, req: Request, next: Next) -> Response {
    let Some(key) = req
        .extensions()
        .get::<ApiPrincipal>()
        .map(|p| p.key_id.clone())
    else {
        return next.run(req).await;
    };
    let v = crate::service::rate_limit::spend(&app, &key).await;
    if v.allowed {
        let mut res = next.run(req).await;
        let h = res.headers_mut();
        set(h, "x-ratelimit-limit", v.limit);
        set(h, "x-ratelimit-remaining", v.remaining);
        set(h, "x-ratelimit-reset", v.reset_at);
        return res;
    }
    let (limit, secs, reset_at) = (v.limit, v.retry_after_secs, v.reset_at);
    let mut res = AppError::rate_limited(format!(
        "rate limit of {limit} requests per minute exceeded for this API key; retry in {secs} s"
    ))
    .into_response();
    let h = res.headers_mut();
    set(h, "retry-after", secs);
    set(h, "x-ratelimit-limit", limit);
    set(h, "x-ratelimit-remaining", 0);
    set(h, "x-ratelimit-reset", reset_at);
    res
}

/// The largest body a replay keeps: an assist capture (6 MiB).
const BODY_LIMIT: usize = crate::domain::assist::BODY_MAX;

/// A retried POST with the same `Idempotency-Key` and body gets the first
/// response again (`Idempotent-Replayed: true`); another body is a 409.
pub async fn idempotency(State(app): State<App>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(idem) = req.headers().get("idempotency-key").cloned() else {
        return next.run(req).await;
    };
    let Some(scope) = req
        .extensions()
        .get::<ApiPrincipal>()
        .map(|p| format!("key:{}", p.key_id))
    else {
        return next.run(req).await;
    };
    let idem = match idem.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_string()
        }
        _ => {
            return AppError::invalid_field(
                "Idempotency-Key",
                "must be 1-255 visible ASCII characters",
            )
            .into_response()
        }
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return AppError::bad_request("request body too large or unreadable").into_response()
        }
    };
    let mut fingerprint = format!("{} {}\n", parts.method, parts.uri.path()).into_bytes();
    fingerprint.extend_from_slice(&bytes);
    let hash = sha256_hex(&fingerprint);
    let claim = match idempotency::claim(&app, &scope, &idem, &hash).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    match claim {
        IdemClaim::Replay { status, body } => {
            let mut res =
                (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            h.insert("idempotent-replayed", HeaderValue::from_static("true"));
            res
        }
        IdemClaim::Mismatch => AppError::conflict(
            "idempotency_key_reused",
            "this Idempotency-Key was used with a different request; use a new key",
        )
        .into_response(),
        IdemClaim::InFlight => AppError::conflict(
            "idempotency_in_progress",
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )
        .into_response(),
        IdemClaim::New => {
            let res = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            let status = res.status();
            // Server errors and rate limits are not answers worth replaying.
            if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                let _ = idempotency::release(&app, &scope, &idem).await;
                return res;
            }
            // A secret is shown once: what is kept for a retry is a 409 saying so.
            if let Some(NotReplayable(message)) = res.extensions().get::<NotReplayable>() {
                let stand_in =
                    AppError::conflict("idempotency_secret_not_replayed", message.clone());
                let body = serde_json::json!({ "error": &stand_in }).to_string();
                if let Err(e) =
                    idempotency::finish(&app, &scope, &idem, stand_in.http_status(), &body).await
                {
                    tracing::error!(error = %e, "could not store the idempotent response");
                }
                return res;
            }
            let (parts, body) = res.into_parts();
            let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
                let _ = idempotency::release(&app, &scope, &idem).await;
                return AppError::internal().into_response();
            };
            if let Err(e) = idempotency::finish(
                &app,
                &scope,
                &idem,
                status.as_u16(),
                &String::from_utf8_lossy(&bytes),
            )
            .await
            {
                tracing::error!(error = %e, "could not store the idempotent response");
            }
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}
