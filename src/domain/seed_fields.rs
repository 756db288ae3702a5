//! Seed 004's webhook fields: each lifecycle payload carries, inside `data`,
//! the fields seed 004 lists for its event, for every kind of handoff (an
//! approval's decision is its `solved` step). Pure: the caller supplies the
//! time a person first had the handoff.

use super::lifecycle::Handoff;
use serde_json::{json, Map, Value};

/// The payload's `data`: the event's own data plus the seed's fields it lacks.
pub fn payload_data(
    topic: &str,
    h: &Handoff,
    actor: &str,
    data: &Value,
    at: &str,
    human_since: Option<&str>,
) -> Value {
    let mut out = data.as_object().cloned().unwrap_or_default();
    for (k, v) in fields(topic, h, actor, data, at, human_since) {
        out.entry(k).or_insert(v);
    }
    Value::Object(out)
}

fn fields(
    topic: &str,
    h: &Handoff,
    actor: &str,
    data: &Value,
    at: &str,
    human_since: Option<&str>,
) -> Map<String, Value> {
    let given = |k: &str| data.get(k).cloned().unwrap_or(Value::Null);
    let operator = actor.strip_prefix("operator:").map(str::to_string);
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    match topic {
        "handoff.created" | "approval.requested" | "conversation.handoff_requested" => {
            // An assist names its agent and blocker; other kinds are their own
            // interruption, raised by the key that created them.
            put(
                "agent_id",
                data.get("agent_id").cloned().unwrap_or(json!(actor)),
            );
            put(
                "interruption_type",
                data.get("interruption_type")
                    .cloned()
                    .unwrap_or(json!(h.kind.as_str())),
            );
            put("domain", given("domain"));
            put("created_at", json!(h.created_at));
        }
        "handoff.notified" => {
            put("operator_id", given("operator_id"));
            put("channel", given("channel"));
            put("notified_at", json!(at));
        }
        "handoff.solved" | "approval.decided" => {
            put("operator_id", json!(operator));
            let since = human_since.unwrap_or(&h.created_at);
            put("human_assist_seconds", json!(seconds_between(since, at)));
            put("solved_at", json!(at));
        }
        "handoff.completed" => {
            put("task_outcome", given("task_outcome"));
            put("completed_at", json!(at));
        }
        "handoff.expired" | "approval.expired" => {
            put(
                "timeout_chain_exhausted",
                json!(data.get("timeout_chain_exhausted") == Some(&json!(true))),
            );
            put("expired_at", json!(at));
        }
        "handoff.escalated" => {
            put("from_operator", given("from_operator"));
            put("to_operator", given("to_operator"));
            put("escalated_at", json!(at));
        }
        _ => {}
    }
    m
}

/// Whole seconds from `from` to `to` (RFC 3339), never negative; 0 when
/// either does not parse.
fn seconds_between(from: &str, to: &str) -> i64 {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    match (parse(from), parse(to)) {
        (Some(a), Some(b)) => (b - a).num_seconds().max(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::packet::{Packet, Source};
    use crate::domain::state::{Kind, State};

    fn handoff(kind: Kind) -> Handoff {
        Handoff {
            id: "h1".into(),
            organization_id: "o1".into(),
            kind,
            state: State::Created,
            version: 1,
            conversation_id: None,
            source: Source::Router,
            packet: Packet {
                static_text: "x".into(),
                reason: None,
                context_vars: Default::default(),
                summary: None,
                transcript_ptr: None,
                transfer_to: None,
                transfer_label: None,
            },
            assignee: None,
            decision: None,
            priority: "medium".into(),
            created_at: "2026-05-14T03:42:11Z".into(),
            updated_at: "2026-05-14T03:42:11Z".into(),
            resolved_at: None,
        }
    }

    #[test]
    fn a_solved_step_says_who_and_how_long_the_person_took() {
        let h = handoff(Kind::Assist);
        let d = payload_data(
            "handoff.solved",
            &h,
            "operator:op_jordan",
            &json!({}),
            "2026-05-14T03:42:23Z",
            Some("2026-05-14T03:42:18Z"),
        );
        assert_eq!(d["operator_id"], "op_jordan");
        assert_eq!(d["human_assist_seconds"], 5);
        assert_eq!(d["solved_at"], "2026-05-14T03:42:23Z");
        // An approval decided by a key straight from the queue: no operator,
        // timed from creation.
        let d = payload_data(
            "approval.decided",
            &handoff(Kind::Approval),
            "api_key:k1",
            &json!({"decision": "approve"}),
            "2026-05-14T03:43:11Z",
            None,
        );
        assert_eq!(
            (
                &d["operator_id"],
                &d["human_assist_seconds"],
                &d["decision"]
            ),
            (&Value::Null, &json!(60), &json!("approve"))
        );
    }

    #[test]
    fn created_events_name_the_agent_and_the_interruption() {
        let assist = payload_data(
            "handoff.created",
            &handoff(Kind::Assist),
            "api_key:k1",
            &json!({"agent_id": "agent_outbound_sf", "interruption_type": "twofa", "domain": "salesforce.com"}),
            "2026-05-14T03:42:11Z",
            None,
        );
        assert_eq!(
            (
                &assist["agent_id"],
                &assist["interruption_type"],
                &assist["domain"]
            ),
            (
                &json!("agent_outbound_sf"),
                &json!("twofa"),
                &json!("salesforce.com")
            )
        );
        let takeover = payload_data(
            "conversation.handoff_requested",
            &handoff(Kind::Takeover),
            "api_key:k1",
            &json!({}),
            "2026-05-14T03:42:11Z",
            None,
        );
        assert_eq!(
            (
                &takeover["agent_id"],
                &takeover["interruption_type"],
                &takeover["domain"]
            ),
            (&json!("api_key:k1"), &json!("takeover"), &Value::Null)
        );
        assert_eq!(takeover["created_at"], "2026-05-14T03:42:11Z");
    }

    #[test]
    fn fields_the_event_already_has_are_kept_and_expiry_says_why() {
        let h = handoff(Kind::Takeover);
        let d = payload_data(
            "handoff.expired",
            &h,
            "system",
            &json!({"timeout_chain_exhausted": true, "expired_at": "2026-05-14T03:47:11Z"}),
            "2026-05-14T03:47:12Z",
            None,
        );
        assert_eq!(d["expired_at"], "2026-05-14T03:47:11Z");
        assert_eq!(d["timeout_chain_exhausted"], true);
        let d = payload_data(
            "handoff.expired",
            &h,
            "system",
            &json!({}),
            "2026-05-14T03:47:12Z",
            None,
        );
        assert_eq!(d["timeout_chain_exhausted"], false);
        let d = payload_data(
            "handoff.completed",
            &h,
            "api_key:k1",
            &json!({"task_outcome": "success"}),
            "2026-05-14T03:43:48Z",
            None,
        );
        assert_eq!(
            (&d["task_outcome"], &d["completed_at"]),
            (&json!("success"), &json!("2026-05-14T03:43:48Z"))
        );
    }
}
