//! `/inbox`: the organization's open handoffs and pending approvals, filtered
//! by a plain GET form (works without JavaScript) and kept live.

use super::preload::{page_data, preloaded, Loaded};
use super::session::{load_inbox, Logout};
use super::title::PageTitle;
use super::types::{InboxFilter, InboxItem, InboxScreen};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InboxPage() -> impl IntoView {
    let filter = use_query_map().with_untracked(|q| InboxFilter {
        kind: q.get("kind"),
        status: q.get("status"),
        role: q.get("role"),
        assignee: q.get("assignee"),
    });
    view! {
        <PageTitle text="Inbox · tapin"/>
        <InboxIsland initial={preloaded::<InboxScreen>()} filter/>
    }
}

/// The list, refreshed whenever anything in the organization changes.
#[island(lazy)]
fn InboxIsland(initial: Loaded<InboxScreen>, filter: InboxFilter) -> impl IntoView {
    super::hydrated::island_ready();
    let key = filter.clone();
    let data = page_data(
        initial,
        move || key.clone(),
        |f| load_inbox(f.kind, f.status, f.role, f.assignee),
    );
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        super::live::follow("/inbox/live", &super::live::EVENT_NAMES, move |_, _| {
            data.refetch()
        });
    });
    view! {
        <main class="page wide">
            {move || match data.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(InboxScreen::Inbox { operator_name, items })) => view! {
                    <Inbox operator_name items filter=filter.clone()/>
                }.into_any(),
                Some(Ok(InboxScreen::SignIn)) => view! {
                    <section class="notice">
                        <h1>"Sign in to see the inbox"</h1>
                        <p><a href="/login?next=/inbox">"Sign in"</a></p>
                    </section>
                }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
            }}
        </main>
    }
}

fn option(value: &'static str, label: &'static str, current: &Option<String>) -> impl IntoView {
    let selected = current.as_deref().unwrap_or("") == value;
    view! { <option value=value selected=selected>{label}</option> }
}

#[component]
fn Inbox(operator_name: String, items: Vec<InboxItem>, filter: InboxFilter) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let count = items.len();
    view! {
        <header class="bar">
            <span class="brand">"tapin"</span>
            <span class="who">{operator_name}</span>
            <a href="/settings">"Notifications"</a>
            <ActionForm action=logout>
                <button type="submit" class="link">"Sign out"</button>
            </ActionForm>
        </header>
        <h1>"Inbox " <span class="count">{format!("({count})")}</span></h1>
        <form method="get" action="/inbox" class="filters" aria-label="Filters">
            <label>"Kind "
                <select name="kind">
                    {option("", "any", &filter.kind)}
                    {option("takeover", "takeover", &filter.kind)}
                    {option("approval", "approval", &filter.kind)}
                    {option("assist", "assist", &filter.kind)}
                    {option("agent", "agent", &filter.kind)}
                </select>
            </label>
            <label>"Status "
                <select name="status">
                    {option("", "any open", &filter.status)}
                    {option("created", "new", &filter.status)}
                    {option("notified", "notified", &filter.status)}
                    {option("escalated", "escalated", &filter.status)}
                    {option("opened", "opened", &filter.status)}
                    {option("solving", "in progress", &filter.status)}
                </select>
            </label>
            <label>"Role "
                <input name="role" size="14" value=filter.role.clone().unwrap_or_default() placeholder="any"/>
            </label>
            <label>"Assignee "
                <select name="assignee">
                    {option("", "anyone", &filter.assignee)}
                    {option("me", "me", &filter.assignee)}
                    {option("unassigned", "unassigned", &filter.assignee)}
                </select>
            </label>
            <button type="submit" class="secondary">"Filter"</button>
        </form>
        {(count == 0).then(|| view! { <p class="notice" role="status">"Nothing is waiting. New handoffs appear here as they arrive."</p> })}
        <ul class="queue" aria-live="polite">
            {items.into_iter().map(|i| view! {
                <li data-kind=i.kind.clone() data-id=i.id.clone()>
                    <a href=format!("/m/{}", i.id)>
                        <span class="pill">{i.status.clone()}</span>
                        <span class="kind">{i.kind.clone()}</span>
                        {(i.priority != "medium").then(|| view! { <span class="kind">{i.priority.clone()}</span> })}
                        <strong class="title">{i.title.clone()}</strong>
                        {i.detail.clone().map(|d| view! { <span class="fine">{d}</span> })}
                        <span class="fine">
                            {i.approver_role.clone().map(|r| format!("needs {r} · ")).unwrap_or_default()}
                            {match (&i.assignee, i.mine) {
                                (_, true) => "yours".to_string(),
                                (Some(a), false) => format!("with {a}"),
                                (None, _) => "unassigned".to_string(),
                            }}
                        </span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}
