//! A stored deadline (approval timeout, policy expiry) has passed: the handoff
//! expires. Escalation steps are `escalation::fire`; the timer worker
//! (`crate::workers::timers`) finds what is due and calls these.

use super::lifecycle::{self, Extras};
use super::{format_time, App};
use crate::domain::lifecycle::Request;
use crate::domain::records::Timer;
use crate::domain::{Actor, Event};
use crate::error::{AppError, ErrorCode};
use chrono::{DateTime, Utc};

/// Expires the handoff of the due timer `t`; returns how many handoffs changed (0 or 1).
pub async fn expire(app: &App, t: &Timer, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut req = Request::new(Event::Expire, Actor::System);
    req.data = serde_json::json!({ "reason": "timeout", "timer": t.kind, "due_at": t.due_at });
    let extras = Extras {
        timer_fired: Some(t.id.clone()),
        ..Default::default()
    };
    match lifecycle::transition(app, &t.organization_id, &t.handoff_id, req, extras).await {
        Ok(_) => Ok(1),
        // Decided or cancelled before the deadline: the timer has nothing left to do.
        Err(e) if matches!(e.code, ErrorCode::Conflict | ErrorCode::NotFound) => {
            app.store.finish_timer(&t.id, &format_time(now)).await?;
            Ok(0)
        }
        Err(e) => Err(e),
    }
}

/// Leases to this node up to `limit` timers due at `now` that have not fired
/// and that no other node holds, oldest first.
pub async fn claim(app: &App, now: DateTime<Utc>, limit: i64) -> Result<Vec<Timer>, AppError> {
    let stamp = format_time(now);
    let until = format_time(now + super::lease_duration(app));
    let claim = crate::store::Claim {
        node: &app.node_id,
        now: &stamp,
        until: &until,
        limit,
    };
    Ok(app.store.claim_timers(&claim).await?)
}
