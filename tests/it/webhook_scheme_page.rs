//! `/admin/webhooks` shows each subscription's signature scheme and lets an
//! admin pick it when creating one or change it later (issue 14 §2): Standard
//! Webhooks by default, the legacy `tapin-signature` as an opt-in.

use crate::common::TestApp;

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

async fn admin_page(t: &TestApp, cookie: &str) -> String {
    let res = t
        .client
        .get(format!("{}/admin/webhooks", t.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

#[tokio::test]
async fn admins_see_and_set_each_subscriptions_signature_scheme() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("root@acme.test", "Root", &["admin"]).await.1;
    let hooks = [
        ("https://standard.example/hook", None),
        ("https://legacy.example/hook", Some("tapin-v1")),
    ];
    for (url, scheme) in hooks {
        let mut form = vec![("url", url), ("events", "*")];
        if let Some(s) = scheme {
            form.push(("signature_scheme", s));
        }
        let (s, body) = call(&t, "admin_webhook_create", &admin, &form).await;
        assert_eq!(s, 200, "{body}");
    }
    let (s, body) = call(
        &t,
        "admin_webhook_create",
        &admin,
        &[
            ("url", "https://x.example/"),
            ("events", "*"),
            ("signature_scheme", "v0"),
        ],
    )
    .await;
    assert_eq!(s, 422);
    assert!(body.contains("signature_scheme"), "{body}");

    let stored = t.app.store.webhooks(&t.org_id).await.unwrap();
    let by_url = |u: &str| stored.iter().find(|w| w.url == u).unwrap().clone();
    assert_eq!(
        by_url("https://standard.example/hook")
            .signature_scheme
            .as_str(),
        "standard"
    );
    let legacy = by_url("https://legacy.example/hook");
    assert_eq!(legacy.signature_scheme.as_str(), "tapin-v1");

    let html = admin_page(&t, &admin).await;
    assert!(html.contains(r#"data-scheme="standard""#), "{html}");
    assert!(html.contains(r#"data-scheme="tapin-v1""#));
    assert!(html.contains("Standard Webhooks + legacy tapin-signature (deprecated)"));

    // Moving the legacy subscription to Standard Webhooks.
    let (s, body) = call(
        &t,
        "admin_webhook_scheme",
        &admin,
        &[("id", &legacy.id), ("signature_scheme", "standard")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let w = t
        .app
        .store
        .webhook(&t.org_id, &legacy.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(w.signature_scheme.as_str(), "standard");
    let html = admin_page(&t, &admin).await;
    assert!(!html.contains(r#"data-scheme="tapin-v1""#));

    // Not an admin: refused, unchanged.
    let clerk = t.signed_in("clerk@acme.test", "Clerk", &[]).await.1;
    let (s, _) = call(
        &t,
        "admin_webhook_scheme",
        &clerk,
        &[("id", &legacy.id), ("signature_scheme", "tapin-v1")],
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = call(
        &t,
        "admin_webhook_scheme",
        &admin,
        &[("id", &legacy.id), ("signature_scheme", "md5")],
    )
    .await;
    assert_eq!(s, 422);
    let w = t
        .app
        .store
        .webhook(&t.org_id, &legacy.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(w.signature_scheme.as_str(), "standard");
}
