//! MCP (issue 14 §1): tapin as a Model Context Protocol server at `/mcp`
//! (Streamable HTTP, built on the official Rust SDK `rmcp`), authenticated by
//! the same API keys and scopes as `/api/v1`, and `tapin mcp`, a bridge for
//! clients that only speak stdio. Server build only.

pub mod bridge;
pub mod elicit;
pub mod tools;

use crate::api::limits::{self, AuthFailure};
use crate::error::AppError;
use crate::service::keys::ApiPrincipal;
use crate::service::App;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::tower::StreamableHttpService;
use rmcp::transport::StreamableHttpServerConfig;

/// The largest JSON-RPC message accepted (payloads are at most 64 KiB of JSON).
const BODY_MAX: usize = 1024 * 1024;

/// `/mcp`, for any router state that can hand out the `App`.
pub fn router<S>(app: &App) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let server = tools::Tapin::new(app.clone());
    let mut config = StreamableHttpServerConfig::default();
    // Stateless: every POST stands alone, so any node of a cluster can answer
    // it and nothing is kept per client between calls.
    config.legacy_session_mode = false;
    // Every request carries an API key, which a DNS-rebinding page cannot
    // know; and behind a proxy the Host header is the proxy's business.
    config = config.disable_allowed_hosts();
    config.max_request_body_bytes = BODY_MAX;
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        NeverSessionManager::default().into(),
        config,
    );
    // Outermost first: authenticate the key, refuse the request without one
    // (401), then count it against the key's rate limit.
    Router::new().nest_service("/mcp", service).layer(
        tower::ServiceBuilder::new()
            .layer(axum::middleware::from_fn_with_state(
                app.clone(),
                limits::authenticate,
            ))
            .layer(axum::middleware::from_fn(require_key))
            .layer(axum::middleware::from_fn_with_state(
                app.clone(),
                limits::rate_limit,
            )),
    )
}

/// A request without a valid API key is a 401 with the error envelope, before
/// MCP parses anything.
async fn require_key(req: Request, next: Next) -> Response {
    if req.extensions().get::<ApiPrincipal>().is_some() {
        return next.run(req).await;
    }
    let e = match req.extensions().get::<AuthFailure>() {
        Some(AuthFailure(e)) => e.clone(),
        None => AppError::unauthorized(
            "missing API key: send `Authorization: Bearer tk_…` (or `x-api-key: tk_…`)",
        ),
    };
    let mut res = e.into_response();
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"tapin\""),
    );
    res
}
