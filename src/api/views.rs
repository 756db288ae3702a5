//! Response shapes of the REST API (seed 000 HandoffRead and friends).

use crate::domain::records::{Conversation, Message};
use crate::domain::state::takeover_status;
use crate::domain::{Handoff, Kind, Packet};
use crate::error::AppError;
use serde::Serialize;
use utoipa::ToSchema;

/// A handoff of any kind (seed 000 HandoffRead plus `kind`, `state`, `version`, `updated_at`).
#[derive(Serialize, ToSchema)]
pub struct HandoffRead {
    #[schema(format = "uuid")]
    pub id: String,
    pub organization_id: String,
    pub kind: Kind,
    #[schema(required = true, format = "uuid")]
    pub conversation_id: Option<String>,
    /// Always null in this version.
    #[schema(required = true)]
    pub conv_turn_id: Option<String>,
    /// `packet.reason`.
    #[schema(required = true)]
    pub reason: Option<String>,
    /// `packet.static_text`.
    pub static_text: String,
    /// Kind-specific view of the state. Takeovers: `requested`, `assigned`, `accepted`,
    /// `resolved`, `cancelled`; other kinds: the lifecycle state.
    pub status: String,
    /// The stored lifecycle state (`created`, `detected`, `frozen`, `notified`, `escalated`, `opened`, `solving`,
    /// `solved`, `resume_requested`, `resumed`, `completed`, `expired`, `cancelled`, `failed`).
    pub state: String,
    /// Incremented by every step.
    /// low | medium | high | urgent.
    pub priority: String,
    pub version: i64,
    /// The operator's id, once assigned.
    #[schema(required = true)]
    pub assignee: Option<String>,
    /// `workflow_terminal`, `router`, `policy` or `operator`.
    pub source: String,
    /// As sent, with `transcript_ptr` filled in by the server.
    pub packet: Packet,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    #[schema(required = true, format = DateTime)]
    pub resolved_at: Option<String>,
    /// Assist handoffs only (omitted for the other kinds): what the agent said
    /// about its stuck screen. Never the cookies, storage or DOM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assist: Option<AssistRead>,
}

/// An assist handoff's details as the agent and operators see them.
#[derive(Serialize, ToSchema)]
pub struct AssistRead {
    pub agent_id: String,
    /// captcha | twofa | approval_modal | login | other.
    pub interruption_type: String,
    pub domain: String,
    /// Shown as text, never fetched.
    pub url: String,
    pub question: String,
    /// code | text | none.
    pub input: String,
    /// Frames posted so far (the capture is frame 1); 0 while `detected`.
    pub frame_seq: i64,
    #[schema(required = true, format = DateTime)]
    pub frame_at: Option<String>,
    /// The captured viewport (CSS pixels) of the newest frame.
    #[schema(required = true)]
    pub viewport: Option<crate::domain::assist::Viewport>,
    /// The seq of the operator's latest action (0: none yet).
    pub action_seq: i64,
    #[schema(required = true, format = DateTime)]
    pub last_action_at: Option<String>,
    /// The operator holding the lease while the handoff is `solving` (only
    /// they can send actions); null otherwise.
    #[schema(required = true)]
    pub lease_holder: Option<String>,
    /// When the capture was purged (it is kept a configured time after the end).
    #[schema(required = true, format = DateTime)]
    pub purged_at: Option<String>,
}

impl AssistRead {
    pub fn new(r: crate::domain::records::AssistRecord, h: &Handoff) -> Self {
        AssistRead {
            agent_id: r.agent_id,
            interruption_type: r.interruption_type,
            domain: r.domain,
            url: r.url,
            question: r.question,
            input: r.input,
            frame_seq: r.frame_seq,
            frame_at: r.frame_at,
            viewport: r.viewport,
            action_seq: r.action_seq,
            last_action_at: r.last_action_at,
            lease_holder: (h.state == crate::domain::State::Solving)
                .then(|| h.assignee.clone())
                .flatten(),
            purged_at: r.purged_at,
        }
    }
}

pub fn status_of(h: &Handoff) -> String {
    match h.kind {
        Kind::Takeover => takeover_status(h.state).to_string(),
        _ => h.state.as_str().to_string(),
    }
}

impl From<Handoff> for HandoffRead {
    fn from(h: Handoff) -> Self {
        HandoffRead {
            status: status_of(&h),
            state: h.state.as_str().to_string(),
            id: h.id,
            organization_id: h.organization_id,
            kind: h.kind,
            conversation_id: h.conversation_id,
            conv_turn_id: None,
            reason: h.packet.reason.clone(),
            static_text: h.packet.static_text.clone(),
            version: h.version,
            priority: h.priority,
            assignee: h.assignee,
            source: h.source.as_str().to_string(),
            packet: h.packet,
            created_at: h.created_at,
            updated_at: h.updated_at,
            resolved_at: h.resolved_at,
            assist: None,
        }
    }
}

/// A conversation (thread) and where its transcript ends.
#[derive(Serialize, ToSchema)]
pub struct ConversationRead {
    #[schema(format = "uuid")]
    pub id: String,
    pub organization_id: String,
    #[schema(required = true)]
    pub external_ref: Option<String>,
    /// `active`, `waiting_for_human`, `awaiting_approval` or `closed`.
    pub status: String,
    /// Why it closed (`handoff_resolved`, …).
    #[schema(required = true)]
    pub termination_reason: Option<String>,
    /// Why it is active again (`handed_back`, `approval_decided`, …).
    #[schema(required = true)]
    pub status_reason: Option<String>,
    /// The seq of the newest message; 0 when there is none.
    pub last_seq: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<Conversation> for ConversationRead {
    fn from(c: Conversation) -> Self {
        ConversationRead {
            id: c.id,
            organization_id: c.organization_id,
            external_ref: c.external_ref,
            status: c.status,
            termination_reason: c.termination_reason,
            status_reason: c.status_reason,
            last_seq: c.last_seq,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// One message of a conversation's append-only transcript.
#[derive(Serialize, ToSchema)]
pub struct MessageRead {
    #[schema(format = "uuid")]
    pub id: String,
    #[schema(format = "uuid")]
    pub conversation_id: String,
    /// 1, 2, 3, … within the conversation.
    pub seq: i64,
    /// `user`, `agent`, `operator` or `system`.
    pub author: String,
    pub content: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<Message> for MessageRead {
    fn from(m: Message) -> Self {
        MessageRead {
            id: m.id,
            conversation_id: m.conversation_id,
            seq: m.seq,
            author: m.author,
            content: m.content,
            created_at: m.created_at,
        }
    }
}

/// A cursor-paginated list, newest first.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// Seed 001's ApprovalRequestDetail, plus the decision and where the workflow goes next.
#[derive(Serialize, ToSchema)]
pub struct ApprovalRead {
    #[schema(format = "uuid")]
    pub id: String,
    #[schema(required = true, format = "uuid")]
    pub conversation_id: Option<String>,
    /// `workflow_node`, `tool_call` or `question` (`ask_human`).
    pub subject_kind: String,
    pub subject_ref: String,
    pub payload: serde_json::Map<String, serde_json::Value>,
    #[schema(required = true)]
    pub approver_role: Option<String>,
    #[schema(required = true)]
    pub suspend_message: Option<String>,
    #[schema(required = true, format = DateTime)]
    pub timeout_at: Option<String>,
    /// pending | approved | denied | expired | cancelled (expired reads as a deny).
    pub status: String,
    pub state: String,
    #[schema(required = true)]
    pub decision_note: Option<String>,
    #[schema(required = true)]
    pub decided_by: Option<String>,
    #[schema(required = true, format = DateTime)]
    pub decided_at: Option<String>,
    /// The payload as the approver edited it; execute this one when present.
    #[schema(required = true)]
    pub decided_payload: Option<serde_json::Map<String, serde_json::Value>>,
    /// The JSON Schema the person's answer follows (typed answers), if one was asked for.
    #[schema(required = true, value_type = Option<Object>)]
    pub response_schema: Option<serde_json::Value>,
    /// The person's answer, valid against `response_schema` (once approved): any JSON value.
    #[schema(required = true)]
    pub answer: Option<serde_json::Value>,
    /// The operator (id) on whose behalf the agent asked.
    #[schema(required = true, format = "uuid")]
    pub requested_by: Option<String>,
    /// Four-eyes: the requester (operator and key) cannot decide.
    pub four_eyes: bool,
    /// How many approvals decide it (1 to 10).
    pub required_approvals: u32,
    /// The approvals must come from different roles.
    pub distinct_roles: bool,
    /// The approvals so far (quorum approvals: one per voter, oldest first).
    pub approvals: Vec<VoteRead>,
    #[schema(required = true)]
    pub workflow_id: Option<String>,
    #[schema(required = true)]
    pub node_id: Option<String>,
    /// Workflow nodes: `on_approve` once approved, `on_deny` once denied or expired.
    #[schema(required = true)]
    pub next_node: Option<String>,
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl ApprovalRead {
    pub fn new(h: Handoff, a: crate::domain::approval::Approval) -> Self {
        use crate::domain::approval::{next_node, status};
        ApprovalRead {
            status: status(h.state, h.decision.as_deref()).to_string(),
            next_node: next_node(h.state, h.decision.as_deref(), a.node.as_ref()),
            state: h.state.as_str().to_string(),
            workflow_id: a.node.as_ref().map(|n| n.workflow_id.clone()),
            node_id: a.node.as_ref().map(|n| n.node_id.clone()),
            id: h.id,
            conversation_id: h.conversation_id,
            subject_kind: a.subject_kind.as_str().to_string(),
            subject_ref: a.subject_ref,
            payload: a.payload,
            approver_role: a.approver_role,
            suspend_message: a.suspend_message,
            timeout_at: a.timeout_at,
            decision_note: a.decision_note,
            decided_by: a.decided_by,
            decided_at: a.decided_at,
            decided_payload: a.decided_payload,
            response_schema: a.response_schema,
            answer: a.answer,
            requested_by: a.requested_by,
            four_eyes: a.four_eyes,
            required_approvals: a.required_approvals,
            distinct_roles: a.distinct_roles,
            approvals: a
                .votes
                .into_iter()
                .map(|v| VoteRead {
                    by: v.voter,
                    roles: v.roles,
                    at: v.voted_at,
                })
                .collect(),
            version: h.version,
            created_at: h.created_at,
            updated_at: h.updated_at,
        }
    }
}

/// One approve of a quorum approval.
#[derive(Serialize, ToSchema)]
pub struct VoteRead {
    /// Who approved: `operator:<id>` or `api_key:<id>`.
    pub by: String,
    /// Their roles when they approved (what `distinct_roles` counts).
    pub roles: Vec<String>,
    #[schema(format = DateTime)]
    pub at: String,
}

/// The list form: what an operator needs to pick an approval, without the payload.
#[derive(Serialize, ToSchema)]
pub struct ApprovalSummary {
    #[schema(format = "uuid")]
    pub id: String,
    #[schema(required = true, format = "uuid")]
    pub conversation_id: Option<String>,
    pub subject_kind: String,
    pub subject_ref: String,
    #[schema(required = true)]
    pub approver_role: Option<String>,
    #[schema(required = true)]
    pub suspend_message: Option<String>,
    #[schema(required = true, format = DateTime)]
    pub timeout_at: Option<String>,
    pub status: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<ApprovalRead> for ApprovalSummary {
    fn from(a: ApprovalRead) -> Self {
        ApprovalSummary {
            id: a.id,
            conversation_id: a.conversation_id,
            subject_kind: a.subject_kind,
            subject_ref: a.subject_ref,
            approver_role: a.approver_role,
            suspend_message: a.suspend_message,
            timeout_at: a.timeout_at,
            status: a.status,
            created_at: a.created_at,
        }
    }
}

/// A validated page request: `limit` (1..=PAGE_MAX, default PAGE_DEFAULT) and
/// `cursor` (the last id of the previous page).
pub struct PageRequest {
    pub limit: i64,
    pub before: Option<String>,
}

impl PageRequest {
    pub fn parse(
        limit: Option<i64>,
        cursor: Option<String>,
    ) -> Result<Self, crate::error::AppError> {
        use crate::error::AppError;
        use crate::service::handoffs::{PAGE_DEFAULT, PAGE_MAX};
        let limit = limit.unwrap_or(PAGE_DEFAULT);
        if !(1..=PAGE_MAX).contains(&limit) {
            return Err(AppError::invalid_field(
                "limit",
                format!("must be 1 to {PAGE_MAX}"),
            ));
        }
        let before = cursor
            .map(|c| {
                crate::service::parse_id(&c, "cursor").map_err(|_| {
                    AppError::invalid_field("cursor", "not a cursor from a previous page")
                })
            })
            .transpose()?;
        Ok(PageRequest { limit, before })
    }

    /// The cursor for the next page: the last id, when the page is full.
    pub fn next_cursor<T>(&self, items: &[T], id: impl Fn(&T) -> &str) -> Option<String> {
        (items.len() as i64 == self.limit)
            .then(|| items.last().map(|i| id(i).to_string()))
            .flatten()
    }
}

/// The one error shape of every endpoint.
/// Every error response: `{"error": {"code", "message", "fields", "reason"?}}`.
#[derive(ToSchema)]
#[schema(example = json!({"error": {
    "code": "bad_request",
    "message": "packet.static_text: missing field `static_text`",
    "fields": [{"field": "packet.static_text", "message": "missing field `static_text`"}]
}}))]
pub struct ErrorEnvelope {
    pub error: AppError,
}

/// One audit event of a handoff, linked into the organization's hash chain.
#[derive(Serialize, ToSchema)]
pub struct EventRead {
    id: String,
    /// Position in the organization's audit chain (also the SSE event id).
    seq: i64,
    handoff_id: String,
    /// `create`, `assign`, `accept`, `resolve`, `hand_back`, `decide`, …
    event: String,
    /// Null for `create`.
    #[schema(required = true)]
    from_state: Option<String>,
    to_state: String,
    actor: String,
    data: serde_json::Value,
    #[schema(format = DateTime)]
    created_at: String,
    /// `sha256(prev_hash || canonical_json(event))`, hex.
    hash: String,
}

pub fn event_json(r: crate::domain::audit::ChainedEvent) -> String {
    serde_json::to_string(&EventRead::from(r)).unwrap_or_default()
}

impl From<crate::domain::audit::ChainedEvent> for EventRead {
    fn from(r: crate::domain::audit::ChainedEvent) -> Self {
        EventRead {
            id: r.event.id,
            seq: r.event.seq,
            handoff_id: r.event.handoff_id,
            event: r.event.event,
            from_state: r.event.from_state,
            to_state: r.event.to_state,
            actor: r.event.actor,
            data: r.event.data,
            created_at: r.event.created_at,
            hash: r.hash,
        }
    }
}
