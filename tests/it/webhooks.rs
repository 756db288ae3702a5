//! Webhooks: subscriptions over the API, and delivery to a local receiver that
//! fails for a while, checked for signatures, order per handoff and exactly-once
//! after dedupe, across a restart of the worker.

use crate::common::TestApp;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use tapin::workers::webhooks;
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
                    // Standard Webhooks, computed here as a receiver would, not with
                    // tapin's own function (tests/it/standard_webhooks.rs uses the
                    // reference library).
                    let (id, t) = (h("webhook-id"), h("webhook-timestamp"));
                    let key = {
                        use base64::Engine;
                        let secret = s.lock().unwrap().clone();
                        base64::engine::general_purpose::STANDARD
                            .decode(secret.strip_prefix("whsec_").unwrap())
                            .unwrap()
                    };
                    use hmac::Mac;
                    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
                    mac.update(format!("{id}.{t}.{body}").as_bytes());
                    let expected = {
                        use base64::Engine;
                        let mac = mac.finalize().into_bytes();
                        format!(
                            "v1,{}",
                            base64::engine::general_purpose::STANDARD.encode(mac)
                        )
                    };
                    let _ = tx.send(Received {
                        event_id: id,
                        body: serde_json::from_str(&body).unwrap(),
                        signature_ok: h("webhook-signature") == expected,
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
    // A "restarted" server is a new node: work its aborted predecessor had
    // claimed is taken over when the lease ends, so keep that short.
    c.worker_lease_seconds = 1;
    // The tests poll the delivery log until the worker gets there; on a busy
    // machine that is more than the default 200 requests a minute.
    c.rate_limit_per_minute = 1_000_000;
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

/// An organization without a subscription queues no webhook events (no
/// outbox row to write, claim and mark per change); the first change after
/// it subscribes is queued and delivered, signed.
#[tokio::test]
async fn events_are_queued_from_the_first_subscription_on() {
    let t = TestApp::spawn_with(fast).await;
    const TOPICS: &str = "SELECT topic FROM outbox";
    t.takeover(0).await;
    assert_eq!(t.db_rows::<(String,)>(TOPICS).await, []);
    let mut r = receiver(200).await;
    subscribe(&t, &r, json!(["*"])).await;
    let (_, h) = t.takeover(0).await;
    assert_eq!(
        t.db_rows::<(String,)>(TOPICS).await,
        [("handoff.created".to_string(),)],
        "one row, for the change after the subscription"
    );
    let worker = webhooks::spawn(t.app.clone());
    let got = collect(&mut r, 1).await;
    assert_eq!(
        (got[0].body["handoff_id"].as_str(), got[0].signature_ok),
        (h["id"].as_str(), true)
    );
    worker.abort();
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
    // `*` also brings each conversation's one message (`conversation.message`).
    let got = collect(&mut r, expected.len() + 2).await;
    assert!(
        got.iter().all(|g| g.signature_ok),
        "every signature verifies"
    );
    let mut seen = std::collections::HashSet::new();
    let (messages, firsts): (Vec<&Received>, Vec<&Received>) = got
        .iter()
        .filter(|g| seen.insert(g.event_id.clone()))
        .partition(|g| g.body["type"] == "conversation.message");
    assert_eq!(messages.len(), 2, "one message per conversation");
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

/// An operator of the test organization with a password session cookie.
async fn operator_session(t: &TestApp, email: &str) -> (String, String) {
    use tapin::service::{orgs, passwords};
    let op = orgs::create_operator(&t.app, &t.org_id, email, "Olga", vec![])
        .await
        .unwrap();
    passwords::set(&t.app, &op, "a long enough password")
        .await
        .unwrap();
    let (token, _) = passwords::login(&t.app, "acme", email, "a long enough password", None)
        .await
        .unwrap();
    (op.id, format!("tapin_session={token}"))
}

#[tokio::test]
async fn every_message_becomes_a_conversation_message_event_in_order_per_conversation() {
    let t = TestApp::spawn_with(fast).await;
    let mut r = receiver(200).await;
    subscribe(&t, &r, json!(["conversation.message"])).await;
    let (_, cookie) = operator_session(&t, "olga@acme.test").await;

    // Everything below commits while no worker runs: only outbox rows hold it.
    let cid = t.conversation().await;
    let say = |author: &'static str, content: &'static str| {
        let path = format!("/api/v1/conversations/{cid}/messages");
        let t = &t;
        async move {
            let (s, m) = t
                .post(&path, &t.key, json!({"author": author, "content": content}))
                .await;
            assert_eq!(s, 201, "{m}");
        }
    };
    say("user", "My card was charged twice.").await;
    say("agent", "Let me get a person.").await;
    let (s, h) = t
        .post(
            "/api/v1/handoffs",
            &t.key,
            crate::common::takeover_body(&cid),
        )
        .await;
    assert_eq!(s, 201, "{h}");
    let hid = h["id"].as_str().unwrap().to_string();
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/accept"),
            &t.key,
            json!({"assignee": "olga@acme.test"}),
        )
        .await;
    assert_eq!(s, 200);
    // The operator relay over the API, then the operator's chat in the browser.
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/messages"),
            &t.key,
            json!({"content": "Hi, I am Olga from billing."}),
        )
        .await;
    assert_eq!(s, 201);
    let ui = t
        .client
        .post(format!("{}/fn/send_message", t.base))
        .header("cookie", &cookie)
        .form(&[
            ("id", hid.as_str()),
            ("content", "I see the second charge."),
            ("client_ref", "ui-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status(), 200, "{}", ui.text().await.unwrap());
    say("user", "Thank you!").await;
    // An approval's holding line is a message too, of the approval it announces.
    let (approval_cid, approval) = t.approval(json!({})).await;

    let worker = webhooks::spawn(t.app.clone());
    let mut expected = Vec::new();
    for c in [&cid, &approval_cid] {
        let (_, page) = t
            .get(&format!("/api/v1/conversations/{c}/messages"), &t.key)
            .await;
        expected.extend(page["data"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(expected.len(), 6, "five in the takeover, the holding line");
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
    for c in [&cid, &approval_cid] {
        let sent: Vec<&Value> = expected
            .iter()
            .filter(|m| m["conversation_id"] == c.as_str())
            .collect();
        let arrived: Vec<&Received> = firsts
            .iter()
            .copied()
            .filter(|g| g.body["conversation_id"] == c.as_str())
            .collect();
        assert_eq!(arrived.len(), sent.len(), "conversation {c}");
        for (m, g) in sent.iter().zip(&arrived) {
            let b = &g.body;
            assert_eq!(b["type"], "conversation.message");
            assert_eq!(b["event_id"].as_str(), Some(g.event_id.as_str()));
            assert_eq!(b["data"]["conversation_id"], c.as_str());
            let msg = &b["data"]["message"];
            for field in ["id", "seq", "author", "content", "created_at"] {
                assert_eq!(msg[field], m[field], "{field}, in seq order");
            }
            assert_eq!(b["occurred_at"], m["created_at"]);
        }
    }
    let handoff_of = |content: &str| {
        firsts
            .iter()
            .find(|g| g.body["data"]["message"]["content"] == content)
            .map(|g| g.body["data"]["handoff_id"].clone())
            .unwrap()
    };
    assert_eq!(handoff_of("My card was charged twice."), Value::Null);
    for during in [
        "Hi, I am Olga from billing.",
        "I see the second charge.",
        "Thank you!",
    ] {
        assert_eq!(handoff_of(during), json!(hid), "{during}");
    }
    let holding = firsts
        .iter()
        .find(|g| g.body["conversation_id"] == approval_cid.as_str())
        .unwrap();
    assert_eq!(holding.body["handoff_id"], approval["id"]);
    worker.abort();
}

#[tokio::test]
async fn an_older_message_stamped_later_by_the_clock_is_still_delivered_first() {
    let t = TestApp::spawn_with(fast).await;
    let mut r = receiver(200).await;
    subscribe(&t, &r, json!(["conversation.message"])).await;
    let cid = t.conversation().await;
    for text in ["first", "second"] {
        let (s, _) = t
            .post(
                &format!("/api/v1/conversations/{cid}/messages"),
                &t.key,
                json!({"author": "user", "content": text}),
            )
            .await;
        assert_eq!(s, 201);
    }
    // Two writers read the clock before taking the write lock, so seq 1 can
    // carry a later time than seq 2: make that so, far in the future.
    t.db_exec("UPDATE outbox SET available_at = '2999-01-01T00:00:00.000000Z' WHERE seq = 1")
        .await;
    let worker = webhooks::spawn(t.app.clone());
    let got = collect(&mut r, 2).await;
    let order: Vec<&str> = got
        .iter()
        .map(|g| g.body["data"]["message"]["content"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["first", "second"]);
    worker.abort();
}
