//! Turns "this actor wants this event on this handoff" into a `Plan`: the new
//! state plus every side effect that belongs to the same fact. Pure: the store
//! executes the plan in one transaction (`service::lifecycle::transition`).

use super::approval::Decision;
use super::packet::{Packet, Source};
use super::quorum::{Ballot, Cast, Vote, VoteRefusal};
use super::state::{next, Event, Kind, State, TransitionError};
use serde_json::{json, Value};

/// A handoff as the lifecycle sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Handoff {
    pub id: String,
    pub organization_id: String,
    pub kind: Kind,
    pub state: State,
    pub version: i64,
    pub conversation_id: Option<String>,
    pub source: Source,
    pub packet: Packet,
    pub assignee: Option<String>,
    pub decision: Option<String>,
    pub priority: String,
    pub created_at: String,
    pub updated_at: String,
    pub resolved_at: Option<String>,
}

/// Who asks for a change. Recorded on every audit row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    ApiKey(String),
    Operator(String),
    System,
    /// A routing policy that resolves without a person (its id).
    Policy(String),
}

impl Actor {
    pub fn label(&self) -> String {
        match self {
            Actor::ApiKey(id) => format!("api_key:{id}"),
            Actor::Operator(id) => format!("operator:{id}"),
            Actor::System => "system".to_string(),
            Actor::Policy(id) => format!("policy:{id}"),
        }
    }

    /// Which events this kind of actor may cause at all.
    fn may(&self, event: Event) -> bool {
        use Event::*;
        match self {
            // Only a person opens a link or an inbox item.
            Actor::Operator(_) => matches!(
                event,
                Open | Assign | Accept | Resolve | HandBack | Decide | Vote | Act | Solve | Cancel
            ),
            // Agents (and integrations acting for operators, seed 001) drive everything but
            // opening a link and the operator's own clicks on a captured screen. Expiring
            // is seed 004's `POST /expire`: the agent host gave up waiting.
            Actor::ApiKey(_) => !matches!(event, Open | Notify | Escalate | Act),
            // Timers, workers and policies.
            Actor::System => matches!(
                event,
                Notify | Escalate | Assign | Expire | RequestResume | Fail
            ),
            // Auto-resolution at creation, and nothing else.
            Actor::Policy(_) => matches!(event, Decide | Resolve),
        }
    }
}

/// Conversation status changes that happen with a handoff transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversationEffect {
    pub conversation_id: String,
    pub status: &'static str,
    pub termination_reason: Option<&'static str>,
    /// Why it is in that status (`handed_back`, `handoff_expired`, …).
    pub status_reason: Option<&'static str>,
}

/// A requested change.
#[derive(Clone, Debug)]
pub struct Request {
    pub event: Event,
    pub actor: Actor,
    /// Extra audit data supplied by the caller (note, channel, decision, …).
    pub data: Value,
    /// A signed-link nonce that must be consumed with this change (single use).
    pub consume_nonce: Option<String>,
    /// The operator to assign (`assign`, `accept` on behalf of someone).
    pub assignee: Option<String>,
    /// The approval decision (`decide`).
    pub decision: Option<Decision>,
    /// The operator asking holds the `admin` role (filled in by the service for
    /// operator actors where it matters: resolving or handing back a takeover).
    pub by_admin: bool,
    /// A quorum approval's votes so far (`decide`): an approve short of the
    /// quorum becomes a `vote`. The service reads the votes for every attempt.
    pub ballot: Option<Ballot>,
    /// An operator taking over an assist screen (`assign` to themselves): how
    /// long the lease holder has done nothing (filled in by the service).
    pub lease_idle_seconds: Option<i64>,
}

impl Request {
    /// An approval decision, with what the audit row says of it.
    pub fn decide(actor: Actor, decision: Decision) -> Self {
        let mut req = Request::new(Event::Decide, actor);
        req.data = json!({
            "decision": decision.word(),
            "note": decision.note,
            "payload_edited": decision.payload.is_some(),
        });
        if decision.answer.is_some() {
            // The answer itself stays in the approval row; its digest is in the event.
            req.data["answered"] = json!(true);
        }
        req.decision = Some(decision);
        req
    }

    pub fn new(event: Event, actor: Actor) -> Self {
        Request {
            event,
            actor,
            data: json!({}),
            consume_nonce: None,
            assignee: None,
            decision: None,
            by_admin: false,
            ballot: None,
            lease_idle_seconds: None,
        }
    }
}

/// Everything one transition writes, decided before any write happens.
#[derive(Clone, Debug)]
pub struct Plan {
    pub event: Event,
    pub from: State,
    pub to: State,
    pub actor: Actor,
    pub data: Value,
    pub assignee: Option<String>,
    pub decision: Option<Decision>,
    pub resolved: bool,
    pub conversation: Option<ConversationEffect>,
    pub consume_nonce: Option<String>,
    /// A quorum approval's approve, recorded as a vote (`voted_at` is the event's time).
    pub vote: Option<Vote>,
    /// Outbox topic for webhooks / push / live streams.
    pub topic: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("{actor} may not `{event}` a handoff")]
    Forbidden { actor: String, event: Event },
    #[error("another operator is already working on this handoff")]
    Taken,
    #[error("`{0}` needs {1}")]
    Incomplete(Event, &'static str),
    #[error(transparent)]
    Vote(#[from] VoteRefusal),
}

/// Every outbox topic: what a webhook subscription may name. The creation
/// topics are chosen by `service::lifecycle::create`, the rest by `topic`.
pub const TOPICS: &[&str] = &[
    "handoff.created",
    "approval.requested",
    "conversation.handoff_requested",
    "handoff.notified",
    "handoff.opened",
    "handoff.escalated",
    "handoff.assigned",
    "handoff.accepted",
    "handoff.frozen",
    "handoff.assist_action",
    "handoff.solved",
    "handoff.resolved",
    "handoff.handed_back",
    "handoff.resume_requested",
    "handoff.resumed",
    "handoff.completed",
    "handoff.expired",
    "handoff.failed",
    "handoff.cancelled",
    "approval.decided",
    "approval.voted",
    "approval.expired",
    MESSAGE_TOPIC,
];

/// Every message appended to a conversation, whoever wrote it (not a
/// transition: written by the store with the message).
pub const MESSAGE_TOPIC: &str = "conversation.message";

fn topic(kind: Kind, event: Event) -> &'static str {
    use Event::*;
    match (kind, event) {
        (Kind::Approval, Decide) => "approval.decided",
        (_, Vote) => "approval.voted",
        (Kind::Approval, Expire) => "approval.expired",
        (_, Notify) => "handoff.notified",
        (_, Escalate) => "handoff.escalated",
        (_, Open) => "handoff.opened",
        (_, Assign) => "handoff.assigned",
        (_, Accept) => "handoff.accepted",
        (_, Resolve) => "handoff.resolved",
        (_, HandBack) => "handoff.handed_back",
        (_, Freeze) => "handoff.frozen",
        (_, Act) => "handoff.assist_action",
        (_, Decide | Solve) => "handoff.solved",
        (_, RequestResume) => "handoff.resume_requested",
        (_, Resume) => "handoff.resumed",
        (_, Complete) => "handoff.completed",
        (_, Fail) => "handoff.failed",
        (_, Expire) => "handoff.expired",
        (_, Cancel) => "handoff.cancelled",
    }
}

/// Decides a transition. The one place where "may this happen?" is answered.
pub fn plan(h: &Handoff, req: Request) -> Result<Plan, LifecycleError> {
    if !req.actor.may(req.event) {
        return Err(LifecycleError::Forbidden {
            actor: req.actor.label(),
            event: req.event,
        });
    }
    if req.consume_nonce.is_some() && !matches!(req.actor, Actor::Operator(_)) {
        // A signed link names an operator; only that person can spend it.
        return Err(LifecycleError::Forbidden {
            actor: req.actor.label(),
            event: req.event,
        });
    }
    let mut to = next(h.kind, h.state, req.event)?;
    let mut req = req;
    let mut vote = None;
    if let (Event::Decide, Some(ballot), Some(d)) =
        (req.event, req.ballot.clone(), req.decision.clone())
    {
        let voter = req.actor.label();
        let cast = ballot.cast(&voter, d.approved)?;
        let approvals = match cast {
            Cast::Decides { approvals } | Cast::Counts { approvals } => approvals,
        };
        if d.approved {
            vote = Some(Vote {
                voter,
                roles: ballot.voter_roles.clone(),
                voted_at: String::new(),
            });
        }
        req.data["approvals"] = json!(approvals);
        req.data["required_approvals"] = json!(ballot.required);
        if let Cast::Counts { .. } = cast {
            // Short of the quorum: a vote, and the approval stays pending.
            req.event = Event::Vote;
            req.decision = None;
            let via = req.data.get("via").cloned();
            req.data = json!({
                "vote": "approve",
                "note": d.note,
                "approvals": approvals,
                "required_approvals": ballot.required,
            });
            if let Some(via) = via {
                req.data["via"] = via;
            }
            to = next(h.kind, h.state, Event::Vote)?;
        }
    }
    if let (Event::Open, State::Solving, Actor::Operator(op)) = (req.event, h.state, &req.actor) {
        if h.assignee.as_deref() != Some(op.as_str()) {
            return Err(LifecycleError::Taken);
        }
    }
    // The lease on a captured screen: while an assist is being solved, only the
    // operator solving it sends actions, solves it or hands it on; another
    // operator may take it to themselves once the holder has been idle too long.
    if let (
        Kind::Assist,
        State::Solving,
        Event::Act | Event::Solve | Event::Assign,
        Actor::Operator(op),
    ) = (h.kind, h.state, req.event, &req.actor)
    {
        let takes_lapsed_lease = req.event == Event::Assign
            && req.assignee.as_deref() == Some(op.as_str())
            && req
                .lease_idle_seconds
                .is_some_and(super::assist::lease_lapsed);
        if h.assignee.as_deref() != Some(op.as_str()) && !takes_lapsed_lease {
            return Err(LifecycleError::Taken);
        }
    }
    if let (Event::Resolve | Event::HandBack, Actor::Operator(op)) = (req.event, &req.actor) {
        let is_assignee = h.assignee.as_deref() == Some(op.as_str());
        if !operator_may_finish(h.state, is_assignee, req.by_admin) {
            return Err(LifecycleError::Taken);
        }
    }
    let assignee = match (&req.actor, req.event) {
        (_, Event::Assign) => Some(
            req.assignee
                .clone()
                .ok_or(LifecycleError::Incomplete(Event::Assign, "an assignee"))?,
        ),
        (Actor::Operator(op), Event::Open | Event::Accept) => Some(op.clone()),
        (_, Event::Accept) => req.assignee.clone(),
        _ => None,
    };
    let decision = match req.event {
        Event::Decide => Some(
            req.decision
                .clone()
                .ok_or(LifecycleError::Incomplete(Event::Decide, "a decision"))?,
        ),
        _ => None,
    };
    let conversation = h.conversation_id.as_ref().and_then(|cid| {
        let (status, termination_reason, status_reason) = match (h.kind, req.event) {
            (Kind::Takeover, Event::Resolve) => ("closed", Some("handoff_resolved"), None),
            // The human is done or never came: the bot gets the conversation back.
            (Kind::Takeover, Event::HandBack) => ("active", None, Some("handed_back")),
            (Kind::Takeover, Event::Cancel) => ("active", None, Some("handoff_cancelled")),
            (Kind::Takeover, Event::Expire) => ("active", None, Some("handoff_expired")),
            (Kind::Approval, Event::Decide) => ("active", None, Some("approval_decided")),
            (Kind::Approval, Event::Cancel) => ("active", None, Some("approval_cancelled")),
            (Kind::Approval, Event::Expire) => ("active", None, Some("approval_expired")),
            _ => return None,
        };
        Some(ConversationEffect {
            conversation_id: cid.clone(),
            status,
            termination_reason,
            status_reason,
        })
    });
    Ok(Plan {
        event: req.event,
        from: h.state,
        to,
        actor: req.actor,
        data: req.data,
        assignee,
        decision,
        resolved: to.is_terminal() || to == State::Solved,
        conversation,
        consume_nonce: req.consume_nonce,
        vote,
        topic: topic(h.kind, req.event),
    })
}

/// Why a message cannot be relayed to the customer through a handoff.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RelayRefusal {
    #[error("accept the handoff before writing to the customer")]
    NotAccepted,
    #[error("the handoff is {0}; messages can no longer be relayed")]
    Finished(State),
}

/// Whether an operator may write to the customer: once the handoff is
/// theirs and accepted. The chat box and the relay both ask this.
pub fn operator_writes(state: State, is_assignee: bool) -> bool {
    is_assignee && state == State::Solving
}

/// Whether an operator may finish (resolve, hand back) a takeover: once someone
/// accepted it, only that assignee or an admin; before, anyone the state table
/// lets. API keys keep their rights (they act for the integration).
pub fn operator_may_finish(state: State, is_assignee: bool, is_admin: bool) -> bool {
    state != State::Solving || is_assignee || is_admin
}

/// Who may write to the customer through `h`: its operator once accepted;
/// an integration relaying for its own operators (seed 001) while it is open.
pub fn may_relay(h: &Handoff, actor: &Actor) -> Result<(), RelayRefusal> {
    if let Actor::Operator(op) = actor {
        if !operator_writes(h.state, h.assignee.as_deref() == Some(op.as_str())) {
            return Err(if h.state.is_open() {
                RelayRefusal::NotAccepted
            } else {
                RelayRefusal::Finished(h.state)
            });
        }
    }
    if !h.state.is_open() {
        return Err(RelayRefusal::Finished(h.state));
    }
    Ok(())
}

impl Handoff {
    /// A handoff as it is created (`created`, version 1, medium priority).
    pub fn new(
        id: String,
        now: &str,
        organization_id: &str,
        kind: Kind,
        source: Source,
        packet: Packet,
        conversation_id: Option<String>,
    ) -> Handoff {
        Handoff {
            id,
            organization_id: organization_id.to_string(),
            kind,
            state: State::Created,
            version: 1,
            conversation_id,
            source,
            packet,
            assignee: None,
            decision: None,
            priority: "medium".into(),
            created_at: now.to_string(),
            updated_at: now.to_string(),
            resolved_at: None,
        }
    }

    /// The handoff as the plan leaves it, at `now`: one version later.
    pub fn apply(&self, plan: &Plan, now: &str) -> Handoff {
        let mut h = self.clone();
        h.state = plan.to;
        h.version += 1;
        h.updated_at = now.to_string();
        if let Some(a) = &plan.assignee {
            h.assignee = Some(a.clone());
        }
        if let Some(d) = &plan.decision {
            h.decision = Some(d.word().to_string());
        }
        if plan.resolved && h.resolved_at.is_none() {
            h.resolved_at = Some(now.to_string());
        }
        h
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_transition_topic_is_listed() {
        for kind in super::Kind::ALL {
            for event in super::Event::ALL {
                let t = super::topic(kind, event);
                assert!(super::TOPICS.contains(&t), "{t} is missing from TOPICS");
            }
        }
    }

    use super::*;

    fn takeover(state: State) -> Handoff {
        Handoff {
            id: "h".into(),
            organization_id: "o".into(),
            kind: Kind::Takeover,
            state,
            version: 1,
            conversation_id: Some("c".into()),
            source: Source::Router,
            packet: Packet {
                static_text: "x".into(),
                reason: None,
                context_vars: Default::default(),
                summary: None,
                transcript_ptr: None,
                transfer_to: None,
                transfer_label: None,
            },
            assignee: None,
            decision: None,
            priority: "medium".into(),
            created_at: String::new(),
            updated_at: String::new(),
            resolved_at: None,
        }
    }

    #[test]
    fn only_the_assignee_or_an_admin_finishes_an_accepted_takeover() {
        let mut h = takeover(State::Solving);
        h.assignee = Some("alice".into());
        let bob = Actor::Operator("bob".into());
        for event in [Event::Resolve, Event::HandBack] {
            assert_eq!(
                plan(&h, Request::new(event, bob.clone())).unwrap_err(),
                LifecycleError::Taken,
                "{event:?}"
            );
            let mut as_admin = Request::new(event, bob.clone());
            as_admin.by_admin = true;
            assert!(plan(&h, as_admin).is_ok());
            assert!(plan(&h, Request::new(event, Actor::Operator("alice".into()))).is_ok());
            // API keys keep their rights.
            assert!(plan(&h, Request::new(event, Actor::ApiKey("k".into()))).is_ok());
        }
        // Before anyone accepted, any operator may.
        let mut opened = takeover(State::Opened);
        opened.assignee = Some("alice".into());
        assert!(plan(&opened, Request::new(Event::Resolve, bob)).is_ok());
        assert!(operator_may_finish(State::Notified, false, false));
        assert!(!operator_may_finish(State::Solving, false, false));
    }

    #[test]
    fn resolving_a_takeover_closes_its_conversation() {
        let p = plan(
            &takeover(State::Solving),
            Request::new(Event::Resolve, Actor::ApiKey("k".into())),
        )
        .unwrap();
        assert_eq!(p.to, State::Completed);
        assert!(p.resolved);
        assert_eq!(
            p.conversation,
            Some(ConversationEffect {
                conversation_id: "c".into(),
                status: "closed",
                termination_reason: Some("handoff_resolved"),
                status_reason: None,
            })
        );
        assert_eq!(p.topic, "handoff.resolved");
    }

    #[test]
    fn agents_cannot_open_links_and_timers_cannot_resolve() {
        let h = takeover(State::Created);
        assert!(matches!(
            plan(&h, Request::new(Event::Open, Actor::ApiKey("k".into()))),
            Err(LifecycleError::Forbidden { .. })
        ));
        assert!(matches!(
            plan(&h, Request::new(Event::Resolve, Actor::System)),
            Err(LifecycleError::Forbidden { .. })
        ));
    }

    #[test]
    fn only_the_assignee_reopens_a_handoff_being_solved() {
        let mut h = takeover(State::Solving);
        h.assignee = Some("op1".into());
        let again = plan(&h, Request::new(Event::Open, Actor::Operator("op1".into()))).unwrap();
        assert_eq!(again.to, State::Solving);
        assert_eq!(
            plan(&h, Request::new(Event::Open, Actor::Operator("op2".into()))).unwrap_err(),
            LifecycleError::Taken
        );
    }

    #[test]
    fn another_operator_takes_an_assist_lease_only_once_it_lapsed() {
        let mut h = takeover(State::Solving);
        h.kind = Kind::Assist;
        h.assignee = Some("op1".into());
        let take = |idle: Option<i64>, to: &str| {
            let mut req = Request::new(Event::Assign, Actor::Operator("op2".into()));
            req.assignee = Some(to.into());
            req.lease_idle_seconds = idle;
            req
        };
        let fresh = super::super::assist::LEASE_IDLE_SECONDS - 1;
        let stale = super::super::assist::LEASE_IDLE_SECONDS;
        assert_eq!(
            plan(&h, take(None, "op2")).unwrap_err(),
            LifecycleError::Taken
        );
        assert_eq!(
            plan(&h, take(Some(fresh), "op2")).unwrap_err(),
            LifecycleError::Taken
        );
        // Only to oneself: a lapsed lease is not a way to hand the screen to a third person.
        assert_eq!(
            plan(&h, take(Some(stale), "op3")).unwrap_err(),
            LifecycleError::Taken
        );
        let p = plan(&h, take(Some(stale), "op2")).unwrap();
        assert_eq!((p.to, p.assignee.as_deref()), (State::Opened, Some("op2")));
        // Acting still needs the lease, however idle it is.
        let mut act = Request::new(Event::Act, Actor::Operator("op2".into()));
        act.lease_idle_seconds = Some(stale);
        assert_eq!(plan(&h, act).unwrap_err(), LifecycleError::Taken);
    }

    #[test]
    fn an_approve_short_of_the_quorum_is_a_vote_and_the_last_one_decides() {
        let mut h = takeover(State::Opened);
        h.kind = Kind::Approval;
        let decide = |votes: Vec<Vote>| {
            let mut req = Request::decide(
                Actor::Operator("b".into()),
                Decision {
                    approved: true,
                    note: None,
                    decided_by: "operator:b".into(),
                    payload: None,
                    answer: None,
                    approved_payload: None,
                },
            );
            req.ballot = Some(Ballot {
                required: 2,
                distinct_roles: false,
                voter_roles: vec!["r".into()],
                votes,
            });
            req
        };
        let first = plan(&h, decide(Vec::new())).unwrap();
        assert_eq!((first.event, first.to), (Event::Vote, State::Opened));
        assert!(first.decision.is_none());
        assert_eq!(first.vote.as_ref().unwrap().voter, "operator:b");
        assert_eq!(first.topic, "approval.voted");
        let earlier = Vote {
            voter: "operator:a".into(),
            roles: vec![],
            voted_at: "t".into(),
        };
        let last = plan(&h, decide(vec![earlier])).unwrap();
        assert_eq!((last.event, last.to), (Event::Decide, State::Solved));
        assert_eq!(last.data["approvals"], 2);
    }

    #[test]
    fn opening_assigns_the_operator() {
        let p = plan(
            &takeover(State::Notified),
            Request::new(Event::Open, Actor::Operator("op1".into())),
        )
        .unwrap();
        assert_eq!(p.assignee.as_deref(), Some("op1"));
        assert_eq!(p.conversation, None);
    }
}
