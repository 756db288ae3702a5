//! Time to human: how long handoffs waited for a person, read from their
//! audit events. Pure: the service loads the events and converts timestamps.
//!
//! Per handoff: created → first notified → first opened → solved (the first
//! decide / solve / resolve / hand_back) → resumed. Per operator and per
//! escalation chain: p50 and p95 of time-to-open (created → first open) and
//! time-to-decide (created → solved), as nearest-rank percentiles.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The audit events that mark a milestone; the rest do not matter here.
pub const MILESTONE_EVENTS: [&str; 8] = [
    "create",
    "notify",
    "open",
    "decide",
    "solve",
    "resolve",
    "hand_back",
    "resume",
];

/// Events that end the human's part: the handoff is decided or solved.
const SOLVING_EVENTS: [&str; 4] = ["decide", "solve", "resolve", "hand_back"];

/// Handoffs whose creation recorded no escalation chain.
pub const DEFAULT_CHAIN: &str = "default";

/// One audit event of a handoff, as this report needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub handoff_id: String,
    pub kind: String,
    pub event: String,
    /// `operator:<id>`, `api_key:<id>`, `system`.
    pub actor: String,
    /// RFC 3339, as stored.
    pub at: String,
    /// The same instant in Unix milliseconds.
    pub at_ms: i64,
    /// The event's audit data (the creation's names the route).
    pub data: Value,
}

/// The milestones of one handoff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HandoffTimes {
    pub handoff_id: String,
    pub kind: String,
    /// The escalation chain it was routed to (`default` when none was recorded).
    pub chain_id: String,
    pub created_at: String,
    pub notified_at: Option<String>,
    pub opened_at: Option<String>,
    /// The operator who opened it first.
    pub opened_by: Option<String>,
    /// First decide, solve, resolve or hand back.
    pub solved_at: Option<String>,
    /// Who did it: `operator:<id>`, `api_key:<id>`, …
    pub solved_by: Option<String>,
    pub resumed_at: Option<String>,
    /// Created → first opened.
    pub time_to_open_ms: Option<i64>,
    /// Created → solved.
    pub time_to_decide_ms: Option<i64>,
}

/// p50/p95 of one group's times (nearest rank; null when the group has none).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Percentiles {
    /// Handoffs opened (for an operator: opened first by them).
    pub opened: usize,
    pub time_to_open_p50_ms: Option<i64>,
    pub time_to_open_p95_ms: Option<i64>,
    /// Handoffs decided or solved (for an operator: by them).
    pub decided: usize,
    pub time_to_decide_p50_ms: Option<i64>,
    pub time_to_decide_p95_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OperatorTimes {
    pub operator_id: String,
    pub operator_name: String,
    #[serde(flatten)]
    pub times: Percentiles,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChainTimes {
    pub chain_id: String,
    /// The chain's name when its creation recorded one.
    pub chain_name: Option<String>,
    /// Handoffs created on this chain in the period.
    pub handoffs: usize,
    #[serde(flatten)]
    pub times: Percentiles,
}

/// The whole report for a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimeToHuman {
    /// The period asked for (by creation time; `to` exclusive), null when open.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Handoffs created in the period.
    pub handoffs_total: usize,
    /// The newest of them (at most the report's list limit), oldest first;
    /// the groups below cover all of them.
    pub handoffs: Vec<HandoffTimes>,
    pub by_operator: Vec<OperatorTimes>,
    pub by_chain: Vec<ChainTimes>,
}

/// The nearest-rank percentile `p` (0–100] of `values`: the smallest value
/// with at least p % of the values at or below it.
pub fn nearest_rank(values: &[i64], p: u32) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn percentiles(opens: &[i64], decides: &[i64]) -> Percentiles {
    Percentiles {
        opened: opens.len(),
        time_to_open_p50_ms: nearest_rank(opens, 50),
        time_to_open_p95_ms: nearest_rank(opens, 95),
        decided: decides.len(),
        time_to_decide_p50_ms: nearest_rank(decides, 50),
        time_to_decide_p95_ms: nearest_rank(decides, 95),
    }
}

/// `data.route.chain_id` / `chain_name` of the creation event.
fn route(data: &Value) -> (String, Option<String>) {
    let route = &data["route"];
    let id = route["chain_id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_CHAIN)
        .to_string();
    (id, route["chain_name"].as_str().map(str::to_string))
}

#[derive(Default)]
struct Group {
    opens: Vec<i64>,
    decides: Vec<i64>,
}

/// Builds the report from milestones in audit order. `names` maps operator
/// ids to names (an unknown id is shown as itself); `list_limit` caps the
/// per-handoff list (the newest are kept), not the groups.
pub fn report(
    milestones: &[Milestone],
    names: &HashMap<String, String>,
    period: (Option<String>, Option<String>),
    list_limit: usize,
) -> TimeToHuman {
    // Per handoff, in order of creation.
    let mut order: Vec<&str> = Vec::new();
    let mut by_handoff: HashMap<&str, Vec<&Milestone>> = HashMap::new();
    for m in milestones {
        let list = by_handoff.entry(&m.handoff_id).or_default();
        if list.is_empty() {
            order.push(&m.handoff_id);
        }
        list.push(m);
    }
    let mut handoffs = Vec::new();
    let mut operators: BTreeMap<String, Group> = BTreeMap::new();
    let mut chains: BTreeMap<String, (Option<String>, usize, Group)> = BTreeMap::new();
    for id in order {
        let events = &by_handoff[id];
        let Some(created) = events.iter().find(|m| m.event == "create") else {
            continue; // created outside the period
        };
        let first = |names: &[&str]| events.iter().find(|m| names.contains(&m.event.as_str()));
        let notified = first(&["notify"]);
        let opened = first(&["open"]);
        let solved = first(&SOLVING_EVENTS);
        let resumed = first(&["resume"]);
        let since_created = |m: Option<&&Milestone>| m.map(|m| m.at_ms - created.at_ms);
        let (chain_id, chain_name) = route(&created.data);
        let t = HandoffTimes {
            handoff_id: id.to_string(),
            kind: created.kind.clone(),
            chain_id: chain_id.clone(),
            created_at: created.at.clone(),
            notified_at: notified.map(|m| m.at.clone()),
            opened_at: opened.map(|m| m.at.clone()),
            opened_by: opened.and_then(|m| m.actor.strip_prefix("operator:").map(str::to_string)),
            solved_at: solved.map(|m| m.at.clone()),
            solved_by: solved.map(|m| m.actor.clone()),
            resumed_at: resumed.map(|m| m.at.clone()),
            time_to_open_ms: since_created(opened),
            time_to_decide_ms: since_created(solved),
        };
        let chain = chains.entry(chain_id).or_default();
        chain.0 = chain.0.take().or(chain_name);
        chain.1 += 1;
        if let Some(ms) = t.time_to_open_ms {
            chain.2.opens.push(ms);
            if let Some(op) = &t.opened_by {
                operators.entry(op.clone()).or_default().opens.push(ms);
            }
        }
        if let Some(ms) = t.time_to_decide_ms {
            chain.2.decides.push(ms);
            if let Some(op) = solved.and_then(|m| m.actor.strip_prefix("operator:")) {
                operators
                    .entry(op.to_string())
                    .or_default()
                    .decides
                    .push(ms);
            }
        }
        handoffs.push(t);
    }
    let mut by_operator: Vec<OperatorTimes> = operators
        .into_iter()
        .map(|(id, g)| OperatorTimes {
            operator_name: names.get(&id).cloned().unwrap_or_else(|| id.clone()),
            operator_id: id,
            times: percentiles(&g.opens, &g.decides),
        })
        .collect();
    by_operator.sort_by(|a, b| {
        (a.operator_name.to_lowercase(), &a.operator_id)
            .cmp(&(b.operator_name.to_lowercase(), &b.operator_id))
    });
    let handoffs_total = handoffs.len();
    handoffs.drain(..handoffs_total.saturating_sub(list_limit));
    TimeToHuman {
        from: period.0,
        to: period.1,
        handoffs_total,
        handoffs,
        by_operator,
        by_chain: chains
            .into_iter()
            .map(|(chain_id, (chain_name, n, g))| ChainTimes {
                chain_id,
                chain_name,
                handoffs: n,
                times: percentiles(&g.opens, &g.decides),
            })
            .collect(),
    }
}

/// Milliseconds as people read them: `850 ms`, `12.5 s`, `3.2 min`, `1.5 h`.
pub fn human_ms(ms: i64) -> String {
    let abs = ms.unsigned_abs();
    if abs < 1_000 {
        format!("{ms} ms")
    } else if abs < 60_000 {
        format!("{:.1} s", ms as f64 / 1_000.0)
    } else if abs < 3_600_000 {
        format!("{:.1} min", ms as f64 / 60_000.0)
    } else {
        format!("{:.1} h", ms as f64 / 3_600_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nearest_rank_picks_the_smallest_value_covering_p_percent() {
        let v = [40, 10, 30, 20, 100];
        assert_eq!(nearest_rank(&v, 50), Some(30)); // rank ceil(2.5) = 3
        assert_eq!(nearest_rank(&v, 95), Some(100)); // rank ceil(4.75) = 5
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2)); // rank 2, no interpolation
        assert_eq!(nearest_rank(&(1..=20).collect::<Vec<_>>(), 95), Some(19));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    fn m(h: &str, event: &str, actor: &str, at_ms: i64, data: Value) -> Milestone {
        Milestone {
            handoff_id: h.into(),
            kind: "takeover".into(),
            event: event.into(),
            actor: actor.into(),
            at: format!("t{at_ms}"),
            at_ms,
            data,
        }
    }

    #[test]
    fn groups_by_the_operator_who_opened_or_decided_and_by_chain() {
        let chain = json!({"route": {"chain_id": "c1", "chain_name": "Billing"}});
        let events = vec![
            m("a", "create", "api_key:k", 0, chain.clone()),
            m("b", "create", "api_key:k", 1_000, json!({})),
            m("a", "notify", "system", 500, json!({})),
            m("a", "open", "operator:ann", 2_000, json!({})),
            m("a", "open", "operator:bob", 2_500, json!({})),
            m("b", "open", "operator:bob", 5_000, json!({})),
            m("a", "resolve", "operator:bob", 9_000, json!({})),
            m("b", "resolve", "api_key:k", 7_000, json!({})),
            m("b", "resolve", "operator:bob", 8_000, json!({})),
        ];
        let names = HashMap::from([("ann".to_string(), "Ann".to_string())]);
        let r = report(&events, &names, (None, None), 10);
        let a = &r.handoffs[0];
        assert_eq!(
            (a.notified_at.as_deref(), a.opened_by.as_deref()),
            (Some("t500"), Some("ann"))
        );
        assert_eq!(
            (a.time_to_open_ms, a.time_to_decide_ms),
            (Some(2_000), Some(9_000))
        );
        assert_eq!(r.handoffs[1].solved_by.as_deref(), Some("api_key:k"));

        let ann = &r.by_operator[0];
        assert_eq!(
            (
                ann.operator_name.as_str(),
                ann.times.opened,
                ann.times.decided
            ),
            ("Ann", 1, 0)
        );
        let bob = &r.by_operator[1];
        assert_eq!(
            bob.operator_name, "bob",
            "unknown ids are shown as they are"
        );
        assert_eq!(
            (bob.times.opened, bob.times.time_to_open_p50_ms),
            (1, Some(4_000))
        );
        assert_eq!(
            (bob.times.decided, bob.times.time_to_decide_p95_ms),
            (1, Some(9_000))
        );

        assert_eq!(r.by_chain.len(), 2);
        let c1 = r.by_chain.iter().find(|c| c.chain_id == "c1").unwrap();
        assert_eq!(
            (c1.chain_name.as_deref(), c1.handoffs),
            (Some("Billing"), 1)
        );
        let default = r
            .by_chain
            .iter()
            .find(|c| c.chain_id == DEFAULT_CHAIN)
            .unwrap();
        assert_eq!(default.times.time_to_decide_p50_ms, Some(6_000));

        let newest = report(&events, &names, (None, None), 1);
        assert_eq!(newest.handoffs_total, 2);
        assert_eq!(newest.handoffs[0].handoff_id, "b", "the newest are listed");
        assert_eq!(newest.by_chain, r.by_chain, "groups cover every handoff");
    }

    #[test]
    fn durations_read_in_a_sensible_unit() {
        assert_eq!(human_ms(850), "850 ms");
        assert_eq!(human_ms(12_500), "12.5 s");
        assert_eq!(human_ms(90_000), "1.5 min");
        assert_eq!(human_ms(5_400_000), "1.5 h");
    }
}
