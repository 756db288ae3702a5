//! The security log: every change to where an operator is reached (phone,
//! push devices, Slack account) or to the organization's Slack hook or Slack
//! signing secret, by an API key or in the UI, is recorded (who, what, when)
//! and announced to those concerned through what they had before the change:
//! an email to the operator's address (which neither the API nor the UI can
//! change) and a push to the devices they already had. A change of the Slack
//! hook or signing secret is announced to every admin. A routing policy added
//! by "approve similar" is recorded, not announced. The notices
//! go out after the change is stored; `notice` says which ones were sent for.

use super::{new_id, now, push, App};
use crate::domain::records::{Operator, PushSubscription, SecurityEvent};
use crate::error::AppError;
use serde_json::{json, Value};

/// Who made a change: `operator:<id>` or `key:<id>`.
pub fn by_operator(op: &Operator) -> String {
    format!("operator:{}", op.id)
}

pub fn by_key(key_id: &str) -> String {
    format!("key:{key_id}")
}

/// Only the host of a URL is logged (a Slack hook's path is its secret).
pub fn host_of(url: Option<&str>) -> Value {
    url.and_then(|u| reqwest::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .map_or(Value::Null, Value::String)
}

/// Records a change to `subject`'s contact details and tells them through
/// `devices_before` and their email address.
pub async fn contact_changed(
    app: &App,
    actor: &str,
    subject: &Operator,
    action: &str,
    data: Value,
    devices_before: Vec<PushSubscription>,
) -> Result<(), AppError> {
    let what = describe(action);
    let notice = announce(app, vec![(subject.clone(), devices_before)], &what);
    record(
        app,
        &subject.organization_id,
        actor,
        action,
        Some(&subject.id),
        data,
        notice,
    )
    .await
}

/// Records a change of the organization's Slack hook and tells every admin.
pub async fn slack_hook_changed(
    app: &App,
    org_id: &str,
    actor: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<(), AppError> {
    let data = json!({ "from_host": host_of(before), "to_host": host_of(after) });
    org_setting_changed(app, org_id, actor, "organization.slack_hook_changed", data).await
}

/// Records that the Slack signing secret was set (or cleared) and tells every
/// admin: whoever holds it can sign button presses as any linked operator.
pub async fn slack_secret_changed(
    app: &App,
    org_id: &str,
    actor: &str,
    set: bool,
) -> Result<(), AppError> {
    let data = json!({ "set": set });
    let action = "organization.slack_signing_secret_changed";
    org_setting_changed(app, org_id, actor, action, data).await
}

async fn org_setting_changed(
    app: &App,
    org_id: &str,
    actor: &str,
    action: &str,
    data: Value,
) -> Result<(), AppError> {
    let mut admins = Vec::new();
    for op in app.store.operators(org_id).await? {
        if op.active && op.roles.iter().any(|r| r == super::admin::ADMIN_ROLE) {
            let devices = app.store.push_subscriptions(&op.id).await?;
            admins.push((op, devices));
        }
    }
    let notice = announce(app, admins, &describe(action));
    record(app, org_id, actor, action, None, data, notice).await
}

/// Records a routing policy added by "approve similar" (it lets approvals
/// through without a person, so who added it stays on record).
pub async fn policy_added(
    app: &App,
    org_id: &str,
    actor: &str,
    data: Value,
) -> Result<(), AppError> {
    let notice = "not announced (a routing change)".to_string();
    record(
        app,
        org_id,
        actor,
        "routing.policy_added",
        None,
        data,
        notice,
    )
    .await
}

fn describe(action: &str) -> String {
    match action {
        "operator.phone_changed" => "The phone number tapin calls and texts you on was changed.",
        "operator.push_added" => "A new device was added for your tapin push notifications.",
        "operator.push_removed" => "A device was removed from your tapin push notifications.",
        "organization.slack_hook_changed" => "Your organization's Slack hook in tapin was changed.",
        "organization.slack_signing_secret_changed" => {
            "Your organization's Slack signing secret in tapin was changed."
        }
        "operator.slack_user_changed" => {
            "The Slack account whose Approve / Deny presses count as yours in tapin was changed."
        }
        _ => "Your tapin contact details were changed.",
    }
    .to_string()
}

async fn record(
    app: &App,
    org_id: &str,
    actor: &str,
    action: &str,
    operator_id: Option<&str>,
    data: Value,
    notice: String,
) -> Result<(), AppError> {
    let e = SecurityEvent {
        id: new_id(),
        organization_id: org_id.to_string(),
        created_at: now(),
        actor: actor.to_string(),
        action: action.to_string(),
        operator_id: operator_id.map(str::to_string),
        data: data.to_string(),
        notice,
    };
    app.store.insert_security_event(&e).await?;
    tracing::info!(org = org_id, actor, action, "security log");
    Ok(())
}

/// Sends the notices in the background (a slow mail server does not hold the
/// request); returns what was sent for, to be recorded.
fn announce(app: &App, people: Vec<(Operator, Vec<PushSubscription>)>, what: &str) -> String {
    let email = !app.config.smtp_url.trim().is_empty();
    let devices: usize = people.iter().map(|(_, d)| d.len()).sum();
    let mut via = Vec::new();
    if email && !people.is_empty() {
        via.push("email".to_string());
    }
    if devices > 0 {
        via.push(format!("push ({devices} devices)"));
    }
    let notice = if people.is_empty() {
        "nobody to tell".to_string()
    } else if via.is_empty() {
        "not sent: no email server is configured and no push device was registered".to_string()
    } else {
        via.join(", ")
    };
    let (app, what) = (app.clone(), what.to_string());
    tokio::spawn(async move {
        let body = format!(
            "{what}\n\nIf this was not you or your administrator, tell your administrator now: \
             notifications with sign-in links may be going to someone else.\n"
        );
        for (op, devices) in people {
            if email {
                if let Err(e) = crate::channels::email::send_notice(
                    &app.config,
                    &op,
                    "[tapin] Your contact details changed",
                    &body,
                )
                .await
                {
                    tracing::warn!(operator = %op.id, "security notice by email failed: {e}");
                }
            }
            let payload = json!({
                "title": "tapin: contact details changed",
                "body": what,
                "url": "/settings",
                "tag": "tapin-security",
            });
            for d in &devices {
                let _ = push::send(&app, d, &payload).await;
            }
        }
    });
    notice
}

/// The organization's newest security-log entries.
pub async fn recent(app: &App, org_id: &str, limit: i64) -> Result<Vec<SecurityEvent>, AppError> {
    Ok(app.store.security_events(org_id, limit).await?)
}
