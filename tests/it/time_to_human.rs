//! Time to human over the API: handoffs opened and resolved by operators, with
//! their audit timestamps set to a known schedule so the percentiles are known.

use crate::common::{sql_text, TestApp};
use serde_json::{json, Value};
use tapin::domain::{Actor, Event, Request};
use tapin::service::{handoffs, lifecycle, orgs};

/// (opened after, solved after) in seconds from creation, and who solved it.
const SCHEDULE: [(i64, i64, &str); 5] = [
    (10, 60, "bob"),
    (20, 120, "bob"),
    (30, 180, "bob"),
    (40, 240, "bob"),
    (100, 300, "api"),
];

fn at(hour: usize, seconds: i64) -> String {
    format!(
        "2026-11-20T{:02}:{:02}:{:02}.000000Z",
        10 + hour,
        seconds / 60,
        seconds % 60
    )
}

/// Five takeovers, created an hour apart (11:00 … 15:00): ann opens the first
/// three, bob the last two; bob resolves four, an API key the fifth. The last
/// two were routed to the "night" chain.
async fn scheduled(t: &TestApp) -> (Vec<String>, String, String) {
    let ann = orgs::create_operator(&t.app, &t.org_id, "ann@acme.test", "Ann", vec![])
        .await
        .unwrap();
    let bob = orgs::create_operator(&t.app, &t.org_id, "bob@acme.test", "Bob", vec![])
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, (_, _, solver)) in SCHEDULE.iter().enumerate() {
        let (_, h) = t.takeover(0).await;
        let id = h["id"].as_str().unwrap().to_string();
        let opener = if i < 3 { &ann.id } else { &bob.id };
        let open = Request::new(Event::Open, Actor::Operator(opener.clone()));
        lifecycle::transition(&t.app, &t.org_id, &id, open, Default::default())
            .await
            .unwrap();
        let actor = match *solver {
            "bob" => Actor::Operator(bob.id.clone()),
            _ => Actor::ApiKey("k".into()),
        };
        handoffs::step(&t.app, &t.org_id, &id, Event::Resolve, actor, json!({}))
            .await
            .unwrap();
        ids.push(id);
    }
    // Real steps take microseconds; the schedule gives them known durations.
    // (This breaks the hash chain, which the report does not read.)
    for (i, (id, (open, solve, _))) in ids.iter().zip(SCHEDULE).enumerate() {
        for (event, seconds) in [("create", 0), ("open", open), ("resolve", solve)] {
            t.db_exec(&format!(
                "UPDATE handoff_events SET created_at = {} WHERE handoff_id = {} AND event = {}",
                sql_text(&at(i + 1, seconds)),
                sql_text(id),
                sql_text(event)
            ))
            .await;
        }
        if i >= 3 {
            let route = json!({"route": {"chain_id": "night", "chain_name": "Night shift"}});
            t.db_exec(&format!(
                "UPDATE handoff_events SET data = {} WHERE handoff_id = {} AND event = 'create'",
                sql_text(&route.to_string()),
                sql_text(id)
            ))
            .await;
        }
    }
    (ids, ann.id, bob.id)
}

fn row<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

/// (opened, p50, p95, decided, p50, p95), times in seconds.
fn figures(r: &Value) -> (i64, Option<i64>, Option<i64>, i64, Option<i64>, Option<i64>) {
    let s = |k: &str| r[k].as_i64().map(|ms| ms / 1000);
    (
        r["opened"].as_i64().unwrap(),
        s("time_to_open_p50_ms"),
        s("time_to_open_p95_ms"),
        r["decided"].as_i64().unwrap(),
        s("time_to_decide_p50_ms"),
        s("time_to_decide_p95_ms"),
    )
}

#[tokio::test]
async fn time_to_human_is_measured_per_handoff_operator_and_chain() {
    let t = TestApp::spawn().await;
    let (ids, ann, bob) = scheduled(&t).await;
    let reader = t.key_in(&t.org_id, &["read"]).await;
    let (s, r) = t.get("/api/v1/metrics/time-to-human", &reader).await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["handoffs_total"], 5);

    let first = row(&r["handoffs"], "handoff_id", &ids[0]);
    assert_eq!(first["created_at"], at(1, 0).as_str());
    assert_eq!(first["opened_at"], at(1, 10).as_str());
    assert_eq!(first["opened_by"], ann.as_str());
    assert_eq!(first["solved_by"], format!("operator:{bob}").as_str());
    assert_eq!(
        (
            first["time_to_open_ms"].as_i64(),
            first["time_to_decide_ms"].as_i64()
        ),
        (Some(10_000), Some(60_000))
    );
    assert_eq!(
        (&first["chain_id"], &first["resumed_at"]),
        (&json!("default"), &Value::Null)
    );

    // Nearest rank: ann opened after 10, 20, 30 s → p50 = 20 s (rank 2 of 3), p95 = 30 s.
    let a = row(&r["by_operator"], "operator_id", &ann);
    assert_eq!(a["operator_name"], "Ann");
    assert_eq!(figures(a), (3, Some(20), Some(30), 0, None, None));
    // bob opened after 40 and 100 s; decided after 60, 120, 180, 240 s (the
    // API key's resolution counts for no operator) → p50 rank 2, p95 rank 4.
    let b = row(&r["by_operator"], "operator_id", &bob);
    assert_eq!(
        figures(b),
        (2, Some(40), Some(100), 4, Some(120), Some(240))
    );
    assert_eq!(r["by_operator"].as_array().unwrap().len(), 2);

    let default = row(&r["by_chain"], "chain_id", "default");
    assert_eq!(default["handoffs"], 3);
    assert_eq!(
        figures(default),
        (3, Some(20), Some(30), 3, Some(120), Some(180))
    );
    let night = row(&r["by_chain"], "chain_id", "night");
    assert_eq!(
        (&night["chain_name"], &night["handoffs"]),
        (&json!("Night shift"), &json!(2))
    );
    assert_eq!(
        figures(night),
        (2, Some(40), Some(100), 2, Some(240), Some(300))
    );

    // A period counts the handoffs created in it (`to` exclusive).
    let (s, r) = t
        .get(
            "/api/v1/metrics/time-to-human?from=2026-11-20T12:00:00Z&to=2026-11-20T14:00:00%2B00:00",
            &reader,
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["handoffs_total"], 2, "12:00 and 13:00");
    assert_eq!(
        figures(row(&r["by_operator"], "operator_id", &ann)),
        (2, Some(20), Some(30), 0, None, None)
    );

    for (query, field) in [("from=yesterday", "from"), ("to=2026-13-01", "to")] {
        let (s, e) = t
            .get(&format!("/api/v1/metrics/time-to-human?{query}"), &reader)
            .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["fields"][0]["field"], field);
    }
    let writer = t.key_in(&t.org_id, &["handoffs:write"]).await;
    let (s, _) = t.get("/api/v1/metrics/time-to-human", &writer).await;
    assert_eq!(s, 403, "needs the read scope");
    let other = t.other_org_key("other", &["read"]).await;
    let (_, theirs) = t.get("/api/v1/metrics/time-to-human", &other).await;
    assert_eq!(
        theirs["handoffs_total"], 0,
        "another organization sees none of it"
    );
}
