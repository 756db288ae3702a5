//! Assist handoffs (issue 13): a browser agent's stuck screen handed to a
//! person. Creation at `detected` or `frozen` (with the capture), the freeze
//! step that starts routing, frames from the agent, the operator's actions on
//! their way to the agent (stored sealed, deleted once acknowledged), and
//! "Done" (`solved` → `resume_requested`).
//!
//! Everything the browser captured (screenshot, DOM, cookies, storage) and
//! every pending action is sealed with the organization's data key before it
//! reaches the store; the audit trail records "typed N characters", never the text.

use super::capture::{check_image, check_state, invalid, seal, seal_frame, seal_state};
pub use super::capture::{frame_image, Capture};
use super::handoffs::{blank, check_packet, get};
use super::lifecycle::{self, Creation, Extras};
use super::{escalation, format_time, intake, new_id, now, App};
use crate::domain::assist::{Action, AssistAsk, Viewport, PENDING_MAX};
use crate::domain::lifecycle::Request;
use crate::domain::limits::FieldProblem;
use crate::domain::records::{AssistRecord, Timer};
use crate::domain::sealed::assist_label;
use crate::domain::state::next;
use crate::domain::writes::NewAssist;
use crate::domain::{Actor, Event, Handoff, Kind, Packet, Source, State};
use crate::error::AppError;
use serde_json::json;
use std::time::Duration;

/// The longest `timeout_seconds` (as for approvals: 7 days).
pub const MAX_TIMEOUT_SECONDS: i64 = 7 * 24 * 3600;
/// The timer that expires an assist nobody solved in time.
pub const TIMEOUT_TIMER: &str = "assist_timeout";
/// The longest long-poll on `/actions`.
pub const WAIT_MAX_SECONDS: u64 = 25;
/// Actions one poll returns at most.
const ACTIONS_PAGE: i64 = 100;

pub struct NewAssistHandoff {
    pub ask: AssistAsk,
    pub capture: Option<Capture>,
    pub timeout_seconds: Option<i64>,
}

/// Creates an assist handoff: `frozen` (routed and notified like any other)
/// when the capture comes with it, else `detected` (nobody is told until
/// `freeze`).
pub async fn create(
    app: &App,
    org_id: &str,
    actor: &Actor,
    new: NewAssistHandoff,
) -> Result<Handoff, AppError> {
    let mut problems = new.ask.check();
    let mut checked = None;
    if let Some(c) = &new.capture {
        let img = check_image(&c.screenshot, c.viewport, "capture", &mut problems);
        let state = check_state(c, &mut problems);
        checked = img.map(|i| (i, state));
    }
    if let Some(t) = new.timeout_seconds {
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&t) {
            problems.push(FieldProblem::new(
                "timeout_seconds",
                format!("must be 1 to {MAX_TIMEOUT_SECONDS} (7 days)"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let ask = new.ask;
    let mut vars = serde_json::Map::new();
    for (k, v) in [
        ("agent_id", &ask.agent_id),
        ("interruption_type", &ask.interruption_type),
        ("domain", &ask.domain),
        ("url", &ask.url),
        ("input", &ask.input),
    ] {
        vars.insert(k.into(), json!(v));
    }
    let packet = Packet {
        static_text: ask.question.clone(),
        reason: Some(format!(
            "{} on {}",
            ask.interruption_type.replace('_', " "),
            ask.domain
        )),
        summary: None,
        context_vars: vars,
        transcript_ptr: None,
        transfer_to: None,
        transfer_label: None,
    };
    check_packet(&packet)?;
    let mut handoff = blank(org_id, Kind::Assist, Source::Router, packet, None);
    handoff.state = if checked.is_some() {
        State::Frozen
    } else {
        State::Detected
    };
    let hid = handoff.id.clone();
    let capture = match checked {
        Some((img, state)) => Some((
            seal_frame(app, org_id, &hid, img).await?,
            seal_state(app, org_id, &hid, state).await?,
        )),
        None => None,
    };
    let record = AssistRecord {
        handoff_id: hid.clone(),
        organization_id: org_id.to_string(),
        agent_id: ask.agent_id.clone(),
        interruption_type: ask.interruption_type.clone(),
        domain: ask.domain.clone(),
        url: ask.url.clone(),
        question: ask.question.clone(),
        input: ask.input.clone(),
        viewport: None,
        frame_seq: 0,
        frame_at: None,
        action_seq: 0,
        last_action_at: None,
        purged_at: None,
    };
    let data = json!({
        "kind": "assist",
        "agent_id": ask.agent_id,
        "interruption_type": ask.interruption_type,
        "domain": ask.domain,
        "captured": capture.is_some(),
    });
    let frozen = capture.is_some();
    let mut c = Creation::new(handoff, actor.label(), data);
    c.assist = Some(NewAssist { record, capture });
    if let Some(secs) = new.timeout_seconds {
        c.timers.push(Timer {
            id: new_id(),
            organization_id: org_id.to_string(),
            handoff_id: hid,
            kind: TIMEOUT_TIMER.into(),
            due_at: format_time(chrono::Utc::now() + chrono::Duration::seconds(secs)),
            data: None,
        });
    }
    if frozen {
        intake::create(app, c).await
    } else {
        lifecycle::create(app, c).await
    }
}

/// The assist details of a handoff of the organization (404 for another kind).
pub async fn details(app: &App, org_id: &str, id: &str) -> Result<AssistRecord, AppError> {
    app.store
        .assist(org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("assist handoff"))
}

/// The assist details of those of `ids` that are assist handoffs of the
/// organization, by handoff id (one read for a page of handoffs).
pub async fn details_of(
    app: &App,
    org_id: &str,
    ids: &[String],
) -> Result<std::collections::HashMap<String, AssistRecord>, AppError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(app
        .store
        .assists(org_id, ids)
        .await?
        .into_iter()
        .map(|r| (r.handoff_id.clone(), r))
        .collect())
}

fn refused(e: crate::domain::state::TransitionError) -> AppError {
    AppError::conflict(e.reason(), e.to_string())
}

/// `detected` → `frozen` with the capture; routing and notification start now.
pub async fn freeze(
    app: &App,
    org_id: &str,
    id: &str,
    actor: Actor,
    capture: Capture,
) -> Result<Handoff, AppError> {
    let h = get(app, org_id, id).await?;
    next(h.kind, h.state, Event::Freeze).map_err(refused)?;
    let mut problems = Vec::new();
    let img = check_image(
        &capture.screenshot,
        capture.viewport,
        "capture",
        &mut problems,
    );
    let state = check_state(&capture, &mut problems);
    let Some(img) = img.filter(|_| problems.is_empty()) else {
        return Err(invalid(problems));
    };
    let frame = seal_frame(app, org_id, id, img).await?;
    let state = seal_state(app, org_id, id, state).await?;
    app.store
        .put_assist_frame(org_id, id, &frame, Some(&state))
        .await?;
    // Routed as a creation would have been: policies, chain, first notification.
    let mut route = Creation::new(h.clone(), actor.label(), json!({ "captured": true }));
    route.handoff.state = State::Frozen;
    intake::route_new(app, &mut route).await?;
    let kick: Vec<Timer> = route
        .timers
        .iter()
        .filter(|t| t.kind == escalation::NOTIFY)
        .cloned()
        .collect();
    let mut req = Request::new(Event::Freeze, actor);
    req.data = route.data;
    let extras = Extras {
        timers: route.timers,
        ..Default::default()
    };
    let h = lifecycle::transition(app, org_id, id, req, extras).await?;
    for t in kick {
        escalation::kick(app, t);
    }
    Ok(h)
}

/// The states in which the agent posts frames: frozen and until it is solved.
pub fn takes_frames(state: State) -> bool {
    matches!(
        state,
        State::Frozen | State::Notified | State::Escalated | State::Opened | State::Solving
    )
}

/// A new frame from the agent (after it applied an action); returns its seq.
pub async fn frame(
    app: &App,
    org_id: &str,
    id: &str,
    screenshot: &str,
    viewport: Viewport,
) -> Result<i64, AppError> {
    let h = get(app, org_id, id).await?;
    if h.kind != Kind::Assist {
        return Err(AppError::conflict(
            "event_not_for_kind",
            format!("a {} handoff has no frames", h.kind.as_str()),
        ));
    }
    if !takes_frames(h.state) {
        return Err(AppError::conflict(
            "not_being_solved",
            format!(
                "the handoff is {}; frames are taken from frozen until solved",
                h.state
            ),
        ));
    }
    let mut problems = Vec::new();
    let img = check_image(screenshot, viewport, "", &mut problems);
    let Some(img) = img.filter(|_| problems.is_empty()) else {
        return Err(invalid(problems));
    };
    let frame = seal_frame(app, org_id, id, img).await?;
    let seq = app.store.put_assist_frame(org_id, id, &frame, None).await?;
    app.announce(org_id, Some(id), None);
    Ok(seq)
}

/// An operator's click, text or key: audited (never the text), stored sealed
/// for the agent. Only the operator solving the handoff may (the lease).
pub async fn act(
    app: &App,
    org_id: &str,
    id: &str,
    operator_id: &str,
    action: Action,
) -> Result<i64, AppError> {
    let h = get(app, org_id, id).await?;
    if h.kind != Kind::Assist {
        return Err(refused(crate::domain::state::TransitionError::NotForKind {
            kind: h.kind.as_str(),
            event: Event::Act,
        }));
    }
    let rec = details(app, org_id, id).await?;
    let problems = action.check(rec.viewport);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    // Checked before the audit row is written, so the trail never records an
    // action that was refused (the store checks again, for racing requests).
    let waiting = app
        .store
        .assist_actions(org_id, id, 0, PENDING_MAX)
        .await?
        .len() as i64;
    if waiting >= PENDING_MAX {
        return Err(behind());
    }
    let mut req = Request::new(Event::Act, Actor::Operator(operator_id.to_string()));
    req.data = action.audit();
    lifecycle::transition(app, org_id, id, req, Extras::default()).await?;
    let clear = serde_json::to_vec(&action).map_err(|_| AppError::internal())?;
    let sealed = seal(app, org_id, id, "action", &clear).await?;
    let seq = app
        .store
        .push_assist_action(org_id, id, &sealed, &now(), PENDING_MAX)
        .await?
        .ok_or_else(behind)?;
    app.announce(org_id, Some(id), None);
    Ok(seq)
}

fn behind() -> AppError {
    AppError::conflict(
        "agent_behind",
        format!("{PENDING_MAX} actions are waiting for the agent; wait for it to catch up"),
    )
}

/// An action from an operator's page: an operator who is not solving yet
/// takes the handoff (accept: `solving`, and the lease) with it; one whose
/// colleague's lease lapsed (`LEASE_IDLE_SECONDS` without a move) takes it over.
pub async fn operator_act(
    app: &App,
    org_id: &str,
    id: &str,
    operator_id: &str,
    action: Action,
) -> Result<i64, AppError> {
    let mut h = get(app, org_id, id).await?;
    let holder = h.assignee.clone().filter(|a| a != operator_id);
    if let (Kind::Assist, State::Solving, Some(holder)) = (h.kind, h.state, holder) {
        // Someone else holds the lease: the domain lets this operator take it
        // over only when the holder has done nothing for too long (their last
        // action, open or accept is the handoff's last change; frames are not).
        let idle = chrono::DateTime::parse_from_rfc3339(&h.updated_at)
            .map(|t| (chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_seconds())
            .unwrap_or(0);
        let mut req = Request::new(Event::Assign, Actor::Operator(operator_id.to_string()));
        req.assignee = Some(operator_id.to_string());
        req.lease_idle_seconds = Some(idle);
        req.data = json!({
            "via": "assist",
            "lease_lapsed": true,
            "from_operator": holder,
            "idle_seconds": idle,
        });
        h = lifecycle::transition(app, org_id, id, req, Extras::default()).await?;
    }
    let waiting = h.state.is_waiting() || h.state == State::Opened;
    if h.kind == Kind::Assist && waiting {
        let problems = action.check(details(app, org_id, id).await?.viewport);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let mut req = Request::new(Event::Accept, Actor::Operator(operator_id.to_string()));
        req.data = json!({ "via": "assist" });
        lifecycle::transition(app, org_id, id, req, Extras::default()).await?;
    }
    act(app, org_id, id, operator_id, action).await
}

/// One delivered action with its seq.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivered {
    pub seq: i64,
    pub action: Action,
}

/// While the agent should keep waiting for actions: the operator may still act.
pub fn awaits_actions(state: State) -> bool {
    matches!(state, State::Detected) || takes_frames(state)
}

/// Whether the agent has its answer: no more actions will come. `solved` is
/// not an answer yet: "Done" moves on to `resume_requested` in the same request.
pub fn settled(state: State) -> bool {
    !awaits_actions(state) && state != State::Solved
}

/// Actions after `after` (acknowledging, hence deleting, everything up to
/// it), with the handoff's state. Waits up to `wait` for one when there is
/// none and the handoff is still awaiting actions.
pub async fn actions(
    app: &App,
    org_id: &str,
    id: &str,
    after: i64,
    wait: Duration,
) -> Result<(Vec<Delivered>, State), AppError> {
    let h = get(app, org_id, id).await?;
    if h.kind != Kind::Assist {
        return Err(AppError::not_found("assist handoff"));
    }
    if after > 0 {
        app.store.ack_assist_actions(org_id, id, after).await?;
    }
    let mut watch = app.watch(super::wakeups::Key::Handoff(id.to_string()));
    let _open = crate::telemetry::OpenStream::new("long_poll");
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let (got, state) = pending(app, org_id, id, after).await?;
        if !got.is_empty() || settled(state) {
            return Ok((got, state));
        }
        let woke = tokio::time::timeout_at(deadline, watch.changed()).await;
        if woke.is_err() {
            return pending(app, org_id, id, after).await;
        }
    }
}

/// The actions stored after `after`, opened, and the handoff's state now.
pub async fn pending(
    app: &App,
    org_id: &str,
    id: &str,
    after: i64,
) -> Result<(Vec<Delivered>, State), AppError> {
    let h = get(app, org_id, id).await?;
    let rows = app
        .store
        .assist_actions(org_id, id, after, ACTIONS_PAGE)
        .await?;
    let label = assist_label(id, "action");
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let clear = app
            .keys
            .open_org_bytes(&app.store, org_id, &label, &r.sealed)
            .await?;
        let action = serde_json::from_slice(&clear).map_err(|_| AppError::internal())?;
        out.push(Delivered { seq: r.seq, action });
    }
    Ok((out, h.state))
}

/// "Done — resume the agent": solved by the operator, then the backend asks
/// the agent to resume at once (`resume_requested`).
pub async fn done(app: &App, org_id: &str, id: &str, actor: Actor) -> Result<Handoff, AppError> {
    let mut req = Request::new(Event::Solve, actor);
    req.data = json!({ "via": "assist" });
    lifecycle::transition(app, org_id, id, req, Extras::default()).await?;
    let req = Request::new(Event::RequestResume, Actor::System);
    lifecycle::transition(app, org_id, id, req, Extras::default()).await
}

/// Once the agent resumed (or the handoff ended), nothing more is delivered:
/// pending actions are dropped at once rather than at the purge.
pub async fn forget_actions_after(app: &App, h: &Handoff) -> Result<(), AppError> {
    let over = matches!(h.state, State::Resumed) || h.state.is_terminal();
    if h.kind == Kind::Assist && over {
        app.store
            .ack_assist_actions(&h.organization_id, &h.id, i64::MAX)
            .await?;
    }
    Ok(())
}

/// Purges the captures of assist handoffs that ended more than the configured
/// retention ago (`assist_capture_retention_hours`); returns how many.
pub async fn purge(app: &App, now_at: chrono::DateTime<chrono::Utc>) -> Result<u64, AppError> {
    let hours = app.config.assist_capture_retention_hours as i64;
    let cutoff = format_time(now_at - chrono::Duration::hours(hours));
    Ok(app
        .store
        .purge_assist_captures(&cutoff, &format_time(now_at))
        .await?)
}
