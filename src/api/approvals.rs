//! `/api/v1/approvals` and `/api/v1/approval-messages` (seed 001).

use super::extract::{ApiAuth, Json, Query};
use super::views::ErrorEnvelope;
use super::views::{ApprovalRead, ApprovalSummary, Page, PageRequest};
use crate::domain::approval::SubjectKind;
use crate::domain::bulk::{summary, Outcome, Refusal};
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
    /// The operator (id or email) on whose behalf the agent asks; 422 naming
    /// `requested_by` when no active operator of this organization has it.
    #[serde(default)]
    #[schema(max_length = 200)]
    requested_by: Option<String>,
    /// Four-eyes: the operator in `requested_by` (and the requesting key, even with
    /// `allow_self_approval`) cannot decide; they get 403 `reason: four_eyes`.
    #[serde(default)]
    four_eyes: bool,
    /// How many approvals decide it (1 to 10, default 1). Each approve before the
    /// last is a vote; the first deny decides.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10)]
    required_approvals: Option<i64>,
    /// The approvals must come from people with that many different roles.
    #[serde(default)]
    distinct_roles: bool,
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
        (status = 422, description = "`bad_request` naming the field: `conversation_id` (not a UUID, or no such conversation in this organization), `subject_kind`, `subject_ref` (missing, empty or over 200 characters), `approver_role` (over 200 characters), `suspend_message` (over 2000 characters), `payload` (over 64 KiB of JSON), `timeout_seconds` (outside 1–604800), `response_schema` (not an object, over 16 KiB, or not a usable JSON Schema), `requested_by` (no active operator with that id or email), `required_approvals` (outside 1–10), or an unknown field.", body = ErrorEnvelope),
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
            requested_by: body.requested_by,
            four_eyes: body.four_eyes,
            required_approvals: body.required_approvals,
            distinct_roles: body.distinct_roles,
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
    description = "Records the decision and resumes the conversation. The approver may edit the payload; an edit must keep `subject_kind` and `subject_ref` when they are given, so approving one action cannot run another. A second decision is a 409. The API key that requested the approval cannot decide it (403 with `reason: self_approval`) unless the server sets `allow_self_approval`: the decision comes from another key or from an operator. With `four_eyes`, neither the operator in `requested_by` nor the requesting key decides (403 `reason: four_eyes`). With `required_approvals` N > 1, an approve short of N is recorded as a vote (a `vote` audit event; the approval stays `pending` and `approvals` lists it); the Nth approve decides, a deny decides at once. An approve with an edited payload is checked again against the routing policies: if the policy the edit matches needs another approver role, more approvals, four-eyes or a deny, it is refused (409 `reason: edit_needs_review`); a quorum approval cannot be edited (422 `payload`).\n\nScope: `approvals:decide` (`approvals:write` alone is not enough; `admin` implies it).",
    params(("id" = String, Path, format = "uuid", description = "Approval id (UUID). An id that is not a UUID, belongs to another organization or is not an approval is a 404.")),
    request_body = Decide,
    responses(
        (status = 200, description = "The decided approval (`status` approved or denied; `next_node` for workflow nodes).", body = ApprovalRead),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: the key lacks the `approvals:decide` scope, or (`reason: self_approval`) it is the key that requested this approval, or (`reason: four_eyes`) the approval is four-eyes and this is its requester.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`: no such approval in this organization.", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: already decided, expired or cancelled (`reason`: `handoff_finished`, `invalid_transition` or `version_conflict`); a quorum approval this key or operator already voted on (`already_voted`), or with `distinct_roles` an approve whose roles are already counted (`role_already_counted`); an edited payload a policy would send to another review (`edit_needs_review`).", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `decision` (missing, or not approve/deny), `note` (over 2000 characters), `payload` (over 64 KiB of JSON, or an edit of a quorum approval), `subject_kind` / `subject_ref` (an edit that changes what is approved), `answer` (missing when the approval has a `response_schema`, not matching it, or given with a deny or without a schema), or an unknown field.", body = ErrorEnvelope),
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideMany {
    /// The approvals (UUIDs), 1 to 100; an id given twice counts once.
    #[schema(min_items = 1, max_items = 100)]
    ids: Vec<String>,
    decision: DecisionWord,
    /// One note for all of them (at most 2000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    note: Option<String>,
}

/// What happened to one of the approvals.
#[derive(Serialize, ToSchema)]
pub struct DecidedItem {
    #[schema(format = "uuid")]
    id: String,
    /// `approved` or `denied` (decided now), `voted` (a quorum approval took the
    /// approve as a vote and stays pending), `refused` (not decided: `reason`).
    outcome: Outcome,
    /// Why it was refused: `four_eyes`, `self_approval`, `missing_role`,
    /// `already_decided`, `already_voted`, `role_already_counted`,
    /// `needs_answer` (it asks for a typed answer: decide it alone), `not_found`, `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Refusal>,
    /// The refusal's message (as the single decision would answer it), or a
    /// vote's progress ("1 of 2 approved").
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// The approval's status afterwards (`pending`, `approved`, `denied`,
    /// `expired`, `cancelled`); absent when it is not found.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DecideManyResult {
    /// In words: "3 approved, 1 refused: four-eyes".
    summary: String,
    /// One per distinct id, in the order given.
    results: Vec<DecidedItem>,
}

#[utoipa::path(
    post,
    path = "/api/v1/approvals/decide",
    operation_id = "decide_approvals",
    tag = "approvals",
    summary = "Approve or deny several approvals",
    description = "Decides up to 100 approvals with one decision and one note. Each is decided on its own, exactly as `POST /approvals/{id}/decide` would (its own transition, audit event and webhook; four-eyes, approver role, self-approval and quorum apply to each): an approval that cannot be decided is reported in `results` with `outcome: refused` and a `reason`, and the others are still decided. A quorum approval takes an approve as a vote (`outcome: voted`). An approval with a `response_schema` needs an answer and is refused (`needs_answer`) by an approve. The answer is 200 whatever each outcome.\n\nScope: `approvals:decide`.",
    request_body = DecideMany,
    responses(
        (status = 200, description = "What happened to each approval, in the order given.", body = DecideManyResult),
        (status = 400, description = "`bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field: `ids` (empty), `ids[100]` (more than 100 distinct ids), `decision`, `note` (over 2000 characters), or an unknown field. Nothing is decided.", body = ErrorEnvelope),
    )
)]
pub async fn decide_many(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<DecideMany>,
) -> Result<axum::Json<DecideManyResult>, AppError> {
    key.require("approvals:decide")?;
    let decided = crate::service::bulk::decide_many(
        &app,
        &key.organization_id,
        &key.actor(),
        &body.ids,
        matches!(body.decision, DecisionWord::Approve),
        body.note,
    )
    .await?;
    let summary = summary(&decided.iter().map(|d| d.result).collect::<Vec<_>>());
    Ok(axum::Json(DecideManyResult {
        summary,
        results: decided
            .into_iter()
            .map(|d| DecidedItem {
                id: d.id,
                outcome: d.result.outcome,
                reason: d.result.refusal,
                message: d.message,
                status: d.status,
            })
            .collect(),
    }))
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
