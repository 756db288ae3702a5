//! Deciding from Slack (issue 14 §3): an approval's Slack message carries
//! Approve / Deny buttons; a press comes back to `/slack/interactivity/{org}`
//! signed with the organization's signing secret, is recorded as the linked
//! operator through the same decision rules, and Slack is told what happened on
//! the press's `response_url`. The signatures here are computed independently
//! of tapin's code, as Slack documents them.

use crate::common::TestApp;
use crate::sinks::{http_sink, next, Request};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::mpsc::UnboundedReceiver;

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";

/// `v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}"))`, Slack's request signature.
fn slack_signature(secret: &str, ts: &str, body: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(format!("v0:{ts}:{body}").as_bytes());
    format!("v0={}", hex::encode(m.finalize().into_bytes()))
}

/// A `block_actions` payload as Slack sends it when `user` presses `action`.
fn press(user: &str, action: &str, approval: &str, reason: Option<&str>, reply: &str) -> String {
    let mut payload = json!({
        "type": "block_actions",
        "user": {"id": user, "username": "someone", "team_id": "T1"},
        "api_app_id": "A1",
        "team": {"id": "T1", "domain": "acme"},
        "container": {"type": "message", "message_ts": "1.2"},
        "response_url": reply,
        "actions": [{"action_id": action, "block_id": "tapin_decide", "value": approval,
                     "type": "button", "action_ts": "1.3"}],
    });
    if let Some(r) = reason {
        payload["state"] =
            json!({"values": {"tapin_note": {"note": {"type": "plain_text_input", "value": r}}}});
    }
    form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &payload.to_string())
        .finish()
}

struct Slack {
    t: TestApp,
    /// Where Slack's `response_url`s point (an allowed host in this config).
    replies: String,
    rx: UnboundedReceiver<Request>,
    admin: String,
    ana: String,
}

impl Slack {
    async fn start() -> Slack {
        let (replies, rx) = http_sink().await;
        let host = replies.trim_start_matches("http://").to_string();
        let t = TestApp::spawn_with(|c| c.slack_response_hosts = vec![host]).await;
        let admin = t.signed_in("root@acme.test", "Root", &["admin"]).await.1;
        let ana = t
            .signed_in("ana@acme.test", "Ana", &["billing_manager"])
            .await
            .0;
        let s = Slack {
            t,
            replies,
            rx,
            admin,
            ana,
        };
        let (code, body) = s
            .fn_call("admin_slack_secret", &[("signing_secret", SECRET)])
            .await;
        assert_eq!(code, 200, "{body}");
        let ana = s.ana.clone();
        let (code, body) = s
            .fn_call(
                "admin_slack_user",
                &[("id", &ana), ("slack_user_id", "UANA")],
            )
            .await;
        assert_eq!(code, 200, "{body}");
        s
    }

    async fn fn_call(&self, name: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = self
            .t
            .client
            .post(format!("{}/fn/{name}", self.t.base))
            .header("cookie", &self.admin)
            .form(form)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    fn reply_url(&self, n: u32) -> String {
        format!("{}/actions/T1/{n}/x", self.replies)
    }

    /// POSTs `body` signed at `ts` with `secret` (as Slack would); (status, body).
    async fn send_signed(&self, body: &str, ts: i64, secret: &str) -> (u16, Value) {
        let ts = ts.to_string();
        let sig = slack_signature(secret, &ts, body);
        self.send_raw(body, Some(&ts), Some(&sig)).await
    }

    async fn send_raw(&self, body: &str, ts: Option<&str>, sig: Option<&str>) -> (u16, Value) {
        let mut req = self
            .t
            .client
            .post(format!(
                "{}/slack/interactivity/{}",
                self.t.base, self.t.org_id
            ))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string());
        if let Some(ts) = ts {
            req = req.header("x-slack-request-timestamp", ts);
        }
        if let Some(sig) = sig {
            req = req.header("x-slack-signature", sig);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn approval(&self, id: &str) -> Value {
        let (s, a) = self
            .t
            .get(&format!("/api/v1/approvals/{id}"), &self.t.key)
            .await;
        assert_eq!(s, 200, "{a}");
        a
    }

    async fn next_reply(&mut self) -> (String, Value) {
        let r = next(&mut self.rx).await;
        (r.path, serde_json::from_str(&r.body).unwrap())
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn the_slack_message_has_buttons_and_a_signed_press_decides_as_the_linked_operator() {
    let (hook, mut posted) = http_sink().await;
    let mut s = Slack::start().await;
    let t = &s.t;
    let (code, _) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{}/channels", s.ana),
            json!({"channels": {"low": ["slack"], "medium": ["slack"], "high": ["slack"], "urgent": ["slack"]}}),
        )
        .await;
    assert_eq!(code, 200);
    let (code, _) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"slack_webhook_url": format!("{hook}/services/T0/B0/x")}),
        )
        .await;
    assert_eq!(code, 200);
    let (_, a) = t.approval(json!({})).await;
    let id = a["id"].as_str().unwrap().to_string();

    // The notification: the summary with the signed link, a reason box, the buttons.
    let message: Value = serde_json::from_str(&next(&mut posted).await.body).unwrap();
    let blocks = message["blocks"].as_array().unwrap();
    let buttons = blocks
        .iter()
        .find(|b| b["type"] == "actions")
        .expect("a block of buttons");
    assert_eq!(buttons["elements"][0]["action_id"], "tapin_approve");
    assert_eq!(buttons["elements"][1]["action_id"], "tapin_deny");
    assert_eq!(buttons["elements"][0]["value"], json!(id));
    assert!(blocks.iter().any(|b| b["block_id"] == "tapin_note"));
    assert!(blocks[0]["text"]["text"]
        .as_str()
        .unwrap()
        .contains(&format!("/m/{id}?t=")));

    // Ana presses Approve: recorded as hers, through Slack.
    let body = press("UANA", "tapin_approve", &id, None, &s.reply_url(1));
    let (code, answer) = s.send_signed(&body, now(), SECRET).await;
    assert_eq!(code, 200, "{answer}");
    let decided = s.approval(&id).await;
    assert_eq!(decided["status"], "approved");
    assert_eq!(decided["decided_by"], json!(format!("operator:{}", s.ana)));
    let (_, evs) =
        s.t.get(&format!("/api/v1/handoffs/{id}/events"), &s.t.key)
            .await;
    let decide = evs
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "decide")
        .unwrap()
        .clone();
    assert_eq!(decide["data"]["via"], "slack");
    assert_eq!(decide["actor"], json!(format!("operator:{}", s.ana)));

    // Slack is told on the response_url: the buttons give way to who decided.
    let (path, reply) = s.next_reply().await;
    assert_eq!(path, "/actions/T1/1/x");
    assert_eq!(reply["replace_original"], true);
    assert!(reply["text"].as_str().unwrap().contains("Approved by Ana"));
    let kinds: Vec<&str> = reply["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"actions"), "no buttons left: {kinds:?}");

    // The same request again (a replay within the five minutes): refused, nothing changes.
    let (code, e) = s.send_signed(&body, now(), SECRET).await;
    assert_eq!(code, 403, "{e}");
    assert_eq!(s.approval(&id).await["decided_at"], decided["decided_at"]);
}

#[tokio::test]
async fn requests_not_from_slack_or_from_strangers_decide_nothing() {
    let mut s = Slack::start().await;
    let (_, a) = s.t.approval(json!({})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let body = press("UANA", "tapin_approve", &id, None, &s.reply_url(1));
    let ts = now().to_string();

    // Not signed, signed with another secret, signed for another body, stale, from the future.
    assert_eq!(s.send_raw(&body, None, None).await.0, 401);
    assert_eq!(
        s.send_signed(&body, now(), "someone-elses-secret").await.0,
        401
    );
    let other = press("UANA", "tapin_deny", &id, Some("no"), &s.reply_url(1));
    let sig_for_other = slack_signature(SECRET, &ts, &other);
    let (code, e) = s.send_raw(&body, Some(&ts), Some(&sig_for_other)).await;
    assert_eq!(code, 401, "{e}");
    assert_eq!(e["error"]["code"], "unauthorized");
    assert_eq!(s.send_signed(&body, now() - 6 * 60, SECRET).await.0, 401);
    assert_eq!(s.send_signed(&body, now() + 6 * 60, SECRET).await.0, 401);
    // Another organization (no secret set there) and a malformed id.
    let other_org = tapin::service::orgs::create_org(&s.t.app, "globex", None)
        .await
        .unwrap();
    let res =
        s.t.client
            .post(format!("{}/slack/interactivity/{}", s.t.base, other_org.id))
            .header("x-slack-request-timestamp", &ts)
            .header("x-slack-signature", slack_signature(SECRET, &ts, &body))
            .body(body.clone())
            .send()
            .await
            .unwrap();
    assert_eq!(res.status(), 401);
    let res =
        s.t.client
            .post(format!("{}/slack/interactivity/not-an-org", s.t.base))
            .body(body.clone())
            .send()
            .await
            .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(s.approval(&id).await["status"], "pending");

    // Signed, but by a Slack user nobody linked: 403, and they are told why.
    let stranger = press("UNOBODY", "tapin_approve", &id, None, &s.reply_url(2));
    let (code, e) = s.send_signed(&stranger, now(), SECRET).await;
    assert_eq!(code, 403, "{e}");
    let (path, reply) = s.next_reply().await;
    assert_eq!(path, "/actions/T1/2/x");
    assert_eq!(reply["response_type"], "ephemeral");
    assert_eq!(reply["replace_original"], false);
    assert!(reply["text"].as_str().unwrap().contains("not linked"));
    assert_eq!(s.approval(&id).await["status"], "pending");

    // A response_url that is not Slack's is never called.
    let (evil, mut evil_rx) = http_sink().await;
    let lured = press("UANA", "tapin_deny", &id, None, &format!("{evil}/steal"));
    let (code, _) = s.send_signed(&lured, now(), SECRET).await;
    assert_eq!(code, 422, "a deny without a reason is refused");
    // A later answer to Slack's host arrives; nothing went to the other host.
    let (code, _) = s
        .send_signed(
            &press("UANA", "tapin_deny", &id, None, &s.reply_url(3)),
            now(),
            SECRET,
        )
        .await;
    assert_eq!(code, 422);
    let (path, reply) = s.next_reply().await;
    assert_eq!(path, "/actions/T1/3/x");
    assert!(
        reply["text"].as_str().unwrap().contains("Reason"),
        "{reply}"
    );
    assert!(evil_rx.try_recv().is_err(), "the lure was not followed");
    assert_eq!(s.approval(&id).await["status"], "pending");

    // With a reason, the deny counts and Slack shows it.
    let deny = press(
        "UANA",
        "tapin_deny",
        &id,
        Some("Over the limit"),
        &s.reply_url(4),
    );
    let (code, e) = s.send_signed(&deny, now(), SECRET).await;
    assert_eq!(code, 200, "{e}");
    let denied = s.approval(&id).await;
    assert_eq!(denied["status"], "denied");
    assert_eq!(denied["decision_note"], "Over the limit");
    let (_, reply) = s.next_reply().await;
    assert!(reply["text"]
        .as_str()
        .unwrap()
        .contains("Denied by Ana: Over the limit"));

    // Clearing the secret turns Slack presses off.
    assert_eq!(
        s.fn_call("admin_slack_secret", &[("signing_secret", "")])
            .await
            .0,
        200
    );
    let (_, b) = s.t.approval(json!({})).await;
    let later = press(
        "UANA",
        "tapin_approve",
        b["id"].as_str().unwrap(),
        None,
        &s.reply_url(5),
    );
    assert_eq!(s.send_signed(&later, now(), SECRET).await.0, 401);
}

#[tokio::test]
async fn four_eyes_and_quorum_hold_for_slack_presses() {
    let mut s = Slack::start().await;
    let bob =
        s.t.signed_in("bob@acme.test", "Bob", &["billing_manager"])
            .await
            .0;
    assert_eq!(
        s.fn_call(
            "admin_slack_user",
            &[("id", &bob), ("slack_user_id", "UBOB")]
        )
        .await
        .0,
        200
    );

    // Ana's own request with four-eyes: her press is refused and she is told why.
    let (_, mine) =
        s.t.approval(json!({"requested_by": "ana@acme.test", "four_eyes": true}))
            .await;
    let mine = mine["id"].as_str().unwrap().to_string();
    let body = press("UANA", "tapin_approve", &mine, None, &s.reply_url(1));
    let (code, e) = s.send_signed(&body, now(), SECRET).await;
    assert_eq!(code, 403, "{e}");
    assert_eq!(e["error"]["reason"], "four_eyes");
    let (_, reply) = s.next_reply().await;
    assert_eq!(reply["response_type"], "ephemeral");
    assert!(
        reply["text"].as_str().unwrap().contains("four-eyes"),
        "{reply}"
    );
    assert_eq!(s.approval(&mine).await["status"], "pending");

    // Two approvals needed: Ana's press is a vote, the buttons stay for Bob.
    let (_, q) = s.t.approval(json!({"required_approvals": 2})).await;
    let q = q["id"].as_str().unwrap().to_string();
    let ana_press = press("UANA", "tapin_approve", &q, None, &s.reply_url(2));
    // The replay below resends these exact bytes with this exact timestamp.
    let ana_at = now();
    assert_eq!(s.send_signed(&ana_press, ana_at, SECRET).await.0, 200);
    let (_, reply) = s.next_reply().await;
    assert!(
        reply["text"].as_str().unwrap().contains("Ana approved"),
        "{reply}"
    );
    assert!(
        reply["text"].as_str().unwrap().contains("1 of 2"),
        "{reply}"
    );
    assert!(reply["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["type"] == "actions"));
    let voted = s.approval(&q).await;
    assert_eq!(voted["status"], "pending");
    assert_eq!(voted["approvals"].as_array().unwrap().len(), 1);
    // Ana again (a new press, not a replay): one vote per person.
    let again = press("UANA", "tapin_approve", &q, None, &s.reply_url(3));
    let (code, e) = s.send_signed(&again, now(), SECRET).await;
    assert_eq!(code, 409, "{e}");
    assert_eq!(e["error"]["reason"], "already_voted");
    s.next_reply().await;
    // The first press replayed: refused before anything is counted.
    let (code, e) = s.send_signed(&ana_press, ana_at, SECRET).await;
    assert_eq!(code, 403, "{e}");
    assert_eq!(e["error"]["reason"], "replayed");
    assert_eq!(
        s.approval(&q).await["approvals"].as_array().unwrap().len(),
        1
    );
    // Bob completes the quorum.
    let bob_press = press("UBOB", "tapin_approve", &q, None, &s.reply_url(4));
    assert_eq!(s.send_signed(&bob_press, now(), SECRET).await.0, 200);
    let (path, reply) = s.next_reply().await;
    assert_eq!(path, "/actions/T1/4/x");
    assert!(reply["text"].as_str().unwrap().contains("Approved by Bob"));
    assert_eq!(s.approval(&q).await["status"], "approved");
}

#[tokio::test]
async fn only_admins_set_the_secret_and_links_and_both_are_checked() {
    let s = Slack::start().await;
    let clerk = s.t.signed_in("clerk@acme.test", "Clerk", &[]).await;
    let as_clerk =
        s.t.client
            .post(format!("{}/fn/admin_slack_user", s.t.base))
            .header("cookie", &clerk.1)
            .form(&[("id", clerk.0.as_str()), ("slack_user_id", "UANA")])
            .send()
            .await
            .unwrap();
    assert_eq!(
        as_clerk.status(),
        403,
        "an operator cannot claim a Slack account"
    );
    let (code, body) = s
        .fn_call(
            "admin_slack_user",
            &[("id", &clerk.0), ("slack_user_id", "UANA")],
        )
        .await;
    assert_eq!(code, 422, "one operator per Slack account: {body}");
    assert!(body.contains("slack_user_id"));
    let (code, _) = s
        .fn_call(
            "admin_slack_user",
            &[("id", &clerk.0), ("slack_user_id", "<!channel>")],
        )
        .await;
    assert_eq!(code, 422);
    let (code, _) = s
        .fn_call("admin_slack_secret", &[("signing_secret", "short")])
        .await;
    assert_eq!(code, 422);

    // The secret is sealed at rest; the page says it is set, never shows it.
    let stored =
        s.t.app
            .store
            .slack_signing_secret(&s.t.org_id)
            .await
            .unwrap()
            .unwrap();
    assert!(stored.starts_with("sealed:v1:") && !stored.contains(SECRET));
    let html =
        s.t.client
            .get(format!("{}/admin", s.t.base))
            .header("cookie", &s.admin)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    assert!(html.contains(&format!("/slack/interactivity/{}", s.t.org_id)));
    assert!(html.contains("A signing secret is set"));
    assert!(!html.contains(SECRET));
    assert!(html.contains("UANA"));
    // Each change is in the security log.
    let actions: Vec<String> =
        s.t.app
            .store
            .security_events(&s.t.org_id, 20)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
    assert!(actions.contains(&"organization.slack_signing_secret_changed".to_string()));
    assert!(actions.contains(&"operator.slack_user_changed".to_string()));
}
