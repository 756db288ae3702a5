//! Chat messages are covered too (issue 11, item 8): each conversation's
//! messages form a hash chain, `tapin audit verify` names the conversation and
//! message a database writer changed, and a signed checkpoint catches a
//! transcript rewritten with every hash recomputed.

use crate::audit_content::cli;
use crate::common::TestApp;
use tapin::domain::audit::GENESIS;
use tapin::domain::transcript_chain::message_hash;

/// A conversation with four messages and a takeover on it; verify passes.
async fn chat(t: &TestApp) -> String {
    let (cid, _) = t.takeover(4).await;
    let (code, out) = cli(t, &["audit", "verify"]);
    assert_eq!(code, 0, "intact before tampering: {out}");
    cid
}

async fn verify_names(t: &TestApp, cid: &str, needle: &str) {
    let (code, out) = cli(t, &["audit", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("conversation {cid}, message #")) && out.contains(needle),
        "{out}"
    );
}

#[tokio::test]
async fn an_edited_message_is_named_by_verify() {
    let t = TestApp::spawn().await;
    let cid = chat(&t).await;
    t.db_exec(&format!(
        "UPDATE messages SET content = 'I agreed to pay double' WHERE conversation_id = '{cid}' AND seq = 2"
    ))
    .await;
    verify_names(&t, &cid, "message #2: its content does not match its hash").await;
}

#[tokio::test]
async fn a_removed_or_relabelled_message_is_named_by_verify() {
    let t = TestApp::spawn().await;
    let cid = chat(&t).await;
    t.db_exec(&format!(
        "DELETE FROM messages WHERE conversation_id = '{cid}' AND seq = 2"
    ))
    .await;
    verify_names(&t, &cid, "a message is missing before this one").await;

    let t = TestApp::spawn().await;
    let cid = chat(&t).await;
    t.db_exec(&format!(
        "UPDATE messages SET author = 'operator' WHERE conversation_id = '{cid}' AND seq = 1"
    ))
    .await;
    verify_names(&t, &cid, "message #1").await;

    // Cutting the last line (and winding the counter back) leaves a head that no longer matches.
    let t = TestApp::spawn().await;
    let cid = chat(&t).await;
    let last: Vec<(i64,)> = t
        .db_rows(&format!(
            "SELECT last_seq FROM conversations WHERE id = '{cid}'"
        ))
        .await;
    let last = last[0].0;
    t.db_exec(&format!(
        "DELETE FROM messages WHERE conversation_id = '{cid}' AND seq = {last}"
    ))
    .await;
    t.db_exec(&format!(
        "UPDATE conversations SET last_seq = {} WHERE id = '{cid}'",
        last - 1
    ))
    .await;
    verify_names(&t, &cid, "does not end at the conversation's recorded head").await;
}

/// Changes one line and recomputes every hash and the head, as a writer
/// covering their tracks would.
async fn rewrite_transcript(t: &TestApp, cid: &str) {
    let rows = t.app.store.transcript_chain(cid).await.unwrap();
    let mut prev = GENESIS.to_string();
    for mut row in rows {
        if row.message.seq == 1 {
            row.message.content = "please refund me twice".into();
        }
        let hash = message_hash(&prev, &row.message);
        t.db_exec(&format!(
            "UPDATE messages SET content = '{}', hash = '{hash}' WHERE id = '{}'",
            row.message.content, row.message.id
        ))
        .await;
        prev = hash;
    }
    t.db_exec(&format!(
        "UPDATE conversations SET head_hash = '{prev}' WHERE id = '{cid}'"
    ))
    .await;
}

#[tokio::test]
async fn a_rewritten_transcript_passes_plain_verify_but_not_the_checkpoint() {
    let t = TestApp::spawn().await;
    let cid = chat(&t).await;
    let file = t.dir.path().join("checkpoint.json");
    let (code, out) = cli(
        &t,
        &["audit", "checkpoint", "--out", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    let cp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let heads = cp["organizations"][0]["transcripts"].as_array().unwrap();
    assert!(
        heads.iter().any(|h| h["conversation_id"] == cid.as_str()),
        "the checkpoint signs the transcript's head: {cp}"
    );

    rewrite_transcript(&t, &cid).await;
    let (code, out) = cli(&t, &["audit", "verify"]);
    assert_eq!(
        code, 0,
        "a consistent rewrite is beyond the plain chain: {out}"
    );
    let (code, out) = cli(
        &t,
        &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("conversation {cid}"))
            && out.contains("differs from the signed checkpoint"),
        "{out}"
    );
}

#[tokio::test]
async fn a_checkpoint_with_an_edited_transcript_head_is_refused() {
    let t = TestApp::spawn().await;
    chat(&t).await;
    let file = t.dir.path().join("checkpoint.json");
    let (code, out) = cli(
        &t,
        &["audit", "checkpoint", "--out", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    let mut cp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    cp["organizations"][0]["transcripts"][0]["seq"] = serde_json::json!(1);
    std::fs::write(&file, cp.to_string()).unwrap();
    let (code, out) = cli(
        &t,
        &["audit", "verify", "--checkpoint", file.to_str().unwrap()],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("signature does not match"), "{out}");
}
