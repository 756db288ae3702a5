//! `/m/:id`: the page an operator opens from a notification on a phone.
//! Server-rendered in full (readable before WASM arrives), then hydrated.

use super::actions::handoff_step;
use super::approval::ApprovalPanel;
use super::chat::Chat;
#[cfg(feature = "hydrate")]
use super::live;
use super::preload::page_data;
use super::screen::load_mobile_screen;
use super::title::PageTitle;
use super::types::{HandoffCard, Line, MobileScreen, MobileView};
use crate::domain::link::LinkProblem;
use crate::domain::state::next;
use crate::domain::{Event, Kind, State};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MobilePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let screen = page_data(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                query.read().get("t"),
                query.read().get("problem"),
            )
        },
        |(id, t, p)| load_mobile_screen(id, t, p),
    );
    view! {
        <main class="mobile">
            {move || match screen.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(s)) => render(s).into_any(),
                Some(Err(e)) => view! {
                    <Notice title="Something went wrong".to_string() body=e.message/>
                }.into_any(),
            }}
        </main>
    }
}

fn render(screen: MobileScreen) -> impl IntoView {
    match screen {
        MobileScreen::Confirm { handoff_id, token, kind, operator_name, seconds_left } => view! {
            <Confirm handoff_id token kind operator_name seconds_left/>
        }
        .into_any(),
        MobileScreen::Problem(p) => view! { <Problem problem=p/> }.into_any(),
        MobileScreen::SignIn => view! {
            <Notice
                title="Open this from your notification".to_string()
                body="This page needs the signed link tapin sent you. Tap the link in the notification, message or email again.".to_string()
            />
            <p class="notice"><a href="/login?next=/inbox">"Sign in"</a></p>
        }
        .into_any(),
        MobileScreen::NotFound => view! {
            <Notice
                title="Handoff not found".to_string()
                body="It does not exist or belongs to another organization.".to_string()
            />
        }
        .into_any(),
        MobileScreen::Handoff(v) => view! { <HandoffView view=*v/> }.into_any(),
    }
}

#[component]
fn Notice(title: String, body: String) -> impl IntoView {
    view! {
        <PageTitle text=title.clone()/>
        <section class="notice" role="status">
            <h1>{title}</h1>
            <p>{body}</p>
        </section>
    }
}

#[component]
fn Problem(problem: LinkProblem) -> impl IntoView {
    let kind = match &problem {
        LinkProblem::Used => "used",
        LinkProblem::Expired => "expired",
        LinkProblem::Tampered => "tampered",
        LinkProblem::Foreign => "foreign",
        LinkProblem::Finished { .. } => "finished",
        LinkProblem::Taken => "taken",
    };
    view! {
        <PageTitle text=problem.title()/>
        <section class="notice problem" data-problem=kind role="alert">
            <h1>{problem.title()}</h1>
            <p>{problem.advice()}</p>
        </section>
    }
}

#[component]
fn Confirm(
    handoff_id: String,
    token: String,
    kind: String,
    operator_name: String,
    seconds_left: i64,
) -> impl IntoView {
    let minutes = (seconds_left + 59) / 60;
    let validity = if seconds_left < 120 {
        format!("This link works once and expires in {seconds_left} seconds.")
    } else {
        format!("This link works once and expires in {minutes} minutes.")
    };
    view! {
        <PageTitle text="Open handoff"/>
        <section class="confirm">
            <p class="eyebrow">{format!("{kind} handoff")}</p>
            <h1>{format!("{operator_name}, a person is needed")}</h1>
            <p>{validity}</p>
            <form method="post" action=format!("/m/{handoff_id}/open")>
                <input type="hidden" name="t" value=token/>
                <button type="submit" class="primary">"Open handoff"</button>
            </form>
            <p class="fine">"Opening marks the handoff as yours. Link previews in chat apps do not open it."</p>
        </section>
    }
}

#[component]
fn HandoffView(view: MobileView) -> impl IntoView {
    let MobileView {
        card,
        transcript,
        operator_name,
        operator_id,
        approval,
        last_event_seq,
        timeline,
        link_only,
    } = view;
    let kind = Kind::parse(&card.kind).unwrap_or(Kind::Takeover);
    let state = RwSignal::new(card.state.clone());
    let assignee = RwSignal::new(card.assignee.clone());
    let decision = RwSignal::new(approval.as_ref().and_then(|a| a.decision.clone()));
    let decided_by = RwSignal::new(approval.as_ref().and_then(|a| a.decided_by.clone()));
    let last_seq = transcript.last().map_or(0, |l| l.seq);
    let lines = RwSignal::new(transcript);
    let celebrate = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let id = card.id.clone();
        Effect::new(move |_| {
            let url = format!("/m/{id}/live/events?after={last_event_seq}");
            live::follow(&url, &live::EVENT_NAMES, move |_, data| {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&data) else {
                    return;
                };
                apply_event(&v, state, assignee, decision, decided_by, celebrate);
            });
            let url = format!("/m/{id}/live/messages?after={last_seq}");
            live::follow(&url, &["message"], move |_, data| {
                if let Ok(line) = serde_json::from_str::<super::types::Line>(&data) {
                    lines.update(|l| super::chat::merge(l, line));
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (last_event_seq, last_seq);

    let me = operator_id.clone();
    let mine = Signal::derive(move || assignee.get().as_deref() == Some(me.as_str()));
    let parsed = move || State::parse(&state.get()).unwrap_or(State::Created);
    let status = move || match kind {
        Kind::Takeover => crate::domain::state::takeover_status(parsed()).to_string(),
        Kind::Approval => {
            crate::domain::approval::status(parsed(), decision.get().as_deref()).to_string()
        }
        _ => state.get(),
    };
    let taken = Signal::derive(move || parsed() == State::Solving && !mine.get());
    let can_write =
        Signal::derive(move || crate::domain::lifecycle::operator_writes(parsed(), mine.get()));
    let up_to_seq = card.up_to_seq;
    let id = card.id.clone();
    view! {
        <PageTitle text=format!("Handoff: {}", card.static_text)/>
        <header class="bar">
            <a class="brand" href="/inbox" title="Back to the inbox">"tapin"</a>
            <span class="pill" data-testid="live-status">{status}</span>
            <span class="who">{operator_name}</span>
            {link_only.then(|| view! { <a href="/login?next=/inbox" data-testid="sign-in-for-more">"Sign in for more"</a> })}
        </header>
        <Show when=move || taken.get()>
            <p class="notice" role="status" data-testid="taken">"Another operator has accepted this handoff and is working on it."</p>
        </Show>
        // An approval's own card already says what the packet says.
        // `into_any` at each block keeps the page's view type shallow enough for release builds.
        {(kind != Kind::Approval).then(|| view! { <PacketCard card/> }.into_any())}
        {approval.map(|a| view! {
            <ApprovalPanel handoff_id=id.clone() card=a operator_id=operator_id.clone() state decision decided_by/>
        }.into_any())}
        {(kind == Kind::Takeover).then(|| view! {
            <TakeoverActions handoff_id=id.clone() state assignee operator_id=operator_id.clone() taken/>
            <Chat handoff_id=id.clone() lines up_to_seq can_write/>
        }.into_any())}
        {(kind != Kind::Takeover).then(|| view! { <Transcript lines/> }.into_any())}
        <Timeline rows=timeline/>
        <Show when=move || celebrate.get()>
            <div class="confetti" aria-hidden="true">
                // Positions come from style/main.css (nth-child): the CSP allows no inline styles.
                {(0..24).map(|_| view! { <i></i> }).collect_view()}
            </div>
        </Show>
    }
}

/// Events and notifications so far, collapsed: the operator came to act.
#[component]
fn Timeline(rows: Vec<super::types::TimelineRow>) -> impl IntoView {
    view! {
        <details class="timeline" data-testid="timeline">
            <summary>{format!("Timeline ({})", rows.len())}</summary>
            <ol>
                {rows.into_iter().map(|r| {
                    let at = r.at.get(11..19).unwrap_or_default().to_string();
                    view! {
                        <li data-outcome=r.outcome.clone()>
                            <time datetime=r.at.clone()>{at}</time>" "
                            <strong>{r.what}</strong>
                            {(!r.outcome.is_empty()).then(|| view! { <span class="pill">{r.outcome.clone()}</span> })}
                            {(!r.detail.is_empty()).then(|| view! { <span class="fine">" "{r.detail.clone()}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    }
    .into_any()
}

/// Applies one live lifecycle event to the page's signals.
#[cfg(feature = "hydrate")]
fn apply_event(
    v: &serde_json::Value,
    state: RwSignal<String>,
    assignee: RwSignal<Option<String>>,
    decision: RwSignal<Option<String>>,
    decided_by: RwSignal<Option<String>>,
    celebrate: RwSignal<bool>,
) {
    let actor = v["actor"].as_str().unwrap_or("");
    match v["event"].as_str() {
        Some("open" | "accept") => {
            if let Some(op) = actor.strip_prefix("operator:") {
                assignee.set(Some(op.to_string()));
            } else if let Some(a) = v["data"]["assignee"].as_str() {
                assignee.set(Some(a.to_string()));
            }
        }
        Some("assign") => assignee.set(v["data"]["assignee"].as_str().map(str::to_string)),
        Some("decide") => {
            decision.set(v["data"]["decision"].as_str().map(str::to_string));
            decided_by.set(Some(actor.to_string()));
        }
        _ => {}
    }
    if let Some(to) = v["to_state"].as_str() {
        if to == "resumed" && state.get_untracked() != "resumed" {
            celebrate.set(true);
        }
        state.set(to.to_string());
    }
}

#[component]
fn TakeoverActions(
    handoff_id: String,
    state: RwSignal<String>,
    assignee: RwSignal<Option<String>>,
    operator_id: String,
    taken: Signal<bool>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let me = operator_id.clone();
    let step = Action::new(move |step: &&'static str| {
        let (id, step) = (handoff_id.clone(), *step);
        async move { handoff_step(id, step.to_string()).await.map(|s| (step, s)) }
    });
    Effect::new(move |_| match step.value().get() {
        Some(Ok((name, new_state))) => {
            error.set(None);
            if name == "accept" {
                assignee.set(Some(me.clone()));
            }
            state.set(new_state);
        }
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let allowed = move |event: Event| {
        State::parse(&state.get()).is_some_and(|s| next(Kind::Takeover, s, event).is_ok())
            && !taken.get()
    };
    let finished = move || State::parse(&state.get()).is_some_and(|s| !s.is_open());
    view! {
        <Show when=finished>
            <p class="notice" role="status" data-testid="finished">
                {move || match state.get().as_str() {
                    "completed" => "Done: the handoff is resolved or handed back to the bot.",
                    "expired" => "Expired: nobody picked it up in time.",
                    _ => "Closed: the agent withdrew the request.",
                }}
            </p>
        </Show>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <div class="actions sticky">
            <Show when=move || allowed(Event::Accept) && State::parse(&state.get()) != Some(State::Solving)>
                <button type="button" class="primary" disabled=move || step.pending().get()
                    on:click=move |_| { step.dispatch("accept"); }>"Accept"</button>
            </Show>
            <Show when=move || allowed(Event::Resolve)>
                <button type="button" class="secondary" disabled=move || step.pending().get()
                    on:click=move |_| { step.dispatch("hand_back"); }>"Hand back to bot"</button>
                <button type="button" class="primary" disabled=move || step.pending().get()
                    on:click=move |_| { step.dispatch("resolve"); }>"Resolve"</button>
            </Show>
        </div>
    }
}

#[component]
fn PacketCard(card: HandoffCard) -> impl IntoView {
    let (raw_open, set_raw_open) = signal(false);
    let packet_json = card.packet_json.clone();
    let vars = card.context_vars.clone();
    view! {
        <article class="card" data-state=card.state.clone() aria-labelledby="static-text">
            <div class="meta">
                <span class="kind">{card.kind.clone()}</span>
                {card.transfer_label.clone().map(|t| view! { <span class="kind">{format!("→ {t}")}</span> })}
            </div>
            <h1 id="static-text" class="static-text">{card.static_text.clone()}</h1>
            {card.reason.clone().map(|r| view! {
                <section><h2>"Why"</h2><p class="reason">{r}</p></section>
            })}
            {card.summary.clone().map(|s| view! {
                <section><h2>"Summary"</h2><p class="summary">{s}</p></section>
            })}
            {(!vars.is_empty()).then(|| view! {
                <section>
                    <h2>"Context"</h2>
                    <dl class="vars">
                        {vars.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                </section>
            })}
            <button
                type="button"
                class="secondary"
                aria-expanded=move || raw_open.get().to_string()
                aria-controls="raw-packet"
                on:click=move |_| set_raw_open.update(|o| *o = !*o)
            >
                {move || if raw_open.get() { "Hide raw packet" } else { "Show raw packet" }}
            </button>
            <Show when=move || raw_open.get()>
                <pre id="raw-packet" class="raw">{packet_json.clone()}</pre>
            </Show>
        </article>
    }
}

#[component]
fn Transcript(lines: RwSignal<Vec<Line>>) -> impl IntoView {
    view! {
        <section class="transcript" aria-label="Conversation so far">
            <h2>"Conversation"</h2>
            <Show when=move || lines.with(|l| l.is_empty())>
                <p class="fine">"No messages."</p>
            </Show>
            <ol>
                <For each=move || lines.get() key=|l| l.seq let:l>
                    <li class=format!("msg {}", l.author) data-seq=l.seq>
                        <span class="author">{l.author.clone()}</span>
                        <p>{l.content.clone()}</p>
                    </li>
                </For>
            </ol>
        </section>
    }
}
