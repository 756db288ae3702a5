//! `/history`: finished handoffs with their outcome, searchable. Plain HTML:
//! a GET form, a list of links, an "Older" form: no island, no WASM.

use super::desk::{DeskHeader, Here};
use super::inbox::option;
use super::preload::{desk_user, preloaded};
use super::title::PageTitle;
use super::types::{HistoryFilter, HistoryItem, HistoryScreen};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let f = use_query_map().with_untracked(|q| HistoryFilter {
        q: q.get("q"),
        kind: q.get("kind"),
        before: q.get("before"),
    });
    let body = match preloaded::<HistoryScreen>() {
        Some(Ok(HistoryScreen::History { items, next_before })) => {
            view! { <Finished items next_before f=f.clone()/> }.into_any()
        }
        Some(Ok(HistoryScreen::SignIn)) => view! {
            <section class="notice">
                <h2>"Sign in to see the history"</h2>
                <p><a href="/login?next=/history">"Sign in"</a></p>
            </section>
        }
        .into_any(),
        Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
        None => ().into_any(),
    };
    view! {
        <PageTitle text="History · tapin"/>
        <main class="page wide">
            <DeskHeader here=Here::History user=desk_user()/>
            <h1>"History"</h1>
            <form method="get" action="/history" role="search" class="filters" aria-label="Finished handoffs">
                <label>"Search "
                    <input type="search" name="q" size="28" maxlength="100" data-shortcut="search"
                        value=f.q.clone().unwrap_or_default()
                        placeholder="words, subject, customer, operator"/>
                </label>
                <label>"Kind "
                    <select name="kind">
                        {option("", "any", &f.kind)}
                        {option("takeover", "takeover", &f.kind)}
                        {option("approval", "approval", &f.kind)}
                        {option("assist", "assist", &f.kind)}
                        {option("agent", "agent", &f.kind)}
                    </select>
                </label>
                <button type="submit" class="secondary">"Search"</button>
            </form>
            {body}
        </main>
    }
}

#[component]
fn Finished(
    items: Vec<HistoryItem>,
    next_before: Option<String>,
    f: HistoryFilter,
) -> impl IntoView {
    let searched = f.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    let empty = items.is_empty().then(|| {
        let text = if searched {
            "Nothing finished matches. Open handoffs are in the inbox."
        } else {
            "Nothing has finished yet."
        };
        view! { <p class="notice" role="status">{text}</p> }
    });
    view! {
        {empty}
        <ul class="queue history" data-testid="history">
            {items.into_iter().map(|i| view! {
                <li data-kind=i.kind.clone() data-id=i.id.clone()>
                    <a href=format!("/m/{}", i.id)>
                        <span class="pill" data-outcome=i.outcome.clone()>{i.outcome.clone()}</span>
                        <span class="kind">{i.kind.clone()}</span>
                        <strong class="title">{i.title.clone()}</strong>
                        <span class="fine">
                            <span title=i.actor.clone()>{i.acted_by.clone()}</span>
                            {format!(" · took {} · {}", i.took, i.finished_at)}
                        </span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
        {next_before.map(|b| view! {
            <form method="get" action="/history" class="pager">
                <input type="hidden" name="q" value=f.q.clone().unwrap_or_default()/>
                <input type="hidden" name="kind" value=f.kind.clone().unwrap_or_default()/>
                <input type="hidden" name="before" value=b/>
                <button type="submit" class="secondary">"Older"</button>
            </form>
        })}
    }
}
