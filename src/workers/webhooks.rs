//! Signed, retried webhook delivery from the outbox.
//!
//! Every committed change leaves an outbox row. The worker fans each row out
//! into one delivery per subscription that wants its event (one transaction),
//! then posts due deliveries, oldest first per (subscription, handoff), so a
//! receiver sees a handoff's events in order. Messages (`conversation.message`)
//! are ordered the same way per (subscription, conversation). Delivery is at
//! least once: a receiver dedupes on `tapin-event-id`. Subscriptions are
//! managed by `service::webhooks`.

use crate::domain::records::{Attempt, Delivery};
use crate::error::AppError;
use crate::service::{format_time, now, App};
use chrono::Utc;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use std::time::Duration;

/// `tapin-signature: t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delay before retry `attempt` (1-based): base·2^(attempt-1), at most an hour,
/// with "full jitter" in its upper half so failed receivers are not hit in step.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
    let capped = exp.min(Duration::from_secs(3600));
    let jitter = rand::thread_rng().gen_range(0.5..=1.0);
    capped.mul_f64(jitter)
}

/// How long the worker waits after a commit for more to batch with it.
const BATCH_WINDOW: Duration = Duration::from_millis(50);

/// Starts the worker: fans out the outbox and posts due deliveries, waking on
/// every commit and at least every `webhook_poll_ms`.
pub fn spawn(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut notices = app.bus.subscribe();
        let poll = Duration::from_millis(app.config.webhook_poll_ms);
        loop {
            if let Err(e) = step(&app).await {
                tracing::error!(error = %e, "webhook delivery step failed");
            }
            tokio::select! {
                _ = notices.recv() => {
                    // Let a burst of commits gather, then fan them out in one
                    // transaction: the single writer is shared with the API.
                    tokio::time::sleep(BATCH_WINDOW.min(poll)).await;
                    while notices.try_recv().is_ok() {}
                }
                _ = tokio::time::sleep(poll) => {}
            }
        }
    })
}

/// One round: everything committed so far is fanned out, every due delivery tried once.
pub async fn step(app: &App) -> Result<(), AppError> {
    while crate::service::webhooks::fan_out(app, 200).await? == 200 {}
    loop {
        let due = app.store.due_deliveries(&now(), 50).await?;
        if due.is_empty() {
            return Ok(());
        }
        let mut advanced = false;
        for d in &due {
            advanced |= attempt(app, d).await?;
        }
        // A delivery that finished may have one queued behind it (same
        // handoff); ones that will be retried are not due again yet.
        if !advanced {
            return Ok(());
        }
    }
}

/// Posts one delivery; true when it is finished (delivered or dead).
async fn attempt(app: &App, d: &Delivery) -> Result<bool, AppError> {
    let Some(w) = app.store.webhook(&d.organization_id, &d.webhook_id).await? else {
        return Ok(false); // deleted meanwhile; its deliveries went with it
    };
    let t = Utc::now().timestamp();
    let result = app
        .http
        .post(&w.url)
        .header("content-type", "application/json")
        .header("tapin-event-id", &d.event_id)
        .header("tapin-event", &d.topic)
        .header("tapin-signature", signature(&w.secret, t, &d.payload))
        .body(d.payload.clone())
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    let (status, error) = match result {
        Ok(res) => (Some(res.status().as_u16() as i64), None),
        Err(e) => (
            None,
            Some(if e.is_timeout() {
                "timed out after 10 s".to_string()
            } else {
                format!("could not connect: {e}")
            }),
        ),
    };
    let outcome = match (status, error) {
        (Some(s @ 200..=299), _) => Attempt::Delivered { status: s },
        // A 4xx other than 408/429 will not get better by retrying.
        (Some(s @ 400..=499), _) if s != 408 && s != 429 => Attempt::Dead {
            status: Some(s),
            error: format!("receiver answered {s}"),
        },
        (status, error) => {
            let error =
                error.unwrap_or_else(|| format!("receiver answered {}", status.unwrap_or(0)));
            let created = chrono::DateTime::parse_from_rfc3339(&d.created_at)
                .map(|c| c.with_timezone(&Utc))
                .unwrap_or_else(|_| Utc::now());
            let window = chrono::Duration::hours(app.config.webhook_retry_hours);
            let delay = backoff(
                Duration::from_millis(app.config.webhook_backoff_ms),
                d.attempts as u32 + 1,
            );
            let next = Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
            if next > created + window {
                Attempt::Dead {
                    status,
                    error: format!("{error}; gave up after {} attempts", d.attempts + 1),
                }
            } else {
                Attempt::Retry {
                    status,
                    error,
                    next_at: format_time(next),
                }
            }
        }
    };
    let finished = !matches!(outcome, Attempt::Retry { .. });
    app.store.record_attempt(&d.id, &outcome, &now()).await?;
    Ok(finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_growing_at_an_hour() {
        let base = Duration::from_secs(10);
        for attempt in 1..=30u32 {
            let d = backoff(base, attempt);
            let full = base
                .saturating_mul(1 << (attempt - 1).min(20))
                .min(Duration::from_secs(3600));
            assert!(
                d >= full / 2 && d <= full,
                "attempt {attempt}: {d:?} vs {full:?}"
            );
        }
    }
}
