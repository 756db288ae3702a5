//! The hash-chained audit log: verification, and tampering caught by
//! `tapin audit verify` run against the database file.

use crate::common::TestApp;
use serde_json::json;
use sqlx::Connection;

async fn three_events(t: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.push(t.takeover(1).await.1["id"].as_str().unwrap().to_string());
    }
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{}/resolve", ids[0]),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    ids
}

fn cli_verify(t: &TestApp) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tapin"))
        .args(["audit", "verify"])
        .env("TAPIN_CONFIG", t.dir.path().join("none.toml"))
        .env("TAPIN_DATABASE_URL", &t.db_url)
        .output()
        .expect("tapin runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

async fn tamper(t: &TestApp, sql: &[&str]) {
    let mut conn = sqlx::SqliteConnection::connect(&t.db_url).await.unwrap();
    for s in sql {
        sqlx::query(s).execute(&mut conn).await.unwrap();
    }
}

#[tokio::test]
async fn every_change_is_chained_and_verifies() {
    let t = TestApp::spawn().await;
    three_events(&t).await;
    let results = tapin::service::audit::verify(&t.app, Some("acme"))
        .await
        .unwrap();
    assert_eq!(results[0].result, Ok(3));
    let (code, out) = cli_verify(&t);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("acme: 3 events, chain intact"), "{out}");
}

/// Builds a three-event chain, runs `sql` against the file, and returns what
/// `tapin audit verify` printed, asserting that it failed.
async fn tampered(sql: &[&str]) -> String {
    let t = TestApp::spawn().await;
    three_events(&t).await;
    assert_eq!(cli_verify(&t).0, 0, "intact before tampering");
    tamper(&t, sql).await;
    let (code, out) = cli_verify(&t);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN  acme"), "{out}");
    out
}

const DROP_OUTBOX: &str =
    "DELETE FROM outbox WHERE event_id IN (SELECT id FROM handoff_events WHERE seq = ?)";

#[tokio::test]
async fn an_altered_row_fails_verification_loudly() {
    let out =
        tampered(&["UPDATE handoff_events SET actor = 'operator:mallory' WHERE seq = 2"]).await;
    assert!(out.contains("event #2") && out.contains("altered"), "{out}");
}

#[tokio::test]
async fn a_removed_row_fails_verification() {
    let drop = DROP_OUTBOX.replace('?', "2");
    let out = tampered(&[&drop, "DELETE FROM handoff_events WHERE seq = 2"]).await;
    assert!(out.contains("removed"), "{out}");
}

#[tokio::test]
async fn reordered_rows_fail_verification() {
    let out = tampered(&[
        "UPDATE handoff_events SET seq = -1 WHERE seq = 1",
        "UPDATE handoff_events SET seq = 1 WHERE seq = 2",
        "UPDATE handoff_events SET seq = 2 WHERE seq = -1",
    ])
    .await;
    assert!(out.contains("event #1"), "{out}");
}

#[tokio::test]
async fn a_truncated_chain_fails_verification() {
    let drop = DROP_OUTBOX.replace('?', "3");
    let out = tampered(&[&drop, "DELETE FROM handoff_events WHERE seq = 3"]).await;
    assert!(out.contains("head"), "{out}");
}

#[tokio::test]
async fn each_change_writes_one_outbox_row_with_its_event_id() {
    let t = TestApp::spawn().await;
    three_events(&t).await;
    let mut conn = sqlx::SqliteConnection::connect(&t.db_url).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT o.topic, e.event FROM outbox o JOIN handoff_events e ON e.id = o.event_id ORDER BY e.seq",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let topics: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        topics,
        ["handoff.created", "handoff.created", "handoff.resolved"]
    );
}
