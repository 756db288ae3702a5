//! `/admin/webhooks` for operators with the `admin` role: the same
//! subscription rules and delivery log as `/api/v1/webhooks`.

use crate::domain::records::{Delivery, Operator, Webhook};
use crate::error::AppError;
use crate::service::{admin, webhooks, App};
use crate::ui::types::{DeliveryRow, NewSecret, SubscriptionRow, WebhooksView};

/// Deliveries shown per subscription, newest first.
pub const LOG_ROWS: usize = 25;

/// The page for the request carrying `cookie_header`: 401 without a session, 403 for non-admins.
pub async fn overview_for(app: &App, cookie_header: &str) -> Result<WebhooksView, AppError> {
    let me = crate::service::sessions::operator_from_cookies(app, cookie_header, admin::SIGNED_OUT)
        .await?;
    overview(app, &me).await
}

pub async fn overview(app: &App, me: &Operator) -> Result<WebhooksView, AppError> {
    admin::require_admin(me)?;
    let org = &me.organization_id;
    let mut subscriptions = Vec::new();
    for w in webhooks::list(app, org).await? {
        let log = webhooks::deliveries(app, org, &w.id, None).await?;
        subscriptions.push(row(w, log));
    }
    Ok(WebhooksView {
        subscriptions,
        known_events: webhooks::EVENTS.iter().map(|e| e.to_string()).collect(),
    })
}

fn row(w: Webhook, log: Vec<Delivery>) -> SubscriptionRow {
    SubscriptionRow {
        id: w.id,
        url: w.url,
        events: w.events.join(", "),
        signature_scheme: w.signature_scheme.as_str().to_string(),
        created_at: w.created_at,
        deliveries: log.into_iter().take(LOG_ROWS).map(delivery).collect(),
    }
}

fn delivery(d: Delivery) -> DeliveryRow {
    let last_result = match (d.last_status, d.last_error) {
        (_, Some(e)) => e,
        (Some(s), None) => format!("HTTP {s}"),
        (None, None) => "not tried yet".to_string(),
    };
    DeliveryRow {
        next_attempt_at: (d.status == "pending").then_some(d.next_attempt_at),
        id: d.id,
        event: d.topic,
        subject: d.handoff_id.or(d.conversation_id).unwrap_or_default(),
        status: d.status,
        attempts: d.attempts,
        last_result,
        created_at: d.created_at,
    }
}

/// Events typed as a list (commas or spaces); `*` for all.
fn event_list(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

/// A new subscription; its secret is in the answer and never shown again.
/// `scheme` as the API names it (`standard`, `tapin-v1`); none: `standard`.
pub async fn create(
    app: &App,
    me: &Operator,
    url: &str,
    events: &str,
    scheme: Option<&str>,
) -> Result<NewSecret, AppError> {
    admin::require_admin(me)?;
    let w = webhooks::create(
        app,
        &me.organization_id,
        webhooks::WebhookInput {
            url: Some(url.trim().to_string()),
            events: Some(event_list(events)),
            signature_scheme: webhooks::check_scheme(scheme.filter(|s| !s.is_empty()))?,
        },
    )
    .await?;
    Ok(NewSecret {
        url: w.url,
        secret: w.secret,
    })
}

/// Changes how the subscription's deliveries are signed (pending ones included).
pub async fn set_scheme(app: &App, me: &Operator, id: &str, scheme: &str) -> Result<(), AppError> {
    admin::require_admin(me)?;
    let input = webhooks::WebhookInput {
        url: None,
        events: None,
        signature_scheme: webhooks::check_scheme(Some(scheme))?,
    };
    webhooks::update(app, &me.organization_id, id, input).await?;
    Ok(())
}

pub async fn rotate(app: &App, me: &Operator, id: &str) -> Result<NewSecret, AppError> {
    admin::require_admin(me)?;
    let w = webhooks::rotate_secret(app, &me.organization_id, id).await?;
    Ok(NewSecret {
        url: w.url,
        secret: w.secret,
    })
}

pub async fn delete(app: &App, me: &Operator, id: &str) -> Result<(), AppError> {
    admin::require_admin(me)?;
    webhooks::delete(app, &me.organization_id, id).await
}

pub async fn redeliver(
    app: &App,
    me: &Operator,
    id: &str,
    delivery_id: &str,
) -> Result<(), AppError> {
    admin::require_admin(me)?;
    webhooks::redeliver(app, &me.organization_id, id, delivery_id).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn events_may_be_typed_with_commas_or_spaces() {
        assert_eq!(
            super::event_list(" handoff.created,approval.decided  *"),
            ["handoff.created", "approval.decided", "*"]
        );
        assert!(super::event_list(" , ").is_empty());
    }
}
