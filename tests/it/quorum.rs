//! Four-eyes and quorum approvals (issue 14 §3): the requester cannot decide
//! their own request; N approvals decide (each one before a vote in the audit
//! log), the first deny decides, nobody votes twice, and racing last votes
//! decide once without losing a vote.

use crate::common::TestApp;
use serde_json::{json, Value};

/// A server function called as the page calls it, with an operator's session.
async fn call(t: &TestApp, name: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = t
        .client
        .post(format!("{}/fn/{name}", t.base))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn page(t: &TestApp, path: &str, cookie: &str) -> String {
    let res = t
        .client
        .get(format!("{}{path}", t.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    res.text().await.unwrap()
}

/// The operator approves on the page (the `decide` server function).
async fn approve_as(t: &TestApp, cookie: &str, id: &str) -> (u16, Value) {
    call(t, "decide", cookie, &[("id", id), ("approve", "true")]).await
}

fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or_default()
}

async fn events_of(t: &TestApp, id: &str) -> Vec<Value> {
    let (s, events) = t
        .get(&format!("/api/v1/handoffs/{id}/events"), &t.key)
        .await;
    assert_eq!(s, 200, "{events}");
    events.as_array().unwrap().clone()
}

fn count(events: &[Value], name: &str) -> usize {
    events.iter().filter(|e| e["event"] == name).count()
}

async fn verifies(t: &TestApp) {
    let results = tapin::service::audit::verify(&t.app, Some("acme"), None)
        .await
        .unwrap();
    assert!(results[0].result.is_ok(), "{:?}", results[0].result);
}

#[tokio::test]
async fn four_eyes_keeps_the_requesting_operator_from_approving_their_own_request() {
    let t = TestApp::spawn().await;
    let (ann, ann_cookie) = t
        .signed_in("ann@acme.test", "Ann Asker", &["billing_manager"])
        .await;
    let (_, bob_cookie) = t
        .signed_in("bob@acme.test", "Bob Checker", &["billing_manager"])
        .await;

    // `requested_by` names an operator of this organization, like `assignee`.
    let cid = t.conversation().await;
    let (s, e) = t
        .post(
            "/api/v1/approvals",
            &t.key,
            json!({"conversation_id": cid, "subject_kind": "tool_call", "subject_ref": "refund.create",
                   "requested_by": "nobody@acme.test", "four_eyes": true}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "requested_by", "{e}");

    let (_, a) = t
        .approval(json!({"requested_by": "ANN@acme.test", "four_eyes": true}))
        .await;
    assert_eq!(
        a["requested_by"],
        ann.as_str(),
        "stored as the operator's id"
    );
    assert_eq!(a["four_eyes"], true);
    let id = a["id"].as_str().unwrap().to_string();

    // Ann's page says why she cannot decide, instead of the buttons; so does her inbox.
    let html = page(&t, &format!("/m/{id}"), &ann_cookie).await;
    assert!(
        html.contains("Four-eyes: this is your own request"),
        "{html}"
    );
    assert!(
        !html.contains("data-shortcut=\"approve\""),
        "no Approve button"
    );
    let inbox = page(&t, "/inbox", &ann_cookie).await;
    assert!(inbox.contains("data-testid=\"own-request\""), "{inbox}");
    // Bob's page has the buttons.
    let html = page(&t, &format!("/m/{id}"), &bob_cookie).await;
    assert!(html.contains("data-shortcut=\"approve\""), "{html}");

    // The server refuses her decision all the same (a deny too), and nothing changes.
    let (s, body) = approve_as(&t, &ann_cookie, &id).await;
    assert_eq!((s, reason(&body)), (403, "four_eyes"), "{body}");
    let (s, body) = call(
        &t,
        "decide",
        &ann_cookie,
        &[("id", &id), ("approve", "false"), ("note", "no")],
    )
    .await;
    assert_eq!((s, reason(&body)), (403, "four_eyes"), "{body}");
    let (_, now) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(now["status"], "pending");

    let (s, body) = approve_as(&t, &bob_cookie, &id).await;
    assert_eq!((s, &body), (200, &json!("approved")));

    // Without four-eyes, naming the requester does not stop them.
    let (_, a) = t.approval(json!({"requested_by": ann})).await;
    let (s, body) = approve_as(&t, &ann_cookie, a["id"].as_str().unwrap()).await;
    assert_eq!((s, &body), (200, &json!("approved")));
    verifies(&t).await;
}

#[tokio::test]
async fn four_eyes_holds_for_the_requesting_key_even_when_self_approval_is_allowed() {
    let t = TestApp::spawn_with(|c| c.allow_self_approval = true).await;
    let (_, plain) = t.approval(json!({})).await;
    let (_, strict) = t.approval(json!({"four_eyes": true})).await;
    let decide = |a: &Value| format!("/api/v1/approvals/{}/decide", a["id"].as_str().unwrap());
    let (s, body) = t
        .post(&decide(&strict), &t.key, json!({"decision": "approve"}))
        .await;
    assert_eq!((s, reason(&body)), (403, "four_eyes"), "{body}");
    let (s, body) = t
        .post(&decide(&plain), &t.key, json!({"decision": "approve"}))
        .await;
    assert_eq!(s, 200, "self-approval allowed without four-eyes: {body}");
}

#[tokio::test]
async fn three_approvals_decide_each_earlier_one_is_a_vote_and_nobody_votes_twice() {
    let t = TestApp::spawn().await;
    let (ann, ann_cookie) = t
        .signed_in("ann@acme.test", "Ann Approver", &["billing_manager"])
        .await;
    let (_, bob_cookie) = t
        .signed_in("bob@acme.test", "Bob Approver", &["billing_manager"])
        .await;
    let key = t.key_in(&t.org_id, &["approvals:decide"]).await;

    for bad in [json!(0), json!(11)] {
        let cid = t.conversation().await;
        let (s, e) = t
            .post(
                "/api/v1/approvals",
                &t.key,
                json!({"conversation_id": cid, "subject_kind": "tool_call", "subject_ref": "x",
                       "required_approvals": bad}),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["fields"][0]["field"], "required_approvals");
    }

    let (_, a) = t.approval(json!({"required_approvals": 3})).await;
    assert_eq!(a["required_approvals"], 3);
    assert_eq!(a["approvals"], json!([]));
    let id = a["id"].as_str().unwrap().to_string();

    let (s, body) = approve_as(&t, &ann_cookie, &id).await;
    assert_eq!((s, &body), (200, &json!("voted")));
    // One vote per person, whether approve or deny.
    let (s, body) = approve_as(&t, &ann_cookie, &id).await;
    assert_eq!((s, reason(&body)), (409, "already_voted"), "{body}");
    let (s, body) = call(
        &t,
        "decide",
        &ann_cookie,
        &[
            ("id", &id),
            ("approve", "false"),
            ("note", "changed my mind"),
        ],
    )
    .await;
    assert_eq!((s, reason(&body)), (409, "already_voted"), "{body}");
    let (s, body) = approve_as(&t, &bob_cookie, &id).await;
    assert_eq!((s, &body), (200, &json!("voted")));

    let (_, now) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(now["status"], "pending", "{now}");
    let voters: Vec<&str> = now["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["by"].as_str().unwrap())
        .collect();
    assert_eq!(voters.len(), 2, "{now}");
    assert!(voters.contains(&format!("operator:{ann}").as_str()));
    assert!(now["approvals"][0]["at"].is_string());

    // The page and the inbox say how far it got and who approved.
    let html = page(&t, &format!("/m/{id}"), &bob_cookie).await;
    assert!(html.contains("2 of 3 approved"), "{html}");
    assert!(html.contains("Ann Approver") && html.contains("Bob Approver"));
    assert!(html.contains("You approved this"), "{html}");
    let inbox = page(&t, "/inbox", &bob_cookie).await;
    assert!(inbox.contains("2 of 3 approved"), "{inbox}");

    // The third approval (a key counts as one voter) decides.
    let (s, d) = t
        .post(
            &format!("/api/v1/approvals/{id}/decide"),
            &key,
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["status"], "approved");
    assert_eq!(d["approvals"].as_array().unwrap().len(), 3);
    let events = events_of(&t, &id).await;
    assert_eq!((count(&events, "vote"), count(&events, "decide")), (2, 1));
    let vote = events.iter().find(|e| e["event"] == "vote").unwrap();
    assert_eq!(vote["actor"], format!("operator:{ann}"));
    assert_eq!(
        vote["to_state"], vote["from_state"],
        "a vote changes no state"
    );
    assert_eq!(vote["data"]["approvals"], 1);

    // The votes are in the audit export, and the chain with their digests verifies.
    let res = t
        .client
        .get(format!("{}/api/v1/audit/export.jsonl", t.base))
        .header("x-api-key", &t.key)
        .send()
        .await
        .unwrap();
    let export = res.text().await.unwrap();
    let votes = export
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["event"] == "vote" && r["handoff_id"] == id.as_str())
        .count();
    assert_eq!(votes, 2, "{export}");
    verifies(&t).await;
    // A vote changed behind the chain's back is caught.
    t.db_exec(&format!(
        "UPDATE approval_votes SET roles = '[\"admin\"]' WHERE voter = 'operator:{ann}'"
    ))
    .await;
    let results = tapin::service::audit::verify(&t.app, Some("acme"), None)
        .await
        .unwrap();
    assert!(results[0].result.is_err(), "an altered vote is noticed");
}

#[tokio::test]
async fn the_first_deny_decides_and_distinct_roles_need_different_roles() {
    let t = TestApp::spawn().await;
    let (_, ann) = t.signed_in("ann@acme.test", "Ann", &["finance"]).await;
    let (_, bob) = t.signed_in("bob@acme.test", "Bob", &["finance"]).await;
    let (_, cy) = t
        .signed_in("cy@acme.test", "Cy", &["legal", "finance"])
        .await;

    let (_, a) = t
        .approval(json!({"approver_role": null, "required_approvals": 3}))
        .await;
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(approve_as(&t, &ann, &id).await.1, json!("voted"));
    let (s, body) = call(
        &t,
        "decide",
        &bob,
        &[("id", &id), ("approve", "false"), ("note", "too much")],
    )
    .await;
    assert_eq!((s, &body), (200, &json!("denied")));
    let (s, body) = approve_as(&t, &cy, &id).await;
    assert_eq!((s, reason(&body)), (409, "invalid_transition"), "{body}");

    // Two finance people are one role; someone who can stand for legal completes it.
    let (_, a) = t
        .approval(json!({"approver_role": null, "required_approvals": 2, "distinct_roles": true}))
        .await;
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(approve_as(&t, &ann, &id).await.1, json!("voted"));
    let (s, body) = approve_as(&t, &bob, &id).await;
    assert_eq!((s, reason(&body)), (409, "role_already_counted"), "{body}");
    let (s, body) = approve_as(&t, &cy, &id).await;
    assert_eq!((s, &body), (200, &json!("approved")));
    verifies(&t).await;
}

#[tokio::test]
async fn racing_votes_are_all_counted_and_the_last_ones_decide_once() {
    let t = TestApp::spawn().await;
    let (_, a) = t.approval(json!({"required_approvals": 3})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/approvals/{id}/decide");
    let mut keys = Vec::new();
    for _ in 0..4 {
        keys.push(t.key_in(&t.org_id, &["approvals:decide"]).await);
    }
    let vote = |key: String| {
        let (t, path) = (&t, path.clone());
        async move { t.post(&path, &key, json!({"decision": "approve"})).await }
    };
    // Two votes at once, neither the last: both count.
    let (one, two) = tokio::join!(vote(keys[0].clone()), vote(keys[1].clone()));
    assert_eq!((one.0, two.0), (200, 200), "{one:?} {two:?}");
    let (_, now) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(
        now["approvals"].as_array().unwrap().len(),
        2,
        "no vote lost"
    );
    assert_eq!(now["status"], "pending");
    // Two last votes at once: one decides, the other finds it decided.
    let (three, four) = tokio::join!(vote(keys[2].clone()), vote(keys[3].clone()));
    let mut statuses = [three.0, four.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{three:?} {four:?}");
    let events = events_of(&t, &id).await;
    assert_eq!((count(&events, "vote"), count(&events, "decide")), (2, 1));
    let (_, done) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(done["status"], "approved");
    assert_eq!(done["approvals"].as_array().unwrap().len(), 3, "{done}");
    verifies(&t).await;
}

#[tokio::test]
async fn a_policy_can_ask_for_four_eyes_and_a_quorum() {
    let t = TestApp::spawn().await;
    let (ann, ann_cookie) = t
        .signed_in("ann@acme.test", "Ann", &["billing_manager"])
        .await;
    let (s, e) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Big", "condition": "payload.amount > 100",
                                 "actions": {"required_approvals": 11}}]}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["field"],
        "policies[0].actions.required_approvals"
    );
    let (s, e) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Big refunds", "condition": "payload.amount > 100",
                                 "actions": {"four_eyes": true, "required_approvals": 2}}]}),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    // The test box says so before anything is created.
    let (s, r) = t
        .post(
            "/api/v1/policies/test",
            &t.key,
            json!({"kind": "approval", "subject_ref": "refund.create", "payload": {"amount": 900}}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        (&r["four_eyes"], &r["required_approvals"]),
        (&json!(true), &json!(2))
    );
    let (_, a) = t.approval(json!({"requested_by": ann})).await;
    assert_eq!(
        (&a["four_eyes"], &a["required_approvals"]),
        (&json!(true), &json!(2))
    );
    let (s, body) = approve_as(&t, &ann_cookie, a["id"].as_str().unwrap()).await;
    assert_eq!((s, reason(&body)), (403, "four_eyes"), "{body}");
    // A small one is not touched.
    let (_, small) = t
        .approval(json!({"requested_by": ann, "payload": {"amount": 5}}))
        .await;
    assert_eq!(
        (&small["four_eyes"], &small["required_approvals"]),
        (&json!(false), &json!(1))
    );
    verifies(&t).await;
}

#[tokio::test]
async fn an_edited_payload_is_checked_again_against_the_policies() {
    use sha2::Digest;
    let t = TestApp::spawn().await;
    let (_, bob) = t
        .signed_in("bob@acme.test", "Bob", &["billing_manager"])
        .await;
    let (s, e) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Large refunds", "condition": "payload.amount > 500",
                                 "actions": {"approver_role": "finance_lead"}}]}),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    // At creation the policy sets the approver role.
    let (_, big) = t.approval(json!({"payload": {"amount": 900}})).await;
    assert_eq!(big["approver_role"], "finance_lead");

    // Approving 120 EUR as 900 EUR would dodge the finance lead: refused, nothing changes.
    let (_, a) = t.approval(json!({})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let form = |payload: &'static str| {
        vec![
            ("id", id.clone()),
            ("approve", "true".to_string()),
            ("payload", payload.to_string()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let t = &t;
        let bob = bob.clone();
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(t, "decide", &bob, &f).await
        }
    };
    let (s, body) = send(form(r#"{"amount": 900, "currency": "EUR"}"#)).await;
    assert_eq!((s, reason(&body)), (409, "edit_needs_review"), "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Large refunds") && message.contains("finance_lead"),
        "{message}"
    );
    let (_, now) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(now["status"], "pending");

    // An edit within what was asked for goes through, and its event carries the
    // SHA-256 of the payload approved.
    let (s, body) = send(form(r#"{"currency": "EUR", "amount": 100}"#)).await;
    assert_eq!((s, &body), (200, &json!("approved")));
    let events = events_of(&t, &id).await;
    let decide = events.iter().find(|e| e["event"] == "decide").unwrap();
    let want = hex::encode(sha2::Sha256::digest(br#"{"amount":100,"currency":"EUR"}"#));
    assert_eq!(
        decide["data"]["content_sha256"]["approved_payload"], want,
        "{decide}"
    );
    verifies(&t).await;

    // Everyone in a quorum approves the same payload: no edits.
    let (_, q) = t.approval(json!({"required_approvals": 2})).await;
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (s, e) = t
        .post(
            &format!("/api/v1/approvals/{}/decide", q["id"].as_str().unwrap()),
            &decider,
            json!({"decision": "approve", "payload": {"amount": 1}}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "payload");
}

#[tokio::test]
async fn a_policy_that_approves_by_itself_leaves_a_quorum_to_the_people_it_asks_for() {
    let t = TestApp::spawn().await;
    let (_, bo) = t
        .signed_in("bo@acme.test", "Bo", &["billing_manager"])
        .await;
    // One policy cannot both ask for several people and approve alone.
    let (s, e) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Both", "condition": "true",
                                 "actions": {"auto_resolve": "approve", "required_approvals": 2}}]}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["field"],
        "policies[0].actions.auto_resolve"
    );
    let (s, e) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Approve small ones", "condition": "payload.amount < 50",
                                 "actions": {"auto_resolve": "approve"}}]}),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    // A plain approval is approved by the policy, as before.
    let (_, plain) = t.approval(json!({"payload": {"amount": 5}})).await;
    assert_eq!(plain["status"], "approved", "{plain}");
    // The agent asked for three people: the policy is not three people.
    let (_, q) = t
        .approval(json!({"payload": {"amount": 5}, "required_approvals": 3}))
        .await;
    assert_eq!(q["status"], "pending", "{q}");
    let id = q["id"].as_str().unwrap();
    let evs = events_of(&t, id).await;
    assert_eq!(count(&evs, "decide"), 0, "{evs:?}");
    assert_eq!(evs[0]["data"]["route"]["auto_resolve_skipped"], "quorum");
    assert!(evs[0]["data"]["route"]["auto_resolve"].is_null());
    // It waits for people: Bo's approve is the first of the three.
    let (s, body) = approve_as(&t, &bo, id).await;
    assert_eq!(s, 200, "{body}");
    let (_, q) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(
        (
            q["status"].as_str(),
            q["approvals"].as_array().map(Vec::len)
        ),
        (Some("pending"), Some(1)),
        "{q}"
    );
    // A deny needs nobody's agreement: it settles a quorum approval as the first deny would.
    let (s, e) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Deny test refunds", "condition": "payload.amount == 0",
                                 "actions": {"auto_resolve": "deny"}}]}),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (_, d) = t
        .approval(json!({"payload": {"amount": 0}, "required_approvals": 3}))
        .await;
    assert_eq!(d["status"], "denied", "{d}");
    verifies(&t).await;
}
