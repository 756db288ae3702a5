//! `/api/v1/approvals` and `/api/v1/approval-messages` (seed 001).

use super::extract::{ApiAuth, Json, Query};
use super::views::ErrorEnvelope;
use super::views::{ApprovalRead, ApprovalSummary, Page, PageRequest};
use crate::domain::approval::SubjectKind;
use crate::domain::Source;
use crate::error::AppError;
use crate::service::approvals::{self, DecisionInput, NewApproval};
use crate::service::{parse_id, App};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::Duration;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApproval {
    /// The conversation that waits for the decision (UUID).
    #[schema(format = "uuid")]
    conversation_id: String,
    subject_kind: SubjectKind,
    /// What is being approved (tool name, `workflow/node`), 1 to 200 characters.
    subject_ref: String,
    /// The action's arguments, shown to the approver (default `{}`; at most 64 KiB of JSON).
    #[serde(default)]
    payload: Map<String, Value>,
    /// Only operators with this role may decide (at most 200 characters).
    #[serde(default)]
    #[schema(max_length = 200)]
    approver_role: Option<String>,
    /// What the end user is shown while the approval is pending (at most 2000
    /// characters; appended to the conversation). Default: the organization's holding line.
    #[serde(default)]
    #[schema(max_length = 2000)]
    suspend_message: Option<String>,
    /// Expire the approval after this many seconds (1 to 604800); none by default.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 604800)]
    timeout_seconds: Option<i64>,
    /// A JSON Schema for what the person answers (typed answers): the page shows a
    /// form for it and an approval then needs an `answer` that validates. At most
    /// 16 KiB; no remote `$ref`. With `subject_kind: question` the `subject_ref` is
    /// the question (up to 2000 characters) and the default is free text.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    response_schema: Option<Value>,
}

#[utoipa::path(
    post,
    path = "/api/v1/approvals",
    operation_id = "create_approval",
    tag = "approvals",
    summary = "Request an approval",
    description = "Records the approval (status `pending`), flips the conversation to `awaiting_approval`, appends `suspend_message` to it (what the end user is shown while it is pending; the organization's holding line when none is given, and then `suspend_message` reads as that line) and, with `timeout_seconds`, schedules the timeout (a timeout reads as `expired` and routes like a deny). One transaction.\n\nScope: `approvals:write`. Accepts `Idempotency-Key`.",
    request_body = CreateApproval,
    responses(
        (status = 201, description = "The pending approval.", body = ApprovalRead),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: conversation_closed`: a closed conversation cannot wait for an approval.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `conversation_id` (not a UUID, or no such conversation in this organization), `subject_kind`, `subject_ref` (missing, empty or over 200 characters), `approver_role` (over 200 characters), `suspend_message` (over 2000 characters), `payload` (over 64 KiB of JSON), `timeout_seconds` (outside 1–604800), `response_schema` (not an object, over 16 KiB, or not a usable JSON Schema), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<CreateApproval>,
) -> Result<(StatusCode, axum::Json<ApprovalRead>), AppError> {
    key.require("approvals:write")?;
    let conversation_id = parse_id(&body.conversation_id, "conversation").map_err(|_| {
        AppError::invalid_field("conversation_id", "must be a conversation id (UUID)")
    })?;
    let (h, a) = approvals::create(
        &app,
        &key.organization_id,
        &key.actor(),
        NewApproval {
            conversation_id,
            subject_kind: body.subject_kind,
            subject_ref: body.subject_ref,
            payload: body.payload,
            approver_role: body.approver_role,
            suspend_message: body.suspend_message,
            timeout_seconds: body.timeout_seconds,
            node: None,
            source: Source::WorkflowTerminal,
            response_schema: body.response_schema,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(ApprovalRead::new(h, a))))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `pending`, `approved`, `denied`, `expired` or `cancelled`.
    #[serde(default)]
    status: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[serde(default)]
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[serde(default)]
    cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/approvals",
    operation_id = "list_approvals",
    tag = "approvals",
    summary = "List approvals, newest first",
    description = "The summary form (no payload). Cursor pagination: pass `next_cursor` as `cursor` for the next page; null on the last page. Unknown query parameters are refused (400).\n\nScope: `read`.",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of approvals.", body = Page<ApprovalSummary>),
        (status = 400, description = "`bad_request` naming the query parameter in `fields`: unparseable value or unknown parameter.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `status` (not pending, approved, denied, expired or cancelled), `limit` (outside 1–200), `cursor` (not from a previous page).", body = ErrorEnvelope),
    )
)]
pub async fn list(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Query(q): Query<ListQuery>,
) -> Result<axum::Json<Page<ApprovalSummary>>, AppError> {
    key.require("read")?;
    let page = PageRequest::parse(q.limit, q.cursor)?;
    let items = approvals::list(
        &app,
        &key.organization_id,
        q.status.as_deref(),
        page.before.clone(),
        page.limit,
    )
    .await?;
    let next_cursor = page.next_cursor(&items, |(h, _)| &h.id);
    Ok(axum::Json(Page {
        data: items
            .into_iter()
            .map(|(h, a)| ApprovalRead::new(h, a).into())
            .collect(),
        next_cursor,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/approvals/{id}",
    operation_id = "get_approval",
    tag = "approvals",
    summary = "Read an approval",
    description = "Scope: `read`.",
    params(("id" = String, Path, format = "uuid", description = "Approval id (UUID). An id that is not a UUID, belongs to another organization or is not an approval is a 404.")),
    responses(
        (status = 200, description = "The approval.", body = ApprovalRead),
        (status = 404, description = "`not_found`: no such approval in this organization.", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<ApprovalRead>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "approval")?;
    let (h, a) = approvals::get(&app, &key.organization_id, &id).await?;
    Ok(axum::Json(ApprovalRead::new(h, a)))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum DecisionWord {
    Approve,
    Deny,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    decision: DecisionWord,
    /// Shown with the decision (at most 2000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    note: Option<String>,
    /// An edited payload; must keep `subject_kind` / `subject_ref` when they are given.
    #[serde(default)]
    payload: Option<Map<String, Value>>,
    /// When given, must equal the approval's `subject_kind`.
    #[serde(default)]
    subject_kind: Option<String>,
    /// When given, must equal the approval's `subject_ref`.
    #[serde(default)]
    subject_ref: Option<String>,
    /// The answer, when the approval has a `response_schema`: required to approve,
    /// validated against the schema (422 naming `answer` when it does not match).
    #[serde(default)]
    answer: Option<Value>,
}

#[utoipa::path(
    post,
    path = "/api/v1/approvals/{id}/decide",
    operation_id = "decide_approval",
    tag = "approvals",
    summary = "Approve or deny",
    description = "Records the decision and resumes the conversation. The approver may edit the payload; an edit must keep `subject_kind` and `subject_ref` when they are given, so approving one action cannot run another. A second decision is a 409. The API key that requested the approval cannot decide it (403 with `reason: self_approval`) unless the server sets `allow_self_approval`: the decision comes from another key or from an operator.\n\nScope: `approvals:decide` (`approvals:write` alone is not enough; `admin` implies it).",
    params(("id" = String, Path, format = "uuid", description = "Approval id (UUID). An id that is not a UUID, belongs to another organization or is not an approval is a 404.")),
    request_body = Decide,
    responses(
        (status = 200, description = "The decided approval (`status` approved or denied; `next_node` for workflow nodes).", body = ApprovalRead),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: the key lacks the `approvals:decide` scope, or (`reason: self_approval`) it is the key that requested this approval.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such approval in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: already decided, expired or cancelled. `reason`: `handoff_finished`, `invalid_transition` or `version_conflict`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `decision` (missing, or not approve/deny), `note` (over 2000 characters), `payload` (over 64 KiB of JSON), `subject_kind` / `subject_ref` (an edit that changes what is approved), `answer` (missing when the approval has a `response_schema`, not matching it, or given with a deny or without a schema), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn decide(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<Decide>,
) -> Result<axum::Json<ApprovalRead>, AppError> {
    key.require("approvals:decide")?;
    let id = parse_id(&id, "approval")?;
    let (h, a) = approvals::decide(
        &app,
        &key.organization_id,
        &id,
        key.actor(),
        DecisionInput {
            approve: matches!(body.decision, DecisionWord::Approve),
            note: body.note,
            payload: body.payload,
            subject_kind: body.subject_kind,
            subject_ref: body.subject_ref,
            answer: body.answer,
        },
    )
    .await?;
    Ok(axum::Json(ApprovalRead::new(h, a)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WaitQuery {
    /// Seconds to wait at most, 0 to 60 (default 30).
    #[serde(default)]
    #[param(minimum = 0, maximum = 60)]
    timeout: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct WaitResult {
    /// False when the wait timed out with the approval still pending: call again.
    decided: bool,
    approval: ApprovalRead,
}

/// Long-poll until decided (or expired), at most `timeout` seconds (default 30, max 60).
#[utoipa::path(
    get,
    path = "/api/v1/approvals/{id}/wait",
    operation_id = "wait_approval",
    tag = "approvals",
    summary = "Long-poll until decided",
    description = "Returns as soon as the approval is no longer pending (decided, expired or cancelled), or after `timeout` seconds with `decided: false`: then call again.\n\nScope: `read`.",
    params(("id" = String, Path, format = "uuid", description = "Approval id (UUID). An id that is not a UUID, belongs to another organization or is not an approval is a 404."), WaitQuery),
    responses(
        (status = 200, description = "The approval, and whether it is decided.", body = WaitResult),
        (status = 400, description = "`bad_request` naming the query parameter in `fields`: unparseable value or unknown parameter.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such approval in this organization.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `timeout` (over 60).", body = ErrorEnvelope),
    )
)]
pub async fn wait(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Query(q): Query<WaitQuery>,
) -> Result<axum::Json<WaitResult>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "approval")?;
    let secs = q.timeout.unwrap_or(30);
    if secs > 60 {
        return Err(AppError::invalid_field(
            "timeout",
            "must be 0 to 60 seconds",
        ));
    }
    // Held until the answer: a long-poll counts like an open stream.
    let _slot =
        crate::service::caps::stream_slot(&app, crate::service::caps::key_owner(&key.key_id))?;
    let (h, a) =
        approvals::wait(&app, &key.organization_id, &id, Duration::from_secs(secs)).await?;
    Ok(axum::Json(WaitResult {
        decided: !h.state.is_open(),
        approval: ApprovalRead::new(h, a),
    }))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalMessages {
    /// Appended to the conversation when an approval is requested (1 to 2000 characters).
    holding_line: String,
    /// Sent when the end user writes while an approval is pending (1 to 2000 characters).
    waiting_reply: String,
}

#[utoipa::path(
    put,
    path = "/api/v1/approval-messages",
    operation_id = "put_approval_messages",
    tag = "approvals",
    summary = "Set the approval messages",
    description = "The organization's holding line (appended to the conversation when an approval is requested) and waiting reply (sent when the end user writes while an approval is pending).\n\nScope: `approvals:write`.",
    request_body = ApprovalMessages,
    responses(
        (status = 200, description = "The saved messages.", body = ApprovalMessages),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `holding_line` / `waiting_reply` (missing, empty or over 2000 characters), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn put_messages(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<ApprovalMessages>,
) -> Result<axum::Json<ApprovalMessages>, AppError> {
    key.require("approvals:write")?;
    approvals::set_messages(
        &app,
        &key.organization_id,
        &body.holding_line,
        &body.waiting_reply,
    )
    .await?;
    Ok(axum::Json(body))
}

#[utoipa::path(
    get,
    path = "/api/v1/approval-messages",
    operation_id = "get_approval_messages",
    tag = "approvals",
    summary = "Read the approval messages",
    description = "Scope: `read`.",
    responses(
        (status = 200, description = "The organization's holding line and waiting reply (defaults until set).", body = ApprovalMessages),
    )
)]
pub async fn get_messages(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
) -> Result<axum::Json<ApprovalMessages>, AppError> {
    key.require("read")?;
    let (holding_line, waiting_reply) = approvals::messages(&app, &key.organization_id).await?;
    Ok(axum::Json(ApprovalMessages {
        holding_line,
        waiting_reply,
    }))
}
