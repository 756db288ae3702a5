//! Notification channels: Web Push, email (SMTP), Slack (incoming webhook),
//! SMS and voice (one HTTP request to a configurable provider). Each operator
//! picks channels per urgency; every send, and every operator nobody could
//! reach, is recorded and shown on the handoff's timeline. The sending itself
//! is in `crate::channels`.

use super::setup::Setup;
use super::{links, new_id, now, push, App};
use crate::channels::push as push_channel;
use crate::channels::{email, provider, slack};
use crate::config::HttpProvider;
use crate::domain::records::{Contact, NotificationRecord, Operator, PushSubscription};
use crate::domain::routing::{CHANNELS, DEFAULT_CHANNELS, URGENCIES};
use crate::domain::Handoff;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One operator's sends for one step.
#[derive(Clone, Debug)]
pub struct Plan {
    pub operator: Operator,
    pub channels: Vec<&'static str>,
    phone: Option<String>,
    devices: Vec<PushSubscription>,
    /// The organization's Slack hook, read once when planning.
    slack_url: Option<String>,
}

/// Channel choices per urgency, as stored and as the API shows them.
pub type Choices = BTreeMap<String, Vec<String>>;

pub fn default_choices() -> Choices {
    URGENCIES
        .iter()
        .map(|u| {
            (
                u.to_string(),
                DEFAULT_CHANNELS.iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect()
}

fn choices_of(contact: Option<&Contact>) -> Choices {
    contact
        .and_then(|c| c.channels.as_deref())
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_else(default_choices)
}

/// An operator's contact details and channel choices.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// E.164 phone number for SMS and voice, e.g. `+4915112345678`.
    #[serde(default)]
    pub phone: Option<String>,
    /// For each urgency (`low`, `medium`, `high`, `urgent`), the channels to use:
    /// `push`, `email`, `slack`, `sms`, `voice`.
    #[schema(value_type = Object, example = json!({"low": ["email"], "medium": ["push"], "high": ["push", "sms"], "urgent": ["push", "sms", "voice"]}))]
    pub channels: Choices,
}

pub async fn preferences(app: &App, op: &Operator) -> Result<Preferences, AppError> {
    let contacts = app.store.contacts(&op.organization_id).await?;
    let mine = contacts.iter().find(|c| c.operator_id == op.id);
    Ok(Preferences {
        phone: mine.and_then(|c| c.phone.clone()),
        channels: choices_of(mine),
    })
}

/// Saves an operator's choices; unknown urgencies or channels and bad phone
/// numbers are refused. A new phone number is recorded in the security log
/// (`actor` made the change) and announced to the operator.
pub async fn set_preferences(
    app: &App,
    actor: &str,
    op: &Operator,
    p: Preferences,
) -> Result<Preferences, AppError> {
    let phone = p
        .phone
        .map(|s| {
            s.chars()
                .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
                .collect::<String>()
        })
        .filter(|s| !s.is_empty());
    if let Some(ph) = &phone {
        let digits = ph.strip_prefix('+').unwrap_or("");
        if !(8..=15).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::invalid_field(
                "phone",
                "an international number such as +4915112345678",
            ));
        }
    }
    let mut choices = Choices::new();
    for (urgency, list) in p.channels {
        if !URGENCIES.contains(&urgency.as_str()) {
            return Err(AppError::invalid_field(
                format!("channels.{urgency}"),
                "urgencies are low, medium, high and urgent",
            ));
        }
        let mut clean: Vec<String> = Vec::new();
        for c in list {
            if !CHANNELS.contains(&c.as_str()) {
                return Err(AppError::invalid_field(
                    format!("channels.{urgency}"),
                    format!("unknown channel `{c}`: push, email, slack, sms or voice"),
                ));
            }
            if !clean.contains(&c) {
                clean.push(c);
            }
        }
        choices.insert(urgency, clean);
    }
    // An urgency left out keeps the defaults.
    for (u, d) in default_choices() {
        choices.entry(u).or_insert(d);
    }
    let needs_phone = choices
        .values()
        .flatten()
        .any(|c| c == "sms" || c == "voice");
    if needs_phone && phone.is_none() {
        return Err(AppError::invalid_field(
            "phone",
            "SMS and voice need a phone number",
        ));
    }
    let phone_before = preferences(app, op).await?.phone;
    let saved = app
        .store
        .set_contact(
            &op.organization_id,
            &Contact {
                operator_id: op.id.clone(),
                phone,
                channels: Some(serde_json::to_string(&choices).expect("choices serialize")),
            },
        )
        .await?;
    if !saved {
        return Err(AppError::not_found("operator"));
    }
    let after = preferences(app, op).await?;
    if after.phone != phone_before {
        super::security_log::contact_changed(
            app,
            actor,
            op,
            "operator.phone_changed",
            serde_json::json!({ "from": phone_before, "to": after.phone }),
            app.store.push_subscriptions(&op.id).await?,
        )
        .await?;
    }
    Ok(after)
}

/// The `/settings` form: checkboxes named `<urgency>_<channel>`; an urgency
/// with none ticked means "do not notify me at that urgency".
pub async fn save_form(
    app: &App,
    op: &Operator,
    phone: &str,
    ticked: &std::collections::HashMap<String, String>,
) -> Result<Preferences, AppError> {
    let channels = URGENCIES
        .iter()
        .map(|u| {
            let on = CHANNELS
                .iter()
                .filter(|c| ticked.contains_key(&format!("{u}_{c}")))
                .map(|c| c.to_string())
                .collect();
            (u.to_string(), on)
        })
        .collect();
    let phone = Some(phone.to_string()).filter(|p| !p.trim().is_empty());
    let actor = super::security_log::by_operator(op);
    set_preferences(app, &actor, op, Preferences { phone, channels }).await
}

fn provider_on(p: &HttpProvider) -> bool {
    !p.url.trim().is_empty()
}

/// Why a chosen channel cannot reach the operator, or None if it can.
fn unreachable(
    app: &App,
    channel: &str,
    slack: bool,
    phone: bool,
    devices: usize,
) -> Option<&'static str> {
    match channel {
        "push" if devices == 0 => Some("no device has notifications on"),
        "email" if app.config.smtp_url.trim().is_empty() => Some("SMTP is not configured"),
        "slack" if !slack => Some("no Slack webhook is configured"),
        "sms" if !provider_on(&app.config.sms) => Some("no SMS provider is configured"),
        "voice" if !provider_on(&app.config.voice) => Some("no voice provider is configured"),
        "sms" | "voice" if !phone => Some("no phone number"),
        _ => None,
    }
}

/// Who can be reached on which of their chosen channels for this handoff's
/// urgency; operators with none are returned as `skipped` records.
pub fn plan(
    app: &App,
    setup: &Setup,
    h: &Handoff,
    ops: &[Operator],
    step: i64,
) -> (Vec<Plan>, Vec<NotificationRecord>) {
    if ops.is_empty() {
        return (vec![], vec![]);
    }
    let (contacts, subs) = (&setup.contacts, &setup.push_subscriptions);
    let slack_url = setup.slack_url.clone();
    let slack = slack_url.is_some();
    let (mut plans, mut skipped) = (Vec::new(), Vec::new());
    for op in ops {
        let contact = contacts.iter().find(|c| c.operator_id == op.id);
        let phone = contact.and_then(|c| c.phone.clone());
        let devices: Vec<PushSubscription> = subs
            .iter()
            .filter(|s| s.operator_id == op.id)
            .cloned()
            .collect();
        let chosen = choices_of(contact)
            .remove(&h.priority)
            .unwrap_or_else(|| DEFAULT_CHANNELS.iter().map(|c| c.to_string()).collect());
        let mut channels = Vec::new();
        let mut why = Vec::new();
        for c in &chosen {
            let Some(known) = CHANNELS.iter().find(|k| *k == c) else {
                continue;
            };
            match unreachable(app, known, slack, phone.is_some(), devices.len()) {
                None => channels.push(*known),
                Some(reason) => why.push(format!("{known}: {reason}")),
            }
        }
        if channels.is_empty() {
            let detail = if chosen.is_empty() {
                format!("chose no channel for {} urgency", h.priority)
            } else {
                why.join("; ")
            };
            skipped.push(record(
                h,
                Some(&op.id),
                "none",
                step,
                "skipped",
                Some(detail),
            ));
        } else {
            plans.push(Plan {
                operator: op.clone(),
                channels,
                phone,
                devices,
                slack_url: slack_url.clone(),
            });
        }
    }
    (plans, skipped)
}

fn record(
    h: &Handoff,
    operator: Option<&str>,
    channel: &str,
    step: i64,
    outcome: &str,
    detail: Option<String>,
) -> NotificationRecord {
    crate::telemetry::notification(channel, outcome);
    NotificationRecord {
        id: new_id(),
        organization_id: h.organization_id.clone(),
        handoff_id: h.id.clone(),
        operator_id: operator.map(str::to_string),
        channel: channel.to_string(),
        step,
        outcome: outcome.to_string(),
        // Tenants read these: never a provider's credentials.
        detail: detail.map(|d| crate::channels::redact::urls(&d)),
        created_at: now(),
    }
}

/// Notification sends in flight on this node; more wait their turn in their
/// own task, never in the caller's.
static SENDING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(32);

/// Sends every plan off the caller's path: the timer worker hands the sends
/// of a step here and goes on with the next timer, so a slow or stalled
/// notification target never delays another handoff's deadline.
pub fn deliver_later(app: &App, h: Handoff, plans: Vec<Plan>, step: i64) {
    let app = app.clone();
    tokio::spawn(async move {
        let Ok(_permit) = SENDING.acquire().await else {
            return;
        };
        deliver(&app, &h, &plans, step).await;
    });
}

/// Sends every plan (operators in parallel) and records each outcome.
pub async fn deliver(app: &App, h: &Handoff, plans: &[Plan], step: i64) {
    let one_tap = one_tap(app, h).await;
    let sends = plans.iter().map(|p| deliver_one(app, h, p, step, one_tap));
    let records: Vec<NotificationRecord> = futures::future::join_all(sends)
        .await
        .into_iter()
        .flatten()
        .collect();
    if let Err(e) = app.store.insert_notifications(&records).await {
        tracing::error!(handoff = %h.id, "recording notifications failed: {e}");
    }
}

/// Whether email and Slack offer one-tap Approve / Deny: a waiting approval
/// that asks for no typed answer (`decide_links::offered`).
async fn one_tap(app: &App, h: &Handoff) -> bool {
    if h.kind != crate::domain::Kind::Approval {
        return false;
    }
    match super::approvals::of_handoff(app, &h.id).await {
        Ok(Some(a)) => super::decide_links::offered(h, &a),
        Ok(None) => false,
        Err(e) => {
            tracing::warn!(handoff = %h.id, "reading the approval for its notification: {e}");
            false
        }
    }
}

/// The approval email's Approve / Deny links for this operator (none when
/// signing fails: the email still carries the open link).
fn email_decide_links(app: &App, h: &Handoff, op: &Operator) -> Option<super::decide_links::Pair> {
    let ttl = app.config.push_link_ttl_seconds;
    super::decide_links::sign_pair(app, &h.id, &op.id, ttl)
        .map_err(|e| tracing::warn!(handoff = %h.id, "signing decide links: {e}"))
        .ok()
}

async fn deliver_one(
    app: &App,
    h: &Handoff,
    p: &Plan,
    step: i64,
    one_tap: bool,
) -> Vec<NotificationRecord> {
    // The link signs this operator in once; it outlives the push, not the handoff.
    let link = match links::sign(app, &h.id, &p.operator.id, app.config.push_link_ttl_seconds) {
        Ok(l) => l,
        Err(e) => {
            return vec![record(
                h,
                Some(&p.operator.id),
                "none",
                step,
                "failed",
                Some(e.message),
            )]
        }
    };
    let mut out = Vec::new();
    for &channel in &p.channels {
        let result = match channel {
            "push" => send_push(app, h, p, &link).await,
            "email" => {
                let pair = one_tap
                    .then(|| email_decide_links(app, h, &p.operator))
                    .flatten();
                let decide = pair.as_ref().map(|d| email::DecideLinks {
                    approve: &d.approve,
                    deny: &d.deny,
                });
                email::send(&app.config, h, &p.operator, &link, decide).await
            }
            "slack" => match p.slack_url.as_deref() {
                Some(url) => slack::send(&app.http, url, h, &p.operator.name, &link, one_tap).await,
                None => Err("no Slack webhook is configured".into()),
            },
            // SMS and voice cost money: a per-organization budget per minute;
            // past it the send is recorded as skipped, with the reason.
            "sms" | "voice" if provider_on(phone_provider(app, channel)) => {
                if let Err(why) = super::caps::paid_send(app, &h.organization_id) {
                    tracing::warn!(handoff = %h.id, channel, "{why}");
                    out.push(record(
                        h,
                        Some(&p.operator.id),
                        channel,
                        step,
                        "skipped",
                        Some(why),
                    ));
                    continue;
                }
                let text = if channel == "sms" {
                    provider::sms_text(h, &link)
                } else {
                    provider::voice_text(h)
                };
                send_phone(app, phone_provider(app, channel), h, p, &link, &text).await
            }
            "sms" | "voice" => Err(format!("no {channel} provider is configured")),
            other => Err(format!("unknown channel {other}")),
        };
        let (outcome, detail) = match result {
            Ok(d) => ("sent", d),
            Err(e) => ("failed", e),
        };
        tracing::info!(handoff = %h.id, operator = %p.operator.id, channel, outcome, "notification");
        out.push(record(
            h,
            Some(&p.operator.id),
            channel,
            step,
            outcome,
            Some(detail),
        ));
    }
    out
}

/// Pushes to each of the operator's devices; gone subscriptions are removed.
async fn send_push(app: &App, h: &Handoff, p: &Plan, link: &str) -> Result<String, String> {
    let payload = push_channel::handoff_payload(h, link);
    let mut outcomes = Vec::new();
    for d in &p.devices {
        outcomes.push(push::send(app, d, &payload).await);
    }
    push_channel::report(&outcomes)
}

fn phone_provider<'a>(app: &'a App, channel: &str) -> &'a HttpProvider {
    if channel == "sms" {
        &app.config.sms
    } else {
        &app.config.voice
    }
}

/// SMS or voice to the operator's phone number.
async fn send_phone(
    app: &App,
    via: &HttpProvider,
    h: &Handoff,
    p: &Plan,
    link: &str,
    text: &str,
) -> Result<String, String> {
    let phone = p.phone.as_deref().ok_or("no phone number")?;
    provider::send(&app.http, via, phone, h, &p.operator.name, link, text).await
}

/// The notifications of a handoff already known to be the caller's.
pub async fn sent(
    app: &App,
    org_id: &str,
    handoff_id: &str,
) -> Result<Vec<NotificationRecord>, AppError> {
    Ok(app.store.notifications(org_id, handoff_id).await?)
}
