//! Signed, retried webhook delivery from the outbox.
//!
//! Every committed change leaves an outbox row. The worker fans each row out
//! into one delivery per subscription that wants its event (one transaction),
//! then posts due deliveries, oldest first per (subscription, handoff), so a
//! receiver sees a handoff's events in order. Messages (`conversation.message`)
//! are ordered the same way per (subscription, conversation). Delivery is at
//! least once: a receiver dedupes on `tapin-event-id`. Subscriptions are
//! managed, fanned out and attempted by
//! `service::webhooks`; this loop only decides when to run them.

use crate::error::AppError;
use crate::service::{webhooks, App};
use std::time::Duration;

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
    while webhooks::fan_out(app, 200).await? == 200 {}
    loop {
        let due = webhooks::due(app, 50).await?;
        if due.is_empty() {
            return Ok(());
        }
        let mut advanced = false;
        for d in &due {
            advanced |= webhooks::attempt(app, d).await?;
        }
        // A delivery that finished may have one queued behind it (same
        // handoff); ones that will be retried are not due again yet.
        if !advanced {
            return Ok(());
        }
    }
}
