//! Approvals (seed 001): what the agent wants to do, who may approve it, and
//! how the stored lifecycle state reads as pending / approved / denied / expired.

use super::lifecycle::Actor;
use super::quorum::Vote;
use super::state::State;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    WorkflowNode,
    ToolCall,
    /// A question for a person (`ask_human`): `subject_ref` is the question,
    /// and the approval's `response_schema` says what the answer looks like.
    Question,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::WorkflowNode => "workflow_node",
            SubjectKind::ToolCall => "tool_call",
            SubjectKind::Question => "question",
        }
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        [
            SubjectKind::WorkflowNode,
            SubjectKind::ToolCall,
            SubjectKind::Question,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The workflow node an approval came from, with where to go next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRef {
    pub workflow_id: String,
    pub node_id: String,
    pub on_approve: Option<String>,
    pub on_deny: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Approval {
    pub subject_kind: SubjectKind,
    pub subject_ref: String,
    pub payload: Map<String, Value>,
    pub approver_role: Option<String>,
    pub suspend_message: Option<String>,
    pub timeout_at: Option<String>,
    pub node: Option<NodeRef>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The payload as the approver edited it, when they did.
    pub decided_payload: Option<Map<String, Value>>,
    /// A JSON Schema for what the person answers (typed answers, issue 14 §3).
    pub response_schema: Option<Value>,
    /// The person's answer, valid against `response_schema`.
    pub answer: Option<Value>,
    /// The operator (id) on whose behalf the agent asked, if it said.
    pub requested_by: Option<String>,
    /// Four-eyes: neither the requesting operator nor the requesting key decides.
    pub four_eyes: bool,
    /// How many approvals decide it (1..=10); before that each approve is a vote.
    pub required_approvals: u32,
    /// The approvals must come from that many different roles.
    pub distinct_roles: bool,
    /// The votes so far (quorum approvals only), oldest first.
    pub votes: Vec<Vote>,
}

impl Default for Approval {
    /// A plain tool-call approval of nothing: fill in what matters.
    fn default() -> Self {
        Approval {
            subject_kind: SubjectKind::ToolCall,
            subject_ref: String::new(),
            payload: Map::new(),
            approver_role: None,
            suspend_message: None,
            timeout_at: None,
            node: None,
            decision_note: None,
            decided_by: None,
            decided_at: None,
            decided_payload: None,
            response_schema: None,
            answer: None,
            requested_by: None,
            four_eyes: false,
            required_approvals: 1,
            distinct_roles: false,
            votes: Vec::new(),
        }
    }
}

impl Approval {
    /// The approval as the store holds it once decision `d` is written at
    /// `at` (the columns `decide` sets); a quorum's votes are not counted here.
    pub fn decided(mut self, d: &Decision, at: &str) -> Approval {
        self.decision_note = d.note.clone();
        self.decided_by = Some(d.decided_by.clone());
        self.decided_at = Some(at.to_string());
        self.decided_payload = d.payload.clone();
        self.answer = d.answer.clone();
        self
    }

    /// The role an operator with `roles` lacks to decide this approval, if any.
    pub fn missing_role(&self, roles: &[String]) -> Option<&str> {
        self.approver_role
            .as_deref()
            .filter(|want| !roles.iter().any(|r| r == want))
    }
}

impl Approval {
    /// Four-eyes keeps this operator from deciding: it is their own request.
    pub fn own_request(&self, operator_id: &str) -> bool {
        self.four_eyes && self.requested_by.as_deref() == Some(operator_id)
    }

    /// Whether `voter` (an actor label) has approved this quorum approval already.
    pub fn has_voted(&self, voter: &str) -> bool {
        self.votes.iter().any(|v| v.voter == voter)
    }

    /// "2 of 3 approved" for a quorum approval (nothing for a plain one).
    pub fn progress(&self) -> Option<String> {
        (self.required_approvals > 1).then(|| {
            let ballot = super::quorum::Ballot {
                required: self.required_approvals,
                distinct_roles: self.distinct_roles,
                voter_roles: Vec::new(),
                votes: self.votes.clone(),
            };
            super::quorum::progress(ballot.counted(&self.votes), self.required_approvals)
        })
    }
}

/// A person who denies says why: the agent passes it on to the customer.
/// (An integration deciding for its own operators may leave it to them.)
pub fn check_note(by_person: bool, approve: bool, note: Option<&str>) -> Result<(), &'static str> {
    if by_person && !approve && note.is_none_or(|n| n.trim().is_empty()) {
        return Err("say why you deny: the agent tells the customer");
    }
    Ok(())
}

/// Why an actor may not decide an approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecideRefusal {
    /// The deciding actor is the one that requested the approval.
    OwnRequest,
    /// Four-eyes: the operator the agent asked for (or the requesting key,
    /// whatever `allow_self_approval` says) cannot decide their own request.
    FourEyes,
}

impl DecideRefusal {
    pub fn message(self) -> &'static str {
        match self {
            DecideRefusal::OwnRequest => {
                "the API key that requested this approval cannot decide it: decide with another key (scope `approvals:decide`) or as an operator"
            }
            DecideRefusal::FourEyes => {
                "four-eyes: this is your own request, so someone else must decide it"
            }
        }
    }

    /// The error envelope's `reason`.
    pub fn reason(self) -> &'static str {
        match self {
            DecideRefusal::OwnRequest => "self_approval",
            DecideRefusal::FourEyes => "four_eyes",
        }
    }
}

/// Who may decide an approval (besides what the lifecycle and the approver role
/// allow): not whoever requested it, unless the organization allows self-approval.
/// `requested_by` is the requester's audit label (`api_key:<id>`), `None` when no
/// request is on record; an API key then cannot prove it is someone else, so it is
/// refused (fail closed), while a person or a policy is not the requester anyway.
/// With four-eyes, neither the requesting key (self-approval allowed or not) nor
/// the operator the agent asked for (`a.requested_by`) decides.
pub fn may_decide(
    requested_by: Option<&str>,
    a: &Approval,
    decider: &Actor,
    allow_self_approval: bool,
) -> Result<(), DecideRefusal> {
    if a.four_eyes {
        let own_key = requested_by == Some(decider.label().as_str());
        let own_request = matches!(decider, Actor::Operator(op) if a.requested_by.as_deref() == Some(op.as_str()));
        if own_request || (own_key && allow_self_approval) {
            return Err(DecideRefusal::FourEyes);
        }
    }
    if allow_self_approval {
        return Ok(());
    }
    match requested_by {
        Some(requester) if requester == decider.label() => Err(DecideRefusal::OwnRequest),
        None if matches!(decider, Actor::ApiKey(_)) => Err(DecideRefusal::OwnRequest),
        _ => Ok(()),
    }
}

/// What a human decided, written with the `decide` transition.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub approved: bool,
    pub note: Option<String>,
    pub decided_by: String,
    pub payload: Option<Map<String, Value>>,
    /// The answer to the approval's `response_schema`, already validated.
    pub answer: Option<Value>,
    /// SHA-256 of the payload approved (the edit, or the request's), recorded
    /// in the decide event so the agent can match what it runs against it.
    pub approved_payload: Option<String>,
}

impl Decision {
    pub fn word(&self) -> &'static str {
        if self.approved {
            "approved"
        } else {
            "denied"
        }
    }
}

/// Seed 001's status: `pending`, `approved`, `denied`, `expired` (plus `cancelled`).
pub fn status(state: State, decision: Option<&str>) -> &'static str {
    match state {
        s if s.is_open() => "pending",
        State::Expired => "expired",
        State::Cancelled => "cancelled",
        _ => match decision {
            Some("approved") => "approved",
            _ => "denied",
        },
    }
}

/// States a status filter selects (`approved`/`denied` also need the decision).
pub fn states_for_status(status: &str) -> Option<Vec<State>> {
    let decided = vec![
        State::Solved,
        State::ResumeRequested,
        State::Resumed,
        State::Completed,
        State::Failed,
    ];
    match status {
        "pending" => Some(State::ALL.into_iter().filter(|s| s.is_open()).collect()),
        "approved" | "denied" => Some(decided),
        "expired" => Some(vec![State::Expired]),
        "cancelled" => Some(vec![State::Cancelled]),
        _ => None,
    }
}

/// Where the workflow goes next: `on_approve` after an approval, `on_deny`
/// after a deny or a timeout (a timeout is a deny); nothing while pending.
pub fn next_node(state: State, decision: Option<&str>, node: Option<&NodeRef>) -> Option<String> {
    let node = node?;
    match status(state, decision) {
        "approved" => node.on_approve.clone(),
        "denied" | "expired" => node.on_deny.clone(),
        _ => None,
    }
}

/// An edit may change the payload's values, never what is being approved.
pub fn check_edit(
    approval: &Approval,
    subject_kind: Option<&str>,
    subject_ref: Option<&str>,
) -> Result<(), (&'static str, String)> {
    if let Some(k) = subject_kind {
        if k != approval.subject_kind.as_str() {
            return Err((
                "subject_kind",
                format!(
                    "an edit must keep subject_kind `{}`",
                    approval.subject_kind.as_str()
                ),
            ));
        }
    }
    if let Some(r) = subject_ref {
        if r != approval.subject_ref {
            return Err((
                "subject_ref",
                format!(
                    "an edit must keep subject_ref `{}`: approving one action must not run another",
                    approval.subject_ref
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node() -> NodeRef {
        NodeRef {
            workflow_id: "w".into(),
            node_id: "approve_refund".into(),
            on_approve: Some("process_refund".into()),
            on_deny: Some("explain_denial".into()),
        }
    }

    #[test]
    fn a_timeout_routes_like_a_deny_but_reads_as_expired() {
        assert_eq!(status(State::Expired, None), "expired");
        assert_eq!(
            next_node(State::Expired, None, Some(&node())).as_deref(),
            Some("explain_denial")
        );
        assert_eq!(
            next_node(State::Solved, Some("approved"), Some(&node())).as_deref(),
            Some("process_refund")
        );
        assert_eq!(
            next_node(State::Solved, Some("denied"), Some(&node())).as_deref(),
            Some("explain_denial")
        );
        assert_eq!(next_node(State::Created, None, Some(&node())), None);
        assert_eq!(status(State::Notified, None), "pending");
    }

    #[test]
    fn the_requester_does_not_decide_its_own_approval() {
        let me = Actor::ApiKey("k1".into());
        let other = Actor::ApiKey("k2".into());
        let person = Actor::Operator("op".into());
        let requested = Some("api_key:k1");
        let a = Approval::default();
        let may_decide = |r, d: &Actor, allow| may_decide(r, &a, d, allow);
        assert_eq!(
            may_decide(requested, &me, false),
            Err(DecideRefusal::OwnRequest)
        );
        assert_eq!(may_decide(requested, &other, false), Ok(()));
        assert_eq!(may_decide(requested, &person, false), Ok(()));
        assert_eq!(
            may_decide(requested, &Actor::Policy("p".into()), false),
            Ok(())
        );
        // Allowed on purpose by the organization.
        assert_eq!(may_decide(requested, &me, true), Ok(()));
        // No request on record: a key cannot show it is someone else.
        assert_eq!(
            may_decide(None, &other, false),
            Err(DecideRefusal::OwnRequest)
        );
        assert_eq!(may_decide(None, &person, false), Ok(()));
    }

    #[test]
    fn four_eyes_keeps_the_requester_from_deciding_their_own_request() {
        let a = Approval {
            requested_by: Some("alice".into()),
            four_eyes: true,
            ..Approval::default()
        };
        let key = Some("api_key:k1");
        let alice = Actor::Operator("alice".into());
        assert_eq!(
            may_decide(key, &a, &alice, false),
            Err(DecideRefusal::FourEyes)
        );
        assert_eq!(
            may_decide(key, &a, &Actor::Operator("bob".into()), false),
            Ok(())
        );
        // Self-approval allowed server-wide does not lift four-eyes.
        assert_eq!(
            may_decide(key, &a, &Actor::ApiKey("k1".into()), true),
            Err(DecideRefusal::FourEyes)
        );
        assert_eq!(
            may_decide(key, &a, &Actor::ApiKey("k2".into()), true),
            Ok(())
        );
        // Without four-eyes the requesting operator may decide.
        let plain = Approval {
            four_eyes: false,
            ..a
        };
        assert_eq!(may_decide(key, &plain, &alice, false), Ok(()));
    }

    #[test]
    fn edits_cannot_turn_one_action_into_another() {
        let a = Approval {
            subject_ref: "refund.create".into(),
            ..Approval::default()
        };
        assert!(check_edit(&a, Some("tool_call"), Some("refund.create")).is_ok());
        assert_eq!(
            check_edit(&a, None, Some("account.delete")).unwrap_err().0,
            "subject_ref"
        );
        assert_eq!(
            check_edit(&a, Some("workflow_node"), None).unwrap_err().0,
            "subject_kind"
        );
    }
}
