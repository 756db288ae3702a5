//! Assist handoffs (issue 13, seed 004): a browser agent's stuck screen.
//! Creation goes through `POST /handoffs` (`kind: assist`, `handoffs::create`
//! hands it here); the capture step, frames, the operator's actions as the
//! agent receives them (long-poll or SSE), and seed 004's `/open`,
//! `/solving` and `/expire`.

use super::extract::{ApiAuth, Json, JsonOrEmpty, Query};
use super::views::{AssistRead, ErrorEnvelope, HandoffRead};
use crate::domain::assist::{AssistAsk, Viewport};
use crate::domain::{Event, Handoff, Kind};
use crate::error::AppError;
use crate::service::assist::{self as svc, Capture, Delivered, NewAssistHandoff};
use crate::service::keys::ApiPrincipal;
use crate::service::{handoffs, parse_id, App};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use utoipa::{IntoParams, ToSchema};

/// The agent's captured browser. Sizes are checked after decoding; each
/// problem is a 422 naming the field.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaptureBody {
    /// Base64 (standard alphabet) of a PNG or JPEG (told by its first bytes), at most 2 MiB decoded.
    screenshot: String,
    viewport: Viewport,
    /// The page's HTML, at most 1 MiB. Sealed at rest; never shown to operators.
    #[serde(default)]
    dom_snapshot: Option<String>,
    /// Any JSON (e.g. Playwright's `context.cookies()`); with `storage`, at most
    /// 256 KiB. Sealed at rest; never shown to operators.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    cookies: Option<serde_json::Value>,
    /// Any JSON (local/session storage). Sealed at rest; never shown to operators.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    storage: Option<serde_json::Value>,
}

impl From<CaptureBody> for Capture {
    fn from(c: CaptureBody) -> Self {
        Capture {
            screenshot: c.screenshot,
            viewport: c.viewport,
            dom_snapshot: c.dom_snapshot,
            cookies: c.cookies,
            storage: c.storage,
        }
    }
}

/// The assist fields of `POST /handoffs` (see `handoffs::CreateHandoff`).
pub struct AssistFields {
    pub agent_id: Option<String>,
    pub interruption_type: Option<String>,
    pub domain: Option<String>,
    pub url: Option<String>,
    pub question: Option<String>,
    pub input: Option<String>,
    pub capture: Option<CaptureBody>,
    pub timeout_seconds: Option<i64>,
}

/// The handoff with its assist details (for an assist handoff).
pub async fn read(app: &App, h: Handoff) -> Result<HandoffRead, AppError> {
    let details = match h.kind {
        Kind::Assist => {
            let ids = [h.id.clone()];
            let mut found =
                crate::service::assist::details_of(app, &h.organization_id, &ids).await?;
            found.remove(&h.id)
        }
        _ => None,
    };
    let assist = details.map(|r| AssistRead::new(r, &h));
    let mut view = HandoffRead::from(h);
    view.assist = assist;
    Ok(view)
}

/// Views of a page of handoffs, assist details included (one read for all).
pub async fn read_all(
    app: &App,
    org_id: &str,
    items: Vec<Handoff>,
) -> Result<Vec<HandoffRead>, AppError> {
    let ids: Vec<String> = items
        .iter()
        .filter(|h| h.kind == Kind::Assist)
        .map(|h| h.id.clone())
        .collect();
    let mut details = crate::service::assist::details_of(app, org_id, &ids).await?;
    Ok(items
        .into_iter()
        .map(|h| {
            let assist = details.remove(&h.id).map(|r| AssistRead::new(r, &h));
            let mut view = HandoffRead::from(h);
            view.assist = assist;
            view
        })
        .collect())
}

/// `POST /handoffs` with `kind: assist`.
pub async fn create(
    app: &App,
    key: &ApiPrincipal,
    f: AssistFields,
) -> Result<(StatusCode, axum::Json<HandoffRead>), AppError> {
    let missing: Vec<crate::error::FieldError> = [
        ("agent_id", f.agent_id.is_none()),
        ("interruption_type", f.interruption_type.is_none()),
        ("domain", f.domain.is_none()),
        ("url", f.url.is_none()),
        ("question", f.question.is_none()),
    ]
    .into_iter()
    .filter(|(_, gone)| *gone)
    .map(|(name, _)| crate::error::FieldError {
        field: name.into(),
        message: "required for an assist handoff".into(),
    })
    .collect();
    if !missing.is_empty() {
        return Err(AppError::invalid(missing));
    }
    let ask = AssistAsk {
        agent_id: f.agent_id.unwrap_or_default(),
        interruption_type: f.interruption_type.unwrap_or_default(),
        domain: f.domain.unwrap_or_default(),
        url: f.url.unwrap_or_default(),
        question: f.question.unwrap_or_default(),
        input: f.input.unwrap_or_else(|| "text".into()),
    };
    let h = svc::create(
        app,
        &key.organization_id,
        &key.actor(),
        NewAssistHandoff {
            ask,
            capture: f.capture.map(Into::into),
            timeout_seconds: f.timeout_seconds,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(read(app, h).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrozenBody {
    capture: CaptureBody,
}

const ID_PARAM: &str =
    "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.";

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/frozen",
    operation_id = "freeze_assist",
    tag = "assist",
    summary = "Attach the capture: detected → frozen",
    description = "The agent paused and captured its browser: the handoff becomes `frozen`, and from now on it is routed and notified like any handoff waiting for a person (a `detected` handoff is shown to nobody). The capture is sealed at rest with the organization's data key.\n\nScope: `handoffs:write`.",
    params(("id" = String, Path, format = "uuid", description = ID_PARAM)),
    request_body = FrozenBody,
    responses(
        (status = 200, description = "The frozen handoff.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, a body over 6 MiB, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: `invalid_transition` (not `detected`), `handoff_finished` or `event_not_for_kind` (not an assist handoff).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `capture.screenshot` (not base64, over 2 MiB decoded, not PNG/JPEG), `capture.viewport.width` / `.height` (outside 1–4096), `capture.dom_snapshot` (over 1 MiB), `capture.cookies` / `capture.storage` (over 256 KiB together), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn frozen(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<FrozenBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    key.require("handoffs:write")?;
    let id = parse_id(&id, "handoff")?;
    let h = svc::freeze(
        &app,
        &key.organization_id,
        &id,
        key.actor(),
        body.capture.into(),
    )
    .await?;
    Ok(axum::Json(read(&app, h).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameBody {
    /// Base64 of a PNG or JPEG, at most 2 MiB decoded.
    screenshot: String,
    viewport: Viewport,
}

#[derive(Serialize, ToSchema)]
pub struct FrameCreated {
    /// The new frame's number (the capture is 1).
    pub frame_seq: i64,
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/frames",
    operation_id = "post_assist_frame",
    tag = "assist",
    summary = "A new frame of the agent's screen",
    description = "After applying an operator's action, the agent posts what its page looks like now; the operator's page shows the newest frame live. Only the newest frame is kept, sealed at rest.\n\nScope: `handoffs:write`.",
    params(("id" = String, Path, format = "uuid", description = ID_PARAM)),
    request_body = FrameBody,
    responses(
        (status = 201, description = "The frame was stored.", body = FrameCreated),
        (status = 400, description = "`bad_request`: malformed JSON, a body over 6 MiB, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: `not_being_solved` (the handoff is not `frozen`, `notified`, `escalated`, `opened` or `solving`) or `event_not_for_kind` (not an assist handoff).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `screenshot` (not base64, over 2 MiB decoded, not PNG/JPEG) or `viewport.width` / `viewport.height` (outside 1–4096).", body = ErrorEnvelope),
    )
)]
pub async fn frames(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<FrameBody>,
) -> Result<(StatusCode, axum::Json<FrameCreated>), AppError> {
    key.require("handoffs:write")?;
    let id = parse_id(&id, "handoff")?;
    let frame_seq = svc::frame(
        &app,
        &key.organization_id,
        &id,
        &body.screenshot,
        body.viewport,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(FrameCreated { frame_seq })))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionsQuery {
    /// The last action seq received: everything up to it is acknowledged (and
    /// deleted); actions after it are returned. Default 0.
    #[serde(default)]
    #[param(minimum = 0)]
    after: Option<i64>,
    /// Seconds to wait for an action when none is pending, 0 to 25 (default 25).
    #[serde(default)]
    #[param(minimum = 0, maximum = 25)]
    wait: Option<u64>,
}

/// One operator action for the agent. `x`/`y` are CSS pixels of the captured viewport.
#[derive(Serialize, ToSchema)]
pub struct ActionRead {
    pub seq: i64,
    /// click | text | key.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<i64>,
    /// The text to type (`type: text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Enter | Tab | Backspace | Escape (`type: key`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl From<Delivered> for ActionRead {
    fn from(d: Delivered) -> Self {
        use crate::domain::assist::Action;
        let mut a = ActionRead {
            seq: d.seq,
            kind: String::new(),
            x: None,
            y: None,
            text: None,
            key: None,
        };
        match d.action {
            Action::Click { x, y } => {
                a.kind = "click".into();
                (a.x, a.y) = (Some(x), Some(y));
            }
            Action::Text { text } => {
                a.kind = "text".into();
                a.text = Some(text);
            }
            Action::Key { key } => {
                a.kind = "key".into();
                a.key = Some(key);
            }
        }
        a
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActionsPage {
    pub actions: Vec<ActionRead>,
    /// The handoff's state now: `resume_requested` means the operator is done;
    /// `expired`, `failed` or `cancelled` that it ended without.
    pub state: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/handoffs/{id}/actions",
    operation_id = "assist_actions",
    tag = "assist",
    summary = "The operator's actions for the agent (long-poll or SSE)",
    description = "Long-poll: answers at once when there are actions after `after`, or when the handoff no longer waits for actions (`resume_requested`, `resumed` or finished; `solved` lasts only until the backend asks the agent to resume, in the same request); otherwise waits up to `wait` seconds for one and answers with an empty list. Asking with `after=N` acknowledges every action up to N: they are deleted (the text an operator typed is never kept after delivery; the audit trail records only \"typed N characters\").\n\nWith `Accept: text/event-stream`: the same as Server-Sent Events: `event: action` (`id:` = its seq, `data:` = one action) and `event: state` (`data: {\"state\": …}`) whenever the state changes; the stream ends after a state that waits for no more actions. Reconnect with `Last-Event-ID` to resume (it acknowledges up to that id).\n\nScope: `read`.",
    params(
        ("id" = String, Path, format = "uuid", description = ID_PARAM),
        ActionsQuery,
        ("Last-Event-ID" = Option<i64>, Header, minimum = 0, description = "SSE only: resume after (and acknowledge up to) this action seq."),
    ),
    responses(
        (status = 200, description = "Actions after `after` and the state.", content(
            (ActionsPage = "application/json"),
            (String = "text/event-stream"),
        )),
        (status = 400, description = "`bad_request` naming an unknown or unparseable query parameter.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such assist handoff in this organization.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `after` (negative), `wait` (over 25) or `Last-Event-ID`.", body = ErrorEnvelope),
        (status = 429, description = "`rate_limited`: too many open streams and long-polls for this key.", body = ErrorEnvelope),
    )
)]
pub async fn actions(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Query(q): Query<ActionsQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    use crate::service::caps::{key_owner, stream_slot};
    key.require("read")?;
    let id = parse_id(&id, "handoff")?;
    let after = match (super::streams::last_event_id(&headers)?, q.after) {
        (Some(n), _) => n,
        (None, Some(n)) if n < 0 => {
            return Err(AppError::invalid_field("after", "must be 0 or more"))
        }
        (None, n) => n.unwrap_or(0),
    };
    let wait = q.wait.unwrap_or(svc::WAIT_MAX_SECONDS);
    if wait > svc::WAIT_MAX_SECONDS {
        return Err(AppError::invalid_field(
            "wait",
            format!("must be 0 to {} seconds", svc::WAIT_MAX_SECONDS),
        ));
    }
    let h = handoffs::get(&app, &key.organization_id, &id).await?;
    if h.kind != Kind::Assist {
        return Err(AppError::not_found("assist handoff"));
    }
    let slot = stream_slot(&app, key_owner(&key.key_id))?;
    if super::streams::wants_sse(&headers) {
        let s = follow(app, key.organization_id, id, after, slot);
        return Ok(Sse::new(s)
            .keep_alive(KeepAlive::new().interval(super::streams::KEEP_ALIVE))
            .into_response());
    }
    let (got, state) = svc::actions(
        &app,
        &key.organization_id,
        &id,
        after,
        Duration::from_secs(wait),
    )
    .await?;
    drop(slot);
    Ok(axum::Json(ActionsPage {
        actions: got.into_iter().map(Into::into).collect(),
        state: state.as_str().to_string(),
    })
    .into_response())
}

struct Follow {
    app: App,
    org_id: String,
    id: String,
    after: i64,
    state: Option<crate::domain::State>,
    buffer: VecDeque<SseEvent>,
    watch: crate::service::wakeups::Watch,
    dirty: bool,
    done: bool,
    _open: crate::telemetry::OpenStream,
    _slot: crate::service::caps::Slot,
}

/// Actions as SSE: re-reads the store whenever this handoff changes (its
/// wake-ups, fed by every node through the store), so nothing is missed or repeated.
fn follow(
    app: App,
    org_id: String,
    id: String,
    after: i64,
    slot: crate::service::caps::Slot,
) -> impl futures::Stream<Item = Result<SseEvent, Infallible>> {
    let watch = app.watch(crate::service::wakeups::Key::Handoff(id.clone()));
    let f = Follow {
        app,
        org_id,
        id,
        after,
        state: None,
        buffer: VecDeque::new(),
        watch,
        dirty: true,
        done: false,
        _open: crate::telemetry::OpenStream::new("sse"),
        _slot: slot,
    };
    futures::stream::unfold(f, |mut f| async move {
        loop {
            if let Some(ev) = f.buffer.pop_front() {
                return Some((Ok(ev), f));
            }
            if f.done {
                return None;
            }
            if f.dirty {
                f.dirty = false;
                if f.after > 0 {
                    let _ = f
                        .app
                        .store
                        .ack_assist_actions(&f.org_id, &f.id, f.after)
                        .await;
                }
                let (got, state) = match svc::pending(&f.app, &f.org_id, &f.id, f.after).await {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::error!(error = %e, "assist action stream read failed; closing");
                        return None;
                    }
                };
                for d in got {
                    f.after = d.seq;
                    let data = serde_json::to_string(&ActionRead::from(d)).unwrap_or_default();
                    f.buffer.push_back(
                        SseEvent::default()
                            .id(f.after.to_string())
                            .event("action")
                            .data(data),
                    );
                }
                if f.state != Some(state) {
                    f.state = Some(state);
                    f.buffer.push_back(
                        SseEvent::default()
                            .id(f.after.to_string())
                            .event("state")
                            .data(serde_json::json!({ "state": state.as_str() }).to_string()),
                    );
                }
                f.done = svc::settled(state);
                continue;
            }
            f.watch.changed().await;
            f.dirty = true;
        }
    })
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    /// Operator id or email. `/open` requires it; `/solving` takes it optionally.
    #[serde(default)]
    assignee: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/open",
    operation_id = "open_handoff",
    tag = "handoffs",
    summary = "Opened by an operator (seed 004)",
    description = "Seed 004's `opened` step through the API: the handoff is opened for the named operator (`assignee`, an operator id or email), as when that operator opens the link on the phone. Any kind, from a waiting state (`frozen`, `notified`, `escalated`, `created`).\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval).",
    params(("id" = String, Path, format = "uuid", description = ID_PARAM)),
    request_body = OpenBody,
    responses(
        (status = 200, description = "The opened handoff.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition`, `handoff_finished`, `version_conflict` or `taken`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `assignee` (missing, or no active operator with that id or email in this organization), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn open(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<OpenBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    let id = parse_id(&id, "handoff")?;
    require_for_kind(&app, &key, &id).await?;
    let who = body
        .assignee
        .ok_or_else(|| AppError::invalid_field("assignee", "required: an operator id or email"))?;
    let h = handoffs::assign(&app, &key.organization_id, &id, key.actor(), &who, false).await?;
    Ok(axum::Json(read(&app, h).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/solving",
    operation_id = "solving_handoff",
    tag = "handoffs",
    summary = "An operator is working on it (seed 004)",
    description = "Seed 004's `solving` step through the API (the same as `/accept`): the handoff becomes `solving`, for `assignee` when given. For an assist handoff the assignee then holds the lease: only they can send actions on the captured screen.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional.",
    params(("id" = String, Path, format = "uuid", description = ID_PARAM)),
    request_body(content = Option<OpenBody>, description = "Optional `assignee`: operator id or email."),
    responses(
        (status = 200, description = "The handoff being solved.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition`, `handoff_finished`, `event_not_for_kind`, `version_conflict` or `taken`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `assignee` (no active operator with that id or email in this organization), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn solving(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<OpenBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    let id = parse_id(&id, "handoff")?;
    require_for_kind(&app, &key, &id).await?;
    let h = handoffs::accept(
        &app,
        &key.organization_id,
        &id,
        key.actor(),
        body.assignee.as_deref(),
    )
    .await?;
    Ok(axum::Json(read(&app, h).await?))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpireBody {
    /// Recorded in the audit trail; at most 1000 characters.
    #[serde(default)]
    reason: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/expire",
    operation_id = "expire_handoff",
    tag = "handoffs",
    summary = "Expire (seed 004): nobody acted in time",
    description = "The agent host gave up waiting: the handoff becomes `expired` from any open state (for an approval, that is a timeout, distinct from a human deny). The link is dead from then on.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional.",
    params(("id" = String, Path, format = "uuid", description = ID_PARAM)),
    request_body(content = Option<ExpireBody>, description = "Optional `reason` (at most 1000 characters), recorded in the audit trail."),
    responses(
        (status = 200, description = "The expired handoff.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: `invalid_transition` (not open) or `handoff_finished`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `reason` (longer than 1000 characters) or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn expire(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<ExpireBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    let id = parse_id(&id, "handoff")?;
    require_for_kind(&app, &key, &id).await?;
    let h = handoffs::step_with_reason(
        &app,
        &key.organization_id,
        &id,
        Event::Expire,
        key.actor(),
        body.reason,
    )
    .await?;
    Ok(axum::Json(read(&app, h).await?))
}

async fn require_for_kind(app: &App, key: &ApiPrincipal, id: &str) -> Result<(), AppError> {
    if key.require("handoffs:write").is_err() && key.require("approvals:write").is_err() {
        return Err(AppError::forbidden(
            "this API key lacks the `handoffs:write` (or, for approvals, `approvals:write`) scope",
        ));
    }
    let h = handoffs::get(app, &key.organization_id, id).await?;
    key.require(crate::service::keys::write_scope(h.kind))
}
