//! `/api/v1/metrics/time-to-human`: how long handoffs waited for a person.

use super::extract::{ApiAuth, Query};
use super::views::ErrorEnvelope;
use crate::domain::time_to_human::TimeToHuman;
use crate::error::AppError;
use crate::service::audit::TimeRange;
use crate::service::{time_to_human, App};
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// Only handoffs created at or after this RFC 3339 time.
    #[serde(default)]
    from: Option<String>,
    /// Only handoffs created before this RFC 3339 time.
    #[serde(default)]
    to: Option<String>,
}

/// Time to human, per handoff, per operator and per escalation chain.
#[utoipa::path(
    get,
    path = "/api/v1/metrics/time-to-human",
    operation_id = "time_to_human",
    tag = "metrics",
    summary = "Time to human: per handoff, operator and chain",
    description = "For the handoffs created in `[from, to)` (either may be left out), read from their audit events: per handoff the times it was created, first notified, first opened, solved (the first decide, solve, resolve or hand back) and resumed, with `time_to_open_ms` (created → first opened) and `time_to_decide_ms` (created → solved); `handoffs` lists the newest 500 (`handoffs_total` counts all). `by_operator` groups by the operator who opened a handoff first (time to open) and by the operator who decided or solved it (time to decide; steps taken by an API key count for no operator). `by_chain` groups by the escalation chain recorded at creation (`default` when none). Percentiles are nearest-rank: p50 is the smallest time with at least half of the times at or below it, p95 likewise; null when the group has no time.\n\nScope: `read`.",
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report.", body = TimeToHuman),
        (status = 400, description = "`bad_request` naming an unknown query parameter.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `from` or `to`: not an RFC 3339 time.", body = ErrorEnvelope),
    )
)]
pub async fn time_to_human(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Query(q): Query<PeriodQuery>,
) -> Result<axum::Json<TimeToHuman>, AppError> {
    key.require("read")?;
    let range = TimeRange::parse(q.from.as_deref(), q.to.as_deref())?;
    Ok(axum::Json(
        time_to_human::report(&app, &key.organization_id, &range).await?,
    ))
}
