//! `/m/:id/decide?t=…`: where an email's one-tap Approve / Deny link lands.
//!
//! A server component only, no island: the page asks "Approve …?" and its
//! form posts to `POST /m/{id}/decide` (`crate::decide_http`), so it works
//! without WASM. Opening the page decides nothing: a mail scanner that
//! follows every link only ever sees this question. After the post, the same
//! address shows what happened (`?done=`, `?refused=`, `?problem=`).

use super::preload::preloaded;
use super::title::PageTitle;
use crate::domain::link::LinkProblem;
use leptos::prelude::*;

/// The question the page asks before anything is decided.
#[derive(Clone, Debug)]
pub struct DecideConfirm {
    pub handoff_id: String,
    pub token: String,
    pub approve: bool,
    /// "Approve tool call “refund.create”?": the subject is the agent's text.
    pub question: String,
    pub payload: Vec<(String, String)>,
    pub operator_name: String,
    pub validity: String,
    /// "1 of 2 approved" for a quorum approval.
    pub progress: Option<String>,
    /// Why this operator cannot decide it (role, four-eyes, voted already).
    pub cannot: Option<String>,
}

#[derive(Clone, Debug)]
pub enum DecideScreen {
    Confirm(Box<DecideConfirm>),
    Problem(LinkProblem),
    /// After the post: `kind` is the `done` or `refused` code, for tests and styling.
    Outcome {
        kind: String,
        refused: bool,
        title: String,
        body: String,
    },
}

#[component]
pub fn DecideLinkPage() -> impl IntoView {
    let screen = match preloaded::<DecideScreen>() {
        Some(Ok(DecideScreen::Confirm(c))) => view! { <Confirm c=*c/> }.into_any(),
        Some(Ok(DecideScreen::Problem(p))) => view! { <Problem problem=p/> }.into_any(),
        Some(Ok(DecideScreen::Outcome {
            kind,
            refused,
            title,
            body,
        })) => view! { <Outcome kind refused title body/> }.into_any(),
        Some(Err(e)) => view! {
            <Outcome kind="error".to_string() refused=true title="Something went wrong".to_string() body=e.message/>
        }
        .into_any(),
        None => view! {
            <Outcome kind="error".to_string() refused=true title="Something went wrong".to_string()
                body="The page could not be loaded.".to_string()/>
        }
        .into_any(),
    };
    view! { <main class="mobile">{screen}</main> }
}

#[component]
fn Confirm(c: DecideConfirm) -> impl IntoView {
    let DecideConfirm {
        handoff_id,
        token,
        approve,
        question,
        payload,
        operator_name,
        validity,
        progress,
        cannot,
    } = c;
    let (eyebrow, title) = if approve {
        ("Approve from your email", "Confirm approval")
    } else {
        ("Deny from your email", "Confirm deny")
    };
    let form = match cannot {
        Some(why) => view! { <p class="notice problem" role="alert" data-testid="cannot-decide">{why}</p> }.into_any(),
        None => view! {
            <form method="post" action=format!("/m/{handoff_id}/decide") class="decide">
                <input type="hidden" name="t" value=token/>
                {(!approve).then(|| view! {
                    <label for="deny-note">"Why do you deny it? The agent tells the customer."</label>
                    <textarea id="deny-note" name="note" rows="3" maxlength="2000" required></textarea>
                })}
                {if approve {
                    view! { <button type="submit" class="primary">"Confirm approval"</button> }.into_any()
                } else {
                    view! { <button type="submit" class="danger">"Confirm deny"</button> }.into_any()
                }}
            </form>
        }
        .into_any(),
    };
    view! {
        <PageTitle text=title/>
        <section class="confirm" data-action=if approve { "approve" } else { "deny" }>
            <p class="eyebrow">{eyebrow}</p>
            <h1 data-testid="question">{question}</h1>
            {(!payload.is_empty()).then(|| view! {
                <dl class="vars">
                    {payload.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                </dl>
            })}
            {progress.map(|p| view! { <p class="fine" data-testid="progress">{p}</p> })}
            <p class="fine">{format!("For {operator_name}. {validity}")}</p>
            {form}
            <p class="fine">"Nothing is decided until you confirm. Changed your mind? Close this page."</p>
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
fn Outcome(kind: String, refused: bool, title: String, body: String) -> impl IntoView {
    let class = if refused { "notice problem" } else { "notice" };
    view! {
        <PageTitle text=title.clone()/>
        <section class=class data-outcome=kind role="status">
            <h1>{title}</h1>
            <p>{body}</p>
        </section>
    }
}
