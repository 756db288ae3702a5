//! The inbox's bulk approve / deny: a checkbox on each pending approval, a
//! bar with one note and the two buttons, and the result per approval.
//!
//! Without script it is a plain form (`/fn/inbox_decide`; the checkboxes
//! belong to it through their `form` attribute) whose answer redirects to
//! `/inbox?done=…`, and "Select all visible" is the link `?select=all`. With
//! the island the same server function answers the result directly.

use super::types::{BulkResultView, InboxFilter};
use crate::domain::bulk::BULK_MAX;
use crate::error::AppError;
use leptos::prelude::*;

/// Approves or denies each of `ids` (at most 100) with one note, each as its
/// own decision. A plain form post is answered with a redirect to the inbox
/// showing the result (or why the request was refused as a whole).
#[server(prefix = "/fn", endpoint = "inbox_decide")]
pub async fn inbox_decide(
    #[server(default)] ids: Vec<String>,
    approve: bool,
    #[server(default)] note: String,
) -> Result<BulkResultView, AppError> {
    ssr::decide(ids, approve, note).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::BulkResultView;
    use crate::domain::bulk::{encode, ItemResult};
    use crate::domain::Actor;
    use crate::error::{AppError, ErrorCode};
    use crate::ui::actions::ssr::{operator, respond};

    pub async fn decide(
        ids: Vec<String>,
        approve: bool,
        note: String,
    ) -> Result<BulkResultView, AppError> {
        let plain_form = crate::ui::actions::ssr::plain_form().await;
        let done = async {
            let (app, op) = operator().await?;
            let actor = Actor::Operator(op.id.clone());
            let decided = crate::service::bulk::decide_many(
                &app,
                &op.organization_id,
                &actor,
                &ids,
                approve,
                Some(note),
            )
            .await?;
            let results: Vec<(String, ItemResult)> =
                decided.into_iter().map(|d| (d.id, d.result)).collect();
            Ok::<_, AppError>((app, op, results))
        }
        .await;
        if !plain_form {
            let (app, op, results) = respond(done)?;
            return respond(crate::ui::pages::bulk::result_view(&app, &op, &results).await);
        }
        match done {
            Ok((_, _, results)) => {
                leptos_axum::redirect(&format!("/inbox?done={}", encode(&results)));
                Ok(BulkResultView::default())
            }
            Err(e) if e.code == ErrorCode::Unauthorized => {
                leptos_axum::redirect("/login?next=/inbox");
                Err(e)
            }
            Err(e) => {
                let code = crate::ui::pages::bulk::error_code(&e);
                leptos_axum::redirect(&format!("/inbox?bulk_error={code}"));
                Err(e)
            }
        }
    }
}

/// The bulk state the inbox island shares with its parts.
#[derive(Clone, Copy)]
pub struct Bulk {
    pub selected: RwSignal<Vec<String>>,
    note: RwSignal<String>,
    result: RwSignal<Option<BulkResultView>>,
    error: RwSignal<Option<String>>,
    /// Set once the island runs: the live selection count shows only then.
    ready: RwSignal<bool>,
    decide: Action<(Vec<String>, bool, String), Result<BulkResultView, AppError>>,
}

impl Bulk {
    /// `result`/`error`: what the page arrived with; `selected`: `?select=all`'s pick.
    /// `done` runs after a decision the island made (to reload the list).
    pub fn new(
        result: Option<BulkResultView>,
        error: Option<String>,
        selected: Vec<String>,
        done: impl Fn() + Send + Sync + 'static,
    ) -> Bulk {
        let decide = Action::new(move |(ids, approve, note): &(Vec<String>, bool, String)| {
            let (ids, approve, note) = (ids.clone(), *approve, note.clone());
            async move { inbox_decide(ids, approve, note).await }
        });
        let b = Bulk {
            selected: RwSignal::new(selected),
            note: RwSignal::new(String::new()),
            result: RwSignal::new(result),
            error: RwSignal::new(error),
            ready: RwSignal::new(false),
            decide,
        };
        Effect::new(move |_| b.ready.set(true));
        Effect::new(move |_| match decide.value().get() {
            Some(Ok(r)) => {
                b.error.set(None);
                b.result.set(Some(r));
                b.selected.set(Vec::new());
                b.note.set(String::new());
                done();
            }
            Some(Err(e)) => b.error.set(Some(e.message)),
            None => {}
        });
        b
    }

    fn toggle(&self, id: &str, on: bool) {
        self.selected.update(|s| {
            s.retain(|x| x != id);
            if on {
                s.push(id.to_string());
            }
        });
    }
}

/// The checkbox of one pending approval (it belongs to the bar's form).
#[component]
pub fn Pick(bulk: Bulk, id: String, title: String, checked: bool) -> impl IntoView {
    let (mine, on_change) = (id.clone(), id.clone());
    view! {
        <input type="checkbox" class="pick" name="ids[]" form="bulk" value=id
            data-testid="pick" aria-label=format!("Select: {title}")
            checked=checked
            prop:checked=move || bulk.selected.with(|s| s.contains(&mine))
            on:change=move |ev| bulk.toggle(&on_change, event_target_checked(&ev))/>
    }
}

/// The bar: select all visible, the note, Deny / Approve selected; then the result.
#[component]
pub fn BulkBar(bulk: Bulk, visible: Vec<String>, filter: InboxFilter) -> impl IntoView {
    let visible: Vec<String> = visible.into_iter().take(BULK_MAX).collect();
    let all = visible.clone();
    let everything = move || {
        let all = all.clone();
        bulk.selected
            .with(|s| !all.is_empty() && all.iter().all(|id| s.contains(id)))
    };
    let everything_label = everything.clone();
    let select_all = {
        let visible = visible.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let next = if everything() {
                Vec::new()
            } else {
                visible.clone()
            };
            bulk.selected.set(next);
        }
    };
    let send = move |ev: leptos::ev::MouseEvent, approve: bool| {
        ev.prevent_default();
        let ids = bulk.selected.get_untracked();
        if ids.is_empty() {
            bulk.error.set(Some("Choose at least one approval.".into()));
            return;
        }
        bulk.decide
            .dispatch((ids, approve, bulk.note.get_untracked()));
    };
    let busy = move || bulk.decide.pending().get();
    view! {
        <form id="bulk" method="post" action="/fn/inbox_decide" class="bulk"
            aria-label="Decide the selected approvals" data-testid="bulk"
            on:submit=|ev| ev.prevent_default()>
            <a href=select_all_href(&filter) class="select-all" data-testid="select-all"
                on:click=select_all>
                {move || if everything_label() { "Clear the selection" } else { "Select all visible approvals" }}
            </a>
            <span class="fine" role="status" data-testid="selected">
                {move || bulk.ready.get().then(|| format!("{} selected", bulk.selected.with(Vec::len)))}
            </span>
            <label for="bulk-note">"Note for the agents (required to deny)"</label>
            <input id="bulk-note" name="note" maxlength="2000" size="28"
                prop:value=move || bulk.note.get()
                on:input=move |ev| bulk.note.set(event_target_value(&ev))/>
            <button type="submit" name="approve" value="false" class="danger"
                disabled=busy on:click=move |ev| send(ev, false)>"Deny selected"</button>
            <button type="submit" name="approve" value="true" class="primary"
                disabled=busy on:click=move |ev| send(ev, true)>"Approve selected"</button>
        </form>
        {move || bulk.error.get().map(|e| view! { <p class="error" role="alert" data-testid="bulk-error">{e}</p> })}
        {move || bulk.result.get().map(|r| view! { <BulkResult r/> })}
    }
}

#[component]
fn BulkResult(r: BulkResultView) -> impl IntoView {
    view! {
        <section class="notice bulk-result" role="status" data-testid="bulk-result">
            <p><strong>{r.summary}</strong></p>
            <ul>
                {r.rows.into_iter().map(|row| view! {
                    <li data-outcome=row.outcome>
                        <a href=format!("/m/{}", row.id)>{row.title}</a>
                        ": " {row.words}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The inbox with the same filters and every visible approval selected.
fn select_all_href(f: &InboxFilter) -> String {
    let mut q = String::from("/inbox?select=all");
    for (k, v) in [
        ("kind", &f.kind),
        ("status", &f.status),
        ("role", &f.role),
        ("assignee", &f.assignee),
        ("q", &f.q),
        ("sort", &f.sort),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            q.push_str(&format!("&{k}={}", encode(v)));
        }
    }
    q
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_all_keeps_the_filters() {
        let f = InboxFilter {
            kind: Some("approval".into()),
            q: Some("a&b <c>".into()),
            ..InboxFilter::default()
        };
        assert_eq!(
            select_all_href(&f),
            "/inbox?select=all&kind=approval&q=a%26b%20%3Cc%3E"
        );
    }
}
