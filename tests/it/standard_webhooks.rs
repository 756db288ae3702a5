//! Standard Webhooks (issue 14 §2): every delivery is verified by a receiver
//! with the reference library, Python's `standardwebhooks` from PyPI
//! (`tests/it/standard_webhooks_verify.py`), never with tapin's own code:
//! plain deliveries and retries, a rotation overlap (a receiver holding only
//! the old secret and one holding only the new one both verify), the opt-in
//! legacy `tapin-signature`, and a subscription from an earlier release with
//! its hex secret. A tampered delivery fails the library's check.
//!
//! The library is installed by `scripts/install.sh test` into `.tools/venv`
//! (or set `TAPIN_TEST_PYTHON` to a Python that has it). Without it these tests
//! fail and say so; they never pass without having verified.

use crate::common::{sql_text, TestApp};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tapin::workers::webhooks;
use tokio::sync::mpsc;

const INSTALL_HINT: &str = "the Standard Webhooks tests verify deliveries with Python's \
    `standardwebhooks` package: run `scripts/install.sh test` (it installs it into .tools/venv) \
    or set TAPIN_TEST_PYTHON to a Python that has it";

fn python() -> PathBuf {
    std::env::var_os("TAPIN_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin/python"))
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/standard_webhooks_verify.py")
}

/// One delivery as the receiver got it: header names lowercase.
#[derive(Clone, Debug)]
struct Got {
    headers: BTreeMap<String, String>,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// `Webhook(secret).verify(body, headers)` in Python for each check: Ok, or
/// the library's reason. Err(..) of the outer result when Python or the
/// package is missing or the script fails.
async fn run_verifier(checks: &[(&str, &Got)]) -> Result<Vec<Result<(), String>>, String> {
    let input: Vec<Value> = checks
        .iter()
        .map(|(secret, got)| json!({"secret": secret, "headers": got.headers, "body": got.body}))
        .collect();
    let mut child = tokio::process::Command::new(python())
        .arg(script())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{INSTALL_HINT} ({}: {e})", python().display()))?;
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(serde_json::to_string(&input).unwrap().as_bytes())
            .await
            .map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().await.map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "{INSTALL_HINT}\nthe verifier exited with {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let verdicts: Vec<Value> = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    Ok(verdicts
        .into_iter()
        .map(|v| match v["ok"].as_bool() {
            Some(true) => Ok(()),
            _ => Err(v["error"].as_str().unwrap_or("?").to_string()),
        })
        .collect())
}

/// The library's verdict on one delivery with one secret.
async fn verify(secret: &str, got: &Got) -> Result<(), String> {
    run_verifier(&[(secret, got)])
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0)
}

/// Fails the test at once, with the install hint, where the library cannot run.
async fn require_library() {
    let probe = Got {
        headers: BTreeMap::new(),
        body: String::new(),
    };
    match run_verifier(&[("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &probe)]).await {
        Ok(v) => assert_eq!(
            v[0],
            Err("Missing required headers".to_string()),
            "the library answers"
        ),
        Err(e) => panic!("{e}"),
    }
}

/// What the receiver recorded: the delivery, and each held secret's verdict.
#[derive(Debug)]
struct Verified {
    got: Got,
    verdicts: Vec<Result<(), String>>,
}

/// A receiver that verifies each delivery with every secret it holds, each
/// on its own (as separate receivers would), and answers 204 only when all
/// verify (401 otherwise), or 503 while `fail_next` is above zero.
struct Receiver {
    url: String,
    secrets: Arc<Mutex<Vec<String>>>,
    fail_next: Arc<AtomicUsize>,
    rx: mpsc::UnboundedReceiver<Verified>,
}

impl Receiver {
    fn hold(&self, secrets: &[&str]) {
        *self.secrets.lock().unwrap() = secrets.iter().map(|s| s.to_string()).collect();
    }

    async fn next(&mut self) -> Verified {
        crate::sinks::next(&mut self.rx).await
    }
}

async fn receiver() -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let secrets = Arc::new(Mutex::new(Vec::<String>::new()));
    let fail_next = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::unbounded_channel();
    let (s, f) = (secrets.clone(), fail_next.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (s, f, tx) = (s.clone(), f.clone(), tx.clone());
            async move {
                let got = Got {
                    headers: headers
                        .iter()
                        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap().to_string()))
                        .collect(),
                    body,
                };
                let held = s.lock().unwrap().clone();
                let checks: Vec<(&str, &Got)> = held.iter().map(|k| (k.as_str(), &got)).collect();
                let verdicts = run_verifier(&checks)
                    .await
                    .unwrap_or_else(|e| vec![Err(e); held.len().max(1)]);
                let all_ok = !verdicts.is_empty() && verdicts.iter().all(Result::is_ok);
                let _ = tx.send(Verified { got, verdicts });
                if f.load(Ordering::SeqCst) > 0 {
                    f.fetch_sub(1, Ordering::SeqCst);
                    StatusCode::SERVICE_UNAVAILABLE
                } else if all_ok {
                    StatusCode::NO_CONTENT
                } else {
                    StatusCode::UNAUTHORIZED
                }
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver {
        url,
        secrets,
        fail_next,
        rx,
    }
}

fn fast(c: &mut tapin::config::Config) {
    c.webhook_backoff_ms = 20;
    c.webhook_poll_ms = 20;
    c.rate_limit_per_minute = 1_000_000;
}

async fn subscribe(t: &TestApp, r: &Receiver, extra: Value) -> Value {
    let mut body = json!({"url": r.url, "events": ["handoff.created"]});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let (s, w) = t.post("/api/v1/webhooks", &t.key, body).await;
    assert_eq!(s, 201, "{w}");
    w
}

async fn rotate(t: &TestApp, id: &str) -> Value {
    let (s, w) = t
        .post(
            &format!("/api/v1/webhooks/{id}/rotate-secret"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 200, "{w}");
    w
}

/// One event through the webhook worker, run once and awaited.
async fn deliver_one(t: &TestApp, app: &tapin::service::App, r: &mut Receiver) -> Verified {
    t.takeover(1).await;
    webhooks::step(app).await.unwrap();
    r.next().await
}

fn signatures(got: &Got) -> Vec<&str> {
    got.header("webhook-signature")
        .expect("webhook-signature")
        .split(' ')
        .collect()
}

fn secret_of(w: &Value) -> String {
    w["secret"].as_str().unwrap().to_string()
}

/// The legacy header as a receiver of an earlier release computes it.
fn legacy_expected(secret: &str, got: &Got) -> String {
    use hmac::Mac;
    let sig = got.header("tapin-signature").expect("tapin-signature");
    let t = sig
        .strip_prefix("t=")
        .and_then(|r| r.split(',').next())
        .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", got.body).as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn time(v: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("a time: {v}")))
        .unwrap()
        .to_utc()
}

#[tokio::test]
async fn every_delivery_and_its_retry_verify_with_the_library_and_a_tampered_one_does_not() {
    require_library().await;
    let t = TestApp::spawn_with(fast).await;
    let mut r = receiver().await;
    let w = subscribe(&t, &r, json!({})).await;
    assert_eq!(w["signature_scheme"], "standard", "the default: {w}");
    assert!(w["previous_secret_expires_at"].is_null(), "{w}");
    let secret = secret_of(&w);
    let b64 = secret.strip_prefix("whsec_").expect("whsec_ prefix");
    assert!(
        b64.len() == 48
            && b64
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/".contains(c)),
        "base64 of 36 random bytes, unpadded: {secret}"
    );
    r.hold(&[&secret]);
    // The first attempt is answered 503 (after verifying): the retry must verify too.
    r.fail_next.store(1, Ordering::SeqCst);
    let worker = webhooks::spawn(t.app.clone());
    let (_, h) = t.takeover(1).await;

    let first = r.next().await;
    let retry = r.next().await;
    for v in [&first, &retry] {
        assert_eq!(v.verdicts, [Ok(())], "the library verifies it: {v:?}");
        assert_eq!(signatures(&v.got).len(), 1);
        assert!(signatures(&v.got)[0].starts_with("v1,"));
        assert_eq!(v.got.header("tapin-signature"), None, "standard only");
        let body: Value = serde_json::from_str(&v.got.body).unwrap();
        assert_eq!(body["type"], "handoff.created");
        assert_eq!(body["handoff_id"], h["id"]);
        assert_eq!(
            v.got.header("webhook-id"),
            body["event_id"].as_str(),
            "webhook-id is the event id"
        );
        let ts: i64 = v.got.header("webhook-timestamp").unwrap().parse().unwrap();
        assert!((chrono::Utc::now().timestamp() - ts).abs() < 300);
    }
    assert_eq!(
        first.got.header("webhook-id"),
        retry.got.header("webhook-id"),
        "the same id on a retry, so receivers dedupe on it"
    );
    // The receiver accepted the verified retry (recorded just after it answered).
    let log = format!("/api/v1/webhooks/{}/deliveries", w["id"].as_str().unwrap());
    tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            let (_, log) = t.get(&log, &t.key).await;
            if log["data"][0]["status"] == "delivered" {
                assert_eq!(log["data"][0]["attempts"], 2, "{log}");
                break;
            }
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the delivery is recorded as delivered within 20 s");
    worker.abort();

    // Tampering with anything signed fails the library's check.
    let mut body = retry.got.clone();
    body.body = body.body.replacen("handoff.created", "handoff.resolved", 1);
    let mut id = retry.got.clone();
    id.headers
        .insert("webhook-id".into(), uuid::Uuid::now_v7().to_string());
    let mut ts = retry.got.clone();
    let later = chrono::Utc::now().timestamp() + 1;
    ts.headers
        .insert("webhook-timestamp".into(), later.to_string());
    for forged in [&body, &id, &ts] {
        assert_eq!(
            verify(&secret, forged).await,
            Err("No matching signature found".to_string())
        );
    }
    let other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    assert!(verify(other, &retry.got).await.is_err(), "another secret");
}

#[tokio::test]
async fn during_a_rotation_overlap_the_old_and_the_new_secret_both_verify() {
    require_library().await;
    let t = TestApp::spawn().await;
    let mut r = receiver().await;
    let w = subscribe(&t, &r, json!({})).await;
    let id = w["id"].as_str().unwrap();
    let old = secret_of(&w);
    r.hold(&[&old]);
    assert_eq!(deliver_one(&t, &t.app, &mut r).await.verdicts, [Ok(())]);

    let rotated = rotate(&t, id).await;
    let new = secret_of(&rotated);
    assert_ne!(new, old);
    let until = time(&rotated["previous_secret_expires_at"]);
    let in_24h = chrono::Utc::now() + chrono::Duration::hours(24);
    assert!(
        (in_24h - until).num_seconds().abs() < 60,
        "the replaced secret signs for 24 h: {rotated}"
    );
    let (_, read) = t.get(&format!("/api/v1/webhooks/{id}"), &t.key).await;
    assert_eq!(
        read["previous_secret_expires_at"],
        rotated["previous_secret_expires_at"]
    );
    let stored: Vec<(String,)> = t
        .db_rows(&format!(
            "SELECT previous_secret FROM webhooks WHERE id = {}",
            sql_text(id)
        ))
        .await;
    assert!(
        stored[0].0.starts_with("sealed:v1:") && !stored[0].0.contains(&old),
        "the replaced secret is sealed at rest"
    );

    // One receiver holds only the old secret, another only the new one.
    r.hold(&[&old, &new]);
    let both = deliver_one(&t, &t.app, &mut r).await;
    assert_eq!(both.verdicts, [Ok(()), Ok(())], "{both:?}");
    assert_eq!(signatures(&both.got).len(), 2, "v1,<new> v1,<old>");

    // A second rotation within the overlap keeps only the secret it replaced.
    let newer = secret_of(&rotate(&t, id).await);
    r.hold(&[&new, &newer]);
    let again = deliver_one(&t, &t.app, &mut r).await;
    assert_eq!(again.verdicts, [Ok(()), Ok(())], "{again:?}");
    assert_eq!(
        verify(&old, &again.got).await,
        Err("No matching signature found".to_string()),
        "the first secret stopped signing at the second rotation"
    );

    // The overlap ends: only the current secret signs, and the old one is forgotten.
    t.db_exec(&format!(
        "UPDATE webhooks SET previous_secret_expires_at = '2000-01-01T00:00:00.000000Z' \
         WHERE id = {}",
        sql_text(id)
    ))
    .await;
    r.hold(&[&newer]);
    let after = deliver_one(&t, &t.app, &mut r).await;
    assert_eq!(after.verdicts, [Ok(())]);
    assert_eq!(signatures(&after.got).len(), 1);
    assert!(verify(&new, &after.got).await.is_err());
    let (_, read) = t.get(&format!("/api/v1/webhooks/{id}"), &t.key).await;
    assert!(read["previous_secret_expires_at"].is_null(), "{read}");
    let (left,): (i64,) = t
        .db_rows::<(i64,)>(&format!(
            "SELECT COUNT(*) FROM webhooks WHERE id = {} AND previous_secret IS NOT NULL",
            sql_text(id)
        ))
        .await[0];
    assert_eq!(left, 0, "an expired secret is not kept at rest");
}

#[tokio::test]
async fn the_legacy_tapin_signature_is_an_opt_in_that_is_validated_and_shown() {
    require_library().await;
    let t = TestApp::spawn().await;
    let mut r = receiver().await;
    for bad in [json!("hmac"), json!("TAPIN-V1"), json!(1)] {
        let (s, e) = t
            .post(
                "/api/v1/webhooks",
                &t.key,
                json!({"url": r.url, "events": ["*"], "signature_scheme": bad}),
            )
            .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["fields"][0]["field"], "signature_scheme", "{e}");
    }
    let w = subscribe(&t, &r, json!({"signature_scheme": "tapin-v1"})).await;
    let id = w["id"].as_str().unwrap();
    assert_eq!(w["signature_scheme"], "tapin-v1");
    let (_, list) = t.get("/api/v1/webhooks", &t.key).await;
    assert_eq!(list["data"][0]["signature_scheme"], "tapin-v1");
    let secret = secret_of(&w);
    r.hold(&[&secret]);

    let got = deliver_one(&t, &t.app, &mut r).await;
    assert_eq!(
        got.verdicts,
        [Ok(())],
        "the Standard Webhooks headers are there too"
    );
    assert_eq!(
        got.got.header("tapin-signature"),
        Some(legacy_expected(&secret, &got.got).as_str())
    );

    let path = format!("/api/v1/webhooks/{id}");
    let (s, e) = t
        .send_json("PATCH", &path, json!({"signature_scheme": "v2"}))
        .await;
    assert_eq!(
        (s, &e["error"]["fields"][0]["field"]),
        (422, &json!("signature_scheme"))
    );
    let (s, changed) = t
        .send_json("PATCH", &path, json!({"signature_scheme": "standard"}))
        .await;
    assert_eq!((s, &changed["signature_scheme"]), (200, &json!("standard")));
    let got = deliver_one(&t, &t.app, &mut r).await;
    assert_eq!(got.verdicts, [Ok(())]);
    assert_eq!(got.got.header("tapin-signature"), None);
}

#[tokio::test]
async fn a_subscription_from_an_earlier_release_keeps_its_header_and_its_hex_secret_verifies() {
    require_library().await;
    let t = TestApp::spawn().await;
    let mut r = receiver().await;
    let w = subscribe(&t, &r, json!({})).await;
    let id = w["id"].as_str().unwrap();
    // As the release before left it: a hex secret (in clear, sealed on start)
    // and, after this release's migration, the legacy scheme.
    let hex_secret = format!("whsec_{}", "0123456789abcdef".repeat(3));
    t.db_exec(&format!(
        "UPDATE webhooks SET secret = {}, signature_scheme = 'tapin-v1' WHERE id = {}",
        sql_text(&hex_secret),
        sql_text(id)
    ))
    .await;
    let app = t.reopen().await;
    r.hold(&[&hex_secret]);
    let got = deliver_one(&t, &app, &mut r).await;
    assert_eq!(
        got.got.header("tapin-signature"),
        Some(legacy_expected(&hex_secret, &got.got).as_str()),
        "its receiver keeps verifying the header it knows"
    );
    assert_eq!(
        got.verdicts,
        [Ok(())],
        "and the same secret works with a Standard Webhooks library"
    );

    // Rotating it gives a base64 secret; the hex one still verifies meanwhile.
    let new = secret_of(&rotate(&t, id).await);
    r.hold(&[&hex_secret, &new]);
    let got = deliver_one(&t, &app, &mut r).await;
    assert_eq!(got.verdicts, [Ok(()), Ok(())], "{got:?}");
    assert_eq!(
        got.got.header("tapin-signature"),
        Some(legacy_expected(&new, &got.got).as_str()),
        "the legacy header is signed with the current secret only"
    );
}
