//! Secrets at rest (issue 11, item 14): the link signing key, the VAPID key,
//! webhook secrets and the Slack URL are sealed with the master key before
//! they reach the database; clear rows of an older version are sealed on
//! start; a wrong master key stops the start with a clear message.

use crate::common::{backend, sql_text, Backend, TestApp};
use crate::sinks::{http_sink, next};
use serde_json::json;
use tapin::service::App;

const SLACK_SECRET_PATH: &str = "/services/T0/B0/slackSecretPart";

/// Every stored text, for "is this secret anywhere in clear?".
async fn stored_texts(t: &TestApp) -> String {
    let mut all = String::new();
    for sql in [
        "SELECT value FROM server_secrets",
        "SELECT secret FROM webhooks",
        "SELECT COALESCE(slack_webhook_url, '') FROM organizations",
    ] {
        let rows: Vec<(String,)> = t.db_rows(sql).await;
        for (v,) in rows {
            all.push_str(&v);
            all.push('\n');
        }
    }
    all
}

/// `v1,<base64 HMAC-SHA256>` keyed with the base64 after `whsec_` (Standard Webhooks).
fn standard_signature(secret: &str, msg: &str) -> String {
    use base64::Engine;
    use hmac::Mac;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(msg.as_bytes());
    format!("v1,{}", b64.encode(mac.finalize().into_bytes()))
}

/// Creates a handoff and runs the webhook worker once; the receiver checks
/// the signature with `secret` as any receiver would.
async fn delivery_verifies(
    t: &TestApp,
    app: &App,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<crate::sinks::Request>,
    secret: &str,
) {
    t.takeover(1).await;
    tapin::workers::webhooks::step(app).await.unwrap();
    let got = next(rx).await;
    let h = |n: &str| got.headers[n].to_str().unwrap().to_string();
    let expected = standard_signature(
        secret,
        &format!(
            "{}.{}.{}",
            h("webhook-id"),
            h("webhook-timestamp"),
            got.body
        ),
    );
    assert_eq!(
        h("webhook-signature"),
        expected,
        "signed with the secret the API showed"
    );
}

#[tokio::test]
async fn secrets_are_sealed_in_the_database_and_everything_still_works() {
    let t = TestApp::spawn().await;
    let (hook_url, mut hook_rx) = http_sink().await;
    let (slack_url, _) = http_sink().await;
    let (s, w) = t
        .post(
            "/api/v1/webhooks",
            &t.key,
            json!({"url": format!("{hook_url}/hook"), "events": ["*"]}),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    let secret = w["secret"].as_str().unwrap().to_string();
    let slack = format!("{slack_url}{SLACK_SECRET_PATH}");
    let (s, settings) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"slack_webhook_url": slack}),
        )
        .await;
    assert_eq!(s, 200, "{settings}");
    assert_eq!(
        settings["slack_webhook_url"],
        json!(slack),
        "read back clear"
    );

    let stored = stored_texts(&t).await;
    assert!(
        !stored.contains(&secret),
        "webhook secret in clear: {stored}"
    );
    assert!(!stored.contains("slackSecretPart"), "Slack URL in clear");
    let (secrets,): (i64,) = t
        .db_rows::<(i64,)>("SELECT COUNT(*) FROM server_secrets WHERE value NOT LIKE 'sealed:v1:%'")
        .await[0];
    assert_eq!(secrets, 0, "every server secret is sealed");
    for name in ["link_signing_key", "vapid_private_key"] {
        let rows: Vec<(String,)> = t
            .db_rows(&format!(
                "SELECT value FROM server_secrets WHERE name = {}",
                sql_text(name)
            ))
            .await;
        assert!(rows[0].0.starts_with("sealed:v1:"), "{name}: {}", rows[0].0);
    }

    // Deliveries are signed with the clear secret; links and the VAPID key load after a restart.
    delivery_verifies(&t, &t.app, &mut hook_rx, &secret).await;
    let again = t.reopen().await;
    assert_eq!(again.vapid.public_key, t.app.vapid.public_key);
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let (op, _) = t.signed_in("ann@acme.test", "Ann", &[]).await;
    let link = tapin::service::links::sign(&t.app, hid, &op, 60).unwrap();
    let token = link.split("?t=").nth(1).unwrap();
    assert!(
        tapin::service::links::check(&again, hid, token)
            .await
            .unwrap()
            .is_ok(),
        "a link signed before the restart opens after it"
    );
}

#[tokio::test]
async fn clear_rows_of_an_older_version_are_sealed_on_start() {
    let t = TestApp::spawn().await;
    let (hook_url, mut hook_rx) = http_sink().await;
    let (s, w) = t
        .post(
            "/api/v1/webhooks",
            &t.key,
            json!({"url": format!("{hook_url}/hook"), "events": ["*"]}),
        )
        .await;
    assert_eq!(s, 201);
    // As an older version left them: everything in clear.
    let clear_key = "ab".repeat(32);
    let old_secret = format!("whsec_{}", "0c1ea2".repeat(8));
    t.db_exec(&format!(
        "UPDATE webhooks SET secret = {} WHERE id = {}",
        sql_text(&old_secret),
        sql_text(w["id"].as_str().unwrap())
    ))
    .await;
    t.db_exec(&format!(
        "UPDATE organizations SET slack_webhook_url = {}",
        sql_text(&format!("https://hooks.slack.example{SLACK_SECRET_PATH}"))
    ))
    .await;
    t.db_exec(&format!(
        "UPDATE server_secrets SET value = {} WHERE name = 'link_signing_key'",
        sql_text(&clear_key)
    ))
    .await;

    let started = t.reopen().await;
    let stored = stored_texts(&t).await;
    for clear in [old_secret.as_str(), "slackSecretPart", clear_key.as_str()] {
        assert!(!stored.contains(clear), "{clear} still in clear: {stored}");
    }
    let settings = tapin::service::routing::settings(&started, &t.org_id)
        .await
        .unwrap();
    assert_eq!(
        settings.slack_webhook_url.as_deref(),
        Some(format!("https://hooks.slack.example{SLACK_SECRET_PATH}").as_str())
    );
    delivery_verifies(&t, &started, &mut hook_rx, &old_secret).await;
    // The sealed link key is the one that was in clear: a third start opens its links.
    let (_, h) = t.takeover(1).await;
    let hid = h["id"].as_str().unwrap();
    let (op, _) = t.signed_in("ann@acme.test", "Ann", &[]).await;
    let link = tapin::service::links::sign(&started, hid, &op, 60).unwrap();
    let third = t.reopen().await;
    let token = link.split("?t=").nth(1).unwrap();
    assert!(tapin::service::links::check(&third, hid, token)
        .await
        .unwrap()
        .is_ok());
}

async fn start_with_key_file(t: &TestApp, path: &std::path::Path) -> Result<App, String> {
    let mut config = (*t.app.config).clone();
    config.master_key_file = path.display().to_string();
    let store = tapin::store::open(&t.db_url).await.unwrap();
    App::new(store, config).await
}

#[tokio::test]
async fn a_wrong_or_lost_master_key_stops_the_start_with_a_clear_message() {
    let t = TestApp::spawn().await;
    let other = t.dir.path().join("other.key");
    std::fs::write(
        &other,
        tapin::service::master_key::encode(&[42u8; 32]).as_bytes(),
    )
    .unwrap();
    let err = start_with_key_file(&t, &other)
        .await
        .err()
        .expect("refused");
    assert!(
        err.contains("other.key") && err.contains("does not open") && err.contains("backup"),
        "{err}"
    );

    // A key file that went missing: a new one is made, and the start says what happened.
    let lost = t.dir.path().join("lost/master.key");
    let err = start_with_key_file(&t, &lost).await.err().expect("refused");
    assert!(err.contains("created by this start"), "{err}");

    // A damaged key file names itself.
    std::fs::write(&other, "garbage").unwrap();
    let err = start_with_key_file(&t, &other)
        .await
        .err()
        .expect("refused");
    assert!(
        err.contains("other.key") && err.contains("32 bytes"),
        "{err}"
    );

    // The right key still starts.
    let right = std::path::PathBuf::from(&t.app.config.master_key_file);
    assert!(start_with_key_file(&t, &right).await.is_ok());
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_file_and_the_master_key_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestApp::spawn().await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode(std::path::Path::new(&t.app.config.master_key_file)),
        0o600
    );
    if backend() == Backend::Sqlite {
        assert_eq!(mode(&t.dir.path().join("tapin.db")), 0o600);
    }
}
