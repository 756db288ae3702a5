use super::{fmt_ts, ts, ts_opt, PgStore, Ts, Tx};
use crate::domain::audit::{AuditEvent, ChainedEvent};
use crate::domain::writes::{EventDraft, OutboxEntry};
use crate::store::{AuditChain, AuditStore, Race, StoreError, StoreResult, TraceRow};
use async_trait::async_trait;

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    organization_id: String,
    seq: i64,
    handoff_id: String,
    event: String,
    from_state: Option<String>,
    to_state: String,
    actor: String,
    data: String,
    created_at: Ts,
    prev_hash: String,
    hash: String,
}

impl TryFrom<EventRow> for ChainedEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> StoreResult<Self> {
        let data =
            serde_json::from_str(&r.data).map_err(|_| StoreError::corrupt("event", &r.id))?;
        Ok(ChainedEvent {
            event: AuditEvent {
                id: r.id,
                organization_id: r.organization_id,
                seq: r.seq,
                handoff_id: r.handoff_id,
                event: r.event,
                from_state: r.from_state,
                to_state: r.to_state,
                actor: r.actor,
                data,
                created_at: fmt_ts(r.created_at),
            },
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
    }
}

fn events(rows: Vec<EventRow>) -> StoreResult<Vec<ChainedEvent>> {
    rows.into_iter().map(ChainedEvent::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct TraceQueryRow {
    #[sqlx(flatten)]
    event: EventRow,
    handoff_kind: String,
    handoff_created_at: Ts,
    previous_at: Option<Ts>,
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    #[sqlx(flatten)]
    event: EventRow,
    handoff_kind: String,
}

/// One outbox row; `seq` is its position within its ordering key. Written
/// only where the organization has a webhook subscription (nobody to fan
/// it out to otherwise), checked in the same transaction: it sees the
/// subscriptions committed before the statement.
pub(super) async fn insert_outbox(tx: &mut Tx<'_>, o: &OutboxEntry, seq: i64) -> StoreResult<()> {
    let created_at = ts(&o.created_at)?;
    sqlx::query(
        "INSERT INTO outbox (id, organization_id, event_id, handoff_id, conversation_id, \
         ordering_key, seq, topic, payload, created_at, available_at) \
         SELECT $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10 \
         WHERE EXISTS (SELECT 1 FROM webhooks WHERE organization_id = $2)",
    )
    .bind(&o.id)
    .bind(&o.organization_id)
    .bind(&o.event_id)
    .bind(&o.handoff_id)
    .bind(&o.conversation_id)
    .bind(&o.ordering_key)
    .bind(seq)
    .bind(&o.topic)
    .bind(&o.payload)
    .bind(created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends the audit row at the end of its organization's hash chain, moves
/// the chain head, and writes the event's outbox row at the same seq.
pub(super) async fn append_event(
    tx: &mut Tx<'_>,
    draft: &EventDraft,
    outbox: &OutboxEntry,
) -> StoreResult<()> {
    // The row lock serializes the organization's writers across nodes: the
    // next one reads the head this transaction leaves, after it commits.
    // NO KEY UPDATE, not UPDATE: this transaction's inserts already hold KEY
    // SHARE on the row (their organization_id foreign keys), and FOR UPDATE
    // conflicts with other writers' KEY SHARE, so two concurrent writers
    // would deadlock. NO KEY UPDATE excludes only other writers' NO KEY
    // UPDATE (the head update below takes the same lock).
    let (prev_seq, prev_hash): (i64, String) = sqlx::query_as(
        "SELECT audit_seq, audit_head FROM organizations WHERE id = $1 FOR NO KEY UPDATE",
    )
    .bind(&draft.organization_id)
    .fetch_one(&mut **tx)
    .await?;
    let sealed = draft.seal(prev_seq, &prev_hash);
    let e = &sealed.event;
    sqlx::query(
        "INSERT INTO handoff_events (id, organization_id, seq, handoff_id, event, from_state, \
         to_state, actor, data, created_at, prev_hash, hash) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
    )
    .bind(&e.id)
    .bind(&e.organization_id)
    .bind(e.seq)
    .bind(&e.handoff_id)
    .bind(&e.event)
    .bind(&e.from_state)
    .bind(&e.to_state)
    .bind(&e.actor)
    .bind(e.data.to_string())
    .bind(ts(&e.created_at)?)
    .bind(&sealed.prev_hash)
    .bind(&sealed.hash)
    .execute(&mut **tx)
    .await?;
    // Optimistic on the head too (the second guard; the lock should make it hold).
    let moved = sqlx::query(
        "UPDATE organizations SET audit_seq = $1, audit_head = $2 WHERE id = $3 AND audit_seq = $4",
    )
    .bind(e.seq)
    .bind(&sealed.hash)
    .bind(&e.organization_id)
    .bind(prev_seq)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(StoreError::Conflict(Race::AuditHead));
    }
    insert_outbox(tx, outbox, e.seq).await
}

#[async_trait]
impl AuditStore for PgStore {
    async fn recent_events(&self, org_id: &str, limit: i64) -> StoreResult<Vec<ChainedEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT * FROM handoff_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT $2",
        )
        .bind(org_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        events(rows)
    }

    async fn events_after(
        &self,
        org_id: &str,
        handoff_id: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<ChainedEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT * FROM handoff_events WHERE organization_id = $1 \
             AND ($2::text IS NULL OR handoff_id = $2) AND seq > $3 ORDER BY seq LIMIT $4",
        )
        .bind(org_id)
        .bind(handoff_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        events(rows)
    }

    async fn audit_chain(&self, org_id: &str) -> StoreResult<AuditChain> {
        // One snapshot for the head and the rows: REPEATABLE READ (at READ
        // COMMITTED each statement would see its own).
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let (head_seq, head_hash): (i64, String) =
            sqlx::query_as("SELECT audit_seq, audit_head FROM organizations WHERE id = $1")
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        // No rowid here: seq is unique per organization, so seq alone orders.
        let rows: Vec<EventRow> =
            sqlx::query_as("SELECT * FROM handoff_events WHERE organization_id = $1 ORDER BY seq")
                .bind(org_id)
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(AuditChain {
            events: events(rows)?,
            head_seq,
            head_hash,
        })
    }

    async fn audit_head(&self, org_id: &str) -> StoreResult<i64> {
        let (seq,): (i64,) = sqlx::query_as("SELECT audit_seq FROM organizations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(seq)
    }

    async fn first_event_at(
        &self,
        org_id: &str,
        handoff_id: &str,
        events: &[&str],
    ) -> StoreResult<Option<String>> {
        let row: Option<(Ts,)> = sqlx::query_as(
            "SELECT created_at FROM handoff_events WHERE handoff_id = $1 AND organization_id = $2 \
             AND event = ANY($3) ORDER BY seq LIMIT 1",
        )
        .bind(handoff_id)
        .bind(org_id)
        .bind(events)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(at,)| fmt_ts(at)))
    }

    async fn first_seq_since(&self, org_id: &str, from: &str) -> StoreResult<Option<i64>> {
        let row: (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(seq) FROM handoff_events WHERE organization_id = $1 \
             AND created_at >= $2::timestamptz",
        )
        .bind(org_id)
        .bind(from)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0)
    }

    async fn handoff_events(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> StoreResult<Vec<ChainedEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT * FROM handoff_events WHERE organization_id = $1 AND handoff_id = $2 \
             ORDER BY seq",
        )
        .bind(org_id)
        .bind(handoff_id)
        .fetch_all(&self.pool)
        .await?;
        events(rows)
    }

    async fn creators(
        &self,
        org_id: &str,
        handoff_ids: &[String],
    ) -> StoreResult<std::collections::HashMap<String, String>> {
        if handoff_ids.is_empty() {
            return Ok(Default::default());
        }
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT handoff_id, actor FROM handoff_events WHERE organization_id = $1 \
             AND event = 'create' AND handoff_id = ANY($2)",
        )
        .bind(org_id)
        .bind(handoff_ids)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    async fn trace_after(
        &self,
        org_id: &str,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<TraceRow>> {
        // Both subqueries walk handoff_events_handoff (handoff_id, seq).
        let rows: Vec<TraceQueryRow> = sqlx::query_as(
            "SELECT e.*, h.kind AS handoff_kind, \
             (SELECT c.created_at FROM handoff_events c WHERE c.handoff_id = e.handoff_id \
               ORDER BY c.seq LIMIT 1) AS handoff_created_at, \
             (SELECT p.created_at FROM handoff_events p WHERE p.handoff_id = e.handoff_id \
               AND p.seq < e.seq ORDER BY p.seq DESC LIMIT 1) AS previous_at \
             FROM handoff_events e JOIN handoffs h ON h.id = e.handoff_id \
             WHERE e.organization_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3",
        )
        .bind(org_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(TraceRow {
                    event: r.event.try_into()?,
                    kind: r.handoff_kind,
                    handoff_created_at: fmt_ts(r.handoff_created_at),
                    previous_at: r.previous_at.map(fmt_ts),
                })
            })
            .collect()
    }

    async fn milestone_events(
        &self,
        org_id: &str,
        names: &[&str],
        from: Option<&str>,
        to: Option<&str>,
    ) -> StoreResult<Vec<(String, ChainedEvent)>> {
        let rows: Vec<MilestoneRow> = sqlx::query_as(
            "SELECT e.*, h.kind AS handoff_kind FROM handoff_events e \
             JOIN handoffs h ON h.id = e.handoff_id \
             WHERE e.organization_id = $1 AND e.event = ANY($2) AND e.handoff_id IN \
             (SELECT c.handoff_id FROM handoff_events c WHERE c.organization_id = $1 \
              AND c.event = 'create' AND ($3::timestamptz IS NULL OR c.created_at >= $3) \
              AND ($4::timestamptz IS NULL OR c.created_at < $4)) \
             ORDER BY e.seq",
        )
        .bind(org_id)
        .bind(names)
        .bind(ts_opt(from)?)
        .bind(ts_opt(to)?)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok((r.handoff_kind, r.event.try_into()?)))
            .collect()
    }
}
