//! Web Push: operators' browser subscriptions and the notifications tapin
//! sends them (RFC 8030 delivery, RFC 8291 aes128gcm payloads, RFC 8292 VAPID).
//!
//! Whom to push and when is decided by the escalation run (`escalation`,
//! `channels`); this module holds subscriptions and the sending itself.

use super::{now, App};
use crate::domain::{Handoff, Kind};
use crate::error::AppError;
use crate::store::{Operator, PushSubscription};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;
use web_push_native::jwt_simple::algorithms::{
    ECDSAP256KeyPairLike, ECDSAP256PublicKeyLike, ES256KeyPair,
};
use web_push_native::jwt_simple::claims::Claims;
use web_push_native::{p256, Auth, WebPushBuilder};

/// How long a push service may hold an undelivered notification, and how long
/// the VAPID token stays valid (RFC 8292 allows at most 24 h).
const VALIDITY: Duration = Duration::from_secs(12 * 60 * 60);

/// The server's VAPID key pair, generated on first start and kept in the store.
pub struct Vapid {
    key: ES256KeyPair,
    /// Uncompressed P-256 public key, base64url: the browser's `applicationServerKey`.
    pub public_key: String,
}

impl Vapid {
    pub async fn load(store: &crate::store::DynStore) -> Result<Vapid, String> {
        let fresh = B64URL.encode(ES256KeyPair::generate().to_bytes());
        let stored = store
            .secret_or_insert("vapid_private_key", &fresh, &now())
            .await
            .map_err(|e| format!("loading the VAPID key: {e}"))?;
        let bytes = B64URL
            .decode(stored)
            .map_err(|_| "stored VAPID key is not base64url")?;
        let key = ES256KeyPair::from_bytes(&bytes).map_err(|e| format!("stored VAPID key: {e}"))?;
        let public_key = B64URL.encode(key.public_key().public_key().to_bytes_uncompressed());
        Ok(Vapid { key, public_key })
    }

    /// `Authorization: vapid t=<JWT>, k=<public key>` for a push to `endpoint`.
    /// The audience is the endpoint's origin, port included (RFC 8292 §2).
    fn authorization(&self, endpoint: &reqwest::Url, subject: &str) -> Result<String, AppError> {
        let origin = endpoint.origin().ascii_serialization();
        let claims = Claims::create(VALIDITY.into())
            .with_audience(origin)
            .with_subject(subject);
        let token = self.key.sign(claims).map_err(|e| {
            tracing::error!("signing a VAPID token: {e}");
            AppError::internal()
        })?;
        Ok(format!("vapid t={token}, k={}", self.public_key))
    }
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
    endpoint_url(app, &s.endpoint)?;
    ua_public(&s.keys.p256dh)
        .map_err(|_| AppError::invalid_field("keys.p256dh", "not a P-256 public key"))?;
    ua_auth(&s.keys.auth)
        .map_err(|_| AppError::invalid_field("keys.auth", "must be 16 bytes, base64url"))?;
    app.store
        .save_push_subscription(&PushSubscription {
            endpoint: s.endpoint,
            organization_id: op.organization_id.clone(),
            operator_id: op.id.clone(),
            p256dh: s.keys.p256dh,
            auth: s.keys.auth,
            created_at: now(),
        })
        .await
}

/// Removes one of the operator's subscriptions; false if it was not theirs.
pub async fn unsubscribe(app: &App, op: &Operator, endpoint: &str) -> Result<bool, AppError> {
    app.store
        .delete_push_subscription(endpoint, Some(&op.id))
        .await
}

fn endpoint_url(app: &App, endpoint: &str) -> Result<reqwest::Url, AppError> {
    let url = reqwest::Url::parse(endpoint)
        .map_err(|_| AppError::invalid_field("endpoint", "not a URL"))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if app.config.push_allow_http => Ok(url),
        _ => Err(AppError::invalid_field(
            "endpoint",
            "push endpoints must use https",
        )),
    }
}

fn ua_public(p256dh: &str) -> Result<p256::PublicKey, ()> {
    let bytes = B64URL
        .decode(p256dh.trim_end_matches('='))
        .map_err(|_| ())?;
    p256::PublicKey::from_sec1_bytes(&bytes).map_err(|_| ())
}

fn ua_auth(auth: &str) -> Result<Auth, ()> {
    let bytes = B64URL.decode(auth.trim_end_matches('=')).map_err(|_| ())?;
    (bytes.len() == 16)
        .then(|| Auth::clone_from_slice(&bytes))
        .ok_or(())
}

/// What a push service answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// 404/410: the browser unsubscribed; the subscription was deleted.
    Gone,
    Failed(String),
}

/// The notification title for a handoff (push, email subject, Slack, SMS).
pub fn title(h: &Handoff) -> &'static str {
    match h.kind {
        Kind::Approval => "Approval needed",
        Kind::Takeover => "A customer needs a person",
        Kind::Assist => "An agent needs help",
        Kind::Agent => "Agent handoff",
    }
}

/// Encrypts `payload` for the subscription and posts it to its push service.
pub async fn send(app: &App, s: &PushSubscription, payload: &Value) -> Outcome {
    match try_send(app, s, payload).await {
        Ok(o) => o,
        Err(e) => Outcome::Failed(e),
    }
}

async fn try_send(app: &App, s: &PushSubscription, payload: &Value) -> Result<Outcome, String> {
    let url = endpoint_url(app, &s.endpoint).map_err(|e| e.message)?;
    let uri: http::Uri = s.endpoint.parse().map_err(|e| format!("endpoint: {e}"))?;
    let public = ua_public(&s.p256dh).map_err(|_| "stored p256dh is invalid")?;
    let auth = ua_auth(&s.auth).map_err(|_| "stored auth is invalid")?;
    let request = WebPushBuilder::new(uri, public, auth)
        .with_valid_duration(VALIDITY)
        .build(payload.to_string())
        .map_err(|e| format!("encrypting: {e}"))?;
    let authorization = app
        .vapid
        .authorization(&url, &app.config.vapid_subject)
        .map_err(|e| e.message)?;
    let (parts, body) = request.into_parts();
    let res = app
        .http
        .post(url)
        .headers(parts.headers)
        .header("authorization", authorization)
        .header("urgency", "high")
        .body(body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| format!("sending: {e}"))?;
    let status = res.status().as_u16();
    Ok(match status {
        200..=299 => Outcome::Delivered,
        404 | 410 => {
            app.store
                .delete_push_subscription(&s.endpoint, None)
                .await
                .map_err(|e| e.message)?;
            Outcome::Gone
        }
        _ => Outcome::Failed(format!("push service answered {status}")),
    })
}
