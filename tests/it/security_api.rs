//! Security findings of issue 11 on the agent API, each as the attack it stops:
//! the attack fails with the right 4xx, nothing changes, the server still answers.

use crate::common::{takeover_body, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn healthy(t: &TestApp) {
    let (s, body) = t.get("/api/v1/healthz", &t.key).await;
    assert_eq!(s, 200, "the server still answers: {body}");
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
