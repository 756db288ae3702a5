//! The webhook POST: signed JSON to a subscriber's URL, one attempt. What the
//! signature headers say is decided in `crate::domain::webhook_signature`.

use super::guard::{failure, Outbound};
use std::time::Duration;

/// One signed event on its way.
pub struct Post<'a> {
    pub url: &'a str,
    pub event_id: &'a str,
    pub topic: &'a str,
    pub body: &'a str,
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature` (and, opted in,
    /// the legacy `tapin-signature`).
    pub signature_headers: Vec<(&'static str, String)>,
}

/// Posts once; the receiver's status, or why there was none.
/// Failures are the guard's generic reasons; the detail is in the server log.
pub async fn post(http: &Outbound, p: Post<'_>) -> Result<u16, String> {
    let mut req = http
        .post(p.url)
        .map_err(|r| r.to_string())?
        .header("content-type", "application/json")
        // Kept beside `webhook-id` (the same value) for receivers of earlier releases.
        .header("tapin-event-id", p.event_id)
        .header("tapin-event", p.topic);
    for (name, value) in p.signature_headers {
        req = req.header(name, value);
    }
    req.body(p.body.to_string())
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
