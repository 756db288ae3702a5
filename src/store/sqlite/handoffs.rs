use super::point_reads::point_row;
use super::{marks, SqliteStore};
use crate::domain::records::{AgentDetails, Timer};
use crate::domain::writes::{NewHandoff, PreparedEvent, TransitionWrite};
use crate::domain::{Handoff, Kind, Packet, Source, State, TranscriptPtr};
use crate::store::{contains_pattern, HandoffQuery, HandoffStore, Race, StoreError, StoreResult};
use async_trait::async_trait;
use rusqlite::{params, Connection};
use std::sync::LazyLock;

/// The handoff's columns in `HandoffRow`'s order (made once).
static HANDOFF_COLUMNS: LazyLock<String> = LazyLock::new(|| HandoffRow::columns(""));
/// Read on every transition (`point_reads`), so its text is made once.
static HANDOFF_BY_ID: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM handoffs WHERE id = ? AND organization_id = ?",
        *HANDOFF_COLUMNS
    )
});
const INSERT_HANDOFF: &str = "INSERT INTO handoffs (id, organization_id, kind, state, version, \
     conversation_id, source, packet, transcript_ptr, assignee, decision, created_at, updated_at, \
     resolved_at, priority) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

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

point_row!(HandoffRow {
    id,
    organization_id,
    kind,
    state,
    version,
    conversation_id,
    source,
    packet,
    transcript_ptr,
    assignee,
    decision,
    priority,
    created_at,
    updated_at,
    resolved_at,
});

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

pub(super) fn insert_timer(c: &Connection, t: &Timer) -> StoreResult<()> {
    c.prepare_cached(
        "INSERT INTO timers (id, organization_id, handoff_id, kind, due_at, data) VALUES (?,?,?,?,?,?)",
    )?
    .execute(params![t.id, t.organization_id, t.handoff_id, t.kind, t.due_at, t.data])?;
    Ok(())
}

/// Claims a timer: the update that makes it fire once, even with two workers.
pub(super) fn claim_timer(c: &Connection, id: &str, now: &str) -> StoreResult<bool> {
    let claimed = c
        .prepare_cached("UPDATE timers SET fired_at = ? WHERE id = ? AND fired_at IS NULL")?
        .execute(params![now, id])?;
    Ok(claimed == 1)
}

/// A new handoff and everything it brings, in the group commit's transaction.
/// `packet` is its stored JSON, serialized before the job is queued: the
/// writer runs one job at a time, so what can be done before stays out of it.
fn create_in(
    c: &Connection,
    new: &NewHandoff,
    packet: &str,
    event: &PreparedEvent,
) -> StoreResult<()> {
    let h = &new.handoff;
    if let Some(conversation) = &new.conversation {
        super::conversations::write_in(c, conversation)?;
    }
    c.prepare_cached(INSERT_HANDOFF)?.execute(params![
        h.id,
        h.organization_id,
        h.kind.as_str(),
        h.state.as_str(),
        h.version,
        h.conversation_id,
        h.source.as_str(),
        packet,
        h.packet.transcript_ptr.as_ref().map(TranscriptPtr::to_wire),
        h.assignee,
        h.decision,
        h.created_at,
        h.updated_at,
        h.resolved_at,
        h.priority,
    ])?;
    if let Some(a) = &new.approval {
        super::approvals::insert_in(c, &h.id, a)?;
    }
    if let Some(d) = &new.agent {
        c.prepare_cached(
            "INSERT INTO agent_handoffs (handoff_id, from_agent, to_agent, handoff_time, context) \
             VALUES (?,?,?,?,?)",
        )?
        .execute(params![
            h.id,
            d.from_agent,
            d.to_agent,
            d.handoff_time,
            d.context.to_string(),
        ])?;
    }
    if let Some(a) = &new.assist {
        super::assist::insert_in(c, a)?;
    }
    for t in &new.timers {
        insert_timer(c, t)?;
    }
    super::audit::append_event(c, &new.event, event, &new.outbox)
}

/// One transition's rows, in the group commit's transaction.
fn transition_in(c: &Connection, w: &TransitionWrite, event: &PreparedEvent) -> StoreResult<()> {
    let h = &w.handoff;
    let now = &w.event.created_at;
    if let Some(n) = &w.nonce {
        c.prepare_cached(
            "INSERT INTO link_nonces (nonce, handoff_id, operator_id, consumed_at) \
             VALUES (?,?,?,?)",
        )?
        .execute(params![n.nonce, h.id, n.operator_id, now])
        .map_err(|e| match StoreError::from(e) {
            StoreError::Duplicate => StoreError::Conflict(Race::LinkUsed),
            other => other,
        })?;
    }
    if let Some(d) = &w.decision {
        super::approvals::decide_in(c, &h.id, d, now)?;
    }
    if let Some(timer) = &w.timer_fired {
        if !claim_timer(c, timer, now)? {
            return Err(StoreError::Conflict(Race::TimerFired));
        }
    }
    for t in &w.timers {
        insert_timer(c, t)?;
    }
    let written = c
        .prepare_cached(
            "UPDATE handoffs SET state = ?, version = ?, assignee = ?, decision = ?, \
             updated_at = ?, resolved_at = ? WHERE id = ? AND organization_id = ? AND version = ?",
        )?
        .execute(params![
            h.state.as_str(),
            h.version,
            h.assignee,
            h.decision,
            h.updated_at,
            h.resolved_at,
            h.id,
            h.organization_id,
            w.expected_version,
        ])?;
    if written != 1 {
        return Err(StoreError::Conflict(Race::Version));
    }
    if let Some(v) = &w.vote {
        super::approvals::vote_in(c, &h.id, v)?;
    }
    if let Some(effect) = &w.conversation {
        c.prepare_cached(
            "UPDATE conversations SET status = ?, termination_reason = ?, status_reason = ?, \
             updated_at = ? WHERE id = ? AND organization_id = ?",
        )?
        .execute(params![
            effect.status,
            effect.termination_reason,
            effect.status_reason,
            now,
            effect.conversation_id,
            h.organization_id,
        ])?;
    }
    if let Some(s) = &w.session {
        c.prepare_cached(
            "INSERT INTO operator_sessions (token_hash, operator_id, organization_id, \
             created_at, expires_at, handoff_id) VALUES (?,?,?,?,?,?)",
        )?
        .execute(params![
            s.token_hash,
            s.operator_id,
            s.organization_id,
            s.created_at,
            s.expires_at,
            s.handoff_id,
        ])?;
    }
    super::audit::append_event(c, &w.event, event, &w.outbox)
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
        let (packet, event) = (packet_json(&new.handoff.packet), new.event.prepare());
        let new = new.clone();
        self.group
            .write(move |c| create_in(c, &new, &packet, &event).map(|()| 0))
            .await?;
        Ok(())
    }

    async fn handoff(&self, org_id: &str, id: &str) -> StoreResult<Option<Handoff>> {
        let row = self
            .points
            .optional(
                HANDOFF_BY_ID.as_str(),
                vec![id.to_string(), org_id.to_string()],
                HandoffRow::read,
            )
            .await?;
        row.map(Handoff::try_from).transpose()
    }

    async fn handoff_any_org(&self, id: &str) -> StoreResult<Option<Handoff>> {
        let row: Option<HandoffRow> = sqlx::query_as(&format!(
            "SELECT {} FROM handoffs WHERE id = ?",
            *HANDOFF_COLUMNS
        ))
        .bind(id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(Handoff::try_from).transpose()
    }

    async fn handoffs(&self, org_id: &str, q: &HandoffQuery) -> StoreResult<Vec<Handoff>> {
        let mut sql = format!(
            "SELECT {} FROM handoffs WHERE organization_id = ?",
            *HANDOFF_COLUMNS
        );
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
        // Open work is a few rows among the whole history: find them by state
        // and sort them (`+id` keeps SQLite, which has no statistics here, from
        // walking the id index through every finished handoff instead).
        let few = q
            .states
            .as_ref()
            .is_some_and(|ss| ss.iter().all(|s| !s.is_terminal()));
        sql.push_str(if few {
            " ORDER BY +id DESC LIMIT ?"
        } else {
            " ORDER BY id DESC LIMIT ?"
        });
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
        let (w, event) = (w.clone(), w.event.prepare());
        self.group
            .write(move |c| transition_in(c, &w, &event).map(|()| 0))
            .await?;
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
