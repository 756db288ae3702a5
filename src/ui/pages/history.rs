//! `/history`: finished handoffs, newest first, searchable, a page at a time:
//! how each ended, who ended it and how long it took.

use super::names::ActorNames;
use crate::domain::audit::ChainedEvent;
use crate::domain::{Handoff, Kind, State};
use crate::error::AppError;
use crate::service::{approvals, audit, handoffs, sessions, App};
use crate::store::HandoffQuery;
use crate::ui::duration;
use crate::ui::types::{HistoryFilter, HistoryItem, HistoryScreen};

pub const HISTORY_PAGE: i64 = 25;

/// What `/history` shows the request carrying `cookie_header`.
pub async fn screen(
    app: &App,
    cookie_header: &str,
    f: &HistoryFilter,
) -> Result<HistoryScreen, AppError> {
    let Some(me) = sessions::signed_in(app, cookie_header).await? else {
        return Ok(HistoryScreen::SignIn);
    };
    let org = &me.organization_id;
    let kind = match f.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => {
            Some(Kind::parse(k).ok_or_else(|| AppError::invalid_field("kind", "unknown kind"))?)
        }
        None => None,
    };
    let before = f.before.clone().filter(|b| !b.is_empty());
    if before.as_ref().is_some_and(|b| b.len() > 64) {
        return Err(AppError::invalid_field("before", "not a page cursor"));
    }
    let found = handoffs::query(
        app,
        org,
        &HandoffQuery {
            states: Some(State::ALL.into_iter().filter(|s| !s.is_open()).collect()),
            kind,
            decision: None,
            before,
            text: handoffs::search_text("q", f.q.as_deref())?,
            limit: HISTORY_PAGE,
        },
    )
    .await?;
    let next_before = (found.len() as i64 == HISTORY_PAGE)
        .then(|| found.last().map(|h| h.id.clone()))
        .flatten();
    let names = ActorNames::load(app, org).await?;
    let clock = super::clock::Clock::of(app, org).await?;
    let ids: Vec<String> = found.iter().map(|h| h.id.clone()).collect();
    let mut asked = approvals::of_handoffs(app, &ids).await?;
    let trails =
        futures::future::try_join_all(found.iter().map(|h| audit::handoff_events(app, org, &h.id)))
            .await?;
    let items = found
        .into_iter()
        .zip(trails)
        .map(|(h, trail)| {
            let subject = asked.remove(&h.id).map(|a| a.subject_ref);
            item(h, subject, &trail, &names, clock)
        })
        .collect();
    Ok(HistoryScreen::History { items, next_before })
}

fn item(
    h: Handoff,
    subject: Option<String>,
    trail: &[ChainedEvent],
    names: &ActorNames,
    clock: super::clock::Clock,
) -> HistoryItem {
    // The step that finished it: the first event that left the open states.
    let last = trail
        .iter()
        .map(|e| &e.event)
        .find(|e| State::parse(&e.to_state).is_some_and(|s| !s.is_open()));
    let finished_at = last
        .map(|e| e.created_at.clone())
        .or(h.resolved_at.clone())
        .unwrap_or(h.updated_at.clone());
    let outcome = match (h.decision.as_deref(), last.map(|e| e.event.as_str())) {
        (Some(d), _) => d.to_string(),
        (None, Some("hand_back")) => "handed back".to_string(),
        (None, Some("resolve")) => "resolved".to_string(),
        _ => h.state.as_str().replace('_', " "),
    };
    let actor = last.map(|e| e.actor.clone()).unwrap_or_default();
    HistoryItem {
        title: match subject {
            Some(s) => format!("Approve {s}"),
            None => h.packet.static_text.clone(),
        },
        kind: h.kind.as_str().to_string(),
        outcome,
        acted_by: names.actor(&actor),
        actor,
        took: duration::human(duration::between(&h.created_at, &finished_at)),
        finished_at: clock.minute(&finished_at),
        id: h.id,
    }
}
