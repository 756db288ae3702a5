use super::{fmt_ts, ts, ts_opt, PgStore, Ts, Tx};
use crate::domain::records::{AgentDetails, Timer};
use crate::domain::writes::{NewHandoff, TransitionWrite};
use crate::domain::{Handoff, Kind, Packet, Source, State, TranscriptPtr};
use crate::store::{contains_pattern, HandoffQuery, HandoffStore, Race, StoreError, StoreResult};
use async_trait::async_trait;

const HANDOFF_COLUMNS: &str = "id, organization_id, kind, state, version, conversation_id, \
     source, packet, transcript_ptr, assignee, decision, created_at, updated_at, resolved_at, priority";

#[derive(sqlx::FromRow)]
struct HandoffRow {
    id: String,
    organization_id: String,
    kind: String,
    state: String,
    version: i64,
    conversation_id: Option<String>,
    source: String,
    packet: String,
    transcript_ptr: Option<String>,
    assignee: Option<String>,
    decision: Option<String>,
    priority: String,
    created_at: Ts,
    updated_at: Ts,
    resolved_at: Option<Ts>,
}

impl TryFrom<HandoffRow> for Handoff {
    type Error = StoreError;
    fn try_from(r: HandoffRow) -> StoreResult<Self> {
        let corrupt = |what| StoreError::corrupt(what, &r.id);
        let mut packet: Packet = serde_json::from_str(&r.packet).map_err(|_| corrupt("packet"))?;
        packet.transcript_ptr = r.transcript_ptr.as_deref().and_then(TranscriptPtr::parse);
        Ok(Handoff {
            kind: Kind::parse(&r.kind).ok_or_else(|| corrupt("kind"))?,
            state: State::parse(&r.state).ok_or_else(|| corrupt("state"))?,
            source: Source::parse(&r.source).ok_or_else(|| corrupt("source"))?,
            packet,
            id: r.id,
            organization_id: r.organization_id,
            version: r.version,
            conversation_id: r.conversation_id,
            assignee: r.assignee,
            decision: r.decision,
            priority: r.priority,
            created_at: fmt_ts(r.created_at),
            updated_at: fmt_ts(r.updated_at),
            resolved_at: r.resolved_at.map(fmt_ts),
        })
    }
}

#[derive(sqlx::FromRow)]
struct AgentRow {
    from_agent: String,
    to_agent: String,
    handoff_time: Option<String>,
    context: String,
}

/// The packet as stored: the transcript pointer lives in its own column, in wire form.
fn packet_json(packet: &Packet) -> String {
    let mut stored = packet.clone();
    stored.transcript_ptr = None;
    serde_json::to_string(&stored).expect("packet serializes")
}

pub(super) async fn insert_timer(tx: &mut Tx<'_>, t: &Timer) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO timers (id, organization_id, handoff_id, kind, due_at, data) \
         VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(&t.id)
    .bind(&t.organization_id)
    .bind(&t.handoff_id)
    .bind(&t.kind)
    .bind(ts(&t.due_at)?)
    .bind(&t.data)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Claims a timer: the update that makes it fire once, even with two workers
/// (the second waits for the first's commit, then finds `fired_at` set).
pub(super) async fn claim_timer(tx: &mut Tx<'_>, id: &str, now: &str) -> StoreResult<bool> {
    let claimed = sqlx::query("UPDATE timers SET fired_at = $1 WHERE id = $2 AND fired_at IS NULL")
        .bind(ts(now)?)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

#[async_trait]
impl HandoffStore for PgStore {
    async fn create_handoff(&self, new: &NewHandoff) -> StoreResult<()> {
        let h = &new.handoff;
        let mut tx = self.pool.begin().await?;
        if let Some(conversation) = &new.conversation {
            super::conversations::write_in(&mut tx, conversation).await?;
        }
        sqlx::query(&format!(
            "INSERT INTO handoffs ({HANDOFF_COLUMNS}) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)"
        ))
        .bind(&h.id)
        .bind(&h.organization_id)
        .bind(h.kind.as_str())
        .bind(h.state.as_str())
        .bind(h.version)
        .bind(&h.conversation_id)
        .bind(h.source.as_str())
        .bind(packet_json(&h.packet))
        .bind(h.packet.transcript_ptr.as_ref().map(TranscriptPtr::to_wire))
        .bind(&h.assignee)
        .bind(&h.decision)
        .bind(ts(&h.created_at)?)
        .bind(ts(&h.updated_at)?)
        .bind(ts_opt(h.resolved_at.as_deref())?)
        .bind(&h.priority)
        .execute(&mut *tx)
        .await?;
        if let Some(a) = &new.approval {
            super::approvals::insert_in(&mut tx, &h.id, a).await?;
        }
        if let Some(d) = &new.agent {
            sqlx::query(
                "INSERT INTO agent_handoffs (handoff_id, from_agent, to_agent, handoff_time, context) \
                 VALUES ($1,$2,$3,$4,$5)",
            )
            .bind(&h.id)
            .bind(&d.from_agent)
            .bind(&d.to_agent)
            .bind(&d.handoff_time)
            .bind(d.context.to_string())
            .execute(&mut *tx)
            .await?;
        }
        if let Some(a) = &new.assist {
            super::assist::insert_in(&mut tx, a).await?;
        }
        for t in &new.timers {
            insert_timer(&mut tx, t).await?;
        }
        super::audit::append_event(&mut tx, &new.event, &new.outbox).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn handoff(&self, org_id: &str, id: &str) -> StoreResult<Option<Handoff>> {
        let row: Option<HandoffRow> = sqlx::query_as(&format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = $1 AND organization_id = $2"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Handoff::try_from).transpose()
    }

    async fn handoff_any_org(&self, id: &str) -> StoreResult<Option<Handoff>> {
        let row: Option<HandoffRow> = sqlx::query_as(&format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Handoff::try_from).transpose()
    }

    async fn handoffs(&self, org_id: &str, q: &HandoffQuery) -> StoreResult<Vec<Handoff>> {
        // Every filter is bound; a NULL one matches everything.
        let states: Option<Vec<&str>> = q
            .states
            .as_ref()
            .map(|s| s.iter().map(|s| s.as_str()).collect());
        let rows: Vec<HandoffRow> = sqlx::query_as(&format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE organization_id = $1 \
             AND ($2::text[] IS NULL OR state = ANY($2)) \
             AND ($3::text IS NULL OR kind = $3) \
             AND ($4::text IS NULL OR decision = $4) \
             AND ($5::text IS NULL OR id < $5) \
             AND ($7::text IS NULL \
               OR EXISTS (SELECT 1 FROM jsonb_path_query(packet::jsonb, 'strict $.**') AS v(j) \
                  WHERE jsonb_typeof(v.j) = 'string' AND v.j #>> '{{}}' ILIKE $7) \
               OR id IN (SELECT handoff_id FROM approvals WHERE subject_ref ILIKE $7) \
               OR conversation_id IN (SELECT id FROM conversations \
                  WHERE organization_id = $1 AND external_ref ILIKE $7) \
               OR assignee IN (SELECT id FROM operators WHERE organization_id = $1 AND name ILIKE $7) \
               OR id IN (SELECT a.handoff_id FROM approvals a JOIN operators o \
                  ON a.decided_by = 'operator:' || o.id \
                  WHERE o.organization_id = $1 AND o.name ILIKE $7)) \
             ORDER BY id DESC LIMIT $6"
        ))
        .bind(org_id)
        .bind(states)
        .bind(q.kind.map(|k| k.as_str()))
        .bind(&q.decision)
        .bind(&q.before)
        .bind(q.limit)
        .bind(q.text.as_deref().map(contains_pattern))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Handoff::try_from).collect()
    }

    async fn write_transition(&self, w: &TransitionWrite) -> StoreResult<()> {
        let h = &w.handoff;
        let now = &w.event.created_at;
        let at = ts(now)?;
        let mut tx = self.pool.begin().await?;
        if let Some(n) = &w.nonce {
            sqlx::query(
                "INSERT INTO link_nonces (nonce, handoff_id, operator_id, consumed_at) \
                 VALUES ($1,$2,$3,$4)",
            )
            .bind(&n.nonce)
            .bind(&h.id)
            .bind(&n.operator_id)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Duplicate => StoreError::Conflict(Race::LinkUsed),
                other => other,
            })?;
        }
        if let Some(d) = &w.decision {
            super::approvals::decide_in(&mut tx, &h.id, d, now).await?;
        }
        if let Some(timer) = &w.timer_fired {
            if !claim_timer(&mut tx, timer, now).await? {
                return Err(StoreError::Conflict(Race::TimerFired));
            }
        }
        for t in &w.timers {
            insert_timer(&mut tx, t).await?;
        }
        let written = sqlx::query(
            "UPDATE handoffs SET state = $1, version = $2, assignee = $3, decision = $4, \
             updated_at = $5, resolved_at = $6 \
             WHERE id = $7 AND organization_id = $8 AND version = $9",
        )
        .bind(h.state.as_str())
        .bind(h.version)
        .bind(&h.assignee)
        .bind(&h.decision)
        .bind(ts(&h.updated_at)?)
        .bind(ts_opt(h.resolved_at.as_deref())?)
        .bind(&h.id)
        .bind(&h.organization_id)
        .bind(w.expected_version)
        .execute(&mut *tx)
        .await?;
        if written.rows_affected() != 1 {
            return Err(StoreError::Conflict(Race::Version));
        }
        if let Some(v) = &w.vote {
            super::approvals::vote_in(&mut tx, &h.id, v).await?;
        }
        if let Some(effect) = &w.conversation {
            sqlx::query(
                "UPDATE conversations SET status = $1, termination_reason = $2, status_reason = $3, \
                 updated_at = $4 WHERE id = $5 AND organization_id = $6",
            )
            .bind(effect.status)
            .bind(effect.termination_reason)
            .bind(effect.status_reason)
            .bind(at)
            .bind(&effect.conversation_id)
            .bind(&h.organization_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(s) = &w.session {
            sqlx::query(
                "INSERT INTO operator_sessions (token_hash, operator_id, organization_id, \
                 created_at, expires_at, handoff_id) VALUES ($1,$2,$3,$4,$5,$6)",
            )
            .bind(&s.token_hash)
            .bind(&s.operator_id)
            .bind(&s.organization_id)
            .bind(ts(&s.created_at)?)
            .bind(ts(&s.expires_at)?)
            .bind(&s.handoff_id)
            .execute(&mut *tx)
            .await?;
        }
        super::audit::append_event(&mut tx, &w.event, &w.outbox).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn agent_details(&self, handoff_id: &str) -> StoreResult<Option<AgentDetails>> {
        let row: Option<AgentRow> = sqlx::query_as(
            "SELECT from_agent, to_agent, handoff_time, context FROM agent_handoffs \
             WHERE handoff_id = $1",
        )
        .bind(handoff_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(AgentDetails {
                context: serde_json::from_str(&r.context)
                    .map_err(|_| StoreError::corrupt("agent context", handoff_id))?,
                from_agent: r.from_agent,
                to_agent: r.to_agent,
                handoff_time: r.handoff_time,
            })
        })
        .transpose()
    }
}
