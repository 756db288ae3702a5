//! The handoff packet of seed 000 and its transcript pointer.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a handoff came from (seed 000 `source`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    WorkflowTerminal,
    Router,
    Policy,
    Operator,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::WorkflowTerminal => "workflow_terminal",
            Source::Router => "router",
            Source::Policy => "policy",
            Source::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        [
            Source::WorkflowTerminal,
            Source::Router,
            Source::Policy,
            Source::Operator,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// Pointer into the conversation's append-only transcript (seed 000 TranscriptPtr).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscriptPtr {
    pub conversation_id: String,
    pub up_to_seq: Option<i64>,
}

impl TranscriptPtr {
    /// Compact stored form: `conv:{id}@{seq}`, or `conv:{id}` with no messages yet.
    pub fn to_wire(&self) -> String {
        match self.up_to_seq {
            Some(seq) => format!("conv:{}@{}", self.conversation_id, seq),
            None => format!("conv:{}", self.conversation_id),
        }
    }

    pub fn parse(wire: &str) -> Option<TranscriptPtr> {
        let rest = wire.strip_prefix("conv:")?;
        let (id, seq) = match rest.split_once('@') {
            Some((id, seq)) => (id, Some(seq.parse::<i64>().ok().filter(|s| *s >= 0)?)),
            None => (rest, None),
        };
        if id.is_empty() {
            return None;
        }
        Some(TranscriptPtr {
            conversation_id: id.to_string(),
            up_to_seq: seq,
        })
    }
}

/// The complete packet an agent prepares for the human (seed 000 HandoffPacket).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packet {
    pub static_text: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub context_vars: Map<String, Value>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub transcript_ptr: Option<TranscriptPtr>,
    #[serde(default)]
    pub transfer_to: Option<String>,
    #[serde(default)]
    pub transfer_label: Option<String>,
}

pub use super::limits::FieldProblem;
use super::limits::{
    JSON_MAX_BYTES as CONTEXT_VARS_MAX_BYTES, PACKET_TEXT_MAX as TEXT_MAX, STATIC_TEXT_MAX,
};

impl Packet {
    /// Checks the rules serde cannot express; `prefix` is the JSON path of the packet.
    pub fn validate(&self, prefix: &str) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let field = |name: &str| format!("{prefix}.{name}");
        if self.static_text.trim().is_empty() {
            problems.push(FieldProblem::new(field("static_text"), "must not be empty"));
        } else if self.static_text.chars().count() > STATIC_TEXT_MAX {
            problems.push(FieldProblem::new(
                field("static_text"),
                format!("must be at most {STATIC_TEXT_MAX} characters"),
            ));
        }
        for (name, value) in [
            ("reason", &self.reason),
            ("summary", &self.summary),
            ("transfer_to", &self.transfer_to),
            ("transfer_label", &self.transfer_label),
        ] {
            if value.as_ref().is_some_and(|v| v.chars().count() > TEXT_MAX) {
                problems.push(FieldProblem::new(
                    field(name),
                    format!("must be at most {TEXT_MAX} characters"),
                ));
            }
        }
        let vars_len = serde_json::to_string(&self.context_vars).map_or(0, |s| s.len());
        if vars_len > CONTEXT_VARS_MAX_BYTES {
            problems.push(FieldProblem::new(
                field("context_vars"),
                format!("must be at most {CONTEXT_VARS_MAX_BYTES} bytes of JSON"),
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_pointer_round_trips_through_the_wire_form() {
        let p = TranscriptPtr {
            conversation_id: "c1".into(),
            up_to_seq: Some(12),
        };
        assert_eq!(p.to_wire(), "conv:c1@12");
        assert_eq!(TranscriptPtr::parse("conv:c1@12"), Some(p));
        let empty = TranscriptPtr::parse("conv:c1").unwrap();
        assert_eq!(empty.up_to_seq, None);
        assert_eq!(TranscriptPtr::parse("conv:c1@x"), None);
        assert_eq!(TranscriptPtr::parse("c1@3"), None);
        assert_eq!(TranscriptPtr::parse("conv:@3"), None);
    }

    #[test]
    fn empty_static_text_is_named() {
        let packet: Packet = serde_json::from_str(r#"{"static_text":"  "}"#).unwrap();
        let problems = packet.validate("packet");
        assert_eq!(problems[0].field, "packet.static_text");
    }

    #[test]
    fn unknown_packet_fields_are_rejected() {
        assert!(serde_json::from_str::<Packet>(r#"{"static_text":"x","colour":"red"}"#).is_err());
    }
}
