use super::{plain_row, SqliteStore};
use crate::domain::records::{Attempt, Delivery, SignatureScheme, Webhook};
use crate::domain::writes::OutboxEntry;
use crate::store::{Claim, StoreError, StoreResult, WebhookStore};
use async_trait::async_trait;
use rusqlite::OptionalExtension;

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: String,
    organization_id: String,
    url: String,
    events: String,
    secret: String,
    signature_scheme: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<String>,
    created_at: String,
    updated_at: String,
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
            previous_secret_expires_at: r.previous_secret_expires_at,
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

/// The deliveries a claim takes (`?1` now, `?2` per organization, `?3`
/// limit): the head of each (subscription, key) queue, due and unleased, with
/// no older outbox row of its key still to fan out; at most `per_org` leased
/// per organization counting those in flight; round-robin over organizations.
const FAIR_PICK: &str = "busy AS ( \
       SELECT organization_id, count(*) AS n FROM webhook_deliveries \
       WHERE status = 'pending' AND lease_until > ?1 GROUP BY organization_id), \
     heads AS ( \
       SELECT d.id, d.organization_id, d.next_attempt_at, row_number() OVER ( \
         PARTITION BY d.organization_id ORDER BY d.next_attempt_at, d.id) AS r \
       FROM webhook_deliveries d \
       WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 \
       AND (d.lease_until IS NULL OR d.lease_until <= ?1) \
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id \
         AND p.ordering_key = d.ordering_key AND p.status = 'pending' AND p.seq < d.seq) \
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ordering_key = d.ordering_key \
         AND o.seq < d.seq AND o.delivered_at IS NULL)), \
     picked AS ( \
       SELECT h.id FROM heads h LEFT JOIN busy b ON b.organization_id = h.organization_id \
       WHERE h.r + COALESCE(b.n, 0) <= ?2 \
       ORDER BY h.r, h.next_attempt_at, h.id LIMIT ?3)";

#[async_trait]
impl WebhookStore for SqliteStore {
    async fn insert_webhook(&self, w: &Webhook) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO webhooks (id, organization_id, url, events, secret, signature_scheme, \
             previous_secret, previous_secret_expires_at, created_at, updated_at) \
             VALUES (?,?,?,?,?,?,?,?,?,?)",
        )
        .bind(&w.id)
        .bind(&w.organization_id)
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(w.signature_scheme.as_str())
        .bind(&w.previous_secret)
        .bind(&w.previous_secret_expires_at)
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
            "UPDATE webhooks SET url = ?, events = ?, secret = ?, updated_at = ?, \
             signature_scheme = ?, previous_secret = ?, previous_secret_expires_at = ? \
             WHERE organization_id = ? AND id = ?",
        )
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(&w.updated_at)
        .bind(w.signature_scheme.as_str())
        .bind(&w.previous_secret)
        .bind(&w.previous_secret_expires_at)
        .bind(&w.organization_id)
        .bind(&w.id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn clear_expired_previous_secret(
        &self,
        org_id: &str,
        id: &str,
        now: &str,
    ) -> StoreResult<bool> {
        // Times are stored in one fixed-width UTC format: text order is time order.
        let done = sqlx::query(
            "UPDATE webhooks SET previous_secret = NULL, previous_secret_expires_at = NULL \
             WHERE organization_id = ? AND id = ? AND previous_secret_expires_at <= ?",
        )
        .bind(org_id)
        .bind(id)
        .bind(now)
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

    async fn claim_outbox(&self, c: &Claim<'_>) -> StoreResult<Vec<OutboxEntry>> {
        // In seq order within each key, so a batch cut at `limit` never fans
        // out an event before an older one of the same handoff or conversation.
        // Every committed row is due: `available_at` is taken from a clock read
        // before the write lock, so an older seq may carry a later time, and
        // filtering on it could let a newer event overtake it. One writer:
        // the guarded UPDATE is the claim.
        let mut rows: Vec<OutboxRow> = sqlx::query_as(
            "UPDATE outbox SET claimed_by = ?1, lease_until = ?2 WHERE id IN ( \
               SELECT id FROM outbox WHERE delivered_at IS NULL \
               AND (lease_until IS NULL OR lease_until <= ?3) \
               ORDER BY ordering_key, seq LIMIT ?4) \
             RETURNING id, organization_id, event_id, handoff_id, conversation_id, ordering_key, \
             seq, topic, payload, created_at",
        )
        .bind(c.node)
        .bind(c.until)
        .bind(c.now)
        .bind(c.limit)
        .fetch_all(&self.writer)
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
        // Through the group-commit writer: the whole fan-out is one hop and
        // one savepoint, instead of a hop per row holding the write lock
        // while creations and decisions wait for it.
        let (ids, deliveries) = (outbox_ids.to_vec(), deliveries.to_vec());
        let (now, node) = (now.to_string(), node.to_string());
        self.group
            .write(move |c| fan_out_in(c, &ids, &deliveries, &now, &node).map(|()| 0))
            .await?;
        Ok(())
    }

    async fn claim_deliveries(&self, c: &Claim<'_>, per_org: i64) -> StoreResult<Vec<Delivery>> {
        let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
            "WITH {FAIR_PICK} \
             UPDATE webhook_deliveries SET claimed_by = ?4, lease_until = ?5 \
             WHERE id IN (SELECT id FROM picked) RETURNING *"
        ))
        .bind(c.now)
        .bind(per_org)
        .bind(c.limit)
        .bind(c.node)
        .bind(c.until)
        .fetch_all(&self.writer)
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
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, \
             last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ?, \
             claimed_by = NULL, lease_until = NULL WHERE id = ? AND claimed_by = ?",
        )
        .bind(status)
        .bind(code)
        .bind(error)
        .bind(next_at)
        .bind(delivered_at)
        .bind(id)
        .bind(node)
        .execute(&self.writer)
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
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, delivered_at = NULL, \
             claimed_by = NULL, lease_until = NULL \
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

/// Marks the outbox rows this node still holds delivered and stores their
/// deliveries (an event already delivered to a subscription is skipped).
fn fan_out_in(
    c: &rusqlite::Connection,
    outbox_ids: &[String],
    deliveries: &[Delivery],
    now: &str,
    node: &str,
) -> StoreResult<()> {
    let mut held = std::collections::HashSet::new();
    let mut done = c.prepare_cached(
        "UPDATE outbox SET delivered_at = ?, claimed_by = NULL, lease_until = NULL \
         WHERE id = ? AND delivered_at IS NULL AND claimed_by = ? RETURNING event_id",
    )?;
    for id in outbox_ids {
        let event: Option<String> = done
            .query_row(rusqlite::params![now, id, node], |r| r.get(0))
            .optional()?;
        held.extend(event);
    }
    let mut insert = c.prepare_cached(
        "INSERT INTO webhook_deliveries (id, webhook_id, organization_id, event_id, \
         ordering_key, seq, handoff_id, conversation_id, topic, payload, next_attempt_at, \
         created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) \
         ON CONFLICT (webhook_id, event_id) DO NOTHING",
    )?;
    for d in deliveries.iter().filter(|d| held.contains(&d.event_id)) {
        insert.execute(rusqlite::params![
            d.id,
            d.webhook_id,
            d.organization_id,
            d.event_id,
            d.ordering_key,
            d.seq,
            d.handoff_id,
            d.conversation_id,
            d.topic,
            d.payload,
            d.next_attempt_at,
            d.created_at,
        ])?;
    }
    Ok(())
}
