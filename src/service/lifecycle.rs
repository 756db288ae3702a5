//! The one entry point for changing a handoff: `create()` for its first
//! state, `transition()` for every later one. Each plans with the pure
//! domain, has the store write the finished rows (state, side effects,
//! hash-chained audit row, outbox row) in one transaction, and wakes the
//! listeners after the commit. Routing and escalation are the callers'
//! business (`intake`), not this module's.

use super::{new_id, now, App};
use crate::domain::approval::Approval;
use crate::domain::lifecycle::{plan, Request};
use crate::domain::records::{AgentDetails, NewMessage, SessionGrant, Timer};
use crate::domain::writes::{
    lifecycle_outbox, rows, ConversationWrite, EventDraft, NewHandoff, Stamp, TransitionWrite,
};
use crate::domain::{Actor, Event, Handoff, Kind};
use crate::error::AppError;
use crate::store::{Race, StoreError};
use serde_json::Value;

/// How often a write that lost an optimistic race is planned again from
/// fresh rows before the client hears of it (several writers: PostgreSQL).
const ATTEMPTS: usize = 8;

/// Everything a new handoff brings along; written in one transaction.
pub struct Creation {
    pub handoff: Handoff,
    pub conversation_status: Option<&'static str>,
    pub message: Option<NewMessage>,
    pub approval: Option<Approval>,
    pub agent: Option<AgentDetails>,
    pub assist: Option<crate::domain::writes::NewAssist>,
    /// Deadlines written with the creation (approval timeout; routing adds its own).
    pub timers: Vec<Timer>,
    /// Outbox topic when not the kind's default (`conversation.handoff_requested`).
    pub topic: Option<&'static str>,
    pub actor: String,
    pub data: Value,
}

impl Creation {
    pub fn new(handoff: Handoff, actor: String, data: Value) -> Self {
        Creation {
            handoff,
            conversation_status: None,
            message: None,
            approval: None,
            agent: None,
            assist: None,
            timers: Vec::new(),
            topic: None,
            actor,
            data,
        }
    }
}

/// Records a new handoff (state `created`) with its side effects. The
/// conversation it belongs to must exist in the organization and be open.
pub async fn create(app: &App, c: Creation) -> Result<Handoff, AppError> {
    let h = &c.handoff;
    let topic = c.topic.unwrap_or(match h.kind {
        Kind::Approval => "approval.requested",
        _ => "handoff.created",
    });
    let event = EventDraft {
        id: new_id(),
        organization_id: h.organization_id.clone(),
        handoff_id: h.id.clone(),
        event: "create".into(),
        from_state: None,
        to_state: h.state.as_str().to_string(),
        actor: c.actor.clone(),
        data: crate::domain::writes::creation_data(h, c.approval.as_ref(), &c.data),
        created_at: now(),
    };
    let outbox = lifecycle_outbox(&event, topic, new_id(), h, None);
    let mut new = NewHandoff {
        handoff: h.clone(),
        conversation: None,
        approval: c.approval,
        agent: c.agent,
        assist: c.assist,
        timers: c.timers,
        event,
        outbox,
    };
    for attempt in 1..=ATTEMPTS {
        if let Some(cid) = &h.conversation_id {
            let conv = super::conversations::named(app, &h.organization_id, cid).await?;
            if conv.status == "closed" {
                return Err(closed());
            }
            let mut w = ConversationWrite::begin(&conv);
            if let Some(status) = c.conversation_status {
                w.set_status(status, &h.created_at);
            }
            if let Some(msg) = &c.message {
                // The holding line belongs to the handoff being created.
                w.append(msg.clone(), Some(&h.id), new_id(), new_id());
            }
            new.conversation = Some(w);
        }
        match app.store.create_handoff(&new).await {
            Err(StoreError::Conflict(r @ (Race::Conversation | Race::AuditHead)))
                if attempt < ATTEMPTS =>
            {
                crate::telemetry::lost_race(race_name(r));
                continue;
            }
            Err(e) => return Err(e.into()),
            Ok(()) => break,
        }
    }
    app.announce(
        &h.organization_id,
        Some(&h.id),
        h.conversation_id.as_deref(),
    );
    crate::telemetry::created(h.kind.as_str());
    Ok(new.handoff)
}

/// When a person first opened or accepted the handoff (seed 004's
/// `human_assist_seconds` counts from there).
async fn first_human_touch(
    app: &App,
    org_id: &str,
    handoff_id: &str,
) -> Result<Option<String>, AppError> {
    Ok(app
        .store
        .first_event_at(org_id, handoff_id, &["open", "accept"])
        .await?)
}

fn race_name(r: Race) -> &'static str {
    match r {
        Race::Version => "version",
        Race::Conversation => "conversation",
        Race::AuditHead => "audit_head",
        Race::LinkUsed => "link_used",
        Race::TimerFired => "timer_fired",
    }
}

pub fn closed() -> AppError {
    AppError::conflict("conversation_closed", "the conversation is closed")
}

/// What a transition carries besides the request.
#[derive(Default, Clone)]
pub struct Extras {
    /// Starts an operator session in the same transaction (signed links).
    pub session: Option<SessionGrant>,
    /// The timer that caused this change, claimed in the same transaction.
    pub timer_fired: Option<String>,
    /// Deadlines the change starts (the next escalation step).
    pub timers: Vec<Timer>,
}

/// Applies `req` to the handoff if the state table and the actor allow it.
/// A write that lost a race is planned again from the fresh handoff, so the
/// loser gets the answer the domain gives for the new state (a second
/// decision: "already decided"), never a bare version conflict.
pub async fn transition(
    app: &App,
    org_id: &str,
    handoff_id: &str,
    req: Request,
    extras: Extras,
) -> Result<Handoff, AppError> {
    transition_seen(app, org_id, handoff_id, None, req, extras).await
}

/// Like `transition`, planned first on `seen`, the handoff the caller has
/// just read (one read less); a write that loses a race reads it afresh.
pub async fn transition_seen(
    app: &App,
    org_id: &str,
    handoff_id: &str,
    seen: Option<Handoff>,
    req: Request,
    extras: Extras,
) -> Result<Handoff, AppError> {
    let w = transition_written(app, org_id, handoff_id, seen, req, extras).await?;
    Ok(w.handoff)
}

/// Like `transition_seen`, answering with the rows as written (a decision's
/// row and time, for one): what the caller would otherwise read back.
pub async fn transition_written(
    app: &App,
    org_id: &str,
    handoff_id: &str,
    mut seen: Option<Handoff>,
    mut req: Request,
    extras: Extras,
) -> Result<TransitionWrite, AppError> {
    if let (Actor::Policy(_), Value::Object(data)) = (&req.actor, &mut req.data) {
        data.insert("source".into(), "policy".into());
    }
    // Finishing someone else's accepted takeover needs the admin role (the
    // domain's `operator_may_finish`); only then is the operator read.
    if let (Actor::Operator(op_id), Event::Resolve | Event::HandBack) = (&req.actor, req.event) {
        req.by_admin = app
            .store
            .operator_by_id(op_id)
            .await?
            .is_some_and(|op| op.roles.iter().any(|r| r == super::admin::ADMIN_ROLE));
    }
    let human_since = match req.event {
        Event::Decide | Event::Solve => first_human_touch(app, org_id, handoff_id).await?,
        _ => None,
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let h = match seen.take().filter(|h| h.id == handoff_id) {
            Some(h) => h,
            None => app
                .store
                .handoff(org_id, handoff_id)
                .await?
                .ok_or_else(|| AppError::not_found("handoff"))?,
        };
        // A quorum's votes are read after the handoff: a vote committed in
        // between moved the version too, so this write then loses and recounts.
        if let Some(ballot) = &mut req.ballot {
            ballot.votes = app.store.approval_votes(handoff_id).await?;
        }
        let planned = plan(&h, req.clone())?;
        let stamp = Stamp {
            now: now(),
            event_id: new_id(),
            outbox_id: new_id(),
            human_since: human_since.clone(),
        };
        let mut w = rows(&h, planned, stamp);
        w.session = extras.session.clone();
        w.timer_fired = extras.timer_fired.clone();
        w.timers = extras.timers.clone();
        match app.store.write_transition(&w).await {
            Err(StoreError::Conflict(r @ (Race::Version | Race::AuditHead)))
                if attempt < ATTEMPTS =>
            {
                crate::telemetry::lost_race(race_name(r));
                continue;
            }
            Err(e) => return Err(e.into()),
            Ok(()) => {
                let h = &w.handoff;
                app.announce(org_id, Some(&h.id), h.conversation_id.as_deref());
                crate::telemetry::transition(h.kind.as_str(), &w.event.event, h.state.as_str());
                return Ok(w);
            }
        }
    }
}
