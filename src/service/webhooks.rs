//! Webhook subscriptions and signed, retried delivery from the outbox.
//!
//! Every committed change leaves an outbox row. The worker fans each row out
//! into one delivery per subscription that wants its event (one transaction),
//! then posts due deliveries, oldest first per (subscription, handoff), so a
//! receiver sees a handoff's events in order. Messages (`conversation.message`)
//! are ordered the same way per (subscription, conversation). Delivery is at
//! least once: a receiver dedupes on `tapin-event-id`.

use super::{format_time, new_id, now, random_bytes, App};
use crate::domain::records::{Attempt, Delivery, Webhook};
use crate::error::AppError;
use chrono::Utc;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use std::time::Duration;

/// Event names a subscription may ask for (or `*` for all).
pub use crate::domain::lifecycle::TOPICS as EVENTS;

/// What the API accepts when creating or changing a subscription.
pub struct WebhookInput {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
}

fn check_url(url: &str) -> Result<String, AppError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| AppError::invalid_field("url", "not an absolute URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(AppError::invalid_field(
            "url",
            "must be an http:// or https:// URL with a host",
        ));
    }
    Ok(parsed.to_string())
}

fn check_events(events: Vec<String>) -> Result<Vec<String>, AppError> {
    if events.is_empty() {
        return Err(AppError::invalid_field(
            "events",
            "name at least one event, or \"*\" for all",
        ));
    }
    if let Some(bad) = events
        .iter()
        .find(|e| e.as_str() != "*" && !EVENTS.contains(&e.as_str()))
    {
        return Err(AppError::invalid_field(
            "events",
            format!("unknown event {bad:?}; known: {}", EVENTS.join(", ")),
        ));
    }
    let mut events = events;
    events.sort();
    events.dedup();
    Ok(events)
}

fn fresh_secret() -> String {
    format!("whsec_{}", hex::encode(random_bytes::<24>()))
}

pub async fn create(app: &App, org_id: &str, input: WebhookInput) -> Result<Webhook, AppError> {
    let url = check_url(
        input
            .url
            .as_deref()
            .ok_or_else(|| AppError::invalid_field("url", "required"))?,
    )?;
    let events = check_events(
        input
            .events
            .ok_or_else(|| AppError::invalid_field("events", "required"))?,
    )?;
    let at = now();
    let w = Webhook {
        id: new_id(),
        organization_id: org_id.to_string(),
        url,
        events,
        secret: fresh_secret(),
        created_at: at.clone(),
        updated_at: at,
    };
    app.store.insert_webhook(&w).await?;
    Ok(w)
}

pub async fn get(app: &App, org_id: &str, id: &str) -> Result<Webhook, AppError> {
    let id = super::parse_id(id, "webhook")?;
    app.store
        .webhook(org_id, &id)
        .await?
        .ok_or_else(|| AppError::not_found("webhook"))
}

pub async fn update(
    app: &App,
    org_id: &str,
    id: &str,
    input: WebhookInput,
) -> Result<Webhook, AppError> {
    let mut w = get(app, org_id, id).await?;
    if let Some(url) = input.url {
        w.url = check_url(&url)?;
    }
    if let Some(events) = input.events {
        w.events = check_events(events)?;
    }
    w.updated_at = now();
    app.store.update_webhook(&w).await?;
    Ok(w)
}

/// A new secret, effective for the next delivery; the old one stops working.
pub async fn rotate_secret(app: &App, org_id: &str, id: &str) -> Result<Webhook, AppError> {
    let mut w = get(app, org_id, id).await?;
    w.secret = fresh_secret();
    w.updated_at = now();
    app.store.update_webhook(&w).await?;
    Ok(w)
}

pub async fn delete(app: &App, org_id: &str, id: &str) -> Result<(), AppError> {
    let w = get(app, org_id, id).await?;
    app.store.delete_webhook(org_id, &w.id).await?;
    Ok(())
}

pub async fn deliveries(
    app: &App,
    org_id: &str,
    id: &str,
    status: Option<&str>,
) -> Result<Vec<Delivery>, AppError> {
    let w = get(app, org_id, id).await?;
    if let Some(s) = status {
        if !matches!(s, "pending" | "delivered" | "dead") {
            return Err(AppError::invalid_field(
                "status",
                "must be pending, delivered or dead",
            ));
        }
    }
    Ok(app.store.deliveries(org_id, &w.id, status, 100).await?)
}

pub async fn redeliver(
    app: &App,
    org_id: &str,
    id: &str,
    delivery_id: &str,
) -> Result<(), AppError> {
    let w = get(app, org_id, id).await?;
    let delivery_id = super::parse_id(delivery_id, "delivery")?;
    if app
        .store
        .redeliver(org_id, &w.id, &delivery_id, &now())
        .await?
    {
        app.announce(org_id, None, None);
        Ok(())
    } else {
        Err(AppError::not_found("delivery"))
    }
}

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

/// Turns up to `limit` outbox rows into one delivery per subscription that
/// wants the event; returns how many rows it took.
pub async fn fan_out(app: &App, limit: i64) -> Result<usize, AppError> {
    let rows = app.store.pending_outbox(limit).await?;
    let t = now();
    let mut hooks: std::collections::HashMap<String, Vec<Webhook>> = Default::default();
    let mut deliveries = Vec::new();
    for r in &rows {
        if !hooks.contains_key(&r.organization_id) {
            let found = app.store.webhooks(&r.organization_id).await?;
            hooks.insert(r.organization_id.clone(), found);
        }
        for w in hooks[&r.organization_id]
            .iter()
            .filter(|w| w.wants(&r.topic))
        {
            deliveries.push(Delivery {
                id: new_id(),
                webhook_id: w.id.clone(),
                organization_id: r.organization_id.clone(),
                event_id: r.event_id.clone(),
                ordering_key: r.ordering_key.clone(),
                seq: r.seq,
                handoff_id: r.handoff_id.clone(),
                conversation_id: r.conversation_id.clone(),
                topic: r.topic.clone(),
                payload: r.payload.clone(),
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: t.clone(),
                last_status: None,
                last_error: None,
                created_at: t.clone(),
                delivered_at: None,
            });
        }
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    app.store.write_fan_out(&ids, &deliveries, &t).await?;
    Ok(rows.len())
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
    while fan_out(app, 200).await? == 200 {}
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

    #[test]
    fn only_known_events_or_star_are_accepted() {
        assert_eq!(
            check_events(vec!["*".into(), "handoff.created".into(), "*".into()]).unwrap(),
            vec!["*", "handoff.created"]
        );
        let e = check_events(vec!["handoff.exploded".into()]).unwrap_err();
        assert_eq!(e.fields[0].field, "events");
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("https://hooks.example.test/x").is_ok());
    }
}
