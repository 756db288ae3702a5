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
    /// Only `takeover` can be created with this endpoint in this version.
    kind: Kind,
    /// The conversation being handed off (UUID).
    #[schema(format = "uuid")]
    conversation_id: String,
    source: Source,
    packet: Packet,
    /// Seed 004: give the handoff to this operator (id or email) at once; the
    /// answer then carries `mobile_url`, that operator's signed single-use link.
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
    summary = "Create a takeover handoff",
    description = "Records a `takeover` handoff for a conversation and flips the conversation to `waiting_for_human` (agent messages are then refused with 409 until it is handed back or resolved). With `assignee` (an operator id or email) it is also assigned to that operator, and `mobile_url` is that operator's signed single-use link (seed 004); the assignment's audit row names the API key the link was issued to. The server fills `packet.transcript_ptr` with the highest message seq at this moment (`up_to_seq: null` for an empty thread); a value sent by the client is replaced.\n\nScope: `handoffs:write`. Accepts `Idempotency-Key`.",
    request_body = CreateHandoff,
    responses(
        (status = 201, description = "The handoff was recorded (status `requested`, or `assigned` with an assignee).", body = CreatedHandoff),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: conversation_closed`: a closed conversation cannot be handed off.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming each field by JSON path: `kind` (only `takeover` here), `conversation_id` (not a UUID, or no such conversation in this organization), `source`, `packet`, `packet.static_text` (missing, empty or over 2000 characters), `packet.reason` / `packet.summary` / `packet.transfer_to` / `packet.transfer_label` (over 20000 characters), `packet.context_vars` (over 64 KiB of JSON), `assignee` (no active operator with that id or email in this organization), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<CreateHandoff>,
) -> Result<(StatusCode, axum::Json<CreatedHandoff>), AppError> {
    key.require("handoffs:write")?;
    if body.kind != Kind::Takeover {
        return Err(AppError::invalid_field(
            "kind",
            "only `takeover` handoffs can be created with this endpoint in this version",
        ));
    }
    let conversation_id = parse_id(&body.conversation_id, "conversation").map_err(|_| {
        AppError::invalid_field("conversation_id", "must be a conversation id (UUID)")
    })?;
    // An unknown assignee is refused before anything is written.
    let assignee = match body.assignee.as_deref() {
        Some(who) => Some(handoffs::assignee_named(&app, &key.organization_id, who).await?),
        None => None,
    };
    let mut h = handoffs::create_takeover(
        &app,
        &key.organization_id,
        &key.actor(),
        NewTakeover {
            conversation_id,
            source: body.source,
            packet: body.packet,
        },
    )
    .await?;
    let mut mobile_url = None;
    if let Some(op) = assignee {
        let (assigned, url) =
            handoffs::assign_with_link(&app, &key.organization_id, &h.id, key.actor(), &op).await?;
        (h, mobile_url) = (assigned, Some(url));
    }
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedHandoff {
            handoff: h.into(),
            mobile_url,
        }),
    ))
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
    Ok(axum::Json(
        handoffs::get(&app, &key.organization_id, &id).await?.into(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A lifecycle state (`created`, `notified`, `escalated`, `opened`, `solving`, …,
    /// `cancelled`) of any kind, or a seed-000 takeover status (`requested`,
    /// `assigned`, `accepted`, `resolved`), which lists takeovers only.
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
    description = "Cursor pagination: pass `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is null on the last page. Unknown query parameters are refused (400).\n\nScope: `read`.",
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
        data: items.into_iter().map(Into::into).collect(),
        next_cursor,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/handoffs/{id}/resolve",
    operation_id = "resolve_handoff",
    tag = "handoffs",
    summary = "Resolve a takeover",
    description = "The handoff becomes `resolved` (state `completed`) and its conversation `closed` with `termination_reason = handoff_resolved`, in one transaction. Takeovers only. No request body is read.\n\nScope: `handoffs:write` (`approvals:write` when the handoff is an approval).",
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
    Ok(axum::Json(
        handoffs::resolve(&app, &key.organization_id, &id, key.actor())
            .await?
            .into(),
    ))
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
    let h = match body.assignee {
        Some(who) => {
            handoffs::assign(&app, &key.organization_id, &id, key.actor(), &who, true).await?
        }
        None => {
            handoffs::step(
                &app,
                &key.organization_id,
                &id,
                Event::Accept,
                key.actor(),
                json!({}),
            )
            .await?
        }
    };
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
    request_body(content = Option<ReasonBody>, description = "Optional `reason` (at most 1000 characters), recorded in the audit trail."),
    responses(
        (status = 200, description = "The handoff after the step.", body = HandoffRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such handoff in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn complete(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<ReasonBody>,
) -> Result<axum::Json<HandoffRead>, AppError> {
    simple_step(app, key, id, Event::Complete, body.reason).await
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
