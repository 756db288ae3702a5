//! `POST /api/v1/agents/handoff` (seed 002). Accepts camelCase and snake_case.

use super::extract::{ApiAuth, Json};
use super::views::ErrorEnvelope;
use crate::error::AppError;
use crate::service::agents::{self, AgentHandoff};
use crate::service::App;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Seed 002's AgentHandoffRequest. Each field is also accepted under its camelCase
/// alias (`fromAgent`, `toAgent`, `conversationContext`, `handoffReason`, `handoffTime`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentHandoffRequest {
    /// The agent handing off (alias `fromAgent`), 1 to 200 characters.
    #[serde(alias = "fromAgent")]
    from_agent: String,
    /// The agent taking over (alias `toAgent`); must differ from `from_agent`.
    #[serde(alias = "toAgent")]
    to_agent: String,
    /// What the next agent needs to know (alias `conversationContext`), at most 64 KiB of JSON.
    #[serde(alias = "conversationContext")]
    conversation_context: Map<String, Value>,
    /// Why (alias `handoffReason`); shown as the handoff's text.
    #[serde(alias = "handoffReason")]
    handoff_reason: String,
    /// `low`, `medium` (default), `high` or `urgent`.
    #[serde(default)]
    priority: Option<String>,
    /// When the handoff happened, RFC 3339 (alias `handoffTime`).
    #[serde(default, alias = "handoffTime")]
    #[schema(format = DateTime)]
    handoff_time: Option<String>,
}

/// Seed 002's AgentHandoffResponse.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentHandoffResponse {
    /// Always `success`.
    status: &'static str,
    handoff_id: String,
    /// Always true.
    result: bool,
    message: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/agents/handoff",
    operation_id = "agent_handoff",
    tag = "agents",
    summary = "Hand a task from one agent to another (seed 002)",
    description = "Records a handoff of kind `agent`; the receiving agent accepts it with `POST /api/v1/handoffs/{id}/accept` and finishes it with `/complete`.\n\nEvery field is also accepted in camelCase: `fromAgent`, `toAgent`, `conversationContext`, `handoffReason`, `handoffTime` (`priority` is the same in both). The response uses seed 002's camelCase names.\n\nScope: `handoffs:write`. Accepts `Idempotency-Key`.",
    request_body = AgentHandoffRequest,
    responses(
        (status = 201, description = "The handoff was recorded.", body = AgentHandoffResponse),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `from_agent` / `to_agent` (missing, empty, over 200 characters, or equal), `handoff_reason` (missing, empty or over 2000 characters), `conversation_context` (missing, not an object, or over 64 KiB of JSON), `priority` (not low, medium, high or urgent), `handoff_time` (not RFC 3339), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<AgentHandoffRequest>,
) -> Result<(StatusCode, axum::Json<AgentHandoffResponse>), AppError> {
    key.require("handoffs:write")?;
    let to = body.to_agent.clone();
    let h = agents::create(
        &app,
        &key.organization_id,
        &key.actor(),
        AgentHandoff {
            from_agent: body.from_agent,
            to_agent: body.to_agent,
            conversation_context: body.conversation_context,
            handoff_reason: body.handoff_reason,
            priority: body.priority,
            handoff_time: body.handoff_time,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(AgentHandoffResponse {
            status: "success",
            message: format!(
                "handoff recorded for {to}; it accepts with POST /api/v1/handoffs/{}/accept",
                h.id
            ),
            handoff_id: h.id,
            result: true,
        }),
    ))
}
