//! `/api/v1/audit/export.jsonl` and `.csv`: the organization's hash-chained
//! audit log for auditors, streamed page by page (never held in memory).

use super::extract::{ApiAuth, Query};
use super::views::ErrorEnvelope;
use crate::error::AppError;
use crate::service::audit::{export, ExportFormat, TimeRange};
use crate::service::App;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Only events created at or after this RFC 3339 time.
    #[serde(default)]
    from: Option<String>,
    /// Only events created before this RFC 3339 time.
    #[serde(default)]
    to: Option<String>,
}

const DESCRIPTION: &str = "Every audit event of the organization in chain order (`seq` ascending), each with `prev_hash` and `hash`, so the chain can be re-verified offline: `hash = sha256(hex_decode(prev_hash) || canonical)` where `canonical` is the event's JSON without `prev_hash`/`hash`, keys sorted, no whitespace; the first event's `prev_hash` is 64 zeros. `from`/`to` bound `created_at` (`from` inclusive, `to` exclusive); a bounded export starts mid-chain, so verify it from its first row's `prev_hash`. The body is streamed.\n\nScope: `read`.";

/// Audit events as JSON Lines.
#[utoipa::path(
    get,
    path = "/api/v1/audit/export.jsonl",
    operation_id = "audit_export_jsonl",
    tag = "audit",
    summary = "Export the audit log (JSON Lines)",
    description = DESCRIPTION,
    params(ExportQuery),
    responses(
        (status = 200, description = "One event per line.", content_type = "application/x-ndjson", body = String),
        (status = 400, description = "`bad_request` naming the unknown query parameter.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `from` or `to`: not an RFC 3339 time.", body = ErrorEnvelope),
    )
)]
pub async fn export_jsonl(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    key.require("read")?;
    respond(app, key.organization_id, q, ExportFormat::Jsonl)
}

/// Audit events as CSV.
#[utoipa::path(
    get,
    path = "/api/v1/audit/export.csv",
    operation_id = "audit_export_csv",
    tag = "audit",
    summary = "Export the audit log (CSV)",
    description = DESCRIPTION,
    params(ExportQuery),
    responses(
        (status = 200, description = "A header row, then one event per row; `data` holds the event's JSON. Cells that a spreadsheet would run as a formula start with `'`.", content_type = "text/csv", body = String),
        (status = 400, description = "`bad_request` naming the unknown query parameter.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `from` or `to`: not an RFC 3339 time.", body = ErrorEnvelope),
    )
)]
pub async fn export_csv(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    key.require("read")?;
    respond(app, key.organization_id, q, ExportFormat::Csv)
}

fn respond(
    app: App,
    org_id: String,
    q: ExportQuery,
    format: ExportFormat,
) -> Result<Response, AppError> {
    let range = TimeRange::parse(q.from.as_deref(), q.to.as_deref())?;
    let (content_type, name) = match format {
        ExportFormat::Jsonl => ("application/x-ndjson", "audit.jsonl"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "audit.csv"),
    };
    // An error after the first byte can only end the stream early: the client
    // sees a body that stops short of the chain head, never a silent gap.
    let body = export(app, org_id, range, format)
        .map(|chunk| chunk.map_err(|e| std::io::Error::other(e.message)));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// One entry of the security log.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SecurityEventRead {
    pub id: String,
    /// RFC 3339.
    pub created_at: String,
    /// `operator:<id>` or `key:<id>`: who made the change.
    pub actor: String,
    /// `operator.phone_changed`, `operator.push_added`, `operator.push_removed`,
    /// `organization.slack_hook_changed` or `routing.policy_added` ("approve similar").
    pub action: String,
    /// The operator concerned (null: the organization).
    pub operator_id: Option<String>,
    /// What changed (a Slack hook or push endpoint by its host only).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// How those concerned were told: `email`, `push (N devices)`, or why nobody could be.
    pub notice: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SecurityEventList {
    pub data: Vec<SecurityEventRead>,
}

/// `GET /audit/security`: changes to contact details and the Slack hook.
#[utoipa::path(
    get,
    path = "/api/v1/audit/security",
    operation_id = "audit_security",
    tag = "audit",
    summary = "The security log",
    description = "The newest 200 changes to where operators are reached (phone, push devices) and to the organization's Slack hook, newest first, whether made with an API key or in the UI, and the routing policies admins added with \"approve similar\" (`routing.policy_added`: the policy, its condition and the approval it was modelled on). Each contact or Slack change was announced to the operator concerned (admins, for the Slack hook) by email and on their existing push devices; `notice` says which.\n\nScope: `admin`.",
    responses(
        (status = 200, description = "The entries.", body = SecurityEventList),
        (status = 403, description = "`forbidden`: the key lacks the `admin` scope.", body = ErrorEnvelope),
    )
)]
pub async fn security(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
) -> Result<axum::Json<SecurityEventList>, AppError> {
    key.require("admin")?;
    let rows = crate::service::security_log::recent(&app, &key.organization_id, 200).await?;
    Ok(axum::Json(SecurityEventList {
        data: rows
            .into_iter()
            .map(|e| SecurityEventRead {
                id: e.id,
                created_at: e.created_at,
                actor: e.actor,
                action: e.action,
                operator_id: e.operator_id,
                data: serde_json::from_str(&e.data).unwrap_or_default(),
                notice: e.notice,
            })
            .collect(),
    }))
}
