//! Deciding from Slack (issue 14 §3): the organization's Slack app sends each
//! Approve / Deny press to `POST /slack/interactivity/{organization id}`. The
//! request is taken only if Slack's signature checks out with the
//! organization's signing secret (stored sealed) and its timestamp is within
//! five minutes; the Slack user must be linked to an active operator (an
//! admin links them); the decision goes through `approvals::decide_via` as
//! that operator, so roles, four-eyes and quorum apply as everywhere; the
//! request's signature is spent as a single-use nonce in the same
//! transaction, so a replay decides nothing. The answer goes to the press's
//! `response_url`, only if that is Slack's host.

use super::approvals::{self, DecisionInput, Via};
use super::{admin, now, parse_id, security_log, App};
use crate::channels::slack as slack_channel;
use crate::domain::records::Operator;
use crate::domain::slack::{self, Interaction};
use crate::domain::{Actor, Handoff, State};
use crate::error::AppError;
use serde_json::Value;

/// The label the signing secret is sealed under.
pub fn secret_label(org_id: &str) -> String {
    format!("slack_signing_secret:{org_id}")
}

/// Where the organization's Slack app sends button presses ("Interactivity &
/// Shortcuts" → Request URL).
pub fn interactivity_url(app: &App, org_id: &str) -> String {
    format!("{}/slack/interactivity/{org_id}", app.config.public_base())
}

/// The admin's view: whether a secret is set, the request URL, the links.
#[derive(Clone, Debug)]
pub struct Settings {
    pub secret_set: bool,
    pub interactivity_url: String,
    /// (operator id, Slack user id).
    pub users: Vec<(String, String)>,
}

pub async fn settings(app: &App, me: &Operator) -> Result<Settings, AppError> {
    admin::require_admin(me)?;
    let org = &me.organization_id;
    Ok(Settings {
        secret_set: app.store.slack_signing_secret(org).await?.is_some(),
        interactivity_url: interactivity_url(app, org),
        users: app.store.slack_users(org).await?,
    })
}

/// Sets the signing secret (from the Slack app's "Basic Information" page) or,
/// with an empty one, clears it (Slack presses are then refused).
pub async fn set_signing_secret(app: &App, me: &Operator, secret: &str) -> Result<(), AppError> {
    admin::require_admin(me)?;
    let org = &me.organization_id;
    let secret = secret.trim();
    let sealed = if secret.is_empty() {
        None
    } else {
        let ok =
            (16..=128).contains(&secret.len()) && secret.bytes().all(|b| b.is_ascii_alphanumeric());
        if !ok {
            return Err(AppError::invalid_field(
                "signing_secret",
                "paste the Signing Secret from your Slack app's Basic Information page (16 to 128 letters and digits)",
            ));
        }
        Some(
            app.keys
                .seal_org(&app.store, org, &secret_label(org), secret)
                .await?,
        )
    };
    app.store
        .set_slack_signing_secret(org, sealed.as_deref(), &now())
        .await?;
    let actor = security_log::by_operator(me);
    security_log::slack_secret_changed(app, org, &actor, sealed.is_some()).await
}

/// Whether `id` looks like a Slack user id (`U…` or `W…`, capitals and digits).
fn slack_user_id_ok(id: &str) -> bool {
    (3..=32).contains(&id.len())
        && matches!(id.as_bytes()[0], b'U' | b'W')
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Links an operator to their Slack user id (empty: unlinks). Admins only: an
/// operator who could set their own could claim a colleague's Slack account
/// and have that colleague's presses recorded as theirs.
pub async fn set_user(
    app: &App,
    me: &Operator,
    operator_id: &str,
    slack_user_id: &str,
) -> Result<(), AppError> {
    admin::require_admin(me)?;
    let org = &me.organization_id;
    let subject = app
        .store
        .operator_by_id(operator_id)
        .await?
        .filter(|o| &o.organization_id == org)
        .ok_or_else(|| AppError::not_found("operator"))?;
    let wanted = slack_user_id.trim();
    let wanted = (!wanted.is_empty()).then_some(wanted);
    if let Some(id) = wanted {
        if !slack_user_id_ok(id) {
            return Err(AppError::invalid_field(
                "slack_user_id",
                "a Slack member ID such as U024BE7LH (in Slack: the person's profile → ⋮ → Copy member ID)",
            ));
        }
    }
    let before = app
        .store
        .slack_users(org)
        .await?
        .into_iter()
        .find(|(op, _)| op == &subject.id)
        .map(|(_, u)| u);
    if before.as_deref() == wanted {
        return Ok(());
    }
    app.store
        .set_slack_user(org, &subject.id, wanted)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::Duplicate => AppError::invalid_field(
                "slack_user_id",
                "another operator is already linked to this Slack member ID",
            ),
            e => e.into(),
        })?;
    security_log::contact_changed(
        app,
        &security_log::by_operator(me),
        &subject,
        "operator.slack_user_changed",
        serde_json::json!({ "from": before, "to": wanted }),
        app.store.push_subscriptions(&subject.id).await?,
    )
    .await
}

/// A verified press that asked for a decision.
struct Press {
    interaction: Interaction,
    choice: slack::Choice,
    nonce: String,
}

/// Handles one request from Slack. `Ok` is a 200 for Slack (decided, voted,
/// or nothing tapin asked for); every refusal is an `Err` with its status
/// (401 not from Slack, 403 unknown user, replay or not allowed, …) and
/// changes nothing. Where the request did come from Slack, the person is told
/// on the press's `response_url`.
pub async fn interact(
    app: &App,
    org_id: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
) -> Result<(), AppError> {
    let Some(press) = verified(app, org_id, timestamp, signature, body).await? else {
        return Ok(());
    };
    let org_id = parse_id(org_id, "organization")?;
    let reply_to = press.interaction.response_url.clone();
    match decide(app, &org_id, &press).await {
        Ok(answer) => {
            reply(app, reply_to, answer);
            Ok(())
        }
        Err(e) => {
            // A replay is not news to anyone; everything else is explained.
            if e.reason.as_deref() != Some("replayed") {
                let text = format!("Not recorded: {}", e.message);
                reply(app, reply_to, slack_channel::ephemeral(&text));
            }
            Err(e)
        }
    }
}

/// The signature, the timestamp and the payload; `None`: a verified request
/// that asks tapin for nothing.
async fn verified(
    app: &App,
    org_id: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Option<Press>, AppError> {
    let not_slack = |why: &str| {
        tracing::warn!(org = org_id, "Slack request refused: {why}");
        AppError::unauthorized(format!(
            "not a request from this organization's Slack app: {why}"
        ))
    };
    let org = parse_id(org_id, "organization").map_err(|_| not_slack("unknown organization"))?;
    let stored = app.store.slack_signing_secret(&org).await?;
    let Some(stored) = stored else {
        return Err(not_slack("no Slack signing secret is set"));
    };
    let secret = app
        .keys
        .open_org(&app.store, &org, &secret_label(&org), &stored)
        .await?;
    slack::verify(
        &secret,
        timestamp,
        signature,
        body,
        chrono::Utc::now().timestamp(),
    )
    .map_err(|e| not_slack(&e.to_string()))?;
    let interaction = slack::parse(body).map_err(AppError::bad_request)?;
    let Some(choice) = interaction.choice() else {
        return Ok(None);
    };
    Ok(Some(Press {
        interaction,
        choice,
        nonce: slack::replay_nonce(signature.unwrap_or_default()),
    }))
}

/// Maps the Slack user, refuses a replay, decides; the answer for Slack.
async fn decide(app: &App, org_id: &str, press: &Press) -> Result<Value, AppError> {
    let slack_user = &press.interaction.user.id;
    let operator = match app.store.slack_operator(org_id, slack_user).await? {
        Some(id) => app.store.operator_by_id(&id).await?,
        None => None,
    };
    let Some(operator) = operator.filter(|o| o.active && o.organization_id == org_id) else {
        tracing::warn!(org = org_id, slack_user, "Slack press by an unlinked user");
        return Err(AppError::forbidden(
            "your Slack account is not linked to a tapin operator; ask an admin to add your Slack member ID on the admin page",
        )
        .with_reason("unknown_slack_user"));
    };
    if app.store.nonce_used(&press.nonce).await? {
        return Err(replayed());
    }
    let id = parse_id(&press.choice.handoff_id, "approval")?;
    let input = DecisionInput {
        approve: press.choice.approve,
        note: press.interaction.note(),
        payload: None,
        subject_kind: None,
        subject_ref: None,
        answer: None,
    };
    let via = Via {
        channel: Some("slack"),
        nonce: Some(press.nonce.clone()),
    };
    let actor = Actor::Operator(operator.id.clone());
    let (h, a) = approvals::decide_via(app, org_id, &id, actor, input, via)
        .await
        .map_err(slack_words)?;
    Ok(answer(
        &h,
        &operator,
        press.choice.approve,
        a.decision_note.as_deref(),
        a.progress(),
    ))
}

/// The refusals a Slack user can act on, in Slack's words.
fn slack_words(e: AppError) -> AppError {
    let names = |f: &str| e.fields.iter().any(|x| x.field == f);
    match e.reason.as_deref() {
        Some("link_used") => replayed(),
        Some("handoff_finished" | "invalid_transition") => {
            AppError::conflict("already_decided", "it was already decided or has ended")
        }
        _ if names("answer") => AppError::invalid_field(
            "answer",
            "this approval asks for an answer: open it in tapin to answer",
        ),
        _ if names("note") => AppError::invalid_field(
            "note",
            "type why you deny in the Reason box, then press Deny again (the agent tells the customer)",
        ),
        _ => e,
    }
}

fn replayed() -> AppError {
    AppError::forbidden("this Slack request was already handled").with_reason("replayed")
}

/// The message once the press counted: decided (no more buttons) or, for a
/// quorum short of its count, the vote and the buttons for the others.
fn answer(
    h: &Handoff,
    by: &Operator,
    approve: bool,
    note: Option<&str>,
    progress: Option<String>,
) -> Value {
    if h.state != State::Solved {
        let line = format!(
            "{} approved · {}",
            by.name,
            progress.unwrap_or_else(|| "waiting for more approvals".into())
        );
        return slack_channel::voted(h, &line);
    }
    let line = match (approve, note) {
        (true, _) => format!("Approved by {}", by.name),
        (false, Some(n)) => format!("Denied by {}: {n}", by.name),
        (false, None) => format!("Denied by {}", by.name),
    };
    slack_channel::decided(h, &line)
}

/// Posts the answer to Slack off the request (Slack wants its 200 within 3 s).
fn reply(app: &App, response_url: Option<String>, body: Value) {
    let Some(url) = response_url else {
        return;
    };
    let app = app.clone();
    tokio::spawn(async move {
        let hosts = &app.config.slack_response_hosts;
        if let Err(e) = slack_channel::answer(&app.http, &url, hosts, &body).await {
            tracing::warn!("answering Slack failed: {e}");
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn slack_member_ids_are_checked() {
        for ok in ["U024BE7LH", "W012A3CDE", "U0123456789ABCDEF"] {
            assert!(super::slack_user_id_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "U",
            "u024be7lh",
            "B024BE7LH",
            "U02 4BE",
            "U<@here>",
            "Ü024",
        ] {
            assert!(!super::slack_user_id_ok(bad), "{bad}");
        }
    }
}
