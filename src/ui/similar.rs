//! "Approve similar" on an approved approval's page (admins): a link to the
//! preview (`?similar=preview`), then one form that creates the policy.
//! Plain HTML and a plain form post: it needs no script, and nothing on it
//! changes live.

use super::types::{SimilarOffer, SimilarPreviewView};
use crate::error::AppError;
use leptos::prelude::*;

/// Creates the "approve similar" policy of approval `id` (admins), then goes
/// back to its page: `?similar=created`, or why not (`exists`, `failed`).
#[server(prefix = "/fn", endpoint = "approve_similar")]
pub async fn approve_similar(id: String) -> Result<String, AppError> {
    use crate::ui::actions::ssr::{operator, plain_form, respond};
    let parsed = respond(crate::service::parse_id(&id, "approval"))?;
    let created = async {
        let (app, me) = operator().await?;
        crate::service::similar::create(&app, &me, &parsed).await
    }
    .await;
    if !plain_form().await {
        return respond(created.map(|p| p.name));
    }
    let outcome = match &created {
        Ok(_) => "created",
        Err(e) if e.reason.as_deref() == Some("policy_exists") => "exists",
        // Signed out, not an admin, another organization's: the status says so.
        Err(e) if e.code != crate::error::ErrorCode::Conflict && e.http_status() < 500 => {
            return respond(created.map(|p| p.name));
        }
        Err(_) => "failed",
    };
    leptos_axum::redirect(&format!("/m/{parsed}?similar={outcome}#similar"));
    created.map(|p| p.name)
}

#[component]
pub fn SimilarSection(handoff_id: String, offer: SimilarOffer) -> impl IntoView {
    let SimilarOffer {
        preview,
        created,
        problem,
    } = offer;
    let asked = preview.is_some() || created.is_some();
    view! {
        <section class="card similar" id="similar" aria-labelledby="similar-h" data-testid="similar">
            <h2 id="similar-h">"Approve similar"</h2>
            {created.map(|name| view! {
                <p class="notice" role="status" data-testid="similar-created">
                    {format!("Created the policy “{name}”: approvals like this one are now approved without a person. ")}
                    <a href="/admin/routing">"See the routing policies"</a>
                </p>
            })}
            {problem.map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {(!asked).then(|| view! {
                <p class="fine">"Approving the same thing again and again? A routing policy can approve approvals like this one without a person. See first what it would have matched."</p>
                <a class="button secondary" href=format!("/m/{handoff_id}?similar=preview#similar")
                    data-testid="similar-preview">"Preview “approve similar”"</a>
            })}
            {preview.map(|p| view! { <Preview handoff_id=handoff_id.clone() p/> })}
        </section>
    }
    .into_any()
}

#[component]
fn Preview(handoff_id: String, p: SimilarPreviewView) -> impl IntoView {
    let shown = p.rows.len();
    view! {
        <p data-testid="similar-words">{p.words}</p>
        <p class="fine">"The policy’s condition:"</p>
        <pre class="raw"><code data-testid="similar-condition">{p.condition}</code></pre>
        <p data-testid="similar-count">
            <strong>{format!("It would have matched {} of the last {} approvals", p.count, p.examined)}</strong>
            {(!p.breakdown.is_empty()).then(|| format!(" ({}).", p.breakdown))}
        </p>
        {(p.denied > 0).then(|| view! {
            <p class="error" role="note">{format!("A person denied {} of them: look at them before letting a policy approve the like.", p.denied)}</p>
        })}
        {(p.earlier > 0).then(|| view! {
            <p class="fine">{format!("{} of them match an earlier policy first, which keeps deciding them: the new policy is added last.", p.earlier)}</p>
        })}
        {(shown > 0).then(|| view! {
            <table data-testid="similar-matches">
                <thead><tr><th>"Requested"</th><th>"Subject"</th><th>"Status"</th></tr></thead>
                <tbody>
                    {p.rows.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.when}</td>
                            <td><a href=format!("/m/{}", r.id)><code>{r.subject_ref}</code></a></td>
                            <td>{r.status}{r.earlier_policy.map(|n| format!(" (policy “{n}” first)"))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(p.count > shown).then(|| view! { <p class="fine">{format!("…and {} more.", p.count - shown)}</p> })}
        {match p.existing {
            Some(name) => view! {
                <p class="notice" role="status">{format!("The policy “{name}” already does this.")}</p>
            }.into_any(),
            None => view! {
                <form method="post" action="/fn/approve_similar">
                    <input type="hidden" name="id" value=handoff_id/>
                    <button type="submit" class="primary" data-testid="similar-create">
                        {format!("Create the policy “{}”", p.name)}
                    </button>
                </form>
            }.into_any(),
        }}
    }
    .into_any()
}
