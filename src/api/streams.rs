//! Server-Sent Events for agents: a handoff's events, a conversation's
//! messages, the organization's audit stream and its trace (transitions with timings). Every event has an `id:`; a
//! client reconnecting with `Last-Event-ID` gets everything after it, in order.
//!
//! Gap-free by construction: the stream starts watching its handoff or
//! conversation (`service::wakeups`; the organization-wide streams, the bus)
//! first, then re-reads the store after the last id it sent whenever it is
//! woken. A wake-up only says "look again"; the store is the source of truth.

use super::extract::ApiAuth;
use super::views::ErrorEnvelope;
use super::views::MessageRead;
use crate::error::AppError;
use crate::service::audit;
use crate::service::caps::{key_owner, stream_slot, Slot};
use crate::service::{conversations, handoffs, parse_id, App, Notice};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

const PAGE: i64 = 100;
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What one stream follows.
#[derive(Clone)]
pub enum Topic {
    Handoff(String),
    Conversation(String),
    Audit,
    /// The audit stream as transitions with timings (`service::trace`).
    Trace,
    /// An assist handoff's newest frame (the operator's page shows it live).
    AssistFrames(String),
}

/// Whether a commit notice concerns an organization-wide stream (audit,
/// trace) of `org_id`: the streams that follow one handoff or conversation are
/// woken by their own key instead (`service::wakeups`).
fn org_wide_wants(org_id: &str, n: &Notice) -> bool {
    n.organization_id == org_id && n.handoff_id.is_some()
}

pub fn last_event_id(headers: &HeaderMap) -> Result<Option<i64>, AppError> {
    match headers.get("last-event-id") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| {
                AppError::invalid_field("Last-Event-ID", "must be an event id this stream sent")
            }),
    }
}

pub fn wants_sse(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"))
}

fn to_event(name: &str, id: i64, data: String) -> Event {
    Event::default().id(id.to_string()).event(name).data(data)
}

fn audit_event(r: crate::domain::audit::ChainedEvent) -> (i64, Event) {
    let (seq, name) = (r.event.seq, r.event.event.clone());
    (seq, to_event(&name, seq, super::views::event_json(r)))
}

/// Reads the next page after `after` as SSE events, with the id to continue
/// from. A handoff's or conversation's stream shares the read with the other
/// streams of its key that saw the same wake-up version `seen`
/// (`service::shared_reads`).
async fn page(
    app: &App,
    org_id: &str,
    topic: &Topic,
    after: i64,
    seen: u64,
) -> Result<Vec<(i64, Event)>, AppError> {
    use crate::service::shared_reads;
    Ok(match topic {
        Topic::Handoff(id) => shared_reads::events_after(app, org_id, id, after, PAGE, seen)
            .await?
            .iter()
            .cloned()
            .map(audit_event)
            .collect(),
        Topic::Audit => audit::events_after(app, org_id, None, after, PAGE)
            .await?
            .into_iter()
            .map(audit_event)
            .collect(),
        Topic::Trace => crate::service::trace::after(app, org_id, after, PAGE)
            .await?
            .into_iter()
            .map(|t| {
                let data = serde_json::to_string(&t).unwrap_or_default();
                (t.seq, to_event("transition", t.seq, data))
            })
            .collect(),
        // Only the newest frame is kept: one event when it is newer than `after`.
        Topic::AssistFrames(id) => match app.store.assist(org_id, id).await? {
            Some(r) if r.frame_seq > after && r.purged_at.is_none() => {
                let data = serde_json::json!({"frame_seq": r.frame_seq, "at": r.frame_at});
                vec![(
                    r.frame_seq,
                    to_event("frame", r.frame_seq, data.to_string()),
                )]
            }
            _ => Vec::new(),
        },
        Topic::Conversation(id) => shared_reads::messages_after(app, id, after, PAGE, seen)
            .await?
            .iter()
            .cloned()
            .map(|m| {
                let seq = m.seq;
                let data = serde_json::to_string(&MessageRead::from(m)).unwrap_or_default();
                (seq, to_event("message", seq, data))
            })
            .collect(),
    })
}

/// What wakes a stream: its handoff's or conversation's commits, or (for the
/// organization-wide streams) the organization's commits on the bus.
enum Wake {
    One(crate::service::wakeups::Watch),
    Org(tokio::sync::broadcast::Receiver<Notice>),
}

struct Cursor {
    app: App,
    org_id: String,
    topic: Topic,
    after: i64,
    buffer: VecDeque<Event>,
    wake: Wake,
    /// Re-read the store before waiting (first poll, or after a notice).
    dirty: bool,
    /// Counts the stream in `tapin_open_streams` while it lives.
    _open: crate::telemetry::OpenStream,
    /// One of its holder's `streams_per_principal`, freed when the client goes.
    _slot: Slot,
}

fn follow(
    app: App,
    org_id: String,
    topic: Topic,
    after: i64,
    slot: Slot,
) -> impl Stream<Item = Result<Event, Infallible>> {
    use crate::service::wakeups::Key;
    let wake = match &topic {
        Topic::Handoff(id) | Topic::AssistFrames(id) => {
            Wake::One(app.watch(Key::Handoff(id.clone())))
        }
        Topic::Conversation(id) => Wake::One(app.watch(Key::Conversation(id.clone()))),
        Topic::Audit | Topic::Trace => Wake::Org(app.bus.subscribe()),
    };
    let cursor = Cursor {
        app,
        org_id,
        topic,
        after,
        buffer: VecDeque::new(),
        wake,
        dirty: true,
        _open: crate::telemetry::OpenStream::new("sse"),
        _slot: slot,
    };
    stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(ev) = c.buffer.pop_front() {
                return Some((Ok(ev), c));
            }
            if c.dirty {
                let seen = match &mut c.wake {
                    Wake::One(w) => w.seen(),
                    Wake::Org(_) => 0,
                };
                // Boxed: the store read's future is large and lives only while it
                // runs; inline, every idle stream would hold its size while waiting.
                match Box::pin(page(&c.app, &c.org_id, &c.topic, c.after, seen)).await {
                    Ok(rows) if !rows.is_empty() => {
                        // A short page is everything up to the version seen:
                        // the next commit wakes the stream again.
                        c.dirty = rows.len() as i64 >= PAGE;
                        c.after = rows.last().map_or(c.after, |(id, _)| *id);
                        c.buffer.extend(rows.into_iter().map(|(_, e)| e));
                        continue;
                    }
                    Ok(_) => c.dirty = false,
                    Err(e) => {
                        tracing::error!(error = %e, "stream read failed; closing so the client reconnects");
                        return None;
                    }
                }
            }
            match &mut c.wake {
                Wake::One(w) => {
                    w.changed().await;
                    c.dirty = true;
                }
                Wake::Org(rx) => match rx.recv().await {
                    Ok(n) if org_wide_wants(&c.org_id, &n) => c.dirty = true,
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => c.dirty = true,
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    })
}

/// The stream, holding `slot` (see `caps::stream_slot`) until the client goes.
pub fn sse(app: App, org_id: String, topic: Topic, after: i64, slot: Slot) -> Response {
    Sse::new(follow(app, org_id, topic, after, slot))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

/// `GET /handoffs/{id}/events` with `Accept: text/event-stream`: from the start, or after Last-Event-ID.
pub async fn handoff_stream(
    app: App,
    key: &crate::service::keys::ApiPrincipal,
    id: String,
    headers: &HeaderMap,
) -> Result<Response, AppError> {
    let org_id = key.organization_id.clone();
    handoffs::get(&app, &org_id, &id).await?;
    let after = last_event_id(headers)?.unwrap_or(0);
    let slot = stream_slot(&app, key_owner(&key.key_id))?;
    Ok(sse(app, org_id, Topic::Handoff(id), after, slot))
}

/// `GET /conversations/{id}/events`: messages as they are appended (id = seq).
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/events",
    operation_id = "conversation_events",
    tag = "streams",
    summary = "Live messages of a conversation (SSE)",
    description = "A Server-Sent Events stream of the conversation's messages as they are appended. Each event has `id:` = the message `seq`, `event: message` and `data:` = one `MessageRead` as JSON. Without `Last-Event-ID` only new messages are sent (the history is `GET /messages`); with it, everything after that seq, then live. Keep-alive comments every 15 s.\n\nScope: `read`.",
    params(
        ("id" = String, Path, format = "uuid", description = "Conversation id (UUID)."),
        ("Last-Event-ID" = Option<i64>, Header, minimum = 0, description = "Resume after this event id (the last `id:` received)."),
    ),
    responses(
        (status = 200, description = "The event stream (never ends on its own).", content_type = "text/event-stream", body = String),
        (status = 404, description = "`not_found`: no such conversation in this organization.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `Last-Event-ID`: not an event id this stream sent (a non-negative integer).", body = ErrorEnvelope),
    )
)]
pub async fn conversation_stream(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "conversation")?;
    let conv = conversations::get(&app, &key.organization_id, &id).await?;
    // Without Last-Event-ID: only what comes next (the history is one GET away).
    let after = last_event_id(&headers)?.unwrap_or(conv.last_seq);
    let slot = stream_slot(&app, key_owner(&key.key_id))?;
    Ok(sse(
        app,
        key.organization_id,
        Topic::Conversation(id),
        after,
        slot,
    ))
}

/// `GET /audit/stream`: every audit event of the organization (id = chain seq).
#[utoipa::path(
    get,
    path = "/api/v1/audit/stream",
    operation_id = "audit_stream",
    tag = "streams",
    summary = "The organization's audit events, live (SSE)",
    description = "A Server-Sent Events stream of every audit event of the organization. Each event has `id:` = its `seq` in the organization's hash chain, `event:` = the event name (`create`, `resolve`, `decide`, …) and `data:` = one `EventRead` as JSON. Without `Last-Event-ID` only new events are sent; with it, everything after that seq, then live. Keep-alive comments every 15 s.\n\nScope: `read`.",
    params(("Last-Event-ID" = Option<i64>, Header, minimum = 0, description = "Resume after this event id (the last `id:` received).")),
    responses(
        (status = 200, description = "The event stream (never ends on its own).", content_type = "text/event-stream", body = String),
        (status = 422, description = "`bad_request` naming `Last-Event-ID`: not an event id this stream sent (a non-negative integer).", body = ErrorEnvelope),
    )
)]
pub async fn audit_stream(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    key.require("read")?;
    let after = match last_event_id(&headers)? {
        Some(id) => id,
        None => audit::head(&app, &key.organization_id).await?,
    };
    let slot = stream_slot(&app, key_owner(&key.key_id))?;
    Ok(sse(app, key.organization_id, Topic::Audit, after, slot))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TraceQuery {
    /// Start after this audit seq (`0`: from the first event). `Last-Event-ID` wins when both are sent.
    #[serde(default)]
    #[param(value_type = Option<i64>, minimum = 0)]
    after_seq: Option<String>,
}

/// `GET /audit/trace/stream`: every transition with its timings (id = chain seq).
#[utoipa::path(
    get,
    path = "/api/v1/audit/trace/stream",
    operation_id = "audit_trace_stream",
    tag = "streams",
    summary = "The organization's transitions with timings, live (SSE)",
    description = "A Server-Sent Events stream of every transition of the organization's handoffs as it commits. Each event has `id:` = its `seq` in the organization's audit chain, `event: transition` and `data:` = `{seq, event_id, handoff_id, kind, event, from, to, actor, at, ms_since_created, ms_since_previous}`: `event` is the audit event (`create`, `notify`, `open`, `decide`, `resolve`, …), `from`/`to` the states (`from` is null for `create`), `at` its time (RFC 3339), `ms_since_created` the milliseconds since the handoff's `create` event and `ms_since_previous` since the handoff's previous event (null for `create`). Starts after `Last-Event-ID` when sent (a reconnecting client), else after `after_seq`, else with the next new event. Keep-alive comments every 15 s.\n\nScope: `read`.",
    params(
        TraceQuery,
        ("Last-Event-ID" = Option<i64>, Header, minimum = 0, description = "Resume after this event id (the last `id:` received)."),
    ),
    responses(
        (status = 200, description = "The event stream (never ends on its own).", content_type = "text/event-stream", body = String),
        (status = 400, description = "`bad_request` naming an unknown query parameter.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `after_seq` or `Last-Event-ID`: not a non-negative integer.", body = ErrorEnvelope),
    )
)]
pub async fn trace_stream(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    super::extract::Query(q): super::extract::Query<TraceQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    key.require("read")?;
    let after_seq = crate::service::trace::parse_after_seq(q.after_seq.as_deref())?;
    let after = match (last_event_id(&headers)?, after_seq) {
        (Some(id), _) | (None, Some(id)) => id,
        (None, None) => audit::head(&app, &key.organization_id).await?,
    };
    let slot = stream_slot(&app, key_owner(&key.key_id))?;
    Ok(sse(app, key.organization_id, Topic::Trace, after, slot))
}
