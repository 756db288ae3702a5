//! A handoff's timeline for people: its audit events and every notification
//! sent for it, oldest first, in words.

use crate::domain::audit::ChainedEvent;
use crate::domain::Handoff;
use crate::error::AppError;
use crate::service::App;
use crate::ui::types::TimelineRow;
use serde_json::Value;

pub async fn rows(
    app: &App,
    h: &Handoff,
    events: &[ChainedEvent],
) -> Result<Vec<TimelineRow>, AppError> {
    let names = super::names::ActorNames::load(app, &h.organization_id).await?;
    let clock = super::clock::Clock::of(app, &h.organization_id).await?;
    let name = |id: &str| names.operator(id);
    let actor = |a: &str| names.actor(a);
    let mut out: Vec<TimelineRow> = events
        .iter()
        .map(|e| {
            let e = &e.event;
            let d = &e.data;
            let step = d["step"]
                .as_i64()
                .map(|s| format!(" (step {s})"))
                .unwrap_or_default();
            let (what, detail) = match e.event.as_str() {
                "create" => ("Created".to_string(), route(d)),
                "notify" => {
                    let who: Vec<String> = d["recipients"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r["operator_id"].as_str())
                        .map(&name)
                        .collect();
                    (format!("Notified{step}"), who.join(", "))
                }
                "escalate" => {
                    let to: Vec<String> = d["to"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(&name)
                        .collect();
                    (
                        format!("Escalated{step}"),
                        format!("nobody opened it; next: {}", to.join(", ")),
                    )
                }
                // An assist's capture arrived: from here it is routed.
                "freeze" => ("Screen captured (frozen)".to_string(), route(d)),
                // An operator's action on the captured screen: never the text itself.
                "act" => {
                    let what = match d["action"].as_str() {
                        Some("text") => d["typed"].as_str().unwrap_or("typed").to_string(),
                        Some("key") => format!("pressed {}", d["key"].as_str().unwrap_or("a key")),
                        _ => format!("tapped at {}, {}", d["x"], d["y"]),
                    };
                    (what, actor(&e.actor))
                }
                "vote" => (
                    format!(
                        "Approved ({} of {})",
                        d["approvals"].as_u64().unwrap_or(0),
                        d["required_approvals"].as_u64().unwrap_or(0)
                    ),
                    actor(&e.actor),
                ),
                "expire" if d["timeout_chain_exhausted"] == true => (
                    "Expired".to_string(),
                    "the escalation chain ran out".to_string(),
                ),
                other => (
                    format!("{} → {}", other.replace('_', " "), e.to_state),
                    actor(&e.actor),
                ),
            };
            TimelineRow {
                shown: clock.time(&e.created_at),
                at: e.created_at.clone(),
                what,
                detail,
                outcome: String::new(),
            }
        })
        .collect();
    for n in crate::service::channels::sent(app, &h.organization_id, &h.id).await? {
        let who = n.operator_id.as_deref().map(&name).unwrap_or_default();
        let what = if n.channel == "none" {
            format!("Could not reach {who}")
        } else {
            format!("{} to {who}", n.channel)
        };
        out.push(TimelineRow {
            shown: clock.time(&n.created_at),
            at: n.created_at,
            what,
            detail: n.detail.unwrap_or_default(),
            outcome: n.outcome,
        });
    }
    out.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(out)
}

fn route(d: &Value) -> String {
    let r = &d["route"];
    let chain = r["chain_name"].as_str().unwrap_or("everyone who may act");
    match r["policy_name"].as_str() {
        Some(p) => format!("policy “{p}” → {chain}"),
        None => format!("default route → {chain}"),
    }
}
