//! Issue 11, items 3, 6 and 11, each tried as an attacker would: a link
//! session reaching past its handoff, contact details changed behind an
//! operator's back, floods of streams, webhooks and paid notifications, a slow
//! request, malformed server-function input.

use crate::common::{error_code, TestApp};
use crate::sinks::{http_sink, next, smtp_sink, Mail};
use serde_json::{json, Value};
use std::time::Duration;
use tapin::service::{links, orgs};

async fn call(t: &TestApp, name: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = t
        .client
        .post(format!("{}/fn/{name}", t.base))
        .header("cookie", cookie)
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

async fn page(t: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let res = t
        .client
        .get(format!("{}{path}", t.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn state_of(t: &TestApp, hid: &str) -> String {
    t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await.1["state"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn count(t: &TestApp, table: &str) -> i64 {
    t.db_rows::<(i64,)>(&format!("SELECT COUNT(*) FROM {table}"))
        .await[0]
        .0
}

async fn healthy(t: &TestApp) {
    assert_eq!(t.get("/api/v1/healthz", &t.key).await.0, 200);
}

/// Opens a signed link for `op_id` to `hid` (with `cookie`, if any); returns
/// the `Set-Cookie` header, if one was sent.
async fn open_link(t: &TestApp, hid: &str, op_id: &str, cookie: Option<&str>) -> Option<String> {
    let url = links::sign(&t.app, hid, op_id, 60).unwrap();
    let token = url.split("?t=").nth(1).unwrap();
    let mut req = t
        .client
        .post(format!("{}/m/{hid}/open", t.base))
        .form(&[("t", token)]);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/m/{hid}").as_str());
    res.headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
}

// ------------------------------------------------ item 3: link sessions

#[tokio::test]
async fn a_link_session_reaches_its_handoff_only_and_never_admin() {
    let t = TestApp::spawn().await;
    // An admin: a link must still not give admin power.
    let root = orgs::create_operator(
        &t.app,
        &t.org_id,
        "root@acme.test",
        "Root",
        vec!["admin".into()],
    )
    .await
    .unwrap();
    let (_, a) = t.takeover(1).await;
    let (_, b) = t.takeover(1).await;
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let set = open_link(&t, a, &root.id, None)
        .await
        .expect("a session cookie");
    assert!(set.contains("Max-Age=1800"), "30 minutes: {set}");
    let cookie = set.split(';').next().unwrap().to_string();

    // Its own handoff: the page (offering a sign-in for more), the steps, the live stream.
    let (s, html) = page(&t, &format!("/m/{a}"), &cookie).await;
    assert_eq!(s, 200);
    assert!(html.contains("Sign in for more"), "{html}");
    let res = t
        .client
        .get(format!("{}/m/{a}/live/events", t.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    drop(res);

    // Another handoff: the page asks to sign in, the step is refused, nothing moves.
    let before = state_of(&t, b).await;
    let (_, html) = page(&t, &format!("/m/{b}"), &cookie).await;
    assert!(html.contains("Open this from your notification"), "{html}");
    assert!(html.contains("/login?next="), "{html}");
    let (s, body) = call(
        &t,
        "handoff_step",
        &cookie,
        &[("id", b), ("step", "accept")],
    )
    .await;
    assert_eq!(s, 401, "{body}");
    assert_eq!(error_code(&body), "unauthorized");
    assert_eq!(body["error"]["reason"], "password_required");
    let (s, _) = call(
        &t,
        "send_message",
        &cookie,
        &[("id", b), ("content", "hi"), ("client_ref", "x1")],
    )
    .await;
    assert_eq!(s, 401);
    assert_eq!(
        state_of(&t, b).await,
        before,
        "the other handoff is untouched"
    );
    let res = t
        .client
        .get(format!("{}/m/{b}/live/events", t.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    // The inbox, its live stream and the settings ask to sign in.
    let (_, html) = page(&t, "/inbox", &cookie).await;
    assert!(html.contains("Sign in to see the inbox"), "{html}");
    let (_, body) = call(&t, "load_inbox", &cookie, &[]).await;
    assert_eq!(body, json!("SignIn"), "the inbox's data asks to sign in");
    let (s, _) = page(&t, "/inbox/live", &cookie).await;
    assert_eq!(s, 401);
    let (_, html) = page(&t, "/settings", &cookie).await;
    assert!(html.contains("Sign in to change your settings"), "{html}");

    // Admin pages and admin server functions need a password session.
    let (s, html) = page(&t, "/admin", &cookie).await;
    assert_eq!(s, 401, "{html}");
    assert!(html.contains("password sign-in"), "{html}");
    let keys = count(&t, "api_keys").await;
    let (s, body) = call(
        &t,
        "admin_create_key",
        &cookie,
        &[("name", "mine now"), ("scopes", "admin")],
    )
    .await;
    assert_eq!(s, 401, "{body}");
    assert_eq!(body["error"]["reason"], "password_required");
    assert_eq!(count(&t, "api_keys").await, keys, "no key was made");
    let ops = count(&t, "operators").await;
    let (s, _) = call(
        &t,
        "admin_add_operator",
        &cookie,
        &[
            ("email", "mallory@evil.test"),
            ("name", "M"),
            ("roles", "admin"),
        ],
    )
    .await;
    assert_eq!(s, 401);
    assert_eq!(count(&t, "operators").await, ops, "no operator was added");

    // What the link was for still works.
    let (s, body) = call(
        &t,
        "handoff_step",
        &cookie,
        &[("id", a), ("step", "accept")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(state_of(&t, a).await, "solving");
    healthy(&t).await;
}

#[tokio::test]
async fn a_link_session_ends_after_its_lifetime() {
    let t = TestApp::spawn_with(|c| c.link_session_minutes = 1).await;
    let op = orgs::create_operator(&t.app, &t.org_id, "sam@acme.test", "Sam", vec![])
        .await
        .unwrap();
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let set = open_link(&t, hid, &op.id, None).await.unwrap();
    assert!(set.contains("Max-Age=60"), "{set}");
    let cookie = set.split(';').next().unwrap().to_string();
    // The stored session ends a minute from now (not in 12 hours).
    let at = |secs: i64| {
        tapin::service::format_time(chrono::Utc::now() + chrono::Duration::seconds(secs))
    };
    let rows: Vec<(i64,)> = t
        .db_rows(&format!(
            "SELECT COUNT(*) FROM operator_sessions WHERE expires_at > '{}' AND expires_at < '{}'",
            at(30),
            at(90)
        ))
        .await;
    assert_eq!(rows[0].0, 1);
    assert_eq!(count(&t, "operator_sessions").await, 1);
    // Past its expiry (moved into the past here) the page asks for the link again.
    t.db_exec("UPDATE operator_sessions SET expires_at = '2000-01-01T00:00:00.000000Z'")
        .await;
    let (_, html) = page(&t, &format!("/m/{hid}"), &cookie).await;
    assert!(html.contains("Open this from your notification"), "{html}");
}

#[tokio::test]
async fn opening_a_link_keeps_the_operators_password_session() {
    let t = TestApp::spawn().await;
    let (op_id, cookie) = t.signed_in("kim@acme.test", "Kim", &[]).await;
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    assert_eq!(open_link(&t, hid, &op_id, Some(&cookie)).await, None);
    let (s, _) = call(&t, "load_inbox", &cookie, &[]).await;
    assert_eq!(s, 200, "still signed in for everything");
    let (_, html) = page(&t, &format!("/m/{hid}"), &cookie).await;
    assert!(!html.contains("Sign in for more"), "{html}");
}

// ------------------------------------------- item 3: contact details

async fn security_log(t: &TestApp) -> Vec<Value> {
    let (s, body) = t.get("/api/v1/audit/security", &t.key).await;
    assert_eq!(s, 200, "{body}");
    body["data"].as_array().unwrap().clone()
}

/// The next security notice to `to`, with a deadline (mails about work are passed over).
async fn mail_to(mails: &mut tokio::sync::mpsc::UnboundedReceiver<Mail>, to: &str) -> Mail {
    loop {
        let m = next(mails).await;
        if m.rcpt.iter().any(|r| r.contains(to)) && m.data.contains("Your contact details changed")
        {
            return m;
        }
    }
}

#[tokio::test]
async fn contact_and_slack_hook_changes_are_logged_and_announced() {
    let (smtp, mut mails) = smtp_sink().await;
    let t = TestApp::spawn_with(|c| c.smtp_url = smtp.clone()).await;
    let (ann, ann_cookie) = t.signed_in("ann@acme.test", "Ann", &[]).await;
    orgs::create_operator(
        &t.app,
        &t.org_id,
        "root@acme.test",
        "Root",
        vec!["admin".into()],
    )
    .await
    .unwrap();

    // An admin key points Ann's phone elsewhere: logged, and Ann hears of it by email.
    let (s, body) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{ann}/channels"),
            json!({"phone": "+4915100000001", "channels": {}}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let mail = mail_to(&mut mails, "ann@acme.test").await;
    assert!(
        mail.data.contains("Your contact details changed"),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("phone number"), "{}", mail.data);
    let log = security_log(&t).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["action"], "operator.phone_changed");
    assert_eq!(log[0]["operator_id"], json!(ann));
    assert!(log[0]["actor"].as_str().unwrap().starts_with("key:"));
    assert_eq!(log[0]["data"]["to"], "+4915100000001");
    assert_eq!(log[0]["notice"], "email");

    // Ann changes it herself on /settings: logged with her as the actor.
    let (s, body) = call(
        &t,
        "save_channels",
        &ann_cookie,
        &[("phone", "+4915100000002")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    mail_to(&mut mails, "ann@acme.test").await;
    let log = security_log(&t).await;
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["actor"], format!("operator:{ann}"));
    assert_eq!(log[0]["data"]["from"], "+4915100000001");

    // Saving the same number again is no change: nothing logged.
    call(
        &t,
        "save_channels",
        &ann_cookie,
        &[("phone", "+4915100000002")],
    )
    .await;
    assert_eq!(security_log(&t).await.len(), 2);

    // A link session cannot change contact details.
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let set = open_link(&t, hid, &ann, None).await.unwrap();
    let link_cookie = set.split(';').next().unwrap();
    let (s, _) = call(
        &t,
        "save_channels",
        link_cookie,
        &[("phone", "+4915166666666")],
    )
    .await;
    assert_eq!(s, 401);
    let (_, prefs) = t
        .get(&format!("/api/v1/operators/{ann}/channels"), &t.key)
        .await;
    assert_eq!(prefs["phone"], "+4915100000002", "unchanged");

    // The Slack hook: logged by host only (its path is the secret), admins told.
    let (s, body) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"slack_webhook_url": "http://127.0.0.1:9/services/T0/B0/secret"}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let mail = mail_to(&mut mails, "root@acme.test").await;
    assert!(mail.data.contains("Slack hook"), "{}", mail.data);
    let log = security_log(&t).await;
    assert_eq!(log[0]["action"], "organization.slack_hook_changed");
    assert_eq!(log[0]["operator_id"], Value::Null);
    assert_eq!(log[0]["data"]["to_host"], "127.0.0.1");
    assert!(!log[0].to_string().contains("secret"), "{}", log[0]);

    // The log is for admins.
    let reader = t.key_in(&t.org_id, &["read"]).await;
    assert_eq!(t.get("/api/v1/audit/security", &reader).await.0, 403);
}

// ------------------------------------------------ item 6: caps

async fn stream(t: &TestApp, path: &str, key: &str) -> reqwest::Response {
    t.client
        .get(format!("{}{path}", t.base))
        .header("x-api-key", key)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap()
}

async fn refused_as_too_many(res: reqwest::Response, reason: &str) {
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    let body: Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "rate_limited");
    assert_eq!(body["error"]["reason"], reason);
}

#[tokio::test]
async fn streams_and_long_polls_are_capped_per_key_and_per_operator() {
    let t = TestApp::spawn_with(|c| c.streams_per_principal = 2).await;
    let (_, a) = t.approval(json!({})).await;
    let wait = format!(
        "/api/v1/approvals/{}/wait?timeout=1",
        a["id"].as_str().unwrap()
    );

    let first = stream(&t, "/api/v1/audit/stream", &t.key).await;
    assert_eq!(first.status(), 200);
    // A long-poll takes the second slot and gives it back when it answers.
    for _ in 0..2 {
        let (s, body) = t.get(&wait, &t.key).await;
        assert_eq!(s, 200, "{body}");
    }
    let second = stream(&t, "/api/v1/audit/trace/stream", &t.key).await;
    assert_eq!(second.status(), 200);
    refused_as_too_many(
        stream(&t, "/api/v1/audit/stream", &t.key).await,
        "too_many_streams",
    )
    .await;
    let res = t
        .client
        .get(format!("{}{wait}", t.base))
        .header("x-api-key", &t.key)
        .send()
        .await
        .unwrap();
    refused_as_too_many(res, "too_many_streams").await;
    // Another key has its own slots.
    let other = t.key_in(&t.org_id, &["read"]).await;
    assert_eq!(
        stream(&t, "/api/v1/audit/stream", &other).await.status(),
        200
    );

    // A stream the client closes frees its slot (once the server notices).
    drop(first);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let res = stream(&t, "/api/v1/audit/stream", &t.key).await;
        if res.status() == 200 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the slot was never freed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // An operator's live streams are capped the same way.
    let (_, cookie) = t.signed_in("ann@acme.test", "Ann", &[]).await;
    let live = |c: String| {
        let client = t.client.clone();
        let url = format!("{}/inbox/live", t.base);
        async move { client.get(url).header("cookie", c).send().await.unwrap() }
    };
    let one = live(cookie.clone()).await;
    let two = live(cookie.clone()).await;
    assert_eq!((one.status().as_u16(), two.status().as_u16()), (200, 200));
    refused_as_too_many(live(cookie.clone()).await, "too_many_streams").await;
    healthy(&t).await;
}

#[tokio::test]
async fn webhook_subscriptions_are_capped_per_organization() {
    let t = TestApp::spawn_with(|c| c.webhooks_per_org = 1).await;
    let body = json!({"url": "http://127.0.0.1:9/hook", "events": ["*"]});
    let (s, created) = t.post("/api/v1/webhooks", &t.key, body.clone()).await;
    assert_eq!(s, 201, "{created}");
    let res = t
        .client
        .post(format!("{}/api/v1/webhooks", t.base))
        .header("x-api-key", &t.key)
        .json(&body)
        .send()
        .await
        .unwrap();
    refused_as_too_many(res, "too_many_webhooks").await;
    let (_, list) = t.get("/api/v1/webhooks", &t.key).await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "nothing was added"
    );
    // Another organization has its own allowance.
    let other = t.other_org_key("globex", &["admin"]).await;
    assert_eq!(t.post("/api/v1/webhooks", &other, body).await.0, 201);
}

async fn notifications(t: &TestApp, hid: &str) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (_, n) = t
            .get(&format!("/api/v1/handoffs/{hid}/notifications"), &t.key)
            .await;
        let rows = n["data"].as_array().cloned().unwrap_or_default();
        if !rows.is_empty() {
            return rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no notification recorded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn sms_and_voice_past_the_per_minute_cap_are_recorded_as_skipped() {
    let (sms_url, mut texts) = http_sink().await;
    let t = TestApp::spawn_with(|c| {
        c.sms.url = format!("{sms_url}/sms");
        c.paid_notifications_per_minute = 1;
    })
    .await;
    let op = orgs::create_operator(&t.app, &t.org_id, "ann@acme.test", "Ann", vec![])
        .await
        .unwrap();
    let every: Value = json!(["sms"]);
    let (s, body) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{}/channels", op.id),
            json!({"phone": "+4915100000001", "channels":
                {"low": every, "medium": every, "high": every, "urgent": every}}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (_, h1) = t.takeover(1).await;
    let first = notifications(&t, h1["id"].as_str().unwrap()).await;
    next(&mut texts).await;
    let (_, h2) = t.takeover(1).await;
    let second = notifications(&t, h2["id"].as_str().unwrap()).await;
    let outcome = |rows: &[Value]| {
        rows.iter()
            .find(|n| n["channel"] == "sms")
            .map(|n| (n["outcome"].clone(), n["detail"].clone()))
            .unwrap()
    };
    assert_eq!(outcome(&first).0, "sent");
    let (o, detail) = outcome(&second);
    assert_eq!(o, "skipped", "{second:?}");
    assert!(
        detail
            .as_str()
            .unwrap()
            .contains("limit of 1 SMS and voice notifications per minute"),
        "{detail}"
    );
    assert!(texts.try_recv().is_err(), "the skipped SMS was not sent");
}

#[tokio::test]
async fn a_slow_request_gets_an_envelope_not_a_hung_connection() {
    let t = TestApp::spawn_with(|c| c.request_timeout_ms = 1).await;
    // Sign-in hashes a password (argon2id): far longer than 1 ms.
    let res = t
        .client
        .post(format!("{}/fn/login", t.base))
        .form(&[
            ("organization", "acme"),
            ("email", "kim@acme.test"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "5");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["reason"], "timeout");
    // Streams are not cut by it.
    let s = stream(&t, "/api/v1/audit/stream", &t.key).await;
    assert_eq!(s.status(), 200);
}

// ------------------------------------------------ item 11: malformed input

async fn raw_fn(
    t: &TestApp,
    path_and_query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let res = t
        .client
        .post(format!("{}{path_and_query}", t.base))
        .header("content-type", content_type)
        .body(body)
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

#[tokio::test]
async fn malformed_server_function_input_is_a_4xx_envelope_never_a_500() {
    let t = TestApp::spawn().await;
    let form = "application/x-www-form-urlencoded";
    let deep = format!("organization{}=x", "[a]".repeat(2000));
    let (s, body) = raw_fn(&t, "/fn/login", form, deep.clone().into_bytes()).await;
    assert_eq!(s, 400, "{body}");
    assert_eq!(error_code(&body), "bad_request");
    assert_eq!(body["error"]["fields"][0]["field"], "body");
    let (s, body) = raw_fn(&t, &format!("/fn/login?{deep}"), form, Vec::new()).await;
    assert_eq!(s, 400, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "query");
    let encoded = format!("organization{}=x", "%5Ba%5D".repeat(2000));
    assert_eq!(
        raw_fn(&t, "/fn/login", form, encoded.into_bytes()).await.0,
        400
    );

    // Missing, mistyped and garbled arguments: decoding errors, now 400.
    for (path, ctype, body) in [
        ("/fn/handoff_step", form, b"".to_vec()),
        ("/fn/decide", form, b"id=x&approve=maybe".to_vec()),
        ("/fn/login", form, b"organization=acme".to_vec()),
        ("/fn/login", form, vec![0xff, 0xfe, b'=', 0x80]),
        (
            "/fn/login",
            "application/json",
            b"{\"organization\": [[[[".to_vec(),
        ),
        (
            "/fn/login",
            form,
            format!("a={}", "[".repeat(5000)).into_bytes(),
        ),
    ] {
        let (s, b) = raw_fn(&t, path, ctype, body).await;
        assert!((400..500).contains(&s), "{path}: {s} {b}");
        error_code(&b);
    }
    // Too large a body: 413, with the envelope.
    let big = format!("organization={}", "x".repeat(2 * 1024 * 1024));
    let (s, body) = raw_fn(&t, "/fn/login", form, big.into_bytes()).await;
    assert_eq!(s, 413, "{body}");
    error_code(&body);
    // Errors a function body returns keep their status, in the envelope too.
    let (s, body) = raw_fn(&t, "/fn/handoff_step", form, b"id=x&step=accept".to_vec()).await;
    assert_eq!(s, 404, "{body}");
    assert_eq!(error_code(&body), "not_found");
    healthy(&t).await;
}
