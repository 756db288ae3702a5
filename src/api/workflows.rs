//! `/api/v1/workflows/{workflow_id}/nodes/{node_id}`: approval nodes.

use super::extract::{ApiAuth, Json};
use super::views::ApprovalRead;
use super::views::ErrorEnvelope;
use crate::domain::node::ApprovalNode;
use crate::error::AppError;
use crate::service::{parse_id, workflows, App};
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[utoipa::path(
    put,
    path = "/api/v1/workflows/{workflow_id}/nodes/{node_id}",
    operation_id = "put_node",
    tag = "workflows",
    summary = "Save an approval node",
    description = "Creates or replaces the workflow's approval node. The condition expression is parsed now, so a bad one is refused with its position instead of failing at run time. The saved node is returned with `id` set to the path's node id.\n\nScope: `approvals:write`.",
    params(
        ("workflow_id" = String, Path, description = "Workflow id: 1-200 letters, digits, `-`, `_` or `.`."),
        ("node_id" = String, Path, description = "Node id: 1-200 letters, digits, `-`, `_` or `.`."),
    ),
    request_body = ApprovalNode,
    responses(
        (status = 200, description = "The saved node.", body = ApprovalNode),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming each field: `workflow_id` / `node_id` (path ids with other characters), `id` (differs from the path), `type` (not `approval`), `condition.type` (not `expression`), `condition.expression` (does not parse; the message gives the position), `on_approve` / `on_deny` (empty or over 200 characters), `timeout_seconds` (outside 1–604800), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn put(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path((workflow_id, node_id)): Path<(String, String)>,
    Json(node): Json<ApprovalNode>,
) -> Result<axum::Json<ApprovalNode>, AppError> {
    key.require("approvals:write")?;
    Ok(axum::Json(
        workflows::put(&app, &key.organization_id, &workflow_id, &node_id, node).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/workflows/{workflow_id}/nodes/{node_id}",
    operation_id = "get_node",
    tag = "workflows",
    summary = "Read an approval node",
    description = "Scope: `read`.",
    params(
        ("workflow_id" = String, Path, description = "Workflow id: 1-200 letters, digits, `-`, `_` or `.`."),
        ("node_id" = String, Path, description = "Node id: 1-200 letters, digits, `-`, `_` or `.`."),
    ),
    responses(
        (status = 200, description = "The node.", body = ApprovalNode),
        (status = 404, description = "`not_found`: no such node in this organization (also for malformed ids).", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path((workflow_id, node_id)): Path<(String, String)>,
) -> Result<axum::Json<ApprovalNode>, AppError> {
    key.require("read")?;
    Ok(axum::Json(
        workflows::get(&app, &key.organization_id, &workflow_id, &node_id).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateBody {
    /// The conversation an approval would suspend (UUID).
    #[schema(format = "uuid")]
    conversation_id: String,
    /// The values the condition reads (default `{}`); stored as the approval's payload.
    #[serde(default)]
    variables: Map<String, Value>,
}

#[derive(Serialize, ToSchema)]
pub struct EvaluateResult {
    /// The node to continue with when no approval is needed; null while an approval is pending.
    #[schema(required = true)]
    next: Option<String>,
    /// The approval that was requested; null when none was needed.
    #[schema(required = true)]
    approval: Option<ApprovalRead>,
    /// Why the condition could not be evaluated (the node then fails closed: approval required).
    #[serde(skip_serializing_if = "Option::is_none")]
    evaluation_error: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/workflows/{workflow_id}/nodes/{node_id}/evaluate",
    operation_id = "evaluate_node",
    tag = "workflows",
    summary = "Evaluate an approval node for a conversation",
    description = "Evaluates the node's condition against `variables`. False: no approval is needed and `next` is `on_approve`. True: an approval is created (as by `POST /approvals`, `subject_kind = workflow_node`) and returned, with `next: null` until it is decided. A condition that cannot be evaluated fails closed: an approval is created and `evaluation_error` says why. That includes a condition that would build a string over 64 KiB or need more than 50,000 steps of work. `variables` is size-checked (64 KiB of JSON) before the condition is evaluated.\n\nScope: `approvals:write`. Accepts `Idempotency-Key`.",
    params(
        ("workflow_id" = String, Path, description = "Workflow id: 1-200 letters, digits, `-`, `_` or `.`."),
        ("node_id" = String, Path, description = "Node id: 1-200 letters, digits, `-`, `_` or `.`."),
    ),
    request_body = EvaluateBody,
    responses(
        (status = 200, description = "What the node decided.", body = EvaluateResult),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such node in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: conversation_closed`: an approval cannot be requested in a closed conversation.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `conversation_id` (not a UUID, or no such conversation in this organization), `variables` (not an object, or over 64 KiB of JSON), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn evaluate(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path((workflow_id, node_id)): Path<(String, String)>,
    Json(body): Json<EvaluateBody>,
) -> Result<axum::Json<EvaluateResult>, AppError> {
    key.require("approvals:write")?;
    let conversation_id = parse_id(&body.conversation_id, "conversation").map_err(|_| {
        AppError::invalid_field("conversation_id", "must be a conversation id (UUID)")
    })?;
    let e = workflows::evaluate(
        &app,
        &key.organization_id,
        &key.actor(),
        &workflow_id,
        &node_id,
        conversation_id,
        body.variables,
    )
    .await?;
    Ok(axum::Json(EvaluateResult {
        next: e.next,
        approval: e.approval.map(|(h, a)| ApprovalRead::new(h, a)),
        evaluation_error: e.evaluation_error,
    }))
}
