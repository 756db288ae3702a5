//! Webhook subscriptions, the outbox fan-out and the delivery log.

use super::{Claim, StoreResult};
use crate::domain::records::{Attempt, Delivery, Webhook};
use crate::domain::writes::OutboxEntry;
use async_trait::async_trait;

#[async_trait]
pub trait WebhookStore {
    async fn insert_webhook(&self, w: &Webhook) -> StoreResult<()>;
    async fn webhooks(&self, org_id: &str) -> StoreResult<Vec<Webhook>>;
    async fn webhook(&self, org_id: &str, id: &str) -> StoreResult<Option<Webhook>>;
    /// Saves url, events, signature scheme and the secrets (current, and the
    /// replaced one with its expiry) of an existing subscription; false if none.
    async fn update_webhook(&self, w: &Webhook) -> StoreResult<bool>;
    /// Forgets the replaced secret of a subscription if it expired by `now`;
    /// false if there was none to forget (or it has not expired).
    async fn clear_expired_previous_secret(
        &self,
        org_id: &str,
        id: &str,
        now: &str,
    ) -> StoreResult<bool>;
    async fn delete_webhook(&self, org_id: &str, id: &str) -> StoreResult<bool>;
    /// Leases up to `limit` outbox rows not yet fanned out and not leased by
    /// a live claim, in order within each ordering key. Rows another node
    /// holds are skipped (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
    async fn claim_outbox(&self, c: &Claim<'_>) -> StoreResult<Vec<OutboxEntry>>;
    /// Stores the deliveries made from outbox rows this node still holds (an
    /// event already delivered to a subscription is skipped) and marks those
    /// rows done: one transaction. Rows whose lease went to another node are
    /// left to it, with their deliveries.
    async fn write_fan_out(
        &self,
        outbox_ids: &[String],
        deliveries: &[Delivery],
        now: &str,
        node: &str,
    ) -> StoreResult<()>;
    /// Leases up to `limit` pending deliveries due at `c.now`, each the oldest
    /// pending one of its (subscription, handoff or conversation) and behind
    /// no older outbox row of that key still to be fanned out, so they arrive
    /// in order. An organization gets at most `per_org` leased at once (in
    /// flight on any node); the pick goes round the organizations.
    async fn claim_deliveries(&self, c: &Claim<'_>, per_org: i64) -> StoreResult<Vec<Delivery>>;
    /// Records an attempt of a delivery this node holds and ends the lease;
    /// false if the lease went to another node meanwhile (nothing recorded).
    async fn record_attempt(
        &self,
        id: &str,
        attempt: &Attempt,
        now: &str,
        node: &str,
    ) -> StoreResult<bool>;
    async fn deliveries(
        &self,
        org_id: &str,
        webhook_id: &str,
        status: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Delivery>>;
    /// Makes a delivery pending again, due now; false if there is none.
    async fn redeliver(
        &self,
        org_id: &str,
        webhook_id: &str,
        delivery_id: &str,
        now: &str,
    ) -> StoreResult<bool>;
}

/// How an attempt is stored: (status, last_status, last_error, next_attempt_at,
/// delivered_at); `now` is the time of a delivery.
pub(crate) type AttemptColumns<'a> = (
    &'static str,
    Option<i64>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

pub(crate) fn attempt_columns<'a>(attempt: &'a Attempt, now: &'a str) -> AttemptColumns<'a> {
    match attempt {
        Attempt::Delivered { status } => ("delivered", Some(*status), None, None, Some(now)),
        Attempt::Retry {
            status,
            error,
            next_at,
        } => (
            "pending",
            *status,
            Some(error.as_str()),
            Some(next_at.as_str()),
            None,
        ),
        Attempt::Dead { status, error } => ("dead", *status, Some(error.as_str()), None, None),
    }
}
