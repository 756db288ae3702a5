//! The operator's queue: open handoffs and pending approvals of the
//! organization, with how long each has waited and counts per kind and status.

use crate::domain::records::Operator;
use crate::domain::state::takeover_status;
use crate::domain::{Handoff, Kind, State};
use crate::error::AppError;
use crate::service::App;
use crate::store::HandoffQuery;
use crate::ui::duration;
use crate::ui::types::{BulkQuery, CountChip, InboxFilter, InboxItem, InboxScreen};

pub const INBOX_MAX: i64 = 200;

/// What `/inbox` shows the request carrying `cookie_header`: the queue, or a
/// sign-in prompt; with the result of a bulk decision when `bulk` carries one.
pub async fn screen(
    app: &App,
    cookie_header: &str,
    f: &InboxFilter,
    bulk: &BulkQuery,
) -> Result<InboxScreen, AppError> {
    let Some(op) = crate::service::sessions::signed_in(app, cookie_header).await? else {
        return Ok(InboxScreen::SignIn);
    };
    let (items, counts) = items(app, &op, f).await?;
    let done = bulk
        .done
        .as_deref()
        .map(crate::domain::bulk::decode)
        .filter(|d| !d.is_empty());
    let bulk_result = match done {
        Some(d) => Some(super::bulk::result_view(app, &op, &d).await?),
        None => None,
    };
    Ok(InboxScreen::Inbox {
        items,
        counts,
        target: crate::service::admin::response_target(app, &op.organization_id).await?,
        operator_name: op.name,
        bulk: bulk_result,
        bulk_error: bulk.bulk_error.as_deref().map(super::bulk::error_words),
    })
}

/// The label an item's status shows (seed 000's words for takeovers).
fn status_label(h: &Handoff) -> String {
    match h.kind {
        Kind::Takeover => takeover_status(h.state).to_string(),
        Kind::Approval => "pending".to_string(),
        _ => h.state.as_str().to_string(),
    }
}

/// The filtered queue, and the counts of every open item (search applied).
pub async fn items(
    app: &App,
    me: &Operator,
    f: &InboxFilter,
) -> Result<(Vec<InboxItem>, Vec<CountChip>), AppError> {
    let kind = match f.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => {
            Some(Kind::parse(k).ok_or_else(|| AppError::invalid_field("kind", "unknown kind"))?)
        }
        None => None,
    };
    let state = match f.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            State::parse(s)
                .filter(|s| s.is_for_operators())
                .ok_or_else(|| AppError::invalid_field("status", "not an open state"))?,
        ),
        None => None,
    };
    let open = crate::service::handoffs::query(
        app,
        &me.organization_id,
        &HandoffQuery {
            // A `detected` assist waits for its capture: not for operators yet.
            states: Some(
                State::ALL
                    .into_iter()
                    .filter(|s| s.is_for_operators())
                    .collect(),
            ),
            kind: None,
            decision: None,
            before: None,
            text: crate::service::handoffs::search_text("q", f.q.as_deref())?,
            limit: INBOX_MAX,
        },
    )
    .await?;
    let counts = counts(&open);
    let handoffs: Vec<Handoff> = open
        .into_iter()
        .filter(|h| kind.is_none_or(|k| h.kind == k) && state.is_none_or(|s| h.state == s))
        .collect();
    let names = super::names::ActorNames::load(app, &me.organization_id).await?;
    let approval_ids: Vec<String> = handoffs
        .iter()
        .filter(|h| h.kind == Kind::Approval)
        .map(|h| h.id.clone())
        .collect();
    let mut approvals = crate::service::approvals::of_handoffs(app, &approval_ids).await?;
    let now = crate::service::now();
    let mut out = Vec::new();
    for h in handoffs {
        let approval = approvals.remove(&h.id);
        let role = approval.as_ref().and_then(|a| a.approver_role.clone());
        if let Some(want) = f.role.as_deref().filter(|r| !r.is_empty()) {
            if role.as_deref() != Some(want) {
                continue;
            }
        }
        let mine = h.assignee.as_deref() == Some(me.id.as_str());
        match f.assignee.as_deref() {
            Some("me") if !mine => continue,
            Some("unassigned") if h.assignee.is_some() => continue,
            _ => {}
        }
        // An escalation starts the wait again: the next person was just asked.
        let since = match h.state {
            State::Escalated => &h.updated_at,
            _ => &h.created_at,
        };
        out.push(InboxItem {
            title: match &approval {
                Some(a) => super::bulk::title(a),
                None => h.packet.static_text.clone(),
            },
            detail: approval
                .as_ref()
                .and_then(|a| a.suspend_message.clone())
                .or(h.packet.reason.clone()),
            waited: duration::between(since, &now),
            status: status_label(&h),
            kind: h.kind.as_str().to_string(),
            quorum: approval.as_ref().and_then(|a| {
                let voters: Vec<String> = a.votes.iter().map(|v| names.actor(&v.voter)).collect();
                a.progress().map(|p| match voters.is_empty() {
                    true => p,
                    false => format!("{p}: {}", voters.join(", ")),
                })
            }),
            own_request: approval.as_ref().is_some_and(|a| a.own_request(&me.id)),
            approver_role: role,
            assignee: h.assignee.as_deref().map(|a| names.operator(a)),
            mine,
            priority: h.priority,
            created_at: h.created_at,
            id: h.id,
        });
    }
    if f.sort.as_deref() == Some("waiting") {
        out.sort_by_key(|r| std::cmp::Reverse(r.waited));
    }
    Ok((out, counts))
}

/// Open items per kind, then per status, each linking to its filter.
fn counts(open: &[Handoff]) -> Vec<CountChip> {
    let mut chips = Vec::new();
    for k in [Kind::Takeover, Kind::Approval, Kind::Assist, Kind::Agent] {
        let n = open.iter().filter(|h| h.kind == k).count();
        if n > 0 {
            chips.push(CountChip {
                label: k.as_str().to_string(),
                n,
                href: format!("/inbox?kind={}", k.as_str()),
            });
        }
    }
    for s in State::ALL.into_iter().filter(|s| s.is_for_operators()) {
        let n = open.iter().filter(|h| h.state == s).count();
        if n > 0 {
            chips.push(CountChip {
                label: s.as_str().to_string(),
                n,
                href: format!("/inbox?status={}", s.as_str()),
            });
        }
    }
    chips
}
