//! Web Push: operators' browser subscriptions and the server's VAPID key.
//!
//! Whom to push and when is decided by the escalation run (`escalation`,
//! `channels`); the sending itself is `crate::channels::push`.

use super::{now, App};
use crate::channels::push::{endpoint_url, ua_auth, ua_public, Pusher};
pub use crate::channels::push::{Outcome, Vapid};
use crate::domain::records::{Operator, PushSubscription};
use crate::error::AppError;
use serde::Deserialize;
use serde_json::Value;

/// The VAPID key pair: generated on first start and kept in the store, sealed.
pub async fn load_vapid(
    store: &crate::store::DynStore,
    keys: &super::keyring::Keyring,
) -> Result<Vapid, String> {
    let stored = keys
        .server_secret(store, "vapid_private_key", Vapid::fresh_private_key)
        .await?;
    Vapid::from_private_key(&stored)
}

/// A browser's `PushSubscription.toJSON()`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionJson {
    pub endpoint: String,
    #[serde(default, rename = "expirationTime")]
    pub expiration_time: Option<f64>,
    pub keys: SubscriptionKeys,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionKeys {
    pub p256dh: String,
    pub auth: String,
}

/// Stores the browser's subscription for `op`, after checking it can be used.
pub async fn subscribe(app: &App, op: &Operator, s: SubscriptionJson) -> Result<(), AppError> {
    let url = endpoint_url(&s.endpoint, app.config.push_allow_http)?;
    crate::channels::guard::check_url(&url, app.config.allow_private_targets)
        .map_err(|r| AppError::invalid_field("endpoint", r.to_string()))?;
    ua_public(&s.keys.p256dh)
        .map_err(|_| AppError::invalid_field("keys.p256dh", "not a P-256 public key"))?;
    ua_auth(&s.keys.auth)
        .map_err(|_| AppError::invalid_field("keys.auth", "must be 16 bytes, base64url"))?;
    let before = app.store.push_subscriptions(&op.id).await?;
    let known = before.iter().any(|d| d.endpoint == s.endpoint);
    let host = super::security_log::host_of(Some(&s.endpoint));
    app.store
        .save_push_subscription(&PushSubscription {
            endpoint: s.endpoint,
            organization_id: op.organization_id.clone(),
            operator_id: op.id.clone(),
            p256dh: s.keys.p256dh,
            auth: s.keys.auth,
            created_at: now(),
        })
        .await?;
    if !known {
        // A new device receives sign-in links: the operator hears of it on the old ones.
        super::security_log::contact_changed(
            app,
            &super::security_log::by_operator(op),
            op,
            "operator.push_added",
            serde_json::json!({ "endpoint_host": host }),
            before,
        )
        .await?;
    }
    Ok(())
}

/// Removes one of the operator's subscriptions; false if it was not theirs.
pub async fn unsubscribe(app: &App, op: &Operator, endpoint: &str) -> Result<bool, AppError> {
    let removed = app
        .store
        .delete_push_subscription(endpoint, Some(&op.id))
        .await?;
    if removed {
        let rest = app.store.push_subscriptions(&op.id).await?;
        super::security_log::contact_changed(
            app,
            &super::security_log::by_operator(op),
            op,
            "operator.push_removed",
            serde_json::json!({ "endpoint_host": super::security_log::host_of(Some(endpoint)) }),
            rest,
        )
        .await?;
    }
    Ok(removed)
}

/// Pushes `payload` to one subscription; one the push service calls gone is deleted.
pub async fn send(app: &App, s: &PushSubscription, payload: &Value) -> Outcome {
    let pusher = Pusher {
        http: &app.http,
        vapid: &app.vapid,
        subject: &app.config.vapid_subject,
        allow_http: app.config.push_allow_http,
    };
    match crate::channels::push::send(&pusher, s, payload).await {
        Outcome::Gone => match app.store.delete_push_subscription(&s.endpoint, None).await {
            Ok(_) => Outcome::Gone,
            Err(e) => Outcome::Failed(e.to_string()),
        },
        o => o,
    }
}

/// The operator's subscribed devices.
pub async fn devices(app: &App, op: &Operator) -> Result<Vec<PushSubscription>, AppError> {
    Ok(app.store.push_subscriptions(&op.id).await?)
}
