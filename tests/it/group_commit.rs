//! Writes arriving together share a transaction on SQLite (group commit) and
//! compete for the same rows on PostgreSQL; on both, each write stays
//! all-or-nothing: a losing write changes nothing and the others are kept.

use crate::common::{takeover_body, TestApp};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_that_lose_change_nothing_and_the_rest_are_kept() {
    let t = TestApp::spawn().await;
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let mut approvals = Vec::new();
    for _ in 0..6 {
        let (_, a) = t.approval(json!({})).await;
        approvals.push(a["id"].as_str().unwrap().to_string());
    }
    let mut convs = Vec::new();
    for _ in 0..12 {
        convs.push(t.conversation().await);
    }
    let events_before = events(&t).await;

    // Each approval is approved and denied at the same moment, among twelve
    // creations: one decision per approval wins, the other is refused.
    let decides = approvals.iter().flat_map(|id| {
        ["approve", "deny"].map(|d| {
            let path = format!("/api/v1/approvals/{id}/decide");
            let (t, decider) = (&t, &decider);
            async move {
                let (s, body) = t
                    .post(&path, decider, json!({"decision": d, "note": d}))
                    .await;
                (id.clone(), d, s, body)
            }
        })
    });
    let creations = convs
        .iter()
        .map(|cid| t.post("/api/v1/handoffs", &t.key, takeover_body(cid)));
    let (decided, created) = tokio::join!(
        futures::future::join_all(decides),
        futures::future::join_all(creations)
    );

    assert!(created.iter().all(|(s, _)| *s == 201), "{created:?}");
    for id in &approvals {
        let outcomes: Vec<_> = decided.iter().filter(|(a, ..)| a == id).collect();
        let won: Vec<_> = outcomes.iter().filter(|(.., s, _)| *s == 200).collect();
        let lost: Vec<_> = outcomes.iter().filter(|(.., s, _)| *s == 409).collect();
        assert_eq!((won.len(), lost.len()), (1, 1), "{outcomes:?}");
        // What the winner was told is what is stored.
        let (s, now) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
        assert_eq!(s, 200, "{now}");
        let want = if won[0].1 == "approve" {
            "approved"
        } else {
            "denied"
        };
        assert_eq!(now["status"], want, "{now}");
        assert_eq!(now["decision_note"], won[0].1, "{now}");
    }
    // One audit event per write that succeeded, none for those refused, and
    // the chain still links.
    assert_eq!(events(&t).await - events_before, 12 + 6);
    let verified = tapin::service::audit::verify(&t.app, Some("acme"), None)
        .await
        .unwrap();
    assert!(verified[0].result.is_ok(), "{:?}", verified[0].result);
}

async fn events(t: &TestApp) -> i64 {
    let rows: Vec<(i64,)> = t.db_rows("SELECT COUNT(*) FROM handoff_events").await;
    rows[0].0
}
