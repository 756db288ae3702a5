//! `/admin`: operators, API keys, approval messages and the audit log.

use super::admin_fns::*;
use super::admin_slack::SlackSection;
use super::desk::{AdminNav, DeskHeader, Here};
use super::notice::{failure, load_failed};
use super::preload::{desk_user, page_data, preloaded, Loaded};
use super::title::PageTitle;
use super::types::AdminView;
use leptos::prelude::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <PageTitle text="Admin · tapin"/>
        <AdminIsland initial={preloaded::<AdminView>()}>
            <DeskHeader here=Here::Admin user=desk_user()/>
            <AdminNav here="/admin"/>
        </AdminIsland>
    }
}

/// Administration: operators, keys, messages, audit; the whole page is one island: its forms and lists live.
// Not in the phone pages' module (feature `phone`, docs/performance.md): there
// it is a plain component, which nothing in the browser calls, so its code and
// its strings are left out.
#[cfg_attr(not(feature = "phone"), island(lazy))]
#[cfg_attr(feature = "phone", component)]
fn AdminIsland(initial: Loaded<AdminView>, children: Children) -> impl IntoView {
    super::hydrated::island_ready();
    let add = ServerAction::<AdminAddOperator>::new();
    let update = ServerAction::<AdminUpdateOperator>::new();
    let create_key = ServerAction::<AdminCreateKey>::new();
    let revoke = ServerAction::<AdminRevokeKey>::new();
    let messages = ServerAction::<AdminSaveMessages>::new();
    let target = ServerAction::<AdminSaveResponseTarget>::new();
    let add_snippet = ServerAction::<AdminAddSnippet>::new();
    let delete_snippet = ServerAction::<AdminDeleteSnippet>::new();
    let verify = ServerAction::<AdminVerify>::new();
    let slack_secret = ServerAction::<AdminSlackSecret>::new();
    let slack_user = ServerAction::<AdminSlackUser>::new();
    // Reload after any change.
    let data = page_data(
        initial,
        move || {
            (
                add.version().get(),
                update.version().get(),
                create_key.version().get(),
                revoke.version().get(),
                messages.version().get(),
                target.version().get(),
                add_snippet.version().get(),
                delete_snippet.version().get(),
                slack_secret.version().get(),
                slack_user.version().get(),
            )
        },
        |_| admin_overview(),
    );
    view! {
        <main class="page wide admin">
            {children()}
            {move || match data.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(mut v)) => {
                    let snippets = std::mem::take(&mut v.snippets);
                    let slack = v.slack.clone();
                    view! {
                        <Sections v add update create_key revoke messages target verify/>
                        <Snippets rows=snippets add=add_snippet delete=delete_snippet/>
                        <SlackSection v=slack secret=slack_secret user=slack_user/>
                    }.into_any()
                }
                Some(Err(e)) => load_failed("Administration", "/admin", e),
            }}
        </main>
    }
}

#[component]
fn Sections(
    v: AdminView,
    add: ServerAction<AdminAddOperator>,
    update: ServerAction<AdminUpdateOperator>,
    create_key: ServerAction<AdminCreateKey>,
    revoke: ServerAction<AdminRevokeKey>,
    messages: ServerAction<AdminSaveMessages>,
    target: ServerAction<AdminSaveResponseTarget>,
    verify: ServerAction<AdminVerify>,
) -> impl IntoView {
    let new_key = move || create_key.value().get().and_then(|r| r.ok());
    // A saved operator clears the form, ready for the next one.
    let add_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(form)) = (add.value().get(), add_form.get()) {
            form.reset();
        }
    });
    view! {
        <h1>"Administration"</h1>
        <section aria-labelledby="ops-h">
            <h2 id="ops-h">"Operators"</h2>
            <table>
                <thead><tr><th>"Name"</th><th>"Email"</th><th>"Roles"</th><th>"Status"</th><th></th></tr></thead>
                <tbody>
                    {v.operators.into_iter().map(|o| view! { <OperatorLine o update/> }).collect_view()}
                </tbody>
            </table>
            {failure(move || update.value().get())}
            <ActionForm action=add attr:class="grid-form" node_ref=add_form>
                <h3>"Add an operator"</h3>
                <label for="op-name">"Name"</label><input id="op-name" name="name" required/>
                <label for="op-email">"Email"</label><input id="op-email" name="email" type="email" required/>
                <label for="op-roles">"Roles (comma-separated)"</label><input id="op-roles" name="roles" placeholder="support, billing_manager"/>
                <label for="op-password">"Password (optional, 10+ characters)"</label><input id="op-password" name="password" type="password" autocomplete="new-password"/>
                <button type="submit" class="primary">"Add operator"</button>
                {failure(move || add.value().get())}
            </ActionForm>
        </section>

        <section aria-labelledby="keys-h">
            <h2 id="keys-h">"API keys"</h2>
            <table>
                <thead><tr><th>"Name"</th><th>"Key"</th><th>"Scopes"</th><th>"Created"</th><th></th></tr></thead>
                <tbody>
                    {v.keys.into_iter().map(|k| view! {
                        <tr>
                            <td>{k.name.clone()}</td>
                            <td><code>{format!("{}…", k.prefix)}</code></td>
                            <td>{k.scopes.clone()}</td>
                            <td>{k.created_at.clone()}</td>
                            <td>
                                {if k.revoked {
                                    view! { <span class="fine">"revoked"</span> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=revoke>
                                            <input type="hidden" name="id" value=k.id.clone()/>
                                            <button type="submit" class="secondary">{format!("Revoke {}", k.name)}</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {failure(move || revoke.value().get())}
            <ActionForm action=create_key attr:class="grid-form">
                <h3>"Create a key"</h3>
                <label for="key-name">"Name"</label><input id="key-name" name="name" required/>
                <label for="key-scopes">"Scopes"</label><input id="key-scopes" name="scopes" value="read, handoffs:write, approvals:write"/>
                <button type="submit" class="primary">"Create key"</button>
                {failure(move || create_key.value().get())}
            </ActionForm>
            {move || new_key().map(|k| view! {
                <p class="notice" role="status">"Copy it now, it is shown once: " <code data-testid="new-key">{k}</code></p>
            })}
        </section>

        <section aria-labelledby="msg-h">
            <h2 id="msg-h">"Approval messages"</h2>
            <ActionForm action=messages attr:class="grid-form">
                <label for="holding">"Holding line (sent when a conversation starts waiting for an approval)"</label>
                <textarea id="holding" name="holding_line" rows="2">{v.holding_line.clone()}</textarea>
                <label for="waiting">"Waiting reply (sent when the customer writes while it waits)"</label>
                <textarea id="waiting" name="waiting_reply" rows="2">{v.waiting_reply.clone()}</textarea>
                <button type="submit" class="primary">"Save messages"</button>
                {failure(move || messages.value().get())}
                {move || messages.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="fine" role="status">"Saved."</p> })}
            </ActionForm>
        </section>

        <section aria-labelledby="target-h">
            <h2 id="target-h">"Response target"</h2>
            <ActionForm action=target attr:class="inline">
                <label for="target">"Pick up open handoffs within (minutes) "</label>
                <input id="target" name="response_target_minutes" type="number" min="1" max="1440"
                    inputmode="numeric" value=v.response_target_minutes.to_string()/>
                <button type="submit" class="primary">"Save target"</button>
            </ActionForm>
            <p class="fine">"The inbox colours each waiting time against it: amber past half, red past the target."</p>
            {failure(move || target.value().get())}
            {move || target.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="fine" role="status">"Saved."</p> })}
        </section>

        <section aria-labelledby="audit-h">
            <h2 id="audit-h">"Audit log"</h2>
            <ActionForm action=verify>
                <button type="submit" class="secondary">"Verify chain"</button>
            </ActionForm>
            {move || verify.value().get().map(|r| {
                let text = r.unwrap_or_else(|e| e.message);
                view! { <p class="notice" role="status" data-testid="verify-result">{text}</p> }
            })}
            <table class="audit">
                <thead><tr><th>"#"</th><th>"Event"</th><th>"State"</th><th>"Actor"</th><th>"When"</th><th>"Hash"</th></tr></thead>
                <tbody>
                    {v.events.into_iter().map(|e| view! {
                        <tr>
                            <td>{e.seq}</td>
                            <td><a href=format!("/m/{}", e.handoff_id)>{e.event.clone()}</a></td>
                            <td>{e.to_state.clone()}</td>
                            <td title=e.actor.clone()>{e.actor_name.clone()}</td>
                            <td>{e.created_at.clone()}</td>
                            <td><code>{e.hash.clone()}</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Canned replies: added here, inserted with `/shortcut` in a takeover's chat box.
#[component]
fn Snippets(
    rows: Vec<super::types::SnippetRow>,
    add: ServerAction<AdminAddSnippet>,
    delete: ServerAction<AdminDeleteSnippet>,
) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(f)) = (add.value().get(), form.get()) {
            f.reset();
        }
    });
    let none = rows.is_empty();
    view! {
        <section aria-labelledby="snip-h">
            <h2 id="snip-h">"Canned replies"</h2>
            <p class="fine">"Operators insert one by typing " <kbd>"/"</kbd> " and its shortcut in a takeover's chat box."</p>
            <table data-testid="snippets">
                <thead><tr><th>"Shortcut"</th><th>"Reply"</th><th><span class="sr-only">"Delete"</span></th></tr></thead>
                <tbody>
                    {none.then(|| view! { <tr><td colspan="3">"No canned reply yet."</td></tr> })}
                    {rows.into_iter().map(|r| {
                        let id = r.id.clone();
                        let label = format!("Delete /{}", r.shortcut);
                        view! {
                            <tr data-shortcut=r.shortcut.clone()>
                                <td><code>{format!("/{}", r.shortcut)}</code></td>
                                <td>{r.body.clone()}</td>
                                <td>
                                    <button type="button" class="secondary" aria-label=label
                                        on:click=move |_| { delete.dispatch(AdminDeleteSnippet { id: id.clone() }); }>
                                        "Delete"
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <ActionForm action=add node_ref=form attr:class="grid-form">
                <label for="snip-short">"Shortcut (after /)"</label>
                <input id="snip-short" name="shortcut" maxlength="30" autocomplete="off" placeholder="refund-policy"/>
                <label for="snip-body">"Reply"</label>
                <textarea id="snip-body" name="body" rows="2" maxlength="2000"></textarea>
                <button type="submit" class="primary">"Add canned reply"</button>
            </ActionForm>
            {failure(move || add.value().get())}
            {failure(move || delete.value().get())}
        </section>
    }
}

#[component]
fn OperatorLine(
    o: super::types::OperatorRow,
    update: ServerAction<AdminUpdateOperator>,
) -> impl IntoView {
    let (id_roles, id_active, roles_for) = (o.id.clone(), o.id.clone(), format!("roles-{}", o.id));
    view! {
        <tr data-email=o.email.clone()>
            <td>{o.name.clone()}</td>
            <td>{o.email.clone()}</td>
            <td>
                <ActionForm action=update attr:class="inline">
                    <input type="hidden" name="id" value=id_roles/>
                    <label class="sr-only" for=roles_for.clone()>{format!("Roles of {}", o.name)}</label>
                    <input id=roles_for name="roles" value=o.roles.clone() size="22"/>
                    <button type="submit" class="secondary">"Save roles"</button>
                </ActionForm>
            </td>
            <td>{if o.active { "active" } else { "deactivated" }}</td>
            <td>
                {(!o.is_me).then(|| view! {
                    <ActionForm action=update>
                        <input type="hidden" name="id" value=id_active.clone()/>
                        <input type="hidden" name="active" value=(!o.active).to_string()/>
                        <button type="submit" class="secondary">{if o.active { "Deactivate" } else { "Reactivate" }}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
