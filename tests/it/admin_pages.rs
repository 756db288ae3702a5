//! `/admin/webhooks` and `/admin/metrics` as a browser sees them: the pages
//! (server-rendered) and their server functions, admins only, same-site only.

use crate::common::TestApp;
use serde_json::Value;
use tapin::workers::webhooks;

async fn page(t: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut req = t.client.get(format!("{}{path}", t.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Calls a server function as the page's form would; returns (status, body).
async fn call(t: &TestApp, name: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = t
        .client
        .post(format!("{}/fn/{name}", t.base))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn deliveries(t: &TestApp, hook: &str) -> Vec<Value> {
    let (_, log) = t
        .get(&format!("/api/v1/webhooks/{hook}/deliveries"), &t.key)
        .await;
    log["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn admins_manage_webhooks_and_redeliver_dead_letters_from_the_page() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("root@acme.test", "Root", &["admin"]).await.1;
    let clerk = t.signed_in("clerk@acme.test", "Root", &[]).await.1;

    let (s, html) = page(&t, "/admin", Some(&admin)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains(r#"href="/admin/webhooks""#) && html.contains(r#"href="/admin/metrics""#)
    );
    assert_eq!(page(&t, "/admin/webhooks", None).await.0, 401);
    let (s, html) = page(&t, "/admin/webhooks", Some(&clerk)).await;
    assert_eq!(s, 403);
    assert!(html.contains("needs the `admin` role"));
    let (s, html) = page(&t, "/admin/webhooks", Some(&admin)).await;
    assert_eq!(s, 200);
    assert!(html.contains("No subscriptions yet."), "{html}");

    // Refused inputs and callers change nothing.
    let (s, _) = call(
        &t,
        "admin_webhook_create",
        &admin,
        &[("url", "ftp://x.test/"), ("events", "*")],
    )
    .await;
    assert_eq!(s, 422);
    let (s, _) = call(
        &t,
        "admin_webhook_create",
        &clerk,
        &[("url", "https://x.test/"), ("events", "*")],
    )
    .await;
    assert_eq!(s, 403);
    let cross = t
        .client
        .post(format!("{}/fn/admin_webhook_create", t.base))
        .header("cookie", &admin)
        .header("origin", "https://evil.test")
        .form(&[("url", "https://x.test/"), ("events", "*")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert!(t.app.store.webhooks(&t.org_id).await.unwrap().is_empty());

    // A receiver that refuses every event (a 4xx): each delivery dies at once.
    let url = format!("{}/api/v1/no-such-receiver", t.base);
    let (s, body) = call(
        &t,
        "admin_webhook_create",
        &admin,
        &[
            ("url", &url),
            ("events", "handoff.created, approval.requested"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let hook = t.app.store.webhooks(&t.org_id).await.unwrap()[0].clone();
    assert_eq!(hook.events, ["approval.requested", "handoff.created"]);

    t.takeover(0).await;
    webhooks::step(&t.app).await.unwrap();
    let dead = deliveries(&t, &hook.id).await[0].clone();
    assert_eq!(
        (dead["status"].as_str(), dead["attempts"].as_i64()),
        (Some("dead"), Some(1))
    );
    let (_, html) = page(&t, "/admin/webhooks", Some(&admin)).await;
    assert!(html.contains(&url));
    assert!(
        html.contains("dead letter") && html.contains("receiver answered 404"),
        "{html}"
    );
    assert!(html.contains(">Redeliver<"));
    assert!(
        !html.contains(&secret),
        "the secret is shown once, not on the page"
    );

    let (s, _) = call(
        &t,
        "admin_webhook_redeliver",
        &admin,
        &[
            ("id", &hook.id),
            ("delivery_id", dead["id"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(deliveries(&t, &hook.id).await[0]["status"], "pending");
    webhooks::step(&t.app).await.unwrap();
    assert_eq!(
        deliveries(&t, &hook.id).await[0]["attempts"],
        2,
        "tried again"
    );

    let (s, body) = call(&t, "admin_webhook_rotate", &admin, &[("id", &hook.id)]).await;
    assert_eq!(s, 200);
    let rotated: Value = serde_json::from_str(&body).unwrap();
    assert_ne!(rotated["secret"].as_str(), Some(secret.as_str()));
    let (s, _) = call(&t, "admin_webhook_delete", &admin, &[("id", &hook.id)]).await;
    assert_eq!(s, 200);
    assert!(t.app.store.webhooks(&t.org_id).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_metrics_page_is_for_admins_and_names_a_bad_period_field() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("root@acme.test", "Root", &["admin"]).await.1;
    let clerk = t.signed_in("clerk@acme.test", "Root", &[]).await.1;
    t.takeover(0).await;
    let (s, html) = page(&t, "/admin/metrics", Some(&admin)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Time to human") && html.contains("1 handoff created"),
        "{html}"
    );
    assert!(html.contains("nearest-rank"));
    let (s, html) = page(&t, "/admin/metrics?from=last+week", Some(&admin)).await;
    assert_eq!(s, 422);
    assert!(html.contains("from: must be an RFC 3339 time"), "{html}");
    assert_eq!(page(&t, "/admin/metrics", Some(&clerk)).await.0, 403);
    assert_eq!(page(&t, "/admin/metrics", None).await.0, 401);
}
