//! Web security: outbound requests only reach public addresses and never follow
//! redirects (SSRF), security headers and cookies, the post-login redirect, and
//! sessions ending with a password change.

use crate::common::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tapin::workers::webhooks;

/// A local receiver answering every request with `status` (and `location`, if
/// any); returns its port and how many requests reached it.
async fn counting_receiver(status: u16, location: Option<String>) -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let (h, location) = (h.clone(), location.clone());
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            let mut res = axum::response::Response::new(axum::body::Body::empty());
            *res.status_mut() = StatusCode::from_u16(status).unwrap();
            if let Some(l) = location {
                res.headers_mut().insert("location", l.parse().unwrap());
            }
            res
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, hits)
}

fn strict(c: &mut tapin::config::Config) {
    c.allow_private_targets = false;
    c.webhook_backoff_ms = 20;
    c.webhook_poll_ms = 20;
}

/// Subscribes `url` to every event, makes one event and runs the worker
/// until the delivery has been tried; returns the delivery's log entry.
async fn deliver_once(t: &TestApp, url: &str) -> Value {
    let (s, w) = t
        .post(
            "/api/v1/webhooks",
            &t.key,
            json!({"url": url, "events": ["*"]}),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    t.takeover(0).await;
    let log_path = format!("/api/v1/webhooks/{}/deliveries", w["id"].as_str().unwrap());
    tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            webhooks::step(&t.app).await.unwrap();
            let (_, log) = t.get(&log_path, &t.key).await;
            if let Some(d) = log["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["attempts"].as_i64() >= Some(1))
            {
                return d.clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the delivery was tried within 20 s")
}

#[tokio::test]
async fn webhooks_to_private_literal_addresses_are_refused_when_saved() {
    let t = TestApp::spawn_with(strict).await;
    let (port, hits) = counting_receiver(200, None).await;
    for url in [
        format!("http://127.0.0.1:{port}/hook"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://[::ffff:127.0.0.1]/".to_string(),
        "http://10.0.0.1/".to_string(),
        "http://[::1]/".to_string(),
        "http://2130706433/".to_string(),
        "http://100.64.0.1/".to_string(),
    ] {
        let (s, e) = t
            .post(
                "/api/v1/webhooks",
                &t.key,
                json!({"url": url, "events": ["*"]}),
            )
            .await;
        assert_eq!(s, 422, "{url}: {e}");
        assert_eq!(e["error"]["fields"][0]["field"], "url", "{url}: {e}");
        assert!(
            e.to_string().contains("the target address is not allowed"),
            "{url}: {e}"
        );
    }
    // Changing an existing subscription's URL is checked the same way.
    let (s, w) = t
        .post(
            "/api/v1/webhooks",
            &t.key,
            json!({"url": "https://hooks.example.test/x", "events": ["*"]}),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    let (s, e) = t
        .send_json(
            "PATCH",
            &format!("/api/v1/webhooks/{}", w["id"].as_str().unwrap()),
            json!({"url": "http://169.254.169.254/"}),
        )
        .await;
    assert_eq!((s, &e["error"]["fields"][0]["field"]), (422, &json!("url")));
    // The Slack hook too.
    let (s, e) = t
        .put(
            "/api/v1/routing/settings",
            json!({"slack_webhook_url": "http://192.168.1.1/hook"}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "slack_webhook_url");
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_hostname_resolving_to_loopback_is_refused_at_delivery_with_a_generic_reason() {
    let t = TestApp::spawn_with(strict).await;
    let (port, hits) = counting_receiver(200, None).await;
    // Saved: a hostname is judged when it is resolved, not when it is saved.
    let d = deliver_once(&t, &format!("http://localhost:{port}/hook")).await;
    assert_eq!(d["status"], "pending", "{d}");
    assert_eq!(d["last_status"], Value::Null, "{d}");
    assert_eq!(
        d["last_error"], "the target address is not allowed",
        "only the generic reason is shown: {d}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0, "nothing reached loopback");
}

#[tokio::test]
async fn connection_errors_do_not_describe_the_network() {
    // With private targets allowed, a closed local port still only says "could not connect".
    let t = TestApp::spawn_with(|c| {
        c.webhook_backoff_ms = 20;
    })
    .await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let d = deliver_once(&t, &format!("http://127.0.0.1:{closed}/hook")).await;
    assert_eq!(d["last_error"], "could not connect", "{d}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    // The harness allows private targets (both receivers are local); the
    // redirect would be followed by a default HTTP client.
    let t = TestApp::spawn().await;
    let (inner, inner_hits) = counting_receiver(200, None).await;
    let (outer, outer_hits) =
        counting_receiver(302, Some(format!("http://127.0.0.1:{inner}/internal"))).await;
    let d = deliver_once(&t, &format!("http://127.0.0.1:{outer}/hook")).await;
    assert_eq!(d["last_status"], 302, "{d}");
    assert_ne!(d["status"], "delivered", "{d}");
    assert!(outer_hits.load(Ordering::SeqCst) >= 1);
    assert_eq!(
        inner_hits.load(Ordering::SeqCst),
        0,
        "the redirect was not followed"
    );
}

// ------------------------------------------------------------ headers, cookies

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .unwrap_or_else(|| panic!("{name} is set on {}", res.url()))
        .to_str()
        .unwrap()
}

fn assert_common_headers(res: &reqwest::Response) {
    // Link pages carry tokens: no referrer at all; elsewhere this origin only.
    let expected = if res.url().path().starts_with("/m/") {
        "no-referrer"
    } else {
        "same-origin"
    };
    assert_eq!(header(res, "referrer-policy"), expected, "{}", res.url());
    assert_eq!(
        header(res, "x-content-type-options"),
        "nosniff",
        "{}",
        res.url()
    );
    let csp = header(res, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        res.headers().get("strict-transport-security").is_none(),
        "no HSTS over http"
    );
}

/// Every inline script of a page carries the nonce the page's CSP allows.
fn assert_scripts_carry_the_nonce(csp: &str, html: &str) {
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap_or_else(|| panic!("a page's CSP has a nonce: {csp}"));
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-"),
        "{csp}"
    );
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the page has its hydration script");
    for s in scripts {
        let tag = s.split('>').next().unwrap();
        assert!(
            tag.contains(" src=") || tag.contains(&format!("nonce=\"{nonce}\"")),
            "inline script without the nonce: <script{tag}>"
        );
    }
}

#[tokio::test]
async fn pages_api_answers_and_link_pages_carry_the_security_headers() {
    let t = TestApp::spawn().await;

    let res = t
        .client
        .get(format!("{}/login", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_common_headers(&res);
    assert_eq!(header(&res, "cache-control"), "no-store");
    let csp = header(&res, "content-security-policy").to_string();
    assert_scripts_carry_the_nonce(&csp, &res.text().await.unwrap());
    let again = t
        .client
        .get(format!("{}/login", t.base))
        .send()
        .await
        .unwrap();
    assert_ne!(
        header(&again, "content-security-policy"),
        csp,
        "a fresh nonce per page"
    );

    let res = t
        .client
        .get(format!("{}/api/v1/healthz", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_common_headers(&res);

    let (_, h) = t.takeover(0).await;
    let res = t
        .client
        .get(format!(
            "{}/m/{}?t=whatever",
            t.base,
            h["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_common_headers(&res);
    assert_eq!(
        header(&res, "cache-control"),
        "no-store",
        "link pages are never cached"
    );
    let csp = header(&res, "content-security-policy").to_string();
    assert_scripts_carry_the_nonce(&csp, &res.text().await.unwrap());

    let res = t
        .client
        .get(format!("{}/settings", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&res, "cache-control"), "no-store");
}

#[tokio::test]
async fn over_https_there_is_hsts_and_the_session_cookie_is_host_prefixed() {
    let t = TestApp::spawn_with(|c| c.public_url = "https://desk.example".into()).await;
    let res = t
        .client
        .get(format!("{}/api/v1/healthz", t.base))
        .send()
        .await
        .unwrap();
    assert!(header(&res, "strict-transport-security").starts_with("max-age="));

    // A session cookie from before the rename still signs in.
    let (_, old) = t.signed_in("sam@acme.test", "Sam", &[]).await;
    assert!(old.starts_with("tapin_session="));
    let res = t
        .client
        .post(format!("{}/settings/push/test", t.base))
        .header("cookie", &old)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the old cookie name is still read");

    let res = t
        .client
        .post(format!("{}/fn/login", t.base))
        .header("accept", "application/json")
        .form(&[
            ("organization", "acme"),
            ("email", "sam@acme.test"),
            ("password", "a long enough password"),
            ("next", "/inbox"),
        ])
        .send()
        .await
        .unwrap();
    let cookie = header(&res, "set-cookie").to_string();
    assert!(cookie.starts_with("__Host-tapin_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain="), "{cookie}");
    let session = cookie.split(';').next().unwrap();
    let res = t
        .client
        .post(format!("{}/settings/push/test", t.base))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

// ------------------------------------------------------------ login redirect

#[tokio::test]
async fn the_login_redirect_stays_on_this_site_and_never_panics() {
    let t = TestApp::spawn().await;
    t.signed_in("kim@acme.test", "Kim", &[]).await;
    // The page itself, with hostile `next` values in its query.
    for q in [
        "/%09/evil.example",
        "%2F%0A%2Fevil.example",
        "/%5Cevil.example",
        "%00",
    ] {
        let res = t
            .client
            .get(format!("{}/login?next={q}", t.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{q}");
    }
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\nSet-Cookie: x=1",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
        "/ /evil.example",
    ] {
        let res = t
            .client
            .post(format!("{}/fn/login", t.base))
            .form(&[
                ("organization", "acme"),
                ("email", "kim@acme.test"),
                ("password", "a long enough password"),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        assert!(matches!(status, 200 | 302 | 303), "{next:?}: {status}");
        let location = header(&res, "location");
        assert_eq!(location, "/inbox", "{next:?} falls back to the inbox");
    }
    let res = t
        .client
        .post(format!("{}/fn/login", t.base))
        .form(&[
            ("organization", "acme"),
            ("email", "kim@acme.test"),
            ("password", "a long enough password"),
            ("next", "/settings"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&res, "location"),
        "/settings",
        "a local path is kept"
    );
    let (s, _) = t.get("/api/v1/healthz", &t.key).await;
    assert_eq!(s, 200, "the server still answers");
}

// ------------------------------------------------------------ sessions

async fn push_test_status(t: &TestApp, cookie: &str) -> u16 {
    t.client
        .post(format!("{}/settings/push/test", t.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn call(t: &TestApp, name: &str, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
    t.client
        .post(format!("{}/fn/{name}", t.base))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_sign_out_everywhere_ends_all() {
    use tapin::service::passwords;
    let t = TestApp::spawn().await;
    let (_, laptop) = t.signed_in("lee@acme.test", "Lee", &[]).await;
    let (token, _) = passwords::login(
        &t.app,
        "acme",
        "lee@acme.test",
        "a long enough password",
        None,
    )
    .await
    .unwrap();
    let phone = format!("tapin_session={token}");
    assert_eq!(push_test_status(&t, &laptop).await, 200);
    assert_eq!(push_test_status(&t, &phone).await, 200);

    let res = call(
        &t,
        "change_password",
        &laptop,
        &[
            ("current_password", "not the password"),
            ("new_password", "another long password"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422, "the current password is checked");
    assert_eq!(push_test_status(&t, &phone).await, 200, "nothing changed");

    let res = call(
        &t,
        "change_password",
        &laptop,
        &[
            ("current_password", "a long enough password"),
            ("new_password", "another long password"),
        ],
    )
    .await;
    assert!(res.status().is_success(), "{}", res.status());
    let fresh = header(&res, "set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        push_test_status(&t, &phone).await,
        401,
        "the other session ended"
    );
    let inbox = t
        .client
        .get(format!("{}/inbox", t.base))
        .header("cookie", &phone)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        inbox.contains("Sign in"),
        "the phone is asked to sign in again"
    );
    assert_eq!(
        push_test_status(&t, &laptop).await,
        401,
        "the old cookie too"
    );
    assert_eq!(
        push_test_status(&t, &fresh).await,
        200,
        "this browser stays in"
    );
    assert!(
        passwords::login(
            &t.app,
            "acme",
            "lee@acme.test",
            "a long enough password",
            None
        )
        .await
        .is_err(),
        "the old password is gone"
    );

    // Sign out everywhere: every session ends, the password still works.
    let (token, _) = passwords::login(
        &t.app,
        "acme",
        "lee@acme.test",
        "another long password",
        None,
    )
    .await
    .unwrap();
    let tablet = format!("tapin_session={token}");
    assert_eq!(push_test_status(&t, &tablet).await, 200);
    let res = call(&t, "sign_out_everywhere", &fresh, &[]).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(push_test_status(&t, &fresh).await, 401);
    assert_eq!(push_test_status(&t, &tablet).await, 401);
    let (token, _) = passwords::login(
        &t.app,
        "acme",
        "lee@acme.test",
        "another long password",
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        push_test_status(&t, &format!("tapin_session={token}")).await,
        200
    );
    // Without a session there is nothing to sign out of.
    let res = call(&t, "sign_out_everywhere", "tapin_session=nope", &[]).await;
    assert_eq!(res.status(), 401);
}
