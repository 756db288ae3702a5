//! Resource caps that are not rates: open streams and long-polls per API key
//! or operator, webhook subscriptions per organization, and the per-minute
//! budget of notifications that cost money (SMS, voice). Past a cap the
//! caller gets 429 with `Retry-After` (streams, webhooks), or the
//! notification is recorded as skipped with the reason (SMS, voice).
//! Counts are per node, like the API rate limit.

use super::App;
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many streams each principal holds open on this node.
#[derive(Default)]
pub struct StreamSlots {
    open: Mutex<HashMap<String, u32>>,
}

/// One held stream or long-poll; the slot frees itself when dropped (the
/// client went away, the long-poll answered).
pub struct Slot {
    slots: Arc<StreamSlots>,
    owner: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.owner) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.owner);
            }
        }
    }
}

/// Who holds a stream: an API key or an operator.
pub fn key_owner(key_id: &str) -> String {
    format!("key:{key_id}")
}

pub fn operator_owner(operator_id: &str) -> String {
    format!("operator:{operator_id}")
}

/// Takes one of `owner`'s `streams_per_principal` slots, or 429.
pub fn stream_slot(app: &App, owner: String) -> Result<Slot, AppError> {
    let limit = app.config.streams_per_principal;
    let mut open = app.streams.open.lock().unwrap_or_else(|p| p.into_inner());
    let n = open.entry(owner.clone()).or_insert(0);
    if *n >= limit {
        if *n == 0 {
            open.remove(&owner);
        }
        return Err(AppError::limited(
            "too_many_streams",
            format!(
                "at most {limit} open streams and long-polls at once; close one (or wait for a long-poll to answer) and retry"
            ),
            STREAM_RETRY_SECS,
        ));
    }
    *n += 1;
    Ok(Slot {
        slots: app.streams.clone(),
        owner,
    })
}

/// What `Retry-After` says past the stream cap: about one long-poll's length.
pub const STREAM_RETRY_SECS: u64 = 30;

/// Refuses a new webhook subscription when the organization has `webhooks_per_org`.
pub fn check_webhook_count(app: &App, existing: usize) -> Result<(), AppError> {
    let limit = app.config.webhooks_per_org as usize;
    if existing >= limit {
        return Err(AppError::limited(
            "too_many_webhooks",
            format!(
                "an organization may have at most {limit} webhook subscriptions; delete one first"
            ),
            60,
        ));
    }
    Ok(())
}

/// Takes one SMS/voice send from the organization's budget for this minute;
/// `Err` is the reason the send is skipped.
pub fn paid_send(app: &App, org_id: &str) -> Result<(), String> {
    let limit = app.config.paid_notifications_per_minute;
    if limit > 0 && app.paid_limiter.check_key(&org_id.to_string()).is_ok() {
        return Ok(());
    }
    Err(format!(
        "skipped: this organization's limit of {limit} SMS and voice notifications per minute was reached"
    ))
}
