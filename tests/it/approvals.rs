//! Approvals: create, decide, edit rules, timeouts (also across a restart), long-poll.

use crate::common::{error_code, TestApp};
use serde_json::json;
use tapin::workers::timers;

const HOLDING: &str = "Let me check that with a specialist. One moment please.";

#[tokio::test]
async fn creating_an_approval_suspends_the_conversation_with_its_suspend_message() {
    let t = TestApp::spawn().await;
    let (cid, a) = t.approval(json!({"timeout_seconds": 300})).await;
    assert_eq!(a["status"], "pending");
    for f in [
        "id",
        "conversation_id",
        "subject_kind",
        "subject_ref",
        "payload",
        "approver_role",
        "suspend_message",
        "timeout_at",
    ] {
        assert!(!a[f].is_null(), "ApprovalRequestDetail has {f}: {a}");
    }
    assert_eq!(a["payload"]["amount"], 120);
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(conv["status"], "awaiting_approval");
    let (_, msgs) = t
        .get(&format!("/api/v1/conversations/{cid}/messages"), &t.key)
        .await;
    // Seed 001: the suspend message is what the end user is shown while it is pending.
    assert_eq!(
        msgs["data"][0]["content"],
        "Checking your refund with the billing team."
    );
    assert_eq!(msgs["data"][0]["author"], "agent");

    // Without one, the organization's holding line, which the approval then shows.
    let (other, b) = t.approval(json!({"suspend_message": null})).await;
    assert_eq!(b["suspend_message"], HOLDING);
    let (_, msgs) = t
        .get(&format!("/api/v1/conversations/{other}/messages"), &t.key)
        .await;
    assert_eq!(msgs["data"][0]["content"], HOLDING);

    let (s, one) = t
        .get(
            &format!("/api/v1/approvals/{}", a["id"].as_str().unwrap()),
            &t.key,
        )
        .await;
    assert_eq!((s, &one["subject_ref"]), (200, &json!("refund.create")));
    let (_, pending) = t.get("/api/v1/approvals?status=pending", &t.key).await;
    assert_eq!(pending["data"][1]["id"], a["id"], "newest first");
    assert!(
        pending["data"][0].get("payload").is_none(),
        "summaries leave the payload out"
    );
}

#[tokio::test]
async fn approve_resumes_the_conversation_and_a_second_decision_is_409() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (cid, a) = t.approval(json!({})).await;
    let path = format!("/api/v1/approvals/{}/decide", a["id"].as_str().unwrap());
    let (s, d) = t
        .post(&path, &decider, json!({"decision": "approve"}))
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["status"], "approved");
    assert!(d["decided_by"].as_str().unwrap().starts_with("api_key:"));
    assert!(d["decided_at"].is_string());
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(conv["status"], "active");

    let (s, again) = t
        .post(
            &path,
            &decider,
            json!({"decision": "deny", "note": "changed my mind"}),
        )
        .await;
    assert_eq!((s, error_code(&again)), (409, "conflict"));
    let (_, after) = t
        .get(
            &format!("/api/v1/approvals/{}", a["id"].as_str().unwrap()),
            &t.key,
        )
        .await;
    assert_eq!(
        (after["status"].as_str(), &after["decision_note"]),
        (Some("approved"), &json!(null))
    );
    let (_, approved) = t.get("/api/v1/approvals?status=approved", &t.key).await;
    assert_eq!(approved["data"].as_array().unwrap().len(), 1);
    let (_, denied) = t.get("/api/v1/approvals?status=denied", &t.key).await;
    assert_eq!(denied["data"], json!([]));
}

#[tokio::test]
async fn a_deny_carries_its_note_and_edits_cannot_change_the_subject() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (_, a) = t.approval(json!({})).await;
    let path = format!("/api/v1/approvals/{}/decide", a["id"].as_str().unwrap());
    let (s, e) = t
        .post(&path, &decider, json!({"decision": "approve", "subject_ref": "account.delete", "payload": {"amount": 1}}))
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("subject_ref"))
    );
    let (s, e) = t.post(&path, &decider, json!({"decision": "maybe"})).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("decision"))
    );
    let (_, still) = t
        .get(
            &format!("/api/v1/approvals/{}", a["id"].as_str().unwrap()),
            &t.key,
        )
        .await;
    assert_eq!(still["status"], "pending", "rejected edits change nothing");

    let (s, d) = t
        .post(&path, &decider, json!({"decision": "deny", "note": "Over the refund limit", "subject_ref": "refund.create", "payload": {"amount": 100, "currency": "EUR"}}))
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(
        (d["status"].as_str(), d["decision_note"].as_str()),
        (Some("denied"), Some("Over the refund limit"))
    );
    assert_eq!(d["decided_payload"]["amount"], 100);
    assert_eq!(d["payload"]["amount"], 120, "the original request is kept");
}

/// What a decision answers is the approval as stored: a later read returns
/// the same object (edit, note, answer, decider, time and votes).
#[tokio::test]
async fn a_decisions_answer_is_the_approval_as_a_later_read_returns_it() {
    let t = TestApp::spawn().await;
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let second = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (_, edited) = t.approval(json!({})).await;
    let (_, denied) = t.approval(json!({})).await;
    let (_, question) = t
        .approval(
            json!({"subject_kind": "question", "subject_ref": "Which plan?",
                         "response_schema": {"type": "string", "enum": ["basic", "pro"]}}),
        )
        .await;
    let (_, quorum) = t.approval(json!({"required_approvals": 2})).await;
    let decisions = [
        (
            &edited,
            &decider,
            json!({"decision": "approve", "note": "  Halved  ",
                                   "payload": {"amount": 60, "currency": "EUR"}}),
        ),
        (
            &denied,
            &decider,
            json!({"decision": "deny", "note": "Over the limit"}),
        ),
        (
            &question,
            &decider,
            json!({"decision": "approve", "answer": "pro"}),
        ),
        (&quorum, &decider, json!({"decision": "approve"})),
        (
            &quorum,
            &second,
            json!({"decision": "approve", "note": "second pair of eyes"}),
        ),
    ];
    for (a, key, body) in decisions {
        let id = a["id"].as_str().unwrap();
        let (s, answer) = t
            .post(&format!("/api/v1/approvals/{id}/decide"), key, body.clone())
            .await;
        assert_eq!(s, 200, "{body}: {answer}");
        let (_, stored) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
        assert_eq!(answer, stored, "{body}");
    }
    let (_, e) = t
        .get(
            &format!("/api/v1/approvals/{}", edited["id"].as_str().unwrap()),
            &t.key,
        )
        .await;
    assert_eq!(
        (
            e["status"].as_str(),
            e["decision_note"].as_str(),
            &e["decided_payload"]["amount"]
        ),
        (Some("approved"), Some("Halved"), &json!(60))
    );
}

#[tokio::test]
async fn fifty_concurrent_decisions_have_exactly_one_winner() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (_, a) = t.approval(json!({})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/approvals/{id}/decide");
    let calls = (0..50).map(|i| {
        let decision = if i % 2 == 0 { "approve" } else { "deny" };
        let (t, path, decider) = (&t, path.clone(), &decider);
        async move {
            t.post(&path, decider, json!({"decision": decision}))
                .await
                .0
        }
    });
    let statuses = futures::future::join_all(calls).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{id}/events"), &t.key)
        .await;
    let decides = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "decide")
        .count();
    assert_eq!(decides, 1, "one audit row for the one decision");
}

#[tokio::test]
async fn a_timeout_expires_the_approval_as_a_deny_distinct_from_a_human_deny() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (cid, a) = t.approval(json!({"timeout_seconds": 60})).await;
    let id = a["id"].as_str().unwrap();
    // Nothing is due yet.
    assert_eq!(timers::tick(&t.app, chrono::Utc::now()).await.unwrap(), 0);
    assert_eq!(
        timers::tick(&t.app, chrono::Utc::now() + chrono::Duration::seconds(61))
            .await
            .unwrap(),
        1
    );
    let (_, e) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(e["status"], "expired");
    assert_eq!(e["decided_by"], json!(null), "nobody decided");
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(
        (conv["status"].as_str(), conv["status_reason"].as_str()),
        (Some("active"), Some("approval_expired"))
    );
    // It fires once.
    assert_eq!(
        timers::tick(&t.app, chrono::Utc::now() + chrono::Duration::seconds(120))
            .await
            .unwrap(),
        0
    );
    let (s, _) = t
        .post(
            &format!("/api/v1/approvals/{id}/decide"),
            &decider,
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(s, 409, "too late to decide");
    let (_, expired) = t.get("/api/v1/approvals?status=expired", &t.key).await;
    assert_eq!(expired["data"][0]["id"], id);
}

#[tokio::test]
async fn a_timeout_that_elapsed_while_the_server_was_stopped_fires_after_restart() {
    let t = TestApp::spawn().await;
    let (_, a) = t.approval(json!({"timeout_seconds": 5})).await;
    let restarted = t.reopen().await;
    let later = chrono::Utc::now() + chrono::Duration::seconds(30);
    assert_eq!(timers::tick(&restarted, later).await.unwrap(), 1);
    assert_eq!(
        timers::tick(&restarted, later).await.unwrap(),
        0,
        "and only once"
    );
    let (_, e) = t
        .get(
            &format!("/api/v1/approvals/{}", a["id"].as_str().unwrap()),
            &t.key,
        )
        .await;
    assert_eq!(e["status"], "expired");
}

#[tokio::test]
async fn a_decided_approvals_timer_does_nothing() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (_, a) = t.approval(json!({"timeout_seconds": 5})).await;
    let id = a["id"].as_str().unwrap();
    t.post(
        &format!("/api/v1/approvals/{id}/decide"),
        &decider,
        json!({"decision": "deny", "note": "no"}),
    )
    .await;
    assert_eq!(
        timers::tick(&t.app, chrono::Utc::now() + chrono::Duration::seconds(30))
            .await
            .unwrap(),
        0
    );
    let (_, e) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(e["status"], "denied");
}

#[tokio::test]
async fn wait_returns_when_decided_and_times_out_while_pending() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (_, a) = t.approval(json!({})).await;
    let id = a["id"].as_str().unwrap();
    let (s, w) = t
        .get(&format!("/api/v1/approvals/{id}/wait?timeout=0"), &t.key)
        .await;
    assert_eq!((s, &w["decided"]), (200, &json!(false)));

    let (wait_path, decide_path) = (
        format!("/api/v1/approvals/{id}/wait?timeout=30"),
        format!("/api/v1/approvals/{id}/decide"),
    );
    let waiting = t.get(&wait_path, &t.key);
    let deciding = t.post(&decide_path, &decider, json!({"decision": "approve"}));
    let ((ws, w), (ds, _)) = tokio::join!(waiting, deciding);
    assert_eq!((ws, ds), (200, 200));
    assert_eq!(w["decided"], true);
    assert_eq!(w["approval"]["status"], "approved");

    let (s, bad) = t
        .get(&format!("/api/v1/approvals/{id}/wait?timeout=600"), &t.key)
        .await;
    assert_eq!(
        (s, bad["error"]["fields"][0]["field"].as_str()),
        (422, Some("timeout"))
    );
}

#[tokio::test]
async fn the_waiting_reply_answers_a_user_who_writes_during_an_approval() {
    let t = TestApp::spawn().await;
    let (s, _) = t
        .put("/api/v1/approval-messages", json!({"holding_line": "One sec!", "waiting_reply": "Still on it, thanks for waiting."}))
        .await;
    assert_eq!(s, 200);
    let (cid, _) = t.approval(json!({"suspend_message": null})).await;
    t.post(
        &format!("/api/v1/conversations/{cid}/messages"),
        &t.key,
        json!({"author": "user", "content": "hello?"}),
    )
    .await;
    let (_, msgs) = t
        .get(&format!("/api/v1/conversations/{cid}/messages"), &t.key)
        .await;
    let contents: Vec<&str> = msgs["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        contents,
        ["One sec!", "hello?", "Still on it, thanks for waiting."]
    );
    let (s, e) = t
        .put(
            "/api/v1/approval-messages",
            json!({"holding_line": "", "waiting_reply": "x"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("holding_line"))
    );
}

#[tokio::test]
async fn approval_input_is_validated_by_field() {
    let t = TestApp::spawn().await;
    let cid = t.conversation().await;
    let base = json!({"conversation_id": cid, "subject_kind": "tool_call", "subject_ref": "x"});
    for (patch, field) in [
        (json!({"subject_kind": "shell"}), "subject_kind"),
        (json!({"subject_ref": ""}), "subject_ref"),
        (json!({"timeout_seconds": 0}), "timeout_seconds"),
        (json!({"payload": [1, 2]}), "payload"),
        (
            json!({"conversation_id": "01900000-0000-7000-8000-000000000000"}),
            "conversation_id",
        ),
        (json!({"surprise": true}), "surprise"),
    ] {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, e) = t.post("/api/v1/approvals", &t.key, body.clone()).await;
        assert_eq!(
            (s, e["error"]["fields"][0]["field"].as_str()),
            (422, Some(field)),
            "{body} → {e}"
        );
    }
    let writer = t.key_in(&t.org_id, &["handoffs:write"]).await;
    let (s, _) = t.post("/api/v1/approvals", &writer, base).await;
    assert_eq!(s, 403, "approvals need approvals:write");
}

#[tokio::test]
async fn after_a_decision_the_agent_reports_resume_and_completion_or_failure() {
    let t = TestApp::spawn().await;
    // The key that requested an approval does not decide it (issue 11).
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (_, a) = t.approval(json!({})).await;
    let id = a["id"].as_str().unwrap();
    let (s, _) = t
        .post(&format!("/api/v1/handoffs/{id}/resume"), &t.key, json!({}))
        .await;
    assert_eq!(s, 409, "nothing to resume before a decision");
    t.post(
        &format!("/api/v1/approvals/{id}/decide"),
        &decider,
        json!({"decision": "approve"}),
    )
    .await;
    let (s, r) = t
        .post(&format!("/api/v1/handoffs/{id}/resume"), &t.key, json!({}))
        .await;
    assert_eq!((s, r["state"].as_str()), (200, Some("resumed")));
    let (s, c) = t
        .post(
            &format!("/api/v1/handoffs/{id}/complete"),
            &t.key,
            json!({"reason": "refund sent"}),
        )
        .await;
    assert_eq!((s, c["state"].as_str()), (200, Some("completed")));
    let (_, detail) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(
        detail["status"], "approved",
        "still reads as approved after completion"
    );

    let (_, b) = t.approval(json!({})).await;
    let id = b["id"].as_str().unwrap();
    t.post(
        &format!("/api/v1/approvals/{id}/decide"),
        &decider,
        json!({"decision": "approve"}),
    )
    .await;
    let (s, f) = t
        .post(
            &format!("/api/v1/handoffs/{id}/fail"),
            &t.key,
            json!({"reason": "page layout changed"}),
        )
        .await;
    assert_eq!((s, f["state"].as_str()), (200, Some("failed")));
    let (s, m) = t.get("/api/v1/approval-messages", &t.key).await;
    assert_eq!((s, m["holding_line"].as_str()), (200, Some(HOLDING)));
}
