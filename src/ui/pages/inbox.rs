//! The operator's queue: open handoffs and pending approvals of the organization.

use crate::domain::records::Operator;
use crate::domain::state::takeover_status;
use crate::domain::{Kind, State};
use crate::error::AppError;
use crate::service::App;
use crate::store::HandoffQuery;
use crate::ui::types::{InboxFilter, InboxItem, InboxScreen};
use std::collections::HashMap;

pub const INBOX_MAX: i64 = 200;

/// What `/inbox` shows the request carrying `cookie_header`: the queue, or a sign-in prompt.
pub async fn screen(
    app: &App,
    cookie_header: &str,
    f: &InboxFilter,
) -> Result<InboxScreen, AppError> {
    let Some(op) = crate::service::sessions::signed_in(app, cookie_header).await? else {
        return Ok(InboxScreen::SignIn);
    };
    Ok(InboxScreen::Inbox {
        items: items(app, &op, f).await?,
        operator_name: op.name,
    })
}

pub async fn items(app: &App, me: &Operator, f: &InboxFilter) -> Result<Vec<InboxItem>, AppError> {
    let kind = match f.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => {
            Some(Kind::parse(k).ok_or_else(|| AppError::invalid_field("kind", "unknown kind"))?)
        }
        None => None,
    };
    let states: Vec<State> = match f.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => vec![State::parse(s)
            .filter(|s| s.is_open())
            .ok_or_else(|| AppError::invalid_field("status", "not an open state"))?],
        None => State::ALL.into_iter().filter(|s| s.is_open()).collect(),
    };
    let handoffs = crate::service::handoffs::query(
        app,
        &me.organization_id,
        &HandoffQuery {
            states: Some(states),
            kind,
            decision: None,
            before: None,
            limit: INBOX_MAX,
        },
    )
    .await?;
    let names: HashMap<String, String> = crate::service::orgs::operators(app, &me.organization_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let approval_ids: Vec<String> = handoffs
        .iter()
        .filter(|h| h.kind == Kind::Approval)
        .map(|h| h.id.clone())
        .collect();
    let mut approvals = crate::service::approvals::of_handoffs(app, &approval_ids).await?;
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
        let status = match h.kind {
            Kind::Takeover => takeover_status(h.state).to_string(),
            Kind::Approval => "pending".to_string(),
            _ => h.state.as_str().to_string(),
        };
        out.push(InboxItem {
            title: match &approval {
                Some(a) if a.subject_kind == crate::domain::approval::SubjectKind::Question => {
                    format!("Question: {}", a.subject_ref)
                }
                Some(a) => format!("Approve {}", a.subject_ref),
                None => h.packet.static_text.clone(),
            },
            detail: approval
                .as_ref()
                .and_then(|a| a.suspend_message.clone())
                .or(h.packet.reason.clone()),
            id: h.id,
            kind: h.kind.as_str().to_string(),
            status,
            approver_role: role,
            assignee: h
                .assignee
                .as_ref()
                .map(|a| names.get(a).cloned().unwrap_or_else(|| "someone".into())),
            mine,
            priority: h.priority,
            created_at: h.created_at,
        });
    }
    Ok(out)
}
