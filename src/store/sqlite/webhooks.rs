use super::{plain_row, SqliteStore};
use crate::domain::records::{Attempt, Delivery, Webhook};
use crate::domain::writes::OutboxEntry;
use crate::store::{StoreError, StoreResult, WebhookStore};
use async_trait::async_trait;

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: String,
    organization_id: String,
    url: String,
    events: String,
    secret: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<WebhookRow> for Webhook {
    type Error = StoreError;
    fn try_from(r: WebhookRow) -> StoreResult<Self> {
        Ok(Webhook {
            events: serde_json::from_str(&r.events)
                .map_err(|_| StoreError::corrupt("webhook events", &r.id))?,
            id: r.id,
            organization_id: r.organization_id,
            url: r.url,
            secret: r.secret,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn webhooks(rows: Vec<WebhookRow>) -> StoreResult<Vec<Webhook>> {
    rows.into_iter().map(Webhook::try_from).collect()
}

plain_row!(DeliveryRow => Delivery {
    id: String,
    webhook_id: String,
    organization_id: String,
    event_id: String,
    ordering_key: String,
    seq: i64,
    handoff_id: Option<String>,
    conversation_id: Option<String>,
    topic: String,
    payload: String,
    status: String,
    attempts: i64,
    next_attempt_at: String,
    last_status: Option<i64>,
    last_error: Option<String>,
    created_at: String,
    delivered_at: Option<String>,
});

plain_row!(OutboxRow => OutboxEntry {
    id: String,
    organization_id: String,
    event_id: String,
    handoff_id: Option<String>,
    conversation_id: Option<String>,
    ordering_key: String,
    seq: i64,
    topic: String,
    payload: String,
    created_at: String,
});

#[async_trait]
impl WebhookStore for SqliteStore {
    async fn insert_webhook(&self, w: &Webhook) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO webhooks (id, organization_id, url, events, secret, created_at, updated_at) \
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&w.id)
        .bind(&w.organization_id)
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(&w.created_at)
        .bind(&w.updated_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn webhooks(&self, org_id: &str) -> StoreResult<Vec<Webhook>> {
        let rows: Vec<WebhookRow> = sqlx::query_as(
            "SELECT * FROM webhooks WHERE organization_id = ? ORDER BY created_at, id",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        webhooks(rows)
    }

    async fn webhook(&self, org_id: &str, id: &str) -> StoreResult<Option<Webhook>> {
        let row: Option<WebhookRow> =
            sqlx::query_as("SELECT * FROM webhooks WHERE organization_id = ? AND id = ?")
                .bind(org_id)
                .bind(id)
                .fetch_optional(&self.writer)
                .await?;
        row.map(Webhook::try_from).transpose()
    }

    async fn update_webhook(&self, w: &Webhook) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE webhooks SET url = ?, events = ?, secret = ?, updated_at = ? \
             WHERE organization_id = ? AND id = ?",
        )
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(&w.updated_at)
        .bind(&w.organization_id)
        .bind(&w.id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_webhook(&self, org_id: &str, id: &str) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE organization_id = ? AND webhook_id = ?")
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM webhooks WHERE organization_id = ? AND id = ?")
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn pending_outbox(&self, limit: i64) -> StoreResult<Vec<OutboxEntry>> {
        // In seq order within each key, so a batch cut at `limit` never fans
        // out an event before an older one of the same handoff or conversation.
        // Every committed row is due: `available_at` is taken from a clock read
        // before the write lock, so an older seq may carry a later time, and
        // filtering on it could let a newer event overtake it.
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT id, organization_id, event_id, handoff_id, conversation_id, ordering_key, seq, \
             topic, payload, created_at FROM outbox WHERE delivered_at IS NULL \
             ORDER BY ordering_key, seq LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.writer)
        .await?;
        Ok(rows.into_iter().map(OutboxEntry::from).collect())
    }

    async fn write_fan_out(
        &self,
        outbox_ids: &[String],
        deliveries: &[Delivery],
        now: &str,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        for d in deliveries {
            sqlx::query(
                "INSERT INTO webhook_deliveries (id, webhook_id, organization_id, event_id, \
                 ordering_key, seq, handoff_id, conversation_id, topic, payload, next_attempt_at, \
                 created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) \
                 ON CONFLICT (webhook_id, event_id) DO NOTHING",
            )
            .bind(&d.id)
            .bind(&d.webhook_id)
            .bind(&d.organization_id)
            .bind(&d.event_id)
            .bind(&d.ordering_key)
            .bind(d.seq)
            .bind(&d.handoff_id)
            .bind(&d.conversation_id)
            .bind(&d.topic)
            .bind(&d.payload)
            .bind(&d.next_attempt_at)
            .bind(&d.created_at)
            .execute(&mut *tx)
            .await?;
        }
        for id in outbox_ids {
            sqlx::query("UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn due_deliveries(&self, now: &str, limit: i64) -> StoreResult<Vec<Delivery>> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(
            "SELECT d.* FROM webhook_deliveries d \
             WHERE d.status = 'pending' AND d.next_attempt_at <= ? \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id \
               AND p.ordering_key = d.ordering_key AND p.status = 'pending' AND p.seq < d.seq) \
             ORDER BY d.next_attempt_at, d.id LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.writer)
        .await?;
        Ok(rows.into_iter().map(Delivery::from).collect())
    }

    async fn record_attempt(&self, id: &str, attempt: &Attempt, now: &str) -> StoreResult<()> {
        let (status, code, error, next_at, delivered_at) = match attempt {
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
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, \
             last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ? \
             WHERE id = ?",
        )
        .bind(status)
        .bind(code)
        .bind(error)
        .bind(next_at)
        .bind(delivered_at)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn deliveries(
        &self,
        org_id: &str,
        webhook_id: &str,
        status: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Delivery>> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(
            "SELECT * FROM webhook_deliveries WHERE organization_id = ? AND webhook_id = ? \
             AND (? IS NULL OR status = ?) ORDER BY created_at DESC, id DESC LIMIT ?",
        )
        .bind(org_id)
        .bind(webhook_id)
        .bind(status)
        .bind(status)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(Delivery::from).collect())
    }

    async fn redeliver(
        &self,
        org_id: &str,
        webhook_id: &str,
        delivery_id: &str,
        now: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, delivered_at = NULL \
             WHERE organization_id = ? AND webhook_id = ? AND id = ?",
        )
        .bind(now)
        .bind(org_id)
        .bind(webhook_id)
        .bind(delivery_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
