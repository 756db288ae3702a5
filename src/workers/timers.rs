//! The timer worker: stored deadlines (approval timeouts, policy expiries,
//! escalation steps) are polled, so they survive restarts and fire once.

use crate::domain::lifecycle::Request;
use crate::domain::{Actor, Event};
use crate::error::{AppError, ErrorCode};
use crate::service::lifecycle::{self, Extras};
use crate::service::{format_time, App};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Fires every timer due at `now`; returns how many handoffs it changed.
pub async fn tick(app: &App, now: DateTime<Utc>) -> Result<usize, AppError> {
    let stamp = format_time(now);
    let mut changed = 0;
    for t in app.store.due_timers(&stamp, 100).await? {
        if crate::service::escalation::is_escalation(&t.kind) {
            // One failing step must not hold up the other timers; it is retried next tick.
            match crate::service::escalation::fire(app, t, now).await {
                Ok(n) => changed += n,
                Err(e) => tracing::warn!("escalation step failed: {e}"),
            }
            continue;
        }
        let mut req = Request::new(Event::Expire, Actor::System);
        req.data = serde_json::json!({ "reason": "timeout", "timer": t.kind, "due_at": t.due_at });
        let extras = Extras {
            timer_fired: Some(t.id.clone()),
            ..Default::default()
        };
        match lifecycle::transition(app, &t.organization_id, &t.handoff_id, req, extras).await {
            Ok(_) => changed += 1,
            // Decided or cancelled before the deadline: the timer has nothing left to do.
            Err(e) if matches!(e.code, ErrorCode::Conflict | ErrorCode::NotFound) => {
                app.store.finish_timer(&t.id, &stamp).await?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(changed)
}

/// Runs `tick` every second, trims rate-limit state every minute, and every
/// hour purges idempotency keys older than 48 hours and expired sessions.
pub fn spawn(app: App) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut n: u64 = 0;
        loop {
            every.tick().await;
            if let Err(e) = tick(&app, Utc::now()).await {
                tracing::error!(error = %e, "timer tick failed");
            }
            n += 1;
            if n.is_multiple_of(60) {
                // Forget rate-limit state of keys that have been quiet.
                app.limiter.retain_recent();
            }
            if n % 3600 == 1 {
                let cutoff = format_time(Utc::now() - chrono::Duration::hours(48));
                if let Err(e) = app.store.idem_purge(&cutoff).await {
                    tracing::error!(error = %e, "purging idempotency keys failed");
                }
                if let Err(e) = app.store.purge_sessions(&format_time(Utc::now())).await {
                    tracing::error!(error = %e, "purging expired sessions failed");
                }
            }
        }
    });
}
