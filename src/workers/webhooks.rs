//! Signed, retried webhook delivery from the outbox.
//!
//! Every committed change leaves an outbox row. The worker fans each row out
//! into one delivery per subscription that wants its event (one transaction),
//! then posts due deliveries, oldest first per (subscription, handoff), so a
//! receiver sees a handoff's events in order. Messages (`conversation.message`)
//! are ordered the same way per (subscription, conversation). Delivery is at
//! least once: a receiver dedupes on `webhook-id` (Standard Webhooks).
//!
//! Several nodes share the work through leases: outbox rows and deliveries
//! are claimed by one node at a time, and taken over by another once the
//! lease of a node that died runs out (`worker_lease_seconds`). Deliveries
//! are posted in parallel, at most `webhook_concurrency` on this node and
//! `webhook_per_org_concurrency` per organization on all nodes, so one
//! tenant's slow receiver never holds up another's. Subscriptions are
//! managed, fanned out and attempted by `service::webhooks`; this loop only
//! decides when to run them.

use crate::domain::records::Delivery;
use crate::error::AppError;
use crate::service::{webhooks, App};
use std::time::Duration;
use tokio::task::JoinSet;

/// How long the worker waits after a commit for more to batch with it.
const BATCH_WINDOW: Duration = Duration::from_millis(50);

/// Starts the worker: fans out the outbox and posts due deliveries, waking on
/// every commit, on every finished attempt and at least every `webhook_poll_ms`.
pub fn spawn(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut notices = app.bus.subscribe();
        let poll = Duration::from_millis(app.config.webhook_poll_ms);
        let slots = app.config.webhook_concurrency.max(1) as usize;
        let mut flying: JoinSet<()> = JoinSet::new();
        let mut fan_out = true;
        loop {
            if fan_out {
                if let Err(e) = fan_out_all(&app).await {
                    tracing::error!(error = %e, "webhook fan-out failed");
                }
            }
            let free = slots.saturating_sub(flying.len());
            if free > 0 {
                match webhooks::claim(&app, free as i64).await {
                    Ok(due) => {
                        for d in due {
                            let app = app.clone();
                            flying.spawn(async move { attempt(&app, &d).await });
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "claiming webhook deliveries failed"),
                }
            }
            fan_out = true;
            tokio::select! {
                Some(_) = flying.join_next(), if !flying.is_empty() => {
                    // A finished attempt frees a slot, and may have a delivery
                    // queued behind it (same handoff): claim again at once.
                    fan_out = false;
                }
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

async fn fan_out_all(app: &App) -> Result<(), AppError> {
    while webhooks::fan_out(app, 200).await? == 200 {}
    Ok(())
}

/// One attempt; an error is logged and the lease lets the delivery be tried again.
async fn attempt(app: &App, d: &Delivery) {
    if let Err(e) = webhooks::attempt(app, d).await {
        tracing::error!(delivery = %d.id, error = %e, "webhook attempt failed");
    }
}

/// One round, as the worker runs it but awaited: everything committed so far
/// is fanned out, every due delivery tried once (in parallel, within the
/// same limits), and the ones queued behind finished deliveries after them.
pub async fn step(app: &App) -> Result<(), AppError> {
    fan_out_all(app).await?;
    let slots = app.config.webhook_concurrency.max(1) as i64;
    let mut seen = std::collections::HashSet::new();
    loop {
        let due = webhooks::claim(app, slots).await?;
        if due.is_empty() {
            return Ok(());
        }
        let mut fresh = false;
        for d in &due {
            fresh |= seen.insert(d.id.clone());
        }
        let tries = due.iter().map(|d| webhooks::attempt(app, d));
        let mut advanced = false;
        for r in futures::future::join_all(tries).await {
            advanced |= r?;
        }
        // A delivery that finished may have one queued behind it (same
        // handoff), and the organization limit may have left due ones for
        // the next claim; a round with neither has tried everything once.
        if !advanced && !fresh {
            return Ok(());
        }
    }
}
