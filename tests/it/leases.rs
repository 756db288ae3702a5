//! Workers on several nodes share one database through leases: each webhook
//! delivery is attempted once while two nodes run, in order per handoff; work
//! a dead node held is taken over once its lease ends; one tenant's stalled
//! receiver does not hold up another's; the timer worker never waits on the
//! network. Two `App`s on one database stand for two nodes (both backends).

use crate::common::{takeover_body, TestApp};
use crate::sinks::{http_sink, stalling_sink, Request};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tapin::service::{timeouts, webhooks as service_webhooks, App};
use tapin::store::Claim;
use tapin::workers::{timers, webhooks};
use tokio::sync::mpsc;
use tokio::time::Instant;

fn fast(c: &mut tapin::config::Config) {
    c.webhook_backoff_ms = 20;
    c.webhook_poll_ms = 20;
    c.rate_limit_per_minute = 1_000_000;
}

async fn subscribe_with(t: &TestApp, key: &str, url: &str) {
    let (s, w) = t
        .post(
            "/api/v1/webhooks",
            key,
            json!({"url": format!("{url}/hook"), "events": ["*"]}),
        )
        .await;
    assert_eq!(s, 201, "{w}");
}

/// A takeover in the organization of `key`; its id.
async fn takeover_with(t: &TestApp, key: &str) -> String {
    let (s, conv) = t.post("/api/v1/conversations", key, json!({})).await;
    assert_eq!(s, 201, "{conv}");
    let (s, h) = t
        .post(
            "/api/v1/handoffs",
            key,
            takeover_body(conv["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, 201, "{h}");
    h["id"].as_str().unwrap().to_string()
}

fn event_id(r: &Request) -> String {
    r.headers["tapin-event-id"].to_str().unwrap().to_string()
}

/// Everything the receiver got until `n` distinct events arrived (bounded).
async fn until_distinct(rx: &mut mpsc::UnboundedReceiver<Request>, n: usize) -> Vec<Request> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut got: Vec<Request> = Vec::new();
    while got.iter().map(event_id).collect::<HashSet<_>>().len() < n {
        let r = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the deliveries arrive within 30 s")
            .unwrap();
        got.push(r);
    }
    got
}

/// Rows still pending delivery (any node).
async fn pending(t: &TestApp) -> i64 {
    let rows: Vec<(i64,)> = t
        .db_rows("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")
        .await;
    rows[0].0
}

#[tokio::test]
async fn two_nodes_deliver_each_event_once_and_in_order() {
    let a = TestApp::spawn_with(fast).await;
    let b: App = a.reopen().await;
    let (url, mut rx) = http_sink().await;
    subscribe_with(&a, &a.key, &url).await;
    // Ten handoffs, three events each, committed while both workers run.
    let workers = [webhooks::spawn(a.app.clone()), webhooks::spawn(b.clone())];
    let mut ids = Vec::new();
    for _ in 0..10 {
        let hid = takeover_with(&a, &a.key).await;
        for step in ["accept", "resolve"] {
            let (s, body) = a
                .post(&format!("/api/v1/handoffs/{hid}/{step}"), &a.key, json!({}))
                .await;
            assert_eq!(s, 200, "{step}: {body}");
        }
        ids.push(hid);
    }
    let events: Vec<(String, String)> = a
        .db_rows("SELECT id, handoff_id FROM handoff_events ORDER BY seq")
        .await;
    assert_eq!(events.len(), 30);
    let got = until_distinct(&mut rx, 30).await;
    // Nothing else arrives once the log says every delivery is done.
    let deadline = Instant::now() + Duration::from_secs(30);
    while pending(&a).await > 0 {
        assert!(Instant::now() < deadline, "deliveries still pending");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for w in workers {
        w.abort();
    }
    if let Ok(r) = rx.try_recv() {
        panic!("a second delivery of {}", event_id(&r));
    }
    let received: Vec<String> = got.iter().map(event_id).collect();
    let distinct: HashSet<&String> = received.iter().collect();
    assert_eq!(
        distinct.len(),
        received.len(),
        "each event posted once: {received:?}"
    );
    // Per handoff, the receiver saw the events in the order they committed.
    let mut seen: HashMap<String, Vec<String>> = HashMap::new();
    for r in &got {
        let body: Value = serde_json::from_str(&r.body).unwrap();
        seen.entry(body["handoff_id"].as_str().unwrap().to_string())
            .or_default()
            .push(event_id(r));
    }
    for hid in &ids {
        let committed: Vec<String> = events
            .iter()
            .filter(|(_, h)| h == hid)
            .map(|(e, _)| e.clone())
            .collect();
        assert_eq!(seen[hid], committed, "order of handoff {hid}");
    }
    // Every lease ended with its attempt.
    let by: Vec<(i64,)> = a
        .db_rows("SELECT COUNT(*) FROM webhook_deliveries WHERE claimed_by IS NOT NULL")
        .await;
    assert_eq!(by[0].0, 0, "no lease is left behind");
}

#[tokio::test]
async fn work_a_dead_node_held_is_taken_over_when_its_lease_ends() {
    let a = TestApp::spawn_with(fast).await;
    let b: App = a.reopen().await;
    let (url, mut rx) = http_sink().await;
    subscribe_with(&a, &a.key, &url).await;
    let hid = takeover_with(&a, &a.key).await;

    // Node A leases the outbox row, then dies before fanning it out.
    assert!(a.app.node_id != b.node_id);
    let a_node = a.app.node_id.to_string();
    let (now, until) = (tapin::service::now(), tapin::service::lease_until(&a.app));
    let held = a
        .app
        .store
        .claim_outbox(&Claim {
            node: &a_node,
            now: &now,
            until: &until,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    // B leaves it alone while the lease runs.
    webhooks::step(&b).await.unwrap();
    assert!(rx.try_recv().is_err(), "B must not take a live lease");
    let expire = |table: &str| {
        format!("UPDATE {table} SET lease_until = '2000-01-01T00:00:00.000000Z' WHERE claimed_by = '{a_node}'")
    };
    // The lease runs out (as if `worker_lease_seconds` passed): B fans it out.
    a.db_exec(&expire("outbox")).await;
    assert_eq!(service_webhooks::fan_out(&b, 10).await.unwrap(), 1);

    // A leases the delivery and dies before posting it.
    let claimed = service_webhooks::claim(&a.app, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    webhooks::step(&b).await.unwrap();
    assert!(rx.try_recv().is_err(), "B must not post a delivery A holds");
    a.db_exec(&expire("webhook_deliveries")).await;
    webhooks::step(&b).await.unwrap();
    let r = rx.try_recv().expect("B posts it once A's lease ended");
    assert_eq!(event_id(&r), claimed[0].event_id);
    let rows: Vec<(String, Option<String>)> = a
        .db_rows("SELECT status, claimed_by FROM webhook_deliveries")
        .await;
    assert_eq!(rows, [("delivered".to_string(), None)]);

    // Timers: A leases the due timeout of an approval, and dies.
    let (_, approval) = a
        .approval(json!({"approver_role": null, "timeout_seconds": 60}))
        .await;
    let later = chrono::Utc::now() + chrono::Duration::seconds(61);
    let timers_held = timeouts::claim(&a.app, later, 10).await.unwrap();
    assert_eq!(timers_held.len(), 1);
    assert_eq!(timers::tick(&b, later).await.unwrap(), 0, "A holds it");
    a.db_exec(&expire("timers")).await;
    assert_eq!(timers::tick(&b, later).await.unwrap(), 1, "B fires it");
    let (_, after) = a
        .get(
            &format!("/api/v1/approvals/{}", approval["id"].as_str().unwrap()),
            &a.key,
        )
        .await;
    assert_eq!(after["status"], "expired", "{after}");
    let _ = hid;
}

#[tokio::test]
async fn a_stalled_receiver_of_one_organization_does_not_delay_another() {
    let t = TestApp::spawn_with(|c| {
        fast(c);
        c.webhook_concurrency = 4;
        c.webhook_per_org_concurrency = 2;
    })
    .await;
    let (stall_url, mut stalled, release) = stalling_sink().await;
    let (url, mut prompt) = http_sink().await;
    subscribe_with(&t, &t.key, &stall_url).await;
    let other = t.other_org_key("globex", &["admin"]).await;
    subscribe_with(&t, &other, &url).await;
    // The stalling tenant has five handoffs waiting before the other's one.
    for _ in 0..5 {
        takeover_with(&t, &t.key).await;
    }
    let worker = webhooks::spawn(t.app.clone());
    // Its receiver holds the first requests (an attempt may wait 10 s).
    let first = tokio::time::timeout(Duration::from_secs(10), stalled.recv())
        .await
        .expect("the stalling receiver is reached")
        .unwrap();
    takeover_with(&t, &other).await;
    let got = tokio::time::timeout(Duration::from_secs(5), prompt.recv())
        .await
        .expect("the other tenant's event arrives while the first receiver stalls")
        .unwrap();
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(body["type"], "handoff.created");
    // The stalled tenant holds at most its two slots.
    let mut held = vec![first];
    while let Ok(r) = stalled.try_recv() {
        held.push(r);
    }
    assert!(held.len() <= 2, "{} requests held", held.len());
    let leased: Vec<(i64,)> = t
        .db_rows(&format!(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE organization_id = '{}' AND claimed_by IS NOT NULL",
            t.org_id
        ))
        .await;
    assert!(leased[0].0 <= 2, "{} leased", leased[0].0);
    // Released, the stalled tenant's events all arrive too.
    release.send(true).unwrap();
    let mut ids: HashSet<String> = held.iter().map(event_id).collect();
    while ids.len() < 5 {
        let r = tokio::time::timeout(Duration::from_secs(30), stalled.recv())
            .await
            .expect("the rest arrive once the receiver answers")
            .unwrap();
        ids.insert(event_id(&r));
    }
    worker.abort();
}

#[tokio::test]
async fn a_stalled_notification_does_not_delay_another_handoffs_timeout() {
    let (sms_url, mut texts, _release) = stalling_sink().await;
    let t = TestApp::spawn_with(|c| c.sms.url = format!("{sms_url}/sms")).await;
    for (email, role) in [("ann@acme.test", "support"), ("bob@acme.test", "lead")] {
        let op = tapin::service::orgs::create_operator(
            &t.app,
            &t.org_id,
            email,
            email,
            vec![role.into()],
        )
        .await
        .unwrap();
        let (s, body) = t
            .send_json(
                "PUT",
                &format!("/api/v1/operators/{}/channels", op.id),
                json!({"phone": "+4915112345678", "channels": {"medium": ["sms"], "high": ["sms"]}}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
    }
    let (s, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "Two steps", "steps": [
                {"targets": [{"role": "support"}], "wait_seconds": 60},
                {"targets": [{"role": "lead"}], "wait_seconds": 600}
            ]}),
        )
        .await;
    assert_eq!(s, 201, "{chain}");
    let (s, body) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Takeovers escalate", "condition": "kind == 'takeover'",
                                 "actions": {"route": chain["id"]}}]}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let t0 = chrono::Utc::now();
    // H1 escalates after 60 s to a step whose SMS provider stalls; H2 times
    // out at 90 s; the timer worker runs at 150 s.
    let h1 = takeover_with(&t, &t.key).await;
    let first = tokio::time::timeout(Duration::from_secs(10), texts.recv())
        .await
        .expect("step 1 is sent")
        .unwrap();
    assert!(first.body.contains(&h1));
    let (_, approval) = t
        .approval(json!({"approver_role": "nobody", "timeout_seconds": 90}))
        .await;
    let started = Instant::now();
    let changed = tokio::time::timeout(
        Duration::from_secs(5),
        timers::tick(&t.app, t0 + chrono::Duration::seconds(150)),
    )
    .await
    .expect("the timer tick never waits for a stalled notification")
    .unwrap();
    assert_eq!(changed, 3, "escalate and notify H1, expire H2");
    assert!(started.elapsed() < Duration::from_secs(5));
    let (_, after) = t
        .get(
            &format!("/api/v1/approvals/{}", approval["id"].as_str().unwrap()),
            &t.key,
        )
        .await;
    assert_eq!(after["status"], "expired", "{after}");
    // Step 2's SMS was sent meanwhile, and is still stalled.
    let second = tokio::time::timeout(Duration::from_secs(10), texts.recv())
        .await
        .expect("step 2 is sent off the timer's path")
        .unwrap();
    assert!(second.body.contains(&h1));
}

#[tokio::test]
async fn an_escalation_chain_with_two_nodes_running_notifies_each_step_once() {
    let (sms_url, mut texts) = http_sink().await;
    let t = TestApp::spawn_with(|c| c.sms.url = format!("{sms_url}/sms")).await;
    let b: App = t.reopen().await;
    for (email, role) in [("ann@acme.test", "support"), ("bob@acme.test", "lead")] {
        let op = tapin::service::orgs::create_operator(
            &t.app,
            &t.org_id,
            email,
            email,
            vec![role.into()],
        )
        .await
        .unwrap();
        let (s, body) = t
            .send_json(
                "PUT",
                &format!("/api/v1/operators/{}/channels", op.id),
                json!({"phone": "+4915112345678", "channels": {"medium": ["sms"]}}),
            )
            .await;
        assert_eq!(s, 200, "{body}");
    }
    let (s, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "Two steps", "steps": [
                {"targets": [{"role": "support"}], "wait_seconds": 60},
                {"targets": [{"role": "lead"}], "wait_seconds": 60}
            ]}),
        )
        .await;
    assert_eq!(s, 201, "{chain}");
    let (s, body) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Takeovers escalate", "condition": "kind == 'takeover'",
                                 "actions": {"route": chain["id"]}}]}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let t0 = chrono::Utc::now();
    let hid = takeover_with(&t, &t.key).await;
    let first = crate::sinks::next(&mut texts).await;
    assert!(first.body.contains(&hid));
    // Both nodes' timer workers run at every deadline of the chain.
    let mut changed = 0;
    for at in [61, 122, 183] {
        let now = t0 + chrono::Duration::seconds(at + 5);
        let (x, y) = tokio::join!(timers::tick(&t.app, now), timers::tick(&b, now));
        changed += x.unwrap() + y.unwrap();
    }
    let (s, events) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    assert_eq!(s, 200);
    let names: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["create", "notify", "escalate", "notify", "expire"],
        "each step once"
    );
    assert_eq!(changed, 3, "escalate, notify step 2, expire");
    let second = crate::sinks::next(&mut texts).await;
    assert!(second.body.contains(&hid));
    // Each notify transition sends once: two SMS, and their two records.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, n) = t
            .get(&format!("/api/v1/handoffs/{hid}/notifications"), &t.key)
            .await;
        let sent = n["data"]
            .as_array()
            .or(n.as_array())
            .map(|a| a.iter().filter(|r| r["outcome"] == "sent").count())
            .unwrap_or(0);
        if sent >= 2 {
            assert_eq!(sent, 2, "{n}");
            break;
        }
        assert!(Instant::now() < deadline, "{n}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(texts.try_recv().is_err(), "no third SMS");
}
