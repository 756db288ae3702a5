//! Agent-to-agent handoffs (seed 002): recorded as handoffs of kind `agent`.

use super::handoffs::{blank, check_packet, PRIORITIES};
use super::lifecycle::Creation;
use super::App;
use crate::domain::limits::{required, REF_MAX};
use crate::domain::records::AgentDetails;
use crate::domain::{Actor, Handoff, Kind, Packet, Source};
use crate::error::AppError;
use serde_json::{Map, Value};

pub struct AgentHandoff {
    pub from_agent: String,
    pub to_agent: String,
    pub conversation_context: Map<String, Value>,
    pub handoff_reason: String,
    pub priority: Option<String>,
    pub handoff_time: Option<String>,
}

pub async fn create(
    app: &App,
    org_id: &str,
    actor: &Actor,
    a: AgentHandoff,
) -> Result<Handoff, AppError> {
    for (field, v) in [("from_agent", &a.from_agent), ("to_agent", &a.to_agent)] {
        required(field, v, REF_MAX)?;
    }
    if a.from_agent == a.to_agent {
        return Err(AppError::invalid_field(
            "to_agent",
            "must differ from from_agent",
        ));
    }
    let priority = a.priority.unwrap_or_else(|| "medium".into());
    if !PRIORITIES.contains(&priority.as_str()) {
        return Err(AppError::invalid_field(
            "priority",
            format!("must be one of {}", PRIORITIES.join(", ")),
        ));
    }
    if let Some(t) = &a.handoff_time {
        if chrono::DateTime::parse_from_rfc3339(t).is_err() {
            return Err(AppError::invalid_field(
                "handoff_time",
                "must be an RFC 3339 date-time",
            ));
        }
    }
    let packet = Packet {
        static_text: a.handoff_reason.clone(),
        reason: Some(a.handoff_reason),
        context_vars: a.conversation_context.clone(),
        summary: None,
        transcript_ptr: None,
        transfer_to: Some(a.to_agent.clone()),
        transfer_label: Some(a.to_agent.clone()),
    };
    check_packet(&packet).map_err(|mut e| {
        for f in &mut e.fields {
            f.field = match f.field.as_str() {
                "packet.static_text" | "packet.reason" => "handoff_reason".into(),
                "packet.context_vars" => "conversation_context".into(),
                other => other.to_string(),
            };
        }
        e
    })?;
    let mut handoff = blank(org_id, Kind::Agent, Source::Router, packet, None);
    handoff.priority = priority.clone();
    let data = serde_json::json!({
        "kind": "agent",
        "from_agent": a.from_agent,
        "to_agent": a.to_agent,
        "priority": priority,
    });
    let mut c = Creation::new(handoff, actor.label(), data);
    c.agent = Some(AgentDetails {
        from_agent: a.from_agent,
        to_agent: a.to_agent,
        handoff_time: a.handoff_time,
        context: Value::Object(a.conversation_context),
    });
    super::intake::create(app, c).await
}
