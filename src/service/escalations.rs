//! Operator-initiated escalation (seed 003): a takeover whose source is
//! `operator`, announced as `conversation.handoff_requested`.

use super::handoffs::blank;
use super::lifecycle::Creation;
use super::App;
use crate::domain::limits::{too_long, ESCALATION_REASON_MAX, ESCALATION_SUMMARY_MAX};
use crate::domain::{Actor, Handoff, Kind, Packet, Source, TranscriptPtr};
use crate::error::AppError;

/// Written when the caller gives none, so the audit trail is never empty.
pub const DEFAULT_REASON: &str = "operator_escalation";
pub const DEFAULT_SUMMARY: &str = "Escalated to a human by an operator or workflow.";

pub async fn escalate(
    app: &App,
    org_id: &str,
    actor: &Actor,
    conversation_id: &str,
    reason: Option<String>,
    summary: Option<String>,
) -> Result<Handoff, AppError> {
    let reason = reason.filter(|r| !r.trim().is_empty());
    let summary = summary.filter(|s| !s.trim().is_empty());
    too_long("reason", reason.as_deref(), ESCALATION_REASON_MAX)?;
    too_long("summary", summary.as_deref(), ESCALATION_SUMMARY_MAX)?;
    let conv = super::conversations::get(app, org_id, conversation_id).await?;
    let reason = reason.unwrap_or_else(|| DEFAULT_REASON.into());
    let summary = summary.unwrap_or_else(|| DEFAULT_SUMMARY.into());
    let packet = Packet {
        static_text: summary.clone(),
        reason: Some(reason.clone()),
        context_vars: Default::default(),
        summary: Some(summary.clone()),
        transcript_ptr: Some(TranscriptPtr {
            conversation_id: conv.id.clone(),
            up_to_seq: (conv.last_seq > 0).then_some(conv.last_seq),
        }),
        transfer_to: None,
        transfer_label: None,
    };
    let handoff = blank(
        org_id,
        Kind::Takeover,
        Source::Operator,
        packet,
        Some(conv.id.clone()),
    );
    let data =
        serde_json::json!({ "reason": reason, "summary": summary, "conversation_id": conv.id });
    let mut c = Creation::new(handoff, actor.label(), data);
    c.conversation_status = Some("waiting_for_human");
    c.topic = Some("conversation.handoff_requested");
    super::intake::create(app, c).await
}

/// How long an escalation answer waits to name the channel that reached someone.
pub const NOTIFIED_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Seed 003's `notified_channel`: `slack` or `email` once a notification of
/// the new handoff went out on one of them, looked for until `within` has
/// passed (the first escalation step is sent right after the commit, off
/// this request's path); None when neither was used by then.
pub async fn notified_channel(
    app: &App,
    org_id: &str,
    handoff_id: &str,
    within: std::time::Duration,
) -> Option<&'static str> {
    if !slack_or_email(app, org_id).await {
        return None;
    }
    let deadline = tokio::time::Instant::now() + within;
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    loop {
        tick.tick().await;
        let sent = app
            .store
            .notifications(org_id, handoff_id)
            .await
            .unwrap_or_default();
        let used =
            sent.iter()
                .filter(|n| n.outcome == "sent")
                .find_map(|n| match n.channel.as_str() {
                    "slack" => Some("slack"),
                    "email" => Some("email"),
                    _ => None,
                });
        // The first step's sends are recorded together, so any record means
        // the step is done.
        if used.is_some() || !sent.is_empty() || tokio::time::Instant::now() >= deadline {
            return used;
        }
    }
}

/// Whether this organization can be notified on Slack or by email at all.
async fn slack_or_email(app: &App, org_id: &str) -> bool {
    if !app.config.smtp_url.trim().is_empty() {
        return true;
    }
    match app.store.routing_settings(org_id).await {
        Ok(s) => super::routing::slack_url(app, org_id, s.slack_webhook_url)
            .await
            .ok()
            .flatten()
            .is_some(),
        Err(_) => false,
    }
}
