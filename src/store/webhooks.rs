//! Webhook subscriptions, the outbox fan-out and the delivery log.

use super::StoreResult;
use crate::domain::records::{Attempt, Delivery, Webhook};
use crate::domain::writes::OutboxEntry;
use async_trait::async_trait;

#[async_trait]
pub trait WebhookStore {
    async fn insert_webhook(&self, w: &Webhook) -> StoreResult<()>;
    async fn webhooks(&self, org_id: &str) -> StoreResult<Vec<Webhook>>;
    async fn webhook(&self, org_id: &str, id: &str) -> StoreResult<Option<Webhook>>;
    /// Saves url, events and secret of an existing subscription; false if none.
    async fn update_webhook(&self, w: &Webhook) -> StoreResult<bool>;
    async fn delete_webhook(&self, org_id: &str, id: &str) -> StoreResult<bool>;
    /// Up to `limit` outbox rows not yet fanned out, in order within each
    /// ordering key (never a newer event of a handoff before an older one).
    async fn pending_outbox(&self, limit: i64) -> StoreResult<Vec<OutboxEntry>>;
    /// Stores the deliveries made from outbox rows (an event already delivered
    /// to a subscription is skipped) and marks the rows done: one transaction.
    async fn write_fan_out(
        &self,
        outbox_ids: &[String],
        deliveries: &[Delivery],
        now: &str,
    ) -> StoreResult<()>;
    /// Pending deliveries due at `now`, each the oldest pending one of its
    /// (subscription, handoff or conversation), so they arrive in order.
    async fn due_deliveries(&self, now: &str, limit: i64) -> StoreResult<Vec<Delivery>>;
    async fn record_attempt(&self, id: &str, attempt: &Attempt, now: &str) -> StoreResult<()>;
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
