//! The approval card: what the agent wants to do, the countdown, and the
//! decision (note required to deny, optional payload edit).

use super::handoff_data::{handoff_data, AnswerInputKind, AnswerSpec};
use super::live;
use super::post::post;
use leptos::prelude::*;

fn countdown(seconds: i64) -> String {
    if seconds <= 0 {
        return "time is up".into();
    }
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if h > 0 {
        format!("{h} h {m:02} min left")
    } else {
        format!("{m}:{s:02} left")
    }
}

/// Who decided, as the approver reads it.
pub fn decided_by_label(decided_by: Option<&str>, me: &str) -> String {
    match decided_by {
        Some(d) if d == format!("operator:{me}") => "you".into(),
        Some(d) if d.starts_with("operator:") => "another operator".into(),
        Some(_) => "an integration (API key)".into(),
        None => "nobody".into(),
    }
}

/// Time left to decide; blank once the approval is no longer pending.
#[island]
pub fn Countdown() -> impl IntoView {
    super::hydrated::island_ready();
    let timeout = handoff_data()
        .approval
        .and_then(|a| a.timeout_unix)
        .unwrap_or_default();
    let state = super::handoff_live::live().state;
    let now = RwSignal::new(live::now_unix());
    #[cfg(feature = "hydrate")]
    {
        let _ = set_interval_with_handle(
            move || now.set(live::now_unix()),
            std::time::Duration::from_secs(1),
        );
    }
    let pending = move || crate::domain::State::parse(&state.get()).is_some_and(|s| s.is_open());
    view! {
        <p class="countdown" data-testid="countdown" role="timer">
            {move || if pending() { countdown(timeout - now.get()) } else { String::new() }}
        </p>
    }
}

/// The decision form (note required to deny, optional payload edit), then
/// the outcome once decided, kept live by `HandoffLive`.
///
/// In the page's main WASM, not a lazy chunk: as a lazy island its code came
/// as ~40 split chunks that an approval page fetched and instantiated one by
/// one after the main module (Lighthouse TBT 200 ms, docs/performance.md).
/// Lean like the other handoff islands: no `<Show>`, `Action` or `into_any`,
/// each of which instantiates generic machinery per use; reactive `Option`s,
/// `Either`s and `spawn_local` do the same for less code.
#[island]
pub fn ApprovalDecision() -> impl IntoView {
    use leptos::either::Either;
    super::hydrated::island_ready();
    let data = handoff_data();
    let handoff_id = data.id;
    let d = data.approval.unwrap_or_default();
    let (cannot_decide, payload_json, answer_field, answer_hint, similar_link) = (
        d.cannot_decide,
        d.payload_json,
        d.answer,
        d.answer_hint,
        d.similar_link,
    );
    let live = super::handoff_live::live();
    let (state, decision, decided_by) = (live.state, live.decision, live.decided_by);
    let similar_href = format!("/m/{handoff_id}?similar=preview#similar");
    let id = StoredValue::new(handoff_id);
    let note = RwSignal::new(String::new());
    let edit_open = RwSignal::new(false);
    let edited = RwSignal::new(payload_json);
    let error = RwSignal::new(None::<String>);
    let voted = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let asks_answer = answer_field.is_some();
    let answer = RwSignal::new(match answer_field.as_ref().map(|f| f.input) {
        Some(AnswerInputKind::Boolean) => "false".to_string(),
        _ => String::new(),
    });
    let pending = move || crate::domain::State::parse(&state.get()).is_some_and(|s| s.is_open());
    let send = move |approve: bool| {
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        let payload = edit_open.get_untracked().then(|| edited.get_untracked());
        let answer = (asks_answer && approve).then(|| answer.get_untracked());
        let note = note.get_untracked();
        leptos::task::spawn_local(async move {
            let id = id.get_value();
            let approve = if approve { "true" } else { "false" };
            let mut fields = vec![("id", id.as_str()), ("approve", approve), ("note", &note)];
            fields.extend(payload.as_deref().map(|p| ("payload", p)));
            fields.extend(answer.as_deref().map(|a| ("answer", a)));
            let result = post::<String>("/fn/decide", &fields).await;
            sending.set(false);
            match result {
                Ok(word) if word == "voted" => {
                    error.set(None);
                    voted.set(true);
                }
                Ok(word) => {
                    error.set(None);
                    decision.set(Some(word));
                    live.advance("solved".into());
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let outcome = move || {
        let st = state.get();
        let word = crate::domain::approval::status(
            crate::domain::State::parse(&st).unwrap_or(crate::domain::State::Created),
            decision.get().as_deref(),
        );
        let who = decided_by_label(decided_by.get().as_deref(), &live.operator_id.get_value());
        let resumed = matches!(st.as_str(), "resumed" | "completed");
        let head = match word {
            "approved" => format!("Approved by {who}."),
            "denied" => format!("Denied by {who}."),
            "expired" => {
                "Expired: nobody decided in time, so the agent treats it as a deny.".into()
            }
            "cancelled" => "Cancelled: the agent withdrew the request.".into(),
            _ => String::new(),
        };
        let tail = match (resumed, word) {
            (true, _) => " The agent resumed.",
            (false, "approved" | "denied") => " Waiting for the agent to pick it up…",
            _ => "",
        };
        head + tail
    };
    let approved = move || decision.get().as_deref() == Some("approved");
    let form = match cannot_decide {
        Some(why) => Either::Left(
            view! { <p class="notice" role="note" data-testid="cannot-decide">{why}</p> },
        ),
        None => Either::Right(view! {
            <section class="decide" aria-label="Decision" hidden=move || voted.get()>
                {answer_field.map(|field| view! {
                    <AnswerInput field hint=answer_hint value=answer/>
                })}
                <label for="note">{if asks_answer { "Note for the agent (required to decline)" } else { "Note for the agent (required to deny)" }}</label>
                <textarea id="note" rows="2" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <label class="check">
                    <input type="checkbox" prop:checked=move || edit_open.get()
                        on:change=move |ev| edit_open.set(event_target_checked(&ev))/>
                    "Edit the payload before approving"
                </label>
                {move || edit_open.get().then(|| view! {
                    <label for="payload" class="sr-only">"Payload (JSON)"</label>
                    <textarea id="payload" class="raw" rows="6" prop:value=move || edited.get()
                        on:input=move |ev| edited.set(event_target_value(&ev))></textarea>
                })}
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <p id="decide-hint" class="fine" aria-live="polite"></p>
                <div class="actions">
                    <button type="button" class="danger" data-shortcut="deny" aria-keyshortcuts="d"
                        disabled=move || sending.get()
                        on:click=move |_| send(false)>{if asks_answer { "Decline" } else { "Deny" }}</button>
                    <button type="button" class="primary" data-shortcut="approve" aria-keyshortcuts="a"
                        disabled=move || sending.get()
                        on:click=move |_| send(true)>{if asks_answer { "Send answer" } else { "Approve" }}</button>
                </div>
            </section>
        }),
    };
    view! {
        {move || (!pending()).then(|| view! {
            <section class="notice outcome" role="status" data-testid="outcome">
                <p>{outcome}</p>
                {(similar_link && approved()).then(|| view! {
                    <p><a href=similar_href.clone() data-testid="similar-link">"Approve similar ones without a person…"</a></p>
                })}
            </section>
        })}
        <div hidden=move || !pending()>
            {move || voted.get().then(|| view! {
                <p class="notice" role="status" data-testid="voted">"Your approval is recorded. It needs approvals from others too."</p>
            })}
            {form}
        </div>
    }
}

/// The answer's input, as its schema asks: a line, a text area, a number,
/// a yes/no box, a choice, or JSON. The server parses and validates what it posts.
#[component]
fn AnswerInput(field: AnswerSpec, hint: Option<String>, value: RwSignal<String>) -> impl IntoView {
    use leptos::either::EitherOf6;
    let set = move |ev| value.set(event_target_value(&ev));
    let AnswerSpec {
        input,
        max_length,
        min,
        max,
        options,
    } = field;
    let input = match input {
        AnswerInputKind::Line => EitherOf6::A(view! {
            <input id="answer" name="answer" type="text" required maxlength=max_length
                prop:value=move || value.get() on:input=set/>
        }),
        AnswerInputKind::Text => EitherOf6::B(view! {
            <textarea id="answer" name="answer" rows="4" required maxlength=max_length
                prop:value=move || value.get() on:input=set></textarea>
        }),
        kind @ (AnswerInputKind::Number | AnswerInputKind::Integer) => {
            let integer = kind == AnswerInputKind::Integer;
            EitherOf6::C(view! {
                <input id="answer" name="answer" type="number" inputmode=if integer { "numeric" } else { "decimal" }
                    step=if integer { "1" } else { "any" } required min=min max=max
                    prop:value=move || value.get() on:input=set/>
            })
        }
        AnswerInputKind::Boolean => EitherOf6::D(view! {
            <input id="answer" name="answer" type="checkbox" class="answer-check"
                prop:checked=move || value.get() == "true"
                on:change=move |ev| value.set(event_target_checked(&ev).to_string())/>
        }),
        AnswerInputKind::Choice => EitherOf6::E(view! {
            <select id="answer" name="answer" required prop:value=move || value.get() on:change=set>
                <option value="" disabled selected>"Choose…"</option>
                {options.into_iter().map(|o| { let label = o.clone(); view! { <option value=o>{label}</option> } }).collect_view()}
            </select>
        }),
        AnswerInputKind::Json => EitherOf6::F(view! {
            <textarea id="answer" name="answer" class="raw" rows="5" required
                prop:value=move || value.get() on:input=set></textarea>
        }),
    };
    view! {
        <div class="answer-field" data-testid="answer-field">
            <label for="answer">"Your answer"</label>
            {hint.map(|h| view! { <p class="fine" id="answer-hint">{h}</p> })}
            {input}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_reads_naturally() {
        assert_eq!(countdown(0), "time is up");
        assert_eq!(countdown(65), "1:05 left");
        assert_eq!(countdown(3 * 3600 + 120), "3 h 02 min left");
    }

    #[test]
    fn the_decider_is_named_from_the_readers_point_of_view() {
        assert_eq!(decided_by_label(Some("operator:me"), "me"), "you");
        assert_eq!(
            decided_by_label(Some("operator:x"), "me"),
            "another operator"
        );
        assert_eq!(
            decided_by_label(Some("api_key:k"), "me"),
            "an integration (API key)"
        );
    }
}
