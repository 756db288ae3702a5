//! Signed single-use operator links and the `/m/<id>` page.

use crate::common::TestApp;
use serde_json::json;
use tapin::service::{links, orgs};

struct Page {
    status: u16,
    html: String,
    location: Option<String>,
    cookie: Option<String>,
}

async fn get(t: &TestApp, path_and_query: &str, cookie: Option<&str>) -> Page {
    let mut req = t.client.get(format!("{}{path_and_query}", t.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    page(req.send().await.unwrap()).await
}

async fn open(t: &TestApp, hid: &str, token: &str, origin: Option<&str>) -> Page {
    let mut req = t
        .client
        .post(format!("{}/m/{hid}/open", t.base))
        .form(&[("t", token)]);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    page(req.send().await.unwrap()).await
}

async fn page(res: reqwest::Response) -> Page {
    let header = |n: &str| {
        res.headers()
            .get(n)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let location = header("location");
    let cookie = header("set-cookie");
    Page {
        status: res.status().as_u16(),
        location,
        cookie,
        html: res.text().await.unwrap(),
    }
}

fn token_of(url: &str) -> String {
    url.split("?t=").nth(1).unwrap().to_string()
}

async fn setup(t: &TestApp) -> (String, String, String) {
    let (_, h) = t.takeover(2).await;
    let hid = h["id"].as_str().unwrap().to_string();
    let op = orgs::create_operator(&t.app, &t.org_id, "sam@acme.test", "Sam", vec![])
        .await
        .unwrap();
    let url = links::sign(&t.app, &hid, &op.id, 60).unwrap();
    assert!(url.starts_with(&format!("{}/m/{hid}?t=", t.base)));
    (hid, op.id, token_of(&url))
}

async fn state_of(t: &TestApp, hid: &str) -> String {
    t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await.1["state"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn get_asks_for_a_tap_and_does_not_burn_the_link() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    for _ in 0..2 {
        let p = get(&t, &format!("/m/{hid}?t={token}"), None).await;
        assert_eq!(p.status, 200);
        assert!(p.html.contains("Open handoff"), "{}", p.html);
        assert!(p.html.contains(&format!("action=\"/m/{hid}/open\"")));
    }
    assert_eq!(state_of(&t, &hid).await, "created", "a GET changes nothing");
}

/// Leptos's server-side Suspense could lose its wake-up under concurrent load
/// and never answer; pages now load their data before rendering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_answer_completely_under_concurrent_load() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    let paths = [
        format!("/m/{hid}?t={token}"),
        "/inbox".into(),
        "/admin".into(),
    ];
    for _ in 0..3 {
        let pages = (0..60).map(|i| get(&t, &paths[i % 3], None));
        for p in futures::future::join_all(pages).await {
            assert!(p.html.contains("</html>"), "{}", p.html);
        }
    }
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_and_event_streams_are_not() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    let res = t
        .client
        .get(format!("{}/m/{hid}?t={token}", t.base))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    let res = t
        .client
        .get(format!("{}/api/v1/audit/stream", t.base))
        .header("x-api-key", &t.key)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    assert!(
        res.headers().get("content-encoding").is_none(),
        "a compressed stream would hold events back"
    );
}

#[tokio::test]
async fn tapping_opens_the_handoff_starts_a_session_and_shows_the_packet() {
    let t = TestApp::spawn().await;
    let (hid, op_id, token) = setup(&t).await;
    let p = open(&t, &hid, &token, Some(&t.base)).await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location.as_deref(), Some(format!("/m/{hid}").as_str()));
    let cookie = p.cookie.expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http in tests");
    let (_, h) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(
        (h["state"].as_str(), h["status"].as_str()),
        (Some("opened"), Some("assigned"))
    );
    assert_eq!(h["assignee"], op_id.as_str());

    let session = cookie.split(';').next().unwrap().to_string();
    let page = get(&t, &format!("/m/{hid}"), Some(&session)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.html
            .contains("Customer was double-charged and wants a refund."),
        "{}",
        page.html
    );
    assert!(page.html.contains("Refunds need billing access."));
    assert!(page.html.contains("INV-1"));
    assert!(
        page.html.contains("message 2"),
        "transcript up to the pointer"
    );

    let events = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await
        .1;
    assert_eq!(events[1]["event"], "open");
    assert_eq!(events[1]["actor"], format!("operator:{op_id}"));
}

#[tokio::test]
async fn a_reused_link_shows_already_used_and_changes_nothing() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    assert_eq!(open(&t, &hid, &token, None).await.status, 303);
    let (_, before) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;

    let again = open(&t, &hid, &token, None).await;
    assert_eq!(
        again.location.as_deref(),
        Some(format!("/m/{hid}?problem=used").as_str())
    );
    assert!(again.cookie.is_none(), "no session for a reused link");
    let p = get(&t, &format!("/m/{hid}?t={token}"), None).await;
    assert!(p.html.contains("This link was already used"), "{}", p.html);
    let (_, after) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(before["version"], after["version"]);
}

#[tokio::test]
async fn tampered_expired_and_foreign_links_get_clear_pages() {
    let t = TestApp::spawn().await;
    let (hid, op_id, token) = setup(&t).await;

    // Flip one character in the middle of the token.
    let mut bytes = token.clone().into_bytes();
    bytes[40] = if bytes[40] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let p = get(&t, &format!("/m/{hid}?t={tampered}"), None).await;
    assert!(p.html.contains("This link is damaged"), "{}", p.html);
    let p = open(&t, &hid, &tampered, None).await;
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/m/{hid}?problem=tampered").as_str())
    );

    let expired = token_of(&links::sign(&t.app, &hid, &op_id, -1).unwrap());
    let p = get(&t, &format!("/m/{hid}?t={expired}"), None).await;
    assert!(p.html.contains("This link has expired"), "{}", p.html);

    // A valid link for another handoff, pasted onto this one.
    let (_, other) = t.takeover(0).await;
    let other_token =
        token_of(&links::sign(&t.app, other["id"].as_str().unwrap(), &op_id, 60).unwrap());
    let p = get(&t, &format!("/m/{hid}?t={other_token}"), None).await;
    assert!(
        p.html.contains("This link is for a different handoff"),
        "{}",
        p.html
    );
    assert_eq!(
        open(&t, &hid, &other_token, None).await.location.as_deref(),
        Some(format!("/m/{hid}?problem=foreign").as_str())
    );

    // An operator of another organization.
    let globex = orgs::create_org(&t.app, "globex", None).await.unwrap();
    let stranger = orgs::create_operator(&t.app, &globex.id, "eve@globex.test", "Eve", vec![])
        .await
        .unwrap();
    let foreign = token_of(&links::sign(&t.app, &hid, &stranger.id, 60).unwrap());
    let p = open(&t, &hid, &foreign, None).await;
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/m/{hid}?problem=foreign").as_str())
    );

    assert_eq!(
        state_of(&t, &hid).await,
        "created",
        "none of these changed anything"
    );
    // The original link still works afterwards.
    assert_eq!(open(&t, &hid, &token, None).await.status, 303);
}

#[tokio::test]
async fn a_link_to_a_resolved_handoff_says_so() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    t.post(
        &format!("/api/v1/handoffs/{hid}/resolve"),
        &t.key,
        json!({}),
    )
    .await;
    let p = get(&t, &format!("/m/{hid}?t={token}"), None).await;
    assert!(
        p.html.contains("This handoff is already closed"),
        "{}",
        p.html
    );
}

#[tokio::test]
async fn without_a_session_the_page_asks_for_the_link() {
    let t = TestApp::spawn().await;
    let (hid, _, _) = setup(&t).await;
    let p = get(&t, &format!("/m/{hid}"), None).await;
    assert!(p.html.contains("Open this from your notification"));
    assert!(
        !p.html.contains("double-charged"),
        "no packet without a session"
    );
    let p = get(&t, &format!("/m/{hid}"), Some("tapin_session=forged")).await;
    assert!(!p.html.contains("double-charged"));
}

#[tokio::test]
async fn a_session_cannot_read_another_organizations_handoff() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    let session = open(&t, &hid, &token, None).await.cookie.unwrap();
    let session = session.split(';').next().unwrap();
    let other_key = t.other_org_key("globex", &["admin"]).await;
    let (_, conv) = t.post("/api/v1/conversations", &other_key, json!({})).await;
    let (_, theirs) = t
        .post(
            "/api/v1/handoffs",
            &other_key,
            crate::common::takeover_body(conv["id"].as_str().unwrap()),
        )
        .await;
    let theirs = format!("/m/{}", theirs["id"].as_str().unwrap());
    // A link session reaches its own handoff only: anything else asks for the link.
    let p = get(&t, &theirs, Some(session)).await;
    assert!(
        p.html.contains("Open this from your notification"),
        "{}",
        p.html
    );
    // A password session of the organization: another tenant's handoff does not exist.
    let (_, password) = t.signed_in("pat@acme.test", "Pat", &[]).await;
    let p = get(&t, &theirs, Some(&password)).await;
    assert!(p.html.contains("Handoff not found"), "{}", p.html);
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    let p = open(&t, &hid, &token, Some("https://evil.example")).await;
    assert_eq!(p.status, 403);
    let p = open(&t, &hid, &token, Some("null")).await;
    assert_eq!(
        p.status, 403,
        "sandboxed or file:// pages send Origin: null"
    );
    assert_eq!(state_of(&t, &hid).await, "created");
    // Under `Referrer-Policy: no-referrer` our own form posts say `Origin:
    // null`; the browser's Sec-Fetch-Site tells them apart.
    let forged = t
        .client
        .post(format!("{}/m/{hid}/open", t.base))
        .header("origin", "null")
        .header("sec-fetch-site", "cross-site")
        .form(&[("t", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let own = t
        .client
        .post(format!("{}/m/{hid}/open", t.base))
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&[("t", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 303);
    assert_eq!(state_of(&t, &hid).await, "opened");
}

#[tokio::test]
async fn the_public_url_is_our_origin_too() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    // The configured public URL is accepted (reverse proxies may rewrite Host).
    assert_eq!(open(&t, &hid, &token, Some(&t.base)).await.status, 303);
}

#[tokio::test]
async fn two_taps_racing_on_one_link_open_it_once() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    let (a, b) = tokio::join!(open(&t, &hid, &token, None), open(&t, &hid, &token, None));
    let sessions = [a.cookie.is_some(), b.cookie.is_some()];
    assert_eq!(
        sessions.iter().filter(|s| **s).count(),
        1,
        "exactly one session"
    );
    let events = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await
        .1;
    assert_eq!(events.as_array().unwrap().len(), 2, "create + one open");
}

#[tokio::test]
async fn pages_load_the_bundle_cargo_leptos_writes() {
    // Whatever built this binary (cargo test here), the page must ask for
    // /pkg/tapin.wasm and /pkg/tapin.js, the names cargo-leptos produces.
    let t = TestApp::spawn().await;
    let p = get(&t, "/", None).await;
    assert!(p.html.contains("/pkg/tapin.js"), "{}", p.html);
    assert!(
        p.html.contains("/pkg/tapin.wasm") && !p.html.contains("tapin_bg"),
        "{}",
        p.html
    );
}

#[tokio::test]
async fn the_handoff_page_loads_the_phone_module_once_it_is_built() {
    let t = TestApp::spawn().await;
    let (_, h) = t.takeover(2).await;
    let hid = h["id"].as_str().unwrap().to_string();
    let page = |path: String| {
        let t = &t;
        async move { get(t, &path, None).await.html }
    };
    // Without pkg/phone (a site built by cargo-leptos alone) every page loads
    // the full module.
    assert!(page(format!("/m/{hid}"))
        .await
        .contains(r#""/pkg/tapin.js""#));
    let phone = t.dir.path().join("site/pkg/phone");
    std::fs::create_dir_all(&phone).unwrap();
    std::fs::write(phone.join("tapin.wasm"), b"\0asm").unwrap();
    let m = page(format!("/m/{hid}")).await;
    assert!(
        m.contains(r#""/pkg/phone/tapin.js""#) && m.contains(r#""/pkg/phone/tapin.wasm""#),
        "{m}"
    );
    // The desk's pages keep the module with their islands.
    for desk in ["/", "/login", "/inbox"] {
        let html = page(desk.to_string()).await;
        assert!(
            html.contains(r#""/pkg/tapin.js""#) && !html.contains("/pkg/phone/"),
            "{desk}: {html}"
        );
    }
}

async fn login(t: &TestApp, org: &str, email: &str, password: &str) -> reqwest::Response {
    t.client
        .post(format!("{}/fn/login", t.base))
        .header("accept", "application/json")
        .form(&[
            ("organization", org),
            ("email", email),
            ("password", password),
            ("next", "/inbox"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn password_sign_in_starts_a_session_and_sign_out_ends_it() {
    let t = TestApp::spawn().await;
    let op = orgs::create_operator(&t.app, &t.org_id, "pat@acme.test", "Pat", vec![])
        .await
        .unwrap();
    tapin::service::passwords::set(&t.app, &op, "a long enough secret")
        .await
        .unwrap();

    for (org, email, pw) in [
        ("acme", "pat@acme.test", "wrong password!"),
        ("acme", "nobody@acme.test", "a long enough secret"),
        ("nope", "pat@acme.test", "a long enough secret"),
    ] {
        let res = login(&t, org, email, pw).await;
        assert_eq!(res.status(), 401, "{org}/{email}");
        assert!(res.headers().get("set-cookie").is_none());
        let body = res.text().await.unwrap();
        assert!(
            body.contains("wrong organization, email or password"),
            "one message for every failure: {body}"
        );
    }

    let res = login(&t, "acme", "PAT@acme.test", "a long enough secret").await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let session = cookie.split(';').next().unwrap().to_string();
    let inbox = get(&t, "/inbox", Some(&session)).await;
    assert!(
        inbox.html.contains("Inbox") && inbox.html.contains("Pat"),
        "{}",
        inbox.html
    );

    let out = t
        .client
        .post(format!("{}/fn/logout", t.base))
        .header("cookie", &session)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let after = get(&t, "/inbox", Some(&session)).await;
    assert!(
        after.html.contains("Sign in to see the inbox"),
        "the session is gone server-side too"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account() {
    let t = TestApp::spawn().await;
    // All at once: the limit is checked before the (slow) password hash, so
    // the outcome does not depend on how fast this machine hashes.
    let attempts = (0..12).map(|_| login(&t, "acme", "pat@acme.test", "guess guess guess"));
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        2,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn random_emails_from_one_address_are_limited_and_the_server_still_answers() {
    let t = TestApp::spawn_with(|c| c.sign_in_per_address_per_minute = 5).await;
    // A different account each time: only the per-address budget can stop them.
    let attempts = (0..15).map(|i| {
        let email = format!("nobody{i}@acme.test");
        let t = &t;
        async move { login(t, "acme", &email, "guess guess guess").await }
    });
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let count = |want: u16| statuses.iter().filter(|s| **s == want).count();
    assert_eq!((count(401), count(429)), (5, 10), "{statuses:?}");
    let (s, _) = t.get("/api/v1/healthz", &t.key).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn the_inbox_lists_what_waits_for_the_operators_organization() {
    let t = TestApp::spawn().await;
    let (_, h) = t.takeover(0).await;
    let (_, a) = t.approval(serde_json::json!({})).await;
    let (hid, op_id, token) = setup(&t).await;
    let link = open(&t, &hid, &token, None).await.cookie.unwrap();
    let link = link.split(';').next().unwrap().to_string();
    // A link session does not show the inbox (it reaches its handoff only) …
    let page = get(&t, "/inbox", Some(&link)).await;
    assert!(
        page.html.contains("Sign in to see the inbox"),
        "{}",
        page.html
    );
    // … the same operator's password session does.
    use tapin::service::passwords;
    let op = t.app.store.operator_by_id(&op_id).await.unwrap().unwrap();
    passwords::set(&t.app, &op, "a long enough password")
        .await
        .unwrap();
    let (token, _) = passwords::login(
        &t.app,
        "acme",
        "sam@acme.test",
        "a long enough password",
        None,
    )
    .await
    .unwrap();
    let session = format!("tapin_session={token}");
    let page = get(&t, "/inbox", Some(&session)).await;
    assert!(page.html.contains(h["id"].as_str().unwrap()));
    assert!(page.html.contains("Approve refund.create"));
    let approvals_only = get(&t, "/inbox?kind=approval", Some(&session)).await;
    assert!(approvals_only.html.contains(a["id"].as_str().unwrap()));
    assert!(!approvals_only.html.contains(h["id"].as_str().unwrap()));
    let mine = get(&t, "/inbox?assignee=me", Some(&session)).await;
    assert!(mine.html.contains(&hid) && !mine.html.contains(a["id"].as_str().unwrap()));
}

#[tokio::test]
async fn expired_sessions_are_purged_and_stop_working() {
    let t = TestApp::spawn().await;
    let (hid, _, token) = setup(&t).await;
    let session = open(&t, &hid, &token, None).await.cookie.unwrap();
    let session = session.split(';').next().unwrap().to_string();
    assert!(get(&t, &format!("/m/{hid}"), Some(&session))
        .await
        .html
        .contains("double-charged"));
    let later = tapin::service::format_time(chrono::Utc::now() + chrono::Duration::hours(13));
    assert_eq!(t.app.store.purge_sessions(&later).await.unwrap(), 1);
    assert!(!get(&t, &format!("/m/{hid}"), Some(&session))
        .await
        .html
        .contains("double-charged"));
}

#[tokio::test]
async fn a_tap_without_a_token_gets_the_damaged_link_page() {
    let t = TestApp::spawn().await;
    let (hid, _, _) = setup(&t).await;
    let res = t
        .client
        .post(format!("{}/m/{hid}/open", t.base))
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/m/{hid}?problem=tampered").as_str()
    );
    assert_eq!(state_of(&t, &hid).await, "created");
}

#[tokio::test]
async fn hostile_packet_text_stays_text_in_the_page_and_its_title() {
    let t = TestApp::spawn().await;
    let cid = t.conversation().await;
    let hostile = "Refund</title><img src=x onerror=alert(1)></textarea><script>alert(2)</script>";
    let (s, h) = t
        .post(
            "/api/v1/handoffs",
            &t.key,
            json!({"kind": "takeover", "conversation_id": cid, "source": "router",
                   "packet": {"static_text": hostile, "summary": hostile}}),
        )
        .await;
    assert_eq!(s, 201, "{h}");
    let hid = h["id"].as_str().unwrap();
    let op = orgs::create_operator(&t.app, &t.org_id, "eve@acme.test", "Eve", vec![])
        .await
        .unwrap();
    let token = token_of(&links::sign(&t.app, hid, &op.id, 60).unwrap());
    let opened = open(&t, hid, &token, Some(&t.base)).await;
    let session = opened
        .cookie
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let p = get(&t, &format!("/m/{hid}"), Some(&session)).await;
    assert_eq!(p.status, 200);
    let title = p
        .html
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert_eq!(
        title,
        "Handoff: Refund&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
    );
    assert!(!p.html.contains("<img src=x"), "{}", p.html);
    assert!(!p.html.contains("<script>alert(2)"), "{}", p.html);
}
