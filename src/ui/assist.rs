//! The captured screen of an assist handoff on `/m/<id>` (issue 13): the
//! newest frame fitted to the phone's width (a tap is a click at the page's
//! own coordinates), a text box for what the agent needs typed (numeric with
//! one-time-code autofill when it asked for a code), Enter and Tab, and "Done
//! — resume the agent".
//!
//! The island is only the screen and its controls. The screenshot comes from
//! `/m/<id>/frame` (session-authenticated, never inlined), and the text form
//! and "Done" are plain forms posting to `/fn/…`: they work before and without WASM.

use super::handoff_live::live;
use super::post::post;
use super::types::AssistScreenInit;
use crate::error::AppError;
use leptos::prelude::*;

/// An operator's action on the captured screen: text (typed first), then a
/// key; or a tap at page coordinates. An operator who is not solving yet
/// takes the handoff (and the lease) with the first action. Returns the last
/// action's seq.
#[server(prefix = "/fn", endpoint = "assist_act")]
pub async fn assist_act(
    id: String,
    text: Option<String>,
    key: Option<String>,
    x: Option<i64>,
    y: Option<i64>,
) -> Result<i64, AppError> {
    super::actions::ssr::respond(assist_act_inner(id, text, key, x, y).await)
}

#[cfg(feature = "ssr")]
async fn assist_act_inner(
    id: String,
    text: Option<String>,
    key: Option<String>,
    x: Option<i64>,
    y: Option<i64>,
) -> Result<i64, AppError> {
    use crate::domain::assist::Action;
    let id = crate::service::parse_id(&id, "handoff")?;
    let (app, op) = super::actions::ssr::operator_for(&id).await?;
    let mut actions = Vec::new();
    match (x, y) {
        (Some(x), Some(y)) => actions.push(Action::Click { x, y }),
        (None, None) => {}
        _ => return Err(AppError::invalid_field("y", "a tap needs both x and y")),
    }
    if let Some(text) = text.filter(|t| !t.is_empty()) {
        actions.push(Action::Text { text });
    }
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        actions.push(Action::Key { key });
    }
    if actions.is_empty() {
        return Err(AppError::invalid_field(
            "text",
            "type something, press a key or tap the screen",
        ));
    }
    let mut seq = 0;
    for a in actions {
        seq =
            crate::service::assist::operator_act(&app, &op.organization_id, &id, &op.id, a).await?;
    }
    super::actions::ssr::back_to_the_page(&id).await;
    Ok(seq)
}

/// "Done — resume the agent": the handoff is solved and the agent asked to resume.
#[server(prefix = "/fn", endpoint = "assist_done")]
pub async fn assist_done(id: String) -> Result<String, AppError> {
    super::actions::ssr::respond(assist_done_inner(id).await)
}

#[cfg(feature = "ssr")]
async fn assist_done_inner(id: String) -> Result<String, AppError> {
    let id = crate::service::parse_id(&id, "handoff")?;
    let (app, op) = super::actions::ssr::operator_for(&id).await?;
    let h = crate::service::assist::done(
        &app,
        &op.organization_id,
        &id,
        crate::domain::Actor::Operator(op.id.clone()),
    )
    .await?;
    super::actions::ssr::back_to_the_page(&id).await;
    Ok(h.state.as_str().to_string())
}

// The lease line below says "2 minutes".
const _: () = assert!(crate::domain::assist::LEASE_IDLE_SECONDS == 120);

/// What the page says about the agent and the lease, from the live state.
fn lease_line(state: &str, mine: bool) -> &'static str {
    match (state, mine) {
        ("solving", true) => "You are solving this screen: only you can send actions.",
        ("solving", false) => {
            "Another operator is solving this screen: only they can send actions. If they do nothing for 2 minutes, your first action takes it over."
        }
        ("solved" | "resume_requested", _) => "Done. The agent has been asked to resume.",
        ("resumed", _) => "The agent resumed from where it stopped.",
        ("completed", _) => "The agent finished its task.",
        ("expired", _) => "Expired: nobody solved it in time.",
        ("cancelled", _) => "Cancelled: the agent withdrew the request.",
        ("failed", _) => "The agent could not resume.",
        _ => "Tap the screen or type to start; the first action makes it yours.",
    }
}

/// The captured screen and its controls. Lazy: its code is a chunk only
/// assist pages load, not part of every handoff page's WASM.
#[island(lazy)]
pub fn AssistScreen() -> impl IntoView {
    super::hydrated::island_ready();
    // From `#handoff-data`, not props (no serde in the island's chunk).
    let init: AssistScreenInit = super::handoff_data::handoff_data()
        .assist
        .unwrap_or_default();
    let live = live();
    let id = init.handoff_id.clone();
    let frame_seq = RwSignal::new(init.frame_seq);
    let (vw, vh) = (init.viewport_width, init.viewport_height);
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    // The frame seq when the last action left, and when: the agent answers with a new frame.
    let waiting_since = RwSignal::new(None::<(i64, i64)>);
    let now = RwSignal::new(super::live::now_unix());
    let silent = move || {
        waiting_since.get().is_some_and(|(seq, at)| {
            frame_seq.get() == seq && now.get() - at >= crate::domain::assist::SILENT_AGENT_SECONDS
        })
    };
    #[cfg(feature = "hydrate")]
    {
        let id = id.clone();
        let after = init.frame_seq;
        Effect::new(move |_| {
            let url = format!("/m/{id}/live/frames?after={after}");
            super::live::follow(&url, &["frame"], move |_, data| {
                let seq = super::json::Json::parse(&data)
                    .and_then(|f| f.get("frame_seq"))
                    .and_then(|s| s.int());
                if let Some(seq) = seq {
                    frame_seq.update(|s| *s = (*s).max(seq));
                }
            });
        });
        let _ = set_interval_with_handle(
            move || now.set(super::live::now_unix()),
            std::time::Duration::from_secs(1),
        );
    }
    // Calls run with `spawn_local` rather than `Action`s (less code in the WASM).
    let hid = StoredValue::new(init.handoff_id.clone());
    let act = move |t: Option<String>, k: Option<String>, xy: Option<(i64, i64)>| {
        leptos::task::spawn_local(async move {
            let id = hid.get_value();
            let (x, y) = xy.map_or((None, None), |(x, y)| {
                (Some(x.to_string()), Some(y.to_string()))
            });
            let mut fields = vec![("id", id.as_str())];
            fields.extend(t.as_deref().map(|t| ("text", t)));
            fields.extend(k.as_deref().map(|k| ("key", k)));
            fields.extend(x.as_deref().map(|x| ("x", x)));
            fields.extend(y.as_deref().map(|y| ("y", y)));
            match post::<i64>("/fn/assist_act", &fields).await {
                Ok(_) => {
                    error.set(None);
                    text.set(String::new());
                    live.assignee.set(Some(live.operator_id.get_value()));
                    live.advance("solving".into());
                    waiting_since.set(Some((frame_seq.get_untracked(), super::live::now_unix())));
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let finish = move || {
        leptos::task::spawn_local(async move {
            let id = hid.get_value();
            match post::<String>("/fn/assist_done", &[("id", &id)]).await {
                Ok(state) => {
                    error.set(None);
                    live.advance(state);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let can_act = move || {
        let st = live.state.get();
        matches!(st.as_str(), "frozen" | "notified" | "escalated" | "opened")
            || (st == "solving" && live.mine())
    };
    let send = move |k: Option<String>| {
        let t = Some(text.get_untracked()).filter(|t| !t.is_empty());
        if t.is_some() || k.is_some() {
            act(t, k, None);
        }
    };
    let on_tap = move |ev: leptos::ev::MouseEvent| {
        if !can_act() {
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let shown = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map_or(0.0, |e| e.client_width() as f64);
            let v = crate::domain::assist::Viewport {
                width: vw,
                height: vh,
            };
            let (x, y) = crate::domain::assist::scale_tap(
                ev.offset_x() as f64,
                ev.offset_y() as f64,
                shown,
                v,
            );
            act(None, None, Some((x, y)));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let src = {
        let id = id.clone();
        move || format!("/m/{id}/frame?seq={}", frame_seq.get())
    };
    let code = init.input == "code";
    let typing = init.input != "none";
    let done_id = id.clone();
    let on_done = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        finish();
    };
    view! {
        <section class="assist" data-testid="assist-screen">
            <p class="fine lease" data-testid="lease" role="status">
                {move || lease_line(&live.state.get(), live.mine())}
            </p>
            {(frame_seq.get_untracked() > 0).then(|| view! {
                <img class="frame" data-testid="frame" src=src width=vw height=vh
                    alt="The agent's screen. Tap where you would click." on:click=on_tap/>
            })}
            <p class="fine">{move || format!("Frame {}", frame_seq.get())}</p>
            {move || silent().then(|| view! {
                <p class="notice" role="alert" data-testid="silent-agent">
                    {format!("The agent has not answered for {} s.", crate::domain::assist::SILENT_AGENT_SECONDS)}
                </p>
            })}
            {typing.then(|| view! {
                <form method="post" action="/fn/assist_act" class="assist-type"
                    on:submit=move |ev| { ev.prevent_default(); send(None); }>
                    <input type="hidden" name="id" value=id.clone()/>
                    <label>{if code { "Code" } else { "Text" }}
                        <input type="text" name="text" data-testid="assist-text"
                            inputmode={if code { "numeric" } else { "text" }}
                            autocomplete={if code { "one-time-code" } else { "off" }}
                            maxlength="1000"
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" data-testid="assist-send">"Type it"</button>
                    <button type="submit" name="key" value="Enter" data-testid="assist-enter"
                        on:click=move |ev| { ev.prevent_default(); send(Some("Enter".into())); }>"Enter"</button>
                    <button type="submit" name="key" value="Tab"
                        on:click=move |ev| { ev.prevent_default(); send(Some("Tab".into())); }>"Tab"</button>
                </form>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <form method="post" action="/fn/assist_done" class="assist-done"
                on:submit=on_done>
                <input type="hidden" name="id" value=done_id/>
                <button type="submit" class="primary" data-testid="assist-done">"Done — resume the agent"</button>
            </form>
        </section>
    }
}
