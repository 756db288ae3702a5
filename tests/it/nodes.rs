//! Two tapin nodes on one PostgreSQL database. Each node is its own `App`
//! with its own HTTP server, bus and pools; they share nothing but the
//! database, as two processes behind a load balancer would. On SQLite (one
//! node per file) the stream test has nothing to show and returns; the others
//! run against the one node.

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
    let listening = a.app.wakeups.watched();
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
    // Decide only once the long-poll waits on A (it watches the approval on A),
    // so its answer can only come from B's commit crossing over.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while a.app.wakeups.watched() == listening {
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

/// A key's budget is spent on every node together: requests spread over two
/// nodes get the budget once, not once per node. Tolerance: the budget
/// refills one request every `60 s / limit` (GCRA), so a run that takes
/// `d` seconds may see `d * limit / 60` more; nothing else. On SQLite (one
/// node) both halves go to the one node.
#[tokio::test]
async fn a_keys_rate_limit_is_one_budget_across_nodes() {
    const LIMIT: u32 = 20;
    let a = TestApp::spawn_with(|c| c.rate_limit_per_minute = LIMIT).await;
    let b_base = if a.pg.is_some() {
        second_node(&a).await.1
    } else {
        a.base.clone()
    };
    let started = tokio::time::Instant::now();
    let mut ok = 0;
    let mut refused = 0;
    for i in 0..40 {
        let base = if i % 2 == 0 { &a.base } else { &b_base };
        let res = a
            .client
            .get(format!("{base}/api/v1/handoffs"))
            .header("x-api-key", &a.key)
            .send()
            .await
            .unwrap();
        match res.status().as_u16() {
            200 => ok += 1,
            429 => {
                assert!(res.headers().contains_key("retry-after"));
                refused += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    let refills = (started.elapsed().as_secs_f64() * f64::from(LIMIT) / 60.0).ceil() as u32;
    assert!(
        ok >= LIMIT && ok <= LIMIT + refills,
        "{ok} allowed, {refused} refused; the budget is {LIMIT} (+{refills} refilled)"
    );
    assert_eq!(ok + refused, 40);
}

/// A database that does not answer is a 503 with `Retry-After` and the error
/// envelope, never a 500; the node answers again by itself once it returns.
#[tokio::test]
async fn an_unreachable_database_is_a_503_with_retry_after() {
    let t = TestApp::spawn().await;
    // SQLite: another process holds the write lock past the busy timeout.
    let mut locker = None;
    match &t.pg {
        Some(pg) => pg.set_reachable(false).await,
        None => {
            use sqlx::Connection;
            let mut c = sqlx::SqliteConnection::connect(&t.db_url).await.unwrap();
            sqlx::query("BEGIN EXCLUSIVE")
                .execute(&mut c)
                .await
                .unwrap();
            locker = Some(c);
        }
    }
    let res = t
        .client
        .post(format!("{}/api/v1/conversations", t.base))
        .header("x-api-key", &t.key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "5");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(crate::common::error_code(&body), "internal_error");
    assert_eq!(body["error"]["reason"], "database_unavailable", "{body}");
    // Nothing was written, and writes work again once the database is back.
    match &t.pg {
        Some(pg) => pg.set_reachable(true).await,
        None => {
            use sqlx::Connection;
            let mut c = locker.take().unwrap();
            sqlx::query("ROLLBACK").execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        }
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (s, _) = t.post("/api/v1/conversations", &t.key, json!({})).await;
        if s == 201 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "still {s}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rows: Vec<(i64,)> = t.db_rows("SELECT COUNT(*) FROM conversations").await;
    assert_eq!(rows[0].0, 1, "only the write after the return");
}

/// Single-use links and sessions are rows, not process state: a link opened on
/// node A is refused on node B, and the session A started works on B.
#[tokio::test]
async fn a_link_used_on_one_node_is_refused_on_the_other_and_its_session_works_there() {
    let a = TestApp::spawn().await;
    let (_b, b_base) = second_node(&a).await;
    let (_, h) = a.takeover(1).await;
    let hid = h["id"].as_str().unwrap().to_string();
    let op =
        tapin::service::orgs::create_operator(&a.app, &a.org_id, "kai@acme.test", "Kai", vec![])
            .await
            .unwrap();
    let url = tapin::service::links::sign(&a.app, &hid, &op.id, 60).unwrap();
    let token = url.split("?t=").nth(1).unwrap().to_string();
    let open = |base: String| {
        let client = a.client.clone();
        let (hid, token) = (hid.clone(), token.clone());
        async move {
            client
                .post(format!("{base}/m/{hid}/open"))
                .form(&[("t", token.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let first = open(a.base.clone()).await;
    assert_eq!(first.status(), 303, "the link opens on node A");
    let cookie = first
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap()
        .to_string();
    let again = open(b_base.clone()).await;
    let location = again
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        again.headers().get("set-cookie").is_none() && location.contains("problem=used"),
        "node B refuses the used link: {} {location}",
        again.status()
    );
    let page = a
        .client
        .get(format!("{b_base}/m/{hid}"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("static-text"), "node B knows A's session");
}

/// Each node keeps the routing set-up it read (`service::setup`) and reads it
/// again when its version in the database moved: a policy saved on A routes
/// the very next handoff B creates, and so does its removal.
#[tokio::test]
async fn a_routing_change_on_one_node_routes_the_next_handoff_on_the_other() {
    let a = TestApp::spawn().await;
    let (_b, b_base) = second_node(&a).await;
    let create_on_b = || async {
        let cid = a.conversation().await;
        let res = a
            .client
            .post(format!("{b_base}/api/v1/handoffs"))
            .header("x-api-key", &a.key)
            .json(&crate::common::takeover_body(&cid))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        res.json::<serde_json::Value>().await.unwrap()
    };
    // B reads the set-up (no policy) and keeps it.
    assert_eq!(create_on_b().await["priority"], "medium");
    assert_eq!(create_on_b().await["priority"], "medium");

    let policies = json!({"policies": [{"name": "Refunds are urgent",
        "condition": "kind == 'takeover'", "actions": {"priority": "urgent"}}]});
    let (s, _) = a.send_json("PUT", "/api/v1/policies", policies).await;
    assert_eq!(s, 200);
    assert_eq!(create_on_b().await["priority"], "urgent");

    let (s, _) = a
        .send_json("PUT", "/api/v1/policies", json!({"policies": []}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(create_on_b().await["priority"], "medium");
}

/// What bumps the set-up's version: routing changes do, the lifecycle's own
/// writes (a creation, its audit row) and a password change do not (else
/// every creation would read the whole set-up again).
#[tokio::test]
async fn the_setup_version_moves_with_routing_changes_only() {
    let t = TestApp::spawn().await;
    let store = &t.app.store;
    let version = || async { store.setup_version(&t.org_id).await.unwrap() };
    let v0 = version().await;
    t.takeover(1).await;
    assert_eq!(version().await, v0, "a creation is not a routing change");

    let op =
        tapin::service::orgs::create_operator(&t.app, &t.org_id, "new@example.com", "New", vec![])
            .await
            .unwrap();
    let v1 = version().await;
    assert!(v1 > v0, "a new operator is routed to");
    tapin::service::passwords::set(&t.app, &op, "a long enough password")
        .await
        .unwrap();
    assert_eq!(version().await, v1, "a password routes nothing");

    let (s, _) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{}/channels", op.id),
            json!({"phone": "+15550100", "channels": {"urgent": ["sms"]}}),
        )
        .await;
    assert_eq!(s, 200);
    let v2 = version().await;
    assert!(v2 > v1, "contact details choose the channels");
    let (s, _) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"time_zone": "Europe/Berlin"}),
        )
        .await;
    assert_eq!(s, 200);
    assert!(
        version().await > v2,
        "the time zone changes policy hours and rotations"
    );
}
