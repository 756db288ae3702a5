//! Webhook subscriptions, their delivery log and redelivery. The signed,
//! retried delivery from the outbox is the worker `crate::workers::webhooks`.

use super::{format_time, new_id, now, random_bytes, App};
use crate::domain::records::{Delivery, SignatureScheme, Webhook};
use crate::domain::webhook_signature::{self as signature, ROTATION_OVERLAP_HOURS, SECRET_BYTES};
use crate::error::AppError;
use crate::store::Claim;

/// Event names a subscription may ask for (or `*` for all).
pub use crate::domain::lifecycle::TOPICS as EVENTS;

/// What the API accepts when creating or changing a subscription.
pub struct WebhookInput {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    /// None: `standard` on creation, unchanged on update.
    pub signature_scheme: Option<SignatureScheme>,
}

/// An http(s) URL with a host; a literal address must be public unless
/// `allow_private_targets` (hostnames are checked when they are resolved).
fn check_url(url: &str, allow_private: bool) -> Result<String, AppError> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| AppError::invalid_field("url", "not an absolute URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(AppError::invalid_field(
            "url",
            "must be an http:// or https:// URL with a host",
        ));
    }
    crate::channels::guard::check_url(&parsed, allow_private)
        .map_err(|r| AppError::invalid_field("url", r.to_string()))?;
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

/// A `signature_scheme` as the API names it; None when not given.
pub fn check_scheme(name: Option<&str>) -> Result<Option<SignatureScheme>, AppError> {
    name.map(|n| {
        SignatureScheme::parse(n).ok_or_else(|| {
            AppError::invalid_field(
                "signature_scheme",
                "must be \"standard\" (Standard Webhooks) or \"tapin-v1\" (adds the legacy tapin-signature header)",
            )
        })
    })
    .transpose()
}

/// `whsec_<base64>`, as Standard Webhooks secrets are.
fn fresh_secret() -> String {
    signature::encode_secret(&random_bytes::<SECRET_BYTES>())
}

pub async fn create(app: &App, org_id: &str, input: WebhookInput) -> Result<Webhook, AppError> {
    let url = check_url(
        input
            .url
            .as_deref()
            .ok_or_else(|| AppError::invalid_field("url", "required"))?,
        app.config.allow_private_targets,
    )?;
    let events = check_events(
        input
            .events
            .ok_or_else(|| AppError::invalid_field("events", "required"))?,
    )?;
    // Bounded per organization (`webhooks_per_org`): every commit fans out to each.
    super::caps::check_webhook_count(app, app.store.webhooks(org_id).await?.len())?;
    let at = now();
    let w = Webhook {
        id: new_id(),
        organization_id: org_id.to_string(),
        url,
        events,
        secret: fresh_secret(),
        signature_scheme: input.signature_scheme.unwrap_or_default(),
        previous_secret: None,
        previous_secret_expires_at: None,
        created_at: at.clone(),
        updated_at: at,
    };
    app.store.insert_webhook(&sealed(app, &w).await?).await?;
    Ok(w)
}

/// The subscription as stored: its secret sealed with the organization's key
/// (a replaced secret is sealed when it is replaced).
async fn sealed(app: &App, w: &Webhook) -> Result<Webhook, AppError> {
    let label = crate::domain::sealed::webhook_secret_label(&w.id);
    let secret = app
        .keys
        .seal_org(&app.store, &w.organization_id, &label, &w.secret)
        .await?;
    Ok(Webhook {
        secret,
        ..w.clone()
    })
}

/// The secret a delivery is signed with, opened from the stored subscription.
async fn clear_secret(app: &App, w: &Webhook) -> Result<String, AppError> {
    let label = crate::domain::sealed::webhook_secret_label(&w.id);
    app.keys
        .open_org(&app.store, &w.organization_id, &label, &w.secret)
        .await
}

/// The replaced secret, opened, while its overlap lasts at `at`.
async fn clear_previous_secret(
    app: &App,
    w: &Webhook,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, AppError> {
    let Some(stored) = w.previous_secret.as_deref() else {
        return Ok(None);
    };
    if !signature::overlap_active(w.previous_secret_expires_at.as_deref(), at) {
        // Of no use any more: do not keep it at rest.
        app.store
            .clear_expired_previous_secret(&w.organization_id, &w.id, &format_time(at))
            .await?;
        return Ok(None);
    }
    let label = crate::domain::sealed::webhook_previous_secret_label(&w.id);
    let clear = app
        .keys
        .open_org(&app.store, &w.organization_id, &label, stored)
        .await?;
    Ok(Some(clear))
}

/// Until when the replaced secret still signs, if a rotation overlap is on now.
pub fn overlap_until(w: &Webhook) -> Option<String> {
    w.previous_secret_expires_at
        .clone()
        .filter(|e| signature::overlap_active(Some(e), chrono::Utc::now()))
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
        w.url = check_url(&url, app.config.allow_private_targets)?;
    }
    if let Some(events) = input.events {
        w.events = check_events(events)?;
    }
    if let Some(scheme) = input.signature_scheme {
        w.signature_scheme = scheme;
    }
    w.updated_at = now();
    app.store.update_webhook(&w).await?;
    Ok(w)
}

/// A new secret, signing from the next delivery on; the one it replaces
/// signs too for `ROTATION_OVERLAP_HOURS`, so receivers can switch without
/// rejecting a delivery. A second rotation within the overlap ends the first
/// replaced secret's overlap at once: only the latest replaced secret is kept.
pub async fn rotate_secret(app: &App, org_id: &str, id: &str) -> Result<Webhook, AppError> {
    let mut w = get(app, org_id, id).await?;
    let replaced = clear_secret(app, &w).await?;
    let label = crate::domain::sealed::webhook_previous_secret_label(&w.id);
    let at = chrono::Utc::now();
    w.previous_secret = Some(
        app.keys
            .seal_org(&app.store, org_id, &label, &replaced)
            .await?,
    );
    w.previous_secret_expires_at = Some(format_time(
        at + chrono::Duration::hours(ROTATION_OVERLAP_HOURS),
    ));
    w.secret = fresh_secret();
    w.updated_at = format_time(at);
    app.store.update_webhook(&sealed(app, &w).await?).await?;
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

/// The organization's subscriptions, oldest first.
pub async fn list(app: &App, org_id: &str) -> Result<Vec<Webhook>, AppError> {
    Ok(app.store.webhooks(org_id).await?)
}

/// Turns up to `limit` outbox rows into one delivery per subscription that
/// wants the event; returns how many rows it took. The rows are leased to
/// this node, so another node fans out other rows meanwhile.
pub async fn fan_out(app: &App, limit: i64) -> Result<usize, AppError> {
    let t = now();
    let until = super::lease_until(app);
    let rows = app
        .store
        .claim_outbox(&Claim {
            node: &app.node_id,
            now: &t,
            until: &until,
            limit,
        })
        .await?;
    let lag = rows
        .iter()
        .filter_map(|r| chrono::DateTime::parse_from_rfc3339(&r.created_at).ok())
        .map(|c| (chrono::Utc::now() - c.with_timezone(&chrono::Utc)).num_milliseconds())
        .max()
        .unwrap_or(0);
    crate::telemetry::outbox_lag(lag.max(0) as f64 / 1000.0);
    crate::telemetry::claimed("fan_out", rows.len());
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
    app.store
        .write_fan_out(&ids, &deliveries, &t, &app.node_id)
        .await?;
    Ok(rows.len())
}

/// Leases up to `limit` pending deliveries due now to this node, each the
/// oldest pending one of its subscription and handoff (or conversation), so
/// they arrive in order; no organization gets more than
/// `webhook_per_org_concurrency` in flight across the nodes.
pub async fn claim(app: &App, limit: i64) -> Result<Vec<Delivery>, AppError> {
    let (t, until) = (now(), super::lease_until(app));
    let claim = Claim {
        node: &app.node_id,
        now: &t,
        until: &until,
        limit,
    };
    let per_org = i64::from(app.config.webhook_per_org_concurrency.max(1));
    let due = app.store.claim_deliveries(&claim, per_org).await?;
    crate::telemetry::claimed("deliveries", due.len());
    Ok(due)
}

/// Posts one delivery this node leased and records the attempt; true when
/// it is finished (delivered or dead), false when it waits for a retry (or
/// its lease went to another node meanwhile).
pub async fn attempt(app: &App, d: &Delivery) -> Result<bool, AppError> {
    use crate::channels::webhook::{post, Post};
    use crate::domain::delivery::{judge, Verdict};
    use crate::domain::records::Attempt;
    use crate::domain::webhook_signature::{Secrets, Signing};
    use chrono::Utc;
    use rand::Rng;
    use std::time::Duration;
    let Some(w) = app.store.webhook(&d.organization_id, &d.webhook_id).await? else {
        return Ok(false); // deleted meanwhile; its deliveries went with it
    };
    let sent = Utc::now();
    let current = clear_secret(app, &w).await?;
    let previous = clear_previous_secret(app, &w, sent).await?;
    // `webhook-id` is the event id, the same on every retry and redelivery;
    // `webhook-timestamp` is this attempt's.
    let signature_headers = signature::headers(&Signing {
        scheme: w.signature_scheme,
        secrets: Secrets {
            current: &current,
            previous: previous.as_deref(),
        },
        event_id: &d.event_id,
        timestamp: sent.timestamp(),
        body: &d.payload,
    });
    let answer = post(
        &app.http,
        Post {
            url: &w.url,
            event_id: &d.event_id,
            topic: &d.topic,
            body: &d.payload,
            signature_headers,
        },
    )
    .await;
    let took = (Utc::now() - sent).num_microseconds().unwrap_or(0) as f64 / 1e6;
    let status = answer.as_ref().ok().copied();
    let error = match &answer {
        Ok(s) => format!("receiver answered {s}"),
        // The delivery log is shown to the tenant: no URL credentials in it.
        Err(e) => crate::channels::redact::urls(e),
    };
    let created = chrono::DateTime::parse_from_rfc3339(&d.created_at)
        .map(|c| c.with_timezone(&Utc))
        .unwrap_or(sent);
    let verdict = judge(
        status,
        d.attempts as u32 + 1,
        (sent - created).to_std().unwrap_or_default(),
        Duration::from_secs(app.config.webhook_retry_hours.max(0) as u64 * 3600),
        Duration::from_millis(app.config.webhook_backoff_ms),
        rand::thread_rng().gen_range(0.5..=1.0),
    );
    let status = status.map(i64::from);
    let outcome = match verdict {
        Verdict::Delivered => Attempt::Delivered {
            status: status.unwrap_or(200),
        },
        Verdict::Dead(why) => Attempt::Dead {
            status,
            error: format!("{error}{why}"),
        },
        Verdict::Retry(after) => Attempt::Retry {
            status,
            error,
            next_at: format_time(sent + chrono::Duration::from_std(after).unwrap_or_default()),
        },
    };
    let finished = !matches!(outcome, Attempt::Retry { .. });
    crate::telemetry::delivery(
        match outcome {
            Attempt::Delivered { .. } => "delivered",
            Attempt::Retry { .. } => "retry",
            Attempt::Dead { .. } => "dead",
        },
        took,
    );
    if !app
        .store
        .record_attempt(&d.id, &outcome, &now(), &app.node_id)
        .await?
    {
        // Took longer than the lease: another node owns the delivery now.
        tracing::warn!(delivery = %d.id, "webhook delivery lease lost before its attempt was recorded");
        return Ok(false);
    }
    Ok(finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_events_or_star_are_accepted() {
        assert_eq!(
            check_events(vec!["*".into(), "handoff.created".into(), "*".into()]).unwrap(),
            vec!["*", "handoff.created"]
        );
        assert_eq!(
            check_scheme(Some("tapin-v1")).unwrap(),
            Some(SignatureScheme::TapinV1)
        );
        assert_eq!(check_scheme(None).unwrap(), None);
        let e = check_scheme(Some("Standard")).unwrap_err();
        assert_eq!(e.fields[0].field, "signature_scheme");
        let e = check_events(vec!["handoff.exploded".into()]).unwrap_err();
        assert_eq!(e.fields[0].field, "events");
        assert!(check_url("javascript:alert(1)", false).is_err());
        assert!(check_url("https://hooks.example.test/x", false).is_ok());
        for private in [
            "http://127.0.0.1:9/",
            "http://[::ffff:127.0.0.1]/",
            "http://10.0.0.1/",
        ] {
            assert_eq!(
                check_url(private, false).unwrap_err().fields[0].field,
                "url"
            );
            assert!(check_url(private, true).is_ok(), "allow_private_targets");
        }
    }
}
