//! Web Push delivery: RFC 8030 requests, RFC 8291 aes128gcm payloads, RFC 8292
//! VAPID. Subscriptions are kept (and gone ones removed) by `service::push`.

use super::title;
use crate::domain::records::PushSubscription;
use crate::domain::Handoff;
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::{json, Value};
use std::time::Duration;
use web_push_native::jwt_simple::algorithms::{
    ECDSAP256KeyPairLike, ECDSAP256PublicKeyLike, ES256KeyPair,
};
use web_push_native::jwt_simple::claims::Claims;
use web_push_native::{p256, Auth, WebPushBuilder};

/// How long a push service may hold an undelivered notification, and how long
/// the VAPID token stays valid (RFC 8292 allows at most 24 h).
const VALIDITY: Duration = Duration::from_secs(12 * 60 * 60);

/// The server's VAPID key pair (generated on first start, kept in the store by the service).
pub struct Vapid {
    key: ES256KeyPair,
    /// Uncompressed P-256 public key, base64url: the browser's `applicationServerKey`.
    pub public_key: String,
}

impl Vapid {
    /// A new private key, base64url, to store if none is stored yet.
    pub fn fresh_private_key() -> String {
        B64URL.encode(ES256KeyPair::generate().to_bytes())
    }

    /// The key pair from its stored private key.
    pub fn from_private_key(stored: &str) -> Result<Vapid, String> {
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

/// What a push needs from the server: its HTTP client, key pair and settings.
pub struct Pusher<'a> {
    pub http: &'a super::guard::Outbound,
    pub vapid: &'a Vapid,
    /// The VAPID `sub` claim (`vapid_subject`).
    pub subject: &'a str,
    /// `push_allow_http`: plain-http endpoints are accepted too.
    pub allow_http: bool,
}

/// A subscription's endpoint, if tapin may push to it.
pub fn endpoint_url(endpoint: &str, allow_http: bool) -> Result<reqwest::Url, AppError> {
    let url = reqwest::Url::parse(endpoint)
        .map_err(|_| AppError::invalid_field("endpoint", "not a URL"))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if allow_http => Ok(url),
        _ => Err(AppError::invalid_field(
            "endpoint",
            "push endpoints must use https",
        )),
    }
}

/// The browser's P-256 key (`keys.p256dh`).
pub(crate) fn ua_public(p256dh: &str) -> Result<p256::PublicKey, ()> {
    let bytes = B64URL
        .decode(p256dh.trim_end_matches('='))
        .map_err(|_| ())?;
    p256::PublicKey::from_sec1_bytes(&bytes).map_err(|_| ())
}

/// The browser's authentication secret (`keys.auth`, 16 bytes).
pub(crate) fn ua_auth(auth: &str) -> Result<Auth, ()> {
    let bytes = B64URL.decode(auth.trim_end_matches('=')).map_err(|_| ())?;
    (bytes.len() == 16)
        .then(|| Auth::clone_from_slice(&bytes))
        .ok_or(())
}

/// What a push service answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// 404/410: the browser unsubscribed (`service::push::send` removes the subscription).
    Gone,
    Failed(String),
}

/// The notification for `h`: opening it opens `link`.
pub fn handoff_payload(h: &Handoff, link: &str) -> Value {
    json!({
        "title": title(h),
        "body": h.packet.static_text,
        "url": link,
        "tag": h.id,
    })
}

/// The timeline's line for one handoff's pushes: how many devices got it, and
/// why the others did not.
pub fn report(outcomes: &[Outcome]) -> Result<String, String> {
    let mut delivered = 0;
    let mut problems = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Delivered => delivered += 1,
            Outcome::Gone => problems.push("a device unsubscribed (removed)".to_string()),
            Outcome::Failed(e) => problems.push(e.clone()),
        }
    }
    let detail = format!("{delivered} of {} devices", outcomes.len());
    if delivered > 0 {
        Ok(detail)
    } else {
        Err(format!("{detail}: {}", problems.join("; ")))
    }
}

/// Encrypts `payload` for the subscription and posts it to its push service.
pub async fn send(p: &Pusher<'_>, s: &PushSubscription, payload: &Value) -> Outcome {
    match try_send(p, s, payload).await {
        Ok(o) => o,
        Err(e) => Outcome::Failed(super::redact::urls(&e)),
    }
}

async fn try_send(
    p: &Pusher<'_>,
    s: &PushSubscription,
    payload: &Value,
) -> Result<Outcome, String> {
    let url = endpoint_url(&s.endpoint, p.allow_http).map_err(|e| e.message)?;
    let uri: http::Uri = s.endpoint.parse().map_err(|e| format!("endpoint: {e}"))?;
    let public = ua_public(&s.p256dh).map_err(|_| "stored p256dh is invalid")?;
    let auth = ua_auth(&s.auth).map_err(|_| "stored auth is invalid")?;
    let request = WebPushBuilder::new(uri, public, auth)
        .with_valid_duration(VALIDITY)
        .build(payload.to_string())
        .map_err(|e| format!("encrypting: {e}"))?;
    let authorization = p
        .vapid
        .authorization(&url, p.subject)
        .map_err(|e| e.message)?;
    let (parts, body) = request.into_parts();
    let res = p
        .http
        .post(url.as_str())
        .map_err(|r| format!("sending: {r}"))?
        .headers(parts.headers)
        .header("authorization", authorization)
        .header("urgency", "high")
        .body(body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| format!("sending: {}", super::guard::failure("push", &e)))?;
    let status = res.status().as_u16();
    Ok(match status {
        200..=299 => Outcome::Delivered,
        404 | 410 => Outcome::Gone,
        _ => Outcome::Failed(format!("push service answered {status}")),
    })
}
