//! Where the seeds fix a name or a shape, tapin follows the seed (issue 14 §4):
//! seed 000's takeover statuses, seed 003's leads, scope and escalation
//! answer, seed 004's assignee link and webhook fields.

use crate::common::{error_code, sql_text, takeover_body, TestApp};
use crate::sinks::smtp_sink;
use serde_json::{json, Value};
use tapin::service::orgs;

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

fn field(body: &Value) -> Option<&str> {
    body["error"]["fields"][0]["field"].as_str()
}

#[tokio::test]
async fn status_requested_lists_takeovers_only() {
    let t = TestApp::spawn().await;
    let (_, takeover) = t.takeover(0).await;
    let (_, approval) = t.approval(json!({})).await;
    let (s, page) = t.get("/api/v1/handoffs?status=requested", &t.key).await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(ids(&page), [takeover["id"].as_str().unwrap()]);
    assert_eq!(page["data"][0]["status"], "requested");
    // A lifecycle state still lists every kind.
    let (_, created) = t.get("/api/v1/handoffs?status=created", &t.key).await;
    // (an approval's id is its handoff's)
    assert_eq!(ids(&created).len(), 2, "{created}");
    assert!(ids(&created).contains(&approval["id"].as_str().unwrap().to_string()));
    // A takeover status with another kind contradicts itself.
    let (s, bad) = t
        .get("/api/v1/handoffs?status=requested&kind=approval", &t.key)
        .await;
    assert_eq!((s, field(&bad)), (422, Some("status")), "{bad}");
}

#[tokio::test]
async fn a_lead_is_recorded_and_escalated_with_the_seed_scope() {
    let t = TestApp::spawn().await;
    let leads_key = t.key_in(&t.org_id, &["leads:write", "read"]).await;
    let (s, lead) = t
        .post(
            "/api/v1/leads",
            &leads_key,
            json!({"name": "Alex Doe", "email": "Alex@Example.com", "phone": "+1 (415) 555-0100", "source": "web_chat"}),
        )
        .await;
    assert_eq!(s, 201, "{lead}");
    let id = lead["id"].as_str().unwrap().to_string();
    assert_eq!(
        lead["conversation_id"], lead["id"],
        "a lead is its conversation"
    );
    assert_eq!(lead["email"], "alex@example.com");
    let (s, read) = t.get(&format!("/api/v1/leads/{id}"), &leads_key).await;
    assert_eq!((s, &read["name"]), (200, &json!("Alex Doe")));
    let (s, conv) = t.get(&format!("/api/v1/conversations/{id}"), &t.key).await;
    assert_eq!((s, &conv["status"]), (200, &json!("active")));

    // leads:write escalates the lead (seed 003) but creates nothing else.
    let (s, esc) = t
        .post(
            &format!("/api/v1/leads/{id}/handoff"),
            &leads_key,
            json!({"reason": "no-response-7d"}),
        )
        .await;
    assert_eq!(s, 200, "{esc}");
    assert_eq!(
        (&esc["lead_id"], &esc["conversation_status"]),
        (&json!(id), &json!("awaiting_human"))
    );
    assert_eq!(esc["notified_channel"], Value::Null, "no Slack, no SMTP");
    let cid = t.conversation().await;
    let (s, refused) = t
        .post("/api/v1/handoffs", &leads_key, takeover_body(&cid))
        .await;
    assert_eq!((s, error_code(&refused)), (403, "forbidden"));

    // An existing conversation becomes a lead once.
    let (s, second) = t
        .post("/api/v1/leads", &leads_key, json!({"conversation_id": cid}))
        .await;
    assert_eq!((s, second["id"].as_str()), (201, Some(cid.as_str())));
    let (s, again) = t
        .post("/api/v1/leads", &leads_key, json!({"conversation_id": cid}))
        .await;
    assert_eq!(
        (s, again["error"]["reason"].as_str()),
        (409, Some("lead_exists")),
        "{again}"
    );
}

#[tokio::test]
async fn bad_leads_are_refused_by_field_and_write_nothing() {
    let t = TestApp::spawn().await;
    let other = t.other_org_key("globex", &["admin"]).await;
    let (_, foreign) = t.post("/api/v1/conversations", &other, json!({})).await;
    let count = "SELECT COUNT(*) FROM conversations";
    let before = t.db_rows::<(i64,)>(count).await[0].0;
    for (body, named) in [
        (json!({"email": "not an address"}), "email"),
        (json!({"phone": "call me maybe"}), "phone"),
        (json!({"name": "x".repeat(201)}), "name"),
        (json!({"conversation_id": foreign["id"]}), "conversation_id"),
        (json!({"conversation_id": "nope"}), "conversation_id"),
        (json!({"nickname": "Al"}), "nickname"),
    ] {
        let (s, e) = t.post("/api/v1/leads", &t.key, body.clone()).await;
        assert_eq!((s, field(&e)), (422, Some(named)), "{body} → {e}");
    }
    assert_eq!(
        t.db_rows::<(i64,)>(count).await[0].0,
        before,
        "no conversation was started"
    );
    let leads: Vec<(i64,)> = t.db_rows("SELECT COUNT(*) FROM leads").await;
    assert_eq!(leads[0].0, 0);
}

#[tokio::test]
async fn a_handoff_created_with_an_assignee_answers_with_that_operators_link() {
    let t = TestApp::spawn().await;
    let sam = orgs::create_operator(&t.app, &t.org_id, "sam@acme.test", "Sam", vec![])
        .await
        .unwrap();
    let cid = t.conversation().await;
    let mut body = takeover_body(&cid);
    body["assignee"] = json!("Sam@acme.test");
    let (s, h) = t.post("/api/v1/handoffs", &t.key, body).await;
    assert_eq!(s, 201, "{h}");
    let hid = h["id"].as_str().unwrap();
    assert_eq!(
        (&h["status"], h["assignee"].as_str()),
        (&json!("assigned"), Some(sam.id.as_str()))
    );
    let url = h["mobile_url"].as_str().expect("a signed link");
    assert!(url.starts_with(&format!("{}/m/{hid}?t=", t.base)), "{url}");
    // The link is Sam's and works once.
    let token = url.split("?t=").nth(1).unwrap();
    let open = |t: &TestApp| {
        t.client
            .post(format!("{}/m/{hid}/open", t.base))
            .form(&[("t", token)])
            .send()
    };
    let first = open(&t).await.unwrap();
    assert_eq!(first.status(), 303);
    assert!(first.headers().get("set-cookie").is_some());
    let second = open(&t).await.unwrap();
    assert_eq!(
        second.headers()["location"].to_str().unwrap(),
        format!("/m/{hid}?problem=used"),
        "single use"
    );
    assert!(second.headers().get("set-cookie").is_none());
    // The audit row says which key the link went to.
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    let assign = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "assign")
        .expect("an assign event");
    assert!(assign["data"]["link_issued_to"]
        .as_str()
        .unwrap()
        .starts_with("api_key:"));

    // Without an assignee there is no link; an unknown one writes nothing.
    let (_, plain) = t.takeover(0).await;
    assert_eq!(plain["mobile_url"], Value::Null);
    let before: Vec<(i64,)> = t.db_rows("SELECT COUNT(*) FROM handoffs").await;
    let mut body = takeover_body(&t.conversation().await);
    body["assignee"] = json!("nobody@acme.test");
    let (s, e) = t.post("/api/v1/handoffs", &t.key, body).await;
    assert_eq!((s, field(&e)), (422, Some("assignee")), "{e}");
    let after: Vec<(i64,)> = t.db_rows("SELECT COUNT(*) FROM handoffs").await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_escalation_answer_names_the_channel_that_was_used() {
    let (smtp, _mails) = smtp_sink().await;
    let t = TestApp::spawn_with(|c| c.smtp_url = smtp.clone()).await;
    let ann = orgs::create_operator(&t.app, &t.org_id, "ann@acme.test", "Ann", vec![])
        .await
        .unwrap();
    let (s, _) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{}/channels", ann.id),
            json!({"channels": {"low": ["email"], "medium": ["email"], "high": ["email"], "urgent": ["email"]}}),
        )
        .await;
    assert_eq!(s, 200);
    let cid = t.conversation().await;
    let (s, esc) = t
        .post(
            &format!("/api/v1/conversations/{cid}/escalate"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{esc}");
    assert_eq!(esc["notified_channel"], "email");
}

/// The payload `data` of the outbox row with `topic` for the handoff.
async fn payload(t: &TestApp, hid: &str, topic: &str) -> Value {
    let rows: Vec<(String,)> = t
        .db_rows(&format!(
            "SELECT payload FROM outbox WHERE handoff_id = {} AND topic = {}",
            sql_text(hid),
            sql_text(topic)
        ))
        .await;
    let row = rows
        .first()
        .unwrap_or_else(|| panic!("no {topic} for {hid}"));
    serde_json::from_str::<Value>(&row.0).unwrap()["data"].clone()
}

#[tokio::test]
async fn webhook_payloads_carry_seed_004s_fields_for_every_kind() {
    let t = TestApp::spawn().await;
    let _hooks = t.subscribe_all().await;
    let (_, h) = t.takeover(0).await;
    let hid = h["id"].as_str().unwrap();
    let created = payload(&t, hid, "handoff.created").await;
    assert_eq!(created["interruption_type"], "takeover");
    assert!(created["agent_id"]
        .as_str()
        .unwrap()
        .starts_with("api_key:"));
    assert_eq!(created["created_at"], h["created_at"]);
    assert!(created.get("domain").is_some());

    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (_, a) = t.approval(json!({})).await;
    let aid = a["id"].as_str().unwrap();
    let (s, d) = t
        .post(
            &format!("/api/v1/approvals/{aid}/decide"),
            &decider,
            json!({"decision": "approve"}),
        )
        .await;
    assert_eq!(s, 200, "{d}");
    let solved = payload(&t, aid, "approval.decided").await;
    assert_eq!(solved["decision"], "approved");
    assert!(solved["human_assist_seconds"].as_i64().unwrap() >= 0);
    assert!(solved["solved_at"].is_string());
    assert_eq!(solved["operator_id"], Value::Null, "decided by a key");
}
