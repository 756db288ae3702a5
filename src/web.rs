//! Browser-facing HTTP handlers outside Leptos: consuming a signed link, and
//! the cross-site request guard for every state-changing browser request.

use crate::error::AppError;
use crate::service::{caps, links, push, sessions, App};
use axum::extract::{Form, Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct OpenForm {
    /// Missing is treated like a damaged link: the same clear page.
    #[serde(default)]
    t: String,
}

/// POST /m/{id}/open: consumes the link in the `opened` transition, starts the
/// session and sends the browser to the handoff page (303, so a reload does not re-post).
pub async fn open_link(
    State(app): State<App>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Form(form): Form<OpenForm>,
) -> Result<Response, AppError> {
    let target = format!("/m/{}", path_safe(&id));
    // A browser already signed in with a password as the same operator keeps
    // that session; otherwise the link starts a session for this handoff only.
    let full = sessions::signed_in(&app, sessions::cookie_header(&headers)).await?;
    let full_id = full.as_ref().map(|o| o.id.as_str());
    match links::open(&app, &id, &form.t, full_id).await? {
        Ok((_, token)) => {
            let mut res = Redirect::to(&target).into_response();
            if let Some(token) = token {
                let cookie = HeaderValue::from_str(&sessions::link_cookie(&app, &token))
                    .map_err(|_| AppError::internal())?;
                res.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(res)
        }
        Err(problem) => {
            let code = serde_json::to_value(&problem)
                .ok()
                .and_then(|v| {
                    v.get("problem")
                        .and_then(|p| p.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "tampered".into());
            Ok(Redirect::to(&format!("{target}?problem={code}")).into_response())
        }
    }
}

/// Keeps only what a handoff id can contain, so the redirect cannot be steered elsewhere.
pub(crate) fn path_safe(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Browsers say where a request comes from; a state-changing request from
/// another site is refused (CSRF). The agent API uses header credentials, not
/// ambient cookies, so it is exempt.
pub async fn reject_cross_site(State(app): State<App>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The API and MCP authenticate every request by key, never by cookie.
    if safe || req.uri().path().starts_with("/api/v1/") || req.uri().path() == "/mcp" {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let origin_host = origin.and_then(|o| o.split_once("://").map(|(_, rest)| rest));
    // Behind a proxy the Host header may differ; the configured public URL is ours too.
    let public = app.config.public_base();
    let foreign_origin = match origin {
        // `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on
        // our own form posts; the browser-set Sec-Fetch-Site still tells.
        Some("null") => fetch_site != Some("same-origin"),
        Some(o) if o == public => false,
        Some(_) => matches!((origin_host, host), (Some(o), Some(h)) if o != h) || host.is_none(),
        None => false,
    };
    let cross = fetch_site == Some("cross-site") || foreign_origin;
    if cross {
        tracing::warn!(?origin, ?host, "refused cross-site request");
        let mut res = AppError::forbidden("cross-site requests are not accepted").into_response();
        *res.status_mut() = StatusCode::FORBIDDEN;
        return res;
    }
    next.run(req).await
}

#[derive(Deserialize)]
pub struct LiveQuery {
    /// Where to start when the browser has no Last-Event-ID yet (the page's last id).
    #[serde(default)]
    after: Option<i64>,
}

/// `GET /m/{id}/live/{events|messages}`: the operator page's live updates (SSE),
/// authenticated by the session cookie; EventSource reconnects with Last-Event-ID.
pub async fn live(
    State(app): State<App>,
    Path((id, what)): Path<(String, String)>,
    crate::api::extract::Query(q): crate::api::extract::Query<LiveQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    use crate::api::streams::{last_event_id, sse, Topic};
    let id = crate::service::parse_id(&id, "handoff")?;
    let op =
        sessions::operator_for_handoff(&app, sessions::cookie_header(&headers), &id, "no session")
            .await?;
    let h = crate::service::handoffs::get(&app, &op.organization_id, &id).await?;
    let after = last_event_id(&headers)?.or(q.after).unwrap_or(0).max(0);
    let topic = match what.as_str() {
        "events" => Topic::Handoff(h.id),
        "messages" => Topic::Conversation(
            h.conversation_id
                .ok_or_else(|| AppError::not_found("conversation"))?,
        ),
        "frames" if h.kind == crate::domain::Kind::Assist => Topic::AssistFrames(h.id),
        _ => return Err(AppError::not_found("stream")),
    };
    let slot = caps::stream_slot(&app, caps::operator_owner(&op.id))?;
    Ok(sse(app, op.organization_id, topic, after, slot))
}

/// `GET /m/{id}/frame`: the newest frame of an assist handoff, for an operator
/// who may act on it (session cookie). Served from here, never inlined in the
/// page; `no-store` like every `/m/` answer.
pub async fn assist_frame(
    State(app): State<App>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let id = crate::service::parse_id(&id, "handoff")?;
    let op =
        sessions::operator_for_handoff(&app, sessions::cookie_header(&headers), &id, "no session")
            .await?;
    let (_, mime, bytes) =
        crate::service::assist::frame_image(&app, &op.organization_id, &id).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime).map_err(|_| AppError::internal())?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `GET /inbox/live`: the organization's lifecycle events from now on (SSE,
/// session cookie); the inbox reloads its list when one arrives.
pub async fn inbox_live(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    use crate::api::streams::{last_event_id, sse, Topic};
    let op = sessions::operator_from_cookies(&app, sessions::cookie_header(&headers), "no session")
        .await?;
    let after = match last_event_id(&headers)? {
        Some(id) => id,
        None => crate::service::audit::head(&app, &op.organization_id).await?,
    };
    let slot = caps::stream_slot(&app, caps::operator_owner(&op.id))?;
    Ok(sse(app, op.organization_id, Topic::Audit, after, slot))
}

/// The signed-in operator of a browser request, or 401.
async fn signed_in(
    app: &App,
    headers: &axum::http::HeaderMap,
) -> Result<crate::domain::records::Operator, AppError> {
    sessions::operator_from_cookies(
        app,
        sessions::cookie_header(headers),
        crate::service::admin::SIGNED_OUT,
    )
    .await
}

/// POST /settings/push: stores this browser's `PushSubscription.toJSON()`.
pub async fn push_subscribe(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    crate::api::extract::Json(sub): crate::api::extract::Json<push::SubscriptionJson>,
) -> Result<StatusCode, AppError> {
    let op = signed_in(&app, &headers).await?;
    push::subscribe(&app, &op, sub).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointBody {
    endpoint: String,
}

/// DELETE /settings/push: forgets one of the operator's subscriptions.
pub async fn push_unsubscribe(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
    crate::api::extract::Json(body): crate::api::extract::Json<EndpointBody>,
) -> Result<StatusCode, AppError> {
    let op = signed_in(&app, &headers).await?;
    if push::unsubscribe(&app, &op, &body.endpoint).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found("push subscription"))
    }
}

/// POST /settings/push/test: a test notification to each of the operator's devices.
pub async fn push_test(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    let op = signed_in(&app, &headers).await?;
    let payload = serde_json::json!({
        "title": "tapin test notification",
        "body": format!("Notifications reach {} on this device.", op.name),
        "url": "/settings",
        "tag": "tapin-test",
    });
    let mut results = Vec::new();
    for s in push::devices(&app, &op).await? {
        let outcome = match push::send(&app, &s, &payload).await {
            push::Outcome::Delivered => "delivered".to_string(),
            push::Outcome::Gone => "gone (removed)".to_string(),
            push::Outcome::Failed(e) => e,
        };
        results.push(serde_json::json!({"endpoint": s.endpoint, "outcome": outcome}));
    }
    Ok(axum::Json(serde_json::json!({ "devices": results })))
}

/// The Content-Security-Policy of pages. Scripts: the app's own files
/// (`/pkg/*.js`, loaded by the hydration bootstrap), WebAssembly compilation of
/// `/pkg/*.wasm` ('wasm-unsafe-eval' allows compiling, not JS eval), and the
/// inline scripts leptos writes (hydration bootstrap, streamed resources,
/// service-worker registration), which carry the per-request nonce. Without a
/// nonce (responses not rendered by the shell) no inline script runs.
pub fn page_csp(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// Pages whose answers carry links, sessions or personal data: never cached.
fn no_store(path: &str) -> bool {
    path.starts_with("/m/")
        || path.starts_with("/fn/")
        || ["/login", "/inbox", "/settings", "/admin"]
            .iter()
            .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
}

/// Which referrer a page lets the browser send. Signed links (`/m/…`) carry
/// tokens in their URLs: none at all. Every other page keeps its referrer to
/// this origin only (never to another site): a form posted before the page's
/// WASM arrived is a plain POST to `/fn/…`, which answers with a redirect back
/// to the referring page; without a referrer it would land on `/`.
fn referrer_policy(path: &str) -> HeaderValue {
    HeaderValue::from_static(if path.starts_with("/m/") {
        "no-referrer"
    } else {
        "same-origin"
    })
}

/// Security headers on every response: CSP (pages set theirs with a nonce;
/// everything else gets the same policy without one), the referrer policy
/// above, nosniff, HSTS over https, and no caching of link and session pages.
pub async fn security_headers(State(app): State<App>, req: Request, next: Next) -> Response {
    let cache_never = no_store(req.uri().path());
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&page_csp(None)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.insert(header::REFERRER_POLICY, referrer_policy(&path));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if app.config.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if cache_never {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Compresses pages and JSON for clients that accept it, but never wraps a
/// stream or long-poll: compressing one would hold events back, and the
/// (idle) compression wrapper alone costs ~5 KB per open connection.
pub async fn compress(req: Request, next: Next) -> Response {
    if crate::edge::is_streaming(&req) {
        return next.run(req).await;
    }
    use tower::ServiceExt;
    match tower_http::compression::Compression::new(next)
        .oneshot(req)
        .await
    {
        Ok(res) => res.map(axum::body::Body::new),
        Err(never) => match never {},
    }
}

/// `GET /metrics` on the main address: Prometheus text, for a scraper that
/// sends `Authorization: Bearer <metrics_token>`; 404 when no token is set
/// (nothing says it exists), 401 for a wrong one.
pub async fn metrics(
    State(app): State<App>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let want = &app.config.metrics_token;
    if want.is_empty() {
        return Err(AppError::not_found("page"));
    }
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    use subtle::ConstantTimeEq;
    if !bool::from(given.as_bytes().ct_eq(want.as_bytes())) {
        return Err(AppError::unauthorized(
            "send the metrics token as a bearer token",
        ));
    }
    Ok(metrics_open(State(app)).await)
}

/// `/metrics` on the separate metrics address: no token.
pub async fn metrics_open(State(app): State<App>) -> Response {
    crate::service::report_pools(&app);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::telemetry::render(),
    )
        .into_response()
}

/// Counts every request by its route template (never the raw path: bounded
/// labels) and status, with its latency.
pub async fn count_request(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let method = req.method().as_str().to_string();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    crate::telemetry::request(
        &route,
        &method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}
