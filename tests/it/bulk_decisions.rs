//! Out of approval fatigue (issue 14 §3): several approvals decided at once
//! from the inbox (with and without script) and the API, each its own
//! decision; "approve similar" (preview, then one audited policy); the live
//! quorum line's server function; the routing form's approval actions.

use crate::common::TestApp;
use serde_json::{json, Value};

/// A server function called as an island calls it.
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

/// A form posted by a browser without script: answers (status, Location).
async fn post_plain(t: &TestApp, name: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = t
        .client
        .post(format!("{}/fn/{name}", t.base))
        .header("cookie", cookie)
        .header("accept", "text/html,application/xhtml+xml")
        .form(form)
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), location)
}

async fn page(t: &TestApp, path: &str, cookie: &str) -> String {
    let res = t
        .client
        .get(format!("{}{path}", t.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{path}");
    res.text().await.unwrap()
}

async fn approval_id(t: &TestApp, extra: Value) -> String {
    t.approval(extra).await.1["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn status(t: &TestApp, id: &str) -> Value {
    let (s, a) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(s, 200, "{a}");
    a
}

async fn events(t: &TestApp, id: &str) -> Vec<Value> {
    let (s, e) = t
        .get(&format!("/api/v1/handoffs/{id}/events"), &t.key)
        .await;
    assert_eq!(s, 200, "{e}");
    e.as_array().unwrap().clone()
}

async fn verifies(t: &TestApp) {
    let results = tapin::service::audit::verify(&t.app, Some("acme"), None)
        .await
        .unwrap();
    assert!(results[0].result.is_ok(), "{:?}", results[0].result);
}

fn rows(result: &Value) -> Vec<(String, String)> {
    result["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_inbox_approves_several_each_as_its_own_decision_and_says_what_it_could_not() {
    let t = TestApp::spawn().await;
    let (ann, cookie) = t
        .signed_in("ann@acme.test", "Ann", &["billing_manager"])
        .await;
    let plain1 = approval_id(&t, json!({})).await;
    let plain2 = approval_id(&t, json!({"subject_ref": "refund.partial"})).await;
    let own = approval_id(&t, json!({"requested_by": ann, "four_eyes": true})).await;
    let quorum = approval_id(&t, json!({"required_approvals": 2})).await;
    let other_role = approval_id(&t, json!({"approver_role": "finance_lead"})).await;
    let question = approval_id(
        &t,
        json!({"subject_kind": "question", "subject_ref": "Which plan?",
               "response_schema": {"type": "string", "enum": ["basic", "pro"]}}),
    )
    .await;
    let gone = approval_id(&t, json!({})).await;
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{gone}/cancel"),
            &t.key,
            json!({}),
        )
        .await;
    assert!(s < 300, "{s}");

    // The inbox offers a checkbox per pending approval, bound to the bulk form.
    let inbox = page(&t, "/inbox", &cookie).await;
    assert!(inbox.contains("action=\"/fn/inbox_decide\""), "{inbox}");
    assert_eq!(inbox.matches("name=\"ids[]\"").count(), 6, "{inbox}");
    assert!(inbox.contains("form=\"bulk\""));

    // As the island posts it (`ids[0]`, `ids[1]`, …), with one note.
    let ids = [
        &plain1,
        &plain2,
        &own,
        &quorum,
        &other_role,
        &question,
        &gone,
    ];
    let mut form: Vec<(String, String)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("ids[{i}]"), id.to_string()))
        .collect();
    form.push(("approve".into(), "true".into()));
    form.push(("note".into(), "Checked the batch".into()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (s, result) = call(&t, "inbox_decide", &cookie, &form).await;
    assert_eq!(s, 200, "{result}");
    assert_eq!(
        result["summary"],
        "2 approved, 1 voted (quorum), 4 refused: four-eyes, needs another role, no longer pending, needs a typed answer",
        "{result}"
    );
    let outcomes = rows(&result);
    assert_eq!(
        outcomes.iter().map(|(_, o)| o.as_str()).collect::<Vec<_>>(),
        ["approved", "approved", "refused", "voted", "refused", "refused", "refused"]
    );
    let words: Vec<&str> = result["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["words"].as_str().unwrap())
        .collect();
    assert!(words[2].contains("four-eyes"), "{words:?}");
    assert!(words[3].contains("1 of 2 approved"), "{words:?}");
    assert!(words[4].contains("`finance_lead`"), "{words:?}");

    // Each is its own decision: its own event, by Ann, with the note.
    for id in [&plain1, &plain2] {
        let a = status(&t, id).await;
        assert_eq!(
            (a["status"].as_str(), a["decision_note"].as_str()),
            (Some("approved"), Some("Checked the batch"))
        );
        let ev = events(&t, id).await;
        let decide: Vec<&Value> = ev.iter().filter(|e| e["event"] == "decide").collect();
        assert_eq!(decide.len(), 1);
        assert_eq!(decide[0]["actor"], format!("operator:{ann}"));
    }
    assert_eq!(status(&t, &quorum).await["status"], "pending");
    assert_eq!(
        events(&t, &quorum)
            .await
            .iter()
            .filter(|e| e["event"] == "vote")
            .count(),
        1
    );
    for id in [&own, &other_role, &question] {
        assert_eq!(status(&t, id).await["status"], "pending", "{id}");
    }

    // Again: the quorum approval refuses a second vote; the decided ones are no longer pending.
    let (s, again) = call(
        &t,
        "inbox_decide",
        &cookie,
        &[
            ("ids[0]", &quorum),
            ("ids[1]", &plain1),
            ("approve", "true"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(
        again["summary"],
        "2 refused: no longer pending, already approved by you"
    );
    verifies(&t).await;
}

#[tokio::test]
async fn a_request_is_refused_whole_for_no_ids_too_many_or_a_deny_without_a_note() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t
        .signed_in("ann@acme.test", "Ann", &["billing_manager"])
        .await;
    let id = approval_id(&t, json!({})).await;
    let (s, e) = call(&t, "inbox_decide", &cookie, &[("approve", "true")]).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("ids"))
    );
    let (s, e) = call(
        &t,
        "inbox_decide",
        &cookie,
        &[("ids[0]", &id), ("approve", "false")],
    )
    .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("note"))
    );
    let many: Vec<String> = (0..101)
        .map(|n| format!("0192f0c2-7a4e-7cc0-8d3b-{n:012}"))
        .collect();
    let mut form: Vec<(String, String)> = many
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("ids[{i}]"), id.clone()))
        .collect();
    form.push(("approve".into(), "true".into()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (s, e) = call(&t, "inbox_decide", &cookie, &form).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("ids[100]")),
        "{e}"
    );
    assert_eq!(status(&t, &id).await["status"], "pending");
    // Signed out: 401, nothing decided.
    let (s, _) = call(
        &t,
        "inbox_decide",
        "",
        &[("ids[0]", &id), ("approve", "true")],
    )
    .await;
    assert_eq!(s, 401);
    assert_eq!(status(&t, &id).await["status"], "pending");
}

#[tokio::test]
async fn without_script_the_form_posts_and_the_inbox_shows_the_result() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t
        .signed_in("ann@acme.test", "Ann", &["billing_manager"])
        .await;
    let hostile = "<img src=x onerror=alert(1)>";
    let a = approval_id(&t, json!({"subject_ref": hostile})).await;
    let b = approval_id(&t, json!({})).await;
    let c = approval_id(&t, json!({})).await;

    // `?select=all` ticks every visible approval (no script to do it).
    let inbox = page(&t, "/inbox?select=all", &cookie).await;
    assert_eq!(inbox.matches("checked").count(), 3, "{inbox}");
    assert!(!inbox.contains(hostile), "escaped");
    assert!(inbox.contains("&lt;img src=x onerror=alert(1)&gt;"));

    // The checkboxes as a browser posts them (`ids[]`), the Deny button's value.
    let (s, location) = post_plain(
        &t,
        "inbox_decide",
        &cookie,
        &[
            ("ids[]", a.as_str()),
            ("ids[]", b.as_str()),
            ("note", "Not today"),
            ("approve", "false"),
        ],
    )
    .await;
    assert_eq!(s, 302);
    assert_eq!(location, format!("/inbox?done={a}.denied,{b}.denied"));
    let shown = page(&t, &location, &cookie).await;
    assert!(shown.contains("data-testid=\"bulk-result\""), "{shown}");
    assert!(shown.contains("2 denied"), "{shown}");
    assert!(!shown.contains(hostile));
    assert_eq!(status(&t, &a).await["decision_note"], "Not today");
    assert_eq!(status(&t, &c).await["status"], "pending");

    // A deny without a note comes back with why, and decides nothing.
    let (s, location) = post_plain(
        &t,
        "inbox_decide",
        &cookie,
        &[("ids[]", c.as_str()), ("note", ""), ("approve", "false")],
    )
    .await;
    assert_eq!((s, location.as_str()), (302, "/inbox?bulk_error=note"));
    let shown = page(&t, &location, &cookie).await;
    assert!(shown.contains("Say why you deny"), "{shown}");
    assert_eq!(status(&t, &c).await["status"], "pending");

    // A result link is typed by whoever sends it: another organization's
    // approval reads as unknown, and nothing of it is shown.
    let other = t.other_org_key("globex", &["admin"]).await;
    let (_, conv) = t.post("/api/v1/conversations", &other, json!({})).await;
    let (s, theirs) = t
        .post(
            "/api/v1/approvals",
            &other,
            json!({"conversation_id": conv["id"], "subject_kind": "tool_call", "subject_ref": "globex.secret"}),
        )
        .await;
    assert_eq!(s, 201, "{theirs}");
    let theirs = theirs["id"].as_str().unwrap();
    let shown = page(&t, &format!("/inbox?done={theirs}.approved,junk"), &cookie).await;
    assert!(!shown.contains("globex.secret"));
    assert!(shown.contains("An unknown approval"), "{shown}");
    assert!(shown.contains("1 refused: not found"), "{shown}");
}

#[tokio::test]
async fn the_api_decides_many_with_the_same_rules_as_one() {
    let t = TestApp::spawn().await;
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let reader = t.key_in(&t.org_id, &["read"]).await;
    let a = approval_id(&t, json!({"approver_role": null})).await;
    let b = approval_id(&t, json!({"approver_role": null, "required_approvals": 2})).await;
    let other = t.other_org_key("globex", &["admin"]).await;
    let (_, conv) = t.post("/api/v1/conversations", &other, json!({})).await;
    let (_, theirs) = t
        .post(
            "/api/v1/approvals",
            &other,
            json!({"conversation_id": conv["id"], "subject_kind": "tool_call", "subject_ref": "x"}),
        )
        .await;
    let theirs = theirs["id"].as_str().unwrap();

    let (s, e) = t
        .post(
            "/api/v1/approvals/decide",
            &reader,
            json!({"ids": [a], "decision": "approve"}),
        )
        .await;
    assert_eq!(s, 403, "{e}");
    // The key that requested them cannot decide them: reported per approval.
    let (s, r) = t
        .post(
            "/api/v1/approvals/decide",
            &t.key,
            json!({"ids": [a], "decision": "approve"}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        r["results"][0],
        json!({"id": a, "outcome": "refused", "reason": "self_approval",
               "message": r["results"][0]["message"], "status": "pending"})
    );
    let (s, r) = t
        .post(
            "/api/v1/approvals/decide",
            &decider,
            json!({"ids": [a, b, a, theirs, "not-a-uuid"], "decision": "approve", "note": "ok"}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        r["summary"],
        "1 approved, 1 voted (quorum), 2 refused: not found"
    );
    let outcome: Vec<(&str, &str)> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["outcome"].as_str().unwrap(),
                i["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        outcome,
        [
            ("approved", ""),
            ("voted", ""),
            ("refused", "not_found"),
            ("refused", "not_found")
        ],
        "an id given twice counts once"
    );
    assert_eq!(r["results"][0]["status"], "approved");
    assert_eq!(r["results"][1]["message"], "1 of 2 approved");
    // Bounds: none, more than 100, unknown fields; nothing is decided.
    let (s, e) = t
        .post(
            "/api/v1/approvals/decide",
            &decider,
            json!({"ids": [], "decision": "deny"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("ids"))
    );
    let many: Vec<String> = (0..101)
        .map(|n| format!("0192f0c2-7a4e-7cc0-8d3b-{n:012}"))
        .collect();
    let (s, e) = t
        .post(
            "/api/v1/approvals/decide",
            &decider,
            json!({"ids": many, "decision": "deny"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("ids[100]"))
    );
    let (s, _) = t
        .post(
            "/api/v1/approvals/decide",
            &decider,
            json!({"ids": [b], "decision": "approve", "extra": 1}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(status(&t, &b).await["status"], "pending");
    // The OpenAPI document describes it.
    let (_, doc) = t.get("/api/v1/openapi.json", &t.key).await;
    assert_eq!(
        doc["paths"]["/api/v1/approvals/decide"]["post"]["operationId"],
        "decide_approvals"
    );
    verifies(&t).await;
}

/// Approves approval `id` on the page as `cookie`'s operator.
async fn approve(t: &TestApp, cookie: &str, id: &str) {
    let (s, r) = call(t, "decide", cookie, &[("id", id), ("approve", "true")]).await;
    assert_eq!(s, 200, "{r}");
}

#[tokio::test]
async fn approve_similar_shows_what_it_would_match_then_adds_one_audited_policy() {
    let t = TestApp::spawn().await;
    let (admin, admin_cookie) = t
        .signed_in("ada@acme.test", "Ada", &["admin", "billing_manager"])
        .await;
    let (_, ann_cookie) = t
        .signed_in("ann@acme.test", "Ann", &["billing_manager"])
        .await;
    let other_agent = t.key_in(&t.org_id, &["admin"]).await;
    // Three refunds from this agent (one of them denied), one other action,
    // one refund from another agent.
    let model = approval_id(&t, json!({})).await;
    let denied = approval_id(&t, json!({})).await;
    let pending = approval_id(&t, json!({})).await;
    let _lookup = approval_id(&t, json!({"subject_ref": "orders.lookup"})).await;
    let cid = t.conversation().await;
    let (s, theirs) = t
        .post(
            "/api/v1/approvals",
            &other_agent,
            json!({"conversation_id": cid, "subject_kind": "tool_call", "subject_ref": "refund.create"}),
        )
        .await;
    assert_eq!(s, 201, "{theirs}");
    approve(&t, &admin_cookie, &model).await;
    let (s, r) = call(
        &t,
        "decide",
        &admin_cookie,
        &[("id", &denied), ("approve", "false"), ("note", "too much")],
    )
    .await;
    assert_eq!(s, 200, "{r}");

    // Offered to an admin on the approved one; not to others, nor on a pending one.
    let html = page(&t, &format!("/m/{model}"), &admin_cookie).await;
    assert!(html.contains("data-testid=\"similar-preview\""), "{html}");
    assert!(!page(&t, &format!("/m/{model}"), &ann_cookie)
        .await
        .contains("data-testid=\"similar\""));
    assert!(!page(&t, &format!("/m/{pending}"), &admin_cookie)
        .await
        .contains("data-testid=\"similar\""));

    // The preview: the condition, in words and as written, and what it matches.
    let html = page(&t, &format!("/m/{model}?similar=preview"), &admin_cookie)
        .await
        .replace("&#x27;", "'")
        .replace("&#39;", "'");
    let key_id = events(&t, &model).await[0]["actor"]
        .as_str()
        .unwrap()
        .to_string();
    let condition = format!(
        "kind == 'approval' and subject_kind == 'tool_call' and subject_ref == 'refund.create' and requester == '{key_id}'"
    );
    assert!(html.contains(&condition), "{html}");
    assert!(html.contains("requested by the key “test”"), "{html}");
    assert!(
        html.contains("It would have matched 3 of the last 5 approvals"),
        "{html}"
    );
    assert!(html.contains("(1 approved, 1 denied, 1 pending)"), "{html}");
    assert!(html.contains("A person denied 1 of them"), "{html}");

    // Only an admin creates it.
    let (s, _) = call(&t, "approve_similar", &ann_cookie, &[("id", &model)]).await;
    assert_eq!(s, 403);
    let (s, e) = call(&t, "approve_similar", &admin_cookie, &[("id", &pending)]).await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("not_a_model"))
    );
    let (s, location) = post_plain(&t, "approve_similar", &admin_cookie, &[("id", &model)]).await;
    assert_eq!(
        (s, location.as_str()),
        (302, format!("/m/{model}?similar=created#similar").as_str())
    );
    let html = page(&t, &format!("/m/{model}?similar=created"), &admin_cookie).await;
    assert!(
        html.contains("Created the policy “Approve similar: refund.create”"),
        "{html}"
    );
    let (_, policies) = t.get("/api/v1/policies", &t.key).await;
    let list = policies["data"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["condition"], condition.as_str());
    assert_eq!(list[0]["actions"], json!({"auto_resolve": "approve"}));
    // Recorded: who added it, what, modelled on which approval.
    let (_, log) = t.get("/api/v1/audit/security", &t.key).await;
    let entry = &log["data"][0];
    assert_eq!(entry["action"], "routing.policy_added");
    assert_eq!(entry["actor"], format!("operator:{admin}"));
    assert_eq!(entry["data"]["approve_similar_to"], model.as_str());
    assert_eq!(entry["data"]["condition"], condition.as_str());

    // It works: this agent's next refund is approved by the policy; another
    // agent's, or another action, still waits for a person.
    let next = approval_id(&t, json!({})).await;
    let a = status(&t, &next).await;
    assert_eq!(a["status"], "approved", "{a}");
    assert!(a["decided_by"].as_str().unwrap().starts_with("policy:"));
    assert_eq!(
        status(
            &t,
            &approval_id(&t, json!({"subject_ref": "orders.lookup"})).await
        )
        .await["status"],
        "pending"
    );
    let cid = t.conversation().await;
    let (_, theirs) = t
        .post(
            "/api/v1/approvals",
            &other_agent,
            json!({"conversation_id": cid, "subject_kind": "tool_call", "subject_ref": "refund.create"}),
        )
        .await;
    assert_eq!(theirs["status"], "pending");

    // Once is enough: a second time is refused, and the list is unchanged.
    let (s, location) = post_plain(&t, "approve_similar", &admin_cookie, &[("id", &model)]).await;
    assert_eq!(
        (s, location),
        (302, format!("/m/{model}?similar=exists#similar"))
    );
    let (_, policies) = t.get("/api/v1/policies", &t.key).await;
    assert_eq!(policies["data"].as_array().unwrap().len(), 1);
    let html = page(&t, &format!("/m/{model}?similar=preview"), &admin_cookie).await;
    assert!(html.contains("already does this"), "{html}");
    verifies(&t).await;
}

#[tokio::test]
async fn a_hostile_subject_stays_text_in_the_preview_and_exact_in_the_condition() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t.signed_in("ada@acme.test", "Ada", &["admin"]).await;
    let hostile = "x' or true or '<script>alert(1)</script>";
    let id = approval_id(&t, json!({"subject_ref": hostile, "approver_role": null})).await;
    approve(&t, &cookie, &id).await;
    let html = page(&t, &format!("/m/{id}?similar=preview"), &cookie).await;
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(
        html.contains("It would have matched 1 of the last 1 approvals"),
        "{html}"
    );
    let (s, _) = call(&t, "approve_similar", &cookie, &[("id", &id)]).await;
    assert_eq!(s, 200);
    // The quote cannot widen the condition: a plain `x` is not approved.
    let plain = approval_id(&t, json!({"subject_ref": "x", "approver_role": null})).await;
    assert_eq!(status(&t, &plain).await["status"], "pending");
    let same = approval_id(&t, json!({"subject_ref": hostile, "approver_role": null})).await;
    assert_eq!(status(&t, &same).await["status"], "approved");
}

#[tokio::test]
async fn the_quorum_line_reloads_with_names_after_a_vote() {
    let t = TestApp::spawn().await;
    let (_, ann) = t
        .signed_in("ann@acme.test", "Ann Ames", &["billing_manager"])
        .await;
    let (_, bob) = t
        .signed_in("bob@acme.test", "Bob Burr", &["billing_manager"])
        .await;
    let id = approval_id(&t, json!({"required_approvals": 3})).await;
    let html = page(&t, &format!("/m/{id}"), &bob).await;
    assert!(html.contains("0 of 3 approved"), "{html}");
    approve(&t, &ann, &id).await;
    // What Bob's open page asks for when the stream says someone voted.
    let (s, line) = call(&t, "quorum_line", &bob, &[("id", &id)]).await;
    assert_eq!((s, line), (200, json!(["1 of 3 approved", ["Ann Ames"]])));
    let plain = approval_id(&t, json!({})).await;
    let (s, line) = call(&t, "quorum_line", &bob, &[("id", &plain)]).await;
    assert_eq!((s, line), (200, Value::Null));
    let (s, _) = call(&t, "quorum_line", "", &[("id", &id)]).await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn the_routing_form_sets_the_approval_actions_too() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t.signed_in("ada@acme.test", "Ada", &["admin"]).await;
    let form = |quorum: &'static str| {
        vec![
            ("name", "Big refunds"),
            ("condition", "kind == 'approval' and payload.amount > 100"),
            ("route", ""),
            ("priority", ""),
            ("auto_resolve", ""),
            ("expire_after_seconds", ""),
            ("approver_role", "finance_lead"),
            ("four_eyes", "true"),
            ("required_approvals", quorum),
        ]
    };
    let (s, e) = call(&t, "routing_add_policy", &cookie, &form("11")).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("required_approvals")),
        "{e}"
    );
    let (s, e) = call(&t, "routing_add_policy", &cookie, &form("two")).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("required_approvals"))
    );
    let (s, e) = call(&t, "routing_add_policy", &cookie, &form("2")).await;
    assert_eq!(s, 200, "{e}");
    let (_, policies) = t.get("/api/v1/policies", &t.key).await;
    assert_eq!(
        policies["data"][0]["actions"],
        json!({"four_eyes": true, "required_approvals": 2, "approver_role": "finance_lead"})
    );
    let html = page(&t, "/admin/routing", &cookie).await;
    assert!(
        html.contains("decided by the role finance_lead, four-eyes, 2 approvals needed"),
        "{html}"
    );
    for field in [
        "name=\"approver_role\"",
        "name=\"four_eyes\"",
        "name=\"required_approvals\"",
    ] {
        assert!(html.contains(field), "{field}");
    }
    // And it applies: a big refund needs two approvals from the finance lead role.
    let (_, a) = t.approval(json!({"payload": {"amount": 500}})).await;
    assert_eq!(
        (
            a["required_approvals"].as_i64(),
            a["four_eyes"].as_bool(),
            a["approver_role"].as_str()
        ),
        (Some(2), Some(true), Some("finance_lead"))
    );
}
