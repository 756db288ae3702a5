//! The timer worker: stored deadlines (approval timeouts, policy expiries,
//! escalation steps) are polled, so they survive restarts and fire once.

use crate::error::AppError;
use crate::service::{escalation, housekeeping, timeouts, App};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Fires every timer due at `now`; returns how many handoffs it changed.
pub async fn tick(app: &App, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut changed = 0;
    let due = timeouts::claim(app, now, 100).await?;
    crate::telemetry::claimed("timers", due.len());
    for t in due {
        if escalation::is_escalation(&t.kind) {
            // One failing step must not hold up the other timers; it is retried next tick.
            match escalation::fire(app, t, now).await {
                Ok(n) => changed += n,
                Err(e) => tracing::warn!("escalation step failed: {e}"),
            }
            continue;
        }
        changed += timeouts::expire(app, &t, now).await?;
    }
    Ok(changed)
}

/// Runs `tick` every second, trims rate-limit state every minute, and every
/// hour purges old idempotency keys and expired sessions.
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
                housekeeping::forget_quiet_keys(&app).await;
            }
            if n % 3600 == 1 {
                housekeeping::purge(&app).await;
            }
        }
    });
}
