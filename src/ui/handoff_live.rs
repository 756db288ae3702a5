//! The islands of the handoff page that follow the handoff live.
//!
//! `HandoffLive` wraps the page: it holds the lifecycle state, the assignee,
//! the decision and the messages that arrive after the page was rendered in
//! signals, follows the handoff's two event streams, and provides them as
//! context to the islands nested in its (server-rendered) children.
//! Everything else on the page stays HTML, the transcript so far included:
//! the islands only append to it.

use super::handoff_data::{handoff_data, HandoffData};
use super::post::post;
use super::types::Line;
use crate::domain::state::next;
use crate::domain::{Event, Kind, State};
use leptos::prelude::*;

/// The handoff as the page knows it now, shared by the page's islands.
#[derive(Clone, Copy)]
pub struct LiveHandoff {
    pub kind: Kind,
    pub state: RwSignal<String>,
    pub assignee: RwSignal<Option<String>>,
    pub decision: RwSignal<Option<String>>,
    pub decided_by: RwSignal<Option<String>>,
    /// Messages after the server-rendered transcript, in seq order.
    pub lines: RwSignal<Vec<Line>>,
    /// The seq of the last message the server rendered.
    pub shown_up_to: i64,
    pub celebrate: RwSignal<bool>,
    pub operator_id: StoredValue<String>,
    /// Votes and decisions heard on the stream (a quorum's count reloads on each).
    pub votes: RwSignal<u32>,
}

impl LiveHandoff {
    fn new(init: &HandoffData) -> Self {
        LiveHandoff {
            kind: Kind::parse(&init.kind).unwrap_or(Kind::Takeover),
            state: RwSignal::new(init.state.clone()),
            assignee: RwSignal::new(init.assignee.clone()),
            decision: RwSignal::new(init.decision.clone()),
            decided_by: RwSignal::new(init.decided_by.clone()),
            lines: RwSignal::new(Vec::new()),
            shown_up_to: init.last_message_seq,
            celebrate: RwSignal::new(false),
            operator_id: StoredValue::new(init.operator_id.clone()),
            votes: RwSignal::new(0),
        }
    }

    /// Adds a message (from the stream or just sent) unless the page shows it already.
    pub fn add_line(&self, line: Line) {
        if line.seq > self.shown_up_to {
            self.lines.update(|l| super::chat::merge(l, line));
        }
    }

    /// A state from a call's answer: applied unless the live stream already
    /// moved the page past it (the answer and the stream's events race).
    pub fn advance(&self, to: String) {
        let later = State::parse(&to).is_some_and(|t| t.stage() >= self.parsed_untracked().stage());
        if later && to != self.state.get_untracked() {
            self.state.set(to);
        }
    }

    fn parsed_untracked(&self) -> State {
        State::parse(&self.state.get_untracked()).unwrap_or(State::Created)
    }

    pub fn parsed(&self) -> State {
        State::parse(&self.state.get()).unwrap_or(State::Created)
    }

    /// Whether this operator holds the handoff.
    pub fn mine(&self) -> bool {
        self.assignee.get().as_deref() == Some(self.operator_id.get_value().as_str())
    }

    /// Someone else is working on it.
    pub fn taken(&self) -> bool {
        self.parsed() == State::Solving && !self.mine()
    }

    /// Whether this operator may write to the customer now (the domain's rule).
    pub fn can_write(&self) -> bool {
        crate::domain::lifecycle::operator_writes(self.parsed(), self.mine())
    }

    /// The word the pill shows.
    pub fn status(&self) -> String {
        match self.kind {
            Kind::Takeover => crate::domain::state::takeover_status(self.parsed()).to_string(),
            Kind::Approval => {
                crate::domain::approval::status(self.parsed(), self.decision.get().as_deref())
                    .to_string()
            }
            _ => self.state.get(),
        }
    }
}

/// The page's shared live state; nested islands read it with `live()`.
/// Like every island of the handoff page it takes no props: it starts from
/// the page's `HandoffData` (`super::handoff_data`).
#[island]
pub fn HandoffLive(children: Children) -> impl IntoView {
    super::hydrated::island_ready();
    let init = handoff_data();
    let live = LiveHandoff::new(&init);
    provide_context(live);
    #[cfg(feature = "hydrate")]
    {
        let id = init.id.clone();
        let after_event = init.last_event_seq;
        let after_message = init.last_message_seq;
        Effect::new(move |_| {
            let url = format!("/m/{id}/live/events?after={after_event}");
            super::live::follow(&url, &super::live::EVENT_NAMES, move |_, data| {
                if let Some(e) = LiveEvent::read(&data) {
                    apply_event(e, live);
                }
            });
            let url = format!("/m/{id}/live/messages?after={after_message}");
            super::live::follow(&url, &["message"], move |_, data| {
                if let Some(line) = <Line as super::json::FromJson>::from_text(&data) {
                    live.add_line(line);
                }
            });
        });
    }
    children()
}

/// The handoff page's live state (inside `HandoffLive`).
pub fn live() -> LiveHandoff {
    expect_context::<LiveHandoff>()
}

/// What the page reads of a lifecycle event on its stream.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, PartialEq)]
struct LiveEvent {
    event: String,
    actor: String,
    to_state: Option<String>,
    assignee: Option<String>,
    decision: Option<String>,
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl LiveEvent {
    fn read(text: &str) -> Option<LiveEvent> {
        let j = super::json::Json::parse(text)?;
        let data = j.get("data");
        let of_data = |key: &str| data.as_ref().and_then(|d| d.str_of(key));
        Some(LiveEvent {
            event: j.str_of("event").unwrap_or_default(),
            actor: j.str_of("actor").unwrap_or_default(),
            to_state: j.str_of("to_state"),
            assignee: of_data("assignee"),
            decision: of_data("decision"),
        })
    }
}

/// Applies one live lifecycle event to the page's signals.
#[cfg(feature = "hydrate")]
fn apply_event(e: LiveEvent, live: LiveHandoff) {
    match e.event.as_str() {
        "open" | "accept" => {
            if let Some(op) = e.actor.strip_prefix("operator:") {
                live.assignee.set(Some(op.to_string()));
            } else if let Some(a) = e.assignee {
                live.assignee.set(Some(a));
            }
        }
        "assign" => live.assignee.set(e.assignee),
        "decide" => {
            live.decision.set(e.decision);
            live.decided_by.set(Some(e.actor));
            live.votes.update(|n| *n += 1);
        }
        "vote" => live.votes.update(|n| *n += 1),
        _ => {}
    }
    if let Some(to) = e.to_state {
        if to == "resumed" && live.state.get_untracked() != "resumed" {
            live.celebrate.set(true);
        }
        live.state.set(to);
    }
}

#[island]
pub fn StatusPill() -> impl IntoView {
    super::hydrated::island_ready();
    let live = live();
    view! { <span class="pill" data-testid="live-status">{move || live.status()}</span> }
}

// The islands below avoid `<Show>`, `Action` and `into_any`: each of those
// instantiates generic machinery (type-erased views, children functions, an
// action's signals) per use in the page's WASM. A reactive `Option` of a view
// and `spawn_local` do the same here for less code.

#[island]
pub fn TakenNotice() -> impl IntoView {
    super::hydrated::island_ready();
    let live = live();
    view! {
        {move || live.taken().then(|| view! {
            <p class="notice" role="status" data-testid="taken">"Another operator has accepted this handoff and is working on it."</p>
        })}
    }
}

/// Accept, resolve, hand back: buttons of a plain form (it posts before and
/// without WASM, and the server sends the browser back to the page), sent
/// with `fetch` once the island is live.
#[island]
pub fn TakeoverActions() -> impl IntoView {
    super::hydrated::island_ready();
    let live = live();
    let handoff_id = handoff_data().id;
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let id = StoredValue::new(handoff_id);
    let step = move |ev: leptos::ev::MouseEvent, step: &'static str| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            let id = id.get_value();
            let result = post::<String>("/fn/handoff_step", &[("id", &id), ("step", step)]).await;
            pending.set(false);
            match result {
                Ok(new_state) => {
                    error.set(None);
                    if step == "accept" {
                        live.assignee.set(Some(live.operator_id.get_value()));
                    }
                    live.advance(new_state);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let allowed = move |event: Event| {
        State::parse(&live.state.get()).is_some_and(|s| next(Kind::Takeover, s, event).is_ok())
            && !live.taken()
    };
    let finished = move || State::parse(&live.state.get()).is_some_and(|s| !s.is_open());
    view! {
        {move || finished().then(|| view! {
            <p class="notice" role="status" data-testid="finished">
                {match live.state.get().as_str() {
                    "completed" => "Done: the handoff is resolved or handed back to the bot.",
                    "expired" => "Expired: nobody picked it up in time.",
                    _ => "Closed: the agent withdrew the request.",
                }}
            </p>
        })}
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <form method="post" action="/fn/handoff_step" class="actions sticky">
            <input type="hidden" name="id" value=id.get_value()/>
            {move || (allowed(Event::Accept) && live.parsed() != State::Solving).then(|| view! {
                <button type="submit" name="step" value="accept" class="primary" disabled=move || pending.get()
                    on:click=move |ev| step(ev, "accept")>"Accept"</button>
            })}
            {move || allowed(Event::Resolve).then(|| view! {
                <button type="submit" name="step" value="hand_back" class="secondary" disabled=move || pending.get()
                    on:click=move |ev| step(ev, "hand_back")>"Hand back to bot"</button>
                <button type="submit" name="step" value="resolve" class="primary" disabled=move || pending.get()
                    on:click=move |ev| step(ev, "resolve")>"Resolve"</button>
            })}
        </form>
    }
}

/// The messages that arrive after the page was rendered, under the
/// server-rendered transcript of a handoff the operator does not write in
/// (approvals).
#[island]
pub fn NewLines() -> impl IntoView {
    super::hydrated::island_ready();
    let empty = handoff_data().no_messages;
    let lines = live().lines;
    view! {
        {move || (empty && lines.with(Vec::is_empty)).then(|| view! { <p class="fine">"No messages."</p> })}
        <ol class="live" aria-live="polite">
            {move || lines.get().into_iter().map(line_item).collect_view()}
        </ol>
    }
}

/// One message as the transcript shows it (the server's list and the islands' alike).
pub fn line_item(l: Line) -> impl IntoView {
    let class = format!("msg {}", l.author);
    view! {
        <li class=class data-seq=l.seq>
            <span class="author">{l.author}</span>
            <p>{l.content}</p>
        </li>
    }
}

/// A little joy when the agent resumes.
#[island]
pub fn Celebrate() -> impl IntoView {
    super::hydrated::island_ready();
    let celebrate = live().celebrate;
    view! {
        {move || celebrate.get().then(|| view! {
            <div class="confetti" aria-hidden="true">
                // Positions come from style/main.css (nth-child): the CSP allows no inline styles.
                {(0..24).map(|_| view! { <i></i> }).collect_view()}
            </div>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::LiveEvent;

    #[test]
    fn a_stream_event_reads_its_state_and_people() {
        let text = r#"{"seq": 9, "event": "assign", "actor": "operator:op-1", "to_state": null,
            "data": {"assignee": "op-2", "via": "desk"}}"#;
        let e = LiveEvent::read(text).expect("an event");
        assert_eq!(e.event, "assign");
        assert_eq!(e.actor, "operator:op-1");
        assert_eq!(e.to_state, None);
        assert_eq!(e.assignee.as_deref(), Some("op-2"));
        let decided = LiveEvent::read(
            r#"{"event": "decide", "to_state": "solved", "data": {"decision": "denied"}}"#,
        )
        .expect("an event");
        assert_eq!(
            (decided.to_state.as_deref(), decided.decision.as_deref()),
            (Some("solved"), Some("denied"))
        );
        assert_eq!(LiveEvent::read("not json"), None);
    }
}
