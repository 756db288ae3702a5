//! `/api/v1/handoffs`: create (takeover), read, list, resolve, audit trail.

use super::extract::{ApiAuth, Json, JsonOrEmpty, Query};
use super::views::ErrorEnvelope;
use super::views::{EventRead, HandoffRead, MessageRead, Page, PageRequest};
use crate::domain::{Event, Kind, Packet, Source};
use crate::error::AppError;
use crate::service::handoffs::{self, NewTakeover};
use crate::service::{parse_id, App};
use crate::store::HandoffQuery;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHandoff {
    /// `takeover` (with `conversation_id`, `source`, `packet`) or `assist`
    /// (with `agent_id`, `interruption_type`, `domain`, `url`, `question`,
    /// optional `input`, `capture`, `timeout_seconds`). Approvals have
    /// `POST /approvals`, agent handoffs `POST /agents/handoff`.
    kind: Kind,
    /// Takeover: the conversation being handed off (UUID).
    #[serde(default)]
    #[schema(format = "uuid")]
    conversation_id: Option<String>,
    /// Takeover.
    #[serde(default)]
    source: Option<Source>,
    /// Takeover.
    #[serde(default)]
    packet: Option<Packet>,
    /// Assist: the agent's own name, 1 to 200 characters.
    #[serde(default)]
    agent_id: Option<String>,
    /// Assist: captcha | twofa | approval_modal | login | other.
    #[serde(default)]
    interruption_type: Option<String>,
    /// Assist: the host name of the stuck page (at most 253).
    #[serde(default)]
    domain: Option<String>,
    /// Assist: the stuck page's http(s) URL (at most 2048); shown as text, never fetched.
    #[serde(default)]
    url: Option<String>,
    /// Assist: what the operator should do, 1 to 2000 characters.
    #[serde(default)]
    question: Option<String>,
    /// Assist: `code` (numeric keyboard with one-time-code autofill), `text` (default) or `none` (taps only).
    #[serde(default)]
    input: Option<String>,
    /// Assist: the captured browser. Without it the handoff is `detected` and
    /// shown to nobody until `POST /handoffs/{id}/frozen`.
    #[serde(default)]
    capture: Option<super::assist::CaptureBody>,
    /// Assist: expire after this many seconds without being solved (1 to 604800).
    #[serde(default)]
    timeout_seconds: Option<i64>,
    /// Seed 004: give the handoff to this operator (id or email) at once; the
    /// answer then carries `mobile_url`, that operator's signed single-use link.
    /// An assist needs its `capture` for this.
    #[serde(default)]
    assignee: Option<String>,
}

/// The created handoff, plus the link for its assignee (seed 004's quickstart).
#[derive(serde::Serialize, ToSchema)]
pub struct CreatedHandoff {
    #[serde(flatten)]
    handoff: HandoffRead,
    /// With `assignee`: the operator's signed single-use link to `/m/<id>`
    /// (valid `link_ttl_seconds`, 60 s by default), for the agent to pass on.
    /// Null without an assignee: a link always belongs to one operator.
    #[schema(required = true)]
    mobile_url: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs",
    operation_id = "create_handoff",
    tag = "handoffs",
    summary = "Create a takeover or assist handoff",
    description = "`kind: assist` (seed 004): a browser agent's stuck screen. With `capture` the handoff is `frozen` and routed at once; without, it is `detected` (shown to nobody) until `POST /handoffs/{id}/frozen`. The capture is sealed at rest with the organization's data key and purged a configured time after the handoff ends; the answer's `assist` object never contains cookies, storage or the DOM. Bodies up to 6 MiB.\n\n`kind: takeover`: records a `takeover` handoff for a conversation and flips the conversation to `waiting_for_human` (agent messages are then refused with 409 until it is handed back or resolved).\n\nWith `assignee` (an operator id or email; an assist needs its `capture`) the handoff is also assigned to that operator, and `mobile_url` is that operator's signed single-use link (seed 004); the assignment's audit row names the API key the link was issued to. The server fills `packet.transcript_ptr` with the highest message seq at this moment (`up_to_seq: null` for an empty thread); a value sent by the client is replaced.\n\nScope: `handoffs:write`. Accepts `Idempotency-Key`.",
    request_body = CreateHandoff,
    responses(
        (status = 201, description = "The handoff was recorded (a takeover's status is `requested`; an assist is `detected` or `frozen`; with `assignee`, `assigned` / `opened`).", body = CreatedHandoff),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: conversation_closed`: a closed conversation cannot be handed off.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming each field by JSON path: `kind` (only `takeover` here), `conversation_id` (not a UUID, or no such conversation in this organization), `source`, `packet`, `packet.static_text` (missing, empty or over 2000 characters), `packet.reason` / `packet.summary` / `packet.transfer_to` / `packet.transfer_label` (over 20000 characters), `packet.context_vars` (over 64 KiB of JSON), or an unknown field. Assist: `agent_id`, `question` (missing, empty or too long), `interruption_type`, `input` (not one of the listed values), `domain` (not a host name), `url` (not http(s), over 2048), `capture.screenshot` (not base64, over 2 MiB decoded, not a PNG or JPEG by its first bytes), `capture.viewport.width` / `.height` (outside 1–4096), `capture.dom_snapshot` (over 1 MiB), `capture.cookies` / `capture.storage` (over 256 KiB together), `timeout_seconds` (outside 1–604800); a field of the other kind; `assignee` (no active operator with that id or email in this organization, or an assist without `capture`).", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(mut body): Json<CreateHandoff>,
) -> Result<(StatusCode, axum::Json<CreatedHandoff>), AppError> {
    key.require("handoffs:write")?;
    // An unknown assignee is refused before anything is written.
    let assignee = match body.assignee.take() {
        Some(who) => Some(handoffs::assignee_named(&app, &key.organization_id, &who).await?),
        None => None,
    };
    if assignee.is_some() && body.kind == Kind::Assist && body.capture.is_none() {
        return Err(AppError::invalid_field(
            "assignee",
            "an assist is shown to an operator once it has its `capture`",
        ));
    }
    let (status, axum::Json(mut handoff)) = match body.kind {
        Kind::Takeover => create_takeover(&app, &key, body).await,
        Kind::Assist => {
            let takeover_fields = [
                ("conversation_id", body.conversation_id.is_some()),
                ("source", body.source.is_some()),
                ("packet", body.packet.is_some()),
            ];
            if let Some((name, _)) = takeover_fields.iter().find(|(_, given)| *given) {
                return Err(AppError::invalid_field(
                    *name,
                    "not a field of an assist handoff",
                ));
            }
            super::assist::create(
                &app,
                &key,
                super::assist::AssistFields {
                    agent_id: body.agent_id,
                    interruption_type: body.interruption_type,
                    domain: body.domain,
                    url: body.url,
                    question: body.question,
                    input: body.input,
                    capture: body.capture,
                    timeout_seconds: body.timeout_seconds,
                },
            )
            .await
        }
        _ => Err(AppError::invalid_field(
            "kind",
            "only `takeover` and `assist` handoffs can be created with this endpoint",
        )),
    }?;
    let mut mobile_url = None;
    if let Some(op) = assignee {
        let (h, url) =
            handoffs::assign_with_link(&app, &key.organization_id, &handoff.id, key.actor(), &op)
                .await?;
        let now: HandoffRead = h.into();
        handoff.state = now.state;
        handoff.status = now.status;
        handoff.assignee = now.assignee;
        handoff.version = now.version;
        handoff.updated_at = now.updated_at;
        mobile_url = Some(url);
    }
    Ok((
        status,
        axum::Json(CreatedHandoff {
            handoff,
            mobile_url,
        }),
    ))
}

async fn create_takeover(
    app: &App,
    key: &crate::service::keys::ApiPrincipal,
    body: CreateHandoff,
) -> Result<(StatusCode, axum::Json<HandoffRead>), AppError> {
    let assist_fields = [
        ("agent_id", body.agent_id.is_some()),
        ("interruption_type", body.interruption_type.is_some()),
        ("domain", body.domain.is_some()),
        ("url", body.url.is_some()),
        ("question", body.question.is_some()),
        ("input", body.input.is_some()),
        ("capture", body.capture.is_some()),
        ("timeout_seconds", body.timeout_seconds.is_some()),
    ];
    if let Some((name, _)) = assist_fields.iter().find(|(_, given)| *given) {
        return Err(AppError::invalid_field(
            *name,
            "not a field of a takeover handoff",
        ));
    }
    let required = |name: &str| AppError::invalid_field(name, format!("missing field `{name}`"));
    let raw_id = body
        .conversation_id
        .ok_or_else(|| required("conversation_id"))?;
    let source = body.source.ok_or_else(|| required("source"))?;
    let packet = body.packet.ok_or_else(|| required("packet"))?;
    let conversation_id = parse_id(&raw_id, "conversation").map_err(|_| {
        AppError::invalid_field("conversation_id", "must be a conversation id (UUID)")
    })?;
    let h = handoffs::create_takeover(
        app,
        &key.organization_id,
        &key.actor(),
        NewTakeover {
            conversation_id,
            source,
            packet,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(h.into())))
}

#[utoipa::path(
    get,
    path = "/api/v1/handoffs/{id}",
    operation_id = "get_handoff",
    tag = "handoffs",
    summary = "Read a handoff",
    description = "Any kind of handoff (takeover, approval, assist, agent). `status` is the kind-specific view, `state` the stored lifecycle state.\n\nScope: `read`.",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    responses(
        (status = 200, description = "The handoff.", body = HandoffRead),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "handoff")?;
    let h = handoffs::get(&app, &key.organization_id, &id).await?;
    Ok(axum::Json(super::assist::read(&app, h).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A takeover status (`requested`, `assigned`, `accepted`, `resolved`, `cancelled`)
    /// or a lifecycle state (`created`, `detected`, `frozen`, `notified`, `escalated`,
    /// `opened`, `solving`, …).
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    kind: Option<Kind>,
    /// Page size, 1 to 200 (default 50).
    #[serde(default)]
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    cursor: Option<String>,
    /// Search (case-insensitive, up to 100 characters): the packet's text, the
    /// approval's subject, the conversation's customer reference, or the name of
    /// the operator it is assigned to or was decided by.
    #[serde(default)]
    q: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/handoffs",
    operation_id = "list_handoffs",
    tag = "handoffs",
    summary = "List handoffs, newest first",
    description = "Cursor pagination: pass `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is null on the last page. Unknown query parameters are refused (400). Assist handoffs carry their `assist` object as in `GET /handoffs/{id}`.\n\nScope: `read`.",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of handoffs.", body = Page<HandoffRead>),
        (status = 400, description = "`bad_request` naming the query parameter in `fields`: unparseable value (e.g. `limit=x`, unknown `kind`) or unknown parameter.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `status` (neither a takeover status nor a lifecycle state, or a takeover status with another `kind`), `limit` (outside 1–200), `cursor` (not from a previous page), `q` (longer than 100 characters).", body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<Page<HandoffRead>>, AppError> {
    key.require("read")?;
    let (states, kind) = match q.status.as_deref() {
        Some(status) => {
            let (states, kind) = handoffs::parse_status_filter(status, q.kind)?;
            (Some(states), kind)
        }
        None => (None, q.kind),
    };
    let page = PageRequest::parse(q.limit, q.cursor)?;
    let text = handoffs::search_text("q", q.q.as_deref())?;
    let items = handoffs::list(
        &app,
        &key.organization_id,
        HandoffQuery {
            states,
            kind,
            decision: None,
            before: page.before.clone(),
            text,
            limit: page.limit,
        },
    )
    .await?;
    let next_cursor = page.next_cursor(&items, |h| &h.id);
    Ok(axum::Json(Page {
        data: super::assist::read_all(&app, &key.organization_id, items).await?,
        next_cursor,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/resolve",
    operation_id = "resolve_handoff",
    tag = "handoffs",
    summary = "Resolve a takeover; solve an assist",
    description = "Takeover: the handoff becomes `resolved` (state `completed`) and its conversation `closed` with `termination_reason = handoff_resolved`, in one transaction. Assist (seed 004): `opened`/`solving` → `solved` → `resume_requested` (the agent is asked to resume at once). No request body is read.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval).",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    responses(
        (status = 200, description = "The resolved handoff.", body = HandoffRead),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
    )
)]
pub async fn resolve(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    let id = parse_id(&id, "handoff")?;
    require_for_kind(&app, &key, &id).await?;
    let h = handoffs::get(&app, &key.organization_id, &id).await?;
    // Seed 004: resolving an assist is "Done": solved, and the agent asked to resume.
    let h = if h.kind == Kind::Assist {
        crate::service::assist::done(&app, &key.organization_id, &id, key.actor()).await?
    } else {
        handoffs::resolve(&app, &key.organization_id, &id, key.actor()).await?
    };
    Ok(axum::Json(super::assist::read(&app, h).await?))
}

/// The handoff's audit trail, oldest first; with `Accept: text/event-stream`,
/// a live SSE stream of the same events (resumable with `Last-Event-ID`).
#[utoipa::path(
    get,
    path = "/api/v1/handoffs/{id}/events",
    operation_id = "handoff_events",
    tag = "handoffs",
    summary = "A handoff's audit trail (JSON or live SSE)",
    description = "Without `Accept: text/event-stream`: the handoff's audit events, oldest first, as a JSON array (each with the hash of the organization's chain).\n\nWith `Accept: text/event-stream`: a Server-Sent Events stream of the same events, from the first one (or after `Last-Event-ID`), then live. Each SSE event has `id:` = the event's `seq` in the organization's audit chain, `event:` = the event name (`create`, `assign`, `resolve`, …) and `data:` = one `EventRead` as JSON. Keep-alive comments every 15 s; reconnect with `Last-Event-ID` to resume without gaps.\n\nScope: `read`.",
    params(
        ("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404."),
        ("Last-Event-ID" = Option<i64>, Header, minimum = 0, description = "SSE only: resume after this event id (the last `id:` received)."),
    ),
    responses(
        (status = 200, description = "The audit trail.", content(
            (Vec<EventRead> = "application/json"),
            (String = "text/event-stream"),
        )),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `Last-Event-ID`: not an event id this stream sent (a non-negative integer).", body = ErrorEnvelope),
    )
)]
pub async fn events(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    key.require("read")?;
    let id = parse_id(&id, "handoff")?;
    if super::streams::wants_sse(&headers) {
        return super::streams::handoff_stream(app, &key, id, &headers).await;
    }
    handoffs::get(&app, &key.organization_id, &id).await?;
    let rows = crate::service::audit::handoff_events(&app, &key.organization_id, &id).await?;
    Ok(axum::Json(rows.into_iter().map(EventRead::from).collect::<Vec<_>>()).into_response())
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// Operator id or email; required for assign, optional for accept.
    #[serde(default)]
    assignee: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/assign",
    operation_id = "assign_handoff",
    tag = "handoffs",
    summary = "Assign to an operator",
    description = "Gives the handoff to a named operator of the organization (by id or email). `assignee` is required here although the body type marks it optional (it is shared with accept).\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval).",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body = AssignBody,
    responses(
        (status = 200, description = "The handoff after the assignment.", body = HandoffRead),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `assignee` (missing, or no active operator with that id or email in this organization), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn assign(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<AssignBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    let id = parse_id(&id, "handoff")?;
    require_for_kind(&app, &key, &id).await?;
    let who = body
        .assignee
        .ok_or_else(|| AppError::invalid_field("assignee", "required: an operator id or email"))?;
    Ok(axum::Json(
        handoffs::assign(&app, &key.organization_id, &id, key.actor(), &who, false)
            .await?
            .into(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/accept",
    operation_id = "accept_handoff",
    tag = "handoffs",
    summary = "Accept (optionally on behalf of an operator)",
    description = "Moves the handoff to `accepted` (state `solving`). With `assignee`, it is assigned to that operator and accepted in one step. Takeover, assist and agent handoffs.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional.",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body(content = Option<AssignBody>, description = "Optional `assignee`: operator id or email."),
    responses(
        (status = 200, description = "The accepted handoff.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `assignee` (no active operator with that id or email in this organization), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn accept(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<AssignBody>,
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
    Ok(axum::Json(h.into()))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Recorded in the audit trail; at most 1000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    reason: Option<String>,
}

/// The generic steps need the scope of the handoff's kind: `approvals:write`
/// for an approval, `handoffs:write` for the other kinds. A key with neither is
/// refused before anything is read; another organization's id stays a 404.
async fn require_for_kind(
    app: &App,
    key: &crate::service::keys::ApiPrincipal,
    id: &str,
) -> Result<(), AppError> {
    if key.require("handoffs:write").is_err() && key.require("approvals:write").is_err() {
        return Err(AppError::forbidden(
            "this API key lacks the `handoffs:write` (or, for approvals, `approvals:write`) scope",
        ));
    }
    let h = handoffs::get(app, &key.organization_id, id).await?;
    key.require(crate::service::keys::write_scope(h.kind))
}

async fn simple_step(
    app: App,
    key: crate::service::keys::ApiPrincipal,
    id: String,
    event: Event,
    reason: Option<String>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    let id = parse_id(&id, "handoff")?;
    require_for_kind(&app, &key, &id).await?;
    let h = handoffs::step_with_reason(&app, &key.organization_id, &id, event, key.actor(), reason)
        .await?;
    Ok(axum::Json(h.into()))
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/cancel",
    operation_id = "cancel_handoff",
    tag = "handoffs",
    summary = "Cancel (the agent withdraws the request)",
    description = "Withdraws the request from any open state; the handoff becomes `cancelled`.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body(content = Option<ReasonBody>, description = "Optional `reason` (at most 1000 characters), recorded in the audit trail."),
    responses(
        (status = 200, description = "The handoff after the step.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn cancel(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    simple_step(app, key, id, Event::Cancel, body.reason).await
}

/// Gives the conversation back to the bot: `active` with `status_reason = handed_back`.
#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/handback",
    operation_id = "handback_handoff",
    tag = "handoffs",
    summary = "Hand the conversation back to the bot",
    description = "Takeovers only: the handoff completes and the conversation becomes `active` again with `status_reason = handed_back`.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body(content = Option<ReasonBody>, description = "Optional `reason` (at most 1000 characters), recorded in the audit trail."),
    responses(
        (status = 200, description = "The handoff after the step.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn handback(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    simple_step(app, key, id, Event::HandBack, body.reason).await
}

/// The agent picked up after the decision / the operator's input.
#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/resume",
    operation_id = "resume_handoff",
    tag = "handoffs",
    summary = "Resume: the agent picked up after the decision",
    description = "Approval and assist handoffs, after the decision or the operator's input (`solved` or `resume_requested` → `resumed`).\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body(content = Option<ReasonBody>, description = "Optional `reason` (at most 1000 characters), recorded in the audit trail."),
    responses(
        (status = 200, description = "The handoff after the step.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn resume(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    simple_step(app, key, id, Event::Resume, body.reason).await
}

/// The original task finished (approval / assist after resume; agent handoffs after accept).
#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/complete",
    operation_id = "complete_handoff",
    tag = "handoffs",
    summary = "Complete: the original task finished",
    description = "Approval and assist handoffs after resume (`resumed` → `completed`); agent handoffs after accept (`solving` → `completed`).\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body(content = Option<CompleteBody>, description = "Optional `task_outcome` (seed 004, e.g. `success`; 1 to 100 characters) and `reason` (at most 1000 characters), recorded in the audit trail."),
    responses(
        (status = 200, description = "The handoff after the step.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (longer than 1000 characters), `task_outcome` (empty or longer than 100 characters) or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn complete(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<CompleteBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    let id = parse_id(&id, "handoff")?;
    require_for_kind(&app, &key, &id).await?;
    if let Some(o) = &body.task_outcome {
        crate::domain::limits::required("task_outcome", o, TASK_OUTCOME_MAX)?;
    }
    crate::domain::limits::too_long("reason", body.reason.as_deref(), REASON_MAX)?;
    let h = handoffs::step(
        &app,
        &key.organization_id,
        &id,
        Event::Complete,
        key.actor(),
        json!({ "reason": body.reason, "task_outcome": body.task_outcome }),
    )
    .await?;
    crate::service::assist::forget_actions_after(&app, &h).await?;
    Ok(axum::Json(super::assist::read(&app, h).await?))
}

const TASK_OUTCOME_MAX: usize = 100;
use crate::domain::limits::REASON_MAX;

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteBody {
    /// How the original task ended (seed 004: `success`, …); 1 to 100 characters.
    #[serde(default)]
    task_outcome: Option<String>,
    /// Recorded in the audit trail; at most 1000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    reason: Option<String>,
}

/// Resuming failed (state corrupted, domain changed, …).
#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/fail",
    operation_id = "fail_handoff",
    tag = "handoffs",
    summary = "Fail: resuming did not work",
    description = "Approval and assist handoffs: resuming failed (state corrupted, domain changed, …); `solved` or `resume_requested` → `failed`.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body(content = Option<ReasonBody>, description = "Optional `reason` (at most 1000 characters), recorded in the audit trail."),
    responses(
        (status = 200, description = "The handoff after the step.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn fail(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    simple_step(app, key, id, Event::Fail, body.reason).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelayBody {
    /// The operator's message, 1 to 20000 characters.
    content: String,
    /// Your own reference for this message (1-100 visible ASCII): sending the
    /// same one again returns the first message instead of a duplicate.
    #[serde(default)]
    client_ref: Option<String>,
}

/// The operator's message, relayed into the customer's conversation.
#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/messages",
    operation_id = "relay_handoff_message",
    tag = "handoffs",
    summary = "Relay an operator message into the conversation",
    description = "Appends the operator's message (author `operator`) to the handoff's conversation while the handoff is open.\n\nScope: `handoffs:write`. Accepts `Idempotency-Key`.",
    params(("id" = String, Path, format = "uuid", description = "Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body = RelayBody,
    responses(
        (status = 201, description = "The appended message.", body = MessageRead),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`. `reason`: `handoff_finished` (the handoff is no longer open), `no_conversation` (the handoff has none) or `conversation_closed`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `content` (missing, empty or over 20000 characters), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn relay(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<RelayBody>,
) -> Result<(StatusCode, axum::Json<MessageRead>), AppError> {
    key.require("handoffs:write")?;
    let id = parse_id(&id, "handoff")?;
    let m = handoffs::relay(
        &app,
        &key.organization_id,
        &id,
        &body.content,
        body.client_ref.as_deref(),
        &key.actor(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(m.into())))
}
