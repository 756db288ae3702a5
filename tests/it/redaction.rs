//! Credentials in provider and webhook URLs never reach tenants through a
//! failed send (issue 11, item 15): the notification record and the delivery
//! log show a generic reason, never the URL's user, password, path or query.

use crate::common::TestApp;
use serde_json::{json, Value};
use std::time::Duration;
use tapin::service::orgs;

/// A port on which nothing listens (bound, then released).
async fn closed_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

const SECRETS: [&str; 4] = ["AC123", "s3cret", "k3y", "Messages.json"];

fn leaks(text: &str) -> Vec<&'static str> {
    SECRETS.into_iter().filter(|s| text.contains(s)).collect()
}

/// Polls (bounded) until `path` lists a row `pick` accepts.
async fn eventually(t: &TestApp, path: &str, pick: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (_, list) = t.get(path, &t.key).await;
        if let Some(row) = list["data"]
            .as_array()
            .and_then(|a| a.iter().find(|r| pick(r)))
        {
            return row.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "{path}: {list}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_failing_sms_provider_url_with_credentials_is_not_shown() {
    let port = closed_port().await;
    let t = TestApp::spawn_with(|c| {
        c.sms.url = format!(
            "http://AC123:s3cret@127.0.0.1:{port}/2010/Accounts/AC123/Messages.json?api_key=k3y"
        );
    })
    .await;
    let op = orgs::create_operator(&t.app, &t.org_id, "ann@acme.test", "Ann", vec![])
        .await
        .unwrap();
    let every = json!(["sms"]);
    let (s, body) = t
        .send_json(
            "PUT",
            &format!("/api/v1/operators/{}/channels", op.id),
            json!({"phone": "+4915100000001", "channels":
                {"low": every, "medium": every, "high": every, "urgent": every}}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (_, h) = t.takeover(1).await;
    let path = format!(
        "/api/v1/handoffs/{}/notifications",
        h["id"].as_str().unwrap()
    );
    let sms = eventually(&t, &path, |n| n["channel"] == "sms").await;
    assert_eq!(sms["outcome"], "failed", "{sms}");
    let shown = sms.to_string();
    assert!(leaks(&shown).is_empty(), "{:?} in {shown}", leaks(&shown));
    assert!(
        sms["detail"]
            .as_str()
            .unwrap_or("")
            .contains("could not connect"),
        "a reason the tenant can act on: {sms}"
    );
}

#[tokio::test]
async fn a_failing_webhook_url_with_credentials_is_not_in_the_delivery_log() {
    let port = closed_port().await;
    let t = TestApp::spawn_with(|c| {
        c.webhook_backoff_ms = 20;
        c.webhook_poll_ms = 20;
        c.rate_limit_per_minute = 1_000_000;
    })
    .await;
    let url = format!("http://AC123:s3cret@127.0.0.1:{port}/hooks/Messages.json?token=k3y");
    let (s, w) = t
        .post(
            "/api/v1/webhooks",
            &t.key,
            json!({"url": url, "events": ["*"]}),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    let worker = tapin::workers::webhooks::spawn(t.app.clone());
    t.takeover(1).await;
    let path = format!("/api/v1/webhooks/{}/deliveries", w["id"].as_str().unwrap());
    let d = eventually(&t, &path, |d| d["last_error"].is_string()).await;
    worker.abort();
    let shown = d.to_string();
    assert!(leaks(&shown).is_empty(), "{:?} in {shown}", leaks(&shown));
}
