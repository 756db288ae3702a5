//! `/inbox`: the organization's open handoffs and pending approvals, filtered
//! by a plain GET form (works without JavaScript) and kept live.

use super::desk::{DeskHeader, Here};
use super::duration::human;
use super::inbox_bulk::{Bulk, BulkBar, Pick};
use super::preload::{desk_user, page_data, preloaded, Loaded};
use super::session::load_inbox;
use super::title::PageTitle;
use super::types::{CountChip, InboxFilter, InboxItem, InboxScreen};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InboxPage() -> impl IntoView {
    let filter = use_query_map().with_untracked(|q| InboxFilter {
        kind: q.get("kind"),
        status: q.get("status"),
        role: q.get("role"),
        assignee: q.get("assignee"),
        q: q.get("q"),
        sort: q.get("sort"),
    });
    let select_all = use_query_map().with_untracked(|q| q.get("select").as_deref() == Some("all"));
    view! {
        <PageTitle text="Inbox · tapin"/>
        <InboxIsland initial={preloaded::<InboxScreen>()} filter select_all>
            <DeskHeader here=Here::Inbox user=desk_user()/>
        </InboxIsland>
    }
}

/// The list, refreshed whenever anything in the organization changes; the
/// waiting times count on every second between refreshes.
// Not in the phone pages' module (feature `phone`, docs/performance.md): there
// it is a plain component, which nothing in the browser calls, so its code and
// its strings are left out.
#[cfg_attr(not(feature = "phone"), island(lazy))]
#[cfg_attr(feature = "phone", component)]
fn InboxIsland(
    initial: Loaded<InboxScreen>,
    filter: InboxFilter,
    /// `?select=all`: every visible approval starts selected.
    select_all: bool,
    children: Children,
) -> impl IntoView {
    super::hydrated::island_ready();
    let key = filter.clone();
    let (result, error, selected) = match &initial {
        Some(Ok(InboxScreen::Inbox {
            items,
            bulk,
            bulk_error,
            ..
        })) => (
            bulk.clone(),
            bulk_error.clone(),
            if select_all {
                approval_ids(items)
            } else {
                Vec::new()
            },
        ),
        _ => (None, None, Vec::new()),
    };
    let data = page_data(
        initial,
        move || key.clone(),
        |f| load_inbox(f.kind, f.status, f.role, f.assignee, f.q, f.sort),
    );
    let bulk = Bulk::new(result, error, selected, move || data.refetch());
    // Seconds since the list arrived: each item shows its wait plus this.
    let elapsed = RwSignal::new(0i64);
    #[cfg(feature = "hydrate")]
    {
        let arrived = StoredValue::new(js_sys::Date::now());
        Effect::new(move |_| {
            data.value.track();
            arrived.set_value(js_sys::Date::now());
            elapsed.set(0);
        });
        // From the clock, not by counting ticks: a background tab's timers are throttled.
        set_interval(
            move || elapsed.set(((js_sys::Date::now() - arrived.get_value()) / 1000.0) as i64),
            std::time::Duration::from_secs(1),
        );
        Effect::new(move |_| {
            super::live::follow("/inbox/live", &super::live::EVENT_NAMES, move |_, _| {
                data.refetch()
            });
        });
    }
    view! {
        <main class="page wide">
            {children()}
            {move || match data.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(InboxScreen::Inbox { items, counts, target, .. })) => view! {
                    <Inbox items counts target elapsed=elapsed.read_only() filter=filter.clone() bulk/>
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

pub(super) fn option(
    value: &'static str,
    label: &'static str,
    current: &Option<String>,
) -> impl IntoView {
    let selected = current.as_deref().unwrap_or("") == value;
    view! { <option value=value selected=selected>{label}</option> }
}

/// `ok` under half the target, `soon` past half, `late` past it.
fn urgency(waited: i64, target: i64) -> &'static str {
    if waited >= target {
        "late"
    } else if waited * 2 >= target {
        "soon"
    } else {
        "ok"
    }
}

/// The approvals of the list, first `BULK_MAX` ("select all visible").
fn approval_ids(items: &[InboxItem]) -> Vec<String> {
    items
        .iter()
        .filter(|i| i.kind == "approval")
        .map(|i| i.id.clone())
        .take(crate::domain::bulk::BULK_MAX)
        .collect()
}

#[component]
fn Inbox(
    items: Vec<InboxItem>,
    counts: Vec<CountChip>,
    target: i64,
    elapsed: ReadSignal<i64>,
    filter: InboxFilter,
    bulk: Bulk,
) -> impl IntoView {
    let count = items.len();
    let approvals = approval_ids(&items);
    // Server-rendered ticks (`?select=all` without script); the island keeps its own.
    let ticked = bulk.selected.get_untracked();
    let bar_filter = filter.clone();
    view! {
        <h1>"Inbox " <span class="count" role="status">{format!("({count})")}</span></h1>
        {(!counts.is_empty()).then(|| view! {
            <nav class="counts" aria-label="Open items" data-testid="counts">
                {counts.into_iter().map(|c| view! {
                    <a href=c.href class="chip">{c.label} " " <strong>{c.n}</strong></a>
                }).collect_view()}
            </nav>
        })}
        <form method="get" action="/inbox" class="filters" aria-label="Filters">
            <label>"Search "
                <input type="search" name="q" size="18" maxlength="100" data-shortcut="search"
                    value=filter.q.clone().unwrap_or_default() placeholder="words, customer…"/>
            </label>
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
                    {option("frozen", "frozen (assist)", &filter.status)}
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
            <label>"Sort "
                <select name="sort">
                    {option("", "newest first", &filter.sort)}
                    {option("waiting", "waiting longest", &filter.sort)}
                </select>
            </label>
            <button type="submit" class="secondary">"Filter"</button>
        </form>
        {(!approvals.is_empty()).then(|| view! { <BulkBar bulk visible=approvals filter=bar_filter/> })}
        {(count == 0).then(|| view! { <p class="notice" role="status">"Nothing is waiting. New handoffs appear here as they arrive."</p> })}
        <ul class="queue">
            {items.into_iter().map(|i| {
                let waited = i.waited;
                let now = move || waited + elapsed.get();
                let pick = (i.kind == "approval").then(|| {
                    let checked = ticked.contains(&i.id);
                    view! { <Pick bulk id=i.id.clone() title=i.title.clone() checked/> }
                });
                view! {
                <li data-kind=i.kind.clone() data-id=i.id.clone()>
                    {pick}
                    <a href=format!("/m/{}", i.id)>
                        <span class="pill">{i.status.clone()}</span>
                        <span class="kind">{i.kind.clone()}</span>
                        {(i.priority != "medium").then(|| view! { <span class="kind">{i.priority.clone()}</span> })}
                        <strong class="title">{i.title.clone()}</strong>
                        {i.detail.clone().map(|d| view! { <span class="fine">{d}</span> })}
                        {i.quorum.clone().map(|q| view! { <span class="fine quorum" data-testid="quorum">{q}</span> })}
                        {i.own_request.then(|| view! { <span class="fine" data-testid="own-request">"Your own request: another operator decides (four-eyes)"</span> })}
                        <span class="fine">
                            <span class="wait" data-testid="waited" data-urgency=move || urgency(now(), target)>
                                {move || format!("waiting {}", human(now()))}
                            </span>
                            " · "
                            {i.approver_role.clone().map(|r| format!("needs {r} · ")).unwrap_or_default()}
                            {match (&i.assignee, i.mine) {
                                (_, true) => "yours".to_string(),
                                (Some(a), false) => format!("with {a}"),
                                (None, _) => "unassigned".to_string(),
                            }}
                        </span>
                    </a>
                </li>
            }}).collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn waiting_times_turn_amber_then_red_against_the_target() {
        assert_eq!(super::urgency(10, 300), "ok");
        assert_eq!(super::urgency(150, 300), "soon");
        assert_eq!(super::urgency(300, 300), "late");
        assert_eq!(super::urgency(9_000, 300), "late");
    }
}
