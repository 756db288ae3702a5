//! Two tapin nodes on one PostgreSQL database (PostgreSQL only: a SQLite file
//! has one node). Each node is its own `App` with its own HTTP server, bus and
//! pools; they share nothing but the database, as two processes behind a load
//! balancer would.

use crate::common::TestApp;
use serde_json::json;
use std::time::Duration;

/// A second node on the harness's database, serving HTTP; its base URL.
async fn second_node(t: &TestApp) -> (tapin::service::App, String) {
    let app = t.reopen().await;
    tapin::workers::notices::spawn(app.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = tapin::server::router(app.clone());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service())
            .await
            .unwrap();
    });
    (app, base)
}

/// Reads an SSE response until `needle` has arrived (or the time is up).
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

#[tokio::test]
async fn a_commit_on_one_node_reaches_streams_and_long_polls_on_the_other() {
    let a = TestApp::spawn().await;
    if a.pg.is_none() {
        return;
    }
    tapin::workers::notices::spawn(a.app.clone()).await.unwrap();
    let (_b, b_base) = second_node(&a).await;

    // Created on A; the agent's stream of the handoff is held on B.
    let (_, h) = a.takeover(0).await;
    let hid = h["id"].as_str().unwrap();
    let mut stream = a
        .client
        .get(format!("{b_base}/api/v1/handoffs/{hid}/events"))
        .header("accept", "text/event-stream")
        .header("x-api-key", &a.key)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut seen = String::new();
    assert!(
        read_until(&mut stream, &mut seen, "event: create").await,
        "{seen}"
    );
    // Accepted on A: B's stream gets it live, not at a reconnect.
    let (s, _) = a
        .post(&format!("/api/v1/handoffs/{hid}/accept"), &a.key, json!({}))
        .await;
    assert_eq!(s, 200);
    assert!(
        read_until(&mut stream, &mut seen, "event: accept").await,
        "{seen}"
    );

    // An agent long-polls an approval on A; it is decided on B.
    let (_, approval) = a.approval(json!({"approver_role": null})).await;
    let aid = approval["id"].as_str().unwrap().to_string();
    let listening = a.app.bus.receiver_count();
    let wait = {
        let (client, base, key) = (a.client.clone(), a.base.clone(), a.key.clone());
        let aid = aid.clone();
        tokio::spawn(async move {
            let res = client
                .get(format!("{base}/api/v1/approvals/{aid}/wait?timeout=20"))
                .header("x-api-key", key)
                .send()
                .await
                .unwrap();
            res.json::<serde_json::Value>().await.unwrap()
        })
    };
    // Decide only once the long-poll waits on A (it subscribes to A's bus),
    // so its answer can only come from B's commit crossing over.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while a.app.bus.receiver_count() == listening {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the long-poll never started"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let decider = a.key_in(&a.org_id, &["approvals:decide"]).await;
    let res = a
        .client
        .post(format!("{b_base}/api/v1/approvals/{aid}/decide"))
        .header("x-api-key", &decider)
        .json(&json!({"decision": "approve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let started = tokio::time::Instant::now();
    let waited = tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .expect("the long-poll on A returns once B decides")
        .unwrap();
    assert_eq!(waited["decided"], true, "{waited}");
    assert_eq!(waited["approval"]["status"], "approved", "{waited}");
    assert!(started.elapsed() < Duration::from_secs(10));
}
