//! `/admin`: the organization's operators, keys, approval messages and recent
//! audit events, for operators with the `admin` role.

use crate::domain::records::Operator;
use crate::error::AppError;
use crate::service::admin::{require_admin, SIGNED_OUT};
use crate::service::{approvals, audit, keys, orgs, sessions, slack, App};
use crate::ui::types::{AdminView, EventRow, KeyRow, OperatorRow, SlackUserRow, SlackView};

/// `/admin` for the request carrying `cookie_header`: 401 without a session, 403 for non-admins.
pub async fn overview_for(app: &App, cookie_header: &str) -> Result<AdminView, AppError> {
    let me = sessions::operator_from_cookies(app, cookie_header, SIGNED_OUT).await?;
    overview(app, &me).await
}

pub async fn overview(app: &App, me: &Operator) -> Result<AdminView, AppError> {
    require_admin(me)?;
    let org = &me.organization_id;
    let (holding_line, waiting_reply) = approvals::messages(app, org).await?;
    let names = super::names::ActorNames::load(app, org).await?;
    let clock = super::clock::Clock::of(app, org).await?;
    let operators = orgs::operators(app, org).await?;
    let slack = slack_view(app, me, &operators).await?;
    Ok(AdminView {
        operators: operators
            .into_iter()
            .map(|o| OperatorRow {
                is_me: o.id == me.id,
                id: o.id,
                email: o.email,
                name: o.name,
                roles: o.roles.join(", "),
                active: o.active,
            })
            .collect(),
        keys: keys::list(app, org)
            .await?
            .into_iter()
            .map(|k| KeyRow {
                id: k.id,
                name: k.name,
                prefix: k.prefix,
                scopes: k.scopes.join(", "),
                created_at: clock.date(&k.created_at),
                revoked: k.revoked_at.is_some(),
            })
            .collect(),
        holding_line,
        waiting_reply,
        response_target_minutes: crate::service::admin::response_target(app, org).await? / 60,
        snippets: crate::service::snippets::list(app, org)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        events: audit::recent(app, org, 50)
            .await?
            .into_iter()
            .map(|e| EventRow {
                seq: e.event.seq,
                handoff_id: e.event.handoff_id,
                event: e.event.event,
                to_state: e.event.to_state,
                actor_name: names.actor(&e.event.actor),
                actor: e.event.actor,
                created_at: clock.at(&e.event.created_at),
                hash: e.hash[..12].to_string(),
            })
            .collect(),
        slack,
    })
}

/// The Slack section: the signing secret's state, the Request URL, and each
/// operator's Slack member ID.
async fn slack_view(
    app: &App,
    me: &Operator,
    operators: &[Operator],
) -> Result<SlackView, AppError> {
    let s = slack::settings(app, me).await?;
    Ok(SlackView {
        secret_set: s.secret_set,
        interactivity_url: s.interactivity_url,
        operators: operators
            .iter()
            .filter(|o| o.active)
            .map(|o| SlackUserRow {
                id: o.id.clone(),
                name: o.name.clone(),
                slack_user_id: s
                    .users
                    .iter()
                    .find(|(op, _)| op == &o.id)
                    .map(|(_, u)| u.clone())
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

/// The same verification as `tapin audit verify`, for this organization.
pub async fn verify(app: &App, me: &Operator) -> Result<String, AppError> {
    require_admin(me)?;
    Ok(match audit::verify_org(app, &me.organization_id).await? {
        Ok(1) => "Chain intact: 1 event verified.".to_string(),
        Ok(n) => format!("Chain intact: {n} events verified."),
        Err(e) => format!("BROKEN: {e}"),
    })
}
