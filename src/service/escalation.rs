//! Escalation runs: each step is a stored timer that causes one transition
//! (`notify`, `escalate` or `expire`) and writes the next timer in the same
//! transaction. A restart resumes where the timers are; the claim on a timer
//! makes it fire once even if the worker and a kick race for it.

use super::lifecycle::{self, Extras};
use super::setup::Setup;
use super::{channels, format_time, new_id, routing, App};
use crate::domain::lifecycle::Request;
use crate::domain::records::{Operator, Timer};
use crate::domain::routing::{after_exhausted, after_step, Chain, Next, Position, Target};
use crate::domain::{Actor, Event, Handoff, Kind, State};
use crate::error::{AppError, ErrorCode};
use chrono::{DateTime, Utc};
use serde_json::json;

/// Notify the operators of the step in the timer's position.
pub const NOTIFY: &str = "escalation_notify";
/// The step's wait is over and nobody opened: move on to the next step.
pub const ESCALATE: &str = "escalation_escalate";
/// The last step's wait is over: repeat the chain or expire.
pub const EXHAUSTED: &str = "escalation_exhausted";

pub fn is_escalation(kind: &str) -> bool {
    matches!(kind, NOTIFY | ESCALATE | EXHAUSTED)
}

fn timer(h: &Handoff, kind: &str, due: DateTime<Utc>, pos: &Position) -> Timer {
    Timer {
        id: new_id(),
        organization_id: h.organization_id.clone(),
        handoff_id: h.id.clone(),
        kind: kind.to_string(),
        due_at: format_time(due),
        data: Some(serde_json::to_string(pos).expect("position serializes")),
    }
}

/// Step 1 of the route, due now: written with the creation.
pub fn first_timer(h: &Handoff, chain_id: Option<String>) -> Timer {
    let pos = Position {
        chain_id,
        step: 0,
        round: 0,
        from: vec![],
    };
    timer(h, NOTIFY, Utc::now(), &pos)
}

/// Whether the built-in route (everyone who may act, told once) would reach
/// anyone now. When it would not, a new handoff needs no timer at all: the
/// route never escalates, so nothing would ever happen later either, and the
/// creation stays one commit.
pub fn built_in_reaches_anyone(
    app: &App,
    setup: &Setup,
    h: &Handoff,
    approver_role: Option<&str>,
) -> bool {
    let chain = Chain::built_in(approver_role);
    let ops = recipients(setup, &chain, 0, Utc::now());
    let (plans, _) = channels::plan(app, setup, h, &ops, 1);
    !plans.is_empty()
}

/// Fires `t` now, off the caller's path (the worker would within a second anyway).
pub fn kick(app: &App, t: Timer) {
    let app = app.clone();
    tokio::spawn(async move {
        if let Err(e) = fire(&app, t, Utc::now()).await {
            tracing::warn!("escalation step failed: {e}");
        }
    });
}

/// Processes one due escalation timer and the due-now timers it starts;
/// returns how many transitions that made. `now` is the worker's clock:
/// on-call lookups and the next deadlines use it.
pub async fn fire(app: &App, t: Timer, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut next = Some(t);
    let mut changed = 0;
    while let Some(t) = next.take() {
        let (moved, follow) = step(app, &t, now).await?;
        changed += usize::from(moved);
        next = follow;
    }
    Ok(changed)
}

/// A lost race or a handoff that no longer waits: the timer has nothing left to do.
fn settled(e: &AppError) -> bool {
    matches!(e.code, ErrorCode::Conflict | ErrorCode::NotFound)
}

/// One timer: whether it caused a transition, and the due-now timer that follows.
async fn step(app: &App, t: &Timer, now: DateTime<Utc>) -> Result<(bool, Option<Timer>), AppError> {
    let stamp = super::now();
    let pos: Position = match t.data.as_deref().map(serde_json::from_str) {
        Some(Ok(p)) => p,
        _ => {
            tracing::error!(timer = %t.id, "escalation timer without a position; dropped");
            app.store.finish_timer(&t.id, &stamp).await?;
            return Ok((false, None));
        }
    };
    let h = match app.store.handoff(&t.organization_id, &t.handoff_id).await? {
        // Opened, accepted, decided or finished: escalation stops here.
        Some(h) if h.state.is_waiting() => h,
        _ => {
            app.store.finish_timer(&t.id, &stamp).await?;
            return Ok((false, None));
        }
    };
    let role = match h.kind {
        Kind::Approval => app
            .store
            .approval(&h.id)
            .await?
            .and_then(|a| a.approver_role),
        _ => None,
    };
    let chain = routing::load_chain(
        app,
        &h.organization_id,
        pos.chain_id.as_deref(),
        role.as_deref(),
    )
    .await?;
    let result = match t.kind.as_str() {
        NOTIFY => notify(app, t, &h, &chain, &pos, now).await,
        ESCALATE => escalate(app, t, &h, &chain, pos, now, false).await,
        EXHAUSTED => match after_exhausted(&chain, &pos) {
            Some(next) => escalate(app, t, &h, &chain, next, now, true).await,
            None => expire(app, t, &h, &chain, &pos).await,
        },
        other => {
            tracing::error!(timer = %t.id, kind = other, "unknown escalation timer; dropped");
            app.store.finish_timer(&t.id, &stamp).await?;
            Ok((false, None))
        }
    };
    match result {
        Err(e) if settled(&e) => {
            app.store.finish_timer(&t.id, &stamp).await?;
            Ok((false, None))
        }
        other => other,
    }
}

/// The active operators a step names at `at`, each once, in the step's order.
fn recipients(setup: &Setup, chain: &Chain, step: usize, at: DateTime<Utc>) -> Vec<Operator> {
    let Some(s) = chain.steps.get(step) else {
        return vec![];
    };
    let all = &setup.operators;
    let mut out: Vec<Operator> = Vec::new();
    for target in &s.targets {
        let found: Vec<&Operator> = match target {
            Target::Operator(id) => all.iter().filter(|o| &o.id == id).collect(),
            Target::Role(r) => all.iter().filter(|o| o.roles.contains(r)).collect(),
            Target::Everyone => all.iter().collect(),
            Target::OnCall(rid) => {
                let who = setup.on_call(rid, at);
                all.iter().filter(|o| Some(&o.id) == who.as_ref()).collect()
            }
        };
        for o in found {
            if o.active && !out.iter().any(|x| x.id == o.id) {
                out.push(o.clone());
            }
        }
    }
    out
}

fn chain_data(chain: &Chain, pos: &Position) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("chain_id".into(), json!(chain.id));
    m.insert("chain_name".into(), json!(chain.name));
    // 1-based for people reading the audit log.
    m.insert("step".into(), json!(pos.step + 1));
    m.insert("round".into(), json!(pos.round + 1));
    m
}

async fn notify(
    app: &App,
    t: &Timer,
    h: &Handoff,
    chain: &Chain,
    pos: &Position,
    now: DateTime<Utc>,
) -> Result<(bool, Option<Timer>), AppError> {
    let setup = super::setup::current(app, &h.organization_id).await?;
    let ops = recipients(&setup, chain, pos.step, now);
    let (plans, skipped) = channels::plan(app, &setup, h, &ops, pos.step as i64 + 1);
    app.store.insert_notifications(&skipped).await?;
    if plans.is_empty() {
        // Nobody here can be reached: waiting would only lose time, so go on at once.
        let next = match after_step(chain, pos, &pos.from) {
            Next::Escalate { at, .. } => Some(timer(h, NOTIFY, now, &at)),
            Next::Exhaust { at, .. } => Some(timer(h, EXHAUSTED, now, &at)),
            Next::Stop => None,
        };
        let claimed = app
            .store
            .reschedule_timer(&t.id, &super::now(), next.as_ref())
            .await?;
        return Ok((false, next.filter(|_| claimed)));
    }
    let notified: Vec<String> = plans.iter().map(|p| p.operator.id.clone()).collect();
    let follow = match after_step(chain, pos, &notified) {
        Next::Escalate { at, after_seconds } => Some(timer(
            h,
            ESCALATE,
            now + chrono::Duration::seconds(after_seconds),
            &at,
        )),
        Next::Exhaust { at, after_seconds } => Some(timer(
            h,
            EXHAUSTED,
            now + chrono::Duration::seconds(after_seconds),
            &at,
        )),
        Next::Stop => None,
    };
    let mut data = chain_data(chain, pos);
    data.insert(
        "recipients".into(),
        json!(plans
            .iter()
            .map(|p| json!({
                "operator_id": p.operator.id,
                "operator_name": p.operator.name,
                "channels": p.channels,
            }))
            .collect::<Vec<_>>()),
    );
    data.insert("next_at".into(), json!(follow.as_ref().map(|f| &f.due_at)));
    // Seed 004's `handoff.notified` names one operator and channel: the first ones here.
    let first = &plans[0];
    data.insert("operator_id".into(), json!(first.operator.id));
    data.insert("channel".into(), json!(first.channels.first()));
    data.insert("notified_at".into(), json!(super::now()));
    let mut req = Request::new(Event::Notify, Actor::System);
    req.data = serde_json::Value::Object(data);
    let extras = Extras {
        timer_fired: Some(t.id.clone()),
        timers: follow.into_iter().collect(),
        ..Default::default()
    };
    let h = lifecycle::transition(app, &h.organization_id, &h.id, req, extras).await?;
    // Off the timer worker's path: its other deadlines never wait on the network.
    channels::deliver_later(app, h, plans, pos.step as i64 + 1);
    Ok((true, None))
}

/// Moves to the step in `to` (the next one, or step 1 of a new round).
async fn escalate(
    app: &App,
    t: &Timer,
    h: &Handoff,
    chain: &Chain,
    to: Position,
    now: DateTime<Utc>,
    repeat: bool,
) -> Result<(bool, Option<Timer>), AppError> {
    let notify = timer(h, NOTIFY, now, &to);
    if h.state == State::Escalated {
        // Already escalated (the previous step reached nobody): just notify.
        let claimed = app
            .store
            .reschedule_timer(&t.id, &super::now(), Some(&notify))
            .await?;
        return Ok((false, claimed.then_some(notify)));
    }
    let setup = super::setup::current(app, &h.organization_id).await?;
    let next_ops: Vec<String> = recipients(&setup, chain, to.step, now)
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut data = chain_data(chain, &to);
    data.insert("from".into(), json!(to.from));
    data.insert("to".into(), json!(next_ops));
    data.insert("from_operator".into(), json!(to.from.first()));
    data.insert("to_operator".into(), json!(next_ops.first()));
    data.insert("repeat".into(), json!(repeat));
    data.insert("escalated_at".into(), json!(super::now()));
    let mut req = Request::new(Event::Escalate, Actor::System);
    req.data = serde_json::Value::Object(data);
    let extras = Extras {
        timer_fired: Some(t.id.clone()),
        timers: vec![notify.clone()],
        ..Default::default()
    };
    lifecycle::transition(app, &h.organization_id, &h.id, req, extras).await?;
    Ok((true, Some(notify)))
}

async fn expire(
    app: &App,
    t: &Timer,
    h: &Handoff,
    chain: &Chain,
    pos: &Position,
) -> Result<(bool, Option<Timer>), AppError> {
    let mut data = chain_data(chain, pos);
    // The position is past the last step; name the last one.
    data.insert("step".into(), json!(pos.step));
    data.insert("reason".into(), json!("timeout_chain_exhausted"));
    data.insert("timeout_chain_exhausted".into(), json!(true));
    data.insert("last_notified".into(), json!(pos.from));
    data.insert("expired_at".into(), json!(super::now()));
    let mut req = Request::new(Event::Expire, Actor::System);
    req.data = serde_json::Value::Object(data);
    let extras = Extras {
        timer_fired: Some(t.id.clone()),
        ..Default::default()
    };
    lifecycle::transition(app, &h.organization_id, &h.id, req, extras).await?;
    Ok((true, None))
}
