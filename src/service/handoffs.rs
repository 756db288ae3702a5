//! Handoff use cases: create a takeover, read, list, and the takeover steps
//! (assign, accept, relay, resolve, hand back, cancel).

use super::lifecycle::{self, Creation, Extras};
use super::{conversations, new_id, now, App};
use crate::domain::lifecycle::{may_relay, RelayRefusal, Request};
use crate::domain::limits::{too_long, REASON_MAX};
use crate::domain::records::Message;
use crate::domain::state::{states_for_takeover_status, Kind, State};
use crate::domain::{Actor, Event, Handoff, Packet, Source, TranscriptPtr};
use crate::error::{AppError, FieldError};
use crate::store::HandoffQuery;

pub const PAGE_DEFAULT: i64 = 50;
pub const PAGE_MAX: i64 = 200;
pub const PRIORITIES: [&str; 4] = ["low", "medium", "high", "urgent"];

/// A fresh handoff in state `created`; callers fill in what their kind needs.
pub fn blank(
    org_id: &str,
    kind: Kind,
    source: Source,
    packet: Packet,
    conversation_id: Option<String>,
) -> Handoff {
    Handoff::new(
        new_id(),
        &now(),
        org_id,
        kind,
        source,
        packet,
        conversation_id,
    )
}

pub fn check_packet(packet: &Packet) -> Result<(), AppError> {
    let problems = packet.validate("packet");
    if problems.is_empty() {
        return Ok(());
    }
    Err(AppError::invalid(
        problems
            .into_iter()
            .map(|p| FieldError {
                field: p.field,
                message: p.message,
            })
            .collect(),
    ))
}

/// A validated request to create a handoff (parsed at the edge).
pub struct NewTakeover {
    pub conversation_id: String,
    pub source: Source,
    pub packet: Packet,
}

pub async fn create_takeover(
    app: &App,
    org_id: &str,
    actor: &Actor,
    new: NewTakeover,
) -> Result<Handoff, AppError> {
    check_packet(&new.packet)?;
    let conv = conversations::named(app, org_id, &new.conversation_id).await?;
    let mut packet = new.packet;
    // The pointer is enriched by the server at record time (seed 000): the
    // highest seq the agent had seen, or null for an empty thread.
    packet.transcript_ptr = Some(TranscriptPtr {
        conversation_id: conv.id.clone(),
        up_to_seq: (conv.last_seq > 0).then_some(conv.last_seq),
    });
    let handoff = blank(
        org_id,
        Kind::Takeover,
        new.source,
        packet,
        Some(conv.id.clone()),
    );
    let data = serde_json::json!({
        "kind": "takeover",
        "source": new.source.as_str(),
        "conversation_id": conv.id,
    });
    let mut c = Creation::new(handoff, actor.label(), data);
    c.conversation_status = Some("waiting_for_human");
    super::intake::create(app, c).await
}

pub async fn get(app: &App, org_id: &str, id: &str) -> Result<Handoff, AppError> {
    find(app, org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("handoff"))
}

pub async fn find(app: &App, org_id: &str, id: &str) -> Result<Option<Handoff>, AppError> {
    Ok(app.store.handoff(org_id, id).await?)
}

/// Every handoff matching `q` up to its own limit (the inbox shows all open ones).
pub async fn query(app: &App, org_id: &str, q: &HandoffQuery) -> Result<Vec<Handoff>, AppError> {
    Ok(app.store.handoffs(org_id, q).await?)
}

/// `status` accepts a lifecycle state (`opened`) or a takeover status (`requested`).
pub fn parse_status_filter(
    status: &str,
    kind: Option<Kind>,
) -> Result<(Vec<State>, Option<Kind>), AppError> {
    if let Some(s) = State::parse(status) {
        return Ok((vec![s], kind));
    }
    let Some(states) = states_for_takeover_status(status) else {
        return Err(AppError::invalid_field(
            "status",
            "use a takeover status (requested, assigned, accepted, resolved, cancelled) or a lifecycle state",
        ));
    };
    // Seed 000's status words describe takeovers: `?status=requested` lists
    // takeovers only, as the seed's operators expect.
    match kind {
        None | Some(Kind::Takeover) => Ok((states, Some(Kind::Takeover))),
        Some(other) => Err(AppError::invalid_field(
            "status",
            format!(
                "`{status}` is a takeover status; for {} handoffs use a lifecycle state",
                other.as_str()
            ),
        )),
    }
}

/// Longest search text: a phrase, not a document (LIKE scans stay cheap).
pub const SEARCH_MAX: usize = 100;

/// Search text as typed: blank is no search; past `SEARCH_MAX` characters a
/// 422 naming `field`.
pub fn search_text(field: &str, q: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > SEARCH_MAX {
        return Err(AppError::invalid_field(
            field,
            format!("search at most {SEARCH_MAX} characters"),
        ));
    }
    Ok(Some(q.to_string()))
}

pub async fn list(app: &App, org_id: &str, mut q: HandoffQuery) -> Result<Vec<Handoff>, AppError> {
    q.limit = if q.limit <= 0 {
        PAGE_DEFAULT
    } else {
        q.limit.min(PAGE_MAX)
    };
    Ok(app.store.handoffs(org_id, &q).await?)
}

/// One takeover step by an agent or operator: resolve, hand back, cancel, accept.
/// A step the agent reports with an optional reason (cancel, hand back,
/// resume, complete, fail), recorded in the audit trail.
pub async fn step_with_reason(
    app: &App,
    org_id: &str,
    id: &str,
    event: Event,
    actor: Actor,
    reason: Option<String>,
) -> Result<Handoff, AppError> {
    too_long("reason", reason.as_deref(), REASON_MAX)?;
    let h = step(
        app,
        org_id,
        id,
        event,
        actor,
        serde_json::json!({ "reason": reason }),
    )
    .await?;
    super::assist::forget_actions_after(app, &h).await?;
    Ok(h)
}

pub async fn step(
    app: &App,
    org_id: &str,
    id: &str,
    event: Event,
    actor: Actor,
    data: serde_json::Value,
) -> Result<Handoff, AppError> {
    let mut req = Request::new(event, actor);
    req.data = data;
    lifecycle::transition(app, org_id, id, req, Extras::default()).await
}

pub async fn resolve(app: &App, org_id: &str, id: &str, actor: Actor) -> Result<Handoff, AppError> {
    step(
        app,
        org_id,
        id,
        Event::Resolve,
        actor,
        serde_json::json!({}),
    )
    .await
}

/// Assigns (or, with `accept`, assigns and accepts) to an operator of the organization.
/// The active operator of this organization that `who` (an id or an email)
/// names; a 422 naming `assignee` otherwise.
pub async fn assignee_named(
    app: &App,
    org_id: &str,
    who: &str,
) -> Result<crate::domain::records::Operator, AppError> {
    operator_named(app, org_id, who, "assignee").await
}

/// Seed 004's quickstart: a handoff created with an assignee is given to that
/// operator, and the agent gets the operator's signed single-use link to pass
/// on. The audit row of the assignment names the key the link was issued to.
pub async fn assign_with_link(
    app: &App,
    org_id: &str,
    id: &str,
    actor: Actor,
    operator: &crate::domain::records::Operator,
) -> Result<(Handoff, String), AppError> {
    let mut req = Request::new(Event::Assign, actor.clone());
    req.assignee = Some(operator.id.clone());
    req.data = serde_json::json!({ "assignee": operator.id, "link_issued_to": actor.label() });
    let h = lifecycle::transition(app, org_id, id, req, Extras::default()).await?;
    let url = super::links::sign(app, &h.id, &operator.id, app.config.link_ttl_seconds)?;
    Ok((h, url))
}

/// `accept` (seed 004's `solving`): for `assignee` when given (assigned and
/// accepted in one step), else for whoever the actor is.
pub async fn accept(
    app: &App,
    org_id: &str,
    id: &str,
    actor: Actor,
    assignee: Option<&str>,
) -> Result<Handoff, AppError> {
    match assignee {
        Some(who) => assign(app, org_id, id, actor, who, true).await,
        None => step(app, org_id, id, Event::Accept, actor, serde_json::json!({})).await,
    }
}

pub async fn assign(
    app: &App,
    org_id: &str,
    id: &str,
    actor: Actor,
    operator: &str,
    accept: bool,
) -> Result<Handoff, AppError> {
    // The handoff first: an unknown handoff is a 404 whatever the body says.
    get(app, org_id, id).await?;
    let op = assignee_named(app, org_id, operator).await?;
    let mut req = Request::new(if accept { Event::Accept } else { Event::Assign }, actor);
    req.assignee = Some(op.id.clone());
    req.data = serde_json::json!({ "assignee": op.id });
    lifecycle::transition(app, org_id, id, req, Extras::default()).await
}

/// The active operator of the organization with this id or email; a 422
/// naming `field` otherwise.
pub async fn operator_named(
    app: &App,
    org_id: &str,
    operator: &str,
    field: &str,
) -> Result<crate::domain::records::Operator, AppError> {
    match app.store.operator_by_id(operator).await? {
        Some(op) => Some(op),
        None => {
            app.store
                .operator_by_email(org_id, &operator.trim().to_lowercase())
                .await?
        }
    }
    .filter(|o| o.organization_id == org_id && o.active)
    .ok_or_else(|| {
        AppError::invalid_field(
            field,
            "no active operator with that id or email in this organization",
        )
    })
}

/// An operator's message relayed into the handoff's conversation.
pub async fn relay(
    app: &App,
    org_id: &str,
    id: &str,
    content: &str,
    client_ref: Option<&str>,
    actor: &Actor,
) -> Result<Message, AppError> {
    let h = get(app, org_id, id).await?;
    may_relay(&h, actor).map_err(|e| {
        let reason = match e {
            RelayRefusal::NotAccepted => "taken",
            RelayRefusal::Finished(_) => "handoff_finished",
        };
        AppError::conflict(reason, e.to_string())
    })?;
    let cid = h
        .conversation_id
        .ok_or_else(|| AppError::conflict("no_conversation", "this handoff has no conversation"))?;
    conversations::post_message_ref(app, org_id, &cid, "operator", content, client_ref).await
}

/// A handoff by id in whatever organization it is (the CLI's `tapin link`).
pub async fn find_any_org(app: &App, id: &str) -> Result<Option<Handoff>, AppError> {
    Ok(app.store.handoff_any_org(id).await?)
}

/// Every notification a handoff of the organization caused, oldest first.
pub async fn notifications(
    app: &App,
    org_id: &str,
    id: &str,
) -> Result<Vec<crate::domain::records::NotificationRecord>, AppError> {
    get(app, org_id, id).await?;
    super::channels::sent(app, org_id, id).await
}

/// Long-poll: returns once the handoff is no longer open (decided, resolved,
/// expired, cancelled…), or after `timeout` with it as it is. Woken by the
/// bus that every committed change of the handoff notifies: no polling.
pub async fn wait(
    app: &App,
    org_id: &str,
    id: &str,
    timeout: std::time::Duration,
) -> Result<Handoff, AppError> {
    // Watch before reading, so a change between the read and the wait is not missed.
    let mut watch = app.watch(super::wakeups::Key::Handoff(id.to_string()));
    let _open = crate::telemetry::OpenStream::new("long_poll");
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let h = get(app, org_id, id).await?;
        if !h.state.is_open() {
            return Ok(h);
        }
        let woke = tokio::time::timeout_at(deadline, watch.changed()).await;
        if woke.is_err() {
            return get(app, org_id, id).await;
        }
    }
}
