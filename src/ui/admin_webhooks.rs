//! `/admin/webhooks`: subscriptions (create, rotate the secret, delete) and
//! each one's delivery log, with dead letters marked and a Redeliver button.
//! Admins only; every change goes through `ui::pages::admin_webhooks`, which
//! applies the same rules as `/api/v1/webhooks`.

use super::desk::{AdminNav, DeskHeader, Here};
use super::notice::{failure, load_failed};
use super::preload::{desk_user, page_data, preloaded, Loaded, PageData};
use super::title::PageTitle;
use super::types::{NewSecret, SubscriptionRow, WebhooksView};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "admin_webhooks")]
pub async fn admin_webhooks() -> Result<WebhooksView, AppError> {
    let app = use_context::<crate::service::App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    super::actions::ssr::respond(
        crate::ui::pages::admin_webhooks::overview_for(&app, &cookie).await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_webhook_create")]
pub async fn admin_webhook_create(
    url: String,
    events: String,
    signature_scheme: Option<String>,
) -> Result<NewSecret, AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    let scheme = signature_scheme.as_deref();
    super::actions::ssr::respond(
        crate::ui::pages::admin_webhooks::create(&app, &me, &url, &events, scheme).await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_webhook_scheme")]
pub async fn admin_webhook_scheme(id: String, signature_scheme: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::ui::pages::admin_webhooks::set_scheme(&app, &me, &id, &signature_scheme).await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_webhook_rotate")]
pub async fn admin_webhook_rotate(id: String) -> Result<NewSecret, AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(crate::ui::pages::admin_webhooks::rotate(&app, &me, &id).await)
}

#[server(prefix = "/fn", endpoint = "admin_webhook_delete")]
pub async fn admin_webhook_delete(id: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(crate::ui::pages::admin_webhooks::delete(&app, &me, &id).await)
}

#[server(prefix = "/fn", endpoint = "admin_webhook_redeliver")]
pub async fn admin_webhook_redeliver(id: String, delivery_id: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::ui::pages::admin_webhooks::redeliver(&app, &me, &id, &delivery_id).await,
    )
}

fn when(t: &str) -> String {
    t.replace('T', " ")
        .get(..19)
        .unwrap_or_default()
        .to_string()
}

/// How a scheme is shown: what a receiver verifies.
fn scheme_label(name: &str) -> &'static str {
    match name {
        "tapin-v1" => "Standard Webhooks + legacy tapin-signature (deprecated)",
        _ => "Standard Webhooks",
    }
}

/// The signature scheme choice (`signature_scheme`), `current` selected.
#[component]
fn SchemeChoice(id: String, current: String) -> impl IntoView {
    view! {
        <select id=id name="signature_scheme">
            {["standard", "tapin-v1"].into_iter().map(|name| view! {
                <option value=name selected=current == name>{scheme_label(name)}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
pub fn AdminWebhooksPage() -> impl IntoView {
    view! {
        <PageTitle text="Webhooks · tapin"/>
        <AdminWebhooksIsland initial={preloaded::<WebhooksView>()}>
            <DeskHeader here=Here::Admin user=desk_user()/>
            <AdminNav here="/admin/webhooks"/>
        </AdminWebhooksIsland>
    }
}

/// Webhooks: subscriptions and delivery logs; the whole page is one island: its forms and lists live.
// Not in the phone pages' module (feature `phone`, docs/performance.md): there
// it is a plain component, which nothing in the browser calls, so its code and
// its strings are left out.
#[cfg_attr(not(feature = "phone"), island(lazy))]
#[cfg_attr(feature = "phone", component)]
fn AdminWebhooksIsland(initial: Loaded<WebhooksView>, children: Children) -> impl IntoView {
    super::hydrated::island_ready();
    let create = ServerAction::<AdminWebhookCreate>::new();
    let rotate = ServerAction::<AdminWebhookRotate>::new();
    let delete = ServerAction::<AdminWebhookDelete>::new();
    let redeliver = ServerAction::<AdminWebhookRedeliver>::new();
    let scheme = ServerAction::<AdminWebhookScheme>::new();
    let data = page_data(
        initial,
        move || {
            (
                create.version().get(),
                rotate.version().get(),
                delete.version().get(),
                redeliver.version().get(),
                scheme.version().get(),
            )
        },
        |_| admin_webhooks(),
    );
    // The newest secret, from creating or rotating: shown once, above the list.
    let secret = RwSignal::new(None::<NewSecret>);
    Effect::new(move |_| {
        if let Some(Ok(s)) = create.value().get() {
            secret.set(Some(s));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(s)) = rotate.value().get() {
            secret.set(Some(s));
        }
    });
    // A deleted subscription's secret is of no use any more.
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            secret.set(None);
        }
    });
    view! {
        <main class="page wide admin">
            {children()}
            {move || secret.get().map(|s| view! {
                <p class="notice" role="status">
                    "Signing secret for " <code>{s.url}</code> ". Copy it now, it is shown once: "
                    <code data-testid="new-secret">{s.secret}</code>
                </p>
            })}
            {move || match data.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(v)) => view! { <Webhooks v data create rotate delete redeliver scheme/> }.into_any(),
                Some(Err(e)) => load_failed("Webhooks", "/admin/webhooks", e),
            }}
        </main>
    }
}

#[component]
fn Webhooks(
    v: WebhooksView,
    data: PageData<WebhooksView>,
    create: ServerAction<AdminWebhookCreate>,
    rotate: ServerAction<AdminWebhookRotate>,
    delete: ServerAction<AdminWebhookDelete>,
    redeliver: ServerAction<AdminWebhookRedeliver>,
    scheme: ServerAction<AdminWebhookScheme>,
) -> impl IntoView {
    let none = v.subscriptions.is_empty();
    view! {
        <h1>"Webhooks"</h1>
        <p>"Each subscription receives the events it names as signed JSON POSTs, retried with backoff for 24 hours, then kept here as a dead letter."</p>
        <ActionForm action=create attr:class="grid-form">
            <h2>"Add a subscription"</h2>
            <label for="hook-url">"URL (http or https)"</label>
            <input id="hook-url" name="url" type="url" required placeholder="https://example.com/tapin"/>
            <label for="hook-events">"Events (comma-separated, * for all)"</label>
            <input id="hook-events" name="events" value="*" aria-describedby="hook-known"/>
            <p id="hook-known" class="fine">"Known: " {v.known_events.join(", ")}</p>
            <label for="hook-scheme">"Signature"</label>
            <SchemeChoice id="hook-scheme".to_string() current="standard".to_string()/>
            <button type="submit" class="primary">"Add subscription"</button>
            {failure(move || create.value().get())}
        </ActionForm>
        {failure(move || rotate.value().get())}
        {failure(move || delete.value().get())}
        {failure(move || redeliver.value().get())}
        {failure(move || scheme.value().get())}
        <p>
            <button type="button" class="secondary" on:click=move |_| data.refetch()>"Refresh"</button>
        </p>
        {none.then(|| view! { <p class="notice" role="status">"No subscriptions yet."</p> })}
        {v.subscriptions.into_iter().map(|s| view! { <Subscription s rotate delete redeliver scheme/> }).collect_view()}
    }
}

#[component]
fn Subscription(
    s: SubscriptionRow,
    rotate: ServerAction<AdminWebhookRotate>,
    delete: ServerAction<AdminWebhookDelete>,
    redeliver: ServerAction<AdminWebhookRedeliver>,
    scheme: ServerAction<AdminWebhookScheme>,
) -> impl IntoView {
    let (labelled_by, heading) = (format!("hook-{}", s.id), format!("hook-{}", s.id));
    let (id_rotate, id_delete, id_scheme) = (s.id.clone(), s.id.clone(), s.id.clone());
    let scheme_select = format!("scheme-{}", s.id);
    let hook_id = s.id.clone();
    let empty = s.deliveries.is_empty();
    view! {
        <section class="subscription" aria-labelledby=labelled_by data-url=s.url.clone()>
            <h2 id=heading><code>{s.url.clone()}</code></h2>
            <p>"Events: " {s.events.clone()} <span class="fine">{format!(" · since {}", when(&s.created_at))}</span></p>
            <p data-testid="signature-scheme" data-scheme=s.signature_scheme.clone()>
                "Signature: " {scheme_label(&s.signature_scheme)}
            </p>
            <ActionForm action=scheme attr:class="inline">
                <input type="hidden" name="id" value=id_scheme/>
                <label for=scheme_select.clone()>"Change the signature to "</label>
                <SchemeChoice id=scheme_select current=s.signature_scheme.clone()/>
                <button type="submit" class="secondary">"Save signature"</button>
            </ActionForm>
            <div class="actions-row">
                <ActionForm action=rotate>
                    <input type="hidden" name="id" value=id_rotate/>
                    <button type="submit" class="secondary">"Rotate secret"</button>
                </ActionForm>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id_delete/>
                    <button type="submit" class="secondary">"Delete subscription"</button>
                </ActionForm>
            </div>
            <h3>"Deliveries"</h3>
            {empty.then(|| view! { <p class="fine">"Nothing sent yet."</p> })}
            {(!empty).then(|| view! {
                <table class="deliveries">
                    <thead><tr>
                        <th>"Event"</th><th>"Handoff or conversation"</th><th>"Status"</th><th>"Attempts"</th>
                        <th>"Last result"</th><th>"Next try"</th><th>"Created"</th><th><span class="sr-only">"Action"</span></th>
                    </tr></thead>
                    <tbody>
                        {s.deliveries.into_iter().map(|d| {
                            let hook_id = hook_id.clone();
                            let can_redeliver = d.status != "pending";
                            let badge = match d.status.as_str() {
                                "dead" => "dead letter".to_string(),
                                other => other.to_string(),
                            };
                            view! {
                                <tr data-status=d.status.clone() data-event=d.event.clone()>
                                    <td>{d.event.clone()}</td>
                                    <td><code>{d.subject.clone()}</code></td>
                                    <td><span class=format!("badge {}", d.status)>{badge}</span></td>
                                    <td>{d.attempts}</td>
                                    <td>{d.last_result.clone()}</td>
                                    <td>{d.next_attempt_at.as_deref().map(when).unwrap_or_default()}</td>
                                    <td>{when(&d.created_at)}</td>
                                    <td>
                                        {can_redeliver.then(|| view! {
                                            <ActionForm action=redeliver>
                                                <input type="hidden" name="id" value=hook_id/>
                                                <input type="hidden" name="delivery_id" value=d.id.clone()/>
                                                <button type="submit" class="secondary">"Redeliver"</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
