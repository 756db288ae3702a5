//! A quorum approval's "2 of 3 approved: Ann, Bob" on the handoff page, kept
//! live: when someone else votes, the page's event stream (`HandoffLive`)
//! counts it and this line asks the server for the new count and names.

use crate::error::AppError;
use leptos::prelude::*;

/// The approval's progress and its voters by name (`None`: not a quorum approval).
#[server(prefix = "/fn", endpoint = "quorum_line")]
pub async fn quorum_line(id: String) -> Result<Option<(String, Vec<String>)>, AppError> {
    super::actions::ssr::respond(inner(id).await)
}

#[cfg(feature = "ssr")]
async fn inner(id: String) -> Result<Option<(String, Vec<String>)>, AppError> {
    let id = crate::service::parse_id(&id, "approval")?;
    let (app, op) = super::actions::ssr::operator_for(&id).await?;
    let (_, a) = crate::service::approvals::get(&app, &op.organization_id, &id).await?;
    let Some(progress) = a.progress() else {
        return Ok(None);
    };
    let names = crate::ui::pages::names::ActorNames::load(&app, &op.organization_id).await?;
    let voters = a.votes.iter().map(|v| names.actor(&v.voter)).collect();
    Ok(Some((progress, voters)))
}

/// "2 of 3 approved: Ann, Bob", refreshed on every vote the page hears of.
#[island]
pub fn QuorumLive() -> impl IntoView {
    super::hydrated::island_ready();
    let data = super::handoff_data::handoff_data();
    let handoff_id = data.id;
    let line = RwSignal::new(data.approval.and_then(|a| a.quorum).unwrap_or_default());
    let votes = super::handoff_live::live().votes;
    // Only the newest request's answer is shown (two votes close together).
    let latest = StoredValue::new(0u32);
    Effect::new(move |seen: Option<u32>| {
        let now = votes.get();
        if seen.is_some_and(|s| s != now) {
            let id = handoff_id.clone();
            latest.set_value(now);
            leptos::task::spawn_local(async move {
                // A plain fetch (`post`), not the generated client: that client
                // (server_fn, serde_qs) would be in the page's main WASM for this alone.
                let fresh = super::post::post::<Option<(String, Vec<String>)>>(
                    "/fn/quorum_line",
                    &[("id", &id)],
                )
                .await;
                if let Ok(Some(fresh)) = fresh {
                    if latest.get_value() == now {
                        line.set(fresh);
                    }
                }
            });
        }
        now
    });
    view! {
        <p class="quorum" data-testid="quorum" aria-live="polite">
            <strong>{move || line.with(|l| l.0.clone())}</strong>
            {move || line.with(|l| (!l.1.is_empty()).then(|| format!(": {}", l.1.join(", "))))}
        </p>
    }
}
