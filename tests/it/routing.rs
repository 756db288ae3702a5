//! Routing and delivery: policies pick an escalation chain, each step notifies
//! operators on the channels they chose (email to a local SMTP sink, SMS and
//! Slack to local HTTP receivers), unanswered steps escalate, an exhausted
//! chain expires the handoff, timers survive a restart and fire once, and
//! opening the link stops everything.

use crate::common::{error_code, takeover_body, TestApp};
use crate::sinks::{http_sink, next, smtp_sink, Mail};
use chrono::{Duration, Utc};
use serde_json::{json, Value};
use tapin::service::orgs;
use tapin::workers::timers;

async fn operator(t: &TestApp, email: &str, name: &str, roles: &[&str]) -> String {
    let roles = roles.iter().map(|r| r.to_string()).collect();
    orgs::create_operator(&t.app, &t.org_id, email, name, roles)
        .await
        .unwrap()
        .id
}

async fn events(t: &TestApp, hid: &str) -> Vec<Value> {
    let (s, body) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    assert_eq!(s, 200, "{body}");
    body.as_array().expect("a list of events").clone()
}

fn names(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect()
}

/// Polls the audit log until `event` appears (the first step is sent off the request path).
async fn wait_for(t: &TestApp, hid: &str, event: &str) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let evs = events(t, hid).await;
        if names(&evs).iter().any(|n| n == event) {
            return evs;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no `{event}` within 20 s: {:?}",
            names(&evs)
        );
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn put_policies(t: &TestApp, policies: Value) -> (u16, Value) {
    t.send_json("PUT", "/api/v1/policies", json!({ "policies": policies }))
        .await
}

/// The next mail about work (security notices about changed contact details
/// are passed over; `tests/it/security_caps.rs` looks at those).
async fn next_mail(mails: &mut tokio::sync::mpsc::UnboundedReceiver<Mail>) -> Mail {
    loop {
        let m = next(mails).await;
        if !m.data.contains("Your contact details changed") {
            return m;
        }
    }
}

fn link_in(text: &str, hid: &str) -> String {
    let start = text
        .find(&format!("/m/{hid}?t="))
        .expect("a link to the handoff");
    let tail = &text[start..];
    let end = tail
        .find(|c: char| c.is_whitespace() || c == '>' || c == '|' || c == '"')
        .unwrap_or(tail.len());
    tail[..end].to_string()
}

#[tokio::test]
async fn a_full_escalation_run_notifies_escalates_survives_a_restart_and_expires_once() {
    let (smtp, mut mails) = smtp_sink().await;
    let (sms_url, mut texts) = http_sink().await;
    let (slack_url, mut slack) = http_sink().await;
    let (voice_url, mut calls) = http_sink().await;
    let t = TestApp::spawn_with(|c| {
        c.smtp_url = smtp.clone();
        c.sms.url = format!("{sms_url}/sms");
        c.sms.auth_header = "Authorization: Bearer sms-secret".into();
        c.voice.url = format!("{voice_url}/call");
    })
    .await;
    let ann = operator(&t, "ann@acme.test", "Ann", &["support"]).await;
    let cy = operator(&t, "cy@acme.test", "Cy", &["support"]).await;
    let bob = operator(&t, "bob@acme.test", "Bob", &["lead"]).await;
    // Ann: email, SMS and a call when it is urgent; Bob: Slack.
    let (s, prefs) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{ann}/channels"),
            json!({"phone": "+49 151 1234 5678", "channels": {"urgent": ["email", "sms", "voice"]}}),
        )
        .await;
    assert_eq!(s, 200, "{prefs}");
    assert_eq!(prefs["phone"], "+4915112345678");
    assert_eq!(
        prefs["channels"]["low"],
        json!(["push", "email"]),
        "defaults kept"
    );
    let (s, _) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{bob}/channels"),
            json!({"channels": {"urgent": ["slack"]}}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"slack_webhook_url": format!("{slack_url}/services/T0/B0/x")}),
        )
        .await;
    assert_eq!(s, 200);

    // Ann is on call this week (the rotation started an hour ago), Cy next week.
    let (s, rot) = t
        .post(
            "/api/v1/rotations",
            &t.key,
            json!({"name": "Support", "operators": [ann, cy],
                   "starts_at": (Utc::now() - Duration::hours(1)).to_rfc3339()}),
        )
        .await;
    assert_eq!(s, 201, "{rot}");
    assert_eq!(rot["on_call_now"], json!(ann));
    let (s, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "Support escalation", "steps": [
                {"targets": [{"on_call": rot["id"]}], "wait_seconds": 300},
                {"targets": [{"role": "lead"}], "wait_seconds": 600}
            ]}),
        )
        .await;
    assert_eq!(s, 201, "{chain}");
    let (s, _) = put_policies(
        &t,
        json!([{"name": "Angry customers are urgent",
                "condition": "kind == 'takeover' and context.sentiment == 'angry'",
                "actions": {"route": chain["id"], "priority": "urgent"}}]),
    )
    .await;
    assert_eq!(s, 200);

    let cid = t.conversation().await;
    let mut body = takeover_body(&cid);
    body["packet"]["context_vars"] = json!({"sentiment": "angry"});
    let (s, h) = t.post("/api/v1/handoffs", &t.key, body).await;
    assert_eq!(s, 201, "{h}");
    let hid = h["id"].as_str().unwrap().to_string();
    assert_eq!(h["priority"], "urgent", "the policy set the priority");
    let t0 = Utc::now();

    // Step 1: Ann, by email and SMS, with a link that opens the handoff.
    let evs = wait_for(&t, &hid, "notify").await;
    let created = &evs[0];
    assert_eq!(created["data"]["route"]["chain_id"], chain["id"]);
    assert_eq!(
        created["data"]["route"]["policy_name"],
        "Angry customers are urgent"
    );
    let notified = &evs[1]["data"];
    assert_eq!(notified["step"], 1);
    assert_eq!(notified["recipients"][0]["operator_id"], json!(ann));
    assert_eq!(
        notified["recipients"][0]["channels"],
        json!(["email", "sms", "voice"])
    );
    assert_eq!(notified["operator_id"], json!(ann), "seed 004's shape");
    assert_eq!(notified["channel"], "email");
    let mail: Mail = next_mail(&mut mails).await;
    assert_eq!(mail.rcpt, vec!["<ann@acme.test>".to_string()]);
    assert!(
        mail.data
            .contains("Subject: [tapin] A customer needs a person"),
        "{}",
        mail.data
    );
    let emailed_link = link_in(&mail.data, &hid);
    let sms = next(&mut texts).await;
    assert_eq!(sms.path, "/sms");
    assert_eq!(sms.headers["authorization"], "Bearer sms-secret");
    let sms_body: Value = serde_json::from_str(&sms.body).unwrap();
    assert_eq!(sms_body["to"], "+4915112345678");
    assert!(sms_body["text"]
        .as_str()
        .unwrap()
        .contains(&format!("/m/{hid}?t=")));
    assert!(emailed_link.contains("?t="));
    let call = next(&mut calls).await;
    assert_eq!(call.path, "/call");
    let call_body: Value = serde_json::from_str(&call.body).unwrap();
    assert_eq!(call_body["to"], "+4915112345678");
    assert!(call_body["text"]
        .as_str()
        .unwrap()
        .contains("This is tapin"));

    // Nobody opens it within 5 minutes: Bob (role lead) gets it on Slack.
    assert_eq!(
        timers::tick(&t.app, t0 + Duration::seconds(299))
            .await
            .unwrap(),
        0
    );
    // Two transitions: escalate, then notify step 2.
    assert_eq!(
        timers::tick(&t.app, t0 + Duration::seconds(301))
            .await
            .unwrap(),
        2
    );
    let evs = events(&t, &hid).await;
    assert_eq!(names(&evs), ["create", "notify", "escalate", "notify"]);
    assert_eq!(evs[2]["data"]["from_operator"], json!(ann));
    assert_eq!(evs[2]["data"]["to_operator"], json!(bob));
    let msg = next(&mut slack).await;
    assert_eq!(msg.path, "/services/T0/B0/x");
    let text: Value = serde_json::from_str(&msg.body).unwrap();
    assert!(text["text"].as_str().unwrap().contains("for Bob"), "{text}");

    // The server stops mid-chain; after the restart the last step's wait runs out once.
    let restarted = t.reopen().await;
    let end = t0 + Duration::seconds(301 + 601);
    assert_eq!(timers::tick(&restarted, end).await.unwrap(), 1);
    assert_eq!(
        timers::tick(&restarted, end + Duration::hours(1))
            .await
            .unwrap(),
        0
    );
    let evs = events(&t, &hid).await;
    assert_eq!(
        names(&evs),
        ["create", "notify", "escalate", "notify", "expire"]
    );
    let expired = &evs[4];
    assert_eq!(expired["to_state"], "expired");
    assert_eq!(expired["data"]["timeout_chain_exhausted"], true);
    let (_, conv) = t.get(&format!("/api/v1/conversations/{cid}"), &t.key).await;
    assert_eq!(
        conv["status"], "active",
        "the bot gets the conversation back"
    );

    // Every send is on the handoff's record.
    let (s, sent) = t
        .get(&format!("/api/v1/handoffs/{hid}/notifications"), &t.key)
        .await;
    assert_eq!(s, 200);
    let rows: Vec<(String, String, String)> = sent["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["operator_id"].as_str().unwrap().to_string(),
                n["channel"].as_str().unwrap().to_string(),
                n["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for expected in [
        (ann.clone(), "email", "sent"),
        (ann.clone(), "sms", "sent"),
        (ann.clone(), "voice", "sent"),
        (bob.clone(), "slack", "sent"),
    ] {
        assert!(
            rows.contains(&(expected.0.clone(), expected.1.into(), expected.2.into())),
            "{expected:?} missing from {rows:?}"
        );
    }
    // The run, as the README's resolve note quotes it.
    for e in &evs {
        println!(
            "{}  {:<9} {} -> {}  next step due {}",
            e["created_at"].as_str().unwrap(),
            e["event"].as_str().unwrap(),
            e["from_state"].as_str().unwrap_or("-"),
            e["to_state"].as_str().unwrap(),
            e["data"]["next_at"].as_str().unwrap_or("-"),
        );
    }
}

#[tokio::test]
async fn opening_the_link_stops_the_escalation() {
    let (smtp, mut mails) = smtp_sink().await;
    let t = TestApp::spawn_with(|c| c.smtp_url = smtp.clone()).await;
    let ann = operator(&t, "ann@acme.test", "Ann", &[]).await;
    operator(&t, "bob@acme.test", "Bob", &["lead"]).await;
    let (_, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "Two steps", "repeat": 3, "steps": [
                {"targets": [{"operator": ann}], "wait_seconds": 60},
                {"targets": [{"role": "lead"}], "wait_seconds": 60}
            ]}),
        )
        .await;
    let (s, _) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"default_chain_id": chain["id"]}),
        )
        .await;
    assert_eq!(s, 200);
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap().to_string();
    wait_for(&t, &hid, "notify").await;
    let mail = next_mail(&mut mails).await;
    let link = link_in(&mail.data, &hid);
    let token = link.split("?t=").nth(1).unwrap();
    let res = t
        .client
        .post(format!("{}/m/{hid}/open", t.base))
        .form(&[("t", token)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let later = Utc::now() + Duration::hours(2);
    timers::tick(&t.app, later).await.unwrap();
    timers::tick(&t.app, later + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(names(&events(&t, &hid).await), ["create", "notify", "open"]);
    assert!(mails.try_recv().is_err(), "nobody is told after the open");
}

#[tokio::test]
async fn a_repeating_chain_starts_over_then_expires_the_approval() {
    let (smtp, mut mails) = smtp_sink().await;
    let t = TestApp::spawn_with(|c| c.smtp_url = smtp.clone()).await;
    operator(&t, "mia@acme.test", "Mia", &["billing_manager"]).await;
    let (_, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "Billing", "repeat": 1, "steps": [
                {"targets": [{"role": "billing_manager"}], "wait_seconds": 60}
            ]}),
        )
        .await;
    put_policies(
        &t,
        json!([{"name": "Refunds", "condition": "subject_ref == 'refund.create'",
                "actions": {"route": chain["id"]}}]),
    )
    .await;
    let (_, a) = t.approval(json!({})).await;
    let hid = a["id"].as_str().unwrap().to_string();
    wait_for(&t, &hid, "notify").await;
    next_mail(&mut mails).await;
    let t0 = Utc::now();
    assert_eq!(
        timers::tick(&t.app, t0 + Duration::seconds(61))
            .await
            .unwrap(),
        2
    );
    next_mail(&mut mails).await;
    let evs = events(&t, &hid).await;
    assert_eq!(names(&evs), ["create", "notify", "escalate", "notify"]);
    assert_eq!(evs[2]["data"]["repeat"], true);
    assert_eq!(evs[3]["data"]["round"], 2);
    assert_eq!(
        timers::tick(&t.app, t0 + Duration::seconds(200))
            .await
            .unwrap(),
        1
    );
    let (_, a) = t.get(&format!("/api/v1/approvals/{hid}"), &t.key).await;
    assert_eq!(a["status"], "expired", "{a}");
}

#[tokio::test]
async fn policies_auto_approve_known_safe_calls_and_set_expiry() {
    let t = TestApp::spawn().await;
    let (s, list) = put_policies(
        &t,
        json!([
            {"name": "Safe lookups", "condition": "kind == 'approval' and subject_ref == 'orders.lookup'",
             "actions": {"auto_resolve": "approve"}},
            {"name": "Night takeovers expire", "condition": "kind == 'takeover'",
             "actions": {"expire_after_seconds": 900, "priority": "low"}}
        ]),
    )
    .await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["data"][1]["position"], 1);

    let (_, a) = t.approval(json!({"subject_ref": "orders.lookup"})).await;
    assert_eq!(a["status"], "approved", "{a}");
    let hid = a["id"].as_str().unwrap();
    let evs = events(&t, hid).await;
    assert_eq!(names(&evs), ["create", "decide"]);
    assert_eq!(evs[1]["data"]["source"], "policy");
    assert!(evs[1]["actor"].as_str().unwrap().starts_with("policy:"));
    let (_, other) = t.approval(json!({})).await;
    assert_eq!(other["status"], "pending", "refunds still need a person");

    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    assert_eq!(h["priority"], "low");
    assert_eq!(
        timers::tick(&t.app, Utc::now() + Duration::seconds(901))
            .await
            .unwrap(),
        1
    );
    let (_, h) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(h["state"], "expired");
}

#[tokio::test]
async fn bad_policies_are_refused_by_field_and_change_nothing() {
    let t = TestApp::spawn().await;
    let (s, _) = put_policies(
        &t,
        json!([{"name": "ok", "condition": "kind == 'takeover'", "actions": {}}]),
    )
    .await;
    assert_eq!(s, 200);
    let (s, err) = put_policies(
        &t,
        json!([
            {"name": "fine", "condition": "true", "actions": {}},
            {"name": "typo", "condition": "kind == ", "actions": {"priority": "asap", "route": "nope"}}
        ]),
    )
    .await;
    assert_eq!(s, 422, "{err}");
    assert_eq!(error_code(&err), "bad_request");
    let fields: Vec<&str> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "policies[1].condition",
            "policies[1].actions.route",
            "policies[1].actions.priority"
        ]
    );
    assert!(err["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("position 8"));
    let (s, err) = put_policies(
        &t,
        json!([{"name": "x", "condition": "true", "actions": {"auto_resolve": "maybe"}}]),
    )
    .await;
    assert_eq!(s, 422, "{err}");
    assert_eq!(
        err["error"]["fields"][0]["field"],
        "policies[0].actions.auto_resolve"
    );
    let (_, list) = t.get("/api/v1/policies", &t.key).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(list["data"][0]["name"], "ok");
}

#[tokio::test]
async fn the_policy_test_box_says_what_would_happen() {
    let t = TestApp::spawn().await;
    let (_, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "Nights", "steps": [{"targets": ["everyone"], "wait_seconds": 120}]}),
        )
        .await;
    put_policies(
        &t,
        json!([
            {"name": "Broken", "condition": "context.amount > 100", "actions": {}},
            {"name": "Out of hours", "condition": "hour >= 18 or hour < 8",
             "actions": {"route": chain["id"], "priority": "high"}}
        ]),
    )
    .await;
    let (s, r) = t
        .post(
            "/api/v1/policies/test",
            &t.key,
            json!({"kind": "takeover", "packet": {"static_text": "Help"},
                   "at": "2026-11-21T22:30:00Z"}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["matched"]["name"], "Out of hours");
    assert_eq!(r["chain_name"], "Nights");
    assert_eq!(r["priority"], "high");
    assert_eq!(r["variables"]["hour"], 22);
    assert_eq!(
        r["errors"][0]["error"],
        "variable `context.amount` is not set"
    );
    let (_, r) = t
        .post(
            "/api/v1/policies/test",
            &t.key,
            json!({"kind": "takeover", "at": "2026-11-21T10:00:00Z"}),
        )
        .await;
    assert_eq!(r["matched"], Value::Null, "{r}");
    assert_eq!(r["chain_id"], Value::Null);
    let (s, err) = t
        .post("/api/v1/policies/test", &t.key, json!({"kind": "robot"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "kind");
}

#[tokio::test]
async fn rotations_overrides_and_chains_are_checked_and_guarded() {
    let t = TestApp::spawn().await;
    let ann = operator(&t, "ann@acme.test", "Ann", &[]).await;
    let bob = operator(&t, "bob@acme.test", "Bob", &[]).await;
    let start = Utc::now() - Duration::days(8);
    let (_, rot) = t
        .post(
            "/api/v1/rotations",
            &t.key,
            json!({"name": "Week", "operators": [ann, bob], "starts_at": start.to_rfc3339()}),
        )
        .await;
    let rid = rot["id"].as_str().unwrap();
    assert_eq!(rot["on_call_now"], json!(bob), "second week: Bob");
    let (s, rot) = t
        .post(
            &format!("/api/v1/rotations/{rid}/overrides"),
            &t.key,
            json!({"operator_id": ann, "starts_at": Utc::now().to_rfc3339(),
                   "ends_at": (Utc::now() + Duration::hours(4)).to_rfc3339()}),
        )
        .await;
    assert_eq!(s, 201, "{rot}");
    let (_, now) = t
        .get(
            &format!(
                "/api/v1/rotations/{rid}/on-call?at={}",
                (Utc::now() + Duration::hours(1)).format("%Y-%m-%dT%H:%M:%SZ")
            ),
            &t.key,
        )
        .await;
    assert_eq!(now["operator_id"], json!(ann), "Ann covers the shift");
    let (s, err) = t
        .post(
            &format!("/api/v1/rotations/{rid}/overrides"),
            &t.key,
            json!({"operator_id": ann, "starts_at": "2026-11-21T10:00:00Z", "ends_at": "2026-11-21T09:00:00Z"}),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "ends_at");

    let (s, err) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "Bad", "steps": [{"targets": [{"on_call": "nope"}], "wait_seconds": 0}]}),
        )
        .await;
    assert_eq!(s, 422, "{err}");
    let fields: Vec<&str> = err["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["steps[0].wait_seconds", "steps[0].targets[0].on_call"]
    );

    let (_, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "On call", "steps": [{"targets": [{"on_call": rid}], "wait_seconds": 60}]}),
        )
        .await;
    let (s, err) = t
        .send_json("DELETE", &format!("/api/v1/rotations/{rid}"), json!(null))
        .await;
    assert_eq!(s, 409, "{err}");
    put_policies(
        &t,
        json!([{"name": "p", "condition": "true", "actions": {"route": chain["id"]}}]),
    )
    .await;
    let cid = chain["id"].as_str().unwrap();
    let (s, err) = t
        .send_json(
            "DELETE",
            &format!("/api/v1/escalation-chains/{cid}"),
            json!(null),
        )
        .await;
    assert_eq!(s, 409);
    assert_eq!(err["error"]["reason"], "chain_in_use");
    let other = t.other_org_key("globex", &["admin"]).await;
    let (s, _) = t
        .get(&format!("/api/v1/escalation-chains/{cid}"), &other)
        .await;
    assert_eq!(s, 404, "another organization's chain is not found");
}

#[tokio::test]
async fn channel_choices_are_validated_by_field() {
    let t = TestApp::spawn().await;
    let ann = operator(&t, "ann@acme.test", "Ann", &[]).await;
    let path = format!("/api/v1/operators/{ann}/channels");
    let (s, err) = t
        .send_json("PUT", &path, json!({"channels": {"high": ["pager"]}}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "channels.high");
    let (s, err) = t
        .send_json("PUT", &path, json!({"channels": {"urgent": ["sms"]}}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "phone");
    let (s, err) = t
        .send_json("PUT", &path, json!({"phone": "12", "channels": {}}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(err["error"]["fields"][0]["field"], "phone");
    let (_, prefs) = t.get(&path, &t.key).await;
    assert_eq!(
        prefs["channels"]["urgent"],
        json!(["push", "email"]),
        "unchanged"
    );
}

#[tokio::test]
async fn an_unreachable_operator_is_recorded_and_the_chain_moves_on_at_once() {
    let (smtp, mut mails) = smtp_sink().await;
    let t = TestApp::spawn_with(|c| c.smtp_url = smtp.clone()).await;
    let ann = operator(&t, "ann@acme.test", "Ann", &[]).await;
    operator(&t, "bob@acme.test", "Bob", &["lead"]).await;
    // Ann wants only push and has no device.
    t.send_json(
        "PUT",
        &format!("/api/v1/operators/{ann}/channels"),
        json!({"channels": {"medium": ["push"]}}),
    )
    .await;
    let (_, chain) = t
        .post(
            "/api/v1/escalation-chains",
            &t.key,
            json!({"name": "c", "steps": [
                {"targets": [{"operator": ann}], "wait_seconds": 600},
                {"targets": [{"role": "lead"}], "wait_seconds": 600}
            ]}),
        )
        .await;
    t.send_json(
        "PUT",
        "/api/v1/routing/settings",
        json!({"default_chain_id": chain["id"]}),
    )
    .await;
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let evs = wait_for(&t, hid, "notify").await;
    assert_eq!(names(&evs), ["create", "notify"]);
    assert_eq!(
        evs[1]["data"]["step"], 2,
        "step 1 reached nobody: no 10-minute wait"
    );
    let mail = next_mail(&mut mails).await;
    assert_eq!(mail.rcpt, vec!["<bob@acme.test>".to_string()]);
    let (_, sent) = t
        .get(&format!("/api/v1/handoffs/{hid}/notifications"), &t.key)
        .await;
    let skipped = &sent["data"][0];
    assert_eq!(skipped["operator_id"], json!(ann));
    assert_eq!(skipped["outcome"], "skipped");
    assert!(skipped["detail"]
        .as_str()
        .unwrap()
        .contains("no device has notifications on"));
}

#[tokio::test]
async fn with_no_chain_and_nobody_reachable_nothing_is_scheduled() {
    let t = TestApp::spawn().await;
    operator(&t, "ann@acme.test", "Ann", &[]).await; // push + email, but no device and no SMTP
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let evs = events(&t, hid).await;
    assert_eq!(evs[0]["data"]["route"]["notify"], false, "{}", evs[0]);
    assert_eq!(
        timers::tick(&t.app, Utc::now() + Duration::days(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(names(&events(&t, hid).await), ["create"]);
    let (_, sent) = t
        .get(&format!("/api/v1/handoffs/{hid}/notifications"), &t.key)
        .await;
    assert_eq!(sent["data"], json!([]));
}
