//! Webhooks: subscriptions over the API, and delivery to a local receiver that
//! fails for a while, checked for signatures, order per handoff and exactly-once
//! after dedupe, across a restart of the worker.

use crate::common::TestApp;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use tapin::service::webhooks;
use tokio::sync::mpsc;

#[derive(Debug)]
struct Received {
    event_id: String,
    body: Value,
    signature_ok: bool,
}

/// A receiver answering `answer` (a status code it can be told to change).
struct Receiver {
    url: String,
    answer: Arc<AtomicU16>,
    secret: Arc<std::sync::Mutex<String>>,
    rx: mpsc::UnboundedReceiver<Received>,
}

async fn receiver(initial: u16) -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let answer = Arc::new(AtomicU16::new(initial));
    let secret = Arc::new(std::sync::Mutex::new(String::new()));
    let (tx, rx) = mpsc::unbounded_channel();
    let (a, s) = (answer.clone(), secret.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (a, s, tx) = (a.clone(), s.clone(), tx.clone());
            async move {
                let status = a.load(Ordering::SeqCst);
                if status == 200 {
                    let h = |n: &str| headers.get(n).unwrap().to_str().unwrap().to_string();
                    let sig = h("tapin-signature");
                    let t: i64 = sig
                        .strip_prefix("t=")
                        .and_then(|r| r.split(',').next())
                        .unwrap()
                        .parse()
                        .unwrap();
                    // Computed here as a receiver would, not with tapin's own function.
                    use hmac::Mac;
                    let mut mac =
                        hmac::Hmac::<sha2::Sha256>::new_from_slice(s.lock().unwrap().as_bytes())
                            .unwrap();
                    mac.update(format!("{t}.{body}").as_bytes());
                    let expected = format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()));
                    let _ = tx.send(Received {
                        event_id: h("tapin-event-id"),
                        body: serde_json::from_str(&body).unwrap(),
                        signature_ok: sig == expected,
                    });
                }
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver {
        url,
        answer,
        secret,
        rx,
    }
}

async fn subscribe(t: &TestApp, r: &Receiver, events: Value) -> Value {
    let (s, w) = t
        .post(
            "/api/v1/webhooks",
            &t.key,
            json!({"url": r.url, "events": events}),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    *r.secret.lock().unwrap() = w["secret"].as_str().unwrap().to_string();
    w
}

/// Collects deliveries until `n` distinct events arrived (duplicates are kept in the Vec).
async fn collect(r: &mut Receiver, n: usize) -> Vec<Received> {
    let mut got: Vec<Received> = Vec::new();
    let distinct = |g: &Vec<Received>| {
        g.iter()
            .map(|x| x.event_id.clone())
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    while distinct(&got) < n {
        let next = tokio::time::timeout(std::time::Duration::from_secs(20), r.rx.recv())
            .await
            .expect("deliveries keep coming within 20 s")
            .unwrap();
        got.push(next);
    }
    got
}

/// Polls until the block breaks; a condition that never comes fails the test.
async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(20), f)
        .await
        .expect("the worker got there within 20 s")
}

fn fast(c: &mut tapin::config::Config) {
    c.webhook_backoff_ms = 20;
    c.webhook_poll_ms = 20;
}

async fn audit_ids(t: &TestApp) -> Vec<(String, String)> {
    let res = t
        .client
        .get(format!("{}/api/v1/audit/export.jsonl", t.base))
        .header("x-api-key", &t.key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    res.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["handoff_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn subscriptions_are_managed_and_validated_over_the_api() {
    let t = TestApp::spawn().await;
    let r = receiver(200).await;
    let w = subscribe(&t, &r, json!(["handoff.created", "approval.decided"])).await;
    let id = w["id"].as_str().unwrap();
    assert!(w["secret"].as_str().unwrap().starts_with("whsec_"));

    let (s, list) = t.get("/api/v1/webhooks", &t.key).await;
    assert_eq!(s, 200);
    assert_eq!(list["data"][0]["id"], id);
    assert!(
        list["data"][0].get("secret").is_none(),
        "the secret is shown once"
    );

    let (s, changed) = t
        .send_json(
            "PATCH",
            &format!("/api/v1/webhooks/{id}"),
            json!({"events": ["*"]}),
        )
        .await;
    assert_eq!((s, &changed["events"]), (200, &json!(["*"])));
    let (s, rotated) = t
        .post(
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    assert_ne!(rotated["secret"], w["secret"]);

    for (body, field) in [
        (
            json!({"url": "ftp://example.test/x", "events": ["*"]}),
            "url",
        ),
        (json!({"url": "not a url", "events": ["*"]}), "url"),
        (json!({"url": r.url, "events": []}), "events"),
        (
            json!({"url": r.url, "events": ["handoff.exploded"]}),
            "events",
        ),
    ] {
        let (s, e) = t.post("/api/v1/webhooks", &t.key, body).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["fields"][0]["field"], field, "{e}");
    }
    let reader = t.key_in(&t.org_id, &["read"]).await;
    let (s, _) = t.get("/api/v1/webhooks", &reader).await;
    assert_eq!(s, 403, "managing webhooks needs the admin scope");
    let other = t.other_org_key("other", &["admin"]).await;
    let (s, _) = t.get(&format!("/api/v1/webhooks/{id}"), &other).await;
    assert_eq!(s, 404);

    let (s, _) = t
        .send_json("DELETE", &format!("/api/v1/webhooks/{id}"), json!(null))
        .await;
    assert_eq!(s, 204);
    let (s, _) = t.get(&format!("/api/v1/webhooks/{id}"), &t.key).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn a_receiver_that_fails_for_a_while_gets_every_event_once_in_order_and_signed() {
    let t = TestApp::spawn_with(fast).await;
    let mut r = receiver(503).await;
    let w = subscribe(&t, &r, json!(["*"])).await;
    let worker = webhooks::spawn(t.app.clone());

    let (_, a) = t.takeover(1).await;
    let (_, b) = t.takeover(1).await;
    for h in [&a, &b] {
        let id = h["id"].as_str().unwrap();
        let (s, _) = t
            .post(&format!("/api/v1/handoffs/{id}/resolve"), &t.key, json!({}))
            .await;
        assert_eq!(s, 200);
    }
    // The receiver has been failing; the log says so and retries are scheduled.
    let log_path = format!("/api/v1/webhooks/{}/deliveries", w["id"].as_str().unwrap());
    within(async {
        loop {
            let (_, log) = t.get(&log_path, &t.key).await;
            let retried = log["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["attempts"].as_i64() >= Some(2))
                .cloned();
            if let Some(d) = retried {
                assert_eq!(
                    (d["status"].as_str(), d["last_status"].as_i64()),
                    (Some("pending"), Some(503))
                );
                assert!(d["next_attempt_at"].is_string());
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    r.answer.store(200, Ordering::SeqCst);

    let expected = audit_ids(&t).await;
    assert_eq!(expected.len(), 4, "two creations, two resolutions");
    let got = collect(&mut r, expected.len()).await;
    assert!(
        got.iter().all(|g| g.signature_ok),
        "every signature verifies"
    );
    let mut seen = std::collections::HashSet::new();
    let firsts: Vec<&Received> = got
        .iter()
        .filter(|g| seen.insert(g.event_id.clone()))
        .collect();
    for handoff in [&a, &b] {
        let hid = handoff["id"].as_str().unwrap();
        let want: Vec<&str> = expected
            .iter()
            .filter(|(_, h)| h == hid)
            .map(|(e, _)| e.as_str())
            .collect();
        let arrived: Vec<&str> = firsts
            .iter()
            .filter(|g| g.body["handoff_id"] == hid)
            .map(|g| g.event_id.as_str())
            .collect();
        assert_eq!(arrived, want, "handoff {hid}: its events in order");
    }
    assert_eq!(firsts[0].body["type"], "handoff.created");
    assert_eq!(
        firsts[0].body["event_id"].as_str(),
        Some(firsts[0].event_id.as_str())
    );
    worker.abort();
}

#[tokio::test]
async fn pending_deliveries_resume_after_a_restart_and_dead_letters_can_be_redelivered() {
    let t = TestApp::spawn_with(fast).await;
    let mut r = receiver(503).await;
    let w = subscribe(&t, &r, json!(["handoff.created"])).await;
    let wid = w["id"].as_str().unwrap().to_string();
    let first = webhooks::spawn(t.app.clone());
    t.takeover(1).await;
    let log_path = format!("/api/v1/webhooks/{wid}/deliveries");
    within(async {
        loop {
            let (_, log) = t.get(&log_path, &t.key).await;
            if log["data"][0]["attempts"].as_i64() >= Some(1) {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    // The server dies with one delivery pending; another change happens while
    // no worker runs (only its outbox row exists).
    first.abort();
    t.takeover(1).await;
    r.answer.store(200, Ordering::SeqCst);

    let restarted = t.reopen().await;
    let second = webhooks::spawn(restarted.clone());
    let got = collect(&mut r, 2).await;
    assert!(got.iter().all(|g| g.signature_ok));
    within(async {
        loop {
            let (_, log) = t.get(&log_path, &t.key).await;
            let all = log["data"].as_array().unwrap();
            if all.len() == 2 && all.iter().all(|d| d["status"] == "delivered") {
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    second.abort();

    // A 4xx the receiver means (not 408/429) dead-letters at once; redeliver sends it again.
    r.answer.store(400, Ordering::SeqCst);
    let third = webhooks::spawn(restarted.clone());
    t.takeover(1).await;
    let dead = within(async {
        loop {
            let (_, log) = t.get(&format!("{log_path}?status=dead"), &t.key).await;
            if let Some(d) = log["data"].as_array().unwrap().first() {
                break d.clone();
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert_eq!(
        (dead["attempts"].as_i64(), dead["last_status"].as_i64()),
        (Some(1), Some(400))
    );
    r.answer.store(200, Ordering::SeqCst);
    let (s, _) = t
        .post(
            &format!("{log_path}/{}/redeliver", dead["id"].as_str().unwrap()),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 202);
    let again = collect(&mut r, 1).await;
    assert_eq!(again[0].event_id, dead["event_id"].as_str().unwrap());
    third.abort();
}
