//! The webhook POST: signed JSON to a subscriber's URL, one attempt.

use super::guard::{failure, Outbound};
use std::time::Duration;

/// `tapin-signature: t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// One signed event on its way.
pub struct Post<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub event_id: &'a str,
    pub topic: &'a str,
    pub body: &'a str,
    /// Unix seconds the signature is made at.
    pub at: i64,
}

/// Posts once; the receiver's status, or why there was none.
/// Failures are the guard's generic reasons; the detail is in the server log.
pub async fn post(http: &Outbound, p: Post<'_>) -> Result<u16, String> {
    http.post(p.url)
        .map_err(|r| r.to_string())?
        .header("content-type", "application/json")
        .header("tapin-event-id", p.event_id)
        .header("tapin-event", p.topic)
        .header("tapin-signature", signature(p.secret, p.at, p.body))
        .body(p.body.to_string())
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map(|res| res.status().as_u16())
        .map_err(|e| {
            if e.is_timeout() {
                "timed out after 10 s".to_string()
            } else {
                failure("webhook", &e).to_string()
            }
        })
}
