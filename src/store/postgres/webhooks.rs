use super::{plain_row, ts, ts_opt, PgStore, Ts};
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
    created_at: Ts,
    updated_at: Ts,
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
            created_at: super::fmt_ts(r.created_at),
            updated_at: super::fmt_ts(r.updated_at),
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
    next_attempt_at: Ts,
    last_status: Option<i32>,
    last_error: Option<String>,
    created_at: Ts,
    delivered_at: Option<Ts>,
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
    created_at: Ts,
});

#[async_trait]
impl WebhookStore for PgStore {
    async fn insert_webhook(&self, w: &Webhook) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO webhooks (id, organization_id, url, events, secret, created_at, updated_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7)",
        )
        .bind(&w.id)
        .bind(&w.organization_id)
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(ts(&w.created_at)?)
        .bind(ts(&w.updated_at)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn webhooks(&self, org_id: &str) -> StoreResult<Vec<Webhook>> {
        let rows: Vec<WebhookRow> = sqlx::query_as(
            "SELECT * FROM webhooks WHERE organization_id = $1 ORDER BY created_at, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        webhooks(rows)
    }

    async fn webhook(&self, org_id: &str, id: &str) -> StoreResult<Option<Webhook>> {
        let row: Option<WebhookRow> =
            sqlx::query_as("SELECT * FROM webhooks WHERE organization_id = $1 AND id = $2")
                .bind(org_id)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(Webhook::try_from).transpose()
    }

    async fn update_webhook(&self, w: &Webhook) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE webhooks SET url = $1, events = $2, secret = $3, updated_at = $4 \
             WHERE organization_id = $5 AND id = $6",
        )
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(ts(&w.updated_at)?)
        .bind(&w.organization_id)
        .bind(&w.id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_webhook(&self, org_id: &str, id: &str) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM webhook_deliveries WHERE organization_id = $1 AND webhook_id = $2",
        )
        .bind(org_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM webhooks WHERE organization_id = $1 AND id = $2")
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
        // Every committed row is due (see the SQLite store for why
        // `available_at` is not filtered on).
        let rows: Vec<OutboxRow> = sqlx::query_as(
            "SELECT id, organization_id, event_id, handoff_id, conversation_id, ordering_key, seq, \
             topic, payload, created_at FROM outbox WHERE delivered_at IS NULL \
             ORDER BY ordering_key, seq LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(OutboxEntry::from).collect())
    }

    async fn write_fan_out(
        &self,
        outbox_ids: &[String],
        deliveries: &[Delivery],
        now: &str,
    ) -> StoreResult<()> {
        let now = ts(now)?;
        let mut tx = self.pool.begin().await?;
        for d in deliveries {
            sqlx::query(
                "INSERT INTO webhook_deliveries (id, webhook_id, organization_id, event_id, \
                 ordering_key, seq, handoff_id, conversation_id, topic, payload, next_attempt_at, \
                 created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) \
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
            .bind(ts(&d.next_attempt_at)?)
            .bind(ts(&d.created_at)?)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE outbox SET delivered_at = $1 WHERE id = ANY($2) AND delivered_at IS NULL",
        )
        .bind(now)
        .bind(outbox_ids)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn due_deliveries(&self, now: &str, limit: i64) -> StoreResult<Vec<Delivery>> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(
            "SELECT d.* FROM webhook_deliveries d \
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id \
               AND p.ordering_key = d.ordering_key AND p.status = 'pending' AND p.seq < d.seq) \
             ORDER BY d.next_attempt_at, d.id LIMIT $2",
        )
        .bind(ts(now)?)
        .bind(limit)
        .fetch_all(&self.pool)
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
        let code = code
            .map(i32::try_from)
            .transpose()
            .map_err(|_| StoreError::Other("HTTP status out of range".into()))?;
        sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status = $2, \
             last_error = $3, next_attempt_at = COALESCE($4, next_attempt_at), delivered_at = $5 \
             WHERE id = $6",
        )
        .bind(status)
        .bind(code)
        .bind(error)
        .bind(ts_opt(next_at)?)
        .bind(ts_opt(delivered_at)?)
        .bind(id)
        .execute(&self.pool)
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
            "SELECT * FROM webhook_deliveries WHERE organization_id = $1 AND webhook_id = $2 \
             AND ($3::text IS NULL OR status = $3) ORDER BY created_at DESC, id DESC LIMIT $4",
        )
        .bind(org_id)
        .bind(webhook_id)
        .bind(status)
        .bind(limit)
        .fetch_all(&self.pool)
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
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, \
             delivered_at = NULL WHERE organization_id = $2 AND webhook_id = $3 AND id = $4",
        )
        .bind(ts(now)?)
        .bind(org_id)
        .bind(webhook_id)
        .bind(delivery_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
