//! Security findings of issue 11 on the agent API, each as the attack it stops:
//! the attack fails with the right 4xx, nothing changes, the server still answers.

use crate::common::{error_code, takeover_body, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn healthy(t: &TestApp) {
    let (s, body) = t.get("/api/v1/healthz", &t.key).await;
    assert_eq!(s, 200, "the server still answers: {body}");
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    let rows: Vec<(i64,)> = t.db_rows(sql).await;
    rows[0].0
}

fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or_default()
}

// ------------------------------------------------ 1: expression bombs

/// ~2,000 `s+s+…` terms: with a big `s` this used to build gigabytes.
fn bomb(var: &str) -> String {
    let terms = (4000 - 10) / (var.len() + 1) - 1;
    format!("{var}{} == ''", format!("+{var}").repeat(terms))
}

#[tokio::test]
async fn an_expression_bomb_on_a_workflow_node_is_refused_quickly() {
    let t = TestApp::spawn().await;
    let node = "/api/v1/workflows/wf/nodes/bomb";
    let (s, saved) = t
        .put(
            node,
            json!({"type": "approval",
                   "condition": {"type": "expression", "expression": bomb("s")},
                   "on_approve": "next", "on_deny": "stop"}),
        )
        .await;
    assert_eq!(s, 200, "{saved}");
    let cid = t.conversation().await;

    // A 1.5 MB variable: refused by its size before the condition runs.
    let started = Instant::now();
    let (s, e) = t
        .post(
            &format!("{node}/evaluate"),
            &t.key,
            json!({"conversation_id": cid, "variables": {"s": "x".repeat(1_500_000)}}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "variables");
    assert!(started.elapsed() < Duration::from_secs(5));
    let (_, list) = t.get("/api/v1/approvals", &t.key).await;
    assert_eq!(list["data"], json!([]), "nothing was created");

    // Within the size bound: the concatenation stops at 64 KiB and the node
    // fails closed (an approval is requested, saying why).
    let started = Instant::now();
    let (s, r) = t
        .post(
            &format!("{node}/evaluate"),
            &t.key,
            json!({"conversation_id": cid, "variables": {"s": "x".repeat(40_000)}}),
        )
        .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(s, 200, "{r}");
    assert!(
        r["evaluation_error"]
            .as_str()
            .unwrap()
            .contains("longer than 65536 bytes"),
        "{r}"
    );
    assert_eq!(r["approval"]["status"], "pending", "fails closed");
    healthy(&t).await;
}

#[tokio::test]
async fn an_expression_bomb_in_a_policy_is_refused_by_the_test_box_and_at_creation() {
    let t = TestApp::spawn().await;
    let (s, p) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Bomb", "condition": bomb("context.s"),
                                 "actions": {"priority": "urgent"}}]}),
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let reader = t.key_in(&t.org_id, &["read"]).await;

    // The sample packet is size-checked like a real one (it never was).
    let started = Instant::now();
    let (s, e) = t
        .post(
            "/api/v1/policies/test",
            &reader,
            json!({"kind": "takeover",
                   "packet": {"static_text": "x", "context_vars": {"s": "x".repeat(1_500_000)}}}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "packet.context_vars");
    let (s, e) = t
        .post(
            "/api/v1/policies/test",
            &reader,
            json!({"kind": "approval", "payload": {"s": "x".repeat(100_000)}}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "payload");
    assert!(started.elapsed() < Duration::from_secs(5));

    // Within bounds: the condition errs (and so never matches), quickly.
    let started = Instant::now();
    let (s, r) = t
        .post(
            "/api/v1/policies/test",
            &reader,
            json!({"kind": "takeover",
                   "packet": {"static_text": "x", "context_vars": {"s": "x".repeat(40_000)}}}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["matched"], Value::Null);
    assert!(
        r["errors"][0]["error"]
            .as_str()
            .unwrap()
            .contains("longer than 65536 bytes"),
        "{r}"
    );

    // Every creation runs the policies: still quick, and the bomb does not match.
    let cid = t.conversation().await;
    let mut body = takeover_body(&cid);
    body["packet"]["context_vars"] = json!({"s": "x".repeat(40_000)});
    let (s, h) = t.post("/api/v1/handoffs", &t.key, body).await;
    assert_eq!(s, 201, "{h}");
    assert_eq!(h["priority"], "medium", "the policy did not fire: {h}");
    assert!(started.elapsed() < Duration::from_secs(5));
    healthy(&t).await;
}

// ------------------------------------------------ 2: authentication first

#[tokio::test]
async fn an_unknown_key_is_refused_before_idempotency_and_rate_limit() {
    let t = TestApp::spawn_with(|c| c.rate_limit_per_minute = 3).await;
    let random = format!("tk_{}", "ab".repeat(24));
    for i in 0..10 {
        let res = t
            .client
            .post(format!("{}/api/v1/conversations", t.base))
            .header("x-api-key", &random)
            .header("idempotency-key", format!("k-{i}"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "never 429, never a replay");
        assert!(res.headers().get("idempotent-replayed").is_none());
        assert!(res.headers().get("x-ratelimit-limit").is_none());
        let body: Value = res.json().await.unwrap();
        assert_eq!(error_code(&body), "unauthorized");
    }
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM idempotency_keys").await,
        0,
        "no idempotency row was written"
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM conversations").await, 0);
    // The real key's budget is untouched.
    let res = t
        .client
        .get(format!("{}/api/v1/handoffs", t.base))
        .header("x-api-key", &t.key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["x-ratelimit-remaining"].to_str().unwrap(),
        "2"
    );
    // A stray key does not block the public paths.
    let res = t
        .client
        .get(format!("{}/api/v1/healthz", t.base))
        .header("x-api-key", &random)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_revoked_key_gets_no_replay_and_secrets_are_never_replayed() {
    let t = TestApp::spawn().await;
    let (key, record) =
        tapin::service::keys::create(&t.app, &t.org_id, "leaky", vec!["admin".into()])
            .await
            .unwrap();
    let post = |path: &str, idem: &str, body: Value| {
        let req = t
            .client
            .post(format!("{}{path}", t.base))
            .header("x-api-key", &key)
            .header("idempotency-key", idem)
            .json(&body);
        async move {
            let res = req.send().await.unwrap();
            let replayed = res.headers().contains_key("idempotent-replayed");
            let status = res.status().as_u16();
            (status, replayed, res.json::<Value>().await.unwrap())
        }
    };
    let hook = json!({"url": "https://hooks.example/tapin", "events": ["handoff.created"]});
    let (s, _, created) = post("/api/v1/webhooks", "w-1", hook.clone()).await;
    assert_eq!(s, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_string();
    let wid = created["id"].as_str().unwrap().to_string();

    // The retry does not create a second webhook and does not show the secret again.
    let (s, replayed, again) = post("/api/v1/webhooks", "w-1", hook.clone()).await;
    assert_eq!((s, replayed), (409, true), "{again}");
    assert_eq!(reason(&again), "idempotency_secret_not_replayed");
    assert!(again["error"]["message"].as_str().unwrap().contains(&wid));
    assert!(!again.to_string().contains(&secret));
    let (_, list) = t.get("/api/v1/webhooks", &t.key).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
    // Nor is the secret kept in the idempotency table.
    let stored: Vec<(Option<String>,)> = t.db_rows("SELECT response FROM idempotency_keys").await;
    assert!(stored
        .iter()
        .flat_map(|r| &r.0)
        .all(|r| !r.contains(&secret)));

    // Rotating: the same.
    let rotate = format!("/api/v1/webhooks/{wid}/rotate-secret");
    let (s, _, rotated) = post(&rotate, "r-1", json!({})).await;
    assert_eq!(s, 200, "{rotated}");
    let new_secret = rotated["secret"].as_str().unwrap().to_string();
    let (s, _, again) = post(&rotate, "r-1", json!({})).await;
    assert_eq!(s, 409, "{again}");
    assert_eq!(reason(&again), "idempotency_secret_not_replayed");
    assert!(!again.to_string().contains(&new_secret));

    // An ordinary answer is replayed to its key, and to no other key.
    let (s, _, conv) = post("/api/v1/conversations", "c-1", json!({})).await;
    assert_eq!(s, 201);
    let (s, replayed, same) = post("/api/v1/conversations", "c-1", json!({})).await;
    assert_eq!((s, replayed, &same["id"]), (201, true, &conv["id"]));
    let res = t
        .post_with(
            "/api/v1/conversations",
            &[("idempotency-key", "c-1")],
            json!({}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert!(!res.headers().contains_key("idempotent-replayed"));
    let other: Value = res.json().await.unwrap();
    assert_ne!(other["id"], conv["id"], "another key has its own scope");

    // Once revoked, the key gets nothing back: no replay, no secret.
    tapin::service::keys::revoke(&t.app, &t.org_id, &record.id)
        .await
        .unwrap();
    let (s, replayed, e) = post("/api/v1/conversations", "c-1", json!({})).await;
    assert_eq!((s, replayed), (401, false), "{e}");
    let (s, _, e) = post("/api/v1/webhooks", "w-1", hook).await;
    assert_eq!(s, 401, "{e}");
    healthy(&t).await;
}

// ------------------------------------------------ 3: who decides approvals

async fn approval_by(t: &TestApp, key: &str) -> String {
    let cid = t.conversation().await;
    let (s, a) = t
        .post(
            "/api/v1/approvals",
            key,
            json!({"conversation_id": cid, "subject_kind": "tool_call",
                   "subject_ref": "refund.create", "payload": {"amount": 120}}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    a["id"].as_str().unwrap().to_string()
}

async fn status_of(t: &TestApp, id: &str) -> String {
    let (_, a) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    a["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_agent_key_cannot_approve_its_own_request() {
    let t = TestApp::spawn().await;
    let approve = json!({"decision": "approve"});
    // approvals:write requests; it does not decide.
    let writer = t.key_in(&t.org_id, &["approvals:write"]).await;
    let id = approval_by(&t, &writer).await;
    let (s, e) = t
        .post(
            &format!("/api/v1/approvals/{id}/decide"),
            &writer,
            approve.clone(),
        )
        .await;
    assert_eq!(s, 403, "{e}");
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("approvals:decide"));
    // Even with approvals:decide (or admin), not its own request.
    let both = t
        .key_in(&t.org_id, &["approvals:write", "approvals:decide"])
        .await;
    let own = approval_by(&t, &both).await;
    let (s, e) = t
        .post(
            &format!("/api/v1/approvals/{own}/decide"),
            &both,
            approve.clone(),
        )
        .await;
    assert_eq!((s, reason(&e)), (403, "self_approval"), "{e}");
    let mine = approval_by(&t, &t.key).await;
    let (s, e) = t
        .post(
            &format!("/api/v1/approvals/{mine}/decide"),
            &t.key,
            approve.clone(),
        )
        .await;
    assert_eq!((s, reason(&e)), (403, "self_approval"), "admin too: {e}");
    for a in [&id, &own, &mine] {
        assert_eq!(status_of(&t, a).await, "pending", "nothing was decided");
    }
    // Another key with approvals:decide may.
    let approver = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (s, d) = t
        .post(
            &format!("/api/v1/approvals/{own}/decide"),
            &approver,
            approve,
        )
        .await;
    assert_eq!((s, d["status"].as_str()), (200, Some("approved")), "{d}");
    healthy(&t).await;
}

#[tokio::test]
async fn self_approval_can_be_allowed_on_purpose() {
    let t = TestApp::spawn_with(|c| c.allow_self_approval = true).await;
    let id = approval_by(&t, &t.key).await;
    let (s, d) = t
        .post(
            &format!("/api/v1/approvals/{id}/decide"),
            &t.key,
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!((s, d["status"].as_str()), (200, Some("approved")), "{d}");
}

#[tokio::test]
async fn generic_handoff_steps_need_the_scope_of_the_handoffs_kind() {
    let t = TestApp::spawn().await;
    let handoffs_writer = t.key_in(&t.org_id, &["handoffs:write"]).await;
    let approvals_writer = t.key_in(&t.org_id, &["approvals:write"]).await;
    let reader = t.key_in(&t.org_id, &["read"]).await;
    let id = approval_by(&t, &approvals_writer).await;
    for step in [
        "cancel", "complete", "fail", "resume", "resolve", "handback", "accept",
    ] {
        let (s, e) = t
            .post(
                &format!("/api/v1/handoffs/{id}/{step}"),
                &handoffs_writer,
                json!({}),
            )
            .await;
        assert_eq!(s, 403, "{step}: {e}");
        assert!(e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("approvals:write"));
        let (s, _) = t
            .post(&format!("/api/v1/handoffs/{id}/{step}"), &reader, json!({}))
            .await;
        assert_eq!(s, 403, "{step} with a read key");
    }
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{id}/assign"),
            &handoffs_writer,
            json!({"assignee": "nobody@acme.test"}),
        )
        .await;
    assert_eq!(s, 403);
    assert_eq!(status_of(&t, &id).await, "pending", "nothing changed");

    // A decided approval: handoffs:write cannot complete or fail it either.
    let approver = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (s, _) = t
        .post(
            &format!("/api/v1/approvals/{id}/decide"),
            &approver,
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(s, 200);
    for step in ["resume", "fail", "complete"] {
        let (s, _) = t
            .post(
                &format!("/api/v1/handoffs/{id}/{step}"),
                &handoffs_writer,
                json!({}),
            )
            .await;
        assert_eq!(s, 403, "{step}");
    }
    let (_, h) = t.get(&format!("/api/v1/handoffs/{id}"), &t.key).await;
    assert_eq!(h["state"], "solved", "{h}");
    // The agent that asked drives it on with approvals:write.
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{id}/resume"),
            &approvals_writer,
            json!({}),
        )
        .await;
    assert_eq!((s, h["state"].as_str()), (200, Some("resumed")), "{h}");

    // And the other way round: approvals:write does not drive takeovers.
    let (_, takeover) = t.takeover(0).await;
    let tid = takeover["id"].as_str().unwrap();
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{tid}/cancel"),
            &approvals_writer,
            json!({}),
        )
        .await;
    assert_eq!(s, 403);
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{tid}/cancel"),
            &handoffs_writer,
            json!({}),
        )
        .await;
    assert_eq!((s, h["status"].as_str()), (200, Some("cancelled")), "{h}");
    // Another organization's id stays a 404, whatever the scope.
    let foreign = t.other_org_key("other", &["handoffs:write"]).await;
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{id}/cancel"),
            &foreign,
            json!({}),
        )
        .await;
    assert_eq!(s, 404);
    healthy(&t).await;
}

// ------------------------------------------------ 4: someone else's takeover

async fn step(t: &TestApp, cookie: &str, id: &str, step: &str) -> (u16, String) {
    let res = t
        .client
        .post(format!("{}/fn/handoff_step", t.base))
        .header("cookie", cookie)
        .form(&[("id", id), ("step", step)])
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn only_the_assignee_or_an_admin_finishes_an_accepted_takeover() {
    let t = TestApp::spawn().await;
    let (_, alice) = t.signed_in("alice@acme.test", "Alice", &["support"]).await;
    let (_, bob) = t.signed_in("bob@acme.test", "Bob", &["support"]).await;
    let (_, root) = t.signed_in("root@acme.test", "Root", &["admin"]).await;
    let (_, h) = t.takeover(1).await;
    let id = h["id"].as_str().unwrap();
    let (s, body) = step(&t, &alice, id, "accept").await;
    assert_eq!(s, 200, "{body}");

    for attempt in ["resolve", "hand_back"] {
        let (s, body) = step(&t, &bob, id, attempt).await;
        assert_eq!(s, 409, "{attempt}: {body}");
        assert!(body.contains("taken"), "{body}");
    }
    let (_, now) = t.get(&format!("/api/v1/handoffs/{id}"), &t.key).await;
    assert_eq!(now["status"], "accepted", "nothing changed: {now}");

    // An admin operator may take it over the line.
    let (s, body) = step(&t, &root, id, "resolve").await;
    assert_eq!(s, 200, "{body}");

    // The assignee herself may, and API keys keep their rights.
    let (_, h) = t.takeover(0).await;
    let mine = h["id"].as_str().unwrap();
    assert_eq!(step(&t, &alice, mine, "accept").await.0, 200);
    assert_eq!(step(&t, &alice, mine, "hand_back").await.0, 200);
    let (_, h) = t.takeover(0).await;
    let theirs = h["id"].as_str().unwrap();
    assert_eq!(step(&t, &alice, theirs, "accept").await.0, 200);
    let (s, r) = t
        .post(
            &format!("/api/v1/handoffs/{theirs}/resolve"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!((s, r["status"].as_str()), (200, Some("resolved")), "{r}");
    healthy(&t).await;
}
