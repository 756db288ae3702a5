//! Rate limit headers and 429; idempotent retries.

use crate::common::{error_code, TestApp};
use serde_json::json;

fn header(res: &reqwest::Response, name: &str) -> Option<u64> {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn every_response_carries_rate_limit_headers_and_the_limit_is_enforced_per_key() {
    let t = TestApp::spawn_with(|c| c.rate_limit_per_minute = 3).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let res = t
            .client
            .get(format!("{}/api/v1/handoffs", t.base))
            .header("x-api-key", &t.key)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "x-ratelimit-limit"), Some(3));
        // Seed 003: epoch seconds, within the minute the budget needs to refill.
        let reset = header(&res, "x-ratelimit-reset").unwrap();
        let now = chrono::Utc::now().timestamp() as u64;
        assert!(
            (now..=now + 61).contains(&reset),
            "reset {reset}, now {now}"
        );
        remaining.push(header(&res, "x-ratelimit-remaining").unwrap());
    }
    assert_eq!(remaining, [2, 1, 0]);
    let res = t
        .client
        .get(format!("{}/api/v1/handoffs", t.base))
        .header("x-api-key", &t.key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(header(&res, "retry-after").unwrap() >= 1);
    assert_eq!(header(&res, "x-ratelimit-remaining"), Some(0));
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "rate_limited");

    // Another key has its own budget.
    let other = t.key_in(&t.org_id, &["read"]).await;
    assert_eq!(t.get("/api/v1/handoffs", &other).await.0, 200);
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_response() {
    let t = TestApp::spawn().await;
    let body = json!({"external_ref": "order-1"});
    let first = t
        .post_with(
            "/api/v1/conversations",
            &[("idempotency-key", "k-1")],
            body.clone(),
        )
        .await;
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.unwrap();
    let again = t
        .post_with(
            "/api/v1/conversations",
            &[("idempotency-key", "k-1")],
            body.clone(),
        )
        .await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    let again: serde_json::Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"], "no second conversation");

    let other = t
        .post_with(
            "/api/v1/conversations",
            &[("idempotency-key", "k-1")],
            json!({"external_ref": "order-2"}),
        )
        .await;
    assert_eq!(other.status(), 409);
    let other: serde_json::Value = other.json().await.unwrap();
    assert_eq!(other["error"]["reason"], "idempotency_key_reused");

    // Without a key, each POST creates.
    let a = t
        .post("/api/v1/conversations", &t.key, body.clone())
        .await
        .1;
    let b = t.post("/api/v1/conversations", &t.key, body).await.1;
    assert_ne!(a["id"], b["id"]);
}

#[tokio::test]
async fn idempotent_escalation_records_one_handoff() {
    let t = TestApp::spawn().await;
    let cid = t.conversation().await;
    let path = format!("/api/v1/conversations/{cid}/escalate");
    let a: serde_json::Value = t
        .post_with(&path, &[("idempotency-key", "esc-1")], json!({}))
        .await
        .json()
        .await
        .unwrap();
    let b: serde_json::Value = t
        .post_with(&path, &[("idempotency-key", "esc-1")], json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(a["handoff_id"], b["handoff_id"]);
    let (_, list) = t.get("/api/v1/handoffs", &t.key).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let bad = t
        .post_with(&path, &[("idempotency-key", "has space")], json!({}))
        .await;
    assert_eq!(bad.status(), 422);
}
