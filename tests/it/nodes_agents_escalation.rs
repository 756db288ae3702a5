//! Workflow approval nodes, agent-to-agent handoffs (seed 002), escalation (seed 003).

use crate::common::{error_code, sql_text, TestApp};
use serde_json::json;

fn refund_node() -> serde_json::Value {
    json!({
        "id": "approve_refund",
        "type": "approval",
        "condition": {"type": "expression", "expression": "refund_amount > 100 and customer.tier != 'vip'"},
        "approver_role": "billing_manager",
        "suspend_message": "I'm reviewing your refund request with our billing team.",
        "timeout_seconds": 300,
        "on_approve": "process_refund",
        "on_deny": "explain_denial"
    })
}

const NODE: &str = "/api/v1/workflows/refunds/nodes/approve_refund";

#[tokio::test]
async fn a_node_passes_through_when_false_and_asks_for_approval_when_true() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let res = t
        .client
        .put(format!("{}{NODE}", t.base))
        .header("x-api-key", &t.key)
        .json(&refund_node())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (s, saved) = t.get(NODE, &t.key).await;
    assert_eq!((s, &saved["on_deny"]), (200, &json!("explain_denial")));

    let cid = t.conversation().await;
    let (s, small) = t
        .post(&format!("{NODE}/evaluate"), &t.key, json!({"conversation_id": cid, "variables": {"refund_amount": 50, "customer": {"tier": "gold"}}}))
        .await;
    assert_eq!(s, 200, "{small}");
    assert_eq!(small, json!({"next": "process_refund", "approval": null}));

    let (_, big) = t
        .post(&format!("{NODE}/evaluate"), &t.key, json!({"conversation_id": cid, "variables": {"refund_amount": 150, "customer": {"tier": "gold"}}}))
        .await;
    assert_eq!(big["next"], json!(null));
    let a = &big["approval"];
    assert_eq!(
        (a["subject_kind"].as_str(), a["subject_ref"].as_str()),
        (Some("workflow_node"), Some("refunds/approve_refund"))
    );
    assert_eq!(a["approver_role"], "billing_manager");
    assert!(a["timeout_at"].is_string());
    let id = a["id"].as_str().unwrap();
    let (_, denied) = t
        .post(
            &format!("/api/v1/approvals/{id}/decide"),
            &decider,
            json!({"decision": "deny", "note": "no"}),
        )
        .await;
    assert_eq!(denied["next_node"], "explain_denial");

    let (_, again) = t
        .post(&format!("{NODE}/evaluate"), &t.key, json!({"conversation_id": cid, "variables": {"refund_amount": 150, "customer": {"tier": "gold"}}}))
        .await;
    let id = again["approval"]["id"].as_str().unwrap();
    let (_, approved) = t
        .post(
            &format!("/api/v1/approvals/{id}/decide"),
            &decider,
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(approved["next_node"], "process_refund");
}

#[tokio::test]
async fn a_condition_that_cannot_be_evaluated_fails_closed() {
    let t = TestApp::spawn().await;
    t.client
        .put(format!("{}{NODE}", t.base))
        .header("x-api-key", &t.key)
        .json(&refund_node())
        .send()
        .await
        .unwrap();
    let cid = t.conversation().await;
    let (s, r) = t
        .post(
            &format!("{NODE}/evaluate"),
            &t.key,
            json!({"conversation_id": cid, "variables": {}}),
        )
        .await;
    assert_eq!(s, 200);
    assert!(
        r["approval"]["id"].is_string(),
        "a missing variable requires approval: {r}"
    );
    assert!(
        r["evaluation_error"]
            .as_str()
            .unwrap()
            .contains("refund_amount"),
        "{r}"
    );
}

#[tokio::test]
async fn a_bad_expression_is_rejected_at_save_time_with_its_position() {
    let t = TestApp::spawn().await;
    let mut node = refund_node();
    node["condition"]["expression"] = json!("refund_amount >> 100");
    let res = t
        .client
        .put(format!("{}{NODE}", t.base))
        .header("x-api-key", &t.key)
        .json(&node)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "condition.expression");
    assert!(
        body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("position 15"),
        "{body}"
    );
    assert_eq!(t.get(NODE, &t.key).await.0, 404, "nothing was saved");
}

#[tokio::test]
async fn agent_handoffs_accept_both_spellings_and_are_audited() {
    let t = TestApp::spawn().await;
    let (s, r) = t
        .post(
            "/api/v1/agents/handoff",
            &t.key,
            json!({"fromAgent": "triage", "toAgent": "billing", "conversationContext": {"invoice": "INV-9"}, "handoffReason": "billing question", "priority": "high", "handoffTime": "2026-11-21T10:00:00Z"}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(
        (r["status"].as_str(), r["result"].as_bool()),
        (Some("success"), Some(true))
    );
    let id = r["handoffId"].as_str().unwrap();
    let (_, h) = t.get(&format!("/api/v1/handoffs/{id}"), &t.key).await;
    assert_eq!(
        (h["kind"].as_str(), h["state"].as_str()),
        (Some("agent"), Some("created"))
    );
    assert_eq!(h["packet"]["context_vars"]["invoice"], "INV-9");

    let (s, _) = t
        .post("/api/v1/agents/handoff", &t.key, json!({"from_agent": "a", "to_agent": "b", "conversation_context": {}, "handoff_reason": "r"}))
        .await;
    assert_eq!(s, 201, "snake_case works too");
    let (s, e) = t
        .post("/api/v1/agents/handoff", &t.key, json!({"from_agent": "a", "to_agent": "b", "conversation_context": {}, "handoff_reason": "r", "priority": "asap"}))
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("priority"))
    );

    // The receiving agent accepts, then completes.
    let (s, acc) = t
        .post(&format!("/api/v1/handoffs/{id}/accept"), &t.key, json!({}))
        .await;
    assert_eq!((s, acc["state"].as_str()), (200, Some("solving")));
    let (s, done) = t
        .post(
            &format!("/api/v1/handoffs/{id}/complete"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!((s, done["state"].as_str()), (200, Some("completed")));
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{id}/events"), &t.key)
        .await;
    let names: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["create", "accept", "complete"]);
}

#[tokio::test]
async fn escalation_flips_the_conversation_and_each_post_is_a_new_handoff() {
    let t = TestApp::spawn().await;
    let _hooks = t.subscribe_all().await;
    let cid = t.conversation().await;
    let (s, r) = t
        .post_raw(&format!("/api/v1/conversations/{cid}/escalate"), &t.key, "")
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["conversation_status"], "waiting_for_human");
    let first = r["handoff_id"].as_str().unwrap().to_string();
    let (_, h) = t.get(&format!("/api/v1/handoffs/{first}"), &t.key).await;
    assert_eq!(
        (h["source"].as_str(), h["reason"].as_str()),
        (Some("operator"), Some("operator_escalation")),
        "defaults fill the audit"
    );

    let (s, lead) = t
        .post(
            &format!("/api/v1/leads/{cid}/handoff"),
            &t.key,
            json!({"reason": "no-response-7d", "summary": "Lead went quiet."}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        (
            lead["conversation_status"].as_str(),
            lead["lead_id"].as_str()
        ),
        (Some("awaiting_human"), Some(cid.as_str()))
    );
    assert_ne!(
        lead["handoff_id"].as_str().unwrap(),
        first,
        "re-posting records a fresh handoff"
    );

    // Announced to webhooks as conversation.handoff_requested (outbox, written with the fact).
    let topics: Vec<(String,)> = t
        .db_rows(&format!(
            "SELECT topic FROM outbox WHERE handoff_id = {}",
            sql_text(&first)
        ))
        .await;
    assert_eq!(topics, [("conversation.handoff_requested".to_string(),)]);

    let long = "x".repeat(201);
    let (s, e) = t
        .post(
            &format!("/api/v1/conversations/{cid}/escalate"),
            &t.key,
            json!({"reason": long}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("reason"))
    );
    let (s, e) = t
        .post(
            "/api/v1/conversations/01900000-0000-7000-8000-000000000000/escalate",
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!((s, error_code(&e)), (404, "not_found"));
}
