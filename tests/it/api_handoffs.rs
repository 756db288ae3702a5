//! Conversations, messages and the takeover handoff slice.

use crate::common::{error_code, TestApp};
use serde_json::json;

#[tokio::test]
async fn messages_get_seq_from_1_and_since_seq_returns_only_newer() {
    let t = TestApp::spawn().await;
    let (s, conv) = t.post_raw("/api/v1/conversations", &t.key, "").await;
    assert_eq!(s, 201, "an empty body creates a conversation: {conv}");
    assert_eq!(conv["status"], "active");
    let cid = conv["id"].as_str().unwrap();
    for (i, author) in ["user", "agent", "operator", "system"].iter().enumerate() {
        let (s, m) = t
            .post(
                &format!("/api/v1/conversations/{cid}/messages"),
                &t.key,
                json!({"author": author, "content": format!("m{i}")}),
            )
            .await;
        assert_eq!(s, 201);
        assert_eq!(m["seq"], i as i64 + 1);
    }
    let (_, all) = t
        .get(&format!("/api/v1/conversations/{cid}/messages"), &t.key)
        .await;
    let seqs: Vec<i64> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    let (_, newer) = t
        .get(
            &format!("/api/v1/conversations/{cid}/messages?since_seq=2"),
            &t.key,
        )
        .await;
    let contents: Vec<&str> = newer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(contents, ["m2", "m3"]);
    assert_eq!(newer["last_seq"], 4);

    let (s, body) = t
        .get(
            &format!("/api/v1/conversations/{cid}/messages?since_seq=abc"),
            &t.key,
        )
        .await;
    assert_eq!((s, error_code(&body)), (400, "bad_request"));
    assert_eq!(body["error"]["fields"][0]["field"], "since_seq");
    let (s, body) = t
        .post(
            &format!("/api/v1/conversations/{cid}/messages"),
            &t.key,
            json!({"author": "robot", "content": "x"}),
        )
        .await;
    assert_eq!(
        (s, body["error"]["fields"][0]["field"].as_str()),
        (422, Some("author"))
    );
}

#[tokio::test]
async fn creating_a_takeover_records_the_packet_and_flips_the_conversation() {
    let t = TestApp::spawn().await;
    let (cid, h) = t.takeover(3).await;
    assert_eq!(h["status"], "requested");
    assert_eq!(h["kind"], "takeover");
    assert_eq!(h["source"], "router");
    assert_eq!(
        h["static_text"],
        "Customer was double-charged and wants a refund."
    );
    assert_eq!(h["packet"]["context_vars"]["amount"], 50);
    assert_eq!(h["packet"]["transfer_label"], "Billing team");
    assert_eq!(
        h["packet"]["transcript_ptr"],
        json!({"conversation_id": cid, "up_to_seq": 3})
    );
    assert_eq!(h["resolved_at"], serde_json::Value::Null);
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(conv["status"], "waiting_for_human");

    // The agent must stay quiet while a human owns the conversation.
    let (s, body) = t
        .post(
            &format!("/api/v1/conversations/{cid}/messages"),
            &t.key,
            json!({"author": "agent", "content": "hello?"}),
        )
        .await;
    assert_eq!(
        (s, body["error"]["reason"].as_str()),
        (409, Some("conversation_owned_by_human"))
    );

    let (s, got) = t
        .get(
            &format!("/api/v1/handoffs/{}", h["id"].as_str().unwrap()),
            &t.key,
        )
        .await;
    assert_eq!((s, &got["packet"]), (200, &h["packet"]));
}

#[tokio::test]
async fn an_empty_thread_has_a_null_up_to_seq() {
    let t = TestApp::spawn().await;
    let (_, h) = t.takeover(0).await;
    assert_eq!(
        h["packet"]["transcript_ptr"]["up_to_seq"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn bad_input_is_rejected_naming_the_field_and_creates_nothing() {
    let t = TestApp::spawn().await;
    let (s, conv) = t.post("/api/v1/conversations", &t.key, json!({})).await;
    assert_eq!(s, 201);
    let cid = conv["id"].as_str().unwrap().to_string();
    let cases = [
        (
            json!({"kind":"takeover","conversation_id":cid,"source":"router","packet":{}}),
            422,
            "packet.static_text",
        ),
        (
            json!({"kind":"takeover","conversation_id":cid,"source":"router","packet":{"static_text":"  "}}),
            422,
            "packet.static_text",
        ),
        (
            json!({"kind":"takeover","conversation_id":cid,"source":"moon","packet":{"static_text":"x"}}),
            422,
            "source",
        ),
        (
            json!({"kind":"takeover","conversation_id":cid,"source":"router","packet":{"static_text":"x"},"extra":1}),
            422,
            "extra",
        ),
        (
            json!({"kind":"takeover","conversation_id":cid,"source":"router","packet":{"static_text":"x","colour":"red"}}),
            422,
            "packet.colour",
        ),
        (
            json!({"kind":"takeover","conversation_id":"nope","source":"router","packet":{"static_text":"x"}}),
            422,
            "conversation_id",
        ),
        (
            json!({"kind":"takeover","conversation_id":"01900000-0000-7000-8000-000000000000","source":"router","packet":{"static_text":"x"}}),
            422,
            "conversation_id",
        ),
        (
            json!({"kind":"approval","conversation_id":cid,"source":"router","packet":{"static_text":"x"}}),
            422,
            "kind",
        ),
        (
            json!({"conversation_id":cid,"source":"router","packet":{"static_text":"x"}}),
            422,
            "kind",
        ),
    ];
    for (body, status, field) in cases {
        let (s, res) = t.post("/api/v1/handoffs", &t.key, body.clone()).await;
        assert_eq!(s, status, "{body} → {res}");
        assert_eq!(error_code(&res), "bad_request");
        assert_eq!(res["error"]["fields"][0]["field"], field, "{body} → {res}");
    }
    let (s, res) = t.post_raw("/api/v1/handoffs", &t.key, "{\"kind\":").await;
    assert_eq!((s, error_code(&res)), (400, "bad_request"));
    let (_, list) = t.get("/api/v1/handoffs", &t.key).await;
    assert_eq!(list["data"], json!([]), "no handoff was created");
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(conv["status"], "active", "the conversation was not flipped");
}

#[tokio::test]
async fn resolve_closes_the_conversation_in_the_same_transaction() {
    let t = TestApp::spawn().await;
    let (cid, h) = t.takeover(2).await;
    let hid = h["id"].as_str().unwrap();
    let (s, resolved) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/resolve"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{resolved}");
    // Seed 000's HandoffRead fields are all there.
    for field in [
        "id",
        "organization_id",
        "conversation_id",
        "conv_turn_id",
        "reason",
        "static_text",
        "status",
        "assignee",
        "source",
        "packet",
        "created_at",
        "resolved_at",
    ] {
        assert!(resolved.get(field).is_some(), "HandoffRead has {field}");
    }
    assert_eq!(resolved["status"], "resolved");
    assert!(resolved["resolved_at"].is_string());
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(conv["status"], "closed");
    assert_eq!(conv["termination_reason"], "handoff_resolved");

    // A second resolve is a conflict and changes nothing.
    let (s, again) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/resolve"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!((s, error_code(&again)), (409, "conflict"));
    let (_, after) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(after["version"], resolved["version"]);
    assert_eq!(after["resolved_at"], resolved["resolved_at"]);
    // Closed conversations take no more messages.
    let (s, _) = t
        .post(
            &format!("/api/v1/conversations/{cid}/messages"),
            &t.key,
            json!({"author": "user", "content": "hi"}),
        )
        .await;
    assert_eq!(s, 409);
}

#[tokio::test]
async fn racing_resolves_get_one_winner_and_one_conflict() {
    let t = TestApp::spawn().await;
    let (_, h) = t.takeover(0).await;
    let path = format!("/api/v1/handoffs/{}/resolve", h["id"].as_str().unwrap());
    let (a, b) = tokio::join!(
        t.post(&path, &t.key, json!({})),
        t.post(&path, &t.key, json!({}))
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let events = t
        .get(
            &format!("/api/v1/handoffs/{}/events", h["id"].as_str().unwrap()),
            &t.key,
        )
        .await
        .1;
    let names: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["create", "resolve"],
        "exactly one resolve was recorded"
    );
}

#[tokio::test]
async fn lists_filter_by_status_and_paginate_newest_first() {
    let t = TestApp::spawn().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(t.takeover(0).await.1["id"].as_str().unwrap().to_string());
    }
    t.post(
        &format!("/api/v1/handoffs/{}/resolve", ids[0]),
        &t.key,
        json!({}),
    )
    .await;

    let (_, open) = t.get("/api/v1/handoffs?status=requested", &t.key).await;
    let open_ids: Vec<&str> = open["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(open_ids, [ids[2].as_str(), ids[1].as_str()]);
    let (_, done) = t.get("/api/v1/handoffs?status=resolved", &t.key).await;
    assert_eq!(done["data"][0]["id"], ids[0].as_str());

    let (_, p1) = t.get("/api/v1/handoffs?limit=2", &t.key).await;
    assert_eq!(p1["data"].as_array().unwrap().len(), 2);
    let cursor = p1["next_cursor"].as_str().expect("a next page");
    let (_, p2) = t
        .get(&format!("/api/v1/handoffs?limit=2&cursor={cursor}"), &t.key)
        .await;
    assert_eq!(p2["data"][0]["id"], ids[0].as_str());
    assert_eq!(p2["next_cursor"], serde_json::Value::Null);

    let (s, bad) = t.get("/api/v1/handoffs?status=sleeping", &t.key).await;
    assert_eq!(
        (s, bad["error"]["fields"][0]["field"].as_str()),
        (422, Some("status"))
    );
    let (s, _) = t.get("/api/v1/handoffs?limit=0", &t.key).await;
    assert_eq!(s, 422);
}

#[tokio::test]
async fn unknown_api_paths_answer_with_the_envelope() {
    let t = TestApp::spawn().await;
    let (s, body) = t.get("/api/v1/nothing-here", &t.key).await;
    assert_eq!((s, error_code(&body)), (404, "not_found"));
}
