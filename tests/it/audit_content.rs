//! The audit chain covers content, and signed checkpoints catch a rewrite of
//! history (issue 11, item 8). Rows are tampered with directly in the
//! database, as a database writer would, and `tapin audit verify` must fail.

use crate::common::TestApp;
use serde_json::json;

pub(crate) fn cli(t: &TestApp, args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tapin"))
        .args(args)
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

/// A takeover and a decided approval (with an edited payload).
async fn history(t: &TestApp) -> (String, String) {
    let (_, h) = t.takeover(1).await;
    let (_, a) = t.approval(json!({})).await;
    let aid = a["id"].as_str().unwrap().to_string();
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let (s, d) = t
        .post(
            &format!("/api/v1/approvals/{aid}/decide"),
            &decider,
            json!({"decision": "approve", "note": "ok", "payload": {"amount": 100, "currency": "EUR"}}),
        )
        .await;
    assert_eq!(s, 200, "{d}");
    let (code, out) = cli(t, &["audit", "verify"]);
    assert_eq!(code, 0, "intact before tampering: {out}");
    (h["id"].as_str().unwrap().to_string(), aid)
}

async fn verify_fails(t: &TestApp, needle: &str) {
    let (code, out) = cli(t, &["audit", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("BROKEN  acme") && out.contains(needle),
        "{out}"
    );
}

#[tokio::test]
async fn altering_a_stored_packet_breaks_verification() {
    let t = TestApp::spawn().await;
    let (hid, _) = history(&t).await;
    t.db_exec(&format!(
        "UPDATE handoffs SET packet = replace(packet, 'double-charged', 'overjoyed') WHERE id = '{hid}'"
    ))
    .await;
    verify_fails(&t, &format!("stored packet of handoff {hid}")).await;
}

#[tokio::test]
async fn altering_what_was_approved_breaks_verification() {
    let t = TestApp::spawn().await;
    let (_, aid) = history(&t).await;
    t.db_exec(&format!(
        "UPDATE approvals SET payload = replace(payload, '120', '99999') WHERE handoff_id = '{aid}'"
    ))
    .await;
    verify_fails(&t, "stored approval").await;
}

#[tokio::test]
async fn altering_the_decision_breaks_verification() {
    let t = TestApp::spawn().await;
    let (_, aid) = history(&t).await;
    t.db_exec(&format!(
        "UPDATE approvals SET decided_payload = replace(decided_payload, '100', '99999') WHERE handoff_id = '{aid}'"
    ))
    .await;
    verify_fails(&t, "stored decision").await;

    let t = TestApp::spawn().await;
    let (_, aid) = history(&t).await;
    t.db_exec(&format!(
        "UPDATE handoffs SET decision = 'denied' WHERE id = '{aid}'"
    ))
    .await;
    verify_fails(&t, "stored decision").await;
}

/// Recomputes every event's hash from its row after changing one, as a
/// database writer covering their tracks would, and moves the head.
async fn rewrite_history(t: &TestApp) {
    use tapin::domain::audit::{chain_hash, GENESIS};
    t.db_exec("UPDATE handoff_events SET actor = 'operator:mallory' WHERE seq = 1")
        .await;
    let rows: Vec<(i64,)> = t
        .db_rows("SELECT seq FROM handoff_events ORDER BY seq")
        .await;
    let mut prev = GENESIS.to_string();
    for (seq,) in rows {
        let events = tapin::service::audit::events_after(&t.app, &t.org_id, None, seq - 1, 1)
            .await
            .unwrap();
        let hash = chain_hash(&prev, &events[0].event.canonical());
        t.db_exec(&format!(
            "UPDATE handoff_events SET prev_hash = '{prev}', hash = '{hash}' WHERE seq = {seq}"
        ))
        .await;
        prev = hash;
    }
    t.db_exec(&format!("UPDATE organizations SET audit_head = '{prev}'"))
        .await;
}

#[tokio::test]
async fn a_signed_checkpoint_catches_a_rewritten_history_that_plain_verify_misses() {
    let t = TestApp::spawn().await;
    history(&t).await;
    let file = t.dir.path().join("checkpoint.json");
    let (code, out) = cli(
        &t,
        &["audit", "checkpoint", "--out", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    let cp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(cp["organizations"][0]["slug"], "acme");
    assert!(cp["signature"]
        .as_str()
        .unwrap()
        .starts_with("hmac-sha256:"));
    let (code, out) = cli(
        &t,
        &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("signature valid"), "{out}");

    // Later events are fine: the chain still passes through the signed head.
    t.takeover(0).await;
    let (code, out) = cli(
        &t,
        &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");

    rewrite_history(&t).await;
    let (code, out) = cli(&t, &["audit", "verify"]);
    assert_eq!(
        code, 0,
        "plain verify cannot see a consistent rewrite: {out}"
    );
    let (code, out) = cli(
        &t,
        &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("BROKEN  acme") && out.contains("rewritten"),
        "{out}"
    );
}

#[tokio::test]
async fn a_forged_or_foreign_checkpoint_is_refused() {
    let t = TestApp::spawn().await;
    history(&t).await;
    let file = t.dir.path().join("checkpoint.json");
    let (code, out) = cli(
        &t,
        &["audit", "checkpoint", "--out", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    // A database writer who rewrote history edits the checkpoint to match.
    let mut cp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    cp["organizations"][0]["hash"] = json!("00".repeat(32));
    std::fs::write(&file, cp.to_string()).unwrap();
    let (code, out) = cli(
        &t,
        &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
    );
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("signature does not match"), "{out}");
}
