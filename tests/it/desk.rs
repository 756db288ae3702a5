//! The operator's desk (issue 15): one header on every signed-in page, search
//! over open and finished handoffs, the history of finished ones with who
//! acted and how long it took, counts and waiting times on the inbox, and the
//! organization's response target.

use crate::common::{error_code, takeover_body, TestApp};
use serde_json::{json, Value};

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

/// A takeover whose packet says `text`, on a conversation with `customer` as its reference.
async fn takeover_saying(t: &TestApp, text: &str, customer: &str) -> String {
    let (s, conv) = t
        .post(
            "/api/v1/conversations",
            &t.key,
            json!({"external_ref": customer}),
        )
        .await;
    assert_eq!(s, 201, "{conv}");
    let mut body = takeover_body(conv["id"].as_str().unwrap());
    body["packet"]["static_text"] = json!(text);
    let (s, h) = t.post("/api/v1/handoffs", &t.key, body).await;
    assert_eq!(s, 201, "{h}");
    h["id"].as_str().unwrap().to_string()
}

fn ids(list: &Value) -> Vec<&str> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn every_desk_page_has_the_same_header_and_administration_only_for_admins() {
    let t = TestApp::spawn().await;
    let (_, admin) = t.signed_in("ann@acme.test", "Ann Admin", &["admin"]).await;
    let (_, agent) = t
        .signed_in("bo@acme.test", "Bo Support", &["support"])
        .await;
    let hid = takeover_saying(&t, "Where is my parcel?", "cust-1").await;
    let pages = [
        "/inbox".to_string(),
        "/history".to_string(),
        "/settings".to_string(),
        format!("/m/{hid}"),
    ];
    for path in &pages {
        let (s, html) = page(&t, path, &agent).await;
        assert_eq!(s, 200, "{path}");
        for link in [
            r#"href="/inbox""#,
            r#"href="/history""#,
            r#"href="/settings""#,
        ] {
            assert!(html.contains(link), "{path} links {link}");
        }
        assert!(html.contains("Bo Support"), "{path} names who is signed in");
        assert!(
            html.contains(r#"action="/fn/logout""#),
            "{path} can sign out"
        );
        assert!(
            !html.contains(r#"href="/admin""#),
            "{path}: no Administration for support"
        );
        assert!(html.contains("<title>"), "{path} has a title");
    }
    for path in pages.iter().map(String::as_str).chain([
        "/admin",
        "/admin/routing",
        "/admin/webhooks",
        "/admin/metrics",
    ]) {
        let (s, html) = page(&t, path, &admin).await;
        assert_eq!(s, 200, "{path}");
        assert!(
            html.contains(r#"href="/admin""#),
            "{path}: Administration for admins"
        );
        assert!(html.contains("Ann Admin"), "{path}");
    }
    // The current page is marked for assistive technology.
    let (_, html) = page(&t, "/history", &agent).await;
    assert!(
        html.contains(r#"href="/history" aria-current="page""#),
        "{html}"
    );
}

#[tokio::test]
async fn the_api_searches_text_subject_customer_and_operator_and_takes_percent_literally() {
    let t = TestApp::spawn().await;
    let parcel = takeover_saying(&t, "Parcel 100% lost in Zwolle", "order-7781").await;
    let other = takeover_saying(&t, "Password reset", "order-1234").await;
    let (_, a) = t.approval(json!({"subject_ref": "wire.transfer"})).await;
    let approval = a["id"].as_str().unwrap().to_string();

    let search = |q: &str| format!("/api/v1/handoffs?q={}", urlencode(q));
    let (s, list) = t.get(&search("zwolle"), &t.key).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(
        ids(&list),
        [parcel.as_str()],
        "case-insensitive packet text"
    );
    assert_eq!(
        ids(&t.get(&search("order-1234"), &t.key).await.1),
        [other.as_str()]
    );
    assert_eq!(
        ids(&t.get(&search("WIRE.TRANS"), &t.key).await.1),
        [approval.as_str()]
    );
    assert_eq!(
        ids(&t.get(&search("100%"), &t.key).await.1),
        [parcel.as_str()]
    );
    assert!(ids(&t.get(&search("%"), &t.key).await.1).contains(&parcel.as_str()));
    assert!(
        ids(&t.get(&search("_"), &t.key).await.1).is_empty(),
        "`_` is not a wildcard"
    );

    let (s, body) = t.get(&search(&"x".repeat(101)), &t.key).await;
    assert_eq!((s, error_code(&body)), (422, "bad_request"));
    assert_eq!(body["error"]["fields"][0]["field"], "q", "{body}");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn history_shows_how_each_finished_and_who_acted_and_searches_finished_ones() {
    let t = TestApp::spawn().await;
    let (op, cookie) = t
        .signed_in("cy@acme.test", "Cy Operator", &["billing_manager"])
        .await;
    let resolved = takeover_saying(&t, "Refund for the blue kettle", "cust-kettle").await;
    let open = takeover_saying(&t, "Kettle still open", "cust-open").await;
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{resolved}/resolve"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    // An approval the operator denies on the page.
    let (_, a) = t.approval(json!({})).await;
    let aid = a["id"].as_str().unwrap().to_string();
    let (s, body) = call(
        &t,
        "decide",
        &cookie,
        &[
            ("id", aid.as_str()),
            ("approve", "false"),
            ("note", "not this one"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");

    let (s, html) = page(&t, "/history", &cookie).await;
    assert_eq!(s, 200);
    assert!(html.contains("Refund for the blue kettle"), "{html}");
    assert!(
        !html.contains("Kettle still open"),
        "open items are not history"
    );
    assert!(
        html.contains(">resolved<") && html.contains(">denied<"),
        "{html}"
    );
    assert!(html.contains("Cy Operator"), "the decider by name: {html}");
    assert!(
        html.contains(&format!("title=\"operator:{op}\"")),
        "the id on hover"
    );
    assert!(
        html.contains("key “test”"),
        "the resolving key by name: {html}"
    );
    assert!(html.contains("took "), "{html}");

    let (_, html) = page(&t, "/history?q=BLUE+kettle", &cookie).await;
    assert!(html.contains(&format!("/m/{resolved}")), "{html}");
    assert!(!html.contains(&format!("/m/{aid}")));
    let (_, html) = page(&t, "/history?q=cy+OPERATOR", &cookie).await;
    assert!(
        html.contains(&format!("/m/{aid}")),
        "by the decider's name: {html}"
    );
    assert!(!html.contains(&format!("/m/{resolved}")));
    let (_, html) = page(&t, "/history?q=nothing-like-this", &cookie).await;
    assert!(html.contains("Nothing finished matches"), "{html}");
    let (_, html) = page(&t, "/history?kind=approval", &cookie).await;
    assert!(html.contains(&format!("/m/{aid}")) && !html.contains(&format!("/m/{resolved}")));
    let (s, _) = page(&t, "/history?kind=nonsense", &cookie).await;
    assert_eq!(s, 422);
    // The inbox finds the open one by the same words.
    let (_, html) = page(&t, "/inbox?q=kettle", &cookie).await;
    assert!(html.contains(&format!("/m/{open}")) && !html.contains(&format!("/m/{resolved}")));
}

#[tokio::test]
async fn history_pages_through_older_items() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t.signed_in("di@acme.test", "Di", &[]).await;
    let mut finished = Vec::new();
    for i in 0..26 {
        let id = takeover_saying(&t, &format!("Ticket {i:02}"), &format!("c{i}")).await;
        let (s, _) = t
            .post(&format!("/api/v1/handoffs/{id}/resolve"), &t.key, json!({}))
            .await;
        assert_eq!(s, 200);
        finished.push(id);
    }
    let (_, first) = page(&t, "/history", &cookie).await;
    assert!(
        first.contains("Ticket 25") && !first.contains("Ticket 00"),
        "newest 25 first"
    );
    assert!(first.contains(">Older<"), "{first}");
    let before = &finished[1]; // the 25th newest
    let (_, second) = page(&t, &format!("/history?before={before}"), &cookie).await;
    assert!(
        second.contains("Ticket 00") && !second.contains("Ticket 01"),
        "{second}"
    );
    assert!(!second.contains(">Older<"), "the last page");
}

#[tokio::test]
async fn the_inbox_counts_open_items_and_shows_how_long_each_has_waited() {
    let t = TestApp::spawn().await;
    let (_, cookie) = t
        .signed_in("ed@acme.test", "Ed", &["billing_manager"])
        .await;
    takeover_saying(&t, "First", "c1").await;
    takeover_saying(&t, "Second", "c2").await;
    t.approval(json!({})).await;
    let (_, html) = page(&t, "/inbox", &cookie).await;
    let html = html.replace("<!>", ""); // Leptos's text-node markers
    let counts = &html[html.find("data-testid=\"counts\"").expect("counts")..];
    assert!(counts.contains("takeover <strong>2</strong>"), "{counts}");
    assert!(counts.contains("approval <strong>1</strong>"), "{counts}");
    assert_eq!(html.matches("data-testid=\"waited\"").count(), 3);
    assert!(
        html.contains("data-urgency=\"ok\""),
        "just created: well within 5 minutes"
    );
    assert!(
        html.contains("waiting 0 s") || html.contains("waiting 1 s"),
        "{html}"
    );
}

#[tokio::test]
async fn the_response_target_is_set_by_admins_in_minutes_and_checked() {
    let t = TestApp::spawn().await;
    let (_, admin) = t.signed_in("fa@acme.test", "Fa", &["admin"]).await;
    let (_, support) = t.signed_in("gu@acme.test", "Gu", &["support"]).await;
    for bad in ["0", "1441", "ten", "-5", ""] {
        let (s, body) = call(
            &t,
            "admin_save_response_target",
            &admin,
            &[("response_target_minutes", bad)],
        )
        .await;
        assert_eq!(s, 422, "{bad:?}: {body}");
        assert_eq!(
            body["error"]["fields"][0]["field"], "response_target_minutes",
            "{body}"
        );
    }
    let (s, _) = call(
        &t,
        "admin_save_response_target",
        &support,
        &[("response_target_minutes", "2")],
    )
    .await;
    assert_eq!(s, 403, "only admins");
    let (s, body) = call(
        &t,
        "admin_save_response_target",
        &admin,
        &[("response_target_minutes", "2")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        tapin::service::admin::response_target(&t.app, &t.org_id)
            .await
            .unwrap(),
        120
    );
    let (_, html) = page(&t, "/admin", &admin).await;
    assert!(html.contains(r#"name="response_target_minutes""#) && html.contains(r#"value="2""#));
}

#[tokio::test]
async fn canned_replies_are_managed_by_admins_and_read_from_a_handoff() {
    let t = TestApp::spawn().await;
    let (_, admin) = t.signed_in("ha@acme.test", "Ha", &["admin"]).await;
    let (_, support) = t.signed_in("io@acme.test", "Io", &["support"]).await;
    let (s, body) = call(
        &t,
        "admin_add_snippet",
        &admin,
        &[
            ("shortcut", "/Refund-Policy"),
            ("body", "Refunds take 5 days."),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    for (shortcut, text, field) in [
        ("two words", "x", "shortcut"),
        ("refund-policy", "taken", "shortcut"),
        ("ok", "   ", "body"),
    ] {
        let (s, body) = call(
            &t,
            "admin_add_snippet",
            &admin,
            &[("shortcut", shortcut), ("body", text)],
        )
        .await;
        assert_eq!(s, 422, "{shortcut:?}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], field, "{body}");
    }
    let long = "y".repeat(2_001);
    let (s, _) = call(
        &t,
        "admin_add_snippet",
        &admin,
        &[("shortcut", "long"), ("body", &long)],
    )
    .await;
    assert_eq!(s, 422, "past 2,000 characters");
    let (s, _) = call(
        &t,
        "admin_add_snippet",
        &support,
        &[("shortcut", "mine"), ("body", "x")],
    )
    .await;
    assert_eq!(s, 403, "only admins add canned replies");

    // Any operator reads them on a handoff's page, shortcut folded to lower case.
    let hid = takeover_saying(&t, "Needs a refund answer", "c9").await;
    let (s, list) = call(&t, "snippets", &support, &[("id", hid.as_str())]).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list[0]["shortcut"], "refund-policy");
    assert_eq!(list[0]["body"], "Refunds take 5 days.");
    let (s, _) = call(&t, "snippets", "", &[("id", hid.as_str())]).await;
    assert_eq!(s, 401, "signed out");

    let id = list[0]["id"].as_str().unwrap().to_string();
    let (s, _) = call(&t, "admin_delete_snippet", &support, &[("id", id.as_str())]).await;
    assert_eq!(s, 403);
    let (s, _) = call(&t, "admin_delete_snippet", &admin, &[("id", id.as_str())]).await;
    assert_eq!(s, 200);
    let (s, _) = call(&t, "admin_delete_snippet", &admin, &[("id", id.as_str())]).await;
    assert_eq!(s, 404, "already gone");
    let (_, list) = call(&t, "snippets", &support, &[("id", hid.as_str())]).await;
    assert_eq!(list, json!([]));
}
