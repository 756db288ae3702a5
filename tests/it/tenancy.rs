//! Every route, called with another organization's ids, answers exactly as for
//! an id that does not exist, and changes nothing.

use crate::common::TestApp;
use serde_json::{json, Value};

const MISSING: &str = "01900000-0000-7000-8000-000000000000";

async fn call(t: &TestApp, key: &str, method: &str, path: &str, body: &Value) -> (u16, Value) {
    let url = format!("{}{path}", t.base);
    let req = match method {
        "GET" => t.client.get(url),
        "PUT" => t.client.put(url).json(body),
        "DELETE" => t.client.delete(url),
        _ => t.client.post(url).json(body),
    };
    let res = req.header("x-api-key", key).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn foreign_ids_are_indistinguishable_from_missing_ones_on_every_route() {
    let t = TestApp::spawn().await;
    // Organization A (the harness's) owns a conversation, a takeover, an approval and a node.
    let (cid, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap().to_string();
    let (_, a) = t.approval(json!({})).await;
    let aid = a["id"].as_str().unwrap().to_string();
    let node = json!({"type": "approval", "condition": {"type": "expression", "expression": "true"}, "on_approve": "a", "on_deny": "b"});
    assert_eq!(
        t.put("/api/v1/workflows/wf/nodes/n1", node.clone()).await.0,
        200
    );

    // …and an operator, a rotation and an escalation chain.
    let op =
        tapin::service::orgs::create_operator(&t.app, &t.org_id, "ann@acme.test", "Ann", vec![])
            .await
            .unwrap()
            .id;
    let (_, rot) = t
        .post(
            "/api/v1/rotations",
            &t.key,
            json!({"name": "r", "operators": [op], "starts_at": "2026-11-02T09:00:00Z"}),
        )
        .await;
    let rid = rot["id"].as_str().unwrap().to_string();
    let chain_body = json!({"name": "c", "steps": [{"targets": ["everyone"], "wait_seconds": 60}]});
    let (_, chain) = t
        .post("/api/v1/escalation-chains", &t.key, chain_body.clone())
        .await;
    let chain_id = chain["id"].as_str().unwrap().to_string();
    let rot_body = json!({"name": "r", "operators": [], "starts_at": "2026-11-02T09:00:00Z"});

    // Organization B has every scope, and a node of its own to evaluate.
    let b = t.other_org_key("globex", &["admin"]).await;
    assert_eq!(
        call(&t, &b, "PUT", "/api/v1/workflows/wf-b/nodes/n1", &node)
            .await
            .0,
        200
    );

    // (method, path with {} for the foreign/missing id, body with ID where the id goes, what it names)
    let routes: Vec<(&str, &str, Value, &str)> = vec![
        ("GET", "/api/v1/conversations/{}", json!(null), "conv"),
        (
            "POST",
            "/api/v1/conversations/{}/messages",
            json!({"author": "user", "content": "hi"}),
            "conv",
        ),
        (
            "GET",
            "/api/v1/conversations/{}/messages",
            json!(null),
            "conv",
        ),
        (
            "GET",
            "/api/v1/conversations/{}/events",
            json!(null),
            "conv",
        ),
        (
            "POST",
            "/api/v1/conversations/{}/escalate",
            json!({}),
            "conv",
        ),
        ("POST", "/api/v1/leads/{}/handoff", json!({}), "conv"),
        ("GET", "/api/v1/handoffs/{}", json!(null), "handoff"),
        ("GET", "/api/v1/handoffs/{}/events", json!(null), "handoff"),
        ("POST", "/api/v1/handoffs/{}/resolve", json!({}), "handoff"),
        (
            "POST",
            "/api/v1/handoffs/{}/assign",
            json!({"assignee": "x@y.z"}),
            "handoff",
        ),
        ("POST", "/api/v1/handoffs/{}/accept", json!({}), "handoff"),
        ("POST", "/api/v1/handoffs/{}/cancel", json!({}), "handoff"),
        ("POST", "/api/v1/handoffs/{}/handback", json!({}), "handoff"),
        (
            "POST",
            "/api/v1/handoffs/{}/messages",
            json!({"content": "hi"}),
            "handoff",
        ),
        ("POST", "/api/v1/handoffs/{}/resume", json!({}), "handoff"),
        ("POST", "/api/v1/handoffs/{}/complete", json!({}), "handoff"),
        ("POST", "/api/v1/handoffs/{}/fail", json!({}), "handoff"),
        ("GET", "/api/v1/approvals/{}", json!(null), "approval"),
        (
            "POST",
            "/api/v1/approvals/{}/decide",
            json!({"decision": "approve"}),
            "approval",
        ),
        (
            "GET",
            "/api/v1/approvals/{}/wait?timeout=0",
            json!(null),
            "approval",
        ),
        ("GET", "/api/v1/workflows/wf/nodes/{}", json!(null), "node"),
        (
            "POST",
            "/api/v1/workflows/wf/nodes/{}/evaluate",
            json!({"conversation_id": "B_CONV"}),
            "node",
        ),
        (
            "GET",
            "/api/v1/handoffs/{}/notifications",
            json!(null),
            "handoff",
        ),
        ("GET", "/api/v1/escalation-chains/{}", json!(null), "chain"),
        (
            "PUT",
            "/api/v1/escalation-chains/{}",
            chain_body.clone(),
            "chain",
        ),
        (
            "DELETE",
            "/api/v1/escalation-chains/{}",
            json!(null),
            "chain",
        ),
        ("GET", "/api/v1/rotations/{}", json!(null), "rotation"),
        ("PUT", "/api/v1/rotations/{}", rot_body.clone(), "rotation"),
        ("DELETE", "/api/v1/rotations/{}", json!(null), "rotation"),
        (
            "GET",
            "/api/v1/rotations/{}/on-call",
            json!(null),
            "rotation",
        ),
        (
            "POST",
            "/api/v1/rotations/{}/overrides",
            json!({"operator_id": "x", "starts_at": "2026-11-02T09:00:00Z", "ends_at": "2026-11-03T09:00:00Z"}),
            "rotation",
        ),
        (
            "GET",
            "/api/v1/operators/{}/channels",
            json!(null),
            "operator",
        ),
        (
            "PUT",
            "/api/v1/operators/{}/channels",
            json!({"channels": {}}),
            "operator",
        ),
        // Ids inside the body: answered like a conversation that does not exist.
        (
            "POST",
            "/api/v1/handoffs",
            json!({"kind": "takeover", "conversation_id": "ID", "source": "router", "packet": {"static_text": "x"}}),
            "body",
        ),
        (
            "POST",
            "/api/v1/approvals",
            json!({"conversation_id": "ID", "subject_kind": "tool_call", "subject_ref": "x"}),
            "body",
        ),
        (
            "POST",
            "/api/v1/workflows/wf-b/nodes/n1/evaluate",
            json!({"conversation_id": "ID"}),
            "body",
        ),
    ];
    let b_conv = t.post("/api/v1/conversations", &b, json!({})).await.1["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (method, template, body, what) in routes {
        let foreign_id = match what {
            "conv" | "body" => cid.as_str(),
            "handoff" => hid.as_str(),
            "approval" => aid.as_str(),
            "chain" => chain_id.as_str(),
            "rotation" => rid.as_str(),
            "operator" => op.as_str(),
            _ => "n1",
        };
        let missing_id = if what == "node" { "n404" } else { MISSING };
        let fill = |id: &str| {
            let path = template.replace("{}", id);
            let body: Value = serde_json::from_str(
                &body
                    .to_string()
                    .replace("B_CONV", &b_conv)
                    .replace("ID", id),
            )
            .unwrap();
            (path, body)
        };
        let (fp, fb) = fill(foreign_id);
        let (mp, mb) = fill(missing_id);
        let foreign = call(&t, &b, method, &fp, &fb).await;
        let missing = call(&t, &b, method, &mp, &mb).await;
        let expected_status = if what == "body" { 422 } else { 404 };
        assert_eq!(foreign.0, expected_status, "{method} {fp} → {}", foreign.1);
        assert_eq!(
            foreign, missing,
            "{method} {template}: a foreign id must look exactly like a missing one"
        );
    }

    // B's lists show nothing of A's, and A's objects are untouched.
    for list in [
        "/api/v1/handoffs",
        "/api/v1/approvals",
        "/api/v1/escalation-chains",
        "/api/v1/rotations",
        "/api/v1/policies",
    ] {
        assert_eq!(t.get(list, &b).await.1["data"], json!([]), "{list}");
    }
    let (_, h_after) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(
        (h_after["state"].as_str(), &h_after["version"]),
        (Some("created"), &h["version"])
    );
    let (s, _) = t
        .get(&format!("/api/v1/escalation-chains/{chain_id}"), &t.key)
        .await;
    assert_eq!(s, 200, "A's chain survived B's DELETE");
    let (s, _) = t.get(&format!("/api/v1/rotations/{rid}"), &t.key).await;
    assert_eq!(s, 200, "A's rotation survived B's DELETE");
    let (_, a_after) = t.get(&format!("/api/v1/approvals/{aid}"), &t.key).await;
    assert_eq!(a_after["status"], "pending");
    let (_, msgs) = t
        .get(&format!("/api/v1/conversations/{cid}/messages"), &t.key)
        .await;
    assert_eq!(
        msgs["data"].as_array().unwrap().len(),
        1,
        "no message slipped into A's conversation"
    );
}
