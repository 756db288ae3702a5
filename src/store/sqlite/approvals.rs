use super::point_reads::point_row;
use super::{marks, SqliteStore};
use crate::domain::approval::{Approval, Decision, NodeRef, SubjectKind};
use crate::domain::quorum::Vote;
use crate::store::{ApprovalStore, StoreError, StoreResult};
use async_trait::async_trait;
use rusqlite::{params, Connection};
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct ApprovalRow {
    handoff_id: String,
    subject_kind: String,
    subject_ref: String,
    payload: String,
    approver_role: Option<String>,
    suspend_message: Option<String>,
    timeout_at: Option<String>,
    workflow_id: Option<String>,
    node_id: Option<String>,
    on_approve: Option<String>,
    on_deny: Option<String>,
    decision_note: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
    decided_payload: Option<String>,
    response_schema: Option<String>,
    answer: Option<String>,
    requested_by: Option<String>,
    four_eyes: bool,
    required_approvals: i64,
    distinct_roles: bool,
}

point_row!(ApprovalRow {
    handoff_id,
    subject_kind,
    subject_ref,
    payload,
    approver_role,
    suspend_message,
    timeout_at,
    workflow_id,
    node_id,
    on_approve,
    on_deny,
    decision_note,
    decided_by,
    decided_at,
    decided_payload,
    response_schema,
    answer,
    requested_by,
    four_eyes,
    required_approvals,
    distinct_roles,
});

#[derive(sqlx::FromRow)]
struct VoteRow {
    handoff_id: String,
    voter: String,
    roles: String,
    voted_at: String,
}

impl TryFrom<VoteRow> for Vote {
    type Error = StoreError;
    fn try_from(r: VoteRow) -> StoreResult<Self> {
        Ok(Vote {
            roles: serde_json::from_str(&r.roles)
                .map_err(|_| StoreError::corrupt("vote roles", &r.handoff_id))?,
            voter: r.voter,
            voted_at: r.voted_at,
        })
    }
}

fn json_map(text: &str, id: &str) -> StoreResult<Map<String, Value>> {
    serde_json::from_str(text).map_err(|_| StoreError::corrupt("approval payload", id))
}

fn json_value(text: &str, id: &str) -> StoreResult<Value> {
    serde_json::from_str(text).map_err(|_| StoreError::corrupt("approval answer or schema", id))
}

impl TryFrom<ApprovalRow> for Approval {
    type Error = StoreError;
    fn try_from(r: ApprovalRow) -> StoreResult<Self> {
        let id = &r.handoff_id;
        Ok(Approval {
            subject_kind: SubjectKind::parse(&r.subject_kind)
                .ok_or_else(|| StoreError::corrupt("subject_kind", id))?,
            payload: json_map(&r.payload, id)?,
            decided_payload: r
                .decided_payload
                .as_deref()
                .map(|p| json_map(p, id))
                .transpose()?,
            node: r.workflow_id.map(|workflow_id| NodeRef {
                workflow_id,
                node_id: r.node_id.unwrap_or_default(),
                on_approve: r.on_approve,
                on_deny: r.on_deny,
            }),
            response_schema: r
                .response_schema
                .as_deref()
                .map(|t| json_value(t, id))
                .transpose()?,
            answer: r.answer.as_deref().map(|t| json_value(t, id)).transpose()?,
            subject_ref: r.subject_ref,
            approver_role: r.approver_role,
            suspend_message: r.suspend_message,
            timeout_at: r.timeout_at,
            decision_note: r.decision_note,
            decided_by: r.decided_by,
            requested_by: r.requested_by,
            four_eyes: r.four_eyes,
            required_approvals: u32::try_from(r.required_approvals)
                .map_err(|_| StoreError::corrupt("required_approvals", id))?,
            distinct_roles: r.distinct_roles,
            votes: Vec::new(),
            decided_at: r.decided_at,
        })
    }
}

pub(super) fn insert_in(c: &Connection, handoff_id: &str, a: &Approval) -> StoreResult<()> {
    let node = a.node.as_ref();
    c.prepare_cached(
        "INSERT INTO approvals (handoff_id, subject_kind, subject_ref, payload, approver_role, \
         suspend_message, timeout_at, workflow_id, node_id, on_approve, on_deny, response_schema, \
         requested_by, four_eyes, required_approvals, distinct_roles) \
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    )?
    .execute(params![
        handoff_id,
        a.subject_kind.as_str(),
        a.subject_ref,
        Value::Object(a.payload.clone()).to_string(),
        a.approver_role,
        a.suspend_message,
        a.timeout_at,
        node.map(|n| n.workflow_id.clone()),
        node.map(|n| n.node_id.clone()),
        node.and_then(|n| n.on_approve.clone()),
        node.and_then(|n| n.on_deny.clone()),
        a.response_schema.as_ref().map(Value::to_string),
        a.requested_by,
        a.four_eyes,
        i64::from(a.required_approvals),
        a.distinct_roles,
    ])?;
    Ok(())
}

pub(super) fn decide_in(
    c: &Connection,
    handoff_id: &str,
    d: &Decision,
    now: &str,
) -> StoreResult<()> {
    c.prepare_cached(
        "UPDATE approvals SET decision_note = ?, decided_by = ?, decided_at = ?, \
         decided_payload = ?, answer = ? WHERE handoff_id = ?",
    )?
    .execute(params![
        d.note,
        d.decided_by,
        now,
        d.payload.clone().map(|p| Value::Object(p).to_string()),
        d.answer.as_ref().map(Value::to_string),
        handoff_id,
    ])?;
    Ok(())
}

/// A quorum approval's vote, written with its transition (after the version
/// check, so two writers racing for the same approval never both get here).
pub(super) fn vote_in(c: &Connection, handoff_id: &str, v: &Vote) -> StoreResult<()> {
    c.prepare_cached(
        "INSERT INTO approval_votes (handoff_id, voter, roles, voted_at) VALUES (?,?,?,?)",
    )?
    .execute(params![
        handoff_id,
        v.voter,
        serde_json::to_string(&v.roles).expect("roles serialize"),
        v.voted_at,
    ])?;
    Ok(())
}

static APPROVAL_BY_HANDOFF: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT {} FROM approvals WHERE handoff_id = ?",
        ApprovalRow::columns("")
    )
});

#[async_trait]
impl ApprovalStore for SqliteStore {
    async fn approval(&self, handoff_id: &str) -> StoreResult<Option<Approval>> {
        let row = self
            .points
            .optional(
                APPROVAL_BY_HANDOFF.as_str(),
                vec![handoff_id.to_string()],
                ApprovalRow::read,
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut a = Approval::try_from(row)?;
        // Votes are written only for a quorum (`required_approvals`, fixed at
        // creation): a single approver's approval has none to read.
        if a.required_approvals > 1 {
            a.votes = self.approval_votes(handoff_id).await?;
        }
        Ok(Some(a))
    }

    async fn approval_votes(&self, handoff_id: &str) -> StoreResult<Vec<Vote>> {
        let rows: Vec<VoteRow> = sqlx::query_as(
            "SELECT handoff_id, voter, roles, voted_at FROM approval_votes \
             WHERE handoff_id = ? ORDER BY voted_at, voter",
        )
        .bind(handoff_id)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(Vote::try_from).collect()
    }

    async fn approvals_for(
        &self,
        handoff_ids: &[String],
    ) -> StoreResult<HashMap<String, Approval>> {
        if handoff_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT * FROM approvals WHERE handoff_id IN ({})",
            marks(handoff_ids.len())
        );
        let mut query = sqlx::query_as(&sql);
        for id in handoff_ids {
            query = query.bind(id);
        }
        let rows: Vec<ApprovalRow> = query.fetch_all(&self.reader).await?;
        let sql = format!(
            "SELECT handoff_id, voter, roles, voted_at FROM approval_votes \
             WHERE handoff_id IN ({}) ORDER BY voted_at, voter",
            marks(handoff_ids.len())
        );
        let mut query = sqlx::query_as(&sql);
        for id in handoff_ids {
            query = query.bind(id);
        }
        let votes: Vec<VoteRow> = query.fetch_all(&self.reader).await?;
        let mut out: HashMap<String, Approval> = rows
            .into_iter()
            .map(|r| Ok((r.handoff_id.clone(), Approval::try_from(r)?)))
            .collect::<StoreResult<_>>()?;
        for v in votes {
            let handoff_id = v.handoff_id.clone();
            if let Some(a) = out.get_mut(&handoff_id) {
                a.votes.push(Vote::try_from(v)?);
            }
        }
        Ok(out)
    }

    async fn approval_messages(&self, org_id: &str) -> StoreResult<(String, String)> {
        Ok(
            sqlx::query_as("SELECT holding_line, waiting_reply FROM organizations WHERE id = ?")
                .bind(org_id)
                .fetch_one(&self.reader)
                .await?,
        )
    }

    async fn set_approval_messages(
        &self,
        org_id: &str,
        holding_line: &str,
        waiting_reply: &str,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE organizations SET holding_line = ?, waiting_reply = ? WHERE id = ?")
            .bind(holding_line)
            .bind(waiting_reply)
            .bind(org_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn put_node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
        definition: &str,
        now: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO workflow_nodes (organization_id, workflow_id, node_id, definition, updated_at) \
             VALUES (?,?,?,?,?) ON CONFLICT (organization_id, workflow_id, node_id) \
             DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(workflow_id)
        .bind(node_id)
        .bind(definition)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
    ) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT definition FROM workflow_nodes \
             WHERE organization_id = ? AND workflow_id = ? AND node_id = ?",
        )
        .bind(org_id)
        .bind(workflow_id)
        .bind(node_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|(d,)| d))
    }
}
