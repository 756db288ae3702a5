//! `/admin/routing`: the routing policies (add, reorder, remove), a box to
//! test them against a sample packet, the default route and Slack hook; the
//! time zone, escalation chains and on-call rotations come from `routing_edit`.

// The test box's server function takes one argument per form field.
#![allow(clippy::too_many_arguments)]

use super::desk::{AdminNav, DeskHeader, Here};
use super::notice::{failure, load_failed};
use super::preload::{desk_user, page_data, preloaded, Loaded};
use super::routing_edit::{Chains, Edits, Rotations, TimeZone};
use super::title::PageTitle;
use super::types::{Named, PolicyTestView, RoutingView};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "routing_screen")]
pub async fn routing_screen() -> Result<RoutingView, AppError> {
    let app = use_context::<crate::service::App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    super::actions::ssr::respond(crate::ui::pages::admin_routing::screen_for(&app, &cookie).await)
}

#[server(prefix = "/fn", endpoint = "routing_add_policy")]
pub async fn routing_add_policy(
    name: String,
    condition: String,
    route: String,
    priority: String,
    auto_resolve: String,
    expire_after_seconds: String,
    #[server(default)] approver_role: String,
    #[server(default)] four_eyes: String,
    #[server(default)] required_approvals: String,
) -> Result<(), AppError> {
    use crate::ui::pages::admin_routing::{add_policy, PolicyForm};
    let (app, me) = super::actions::ssr::operator().await?;
    let form = PolicyForm {
        name,
        condition,
        route,
        priority,
        auto_resolve,
        expire_after_seconds,
        approver_role,
        four_eyes,
        required_approvals,
    };
    super::actions::ssr::respond(add_policy(&app, &me, form).await)
}

#[server(prefix = "/fn", endpoint = "routing_change_policy")]
pub async fn routing_change_policy(index: usize, up: bool) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::ui::pages::admin_routing::change_policy(&app, &me, index, up).await,
    )
}

#[server(prefix = "/fn", endpoint = "routing_save_settings")]
pub async fn routing_save_settings(
    default_chain_id: String,
    slack_webhook_url: String,
) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::ui::pages::admin_routing::save_settings(
            &app,
            &me,
            &default_chain_id,
            &slack_webhook_url,
        )
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "routing_test")]
pub async fn routing_test(
    kind: String,
    source: String,
    priority: String,
    approver_role: String,
    subject_ref: String,
    static_text: String,
    context: String,
    at: String,
) -> Result<PolicyTestView, AppError> {
    use crate::ui::pages::admin_routing::{test, SampleForm};
    let (app, me) = super::actions::ssr::operator().await?;
    let form = SampleForm {
        kind,
        source,
        priority,
        approver_role,
        subject_ref,
        static_text,
        context,
        at,
    };
    super::actions::ssr::respond(test(&app, &me, form).await)
}

#[component]
pub fn RoutingPage() -> impl IntoView {
    view! {
        <PageTitle text="Routing · tapin"/>
        <RoutingIsland initial={preloaded::<RoutingView>()}>
            <DeskHeader here=Here::Admin user=desk_user()/>
            <AdminNav here="/admin/routing"/>
        </RoutingIsland>
    }
}

/// Routing: policies, chains, settings; the whole page is one island: its forms and lists live.
// Not in the phone pages' module (feature `phone`, docs/performance.md): there
// it is a plain component, which nothing in the browser calls, so its code and
// its strings are left out.
#[cfg_attr(not(feature = "phone"), island(lazy))]
#[cfg_attr(feature = "phone", component)]
fn RoutingIsland(initial: Loaded<RoutingView>, children: Children) -> impl IntoView {
    super::hydrated::island_ready();
    let add = ServerAction::<RoutingAddPolicy>::new();
    let change = ServerAction::<RoutingChangePolicy>::new();
    let settings = ServerAction::<RoutingSaveSettings>::new();
    let test = ServerAction::<RoutingTest>::new();
    let edits = Edits {
        zone: ServerAction::new(),
        delete_chain: ServerAction::new(),
        delete_rotation: ServerAction::new(),
        saved: RwSignal::new(0),
        notice: RwSignal::new(String::new()),
    };
    let data = page_data(
        initial,
        move || {
            (
                (
                    add.version().get(),
                    change.version().get(),
                    settings.version().get(),
                ),
                (
                    edits.zone.version().get(),
                    edits.delete_chain.version().get(),
                    edits.delete_rotation.version().get(),
                    edits.saved.get(),
                ),
            )
        },
        |_| routing_screen(),
    );
    view! {
        <main class="page wide admin routing">
            {children()}
            {move || match data.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(v)) => view! { <Sections v add change settings test edits/> }.into_any(),
                Some(Err(e)) => load_failed("Routing", "/admin/routing", e),
            }}
        </main>
    }
}

#[component]
fn Sections(
    v: RoutingView,
    add: ServerAction<RoutingAddPolicy>,
    change: ServerAction<RoutingChangePolicy>,
    settings: ServerAction<RoutingSaveSettings>,
    test: ServerAction<RoutingTest>,
    edits: Edits,
) -> impl IntoView {
    let add_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(form)) = (add.value().get(), add_form.get()) {
            form.reset();
        }
    });
    let chain_options = v.chains.clone();
    let default_options = v.chains.clone();
    let default_chain = v.default_chain_id.clone().unwrap_or_default();
    let zone = v.time_zone.clone();
    view! {
        <h1>"Routing"</h1>
        <section aria-labelledby="pol-h">
            <h2 id="pol-h">"Policies"</h2>
            <p class="fine">{format!("Checked in order when a handoff or approval is created; the first whose condition is true applies. Variables: kind, source, priority, approver_role, subject_kind, subject_ref, payload.*, requester (\"api_key:<id>\", \"operator:<id>\"), packet.static_text, packet.reason, packet.summary, context.*, hour, minute, time (\"HH:MM\"), weekday (\"mon\"…\"sun\"), in the organization's time zone ({zone}).")}</p>
            <table data-testid="policies">
                <thead><tr><th>"#"</th><th>"Name"</th><th>"Condition"</th><th>"Then"</th><th></th></tr></thead>
                <tbody>
                    {v.policies.is_empty().then(|| view! { <tr><td colspan="5">"No policy yet: handoffs take the default route."</td></tr> })}
                    {v.policies.into_iter().enumerate().map(|(i, p)| {
                        let up_label = format!("Move {} up", p.name);
                        let remove_label = format!("Remove {}", p.name);
                        view! {
                        <tr>
                            <td>{i + 1}</td>
                            <td>{p.name.clone()}</td>
                            <td><code>{p.condition.clone()}</code></td>
                            <td>{p.actions.clone()}</td>
                            <td>
                                {(i > 0).then(|| view! {
                                    <ActionForm action=change attr:class="inline">
                                        <input type="hidden" name="index" value=i.to_string()/>
                                        <input type="hidden" name="up" value="true"/>
                                        <button type="submit" class="secondary">{up_label}</button>
                                    </ActionForm>
                                })}
                                <ActionForm action=change attr:class="inline">
                                    <input type="hidden" name="index" value=i.to_string()/>
                                    <input type="hidden" name="up" value="false"/>
                                    <button type="submit" class="secondary">{remove_label}</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
            {failure(move || change.value().get())}
            <ActionForm action=add attr:class="grid-form" node_ref=add_form>
                <h3>"Add a policy"</h3>
                <label for="pol-name">"Name"</label><input id="pol-name" name="name" required/>
                <label for="pol-cond">"Condition"</label>
                <input id="pol-cond" name="condition" required placeholder="kind == 'approval' and subject_ref == 'orders.lookup'"/>
                <label for="pol-route">"Route to"</label>
                <select id="pol-route" name="route">
                    <option value="">"(default route)"</option>
                    {chain_options.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                </select>
                <label for="pol-priority">"Priority"</label>
                <select id="pol-priority" name="priority">
                    <option value="">"(as sent)"</option>
                    <option>"low"</option><option>"medium"</option><option>"high"</option><option>"urgent"</option>
                </select>
                <label for="pol-auto">"Resolve without a person"</label>
                <select id="pol-auto" name="auto_resolve">
                    <option value="">"no"</option>
                    <option value="approve">"approve (approvals)"</option>
                    <option value="deny">"deny (approvals)"</option>
                    <option value="resolve">"resolve (takeovers)"</option>
                </select>
                <label for="pol-expire">"Expire after (seconds, optional)"</label>
                <input id="pol-expire" name="expire_after_seconds" inputmode="numeric"/>
                <label for="pol-role">"Approver role (approvals; replaces the agent’s)"</label>
                <input id="pol-role" name="approver_role" maxlength="200" placeholder="finance_lead"/>
                <label for="pol-four-eyes">"Four-eyes (approvals)"</label>
                <select id="pol-four-eyes" name="four_eyes">
                    <option value="">"as the agent asked"</option>
                    <option value="true">"yes: the requester cannot decide"</option>
                </select>
                <label for="pol-quorum">"Approvals needed (approvals, 1–10)"</label>
                <input id="pol-quorum" name="required_approvals" type="number" min="1" max="10" inputmode="numeric" placeholder="as the agent asked"/>
                <button type="submit" class="primary">"Add policy"</button>
                {failure(move || add.value().get())}
            </ActionForm>
        </section>

        <section aria-labelledby="test-h">
            <h2 id="test-h">"Test the policies"</h2>
            <ActionForm action=test attr:class="grid-form">
                <label for="t-kind">"Kind"</label>
                <select id="t-kind" name="kind">
                    <option>"approval"</option><option selected>"takeover"</option><option>"assist"</option><option>"agent"</option>
                </select>
                <label for="t-source">"Source"</label>
                <select id="t-source" name="source">
                    <option>"router"</option><option>"workflow_terminal"</option><option>"policy"</option><option>"operator"</option>
                </select>
                <label for="t-priority">"Priority"</label>
                <select id="t-priority" name="priority">
                    <option>"low"</option><option selected>"medium"</option><option>"high"</option><option>"urgent"</option>
                </select>
                <label for="t-role">"Approver role"</label><input id="t-role" name="approver_role"/>
                <label for="t-ref">"Subject ref (approvals)"</label><input id="t-ref" name="subject_ref" placeholder="refund.create"/>
                <label for="t-text">"Packet text"</label><input id="t-text" name="static_text"/>
                <label for="t-context">"Context variables (JSON)"</label>
                <textarea id="t-context" name="context" rows="3" placeholder="{\"amount\": 40, \"tier\": \"gold\"}"></textarea>
                <label for="t-at">{format!("At ({zone}; empty = now)")}</label><input id="t-at" name="at" type="datetime-local"/>
                <button type="submit" class="primary">"Test"</button>
            </ActionForm>
            {move || test.value().get().map(|r| match r {
                Ok(t) => view! {
                    <div class="notice result" role="status" data-testid="test-result">
                        <p>{match t.matched { Some(n) => format!("Matches “{n}”."), None => "No policy matches: the default route applies.".into() }}</p>
                        <p>{format!("Route: {} · priority {}", t.route, t.priority)}</p>
                        {t.auto_resolve.map(|a| view! { <p>{format!("Resolved without a person: {a}")}</p> })}
                        {t.expire_after_seconds.map(|s| view! { <p>{format!("Expires after {s} s")}</p> })}
                        {t.approver_role.map(|r| view! { <p>{format!("Decided by the role {r}")}</p> })}
                        {t.four_eyes.then(|| view! { <p>"Four-eyes: the requester cannot decide"</p> })}
                        {t.required_approvals.filter(|n| *n > 1).map(|n| view! { <p>{format!("Needs {n} approvals")}</p> })}
                        {t.errors.into_iter().map(|e| view! { <p class="fine">{format!("Skipped a policy: {e}")}</p> }).collect_view()}
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
            })}
        </section>

        <section aria-labelledby="def-h">
            <h2 id="def-h">"Default route and Slack"</h2>
            <ActionForm action=settings attr:class="grid-form">
                <label for="def-chain">"When no policy routes a handoff"</label>
                <select id="def-chain" name="default_chain_id">
                    <option value="" selected=default_chain.is_empty()>"Everyone who may act, told once"</option>
                    {default_options.into_iter().map(|c| {
                        let selected = c.id == default_chain;
                        view! { <option value=c.id selected=selected>{c.name}</option> }
                    }).collect_view()}
                </select>
                <label for="def-slack">"Slack incoming webhook URL"</label>
                <input id="def-slack" name="slack_webhook_url" type="url" value=v.slack_webhook_url.unwrap_or_default() placeholder="https://hooks.slack.com/services/…"/>
                <button type="submit" class="primary">"Save"</button>
                {failure(move || settings.value().get())}
                {move || settings.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="fine" role="status">"Saved."</p> })}
            </ActionForm>
        </section>

        <TimeZone time_zone=v.time_zone.clone() zone_now=v.zone_now.clone() action=edits.zone/>
        <Chains chains=v.chains rotations=v.rotations.iter().map(|r| Named { id: r.id.clone(), name: r.name.clone() }).collect() operators=v.operators.clone() roles=v.roles edits/>
        <Rotations rotations=v.rotations operators=v.operators time_zone=v.time_zone edits/>
    }
}
