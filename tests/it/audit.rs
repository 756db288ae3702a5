//! The hash-chained audit log: verification, and tampering caught by
//! `tapin audit verify` run against the database.

use crate::common::TestApp;
use serde_json::json;

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
        .env("TAPIN_MASTER_KEY_FILE", &t.app.config.master_key_file)
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
    for s in sql {
        t.db_exec(s).await;
    }
}

#[tokio::test]
async fn every_change_is_chained_and_verifies() {
    let t = TestApp::spawn().await;
    three_events(&t).await;
    let results = tapin::service::audit::verify(&t.app, Some("acme"), None)
        .await
        .unwrap();
    assert_eq!(results[0].result, Ok(3));
    let (code, out) = cli_verify(&t);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("acme: 3 events, chain intact"), "{out}");
}

/// Builds a three-event chain, runs `sql` against the database, and returns what
/// `tapin audit verify` printed, asserting that it failed.
async fn tampered(sql: &[&str]) -> String {
    let t = TestApp::spawn().await;
    three_events(&t).await;
    let (code, out) = cli_verify(&t);
    assert_eq!(code, 0, "intact before tampering: {out}");
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
    let _hooks = t.subscribe_all().await;
    three_events(&t).await;
    let rows: Vec<(String, String)> = t
        .db_rows(
            "SELECT o.topic, e.event FROM outbox o JOIN handoff_events e ON e.id = o.event_id ORDER BY e.seq",
        )
        .await;
    let topics: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        topics,
        ["handoff.created", "handoff.created", "handoff.resolved"]
    );
}

async fn export(t: &TestApp, key: &str, path: &str) -> (u16, String, String) {
    let res = t
        .client
        .get(format!("{}/api/v1/audit/{path}", t.base))
        .header("x-api-key", key)
        .send()
        .await
        .unwrap();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), ct, res.text().await.unwrap())
}

#[tokio::test]
async fn the_jsonl_export_reverifies_offline_from_its_own_rows() {
    use tapin::domain::audit::{canonical_json, chain_hash};
    let t = TestApp::spawn().await;
    three_events(&t).await;
    let other = t.other_org_key("other", &["admin"]).await;
    let (s, ct, body) = export(&t, &t.key, "export.jsonl").await;
    assert_eq!((s, ct.as_str()), (200, "application/x-ndjson"));
    let rows: Vec<serde_json::Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3, "{body}");
    // What an auditor does with the file alone: strip the links, canonicalize, rehash.
    let mut prev = "0".repeat(64);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["seq"], i as i64 + 1);
        assert_eq!(row["prev_hash"], prev.as_str());
        let mut event = row.clone();
        event.as_object_mut().unwrap().remove("prev_hash");
        event.as_object_mut().unwrap().remove("hash");
        let hash = chain_hash(&prev, &canonical_json(&event));
        assert_eq!(row["hash"], hash.as_str(), "row {i} rehashes");
        prev = hash;
    }
    // Another organization exports only its own (empty) chain.
    assert_eq!(export(&t, &other, "export.jsonl").await.2, "");
}

#[tokio::test]
async fn the_csv_export_has_a_header_and_time_bounds_are_validated() {
    let t = TestApp::spawn().await;
    three_events(&t).await;
    let (s, ct, body) = export(&t, &t.key, "export.csv").await;
    assert_eq!((s, ct.as_str()), (200, "text/csv; charset=utf-8"));
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], tapin::service::audit::CSV_HEADER.trim_end());
    assert_eq!(lines.len(), 4, "{body}");
    assert!(lines[3].starts_with("3,"), "{body}");

    let (_, _, none) = export(&t, &t.key, "export.jsonl?from=2999-01-01T00:00:00Z").await;
    assert_eq!(none, "", "nothing was created in the future");
    let (_, _, all) = export(&t, &t.key, "export.jsonl?to=2999-01-01T00:00:00Z").await;
    assert_eq!(all.lines().count(), 3);
    // A window from the second event on holds the second and the third.
    let second: serde_json::Value = serde_json::from_str(all.lines().nth(1).unwrap()).unwrap();
    let from = second["created_at"].as_str().unwrap().replace('+', "%2B");
    let (_, _, window) = export(&t, &t.key, &format!("export.jsonl?from={from}")).await;
    let seqs: Vec<i64> = window
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["seq"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, [2, 3], "{window}");
    for (q, field) in [("from=yesterday", "from"), ("to=2026-13-01", "to")] {
        let (s, _, e) = export(&t, &t.key, &format!("export.csv?{q}")).await;
        assert_eq!(s, 422, "{e}");
        let e: serde_json::Value = serde_json::from_str(&e).unwrap();
        assert_eq!(e["error"]["fields"][0]["field"], field);
    }
}

#[tokio::test]
async fn concurrent_creations_in_one_organization_all_chain() {
    let t = TestApp::spawn().await;
    let mut convs = Vec::new();
    for _ in 0..16 {
        convs.push(t.conversation().await);
    }
    let created = futures::future::join_all(convs.iter().map(|cid| {
        t.post(
            "/api/v1/handoffs",
            &t.key,
            crate::common::takeover_body(cid),
        )
    }))
    .await;
    assert!(created.iter().all(|(s, _)| *s == 201), "{created:?}");
    let results = tapin::service::audit::verify(&t.app, Some("acme"), None)
        .await
        .unwrap();
    assert_eq!(results[0].result, Ok(16));
}
