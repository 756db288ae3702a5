//! `/api/v1` routing: escalation chains, on-call rotations, policies (with a
//! test box), the default route and Slack hook, operators' channel choices,
//! and the notifications a handoff caused.

use super::extract::{ApiAuth, Json, Query};
use super::views::ErrorEnvelope;
use crate::domain::routing::Override;
use crate::error::AppError;
use crate::service::channels::{self, Preferences};
use crate::service::routing::{
    self, ChainInput, ChainView, PolicyInput, PolicySample, PolicyTestResult, PolicyView,
    RotationInput, RotationView, SettingsInput,
};
use crate::service::{parse_id, App};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ChainList {
    data: Vec<ChainView>,
}

#[derive(Serialize, ToSchema)]
pub struct RotationList {
    data: Vec<RotationView>,
}

#[derive(Serialize, ToSchema)]
pub struct PolicyList {
    /// In evaluation order: the first match wins.
    data: Vec<PolicyView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyListInput {
    /// The whole ordered list; it replaces the current one.
    policies: Vec<PolicyInput>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    operator_id: String,
    #[schema(value_type = String, format = DateTime)]
    starts_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    ends_at: DateTime<Utc>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OnCallQuery {
    /// RFC 3339; default now.
    #[serde(default)]
    #[param(value_type = Option<String>, format = DateTime)]
    at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct OnCall {
    at: String,
    /// Operator id, or null when nobody is on call.
    operator_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationRead {
    id: String,
    /// Null for a send that concerned no single operator.
    operator_id: Option<String>,
    /// push | email | slack | sms | voice, or `none` when the operator could not be reached.
    channel: String,
    /// The escalation step (1-based).
    step: i64,
    /// sent | failed | skipped
    outcome: String,
    detail: Option<String>,
    created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    /// Oldest first.
    data: Vec<NotificationRead>,
}

const CHAIN_ID: &str =
    "Escalation chain id. Another organization's id is a 404 like a missing one.";
const ROTATION_ID: &str = "Rotation id. Another organization's id is a 404 like a missing one.";

#[utoipa::path(post, path = "/api/v1/escalation-chains", operation_id = "create_escalation_chain", tag = "routing",
    summary = "Create an escalation chain",
    description = "Steps are notified in order. Each names its targets — `{\"operator\": id}`, `{\"role\": name}`, `{\"on_call\": rotation_id}` or `\"everyone\"` — and `wait_seconds` (1 s to 7 days): if nobody opens the handoff within the wait, the next step is notified (`handoff.escalated`, then `handoff.notified`). After the last step's wait the chain starts over `repeat` more times, then the handoff expires (`handoff.expired` with `timeout_chain_exhausted: true`).\n\nScope: `admin`.",
    request_body = ChainInput,
    responses(
        (status = 201, description = "The chain.", body = ChainView),
        (status = 422, description = "`bad_request` naming the field, e.g. `steps[1].targets[0].on_call`.", body = ErrorEnvelope),
    ))]
pub async fn create_chain(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<ChainInput>,
) -> Result<(StatusCode, axum::Json<ChainView>), AppError> {
    key.require("admin")?;
    let c = routing::create_chain(&app, &key.organization_id, body).await?;
    Ok((StatusCode::CREATED, axum::Json(c)))
}

#[utoipa::path(get, path = "/api/v1/escalation-chains", operation_id = "list_escalation_chains", tag = "routing",
    summary = "List escalation chains", description = "Scope: `read`.",
    responses((status = 200, description = "By name.", body = ChainList)))]
pub async fn list_chains(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
) -> Result<axum::Json<ChainList>, AppError> {
    key.require("read")?;
    let data = routing::chains(&app, &key.organization_id).await?;
    Ok(axum::Json(ChainList { data }))
}

#[utoipa::path(get, path = "/api/v1/escalation-chains/{id}", operation_id = "get_escalation_chain", tag = "routing",
    summary = "Read an escalation chain", description = "Scope: `read`.",
    params(("id" = String, Path, description = CHAIN_ID)),
    responses((status = 200, description = "The chain.", body = ChainView), (status = 404, description = "`not_found`.", body = ErrorEnvelope)))]
pub async fn get_chain(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<ChainView>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "escalation chain")?;
    Ok(axum::Json(
        routing::get_chain(&app, &key.organization_id, &id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/escalation-chains/{id}", operation_id = "update_escalation_chain", tag = "routing",
    summary = "Replace an escalation chain",
    description = "Runs already under way continue with the new steps from where they are.\n\nScope: `admin`.",
    params(("id" = String, Path, description = CHAIN_ID)),
    request_body = ChainInput,
    responses(
        (status = 200, description = "The chain.", body = ChainView),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field.", body = ErrorEnvelope),
    ))]
pub async fn update_chain(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<ChainInput>,
) -> Result<axum::Json<ChainView>, AppError> {
    key.require("admin")?;
    let id = parse_id(&id, "escalation chain")?;
    Ok(axum::Json(
        routing::update_chain(&app, &key.organization_id, &id, body).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/escalation-chains/{id}", operation_id = "delete_escalation_chain", tag = "routing",
    summary = "Delete an escalation chain",
    description = "Refused with 409 `chain_in_use` while a policy or the default route names it.\n\nScope: `admin`.",
    params(("id" = String, Path, description = CHAIN_ID)),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` (`chain_in_use`).", body = ErrorEnvelope),
    ))]
pub async fn delete_chain(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    key.require("admin")?;
    let id = parse_id(&id, "escalation chain")?;
    routing::delete_chain(&app, &key.organization_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/rotations", operation_id = "create_rotation", tag = "routing",
    summary = "Create a weekly on-call rotation",
    description = "`operators[0]` is on call for a week from `starts_at`, then the next, round robin. An override puts someone else on call from `starts_at` to `ends_at` (end excluded); the override added last wins.\n\nScope: `admin`.",
    request_body = RotationInput,
    responses(
        (status = 201, description = "The rotation, with who is on call now.", body = RotationView),
        (status = 422, description = "`bad_request` naming the field.", body = ErrorEnvelope),
    ))]
pub async fn create_rotation(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<RotationInput>,
) -> Result<(StatusCode, axum::Json<RotationView>), AppError> {
    key.require("admin")?;
    let r = routing::create_rotation(&app, &key.organization_id, body).await?;
    Ok((StatusCode::CREATED, axum::Json(r)))
}

#[utoipa::path(get, path = "/api/v1/rotations", operation_id = "list_rotations", tag = "routing",
    summary = "List rotations", description = "Scope: `read`.",
    responses((status = 200, description = "By name.", body = RotationList)))]
pub async fn list_rotations(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
) -> Result<axum::Json<RotationList>, AppError> {
    key.require("read")?;
    let data = routing::rotations(&app, &key.organization_id).await?;
    Ok(axum::Json(RotationList { data }))
}

#[utoipa::path(get, path = "/api/v1/rotations/{id}", operation_id = "get_rotation", tag = "routing",
    summary = "Read a rotation", description = "Scope: `read`.",
    params(("id" = String, Path, description = ROTATION_ID)),
    responses((status = 200, description = "The rotation.", body = RotationView), (status = 404, description = "`not_found`.", body = ErrorEnvelope)))]
pub async fn get_rotation(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<RotationView>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "rotation")?;
    Ok(axum::Json(
        routing::get_rotation(&app, &key.organization_id, &id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/rotations/{id}", operation_id = "update_rotation", tag = "routing",
    summary = "Replace a rotation", description = "Scope: `admin`.",
    params(("id" = String, Path, description = ROTATION_ID)),
    request_body = RotationInput,
    responses(
        (status = 200, description = "The rotation.", body = RotationView),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming the field.", body = ErrorEnvelope),
    ))]
pub async fn update_rotation(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<RotationInput>,
) -> Result<axum::Json<RotationView>, AppError> {
    key.require("admin")?;
    let id = parse_id(&id, "rotation")?;
    Ok(axum::Json(
        routing::update_rotation(&app, &key.organization_id, &id, body).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/rotations/{id}", operation_id = "delete_rotation", tag = "routing",
    summary = "Delete a rotation",
    description = "Refused with 409 `rotation_in_use` while a chain's step names it.\n\nScope: `admin`.",
    params(("id" = String, Path, description = ROTATION_ID)),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` (`rotation_in_use`).", body = ErrorEnvelope),
    ))]
pub async fn delete_rotation(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    key.require("admin")?;
    let id = parse_id(&id, "rotation")?;
    routing::delete_rotation(&app, &key.organization_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/rotations/{id}/overrides", operation_id = "add_rotation_override", tag = "routing",
    summary = "Add an override (someone covers a shift)", description = "Scope: `admin`.",
    params(("id" = String, Path, description = ROTATION_ID)),
    request_body = OverrideInput,
    responses(
        (status = 201, description = "The rotation with the override.", body = RotationView),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `operator_id` or `ends_at`.", body = ErrorEnvelope),
    ))]
pub async fn add_override(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<OverrideInput>,
) -> Result<(StatusCode, axum::Json<RotationView>), AppError> {
    key.require("admin")?;
    let id = parse_id(&id, "rotation")?;
    let o = Override {
        operator_id: body.operator_id,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
    };
    let r = routing::add_override(&app, &key.organization_id, &id, o).await?;
    Ok((StatusCode::CREATED, axum::Json(r)))
}

#[utoipa::path(get, path = "/api/v1/rotations/{id}/on-call", operation_id = "rotation_on_call", tag = "routing",
    summary = "Who is on call", description = "Scope: `read`.",
    params(("id" = String, Path, description = ROTATION_ID), OnCallQuery),
    responses((status = 200, description = "The operator on call at `at`.", body = OnCall), (status = 404, description = "`not_found`.", body = ErrorEnvelope)))]
pub async fn on_call(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Query(q): Query<OnCallQuery>,
) -> Result<axum::Json<OnCall>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "rotation")?;
    routing::get_rotation(&app, &key.organization_id, &id).await?;
    let at = q.at.unwrap_or_else(Utc::now);
    let operator_id = routing::on_call(&app, &key.organization_id, &id, at).await?;
    Ok(axum::Json(OnCall {
        at: crate::service::format_time(at),
        operator_id,
    }))
}

#[utoipa::path(get, path = "/api/v1/policies", operation_id = "list_policies", tag = "routing",
    summary = "List routing policies", description = "Scope: `read`.",
    responses((status = 200, description = "In evaluation order.", body = PolicyList)))]
pub async fn list_policies(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
) -> Result<axum::Json<PolicyList>, AppError> {
    key.require("read")?;
    let data = routing::policies(&app, &key.organization_id).await?;
    Ok(axum::Json(PolicyList { data }))
}

#[utoipa::path(put, path = "/api/v1/policies", operation_id = "replace_policies", tag = "routing",
    summary = "Replace the routing policies",
    description = "Evaluated in order when a handoff or approval is created; the first whose `condition` is true applies its `actions`: `route` (a chain id), `priority` (low|medium|high|urgent), `auto_resolve` (`approve`/`deny` for approvals, `resolve` for takeovers; audited with `source: policy`), `expire_after_seconds`. No match: the organization's default route. A condition that cannot be decided (a missing variable, a type error) never matches. Every condition is checked first; on any error nothing changes.\n\nScope: `admin`.",
    request_body = PolicyListInput,
    responses(
        (status = 200, description = "The new list.", body = PolicyList),
        (status = 422, description = "`bad_request` naming the field, e.g. `policies[2].condition` with the error's position.", body = ErrorEnvelope),
    ))]
pub async fn put_policies(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<PolicyListInput>,
) -> Result<axum::Json<PolicyList>, AppError> {
    key.require("admin")?;
    let data = routing::set_policies(&app, &key.organization_id, body.policies).await?;
    Ok(axum::Json(PolicyList { data }))
}

#[utoipa::path(post, path = "/api/v1/policies/test", operation_id = "test_policies", tag = "routing",
    summary = "Test the policies against a sample",
    description = "Runs the current policies on a made-up handoff (nothing is created) and says which matched, the route, priority, auto-resolution and expiry, the conditions that could not be decided, and the variables the conditions saw. The sample is checked like a real handoff before any condition runs (packet texts and `context_vars` within their bounds, `payload` at most 64 KiB of JSON; only `packet.static_text` may be blank); a condition that would build a string over 64 KiB or need more than 50,000 steps is listed in `errors` and never matches.\n\nScope: `read`.",
    request_body = PolicySample,
    responses(
        (status = 200, description = "What routing would do.", body = PolicyTestResult),
        (status = 422, description = "`bad_request` naming `kind`, `source`, `priority`, `packet` or a packet field (`packet.context_vars` over 64 KiB of JSON, a text over its bound), `approver_role` / `subject_ref` (over 200 characters) or `payload` (over 64 KiB of JSON).", body = ErrorEnvelope),
    ))]
pub async fn test_policies(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<PolicySample>,
) -> Result<axum::Json<PolicyTestResult>, AppError> {
    key.require("read")?;
    Ok(axum::Json(
        routing::test(&app, &key.organization_id, body).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/routing/settings", operation_id = "get_routing_settings", tag = "routing",
    summary = "Default route, Slack hook and time zone", description = "Scope: `admin`.",
    responses((status = 200, description = "The settings.", body = SettingsInput)))]
pub async fn get_settings(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
) -> Result<axum::Json<SettingsInput>, AppError> {
    key.require("admin")?;
    Ok(axum::Json(
        routing::settings(&app, &key.organization_id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/routing/settings", operation_id = "put_routing_settings", tag = "routing",
    summary = "Set the default route, Slack hook and time zone",
    description = "`default_chain_id`: the chain for handoffs no policy routes (null: everyone who may act, told once, no escalation). `slack_webhook_url`: a Slack incoming webhook for operators who choose the `slack` channel. `time_zone`: the organization's IANA zone (`Europe/Berlin`); policy conditions read `hour`, `minute`, `time` and `weekday` in it, rotations hand over at its wall-clock time and the pages show times in it (left out: unchanged).\n\nScope: `admin`.",
    request_body = SettingsInput,
    responses(
        (status = 200, description = "The settings.", body = SettingsInput),
        (status = 422, description = "`bad_request` naming `default_chain_id`, `slack_webhook_url` or `time_zone`.", body = ErrorEnvelope),
    ))]
pub async fn put_settings(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<SettingsInput>,
) -> Result<axum::Json<SettingsInput>, AppError> {
    key.require("admin")?;
    Ok(axum::Json(
        routing::set_settings(
            &app,
            &key.organization_id,
            &crate::service::security_log::by_key(&key.key_id),
            body,
        )
        .await?,
    ))
}

async fn operator(
    app: &App,
    org_id: &str,
    id: &str,
) -> Result<crate::domain::records::Operator, AppError> {
    crate::service::orgs::operator(app, org_id, id).await
}

#[utoipa::path(get, path = "/api/v1/operators/{id}/channels", operation_id = "get_operator_channels", tag = "routing",
    summary = "An operator's channels per urgency", description = "Scope: `admin`.",
    params(("id" = String, Path, description = "Operator id.")),
    responses((status = 200, description = "Phone and channel choices.", body = Preferences), (status = 404, description = "`not_found`.", body = ErrorEnvelope)))]
pub async fn get_channels(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<Preferences>, AppError> {
    key.require("admin")?;
    let op = operator(&app, &key.organization_id, &id).await?;
    Ok(axum::Json(channels::preferences(&app, &op).await?))
}

#[utoipa::path(put, path = "/api/v1/operators/{id}/channels", operation_id = "put_operator_channels", tag = "routing",
    summary = "Set an operator's channels per urgency",
    description = "The handoff's priority picks the list. An urgency left out keeps the default (`push`, `email`). Operators set this themselves on `/settings` too.\n\nScope: `admin`.",
    params(("id" = String, Path, description = "Operator id.")),
    request_body = Preferences,
    responses(
        (status = 200, description = "Saved.", body = Preferences),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `phone` or `channels.<urgency>`.", body = ErrorEnvelope),
    ))]
pub async fn put_channels(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<Preferences>,
) -> Result<axum::Json<Preferences>, AppError> {
    key.require("admin")?;
    let op = operator(&app, &key.organization_id, &id).await?;
    Ok(axum::Json(
        channels::set_preferences(
            &app,
            &crate::service::security_log::by_key(&key.key_id),
            &op,
            body,
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/handoffs/{id}/notifications", operation_id = "list_handoff_notifications", tag = "routing",
    summary = "Every notification a handoff caused",
    description = "One row per operator and channel: sent, failed (with the reason), or skipped (the operator could not be reached on any chosen channel).\n\nScope: `read`.",
    params(("id" = String, Path, format = "uuid", description = "Handoff id.")),
    responses((status = 200, description = "Oldest first.", body = NotificationList), (status = 404, description = "`not_found`.", body = ErrorEnvelope)))]
pub async fn notifications(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<NotificationList>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "handoff")?;
    let data = crate::service::handoffs::notifications(&app, &key.organization_id, &id)
        .await?
        .into_iter()
        .map(|n| NotificationRead {
            id: n.id,
            operator_id: n.operator_id,
            channel: n.channel,
            step: n.step,
            outcome: n.outcome,
            detail: n.detail,
            created_at: n.created_at,
        })
        .collect();
    Ok(axum::Json(NotificationList { data }))
}
