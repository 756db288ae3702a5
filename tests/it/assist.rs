//! Assist handoffs (issue 13, seed 004): a browser agent's stuck screen. The
//! whole API path (detected → frozen → open → solving → actions delivered and
//! acknowledged → frames → Done → resume_requested → resumed → completed),
//! every bad input named, the 409s and the lease, and the captured state
//! sealed at rest (the raw database holds no cookie value, screenshot bytes
//! or typed text) and purged after the handoff ends.

use crate::common::{backend, error_code, Backend, TestApp};
use base64::Engine;
use serde_json::{json, Value};
use std::time::Duration;

const COOKIE_SECRET: &str = "COOKIE-SECRET-VALUE-4242";
const STORAGE_SECRET: &str = "STORAGE-SECRET-TOKEN-77";
const SCREEN_MARKER: &str = "SCREENSHOT-MARKER-BYTES-31337";
const TYPED_SECRET: &str = "TYPED-SECRET-987654";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A "PNG" (its magic bytes, then a marker) that tapin must never store in clear.
fn png(marker: &str) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(marker.as_bytes());
    b
}

fn capture(marker: &str) -> Value {
    json!({
        "screenshot": b64(&png(marker)),
        "viewport": {"width": 1280, "height": 800},
        "dom_snapshot": "<html><body><input name=code></body></html>",
        "cookies": [{"name": "sid", "value": COOKIE_SECRET, "domain": "login.example.com"}],
        "storage": {"localStorage": {"token": STORAGE_SECRET}},
    })
}

fn ask() -> Value {
    json!({
        "kind": "assist",
        "agent_id": "agent_outbound_sf",
        "interruption_type": "twofa",
        "domain": "login.example.com",
        "url": "https://login.example.com/verify?step=2",
        "question": "Type the code sent to the account's phone",
        "input": "code",
    })
}

async fn create(t: &TestApp, body: Value) -> Value {
    let (s, h) = t.post("/api/v1/handoffs", &t.key, body).await;
    assert_eq!(s, 201, "{h}");
    h
}

/// A server function called as the page calls it (form-encoded, session cookie).
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

async fn page(t: &TestApp, path: &str, cookie: &str) -> (u16, Vec<u8>, String) {
    let res = t
        .client
        .get(format!("{}{path}", t.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, res.bytes().await.unwrap().to_vec(), ct)
}

async fn actions(t: &TestApp, hid: &str, after: i64, wait: u64) -> Value {
    let (s, a) = t
        .get(
            &format!("/api/v1/handoffs/{hid}/actions?after={after}&wait={wait}"),
            &t.key,
        )
        .await;
    assert_eq!(s, 200, "{a}");
    a
}

#[tokio::test]
async fn an_assist_goes_from_detected_to_completed_with_the_operators_actions_delivered() {
    let t = TestApp::spawn().await;
    let (op, cookie) = t.signed_in("maria@acme.test", "Maria", &["operator"]).await;

    // Detected: the blocker is confirmed, nothing captured yet, nobody is shown it.
    let h = create(&t, ask()).await;
    let hid = h["id"].as_str().unwrap().to_string();
    assert_eq!(h["kind"], "assist");
    assert_eq!(h["state"], "detected");
    assert_eq!(h["assist"]["interruption_type"], "twofa");
    assert_eq!(h["assist"]["input"], "code");
    assert_eq!(h["assist"]["frame_seq"], 0);
    let (_, inbox, _) = page(&t, "/inbox", &cookie).await;
    let inbox = String::from_utf8_lossy(&inbox).to_string();
    assert!(
        !inbox.contains("Type the code sent"),
        "a detected assist is not shown to operators"
    );
    let (s, e) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/frames"),
            &t.key,
            json!({"screenshot": b64(&png("x")), "viewport": {"width": 10, "height": 10}}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("not_being_solved")),
        "{e}"
    );

    // Frozen: the capture arrives; from now on operators see it.
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/frozen"),
            &t.key,
            json!({"capture": capture(SCREEN_MARKER)}),
        )
        .await;
    assert_eq!(s, 200, "{h}");
    assert_eq!(h["state"], "frozen");
    assert_eq!(h["assist"]["frame_seq"], 1);
    assert_eq!(
        h["assist"]["viewport"],
        json!({"width": 1280, "height": 800})
    );
    let shown = h.to_string();
    assert!(
        !shown.contains(COOKIE_SECRET) && !shown.contains("dom_snapshot"),
        "the API never gives back cookies or the DOM: {shown}"
    );
    // The list carries the same assist object as the single read.
    let (s, list) = t.get("/api/v1/handoffs?kind=assist", &t.key).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["data"][0]["id"], hid);
    assert_eq!(list["data"][0]["assist"], h["assist"], "{list}");
    let (s, again) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/frozen"),
            &t.key,
            json!({"capture": capture("again")}),
        )
        .await;
    assert_eq!(
        (s, again["error"]["reason"].as_str()),
        (409, Some("invalid_transition"))
    );
    let (_, inbox, _) = page(&t, "/inbox", &cookie).await;
    assert!(String::from_utf8_lossy(&inbox).contains("Type the code sent"));

    // The phone page: the question as text, the screen from an authenticated route.
    let (s, html, _) = page(&t, &format!("/m/{hid}"), &cookie).await;
    let html = String::from_utf8_lossy(&html).to_string();
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"assist-screen\""));
    assert!(html.contains(&format!("/m/{hid}/frame")));
    assert!(html.contains("inputmode=\"numeric\"") && html.contains("one-time-code"));
    assert!(html.contains("Done — resume the agent"));
    assert!(!html.contains(COOKIE_SECRET) && !html.contains(STORAGE_SECRET));
    assert!(
        !html.contains(&b64(&png(SCREEN_MARKER))),
        "the screenshot is not inlined"
    );
    let (s, img, ct) = page(&t, &format!("/m/{hid}/frame"), &cookie).await;
    assert_eq!((s, ct.as_str()), (200, "image/png"));
    assert_eq!(img, png(SCREEN_MARKER));
    let (s, _, _) = page(&t, &format!("/m/{hid}/frame"), "tapin_session=nope").await;
    assert_eq!(s, 401, "no frame without a session");

    // Seed 004's operator steps through the API: open, then solving for Maria.
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/open"),
            &t.key,
            json!({"assignee": "maria@acme.test"}),
        )
        .await;
    assert_eq!((s, h["state"].as_str()), (200, Some("opened")), "{h}");
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/solving"),
            &t.key,
            json!({"assignee": op}),
        )
        .await;
    assert_eq!((s, h["state"].as_str()), (200, Some("solving")), "{h}");
    assert_eq!(h["assist"]["lease_holder"], op.as_str());

    // The lease: while Maria solves it, nobody else sends actions.
    let (_, other) = t
        .signed_in("jordan@acme.test", "Jordan", &["operator"])
        .await;
    let (s, e) = call(
        &t,
        "assist_act",
        &other,
        &[("id", &hid), ("text", "999999")],
    )
    .await;
    assert_eq!(s, 409, "{e}");
    let (s, e) = call(&t, "assist_done", &other, &[("id", &hid)]).await;
    assert_eq!(s, 409, "{e}");

    // The agent waits (long-poll); Maria types the code and presses Enter, then taps.
    let poll = {
        let (client, base, key, hid) =
            (t.client.clone(), t.base.clone(), t.key.clone(), hid.clone());
        tokio::spawn(async move {
            client
                .get(format!(
                    "{base}/api/v1/handoffs/{hid}/actions?after=0&wait=25"
                ))
                .header("x-api-key", key)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        })
    };
    let (s, seq) = call(
        &t,
        "assist_act",
        &cookie,
        &[("id", &hid), ("text", "123456"), ("key", "Enter")],
    )
    .await;
    assert_eq!((s, seq.clone()), (200, json!(2)), "text then key: {seq}");
    let woke = tokio::time::timeout(Duration::from_secs(10), poll)
        .await
        .expect("the long-poll answers when an action arrives")
        .unwrap();
    assert_eq!(woke["state"], "solving");
    assert_eq!(
        woke["actions"][0],
        json!({"seq": 1, "type": "text", "text": "123456"})
    );
    let (s, _) = call(
        &t,
        "assist_act",
        &cookie,
        &[("id", &hid), ("x", "640"), ("y", "410")],
    )
    .await;
    assert_eq!(s, 200);
    let got = actions(&t, &hid, 0, 0).await;
    assert_eq!(
        got["actions"],
        json!([
            {"seq": 1, "type": "text", "text": "123456"},
            {"seq": 2, "type": "key", "key": "Enter"},
            {"seq": 3, "type": "click", "x": 640, "y": 410},
        ])
    );
    // Acknowledged: asking after 3 deletes them; the text is gone from the database.
    let got = actions(&t, &hid, 3, 0).await;
    assert_eq!(got["actions"], json!([]));
    let left: Vec<(i64,)> = t
        .db_rows(&format!(
            "SELECT COUNT(*) FROM assist_actions WHERE handoff_id = '{hid}'"
        ))
        .await;
    assert_eq!(left[0].0, 0, "delivered actions are deleted");
    // The audit trail says what was typed, not the text.
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    let acts: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "act")
        .collect();
    assert_eq!(acts.len(), 3);
    assert_eq!(acts[0]["data"]["typed"], "typed 6 characters");
    assert!(!events.to_string().contains("123456"));

    // The agent applied them and posts the new screen; the page serves it.
    let (s, f) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/frames"),
            &t.key,
            json!({"screenshot": b64(&png("after the code")), "viewport": {"width": 1280, "height": 800}}),
        )
        .await;
    assert_eq!((s, f["frame_seq"].as_i64()), (201, Some(2)), "{f}");
    let (_, img, _) = page(&t, &format!("/m/{hid}/frame"), &cookie).await;
    assert_eq!(img, png("after the code"));

    // Done: solved, and the agent is asked to resume at once.
    let (s, st) = call(&t, "assist_done", &cookie, &[("id", &hid)]).await;
    assert_eq!((s, st), (200, json!("resume_requested")));
    let got = actions(&t, &hid, 3, 25).await;
    assert_eq!(
        got["state"], "resume_requested",
        "answers at once, without waiting"
    );
    let (s, e) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/frames"),
            &t.key,
            json!({"screenshot": b64(&png("late")), "viewport": {"width": 10, "height": 10}}),
        )
        .await;
    assert_eq!(s, 409, "no frames once solved: {e}");
    let (s, _) = call(&t, "assist_act", &cookie, &[("id", &hid), ("text", "1")]).await;
    assert_eq!(s, 409, "no actions once solved");

    // The agent confirms, then reports how its task ended.
    let (s, h) = t
        .post(&format!("/api/v1/handoffs/{hid}/resume"), &t.key, json!({}))
        .await;
    assert_eq!((s, h["state"].as_str()), (200, Some("resumed")));
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/complete"),
            &t.key,
            json!({"task_outcome": "success"}),
        )
        .await;
    assert_eq!((s, h["state"].as_str()), (200, Some("completed")), "{h}");
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    let states: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["to_state"].as_str().unwrap())
        .collect();
    for s in [
        "detected",
        "frozen",
        "opened",
        "solving",
        "solved",
        "resume_requested",
        "resumed",
        "completed",
    ] {
        assert!(states.contains(&s), "{s} in {states:?}");
    }
    let last = events.as_array().unwrap().last().unwrap();
    assert_eq!(last["data"]["task_outcome"], "success");
}

#[tokio::test]
async fn every_bad_assist_input_is_refused_naming_the_field() {
    let t = TestApp::spawn().await;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut b = ask();
        b["capture"] = capture("m");
        f(&mut b);
        b
    };
    let big_png = {
        let mut b = png("");
        b.resize(2 * 1024 * 1024 + 1, 0);
        b64(&b)
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            with(&|b| {
                b.as_object_mut()
                    .unwrap()
                    .remove("agent_id")
                    .map(|_| ())
                    .unwrap()
            }),
            "agent_id",
        ),
        (
            with(&|b| b["interruption_type"] = json!("robot")),
            "interruption_type",
        ),
        (with(&|b| b["domain"] = json!("evil.com/x y")), "domain"),
        (with(&|b| b["url"] = json!("javascript:alert(1)")), "url"),
        (with(&|b| b["question"] = json!(" ")), "question"),
        (with(&|b| b["input"] = json!("voice")), "input"),
        (
            with(&|b| b["capture"]["screenshot"] = json!("%%% not base64")),
            "capture.screenshot",
        ),
        (
            with(&|b| b["capture"]["screenshot"] = json!(b64(b"GIF89a...."))),
            "capture.screenshot",
        ),
        (
            with(&|b| b["capture"]["screenshot"] = json!(b64(b"<svg onload=alert(1)>"))),
            "capture.screenshot",
        ),
        (
            with(&|b| b["capture"]["screenshot"] = json!(big_png.clone())),
            "capture.screenshot",
        ),
        (
            with(&|b| b["capture"]["viewport"]["width"] = json!(0)),
            "capture.viewport.width",
        ),
        (
            with(&|b| b["capture"]["viewport"]["height"] = json!(5000)),
            "capture.viewport.height",
        ),
        (
            with(&|b| b["capture"]["dom_snapshot"] = json!("x".repeat(1024 * 1024 + 1))),
            "capture.dom_snapshot",
        ),
        (
            with(&|b| b["capture"]["cookies"] = json!(["c".repeat(256 * 1024)])),
            "capture.cookies",
        ),
        (
            with(&|b| b["capture"]["colour"] = json!("red")),
            "capture.colour",
        ),
        (
            with(&|b| b["timeout_seconds"] = json!(0)),
            "timeout_seconds",
        ),
        (
            with(&|b| b["packet"] = json!({"static_text": "x"})),
            "packet",
        ),
    ];
    for (body, field) in cases {
        let (s, res) = t.post("/api/v1/handoffs", &t.key, body).await;
        assert_eq!(s, 422, "{field}: {res}");
        assert_eq!(error_code(&res), "bad_request");
        assert_eq!(res["error"]["fields"][0]["field"], field, "{res}");
    }
    let (_, list) = t.get("/api/v1/handoffs?kind=assist", &t.key).await;
    assert_eq!(list["data"], json!([]), "nothing was created");

    // A frame and a tap are checked the same way; a tap lands inside the viewport.
    let h = create(&t, with(&|_| ())).await;
    let hid = h["id"].as_str().unwrap();
    let (s, e) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/frames"),
            &t.key,
            json!({"screenshot": b64(b"\x00\x01"), "viewport": {"width": 1280, "height": 800}}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("screenshot"))
    );
    let (_, cookie) = t.signed_in("maria@acme.test", "Maria", &["operator"]).await;
    let (s, e) = call(
        &t,
        "assist_act",
        &cookie,
        &[("id", hid), ("x", "1280"), ("y", "10")],
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "x", "{e}");
    let (s, e) = call(&t, "assist_act", &cookie, &[("id", hid), ("key", "F5")]).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("key")),
        "{e}"
    );
    let (_, h) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(h["state"], "frozen", "a refused tap takes nothing");

    // Another organization's key sees nothing of it.
    let foreign = t.other_org_key("globex", &["admin"]).await;
    let (s, _) = t
        .get(&format!("/api/v1/handoffs/{hid}/actions?wait=0"), &foreign)
        .await;
    assert_eq!(s, 404);
    let frame = json!({"screenshot": b64(&png("x")), "viewport": {"width": 10, "height": 10}});
    let (s, _) = t
        .post(&format!("/api/v1/handoffs/{hid}/frames"), &foreign, frame)
        .await;
    assert_eq!(s, 404);
    let (s, _) = t.get(&format!("/api/v1/handoffs/{hid}"), &foreign).await;
    assert_eq!(s, 404);

    // Actions of a handoff of another kind do not exist.
    let (_, takeover) = t.takeover(0).await;
    let (s, _) = t
        .get(
            &format!(
                "/api/v1/handoffs/{}/actions?wait=0",
                takeover["id"].as_str().unwrap()
            ),
            &t.key,
        )
        .await;
    assert_eq!(s, 404);
    let (s, e) = t
        .get(&format!("/api/v1/handoffs/{hid}/actions?wait=26"), &t.key)
        .await;
    assert_eq!(
        (s, e["error"]["fields"][0]["field"].as_str()),
        (422, Some("wait"))
    );
}

/// Maria and Jordan, signed in (id, session cookie each), and a frozen assist
/// with its capture (its id).
async fn two_operators_and_a_frozen_assist(
    t: &TestApp,
) -> ((String, String), (String, String), String) {
    let maria = t.signed_in("maria@acme.test", "Maria", &["operator"]).await;
    let jordan = t
        .signed_in("jordan@acme.test", "Jordan", &["operator"])
        .await;
    let mut body = ask();
    body["capture"] = capture("m");
    let h = create(t, body).await;
    (maria, jordan, h["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn an_assist_can_be_expired_or_handed_to_another_operator_while_being_solved() {
    let t = TestApp::spawn().await;
    let ((maria, cookie), (jordan, other), hid) = two_operators_and_a_frozen_assist(&t).await;
    // Maria's first tap makes it hers (solving, the lease).
    let (s, _) = call(
        &t,
        "assist_act",
        &cookie,
        &[("id", &hid), ("x", "1"), ("y", "1")],
    )
    .await;
    assert_eq!(s, 200);
    let (_, h) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(
        (h["state"].as_str(), h["assist"]["lease_holder"].as_str()),
        (Some("solving"), Some(maria.as_str()))
    );
    // She went quiet: the integration hands it to Jordan, who can act now.
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/assign"),
            &t.key,
            json!({"assignee": jordan}),
        )
        .await;
    assert_eq!((s, h["state"].as_str()), (200, Some("opened")), "{h}");
    let (s, _) = call(&t, "assist_act", &other, &[("id", &hid), ("key", "Tab")]).await;
    assert_eq!(s, 200);
    let (s, e) = call(&t, "assist_act", &cookie, &[("id", &hid), ("key", "Tab")]).await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("taken")),
        "{e}"
    );

    // The agent host gives up: expired, and the agent's poll says so at once.
    let (s, h) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/expire"),
            &t.key,
            json!({"reason": "agent timed out"}),
        )
        .await;
    assert_eq!((s, h["state"].as_str()), (200, Some("expired")), "{h}");
    let got = actions(&t, &hid, 0, 25).await;
    assert_eq!(
        (got["state"].as_str(), got["actions"].clone()),
        (Some("expired"), json!([]))
    );
    let (s, _) = t
        .post(&format!("/api/v1/handoffs/{hid}/expire"), &t.key, json!({}))
        .await;
    assert_eq!(s, 409);
}

#[tokio::test]
async fn a_lease_whose_holder_went_quiet_is_taken_over_by_the_next_operators_action() {
    let t = TestApp::spawn().await;
    let ((maria, cookie), (jordan, other), hid) = two_operators_and_a_frozen_assist(&t).await;
    let tap = [("id", hid.as_str()), ("x", "1"), ("y", "1")];
    let (s, _) = call(&t, "assist_act", &cookie, &tap).await;
    assert_eq!(s, 200);
    // Maria is on it: Jordan cannot act.
    let (s, e) = call(&t, "assist_act", &other, &tap).await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("taken")),
        "{e}"
    );
    // Her phone died three minutes ago (her last move is the handoff's last change).
    let then = tapin::service::format_time(chrono::Utc::now() - chrono::Duration::minutes(3));
    let changed = t
        .db_exec(&format!(
            "UPDATE handoffs SET updated_at = '{then}' WHERE id = '{hid}'"
        ))
        .await;
    assert_eq!(changed, 1);
    let (s, e) = call(&t, "assist_act", &other, &tap).await;
    assert_eq!(s, 200, "{e}");
    let (_, h) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(
        (h["state"].as_str(), h["assist"]["lease_holder"].as_str()),
        (Some("solving"), Some(jordan.as_str()))
    );
    // The trail says who took it from whom, and why.
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    let taken = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "assign")
        .expect("an assign event");
    assert_eq!(taken["actor"], format!("operator:{jordan}"));
    assert_eq!(taken["data"]["lease_lapsed"], true);
    assert_eq!(taken["data"]["from_operator"], maria.as_str());
    assert!(taken["data"]["idle_seconds"].as_i64().unwrap() >= 170);
    // Now Maria is the one who waits; Jordan's lease is fresh.
    let (s, e) = call(&t, "assist_act", &cookie, &tap).await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("taken")),
        "{e}"
    );
    let (s, _) = call(&t, "assist_act", &other, &[("id", &hid), ("key", "Tab")]).await;
    assert_eq!(s, 200);
    let got = actions(&t, &hid, 0, 1).await;
    assert_eq!(got["actions"].as_array().unwrap().len(), 3, "{got}");
}

#[tokio::test]
async fn the_actions_stream_delivers_live_and_resumes_after_last_event_id() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t.signed_in("maria@acme.test", "Maria", &["operator"]).await;
    let mut body = ask();
    body["capture"] = capture("m");
    let hid = create(&t, body).await["id"].as_str().unwrap().to_string();
    let open = |last: Option<i64>| {
        let mut req = t
            .client
            .get(format!("{}/api/v1/handoffs/{hid}/actions", t.base))
            .header("x-api-key", &t.key)
            .header("accept", "text/event-stream");
        if let Some(id) = last {
            req = req.header("last-event-id", id.to_string());
        }
        req.send()
    };
    let mut res = open(None).await.unwrap();
    assert_eq!(res.status(), 200);
    let mut seen = String::new();
    assert!(
        read_until(&mut res, &mut seen, "\"state\":\"frozen\"").await,
        "{seen}"
    );
    let (s, _) = call(&t, "assist_act", &cookie, &[("id", &hid), ("text", "42")]).await;
    assert_eq!(s, 200);
    assert!(
        read_until(&mut res, &mut seen, "\"text\":\"42\"").await,
        "{seen}"
    );
    assert!(
        seen.contains("event: action") && seen.contains("id: 1"),
        "{seen}"
    );
    drop(res);
    let (s, _) = call(&t, "assist_act", &cookie, &[("id", &hid), ("key", "Enter")]).await;
    assert_eq!(s, 200);
    // Reconnecting after 1: only the Enter comes, and 1 is acknowledged (deleted).
    let mut res = open(Some(1)).await.unwrap();
    let mut seen = String::new();
    assert!(
        read_until(&mut res, &mut seen, "\"key\":\"Enter\"").await,
        "{seen}"
    );
    assert!(!seen.contains("\"text\":\"42\""), "{seen}");
    let left: Vec<(i64,)> = t
        .db_rows(&format!(
            "SELECT MIN(seq) FROM assist_actions WHERE handoff_id = '{hid}'"
        ))
        .await;
    assert_eq!(left[0].0, 2);
    // Done ends the stream after saying so.
    let (s, _) = call(&t, "assist_done", &cookie, &[("id", &hid)]).await;
    assert_eq!(s, 200);
    assert!(
        read_until(&mut res, &mut seen, "resume_requested").await,
        "{seen}"
    );
}

async fn read_until(res: &mut reqwest::Response, seen: &mut String, needle: &str) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains(needle) {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => return false,
        }
    }
    true
}

/// Every byte the database holds: the SQLite files as they are on disk, or
/// every row of every PostgreSQL table as text.
async fn raw_database(t: &TestApp) -> Vec<u8> {
    match backend() {
        Backend::Sqlite => {
            let mut all = Vec::new();
            for name in ["tapin.db", "tapin.db-wal"] {
                if let Ok(b) = std::fs::read(t.dir.path().join(name)) {
                    all.extend(b);
                }
            }
            all
        }
        Backend::Postgres => {
            let tables: Vec<(String,)> = t
                .db_rows(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                )
                .await;
            let mut all = Vec::new();
            for (name,) in tables {
                let rows: Vec<(String,)> = t
                    .db_rows(&format!("SELECT row_to_json(x)::text FROM \"{name}\" x"))
                    .await;
                for (r,) in rows {
                    all.extend(r.into_bytes());
                }
            }
            all
        }
    }
}

/// Four nullable text columns of one row.
type Row4 = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn captured_state_is_sealed_at_rest_and_purged_after_the_end() {
    let t = TestApp::spawn_with(|c| c.assist_capture_retention_hours = 0).await;
    let (_, cookie) = t.signed_in("maria@acme.test", "Maria", &["operator"]).await;
    let mut body = ask();
    body["capture"] = capture(SCREEN_MARKER);
    let hid = create(&t, body).await["id"].as_str().unwrap().to_string();
    let (s, _) = call(
        &t,
        "assist_act",
        &cookie,
        &[("id", &hid), ("text", TYPED_SECRET)],
    )
    .await;
    assert_eq!(s, 200);
    // Not yet delivered: the typed text waits in the database, sealed.
    let sealed: Vec<(String, Option<String>, Option<String>)> = t
        .db_rows(&format!(
            "SELECT frame, dom_snapshot, browser_state FROM assist_handoffs WHERE handoff_id = '{hid}'"
        ))
        .await;
    assert!(sealed[0].0.starts_with("sealed:v1:"));
    assert!(sealed[0].1.as_deref().unwrap().starts_with("sealed:v1:"));
    assert!(sealed[0].2.as_deref().unwrap().starts_with("sealed:v1:"));
    let raw = raw_database(&t).await;
    let screenshot_b64 = b64(&png(SCREEN_MARKER));
    for secret in [
        COOKIE_SECRET,
        STORAGE_SECRET,
        SCREEN_MARKER,
        TYPED_SECRET,
        &screenshot_b64,
    ] {
        assert!(
            !holds(&raw, secret),
            "`{secret}` is in the database in clear"
        );
    }
    assert!(holds(&raw, "sealed:v1:"), "the scan reads the rows");
    // Yet the agent and the operator get them back.
    let got = actions(&t, &hid, 0, 0).await;
    assert_eq!(got["actions"][0]["text"], TYPED_SECRET);
    let (_, img, _) = page(&t, &format!("/m/{hid}/frame"), &cookie).await;
    assert_eq!(img, png(SCREEN_MARKER));

    // After the end and the retention (0 h here), the housekeeping purges the capture.
    let (s, _) = call(&t, "assist_done", &cookie, &[("id", &hid)]).await;
    assert_eq!(s, 200);
    for step in ["resume", "complete"] {
        let (s, _) = t
            .post(&format!("/api/v1/handoffs/{hid}/{step}"), &t.key, json!({}))
            .await;
        assert_eq!(s, 200);
    }
    let purged =
        tapin::service::assist::purge(&t.app, chrono::Utc::now() + chrono::Duration::seconds(1))
            .await
            .unwrap();
    assert_eq!(purged, 1);
    let left: Vec<Row4> = t
        .db_rows(&format!(
            "SELECT frame, dom_snapshot, browser_state, CAST(purged_at AS TEXT) \
             FROM assist_handoffs WHERE handoff_id = '{hid}'"
        ))
        .await;
    assert_eq!((&left[0].0, &left[0].1, &left[0].2), (&None, &None, &None));
    assert!(left[0].3.is_some(), "purged_at is set");
    let (s, _, _) = page(&t, &format!("/m/{hid}/frame"), &cookie).await;
    assert_eq!(s, 404, "the purged frame is gone");
    let (_, h) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert!(h["assist"]["purged_at"].is_string(), "{h}");
}

#[tokio::test]
async fn an_action_on_one_node_reaches_the_agents_long_poll_on_another() {
    let a = TestApp::spawn().await;
    if a.pg.is_none() {
        return; // one node per SQLite file
    }
    tapin::workers::notices::spawn(a.app.clone()).await.unwrap();
    let b = a.reopen().await;
    tapin::workers::notices::spawn(b.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b_base = format!("http://{}", listener.local_addr().unwrap());
    let router = tapin::server::router(b.clone());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service())
            .await
            .unwrap();
    });
    let (_, cookie) = a.signed_in("maria@acme.test", "Maria", &["operator"]).await;
    let mut body = ask();
    body["capture"] = capture("m");
    let hid = create(&a, body).await["id"].as_str().unwrap().to_string();
    // The agent waits on node B; the operator acts on node A.
    let poll = {
        let (client, key, hid) = (a.client.clone(), a.key.clone(), hid.clone());
        tokio::spawn(async move {
            client
                .get(format!(
                    "{b_base}/api/v1/handoffs/{hid}/actions?after=0&wait=25"
                ))
                .header("x-api-key", key)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        })
    };
    let (s, _) = call(&a, "assist_act", &cookie, &[("id", &hid), ("text", "777")]).await;
    assert_eq!(s, 200);
    let got = tokio::time::timeout(Duration::from_secs(10), poll)
        .await
        .expect("node B's long-poll wakes for an action stored on node A")
        .unwrap();
    assert_eq!(got["actions"][0]["text"], "777", "{got}");
}

#[tokio::test]
async fn an_assist_nobody_solves_expires_at_its_timeout_even_before_its_capture() {
    use tapin::workers::timers;
    let t = TestApp::spawn().await;
    let mut body = ask();
    body["timeout_seconds"] = json!(60);
    let hid = create(&t, body).await["id"].as_str().unwrap().to_string();
    assert_eq!(timers::tick(&t.app, chrono::Utc::now()).await.unwrap(), 0);
    assert_eq!(
        timers::tick(&t.app, chrono::Utc::now() + chrono::Duration::seconds(61))
            .await
            .unwrap(),
        1
    );
    let got = actions(&t, &hid, 0, 25).await;
    assert_eq!(got["state"], "expired", "the agent hears it at once");
    let (s, e) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/frozen"),
            &t.key,
            json!({"capture": capture("late")}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("handoff_finished"))
    );
}

#[tokio::test]
async fn without_wasm_the_code_form_posts_and_comes_back_to_the_page() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t.signed_in("maria@acme.test", "Maria", &["operator"]).await;
    let mut body = ask();
    body["capture"] = capture("m");
    let hid = create(&t, body).await["id"].as_str().unwrap().to_string();
    // As a browser without script submits the form: its fields, pressing Enter.
    let page_url = format!("/m/{hid}");
    let res = t
        .client
        .post(format!("{}/fn/assist_act", t.base))
        .header("cookie", &cookie)
        .header("accept", "text/html,application/xhtml+xml")
        .form(&[("id", hid.as_str()), ("text", "246810"), ("key", "Enter")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"].to_str().unwrap(), page_url);
    let got = actions(&t, &hid, 0, 0).await;
    assert_eq!(
        got["actions"],
        json!([
            {"seq": 1, "type": "text", "text": "246810"},
            {"seq": 2, "type": "key", "key": "Enter"},
        ])
    );
    let res = t
        .client
        .post(format!("{}/fn/assist_done", t.base))
        .header("cookie", &cookie)
        .header("accept", "text/html,application/xhtml+xml")
        .form(&[("id", hid.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"].to_str().unwrap(), page_url);
    assert_eq!(actions(&t, &hid, 2, 0).await["state"], "resume_requested");
}

#[tokio::test]
async fn an_agent_that_does_not_acknowledge_holds_back_the_operator_after_100_actions() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t.signed_in("maria@acme.test", "Maria", &["operator"]).await;
    let mut body = ask();
    body["capture"] = capture("m");
    let hid = create(&t, body).await["id"].as_str().unwrap().to_string();
    for _ in 0..100 {
        let (s, e) = call(&t, "assist_act", &cookie, &[("id", &hid), ("key", "Tab")]).await;
        assert_eq!(s, 200, "{e}");
    }
    let (s, e) = call(&t, "assist_act", &cookie, &[("id", &hid), ("key", "Tab")]).await;
    assert_eq!(
        (s, e["error"]["reason"].as_str()),
        (409, Some("agent_behind")),
        "{e}"
    );
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    let acts = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "act")
        .count();
    assert_eq!(acts, 100, "the refused action is not in the audit trail");
    // Once the agent acknowledges, the operator goes on.
    assert_eq!(actions(&t, &hid, 100, 0).await["actions"], json!([]));
    let (s, seq) = call(&t, "assist_act", &cookie, &[("id", &hid), ("key", "Enter")]).await;
    assert_eq!((s, seq), (200, json!(101)));
}
