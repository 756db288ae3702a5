use super::{plain_row, ts, ts_opt, PgStore, Ts};
use crate::domain::records::{Attempt, Delivery, SignatureScheme, Webhook};
use crate::domain::writes::OutboxEntry;
use crate::store::{Claim, StoreError, StoreResult, WebhookStore};
use async_trait::async_trait;

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: String,
    organization_id: String,
    url: String,
    events: String,
    secret: String,
    signature_scheme: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<Ts>,
    created_at: Ts,
    updated_at: Ts,
}

impl TryFrom<WebhookRow> for Webhook {
    type Error = StoreError;
    fn try_from(r: WebhookRow) -> StoreResult<Self> {
        Ok(Webhook {
            events: serde_json::from_str(&r.events)
                .map_err(|_| StoreError::corrupt("webhook events", &r.id))?,
            signature_scheme: SignatureScheme::parse(&r.signature_scheme)
                .ok_or_else(|| StoreError::corrupt("webhook signature scheme", &r.id))?,
            id: r.id,
            organization_id: r.organization_id,
            url: r.url,
            secret: r.secret,
            previous_secret: r.previous_secret,
            previous_secret_expires_at: r.previous_secret_expires_at.map(super::fmt_ts),
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

/// The deliveries a claim takes (`$1` now, `$2` per organization, `$3`
/// limit): the head of each (subscription, key) queue, due and unleased, with
/// no older outbox row of its key still to fan out; at most `per_org` leased
/// per organization counting those in flight on any node; round-robin over
/// organizations.
const FAIR_PICK: &str = "busy AS ( \
       SELECT organization_id, count(*) AS n FROM webhook_deliveries \
       WHERE status = 'pending' AND lease_until > $1 GROUP BY organization_id), \
     heads AS ( \
       SELECT d.id, d.organization_id, d.next_attempt_at, row_number() OVER ( \
         PARTITION BY d.organization_id ORDER BY d.next_attempt_at, d.id) AS r \
       FROM webhook_deliveries d \
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 \
       AND (d.lease_until IS NULL OR d.lease_until <= $1) \
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id \
         AND p.ordering_key = d.ordering_key AND p.status = 'pending' AND p.seq < d.seq) \
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ordering_key = d.ordering_key \
         AND o.seq < d.seq AND o.delivered_at IS NULL)), \
     picked AS ( \
       SELECT h.id FROM heads h LEFT JOIN busy b ON b.organization_id = h.organization_id \
       WHERE h.r + COALESCE(b.n, 0) <= $2 \
       ORDER BY h.r, h.next_attempt_at, h.id LIMIT $3)";

#[async_trait]
impl WebhookStore for PgStore {
    async fn insert_webhook(&self, w: &Webhook) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO webhooks (id, organization_id, url, events, secret, signature_scheme, \
             previous_secret, previous_secret_expires_at, created_at, updated_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
        )
        .bind(&w.id)
        .bind(&w.organization_id)
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(w.signature_scheme.as_str())
        .bind(&w.previous_secret)
        .bind(ts_opt(w.previous_secret_expires_at.as_deref())?)
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
            "UPDATE webhooks SET url = $1, events = $2, secret = $3, updated_at = $4, \
             signature_scheme = $7, previous_secret = $8, previous_secret_expires_at = $9 \
             WHERE organization_id = $5 AND id = $6",
        )
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(ts(&w.updated_at)?)
        .bind(&w.organization_id)
        .bind(&w.id)
        .bind(w.signature_scheme.as_str())
        .bind(&w.previous_secret)
        .bind(ts_opt(w.previous_secret_expires_at.as_deref())?)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn clear_expired_previous_secret(
        &self,
        org_id: &str,
        id: &str,
        now: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE webhooks SET previous_secret = NULL, previous_secret_expires_at = NULL \
             WHERE organization_id = $1 AND id = $2 AND previous_secret_expires_at <= $3",
        )
        .bind(org_id)
        .bind(id)
        .bind(ts(now)?)
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

    async fn claim_outbox(&self, c: &Claim<'_>) -> StoreResult<Vec<OutboxEntry>> {
        // In seq order within each key (see the SQLite store for why
        // `available_at` is not filtered on). Rows another node is claiming
        // right now are skipped, not waited for; a delivery made from a later
        // row of the same key waits for the older rows (`FAIR_PICK`).
        let mut rows: Vec<OutboxRow> = sqlx::query_as(
            "UPDATE outbox SET claimed_by = $1, lease_until = $2 WHERE id IN ( \
               SELECT id FROM outbox WHERE delivered_at IS NULL \
               AND (lease_until IS NULL OR lease_until <= $3) \
               ORDER BY ordering_key, seq LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING id, organization_id, event_id, handoff_id, conversation_id, ordering_key, \
             seq, topic, payload, created_at",
        )
        .bind(c.node)
        .bind(ts(c.until)?)
        .bind(ts(c.now)?)
        .bind(c.limit)
        .fetch_all(&self.pool)
        .await?;
        rows.sort_by(|a, b| (&a.ordering_key, a.seq).cmp(&(&b.ordering_key, b.seq)));
        Ok(rows.into_iter().map(OutboxEntry::from).collect())
    }

    async fn write_fan_out(
        &self,
        outbox_ids: &[String],
        deliveries: &[Delivery],
        now: &str,
        node: &str,
    ) -> StoreResult<()> {
        let now = ts(now)?;
        let mut tx = self.pool.begin().await?;
        let held: Vec<(String,)> = sqlx::query_as(
            "UPDATE outbox SET delivered_at = $1, claimed_by = NULL, lease_until = NULL \
             WHERE id = ANY($2) AND delivered_at IS NULL AND claimed_by = $3 RETURNING event_id",
        )
        .bind(now)
        .bind(outbox_ids)
        .bind(node)
        .fetch_all(&mut *tx)
        .await?;
        let held: std::collections::HashSet<String> = held.into_iter().map(|e| e.0).collect();
        for d in deliveries.iter().filter(|d| held.contains(&d.event_id)) {
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
        tx.commit().await?;
        Ok(())
    }

    async fn claim_deliveries(&self, c: &Claim<'_>, per_org: i64) -> StoreResult<Vec<Delivery>> {
        // The fair pick cannot lock rows itself (window functions); the outer
        // select locks what it picked, skipping rows another node holds, and
        // checks the lease again on the locked row version.
        let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
            "WITH {FAIR_PICK} \
             UPDATE webhook_deliveries SET claimed_by = $4, lease_until = $5 \
             WHERE id IN (SELECT id FROM webhook_deliveries WHERE id IN (SELECT id FROM picked) \
               AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $1) \
               FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        ))
        .bind(ts(c.now)?)
        .bind(per_org)
        .bind(c.limit)
        .bind(c.node)
        .bind(ts(c.until)?)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Delivery::from).collect())
    }

    async fn record_attempt(
        &self,
        id: &str,
        attempt: &Attempt,
        now: &str,
        node: &str,
    ) -> StoreResult<bool> {
        let (status, code, error, next_at, delivered_at) =
            crate::store::attempt_columns(attempt, now);
        let code = code
            .map(i32::try_from)
            .transpose()
            .map_err(|_| StoreError::Other("HTTP status out of range".into()))?;
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status = $2, \
             last_error = $3, next_attempt_at = COALESCE($4, next_attempt_at), delivered_at = $5, \
             claimed_by = NULL, lease_until = NULL WHERE id = $6 AND claimed_by = $7",
        )
        .bind(status)
        .bind(code)
        .bind(error)
        .bind(ts_opt(next_at)?)
        .bind(ts_opt(delivered_at)?)
        .bind(id)
        .bind(node)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
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
             delivered_at = NULL, claimed_by = NULL, lease_until = NULL WHERE organization_id = $2 AND webhook_id = $3 AND id = $4",
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
