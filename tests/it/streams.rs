//! SSE streams: ids on every event, live delivery, Last-Event-ID resume without gaps or duplicates.

use crate::common::TestApp;
use serde_json::{json, Value};
use std::time::Duration;

struct Sse {
    res: reqwest::Response,
    buf: String,
}

#[derive(Debug)]
struct Ev {
    id: i64,
    name: String,
    data: Value,
}

impl Sse {
    async fn open(t: &TestApp, path: &str, last_id: Option<i64>) -> Sse {
        let mut req = t
            .client
            .get(format!("{}{path}", t.base))
            .header("x-api-key", &t.key)
            .header("accept", "text/event-stream");
        if let Some(id) = last_id {
            req = req.header("last-event-id", id.to_string());
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        Sse {
            res,
            buf: String::new(),
        }
    }

    /// The next event with an id; a bounded wait so a broken stream fails the test instead of hanging.
    async fn next(&mut self) -> Ev {
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(end) = self.buf.find("\n\n") {
                    let block: String = self.buf.drain(..end + 2).collect();
                    let (mut id, mut name, mut data) = (None, String::new(), String::new());
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("id:") {
                            id = v.trim().parse().ok();
                        } else if let Some(v) = line.strip_prefix("event:") {
                            name = v.trim().to_string();
                        } else if let Some(v) = line.strip_prefix("data:") {
                            data.push_str(v.trim_start());
                        }
                    }
                    if let Some(id) = id {
                        return Ev {
                            id,
                            name,
                            data: serde_json::from_str(&data).unwrap(),
                        };
                    }
                    continue;
                }
                let chunk = self.res.chunk().await.unwrap().expect("stream still open");
                self.buf.push_str(&String::from_utf8_lossy(&chunk));
            }
        })
        .await
        .expect("an event within 10 s")
    }
}

#[tokio::test]
async fn a_handoff_stream_replays_then_follows_live_and_resumes_after_last_event_id() {
    let t = TestApp::spawn().await;
    let (_, h) = t.takeover(0).await;
    let hid = h["id"].as_str().unwrap();
    let path = format!("/api/v1/handoffs/{hid}/events");
    let mut s = Sse::open(&t, &path, None).await;
    let created = s.next().await;
    assert_eq!(
        (created.name.as_str(), created.data["to_state"].as_str()),
        ("create", Some("created"))
    );

    t.post(&format!("/api/v1/handoffs/{hid}/accept"), &t.key, json!({}))
        .await;
    let accepted = s.next().await;
    assert_eq!(
        (accepted.name.as_str(), accepted.data["to_state"].as_str()),
        ("accept", Some("solving"))
    );
    drop(s);

    t.post(
        &format!("/api/v1/handoffs/{hid}/resolve"),
        &t.key,
        json!({}),
    )
    .await;
    let mut again = Sse::open(&t, &path, Some(accepted.id)).await;
    let resolved = again.next().await;
    assert_eq!(
        resolved.name, "resolve",
        "the missed event, and not the ones already seen"
    );
    assert!(resolved.id > accepted.id);

    // Plain JSON without the SSE Accept header.
    let (s, list) = t.get(&path, &t.key).await;
    assert_eq!((s, list.as_array().unwrap().len()), (200, 3));
}

#[tokio::test]
async fn the_audit_stream_resumes_without_gaps_or_duplicates() {
    let t = TestApp::spawn().await;
    t.takeover(0).await; // history before connecting is not replayed without Last-Event-ID
    let mut s = Sse::open(&t, "/api/v1/audit/stream", None).await;
    let (_, h1) = t.takeover(0).await;
    let first = s.next().await;
    assert_eq!(first.data["handoff_id"], h1["id"]);
    drop(s);

    // Four more changes while disconnected.
    let (_, h2) = t.takeover(0).await;
    for h in [&h1, &h2] {
        t.post(
            &format!("/api/v1/handoffs/{}/resolve", h["id"].as_str().unwrap()),
            &t.key,
            json!({}),
        )
        .await;
    }
    let (_, _h3) = t.takeover(0).await;
    let mut s = Sse::open(&t, "/api/v1/audit/stream", Some(first.id)).await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(s.next().await.id);
    }
    let expected: Vec<i64> = (first.id + 1..=first.id + 4).collect();
    assert_eq!(
        ids, expected,
        "every event after Last-Event-ID, in order, once"
    );
    // And it keeps following.
    t.takeover(0).await;
    assert_eq!(s.next().await.id, first.id + 5);
}

#[tokio::test]
async fn a_conversation_stream_delivers_messages_by_seq() {
    let t = TestApp::spawn().await;
    let cid = t.conversation().await;
    t.post(
        &format!("/api/v1/conversations/{cid}/messages"),
        &t.key,
        json!({"author": "user", "content": "before"}),
    )
    .await;
    let mut s = Sse::open(&t, &format!("/api/v1/conversations/{cid}/events"), None).await;
    for text in ["one", "two"] {
        t.post(
            &format!("/api/v1/conversations/{cid}/messages"),
            &t.key,
            json!({"author": "user", "content": text}),
        )
        .await;
    }
    let (a, b) = (s.next().await, s.next().await);
    assert_eq!((a.id, a.data["content"].as_str()), (2, Some("one")));
    assert_eq!(
        (b.id, b.data["content"].as_str(), b.name.as_str()),
        (3, Some("two"), "message")
    );

    let mut from_start =
        Sse::open(&t, &format!("/api/v1/conversations/{cid}/events"), Some(0)).await;
    assert_eq!(from_start.next().await.data["content"], "before");

    let bad = t
        .client
        .get(format!("{}/api/v1/audit/stream", t.base))
        .header("x-api-key", &t.key)
        .header("last-event-id", "yesterday")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

/// Unix milliseconds of a stored timestamp, as the trace stream counts them.
fn millis(t: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(t.as_str().unwrap())
        .unwrap()
        .timestamp_millis()
}

#[tokio::test]
async fn the_trace_stream_times_each_transition_and_resumes_after_last_event_id() {
    let t = TestApp::spawn().await;
    let (_, h) = t.takeover(0).await;
    let hid = h["id"].as_str().unwrap();
    let path = "/api/v1/audit/trace/stream?after_seq=0";
    let mut s = Sse::open(&t, path, None).await;
    let created = s.next().await;
    assert_eq!(created.name, "transition");
    let c = &created.data;
    assert_eq!(
        (c["event"].as_str(), c["to"].as_str(), c["kind"].as_str()),
        (Some("create"), Some("created"), Some("takeover"))
    );
    assert_eq!(
        (&c["from"], &c["ms_since_previous"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(
        (c["handoff_id"].as_str(), c["ms_since_created"].as_i64()),
        (Some(hid), Some(0))
    );

    // Live: each step as it commits.
    for step in ["accept", "resolve"] {
        let (st, _) = t
            .post(&format!("/api/v1/handoffs/{hid}/{step}"), &t.key, json!({}))
            .await;
        assert_eq!(st, 200);
    }
    let (accepted, resolved) = (s.next().await, s.next().await);
    let r = &resolved.data;
    assert_eq!(
        (r["event"].as_str(), r["from"].as_str(), r["to"].as_str()),
        (Some("resolve"), Some("solving"), Some("completed"))
    );
    // The timings agree with the audit trail's own timestamps.
    let (_, trail) = t
        .get(&format!("/api/v1/handoffs/{hid}/events"), &t.key)
        .await;
    let trail = trail.as_array().unwrap();
    assert_eq!(trail.len(), 3);
    for (sent, audited) in [&created, &accepted, &resolved].iter().zip(trail) {
        assert_eq!(sent.data["event_id"], audited["id"]);
        assert_eq!(sent.data["seq"], audited["seq"]);
        assert_eq!(
            sent.id,
            audited["seq"].as_i64().unwrap(),
            "SSE id = audit seq"
        );
        assert_eq!(sent.data["at"], audited["created_at"]);
        assert_eq!(sent.data["actor"], audited["actor"]);
    }
    assert_eq!(
        r["ms_since_created"].as_i64(),
        Some(millis(&trail[2]["created_at"]) - millis(&trail[0]["created_at"]))
    );
    assert_eq!(
        r["ms_since_previous"].as_i64(),
        Some(millis(&trail[2]["created_at"]) - millis(&trail[1]["created_at"]))
    );
    drop(s);

    // Reconnecting: Last-Event-ID wins over after_seq, nothing is repeated or skipped.
    let (_, h2) = t.takeover(0).await;
    let mut again = Sse::open(&t, path, Some(resolved.id)).await;
    let next = again.next().await;
    assert_eq!(
        (next.id, &next.data["handoff_id"]),
        (resolved.id + 1, &h2["id"])
    );

    // Without either, only what happens next.
    let mut fresh = Sse::open(&t, "/api/v1/audit/trace/stream", None).await;
    let (_, h3) = t.takeover(0).await;
    assert_eq!(fresh.next().await.data["handoff_id"], h3["id"]);

    for (query, field, status) in [
        ("?after_seq=-1", "after_seq", 422),
        ("?after_seq=soon", "after_seq", 422),
        ("?since=3", "since", 400),
    ] {
        let (st, e) = t
            .get(&format!("/api/v1/audit/trace/stream{query}"), &t.key)
            .await;
        assert_eq!(st, status, "{query}: {e}");
        assert_eq!(e["error"]["fields"][0]["field"], field, "{query}: {e}");
    }
    let writer = t.key_in(&t.org_id, &["approvals:write"]).await;
    let (st, _) = t.get("/api/v1/audit/trace/stream", &writer).await;
    assert_eq!(st, 403, "the trace needs the read scope");
}
