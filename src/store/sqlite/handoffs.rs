use super::{marks, SqliteStore, Tx};
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
    created_at: String,
    updated_at: String,
    resolved_at: Option<String>,
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
            created_at: r.created_at,
            updated_at: r.updated_at,
            resolved_at: r.resolved_at,
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
        "INSERT INTO timers (id, organization_id, handoff_id, kind, due_at, data) VALUES (?,?,?,?,?,?)",
    )
    .bind(&t.id)
    .bind(&t.organization_id)
    .bind(&t.handoff_id)
    .bind(&t.kind)
    .bind(&t.due_at)
    .bind(&t.data)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Claims a timer: the update that makes it fire once, even with two workers.
pub(super) async fn claim_timer(tx: &mut Tx<'_>, id: &str, now: &str) -> StoreResult<bool> {
    let claimed = sqlx::query("UPDATE timers SET fired_at = ? WHERE id = ? AND fired_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// `HandoffQuery::text`: five bindings of the same pattern. SQLite's LIKE
/// ignores ASCII case. The packet's string values are searched, not its JSON
/// (a key such as `static_text` would match every handoff).
const TEXT_MATCH: &str = " AND (EXISTS (SELECT 1 FROM json_tree(handoffs.packet) AS j \
        WHERE j.type = 'text' AND j.value LIKE ? ESCAPE '\\') \
     OR id IN (SELECT handoff_id FROM approvals WHERE subject_ref LIKE ? ESCAPE '\\') \
     OR conversation_id IN (SELECT id FROM conversations \
        WHERE organization_id = handoffs.organization_id AND external_ref LIKE ? ESCAPE '\\') \
     OR assignee IN (SELECT id FROM operators \
        WHERE organization_id = handoffs.organization_id AND name LIKE ? ESCAPE '\\') \
     OR id IN (SELECT a.handoff_id FROM approvals a JOIN operators o ON a.decided_by = 'operator:' || o.id \
        WHERE o.organization_id = handoffs.organization_id AND o.name LIKE ? ESCAPE '\\'))";

#[async_trait]
impl HandoffStore for SqliteStore {
    async fn create_handoff(&self, new: &NewHandoff) -> StoreResult<()> {
        let h = &new.handoff;
        let mut tx = self.writer.begin().await?;
        if let Some(conversation) = &new.conversation {
            super::conversations::write_in(&mut tx, conversation).await?;
        }
        sqlx::query(&format!(
            "INSERT INTO handoffs ({HANDOFF_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
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
        .bind(&h.created_at)
        .bind(&h.updated_at)
        .bind(&h.resolved_at)
        .bind(&h.priority)
        .execute(&mut *tx)
        .await?;
        if let Some(a) = &new.approval {
            super::approvals::insert_in(&mut tx, &h.id, a).await?;
        }
        if let Some(d) = &new.agent {
            sqlx::query(
                "INSERT INTO agent_handoffs (handoff_id, from_agent, to_agent, handoff_time, context) \
                 VALUES (?,?,?,?,?)",
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
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = ? AND organization_id = ?"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(Handoff::try_from).transpose()
    }

    async fn handoff_any_org(&self, id: &str) -> StoreResult<Option<Handoff>> {
        let row: Option<HandoffRow> = sqlx::query_as(&format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(Handoff::try_from).transpose()
    }

    async fn handoffs(&self, org_id: &str, q: &HandoffQuery) -> StoreResult<Vec<Handoff>> {
        let mut sql = format!("SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE organization_id = ?");
        if let Some(states) = &q.states {
            sql.push_str(&format!(" AND state IN ({})", marks(states.len())));
        }
        if q.kind.is_some() {
            sql.push_str(" AND kind = ?");
        }
        if q.decision.is_some() {
            sql.push_str(" AND decision = ?");
        }
        if q.before.is_some() {
            sql.push_str(" AND id < ?");
        }
        if q.text.is_some() {
            sql.push_str(TEXT_MATCH);
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        let mut query = sqlx::query_as(&sql).bind(org_id);
        for s in q.states.iter().flatten() {
            query = query.bind(s.as_str());
        }
        if let Some(kind) = q.kind {
            query = query.bind(kind.as_str());
        }
        if let Some(decision) = &q.decision {
            query = query.bind(decision);
        }
        if let Some(before) = &q.before {
            query = query.bind(before);
        }
        if let Some(text) = &q.text {
            let pattern = contains_pattern(text);
            for _ in 0..5 {
                query = query.bind(pattern.clone());
            }
        }
        let rows: Vec<HandoffRow> = query.bind(q.limit).fetch_all(&self.reader).await?;
        rows.into_iter().map(Handoff::try_from).collect()
    }

    async fn write_transition(&self, w: &TransitionWrite) -> StoreResult<()> {
        let h = &w.handoff;
        let now = &w.event.created_at;
        let mut tx = self.writer.begin().await?;
        if let Some(n) = &w.nonce {
            sqlx::query(
                "INSERT INTO link_nonces (nonce, handoff_id, operator_id, consumed_at) \
                 VALUES (?,?,?,?)",
            )
            .bind(&n.nonce)
            .bind(&h.id)
            .bind(&n.operator_id)
            .bind(now)
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
            "UPDATE handoffs SET state = ?, version = ?, assignee = ?, decision = ?, \
             updated_at = ?, resolved_at = ? WHERE id = ? AND organization_id = ? AND version = ?",
        )
        .bind(h.state.as_str())
        .bind(h.version)
        .bind(&h.assignee)
        .bind(&h.decision)
        .bind(&h.updated_at)
        .bind(&h.resolved_at)
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
                "UPDATE conversations SET status = ?, termination_reason = ?, status_reason = ?, \
                 updated_at = ? WHERE id = ? AND organization_id = ?",
            )
            .bind(effect.status)
            .bind(effect.termination_reason)
            .bind(effect.status_reason)
            .bind(now)
            .bind(&effect.conversation_id)
            .bind(&h.organization_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(s) = &w.session {
            sqlx::query(
                "INSERT INTO operator_sessions (token_hash, operator_id, organization_id, \
                 created_at, expires_at, handoff_id) VALUES (?,?,?,?,?,?)",
            )
            .bind(&s.token_hash)
            .bind(&s.operator_id)
            .bind(&s.organization_id)
            .bind(&s.created_at)
            .bind(&s.expires_at)
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
             WHERE handoff_id = ?",
        )
        .bind(handoff_id)
        .fetch_optional(&self.reader)
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
