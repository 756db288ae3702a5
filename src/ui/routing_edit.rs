//! `/admin/routing`, the part that replaces the API for routing definitions:
//! the organization's time zone, and escalation chains and on-call rotations
//! (with overrides) created, edited and deleted in forms. Rendered inside the
//! routing page's island (`routing.rs`); each form has its own action so its
//! error stays beside it.

use super::notice::failure;
use super::types::{ChainRow, Named, OverrideForm, RotationRow, StepForm};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "routing_save_chain")]
pub async fn routing_save_chain(
    #[server(default)] id: String,
    name: String,
    #[server(default)] repeat: String,
    #[server(default)] steps: Vec<StepForm>,
) -> Result<(), AppError> {
    use crate::ui::pages::routing_forms::{save_chain, ChainFormInput};
    let (app, me) = super::actions::ssr::operator().await?;
    let form = ChainFormInput {
        id,
        name,
        repeat,
        steps,
    };
    super::actions::ssr::respond(save_chain(&app, &me, form).await)
}

#[server(prefix = "/fn", endpoint = "routing_delete_chain")]
pub async fn routing_delete_chain(id: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::ui::pages::routing_forms::delete_chain(&app, &me, &id).await,
    )
}

#[server(prefix = "/fn", endpoint = "routing_save_rotation")]
pub async fn routing_save_rotation(
    #[server(default)] id: String,
    name: String,
    #[server(default)] operators: Vec<String>,
    #[server(default)] starts_at: String,
    #[server(default)] overrides: Vec<OverrideForm>,
) -> Result<(), AppError> {
    use crate::ui::pages::routing_forms::{save_rotation, RotationFormInput};
    let (app, me) = super::actions::ssr::operator().await?;
    let form = RotationFormInput {
        id,
        name,
        operators,
        starts_at,
        overrides,
    };
    super::actions::ssr::respond(save_rotation(&app, &me, form).await)
}

#[server(prefix = "/fn", endpoint = "routing_delete_rotation")]
pub async fn routing_delete_rotation(id: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::ui::pages::routing_forms::delete_rotation(&app, &me, &id).await,
    )
}

#[server(prefix = "/fn", endpoint = "routing_save_time_zone")]
pub async fn routing_save_time_zone(time_zone: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::ui::pages::routing_forms::save_time_zone(&app, &me, &time_zone).await,
    )
}

/// The chain, rotation and time-zone forms' actions, and what tells the page to reload.
#[derive(Clone, Copy)]
pub struct Edits {
    pub zone: ServerAction<RoutingSaveTimeZone>,
    pub delete_chain: ServerAction<RoutingDeleteChain>,
    pub delete_rotation: ServerAction<RoutingDeleteRotation>,
    /// Bumped by a chain or rotation form that saved (each form has its own action).
    pub saved: RwSignal<u32>,
    /// "Chain saved." and the like, for the status line.
    pub notice: RwSignal<String>,
}

impl Edits {
    fn saved(self, what: &'static str) {
        self.notice.set(format!("{what} saved."));
        self.saved.update(|n| *n += 1);
    }
}

/// A name with its id on hover.
fn named(n: Named) -> impl IntoView {
    let title = (!n.id.is_empty()).then_some(n.id);
    view! { <span title=title>{n.name}</span> }
}

fn comma_list(items: Vec<Named>) -> impl IntoView {
    items
        .into_iter()
        .enumerate()
        .map(|(i, n)| view! { {(i > 0).then_some(", ")}{named(n)} })
        .collect_view()
}

#[component]
pub fn TimeZone(
    time_zone: String,
    zone_now: String,
    action: ServerAction<RoutingSaveTimeZone>,
) -> impl IntoView {
    view! {
        <section aria-labelledby="tz-h">
            <h2 id="tz-h">"Time zone"</h2>
            <p class="fine">"Policy conditions read hour, minute, time and weekday in it, rotations hand over at its wall-clock time, and the pages show times in it."</p>
            <ActionForm action attr:class="grid-form">
                <label for="tz-name">"Organization time zone (IANA name)"</label>
                <input id="tz-name" name="time_zone" required value=time_zone.clone()
                    placeholder="Europe/Berlin" autocomplete="off" spellcheck="false" aria-describedby="tz-now"/>
                <p id="tz-now" class="fine">{format!("Now: {time_zone} ({zone_now}). Examples: Europe/Berlin, America/New_York, Asia/Tokyo, UTC.")}</p>
                <button type="submit" class="primary">"Save time zone"</button>
                {failure(move || action.value().get())}
            </ActionForm>
        </section>
    }
}

#[component]
pub fn Chains(
    chains: Vec<ChainRow>,
    rotations: Vec<Named>,
    operators: Vec<Named>,
    roles: Vec<String>,
    edits: Edits,
) -> impl IntoView {
    let choices = StoredValue::new(Choices {
        operators,
        roles,
        rotations,
    });
    let none = chains.is_empty();
    view! {
        <section aria-labelledby="chains-h">
            <h2 id="chains-h">"Escalation chains"</h2>
            <p class="fine">"Each step notifies its people; if nobody opens the handoff within the step's wait, the next step is notified."</p>
            <p class="fine" role="status">{move || edits.notice.get().starts_with("Chain").then(|| edits.notice.get())}</p>
            <table data-testid="chains">
                <thead><tr><th>"Name"</th><th>"Steps"</th><th></th></tr></thead>
                <tbody>
                    {none.then(|| view! { <tr><td colspan="3">"No chain yet: every handoff goes to everyone who may act."</td></tr> })}
                    {chains.into_iter().map(|c| {
                        let delete_label = format!("Delete {}", c.name);
                        let edit_label = format!("Edit {}", c.name);
                        let id = c.id.clone();
                        view! {
                            <tr>
                                <td title=c.id.clone()>{c.name.clone()}</td>
                                <td>
                                    <ol class="steps">
                                        {c.steps.clone().into_iter().map(|st| view! {
                                            <li>{comma_list(st.targets)}{format!(" · wait {}", st.wait)}</li>
                                        }).collect_view()}
                                    </ol>
                                    {(c.repeat > 0).then(|| view! { <p class="fine">{format!("Then {} more round(s).", c.repeat)}</p> })}
                                    <details class="edit">
                                        <summary>{edit_label}</summary>
                                        <ChainForm key=c.id.clone() chain=Some(c.clone()) choices edits/>
                                    </details>
                                </td>
                                <td>
                                    <ActionForm action=edits.delete_chain attr:class="inline">
                                        <input type="hidden" name="id" value=id/>
                                        <button type="submit" class="secondary">{delete_label}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {failure(move || edits.delete_chain.value().get())}
            <details class="edit" open=none>
                <summary>"New escalation chain"</summary>
                <ChainForm key="new-chain".into() chain=None choices edits/>
            </details>
        </section>
    }
}

/// Whom a step can notify.
struct Choices {
    operators: Vec<Named>,
    roles: Vec<String>,
    rotations: Vec<Named>,
}

const STEPS_MAX: usize = 10;

#[component]
fn ChainForm(
    key: String,
    chain: Option<ChainRow>,
    choices: StoredValue<Choices>,
    edits: Edits,
) -> impl IntoView {
    let save = ServerAction::<RoutingSaveChain>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            // The reload reuses the form's elements: clear what was typed so the
            // saved values (or, for a new one, empty fields) show.
            if let Some(f) = form.get_untracked() {
                f.reset();
            }
            edits.saved("Chain");
        }
    });
    let steps = chain.as_ref().map(|c| c.form.clone()).unwrap_or_default();
    let rows = RwSignal::new((steps.len() + 1).clamp(2, STEPS_MAX));
    let steps = StoredValue::new(steps);
    let p = StoredValue::new(key);
    let id = chain.as_ref().map(|c| c.id.clone()).unwrap_or_default();
    let name = chain.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let repeat = chain.as_ref().map_or(0, |c| c.repeat).to_string();
    let submit = if chain.is_some() {
        "Save chain"
    } else {
        "Create chain"
    };
    let f = move |s: &str| format!("{}-{s}", p.get_value());
    view! {
        <ActionForm action=save node_ref=form attr:class="grid-form chain-form">
            <input type="hidden" name="id" value=id/>
            <label for=f("name")>"Chain name"</label>
            <input id=f("name") name="name" required maxlength="100" value=name/>
            <For each=move || 0..rows.get() key=|i| *i let:i>
                <StepFields prefix=f(&format!("s{i}")) index=i
                    step=steps.with_value(|s| s.get(i).cloned().unwrap_or_default()) choices/>
            </For>
            <button type="button" class="secondary" disabled={move || rows.get() >= STEPS_MAX}
                on:click=move |_| rows.update(|r| *r = (*r + 1).min(STEPS_MAX))>"Add a step"</button>
            <label for=f("repeat")>"Rounds after the last step (0–10)"</label>
            <input id=f("repeat") name="repeat" type="number" min="0" max="10" inputmode="numeric" value=repeat/>
            <button type="submit" class="primary">{submit}</button>
            {failure(move || save.value().get())}
        </ActionForm>
    }
}

/// One step of the chain form: its wait and whom it notifies (check boxes).
#[component]
fn StepFields(
    prefix: String,
    index: usize,
    step: StepForm,
    choices: StoredValue<Choices>,
) -> impl IntoView {
    let targets = format!("steps[{index}][targets][]");
    let chosen = step.targets.clone();
    let wait_id = format!("{prefix}-wait");
    let box_for = move |n: usize, value: String, label: String, title: Option<String>| {
        let id = format!("{prefix}-t{n}");
        let checked = chosen.contains(&value);
        view! {
            <label class="choice" for=id.clone() title=title>
                <input type="checkbox" id=id.clone() name=targets.clone() value=value checked=checked/>
                {label}
            </label>
        }
    };
    let boxes = choices.with_value(|c| {
        let mut out = Vec::new();
        for o in &c.operators {
            out.push((
                format!("operator:{}", o.id),
                o.name.clone(),
                Some(o.id.clone()),
            ));
        }
        for r in &c.rotations {
            out.push((
                format!("on_call:{}", r.id),
                format!("on call of {}", r.name),
                Some(r.id.clone()),
            ));
        }
        for r in &c.roles {
            out.push((format!("role:{r}"), format!("role {r}"), None));
        }
        out.push(("everyone".into(), "everyone".into(), None));
        out
    });
    view! {
        <fieldset class="step">
            <legend>{format!("Step {}", index + 1)}</legend>
            <div class="choices" role="group" aria-label=format!("Step {} notifies", index + 1)>
                {boxes.into_iter().enumerate().map(|(n, (value, label, title))| box_for(n, value, label, title)).collect_view()}
            </div>
            <label for=wait_id.clone()>"Wait before the next step (minutes)"</label>
            <input id=wait_id name=format!("steps[{index}][wait_minutes]") type="number" min="1" max="10080"
                step="any" inputmode="decimal" value=step.wait_minutes/>
        </fieldset>
    }
}

#[component]
pub fn Rotations(
    rotations: Vec<RotationRow>,
    operators: Vec<Named>,
    time_zone: String,
    edits: Edits,
) -> impl IntoView {
    let operators = StoredValue::new(operators);
    let zone = StoredValue::new(time_zone);
    let none = rotations.is_empty();
    view! {
        <section aria-labelledby="rot-h">
            <h2 id="rot-h">"On-call rotations"</h2>
            <p class="fine">{move || format!("Weekly turns, in order; each hands over at the first handover's weekday and time in {}. An override puts someone else on call for a while.", zone.get_value())}</p>
            <p class="fine" role="status">{move || edits.notice.get().starts_with("Rotation").then(|| edits.notice.get())}</p>
            <table data-testid="rotations">
                <thead><tr><th>"Name"</th><th>"Turn order"</th><th>"On call now"</th><th></th></tr></thead>
                <tbody>
                    {none.then(|| view! { <tr><td colspan="4">"No rotation yet."</td></tr> })}
                    {rotations.into_iter().map(|r| {
                        let delete_label = format!("Delete {}", r.name);
                        let edit_label = format!("Edit {}", r.name);
                        let id = r.id.clone();
                        view! {
                            <tr>
                                <td title=r.id.clone()>{r.name.clone()}</td>
                                <td>
                                    {comma_list(r.operators.clone())}
                                    <p class="fine">{format!("Hands over {}", r.handover)}</p>
                                    {(!r.override_words.is_empty()).then(|| view! {
                                        <ul class="fine overrides">
                                            {r.override_words.clone().into_iter().map(|w| view! { <li>{format!("Override · {w}")}</li> }).collect_view()}
                                        </ul>
                                    })}
                                    <details class="edit">
                                        <summary>{edit_label}</summary>
                                        <RotationForm key=r.id.clone() rotation=Some(r.clone()) operators zone edits/>
                                    </details>
                                </td>
                                <td>{r.on_call_now.clone().map_or_else(|| view! { "nobody" }.into_any(), |n| named(n).into_any())}</td>
                                <td>
                                    <ActionForm action=edits.delete_rotation attr:class="inline">
                                        <input type="hidden" name="id" value=id/>
                                        <button type="submit" class="secondary">{delete_label}</button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {failure(move || edits.delete_rotation.value().get())}
            <details class="edit" open=none>
                <summary>"New rotation"</summary>
                <RotationForm key="new-rotation".into() rotation=None operators zone edits/>
            </details>
        </section>
    }
}

const TURNS_MAX: usize = 50;

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[component]
fn RotationForm(
    key: String,
    rotation: Option<RotationRow>,
    operators: StoredValue<Vec<Named>>,
    zone: StoredValue<String>,
    edits: Edits,
) -> impl IntoView {
    let save = ServerAction::<RoutingSaveRotation>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            // The reload reuses the form's elements: clear what was typed so the
            // saved values (or, for a new one, empty fields) show.
            if let Some(f) = form.get_untracked() {
                f.reset();
            }
            edits.saved("Rotation");
        }
    });
    let order: Vec<String> = rotation
        .as_ref()
        .map(|r| r.operators.iter().map(|o| o.id.clone()).collect())
        .unwrap_or_default();
    let overrides = rotation
        .as_ref()
        .map(|r| r.overrides.clone())
        .unwrap_or_default();
    let turns = RwSignal::new((order.len() + 1).clamp(2, TURNS_MAX));
    let cover = RwSignal::new(overrides.len() + 1);
    let order = StoredValue::new(order);
    let overrides = StoredValue::new(overrides);
    let p = StoredValue::new(key);
    let f = move |s: &str| format!("{}-{s}", p.get_value());
    let id = rotation.as_ref().map(|r| r.id.clone()).unwrap_or_default();
    let name = rotation
        .as_ref()
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let starts_at = rotation
        .as_ref()
        .map(|r| r.starts_at.clone())
        .unwrap_or_default();
    let submit = if rotation.is_some() {
        "Save rotation"
    } else {
        "Create rotation"
    };
    let select = move |id: String, name: String, chosen: String, blank: &'static str| {
        view! {
            <select id=id name=name>
                <option value="" selected=chosen.is_empty()>{blank}</option>
                {operators.get_value().into_iter().map(|o| {
                    let selected = o.id == chosen;
                    view! { <option value=o.id.clone() title=o.id selected=selected>{o.name}</option> }
                }).collect_view()}
            </select>
        }
    };
    view! {
        <ActionForm action=save node_ref=form attr:class="grid-form rotation-form">
            <input type="hidden" name="id" value=id/>
            <label for=f("name")>"Rotation name"</label>
            <input id=f("name") name="name" required maxlength="100" value=name/>
            <fieldset class="turns">
                <legend>"Turn order"</legend>
                <For each=move || 0..turns.get() key=|i| *i let:i>
                    <label for=f(&format!("op{i}"))>{format!("{} on call", ordinal(i + 1))}</label>
                    {select(f(&format!("op{i}")), "operators[]".into(),
                        order.with_value(|o| o.get(i).cloned().unwrap_or_default()), "(nobody)")}
                </For>
                <button type="button" class="secondary" disabled={move || turns.get() >= TURNS_MAX}
                    on:click=move |_| turns.update(|t| *t = (*t + 1).min(TURNS_MAX))>"Add a person"</button>
            </fieldset>
            <label for=f("starts")>{move || format!("First handover ({})", zone.get_value())}</label>
            <input id=f("starts") name="starts_at" type="datetime-local" required value=starts_at/>
            <fieldset class="overrides">
                <legend>"Overrides"</legend>
                <p class="fine">"Someone else on call from one time to another; choose nobody to remove one."</p>
                <For each=move || 0..cover.get() key=|i| *i let:i>
                    {
                        let o = overrides.with_value(|o| o.get(i).cloned().unwrap_or_default());
                        view! {
                            <div class="override">
                                <label for=f(&format!("ov{i}-who"))>{format!("Override {}: who", i + 1)}</label>
                                {select(f(&format!("ov{i}-who")), format!("overrides[{i}][operator_id]"), o.operator_id, "(nobody)")}
                                <label for=f(&format!("ov{i}-from"))>{format!("Override {}: from", i + 1)}</label>
                                <input id=f(&format!("ov{i}-from")) name=format!("overrides[{i}][starts_at]") type="datetime-local" value=o.starts_at/>
                                <label for=f(&format!("ov{i}-until"))>{format!("Override {}: until", i + 1)}</label>
                                <input id=f(&format!("ov{i}-until")) name=format!("overrides[{i}][ends_at]") type="datetime-local" value=o.ends_at/>
                            </div>
                        }
                    }
                </For>
                <button type="button" class="secondary" on:click=move |_| cover.update(|c| *c += 1)>"Add an override"</button>
            </fieldset>
            <button type="submit" class="primary">{submit}</button>
            {failure(move || save.value().get())}
        </ActionForm>
    }
}
