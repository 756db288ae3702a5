//! Time to human, for `GET /api/v1/metrics/time-to-human` and `/admin/metrics`:
//! loads the milestone events of the handoffs created in a period and lets
//! `domain::time_to_human` measure them.

use super::audit::TimeRange;
use super::App;
use crate::domain::time_to_human::{report as build, Milestone, TimeToHuman, MILESTONE_EVENTS};
use crate::error::AppError;
use std::collections::HashMap;

/// At most this many handoffs are listed one by one (the newest); the
/// per-operator and per-chain figures cover all of them.
pub const LIST_LIMIT: usize = 500;

pub async fn report(app: &App, org_id: &str, range: &TimeRange) -> Result<TimeToHuman, AppError> {
    let (from, to) = range.stored();
    let events = app
        .store
        .milestone_events(org_id, &MILESTONE_EVENTS, from.as_deref(), to.as_deref())
        .await?;
    let milestones: Vec<Milestone> = events
        .into_iter()
        .filter_map(|(kind, e)| {
            let e = e.event;
            let at_ms = chrono::DateTime::parse_from_rfc3339(&e.created_at)
                .ok()?
                .timestamp_millis();
            Some(Milestone {
                handoff_id: e.handoff_id,
                kind,
                event: e.event,
                actor: e.actor,
                at: e.created_at,
                at_ms,
                data: e.data,
            })
        })
        .collect();
    let names: HashMap<String, String> = app
        .store
        .operators(org_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(build(&milestones, &names, (from, to), LIST_LIMIT))
}

/// `/admin/metrics` for the request carrying `cookie_header`: admins only.
pub async fn page_for(
    app: &App,
    cookie_header: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<TimeToHuman, AppError> {
    let me = super::sessions::operator_from_cookies(app, cookie_header, super::admin::SIGNED_OUT)
        .await?;
    super::admin::require_admin(&me)?;
    let mut r = report(app, &me.organization_id, &TimeRange::parse(from, to)?).await?;
    // The page shows the handoffs' times as the organization reads them.
    let tz = super::orgs::time_zone(app, &me.organization_id).await?;
    let local = |t: &mut String| {
        if let Ok(at) = chrono::DateTime::parse_from_rfc3339(t) {
            *t = crate::domain::zone::show(at.with_timezone(&chrono::Utc), tz, true);
        }
    };
    for h in &mut r.handoffs {
        local(&mut h.created_at);
        for t in [
            &mut h.notified_at,
            &mut h.opened_at,
            &mut h.solved_at,
            &mut h.resumed_at,
        ]
        .into_iter()
        .flatten()
        {
            local(t);
        }
    }
    Ok(r)
}
