//! The one entry point for changing a handoff: `create()` for its first
//! state, `transition()` for every later one. Both write the state, the side
//! effects, the hash-chained audit row and the outbox row in one transaction.

use super::{new_id, now, App};
use crate::domain::approval::Approval;
use crate::domain::lifecycle::{plan, Request};
use crate::domain::{Handoff, State};
use crate::error::AppError;
use crate::store::{AgentDetails, Change, EventDraft, NewHandoff, NewMessage, SessionGrant, Timer};
use serde_json::Value;

fn draft(
    event: &str,
    from: Option<State>,
    to: State,
    actor: String,
    data: Value,
    topic: &str,
) -> EventDraft {
    EventDraft {
        id: new_id(),
        event: event.to_string(),
        from_state: from.map(|s| s.as_str().to_string()),
        to_state: to.as_str().to_string(),
        actor,
        data,
        created_at: now(),
        topic: topic.to_string(),
        outbox_id: new_id(),
    }
}

/// Everything a new handoff brings along; written in one transaction.
pub struct Creation {
    pub handoff: Handoff,
    pub conversation_status: Option<&'static str>,
    pub message: Option<NewMessage>,
    pub approval: Option<Approval>,
    pub agent: Option<AgentDetails>,
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
            timers: Vec::new(),
            topic: None,
            actor,
            data,
        }
    }
}

/// Records a new handoff (state `created`) with its side effects, routed by
/// the organization's policies: the route's first escalation step is a timer
/// written in the same transaction, so a crash right after the commit still
/// notifies someone (the timer worker picks it up).
pub async fn create(app: &App, mut c: Creation) -> Result<Handoff, AppError> {
    let routed = super::routing::route_new(app, &mut c).await?;
    let topic = c.topic.unwrap_or(match c.handoff.kind {
        crate::domain::Kind::Approval => "approval.requested",
        _ => "handoff.created",
    });
    let event = draft("create", None, c.handoff.state, c.actor, c.data, topic);
    let handoff = c.handoff;
    let kick: Vec<Timer> = c
        .timers
        .iter()
        .filter(|t| t.kind == super::escalation::NOTIFY)
        .cloned()
        .collect();
    app.store
        .create_handoff(NewHandoff {
            handoff: handoff.clone(),
            conversation_status: c.conversation_status.map(str::to_string),
            message: c.message,
            approval: c.approval,
            agent: c.agent,
            timers: c.timers,
            event,
        })
        .await?;
    app.announce(
        &handoff.organization_id,
        Some(&handoff.id),
        handoff.conversation_id.as_deref(),
    );
    if let Some(policy) = routed.auto_resolve {
        return super::routing::auto_resolve(app, &handoff, policy).await;
    }
    // The first step goes out now rather than at the worker's next tick.
    for t in kick {
        super::escalation::kick(app, t);
    }
    Ok(handoff)
}

/// What a transition carries besides the request.
#[derive(Default)]
pub struct Extras {
    /// Starts an operator session in the same transaction (signed links).
    pub session: Option<SessionGrant>,
    /// The timer that caused this change, claimed in the same transaction.
    pub timer_fired: Option<String>,
    /// Deadlines the change starts (the next escalation step).
    pub timers: Vec<Timer>,
}

/// Applies `req` to the handoff if the state table and the actor allow it.
pub async fn transition(
    app: &App,
    org_id: &str,
    handoff_id: &str,
    req: Request,
    extras: Extras,
) -> Result<Handoff, AppError> {
    let mut req = req;
    if let (crate::domain::Actor::Policy(_), Value::Object(data)) = (&req.actor, &mut req.data) {
        data.insert("source".into(), "policy".into());
    }
    let decide = move |h: &Handoff| -> Result<Change, AppError> {
        let plan = plan(h, req.clone())?;
        let event = draft(
            plan.event.as_str(),
            Some(plan.from),
            plan.to,
            plan.actor.label(),
            plan.data.clone(),
            plan.topic,
        );
        Ok(Change {
            plan,
            event,
            session: extras.session.clone(),
            timer_fired: extras.timer_fired.clone(),
            timers: extras.timers.clone(),
        })
    };
    let h = app.store.transition(org_id, handoff_id, &decide).await?;
    app.announce(org_id, Some(&h.id), h.conversation_id.as_deref());
    Ok(h)
}
