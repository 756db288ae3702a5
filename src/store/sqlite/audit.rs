use super::{marks, SqliteStore};
use crate::domain::audit::{AuditEvent, ChainedEvent};
use crate::domain::writes::{EventDraft, OutboxEntry, PreparedEvent};
use crate::store::{AuditChain, AuditStore, Race, StoreError, StoreResult, TraceRow};
use async_trait::async_trait;
use rusqlite::{params, Connection};

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
    created_at: String,
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
                created_at: r.created_at,
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
    handoff_created_at: String,
    previous_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    #[sqlx(flatten)]
    event: EventRow,
    handoff_kind: String,
}

/// One outbox row; `seq` is its position within its ordering key. Written
/// only where the organization has a webhook subscription (nobody to fan
/// it out to otherwise), checked in the same transaction: the single writer
/// orders it with a subscription's creation.
pub(super) fn insert_outbox(c: &Connection, o: &OutboxEntry, seq: i64) -> StoreResult<()> {
    c.prepare_cached(
        "INSERT INTO outbox (id, organization_id, event_id, handoff_id, conversation_id, \
         ordering_key, seq, topic, payload, created_at, available_at) \
         SELECT ?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10 \
         WHERE EXISTS (SELECT 1 FROM webhooks WHERE organization_id = ?2)",
    )?
    .execute(params![
        o.id,
        o.organization_id,
        o.event_id,
        o.handoff_id,
        o.conversation_id,
        o.ordering_key,
        seq,
        o.topic,
        o.payload,
        o.created_at,
    ])?;
    Ok(())
}

/// Appends the audit row at the end of its organization's hash chain, moves
/// the chain head, and writes the event's outbox row at the same seq. Runs
/// in the group commit's transaction: the head read here includes every
/// earlier write of the batch. `prepared` is `draft.prepare()`, made before
/// the job was queued.
pub(super) fn append_event(
    c: &Connection,
    draft: &EventDraft,
    prepared: &PreparedEvent,
    outbox: &OutboxEntry,
) -> StoreResult<()> {
    let (prev_seq, prev_hash): (i64, String) = c
        .prepare_cached("SELECT audit_seq, audit_head FROM organizations WHERE id = ?")?
        .query_row([&draft.organization_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let seq = prev_seq + 1;
    let hash = prepared.hash(seq, &prev_hash);
    c.prepare_cached(
        "INSERT INTO handoff_events (id, organization_id, seq, handoff_id, event, from_state, \
         to_state, actor, data, created_at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    )?
    .execute(params![
        draft.id,
        draft.organization_id,
        seq,
        draft.handoff_id,
        draft.event,
        draft.from_state,
        draft.to_state,
        draft.actor,
        prepared.data_json,
        draft.created_at,
        prev_hash,
        hash,
    ])?;
    // One writer, so the head cannot have moved; the check stays as a guard.
    let moved = c
        .prepare_cached(
            "UPDATE organizations SET audit_seq = ?, audit_head = ? WHERE id = ? AND audit_seq = ?",
        )?
        .execute(params![seq, hash, draft.organization_id, prev_seq])?;
    if moved != 1 {
        return Err(StoreError::Conflict(Race::AuditHead));
    }
    insert_outbox(c, outbox, seq)
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn recent_events(&self, org_id: &str, limit: i64) -> StoreResult<Vec<ChainedEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT * FROM handoff_events WHERE organization_id = ? ORDER BY seq DESC LIMIT ?",
        )
        .bind(org_id)
        .bind(limit)
        .fetch_all(&self.reader)
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
        let rows: Vec<EventRow> =
            match handoff_id {
                Some(h) => sqlx::query_as(
                    "SELECT * FROM handoff_events WHERE organization_id = ? AND handoff_id = ? \
                     AND seq > ? ORDER BY seq LIMIT ?",
                )
                .bind(org_id)
                .bind(h)
                .bind(after_seq)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?,
                None => {
                    sqlx::query_as(
                        "SELECT * FROM handoff_events WHERE organization_id = ? AND seq > ? \
                     ORDER BY seq LIMIT ?",
                    )
                    .bind(org_id)
                    .bind(after_seq)
                    .bind(limit)
                    .fetch_all(&self.reader)
                    .await?
                }
            };
        events(rows)
    }

    async fn audit_chain(&self, org_id: &str) -> StoreResult<AuditChain> {
        // One read transaction so the head and the rows are the same snapshot.
        let mut tx = self.reader.begin().await?;
        let (head_seq, head_hash): (i64, String) =
            sqlx::query_as("SELECT audit_seq, audit_head FROM organizations WHERE id = ?")
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT * FROM handoff_events WHERE organization_id = ? ORDER BY seq, rowid",
        )
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
        let (seq,): (i64,) = sqlx::query_as("SELECT audit_seq FROM organizations WHERE id = ?")
            .bind(org_id)
            .fetch_optional(&self.reader)
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
        let sql = format!(
            "SELECT created_at FROM handoff_events WHERE handoff_id = ? AND organization_id = ? \
             AND event IN ({}) ORDER BY seq LIMIT 1",
            marks(events.len())
        );
        let mut values = vec![handoff_id.to_string(), org_id.to_string()];
        values.extend(events.iter().map(|e| e.to_string()));
        self.points.optional(sql, values, |r| r.get(0)).await
    }

    async fn first_seq_since(&self, org_id: &str, from: &str) -> StoreResult<Option<i64>> {
        let row: (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(seq) FROM handoff_events WHERE organization_id = ? AND created_at >= ?",
        )
        .bind(org_id)
        .bind(from)
        .fetch_one(&self.reader)
        .await?;
        Ok(row.0)
    }

    async fn handoff_events(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> StoreResult<Vec<ChainedEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT * FROM handoff_events WHERE organization_id = ? AND handoff_id = ? ORDER BY seq",
        )
        .bind(org_id)
        .bind(handoff_id)
        .fetch_all(&self.reader)
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
        let sql = format!(
            "SELECT handoff_id, actor FROM handoff_events WHERE organization_id = ? \
             AND event = 'create' AND handoff_id IN ({})",
            marks(handoff_ids.len())
        );
        let mut values = vec![org_id.to_string()];
        values.extend(handoff_ids.iter().cloned());
        self.points
            .read(move |c| {
                c.prepare_cached(&sql)?
                    .query_map(rusqlite::params_from_iter(&values), |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect()
            })
            .await
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
             WHERE e.organization_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?",
        )
        .bind(org_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(TraceRow {
                    event: r.event.try_into()?,
                    kind: r.handoff_kind,
                    handoff_created_at: r.handoff_created_at,
                    previous_at: r.previous_at,
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
        let sql = format!(
            "SELECT e.*, h.kind AS handoff_kind FROM handoff_events e \
             JOIN handoffs h ON h.id = e.handoff_id \
             WHERE e.organization_id = ? AND e.event IN ({}) AND e.handoff_id IN \
             (SELECT c.handoff_id FROM handoff_events c WHERE c.organization_id = ? \
              AND c.event = 'create' AND (? IS NULL OR c.created_at >= ?) \
              AND (? IS NULL OR c.created_at < ?)) \
             ORDER BY e.seq",
            marks(names.len())
        );
        let mut query = sqlx::query_as(&sql).bind(org_id);
        for e in names {
            query = query.bind(*e);
        }
        let rows: Vec<MilestoneRow> = query
            .bind(org_id)
            .bind(from)
            .bind(from)
            .bind(to)
            .bind(to)
            .fetch_all(&self.reader)
            .await?;
        rows.into_iter()
            .map(|r| Ok((r.handoff_kind, r.event.try_into()?)))
            .collect()
    }
}
