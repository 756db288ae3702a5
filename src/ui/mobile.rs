//! `/m/:id`: the page an operator opens from a notification on a phone.
//!
//! Server components only: the packet, the approval's subject and payload,
//! the transcript and the timeline are plain HTML that never hydrates
//! (readable before and without WASM, and nothing re-renders them). The parts
//! that change live are islands (`handoff_live`): the status pill, the
//! takeover buttons, the messages that arrive after the page and the chat box,
//! the decision form, the countdown; `HandoffLive` around them follows the
//! handoff's streams and shares its state with them.

use super::approval::{ApprovalDecision, Countdown};
use super::assist::AssistScreen;
use super::chat::Chat;
use super::desk::{DeskHeader, Here};
use super::handoff_data::{AnswerSpec, DecisionData, HandoffData, HandoffDataElement};
use super::handoff_live::{
    line_item, Celebrate, HandoffLive, NewLines, StatusPill, TakenNotice, TakeoverActions,
};
use super::preload::{desk_user, preloaded};
use super::quorum_live::QuorumLive;
use super::similar::SimilarSection;
use super::title::PageTitle;
use super::types::{
    ApprovalCard, AssistCard, DeskUser, HandoffCard, Line, MobileScreen, MobileView, TimelineRow,
};
use crate::domain::link::LinkProblem;
use crate::domain::Kind;
use leptos::prelude::*;

#[component]
pub fn MobilePage() -> impl IntoView {
    // Signing in from here comes back here (the id as a path, nothing else).
    let here = leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("id"))
        .map(|id| {
            id.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|id| !id.is_empty());
    let screen = match preloaded::<MobileScreen>() {
        Some(Ok(s)) => render(s, here).into_any(),
        Some(Err(e)) => {
            view! { <Notice title="Something went wrong".to_string() body=e.message/> }.into_any()
        }
        None => view! {
            <Notice title="Something went wrong".to_string() body="The page could not be loaded.".to_string()/>
        }
        .into_any(),
    };
    view! { <main class="mobile">{screen}</main> }
}

fn render(screen: MobileScreen, here: Option<String>) -> impl IntoView {
    let sign_in = here.map_or("/login?next=/inbox".to_string(), |id| {
        format!("/login?next=/m/{id}")
    });
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
            <p class="notice"><a href=sign_in>"Sign in"</a></p>
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
        assist,
        similar,
    } = view;
    let kind = Kind::parse(&card.kind).unwrap_or(Kind::Takeover);
    // What the islands start from (they take no props: `handoff_data`).
    let data = HandoffData {
        id: card.id.clone(),
        kind: card.kind.clone(),
        state: card.state.clone(),
        assignee: card.assignee.clone(),
        decision: approval.as_ref().and_then(|a| a.decision.clone()),
        decided_by: approval.as_ref().and_then(|a| a.decided_by.clone()),
        operator_id,
        last_event_seq,
        last_message_seq: transcript.last().map_or(0, |l| l.seq),
        no_messages: transcript.is_empty(),
        approval: approval.as_ref().map(|a| DecisionData {
            cannot_decide: a.cannot_decide.clone(),
            payload_json: a.payload_json.clone(),
            answer: a.answer_field.as_ref().map(AnswerSpec::from),
            answer_hint: a.answer_hint.clone(),
            similar_link: a.similar_link,
            timeout_unix: a.timeout_unix,
            quorum: a.quorum.clone().map(|q| (q, a.voters.clone())),
        }),
        assist: assist.as_ref().map(|a| a.screen.clone()),
    };
    let id = card.id.clone();
    let up_to_seq = card.up_to_seq;
    // A password session is the header's operator; a link session (which may
    // have started in this very request) is shown as the link's operator.
    let user = desk_user().filter(|_| !link_only).unwrap_or(DeskUser {
        name: operator_name,
        admin: false,
        link_only,
    });
    // Read by the islands while the server renders them.
    provide_context(data.clone());
    view! {
        <PageTitle text=format!("Handoff: {}", card.static_text)/>
        <HandoffDataElement data/>
        <HandoffLive>
            <DeskHeader here=Here::Handoff user=Some(user)>
                <StatusPill/>
            </DeskHeader>
            <TakenNotice/>
            // An approval's own card already says what the packet says.
            // `into_any` at each block keeps the page's view type shallow enough for release builds.
            {(kind != Kind::Approval && kind != Kind::Assist).then(|| view! { <PacketCard card/> }.into_any())}
            {assist.map(|a| view! { <AssistQuestion card=a.clone()/> <AssistScreen/> }.into_any())}
            {approval.map(|a| view! {
                <ApprovalSubject card=a/>
                <ApprovalDecision/>
            }.into_any())}
            {similar.map(|offer| view! { <SimilarSection handoff_id=id.clone() offer/> }.into_any())}
            {match kind {
                Kind::Takeover => view! {
                    <TakeoverActions/>
                    <section class="transcript chat" aria-label="Conversation">
                        <h2>"Conversation"</h2>
                        <SoFar lines=transcript up_to_seq/>
                        <Chat/>
                    </section>
                }.into_any(),
                Kind::Assist => ().into_any(),
                _ => view! {
                    <section class="transcript" aria-label="Conversation so far">
                        <h2>"Conversation"</h2>
                        <SoFar lines=transcript up_to_seq/>
                        <NewLines/>
                    </section>
                }.into_any(),
            }}
            <Timeline rows=timeline/>
            <Celebrate/>
        </HandoffLive>
    }
}

/// The conversation up to the page's rendering, as plain HTML (what comes
/// after is appended by the islands below it). `up_to_seq`: the last message
/// the agent handled, followed by a divider.
#[component]
fn SoFar(lines: Vec<Line>, up_to_seq: Option<i64>) -> impl IntoView {
    view! {
        <ol>
            {lines.into_iter().map(|l| {
                let handed = up_to_seq == Some(l.seq);
                view! {
                    {line_item(l)}
                    // A plain list item (a `separator` role would take it out
                    // of the list for screen readers).
                    {handed.then(|| view! { <li class="divider">"handed to a person"</li> })}
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// What the agent is stuck on, as text (never fetched, never markup).
#[component]
fn AssistQuestion(card: AssistCard) -> impl IntoView {
    view! {
        <article class="card assist-card" aria-labelledby="assist-question">
            <p class="eyebrow">{format!("{} on {}", card.interruption_type, card.domain)}</p>
            <h1 id="assist-question" class="static-text">{card.question}</h1>
            <p class="fine url" data-testid="assist-url">{card.url}</p>
            <p class="fine">{format!("Agent: {}", card.agent_id)}</p>
        </article>
    }
}

/// Events and notifications so far, collapsed: the operator came to act.
#[component]
fn Timeline(rows: Vec<TimelineRow>) -> impl IntoView {
    view! {
        <details class="timeline" data-testid="timeline">
            <summary>{format!("Timeline ({})", rows.len())}</summary>
            <ol>
                {rows.into_iter().map(|r| {
                    let at = r.shown.clone();
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

/// The packet as the agent wrote it. The raw JSON is a `<details>`: it opens
/// without any script.
#[component]
fn PacketCard(card: HandoffCard) -> impl IntoView {
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
            <details class="raw-toggle">
                <summary>"Raw packet"</summary>
                <pre id="raw-packet" class="raw">{card.packet_json.clone()}</pre>
            </details>
        </article>
    }
}

/// What the agent wants to do: subject, payload, what the customer sees, and
/// the countdown (an island: it ticks).
#[component]
fn ApprovalSubject(card: ApprovalCard) -> impl IntoView {
    let question = card.subject_kind == "question";
    view! {
        <article class="card approval" aria-labelledby="subject">
            <p class="eyebrow">{card.subject_kind.replace('_', " ")}</p>
            {if question {
                // A question is a sentence from the agent: shown as text, never as markup.
                view! { <h1 id="subject" class="subject question">{card.subject_ref.clone()}</h1> }.into_any()
            } else {
                view! { <h1 id="subject" class="subject"><code>{card.subject_ref.clone()}</code></h1> }.into_any()
            }}
            {card.answer.clone().map(|a| view! {
                <p class="answer" data-testid="answer">"Answer: " <strong>{a}</strong></p>
            })}
            {card.suspend_message.clone().map(|m| view! {
                <p class="fine">"The customer sees: " <q>{m}</q></p>
            })}
            {card.quorum.is_some().then(|| view! { <QuorumLive/> })}
            {card.four_eyes.then(|| view! {
                <p class="fine" data-testid="four-eyes">"Four-eyes: whoever asked for this cannot approve it."</p>
            })}
            <dl class="vars">
                {card.payload.iter().cloned().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <details class="raw-toggle">
                <summary>"Raw JSON"</summary>
                <pre class="raw">{card.payload_json.clone()}</pre>
            </details>
            {card.timeout_unix.is_some().then(|| view! { <Countdown/> })}
        </article>
    }
}
