use super::{ts, ts_opt, Col, PgStore, Ts, Tx};
use crate::domain::approval::{Approval, Decision, NodeRef, SubjectKind};
use crate::domain::quorum::Vote;
use crate::store::{ApprovalStore, StoreError, StoreResult};
use async_trait::async_trait;
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
    timeout_at: Option<Ts>,
    workflow_id: Option<String>,
    node_id: Option<String>,
    on_approve: Option<String>,
    on_deny: Option<String>,
    decision_note: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<Ts>,
    decided_payload: Option<String>,
    response_schema: Option<String>,
    answer: Option<String>,
    requested_by: Option<String>,
    four_eyes: bool,
    required_approvals: i64,
    distinct_roles: bool,
}

#[derive(sqlx::FromRow)]
struct VoteRow {
    handoff_id: String,
    voter: String,
    roles: String,
    voted_at: Ts,
}

impl TryFrom<VoteRow> for Vote {
    type Error = StoreError;
    fn try_from(r: VoteRow) -> StoreResult<Self> {
        Ok(Vote {
            roles: serde_json::from_str(&r.roles)
                .map_err(|_| StoreError::corrupt("vote roles", &r.handoff_id))?,
            voter: r.voter,
            voted_at: r.voted_at.col(),
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
            timeout_at: r.timeout_at.col(),
            decision_note: r.decision_note,
            decided_by: r.decided_by,
            requested_by: r.requested_by,
            four_eyes: r.four_eyes,
            required_approvals: u32::try_from(r.required_approvals)
                .map_err(|_| StoreError::corrupt("required_approvals", id))?,
            distinct_roles: r.distinct_roles,
            votes: Vec::new(),
            decided_at: r.decided_at.col(),
        })
    }
}

pub(super) async fn insert_in(tx: &mut Tx<'_>, handoff_id: &str, a: &Approval) -> StoreResult<()> {
    let node = a.node.as_ref();
    sqlx::query(
        "INSERT INTO approvals (handoff_id, subject_kind, subject_ref, payload, approver_role, \
         suspend_message, timeout_at, workflow_id, node_id, on_approve, on_deny, response_schema, \
         requested_by, four_eyes, required_approvals, distinct_roles) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
    )
    .bind(handoff_id)
    .bind(a.subject_kind.as_str())
    .bind(&a.subject_ref)
    .bind(Value::Object(a.payload.clone()).to_string())
    .bind(&a.approver_role)
    .bind(&a.suspend_message)
    .bind(ts_opt(a.timeout_at.as_deref())?)
    .bind(node.map(|n| n.workflow_id.clone()))
    .bind(node.map(|n| n.node_id.clone()))
    .bind(node.and_then(|n| n.on_approve.clone()))
    .bind(node.and_then(|n| n.on_deny.clone()))
    .bind(a.response_schema.as_ref().map(Value::to_string))
    .bind(&a.requested_by)
    .bind(a.four_eyes)
    .bind(i64::from(a.required_approvals))
    .bind(a.distinct_roles)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn decide_in(
    tx: &mut Tx<'_>,
    handoff_id: &str,
    d: &Decision,
    now: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE approvals SET decision_note = $1, decided_by = $2, decided_at = $3, \
         decided_payload = $4, answer = $5 WHERE handoff_id = $6",
    )
    .bind(&d.note)
    .bind(&d.decided_by)
    .bind(ts(now)?)
    .bind(d.payload.clone().map(|p| Value::Object(p).to_string()))
    .bind(d.answer.as_ref().map(Value::to_string))
    .bind(handoff_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A quorum approval's vote, written with its transition (after the version
/// check, so two writers racing for the same approval never both get here).
pub(super) async fn vote_in(tx: &mut Tx<'_>, handoff_id: &str, v: &Vote) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO approval_votes (handoff_id, voter, roles, voted_at) VALUES ($1,$2,$3,$4)",
    )
    .bind(handoff_id)
    .bind(&v.voter)
    .bind(serde_json::to_string(&v.roles).expect("roles serialize"))
    .bind(ts(&v.voted_at)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl ApprovalStore for PgStore {
    async fn approval(&self, handoff_id: &str) -> StoreResult<Option<Approval>> {
        let row: Option<ApprovalRow> =
            sqlx::query_as("SELECT * FROM approvals WHERE handoff_id = $1")
                .bind(handoff_id)
                .fetch_optional(&self.pool)
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
             WHERE handoff_id = $1 ORDER BY voted_at, voter",
        )
        .bind(handoff_id)
        .fetch_all(&self.pool)
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
        let rows: Vec<ApprovalRow> =
            sqlx::query_as("SELECT * FROM approvals WHERE handoff_id = ANY($1)")
                .bind(handoff_ids)
                .fetch_all(&self.pool)
                .await?;
        let votes: Vec<VoteRow> = sqlx::query_as(
            "SELECT handoff_id, voter, roles, voted_at FROM approval_votes \
             WHERE handoff_id = ANY($1) ORDER BY voted_at, voter",
        )
        .bind(handoff_ids)
        .fetch_all(&self.pool)
        .await?;
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
            sqlx::query_as("SELECT holding_line, waiting_reply FROM organizations WHERE id = $1")
                .bind(org_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn set_approval_messages(
        &self,
        org_id: &str,
        holding_line: &str,
        waiting_reply: &str,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE organizations SET holding_line = $1, waiting_reply = $2 WHERE id = $3")
            .bind(holding_line)
            .bind(waiting_reply)
            .bind(org_id)
            .execute(&self.pool)
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
             VALUES ($1,$2,$3,$4,$5) ON CONFLICT (organization_id, workflow_id, node_id) \
             DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(workflow_id)
        .bind(node_id)
        .bind(definition)
        .bind(ts(now)?)
        .execute(&self.pool)
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
             WHERE organization_id = $1 AND workflow_id = $2 AND node_id = $3",
        )
        .bind(org_id)
        .bind(workflow_id)
        .bind(node_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(d,)| d))
    }
}
