//! Authentication, scopes and tenancy of the agent API.

use crate::common::{error_code, takeover_body, TestApp};
use serde_json::json;

#[tokio::test]
async fn healthz_answers_without_a_key() {
    let t = TestApp::spawn().await;
    let res = t
        .client
        .get(format!("{}/api/v1/healthz", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers().contains_key("x-request-id"),
        "every response carries a request id"
    );
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "reachable");
    let want = match crate::common::backend() {
        crate::common::Backend::Sqlite => "sqlite",
        crate::common::Backend::Postgres => "postgres",
    };
    assert_eq!(body["backend"], want);
}

/// PostgreSQL only (a SQLite file cannot go away under an open pool): the
/// node answers 503 while its database is gone and 200 once it is back,
/// without a restart.
#[tokio::test]
async fn a_node_that_loses_its_database_answers_503_and_recovers() {
    let t = TestApp::spawn().await;
    let Some(db) = &t.pg else {
        return;
    };
    let health = || async {
        let res = t
            .client
            .get(format!("{}/api/v1/healthz", t.base))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: serde_json::Value = res.json().await.unwrap();
        let said = body["database"]
            .as_str()
            .or(body["error"]["reason"].as_str())
            .unwrap_or_default();
        (status, said.to_string())
    };
    assert_eq!(health().await, (200, "reachable".to_string()));
    db.set_reachable(false).await;
    assert_eq!(health().await, (503, "database_unreachable".to_string()));
    db.set_reachable(true).await;
    assert_eq!(health().await, (200, "reachable".to_string()));
}

#[tokio::test]
async fn missing_unknown_and_revoked_keys_get_401_envelopes() {
    let t = TestApp::spawn().await;
    let res = t
        .client
        .get(format!("{}/api/v1/handoffs", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "unauthorized");

    let (s, body) = t
        .get(
            "/api/v1/handoffs",
            "tk_0000000000000000000000000000000000000000",
        )
        .await;
    assert_eq!((s, error_code(&body)), (401, "unauthorized"));

    let res = t
        .client
        .get(format!("{}/api/v1/handoffs", t.base))
        .header("authorization", format!("Basic {}", t.key))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "only the Bearer scheme is accepted");

    let key = t.key_in(&t.org_id, &["read"]).await;
    assert_eq!(t.get("/api/v1/handoffs", &key).await.0, 200);
    tapin::service::keys::revoke(&t.app, &t.org_id, &key[..12])
        .await
        .unwrap();
    let (s, body) = t.get("/api/v1/handoffs", &key).await;
    assert_eq!((s, error_code(&body)), (401, "unauthorized"));
}

#[tokio::test]
async fn both_header_styles_are_accepted() {
    let t = TestApp::spawn().await;
    // `post` sends x-api-key, `get` sends Authorization: Bearer.
    assert_eq!(
        t.post("/api/v1/conversations", &t.key, json!({})).await.0,
        201
    );
    assert_eq!(t.get("/api/v1/handoffs", &t.key).await.0, 200);
}

#[tokio::test]
async fn a_missing_scope_is_403_and_changes_nothing() {
    let t = TestApp::spawn().await;
    let (cid, _) = t.takeover(0).await;
    let read_only = t.key_in(&t.org_id, &["read"]).await;
    let (s, body) = t
        .post("/api/v1/handoffs", &read_only, takeover_body(&cid))
        .await;
    assert_eq!((s, error_code(&body)), (403, "forbidden"));
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("handoffs:write"));
    let (_, list) = t.get("/api/v1/handoffs", &t.key).await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "no second handoff was created"
    );
}

#[tokio::test]
async fn another_organizations_objects_are_404_like_missing_ones() {
    let t = TestApp::spawn().await;
    let (cid, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let other = t.other_org_key("globex", &["admin"]).await;

    let (s_foreign, foreign) = t.get(&format!("/api/v1/handoffs/{hid}"), &other).await;
    let (s_missing, missing) = t
        .get(
            "/api/v1/handoffs/01900000-0000-7000-8000-000000000000",
            &other,
        )
        .await;
    assert_eq!((s_foreign, s_missing), (404, 404));
    assert_eq!(
        foreign, missing,
        "a foreign handoff is indistinguishable from a missing one"
    );

    assert_eq!(
        t.get(&format!("/api/v1/conversations/{cid}"), &other)
            .await
            .0,
        404
    );
    assert_eq!(
        t.post(
            &format!("/api/v1/handoffs/{hid}/resolve"),
            &other,
            json!({})
        )
        .await
        .0,
        404
    );
    let (s, _) = t
        .post(
            &format!("/api/v1/conversations/{cid}/messages"),
            &other,
            json!({"author":"user","content":"hi"}),
        )
        .await;
    assert_eq!(s, 404);
    let (_, mine) = t.get(&format!("/api/v1/handoffs/{hid}"), &t.key).await;
    assert_eq!(
        mine["status"], "requested",
        "the foreign resolve changed nothing"
    );
    let (_, theirs) = t.get("/api/v1/handoffs", &other).await;
    assert_eq!(theirs["data"], json!([]), "lists are per organization");
}

#[tokio::test]
async fn the_openapi_document_and_reference_are_served_without_a_key() {
    let t = TestApp::spawn().await;
    let doc: serde_json::Value = t
        .client
        .get(format!("{}/api/v1/openapi.json", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/approvals/{id}/decide"]["post"].is_object());
    let page = t
        .client
        .get(format!("{}/api/v1/reference", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("/api/v1/handoffs/{id}/resolve"));
}
