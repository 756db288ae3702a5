//! `/metrics`: Prometheus text behind a token, and figures that move with the work.

use crate::common::TestApp;
use serde_json::json;

/// The sum of every series of `name` whose labels contain all of `labels`.
fn sum(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .filter(|l| labels.iter().all(|want| l.contains(want)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn scrape(t: &TestApp, token: Option<&str>) -> (u16, String) {
    let mut req = t.client.get(format!("{}/metrics", t.base));
    if let Some(tok) = token {
        req = req.header("authorization", format!("Bearer {tok}"));
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn metrics_need_the_token_and_move_with_requests_creations_and_transitions() {
    let t = TestApp::spawn_with(|c| c.metrics_token = "scrape-me".into()).await;
    assert_eq!(scrape(&t, None).await.0, 401);
    assert_eq!(scrape(&t, Some("wrong")).await.0, 401);
    let (status, before) = scrape(&t, Some("scrape-me")).await;
    assert_eq!(status, 200);

    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let (s, _) = t
        .post(&format!("/api/v1/handoffs/{hid}/accept"), &t.key, json!({}))
        .await;
    assert_eq!(s, 200);

    let (_, after) = scrape(&t, Some("scrape-me")).await;
    let moved =
        |name: &str, labels: &[&str]| sum(&after, name, labels) - sum(&before, name, labels);
    assert!(
        moved("tapin_handoffs_created_total", &["kind=\"takeover\""]) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "tapin_transitions_total",
            &["kind=\"takeover\"", "event=\"accept\"", "to=\"solving\""]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "tapin_http_requests_total",
            &[
                "route=\"/api/v1/handoffs\"",
                "method=\"POST\"",
                "status=\"201\""
            ]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "tapin_http_request_duration_seconds_count",
            &["route=\"/api/v1/handoffs/{id}/accept\""]
        ) >= 1.0,
        "{after}"
    );
    // Every series names its node; no raw ids leak into labels.
    assert!(after.contains("node=\""), "{after}");
    assert!(!after.contains(hid), "ids are never labels");
}

#[tokio::test]
async fn without_a_token_metrics_are_not_served() {
    let t = TestApp::spawn().await;
    assert_eq!(scrape(&t, None).await.0, 404);
    assert_eq!(scrape(&t, Some("")).await.0, 404);
}
