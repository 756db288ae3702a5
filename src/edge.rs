//! Guards at the edge, before any handler: the input bounds of server-function
//! calls (`/fn/…`) and the statuses of their errors, and the request timeout of
//! every route that is not a stream.

use crate::error::AppError;
use crate::service::App;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest body a server function accepts (its forms carry at most a
/// policy list or a chat message).
pub const FN_BODY_MAX: usize = 1024 * 1024;
/// Brackets in one form key: `a[b][c]` is 2. server_fn's decoder (serde_qs)
/// nests up to 5 and treats deeper keys as text; none of our forms nests at all.
const KEY_DEPTH_MAX: usize = 5;
/// Bytes in one form key (decoded), and pairs in one form.
const KEY_LEN_MAX: usize = 256;
const PAIRS_MAX: usize = 1_000;
/// How much of an error body is read back to give it its status.
const ERROR_BODY_MAX: usize = 64 * 1024;

/// Malformed input (400), naming where: `query` or `body`.
fn malformed(what: &str, message: impl Into<String>) -> AppError {
    let mut e = AppError::invalid_field(what, message);
    e.status = Some(400);
    e
}

/// Checks a form-encoded string (query string or body) before server_fn
/// decodes it: bounded keys, bounded nesting, bounded pair count.
pub fn check_form(form: &str, what: &str) -> Result<(), AppError> {
    let mut pairs = 0;
    for pair in form.split('&').filter(|p| !p.is_empty()) {
        pairs += 1;
        if pairs > PAIRS_MAX {
            return Err(malformed(what, format!("at most {PAIRS_MAX} fields")));
        }
        let raw_key = pair.split_once('=').map_or(pair, |(k, _)| k);
        // Percent-decoding never lengthens, so a raw key within bounds is cheap to decode.
        if raw_key.len() > 3 * KEY_LEN_MAX {
            return Err(malformed(what, "a field name is too long"));
        }
        let key: String = form_urlencoded::parse(raw_key.as_bytes())
            .next()
            .map(|(k, _)| k.into_owned())
            .unwrap_or_default();
        if key.len() > KEY_LEN_MAX {
            return Err(malformed(what, "a field name is too long"));
        }
        if key.matches('[').count() > KEY_DEPTH_MAX {
            return Err(malformed(what, "a field name is nested too deeply"));
        }
    }
    Ok(())
}

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
}

/// `/fn/…`: refuses unbounded input with a 4xx envelope before server_fn sees
/// it, and gives server_fn's own decoding errors their 4xx status (server_fn
/// answers every error 500; a function body sets its own status, but input
/// that never reaches the body would stay a 500).
pub async fn server_fns(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/fn/") {
        return next.run(req).await;
    }
    if let Some(q) = req.uri().query() {
        if let Err(e) = check_form(q, "query") {
            return e.into_response();
        }
    }
    let form = is_form(&req);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, FN_BODY_MAX).await else {
        let mut e = AppError::bad_request(format!(
            "the request body is larger than {} KiB or was cut off",
            FN_BODY_MAX / 1024
        ));
        e.status = Some(413);
        return e.into_response();
    };
    if form {
        if let Err(e) = check_form(&String::from_utf8_lossy(&bytes), "body") {
            return e.into_response();
        }
    }
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    as_envelope(res).await
}

/// A server function's error: the envelope, with the status its code means.
async fn as_envelope(res: Response) -> Response {
    if !res.headers().contains_key("serverfnerror") || res.status().is_success() {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, ERROR_BODY_MAX).await else {
        return AppError::internal().into_response();
    };
    let Ok(e) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if parts.status == StatusCode::INTERNAL_SERVER_ERROR {
        // Statuses set by a function body (`respond`) are already right.
        parts.status =
            StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    let body = serde_json::json!({ "error": e }).to_string();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// Routes that hold the connection open on purpose: event streams and long-polls.
pub fn is_streaming(req: &Request) -> bool {
    let path = req.uri().path();
    let accepts_stream = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"));
    accepts_stream
        || path.contains("/live")
        || path.ends_with("/stream")
        || path.ends_with("/events")
        || path.ends_with("/wait")
        // An assist's long-poll for the operator's actions (≤ 25 s).
        || path.ends_with("/actions")
}

/// Every other request gets `request_timeout_ms` to answer; past it the
/// client gets 503 with the envelope (`reason: timeout`) and `Retry-After`,
/// never a connection left hanging. The work is dropped with the request.
pub async fn timeout(State(app): State<App>, req: Request, next: Next) -> Response {
    if is_streaming(&req) {
        return next.run(req).await;
    }
    let limit = std::time::Duration::from_millis(app.config.request_timeout_ms);
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(ms = app.config.request_timeout_ms, "request timed out");
            let mut e = AppError::new(
                crate::error::ErrorCode::InternalError,
                "the server took too long to answer; try again",
            )
            .with_reason("timeout");
            e.status = Some(503);
            e.retry_after = Some(5);
            e.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_form;

    #[test]
    fn deep_long_or_numerous_keys_are_refused() {
        assert!(check_form("id=1&step=accept", "body").is_ok());
        assert!(check_form("a[b][c]=1", "body").is_ok());
        let deep = format!("x{}=1", "[a]".repeat(2000));
        assert!(check_form(&deep, "body").is_err());
        let encoded = format!("x{}=1", "%5Ba%5D".repeat(10));
        assert!(check_form(&encoded, "query").is_err());
        assert!(check_form(&format!("{}=1", "k".repeat(300)), "body").is_err());
        assert!(check_form(&"a=1&".repeat(1001), "body").is_err());
    }
}
