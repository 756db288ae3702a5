//! `/api/v1/conversations`: create, read, append and poll messages.

use super::extract::{ApiAuth, Json, JsonOrEmpty, Query};
use super::views::ErrorEnvelope;
use super::views::{ConversationRead, MessageRead};
use crate::error::AppError;
use crate::service::{conversations, parse_id, App};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateConversation {
    /// Your own id for the thread, at most 200 characters.
    #[serde(default)]
    #[schema(max_length = 200)]
    external_ref: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/conversations",
    operation_id = "create_conversation",
    tag = "conversations",
    summary = "Create a conversation",
    description = "A new, empty conversation with `status: active`.\n\nScope: `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.",
    request_body(content = Option<CreateConversation>, description = "Optional `external_ref`: your own id for the thread (at most 200 characters)."),
    responses(
        (status = 201, description = "The conversation.", body = ConversationRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `external_ref` (over 200 characters), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    JsonOrEmpty(body): JsonOrEmpty<CreateConversation>,
) -> Result<(StatusCode, axum::Json<ConversationRead>), AppError> {
    key.require("handoffs:write")?;
    let c = conversations::create(&app, &key.organization_id, body.external_ref).await?;
    Ok((StatusCode::CREATED, axum::Json(c.into())))
}

#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}",
    operation_id = "get_conversation",
    tag = "conversations",
    summary = "Read a conversation",
    description = "`status` is `active`, `waiting_for_human`, `awaiting_approval` or `closed`; `last_seq` is the seq of the newest message (0 when empty).\n\nScope: `read`.",
    params(("id" = String, Path, format = "uuid", description = "Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    responses(
        (status = 200, description = "The conversation.", body = ConversationRead),
        (status = 404, description = "`not_found`: no such conversation in this organization.", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<ConversationRead>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "conversation")?;
    Ok(axum::Json(
        conversations::get(&app, &key.organization_id, &id)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostMessage {
    /// `user`, `agent`, `operator` or `system`.
    author: String,
    /// 1 to 20000 characters.
    content: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/messages",
    operation_id = "post_message",
    tag = "conversations",
    summary = "Append a message",
    description = "Appends a message with the next `seq` (from 1). While the conversation is `waiting_for_human`, agent messages are refused; a closed conversation takes no messages.\n\nScope: `handoffs:write`. Accepts `Idempotency-Key`.",
    params(("id" = String, Path, format = "uuid", description = "Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body = PostMessage,
    responses(
        (status = 201, description = "The appended message.", body = MessageRead),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such conversation in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`. `reason`: `conversation_owned_by_human` (an agent message while a human owns the conversation) or `conversation_closed`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `author` (missing, or not one of user, agent, operator, system), `content` (missing, empty or over 20000 characters), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn post_message(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<PostMessage>,
) -> Result<(StatusCode, axum::Json<MessageRead>), AppError> {
    key.require("handoffs:write")?;
    let id = parse_id(&id, "conversation")?;
    let m =
        conversations::post_message(&app, &key.organization_id, &id, &body.author, &body.content)
            .await?;
    Ok((StatusCode::CREATED, axum::Json(m.into())))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// Only messages with a greater `seq` (default 0: from the start).
    #[serde(default)]
    #[param(minimum = 0)]
    since_seq: Option<i64>,
    /// At most this many messages (default 100; clamped to 1–500).
    #[serde(default)]
    limit: Option<i64>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct MessageList {
    data: Vec<MessageRead>,
    /// Pass as `since_seq` next time to get only newer messages.
    last_seq: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/messages",
    operation_id = "list_messages",
    tag = "conversations",
    summary = "Poll messages",
    description = "Only messages with `seq > since_seq`, oldest first. Pass the returned `last_seq` as `since_seq` next time.\n\nScope: `read`.",
    params(("id" = String, Path, format = "uuid", description = "Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404."), MessagesQuery),
    responses(
        (status = 200, description = "The messages after `since_seq`.", body = MessageList),
        (status = 400, description = "`bad_request` naming the query parameter in `fields`: unparseable value or unknown parameter.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such conversation in this organization.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `since_seq` (negative).", body = ErrorEnvelope),
    )
)]
pub async fn messages(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Query(q): Query<MessagesQuery>,
) -> Result<axum::Json<MessageList>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "conversation")?;
    let since = q.since_seq.unwrap_or(0);
    if since < 0 {
        return Err(AppError::invalid_field("since_seq", "must be 0 or more"));
    }
    let list = conversations::messages(
        &app,
        &key.organization_id,
        &id,
        since,
        q.limit.unwrap_or(100),
    )
    .await?;
    let last_seq = list.last().map_or(since, |m| m.seq);
    Ok(axum::Json(MessageList {
        data: list.into_iter().map(Into::into).collect(),
        last_seq,
    }))
}

#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalateBody {
    /// Why (at most 200 characters); default `operator_escalation`.
    #[serde(default)]
    #[schema(max_length = 200)]
    reason: Option<String>,
    /// What the operator should know (at most 1000 characters).
    #[serde(default)]
    #[schema(max_length = 1000)]
    summary: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct EscalateResponse {
    handoff_id: String,
    /// Only on `POST /leads/{id}/handoff`: the lead (= conversation) id.
    #[serde(skip_serializing_if = "Option::is_none")]
    lead_id: Option<String>,
    conversation_id: String,
    /// `waiting_for_human` (`awaiting_human` on the lead endpoint).
    conversation_status: &'static str,
    /// `slack` or `email`: the channel a notification of this handoff went out
    /// on, when one did within 3 s (other channels: see the handoff's
    /// notifications); null when neither was used by then.
    #[schema(required = true)]
    notified_channel: Option<&'static str>,
}

async fn notified(app: &App, org_id: &str, handoff_id: &str) -> Option<&'static str> {
    crate::service::escalations::notified_channel(
        app,
        org_id,
        handoff_id,
        crate::service::escalations::NOTIFIED_WITHIN,
    )
    .await
}

async fn escalate_inner(
    app: &App,
    key: &crate::service::keys::ApiPrincipal,
    id: &str,
    body: EscalateBody,
    scopes: &[&str],
) -> Result<crate::domain::Handoff, AppError> {
    key.require_any(scopes)?;
    let id = parse_id(id, "conversation")?;
    crate::service::escalations::escalate(
        app,
        &key.organization_id,
        &key.actor(),
        &id,
        body.reason,
        body.summary,
    )
    .await
}

/// Operator-initiated escalation: a takeover with `source = operator`.
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/escalate",
    operation_id = "escalate_conversation",
    tag = "conversations",
    summary = "Escalate a conversation to a human",
    description = "Operator-initiated escalation (seed 003): records a takeover with `source = operator` and flips the conversation to `waiting_for_human`; announced as `conversation.handoff_requested`.\n\nScope: `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.",
    params(("id" = String, Path, format = "uuid", description = "Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404.")),
    request_body(content = Option<EscalateBody>, description = "Optional `reason` (default `operator_escalation`) and `summary` shown to the operator."),
    responses(
        (status = 200, description = "The takeover was recorded; `conversation_status` is `waiting_for_human`.", body = EscalateResponse),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such conversation in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: conversation_closed`: a closed conversation cannot be escalated.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (over 200 characters), `summary` (over 1000 characters), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn escalate(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<EscalateBody>,
) -> Result<axum::Json<EscalateResponse>, AppError> {
    let h = escalate_inner(&app, &key, &id, body, &["handoffs:write"]).await?;
    let notified_channel = notified(&app, &key.organization_id, &h.id).await;
    Ok(axum::Json(EscalateResponse {
        handoff_id: h.id,
        lead_id: None,
        conversation_id: h.conversation_id.unwrap_or_default(),
        conversation_status: "waiting_for_human",
        notified_channel,
    }))
}

/// Seed 003's path and vocabulary: a lead is its conversation; `awaiting_human`
/// is tapin's `waiting_for_human`.
#[utoipa::path(
    post,
    path = "/api/v1/leads/{id}/handoff",
    operation_id = "lead_handoff",
    tag = "conversations",
    summary = "Hand a lead to a human (seed 003 vocabulary)",
    description = "Seed 003's path and words for the same escalation: a lead is its conversation, and `awaiting_human` is tapin's `waiting_for_human`. The response carries `lead_id`.\n\nScope: `leads:write` (seed 003's name) or `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.",
    params(("id" = String, Path, format = "uuid", description = "Lead id: the lead's conversation id (UUID).")),
    request_body(content = Option<EscalateBody>, description = "Optional `reason` (default `operator_escalation`) and `summary` shown to the operator."),
    responses(
        (status = 200, description = "The takeover was recorded; `conversation_status` is `awaiting_human`.", body = EscalateResponse),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such conversation in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: conversation_closed`: a closed conversation cannot be escalated.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `reason` (over 200 characters), `summary` (over 1000 characters), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn lead_handoff(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    JsonOrEmpty(body): JsonOrEmpty<EscalateBody>,
) -> Result<axum::Json<EscalateResponse>, AppError> {
    let h = escalate_inner(&app, &key, &id, body, &["leads:write", "handoffs:write"]).await?;
    let notified_channel = notified(&app, &key.organization_id, &h.id).await;
    Ok(axum::Json(EscalateResponse {
        handoff_id: h.id,
        lead_id: h.conversation_id.clone(),
        conversation_id: h.conversation_id.unwrap_or_default(),
        conversation_status: "awaiting_human",
        notified_channel,
    }))
}
