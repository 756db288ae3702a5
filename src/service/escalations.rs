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
