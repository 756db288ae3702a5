//! Approvals (seed 001): create, read, list, decide, long-poll, timeout.

use super::handoffs::{blank, PAGE_DEFAULT, PAGE_MAX};
use super::lifecycle::{self, Creation, Extras};
use super::{format_time, new_id, now, App};
use crate::domain::approval::{self, Approval, Decision, NodeRef, SubjectKind};
use crate::domain::audit::approved_payload_digest;
use crate::domain::lifecycle::Request;
use crate::domain::limits::{too_long, JSON_MAX_BYTES, NOTE_MAX, REF_MAX};
use crate::domain::quorum::{Ballot, MAX_REQUIRED};
use crate::domain::records::{NewMessage, Timer};
use crate::domain::{Actor, Handoff, Kind, Packet, Source};
use crate::error::AppError;
use crate::store::HandoffQuery;
use serde_json::{Map, Value};
use std::time::Duration;

pub const TIMER_KIND: &str = "approval_timeout";
pub const MAX_TIMEOUT_SECONDS: i64 = 7 * 24 * 3600;

pub struct NewApproval {
    pub conversation_id: String,
    pub subject_kind: SubjectKind,
    pub subject_ref: String,
    pub payload: Map<String, Value>,
    pub approver_role: Option<String>,
    pub suspend_message: Option<String>,
    pub timeout_seconds: Option<i64>,
    pub node: Option<NodeRef>,
    pub source: Source,
    /// What the person answers, as a JSON Schema (typed answers). A question
    /// (`SubjectKind::Question`) without one is answered in free text.
    pub response_schema: Option<Value>,
    /// The operator (id or email) on whose behalf the agent asks.
    pub requested_by: Option<String>,
    /// Four-eyes: the requesting operator (and key) cannot decide.
    pub four_eyes: bool,
    /// How many approvals decide it (1..=10; default 1).
    pub required_approvals: Option<i64>,
    /// The approvals must come from that many different roles.
    pub distinct_roles: bool,
}

/// Refuses a JSON object over `JSON_MAX_BYTES` (64 KiB), naming `field`.
pub fn check_payload(field: &str, payload: &Map<String, Value>) -> Result<(), AppError> {
    if serde_json::to_string(payload).map_or(0, |s| s.len()) > JSON_MAX_BYTES {
        return Err(AppError::invalid_field(
            field,
            format!("must be at most {JSON_MAX_BYTES} bytes of JSON"),
        ));
    }
    Ok(())
}

/// Records the approval, flips the conversation to `awaiting_approval`, appends
/// its suspend message (or the organization's holding line) and stores the timeout as a timer: one transaction.
pub async fn create(
    app: &App,
    org_id: &str,
    actor: &Actor,
    new: NewApproval,
) -> Result<(Handoff, Approval), AppError> {
    let question = new.subject_kind == SubjectKind::Question;
    if new.subject_ref.trim().is_empty() {
        return Err(AppError::invalid_field("subject_ref", "must not be empty"));
    }
    // A question is a sentence, not an identifier.
    let ref_max = if question { NOTE_MAX } else { REF_MAX };
    too_long("subject_ref", Some(&new.subject_ref), ref_max)?;
    let mut new = new;
    if question && new.response_schema.is_none() {
        new.response_schema = Some(crate::domain::answer::free_text_schema());
    }
    if let Some(schema) = &new.response_schema {
        super::answers::check_schema("response_schema", schema)?;
    }
    too_long("approver_role", new.approver_role.as_deref(), REF_MAX)?;
    too_long("suspend_message", new.suspend_message.as_deref(), NOTE_MAX)?;
    check_payload("payload", &new.payload)?;
    if let Some(t) = new.timeout_seconds {
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&t) {
            return Err(AppError::invalid_field(
                "timeout_seconds",
                format!("must be 1 to {MAX_TIMEOUT_SECONDS} (7 days)"),
            ));
        }
    }
    let required_approvals = match new.required_approvals {
        None => 1,
        Some(n) if (1..=i64::from(MAX_REQUIRED)).contains(&n) => n as u32,
        Some(_) => {
            return Err(AppError::invalid_field(
                "required_approvals",
                format!("must be 1 to {MAX_REQUIRED}"),
            ))
        }
    };
    too_long("requested_by", new.requested_by.as_deref(), REF_MAX)?;
    let requested_by = match new.requested_by.as_deref() {
        Some(who) => Some(
            super::handoffs::operator_named(app, org_id, who, "requested_by")
                .await?
                .id,
        ),
        None => None,
    };
    let conv = super::conversations::named(app, org_id, &new.conversation_id).await?;
    let packet = Packet {
        static_text: if question {
            new.subject_ref.clone()
        } else {
            format!(
                "Approve {} `{}`",
                new.subject_kind.as_str().replace('_', " "),
                new.subject_ref
            )
        },
        reason: new.suspend_message.clone(),
        context_vars: new.payload.clone(),
        summary: None,
        transcript_ptr: None,
        transfer_to: None,
        transfer_label: None,
    };
    let handoff = blank(
        org_id,
        Kind::Approval,
        new.source,
        packet,
        Some(conv.id.clone()),
    );
    let timeout_at = new
        .timeout_seconds
        .map(|s| format_time(chrono::Utc::now() + chrono::Duration::seconds(s)));
    // Seed 001: the suspend message is what the end user sees while the
    // approval is pending; without one, the organization's holding line.
    let shown = match new.suspend_message.as_deref().map(str::trim) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => app.store.approval_messages(org_id).await?.0,
    };
    let approval = Approval {
        subject_kind: new.subject_kind,
        subject_ref: new.subject_ref,
        payload: new.payload,
        approver_role: new.approver_role,
        suspend_message: Some(shown.clone()),
        timeout_at: timeout_at.clone(),
        node: new.node,
        decision_note: None,
        decided_by: None,
        decided_at: None,
        decided_payload: None,
        response_schema: new.response_schema,
        answer: None,
        requested_by,
        four_eyes: new.four_eyes,
        required_approvals,
        distinct_roles: new.distinct_roles,
        votes: Vec::new(),
    };
    let data = serde_json::json!({
        "kind": "approval",
        "subject_kind": approval.subject_kind.as_str(),
        "subject_ref": approval.subject_ref,
        "approver_role": approval.approver_role,
        "timeout_at": timeout_at,
        "asks_answer": approval.response_schema.is_some(),
        "requested_by": approval.requested_by,
        "four_eyes": approval.four_eyes,
        "required_approvals": approval.required_approvals,
        "distinct_roles": approval.distinct_roles,
    });
    let mut c = Creation::new(handoff, actor.label(), data);
    c.conversation_status = Some("awaiting_approval");
    c.message = Some(NewMessage {
        id: new_id(),
        author: "agent".into(),
        content: shown,
        created_at: now(),
        client_ref: None,
    });
    c.timers.extend(timeout_at.map(|due_at| Timer {
        id: new_id(),
        organization_id: org_id.to_string(),
        handoff_id: c.handoff.id.clone(),
        kind: TIMER_KIND.into(),
        due_at,
        data: None,
    }));
    c.approval = Some(approval.clone());
    let h = super::intake::create(app, c).await?;
    // As stored: a policy may have asked for four-eyes or a quorum.
    let approval = app.store.approval(&h.id).await?.unwrap_or(approval);
    Ok((h, approval))
}

pub async fn get(app: &App, org_id: &str, id: &str) -> Result<(Handoff, Approval), AppError> {
    let h = app
        .store
        .handoff(org_id, id)
        .await?
        .filter(|h| h.kind == Kind::Approval)
        .ok_or_else(|| AppError::not_found("approval"))?;
    let a = approval_of(app, &h).await?;
    Ok((h, a))
}

/// The approval row of approval handoff `h`.
async fn approval_of(app: &App, h: &Handoff) -> Result<Approval, AppError> {
    app.store
        .approval(&h.id)
        .await?
        .ok_or_else(|| AppError::not_found("approval"))
}

pub async fn list(
    app: &App,
    org_id: &str,
    status: Option<&str>,
    before: Option<String>,
    limit: i64,
) -> Result<Vec<(Handoff, Approval)>, AppError> {
    let states = status
        .map(|s| {
            approval::states_for_status(s).ok_or_else(|| {
                AppError::invalid_field(
                    "status",
                    "use pending, approved, denied, expired or cancelled",
                )
            })
        })
        .transpose()?;
    let decision = match status {
        Some("approved") => Some("approved".to_string()),
        Some("denied") => Some("denied".to_string()),
        _ => None,
    };
    let q = HandoffQuery {
        states,
        kind: Some(Kind::Approval),
        decision,
        before,
        text: None,
        limit: if limit <= 0 {
            PAGE_DEFAULT
        } else {
            limit.min(PAGE_MAX)
        },
    };
    let handoffs = app.store.handoffs(org_id, &q).await?;
    let ids: Vec<String> = handoffs.iter().map(|h| h.id.clone()).collect();
    let mut details = app.store.approvals_for(&ids).await?;
    Ok(handoffs
        .into_iter()
        .filter_map(|h| details.remove(&h.id).map(|a| (h, a)))
        .collect())
}

/// A decision as submitted (already parsed at the edge).
pub struct DecisionInput {
    pub approve: bool,
    pub note: Option<String>,
    pub payload: Option<Map<String, Value>>,
    pub subject_kind: Option<String>,
    pub subject_ref: Option<String>,
    /// The answer to the approval's `response_schema` (typed answers).
    pub answer: Option<Value>,
}

/// Records the decision; the conversation resumes. A second decision is a 409.
pub async fn decide(
    app: &App,
    org_id: &str,
    id: &str,
    actor: Actor,
    input: DecisionInput,
) -> Result<(Handoff, Approval), AppError> {
    decide_via(app, org_id, id, actor, input, Via::default()).await
}

/// Where a decision came from when not from the API or the page.
#[derive(Clone, Debug, Default)]
pub struct Via {
    /// `slack` or `email_link`: recorded as `via` in the audit event.
    pub channel: Option<&'static str>,
    /// A single-use nonce spent in the decision's transaction (a signed email
    /// link, a Slack request): a second use is refused with `link_used`.
    pub nonce: Option<String>,
}

/// `decide`, recording where the decision came from and spending its nonce.
pub async fn decide_via(
    app: &App,
    org_id: &str,
    id: &str,
    actor: Actor,
    input: DecisionInput,
    via: Via,
) -> Result<(Handoff, Approval), AppError> {
    too_long("note", input.note.as_deref(), NOTE_MAX)?;
    let mut input = input;
    input.note = input
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let by_person = matches!(actor, Actor::Operator(_));
    approval::check_note(by_person, input.approve, input.note.as_deref())
        .map_err(|msg| AppError::invalid_field("note", msg))?;
    let (h, approval) = get(app, org_id, id).await?;
    let requested_by = requester(app, org_id, id).await?;
    approval::may_decide(
        requested_by.as_deref(),
        &approval,
        &actor,
        app.config.allow_self_approval,
    )
    .map_err(|r| AppError::forbidden(r.message()).with_reason(r.reason()))?;
    approval::check_edit(
        &approval,
        input.subject_kind.as_deref(),
        input.subject_ref.as_deref(),
    )
    .map_err(|(field, msg)| AppError::invalid_field(field, msg))?;
    if let Some(p) = &input.payload {
        check_payload("payload", p)?;
    }
    check_answer(&approval, input.approve, input.answer.as_ref())?;
    let mut roles = Vec::new();
    if let Actor::Operator(op_id) = &actor {
        roles = match app.store.operator_by_id(op_id).await? {
            Some(op) => op.roles,
            None => Vec::new(),
        };
        if let Some(role) = approval.missing_role(&roles) {
            return Err(AppError::forbidden(format!(
                "deciding this approval needs the `{role}` role"
            ))
            .with_reason("missing_role"));
        }
    }
    // An edit is approved only if it needs no more than the request did.
    let edited = input
        .payload
        .as_ref()
        .filter(|p| input.approve && **p != approval.payload);
    if let Some(edited) = edited {
        if approval.required_approvals > 1 {
            return Err(AppError::invalid_field(
                "payload",
                "a quorum approval cannot be edited: everyone approves the same payload (deny, and let the agent ask again)",
            ));
        }
        recheck_edit(app, &h, &approval, requested_by.as_deref(), edited).await?;
    }
    let approved_payload = input
        .approve
        .then(|| approved_payload_digest(input.payload.as_ref().unwrap_or(&approval.payload)));
    let decision = Decision {
        approved: input.approve,
        note: input.note.clone(),
        decided_by: actor.label(),
        payload: input.payload.clone(),
        answer: input.answer.clone(),
        approved_payload,
    };
    let mut req = Request::decide(actor, decision);
    if let Some(channel) = via.channel {
        req.data["via"] = channel.into();
    }
    req.consume_nonce = via.nonce;
    if approval.required_approvals > 1 {
        // Each approve short of the quorum is a vote (the lifecycle counts
        // them afresh for every attempt of the write).
        req.ballot = Some(Ballot {
            required: approval.required_approvals,
            distinct_roles: approval.distinct_roles,
            voter_roles: roles,
            votes: Vec::new(),
        });
    }
    let w = lifecycle::transition_written(app, org_id, id, Some(h), req, Extras::default()).await?;
    // The handoff and the approval as written: one approver's decision is
    // the row read above with the decision applied (it changes no other
    // column, and a rival decision would have failed this one); a quorum's
    // votes are read again.
    let a = match &w.decision {
        Some(d) if approval.required_approvals <= 1 => approval.decided(d, &w.event.created_at),
        _ => approval_of(app, &w.handoff).await?,
    };
    Ok((w.handoff, a))
}

/// Runs the routing policies again on the edited payload, as they ran when the
/// approval was created (same time of day): if the one that matches now
/// demands what the approval lacks (another approver role, a quorum,
/// four-eyes, a deny), the decision is refused (409 `edit_needs_review`).
async fn recheck_edit(
    app: &App,
    h: &Handoff,
    approval: &Approval,
    requester: Option<&str>,
    edited: &Map<String, Value>,
) -> Result<(), AppError> {
    let mut as_edited = approval.clone();
    as_edited.payload = edited.clone();
    let mut h = h.clone();
    // An approval's packet shows its payload as `context`: both read the edit.
    h.packet.context_vars = edited.clone();
    let at = chrono::DateTime::parse_from_rfc3339(&h.created_at)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    let setup = super::setup::current(app, &h.organization_id).await?;
    let out = super::routing::decide(&setup, &h, Some(&as_edited), requester, at);
    let Some((_, name, actions)) = out.policy else {
        return Ok(());
    };
    let needs = crate::domain::routing::edit_needs(approval, &actions);
    if needs.is_empty() {
        return Ok(());
    }
    Err(AppError::conflict(
        "edit_needs_review",
        format!(
            "the edited payload matches the policy “{name}”, which needs {}: approve the payload as the agent asked, or deny and let the agent ask again",
            needs.join(" and ")
        ),
    ))
}

/// An approval with a `response_schema` is approved with a valid answer; a
/// deny, or an approval that asks for none, carries no answer.
fn check_answer(
    approval: &Approval,
    approve: bool,
    answer: Option<&Value>,
) -> Result<(), AppError> {
    match (&approval.response_schema, approve, answer) {
        (Some(schema), true, Some(a)) => super::answers::validate(schema, a),
        (Some(_), true, None) => Err(AppError::invalid_field(
            "answer",
            "this approval asks for an answer: approve with `answer` matching its `response_schema`",
        )),
        (_, false, Some(_)) => Err(AppError::invalid_field(
            "answer",
            "a deny carries no answer (say why in `note`)",
        )),
        (None, true, Some(_)) => Err(AppError::invalid_field(
            "answer",
            "this approval asks for no answer (it has no `response_schema`)",
        )),
        _ => Ok(()),
    }
}

/// Who requested the approval: the actor label of its `create` audit event
/// (one row, not the handoff's whole history).
async fn requester(app: &App, org_id: &str, id: &str) -> Result<Option<String>, AppError> {
    Ok(app
        .store
        .creators(org_id, &[id.to_string()])
        .await?
        .remove(id))
}

/// Long-poll: returns once the approval is no longer pending, or after `timeout`.
pub async fn wait(
    app: &App,
    org_id: &str,
    id: &str,
    timeout: Duration,
) -> Result<(Handoff, Approval), AppError> {
    get(app, org_id, id).await?;
    super::handoffs::wait(app, org_id, id, timeout).await?;
    get(app, org_id, id).await
}

pub async fn set_messages(
    app: &App,
    org_id: &str,
    holding_line: &str,
    waiting_reply: &str,
) -> Result<(), AppError> {
    for (field, v) in [
        ("holding_line", holding_line),
        ("waiting_reply", waiting_reply),
    ] {
        if v.trim().is_empty() {
            return Err(AppError::invalid_field(field, "must not be empty"));
        }
        too_long(field, Some(v), NOTE_MAX)?;
    }
    Ok(app
        .store
        .set_approval_messages(org_id, holding_line, waiting_reply)
        .await?)
}

/// The organization's holding line and waiting reply.
pub async fn messages(app: &App, org_id: &str) -> Result<(String, String), AppError> {
    Ok(app.store.approval_messages(org_id).await?)
}

/// The approval details of a handoff, if it is an approval.
pub async fn of_handoff(app: &App, handoff_id: &str) -> Result<Option<Approval>, AppError> {
    Ok(app.store.approval(handoff_id).await?)
}

/// The approvals among these handoffs, by handoff id (one read for a list).
pub async fn of_handoffs(
    app: &App,
    handoff_ids: &[String],
) -> Result<std::collections::HashMap<String, Approval>, AppError> {
    Ok(app.store.approvals_for(handoff_ids).await?)
}
