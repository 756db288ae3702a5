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
