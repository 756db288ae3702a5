//! The seed takeover vocabulary: assign → accept → relay → resolve | hand back | cancel.

use crate::common::{error_code, TestApp};
use serde_json::json;
use tapin::service::orgs;

#[tokio::test]
async fn assign_accept_relay_and_hand_back() {
    let t = TestApp::spawn().await;
    let op = orgs::create_operator(&t.app, &t.org_id, "sam@acme.test", "Sam", vec![])
        .await
        .unwrap();
    let (cid, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();

    let (s, e) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/assign"),
            &t.key,
            json!({"assignee": "nobody@acme.test"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("assignee"))
    );
    let (s, a) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/assign"),
            &t.key,
            json!({"assignee": "SAM@acme.test"}),
        )
        .await;
    assert_eq!(
        (s, a["status"].as_str(), a["assignee"].as_str()),
        (200, Some("assigned"), Some(op.id.as_str()))
    );
    let (s, a) = t
        .post(&format!("/api/v1/handoffs/{hid}/accept"), &t.key, json!({}))
        .await;
    assert_eq!((s, a["status"].as_str()), (200, Some("accepted")));

    let (s, m) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/messages"),
            &t.key,
            json!({"content": "Hi, Sarah here."}),
        )
        .await;
    assert_eq!(
        (s, m["author"].as_str(), m["seq"].as_i64()),
        (201, Some("operator"), Some(2))
    );

    let (s, done) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/handback"),
            &t.key,
            json!({"reason": "refund issued"}),
        )
        .await;
    assert_eq!((s, done["status"].as_str()), (200, Some("resolved")));
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(
        (conv["status"].as_str(), conv["status_reason"].as_str()),
        (Some("active"), Some("handed_back"))
    );
    assert_eq!(conv["termination_reason"], json!(null));
    // The bot may talk again.
    let (s, _) = t
        .post(
            &format!("/api/v1/conversations/{cid}/messages"),
            &t.key,
            json!({"author": "agent", "content": "Back!"}),
        )
        .await;
    assert_eq!(s, 201);
    // Nothing more to relay into a finished handoff.
    let (s, e) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/messages"),
            &t.key,
            json!({"content": "late"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("handoff_finished"))
    );
}

#[tokio::test]
async fn cancel_gives_the_conversation_back_and_ends_the_handoff() {
    let t = TestApp::spawn().await;
    let (cid, h) = t.takeover(0).await;
    let hid = h["id"].as_str().unwrap();
    let (s, c) = t
        .post_raw(&format!("/api/v1/handoffs/{hid}/cancel"), &t.key, "")
        .await;
    assert_eq!(
        (s, c["status"].as_str(), c["state"].as_str()),
        (200, Some("cancelled"), Some("cancelled"))
    );
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(conv["status"], "active");
    let (s, e) = t
        .post(&format!("/api/v1/handoffs/{hid}/accept"), &t.key, json!({}))
        .await;
    assert_eq!((s, error_code(&e)), (409, "conflict"));
}
