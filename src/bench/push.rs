//! Section 5, Push overhead: handoff creation → the push request arriving at a
//! local push endpoint (127.0.0.1), which decrypts it to learn which handoff it
//! announces. The operator subscribes through `/settings/push` as a browser does.

use super::report::{percentile, spread, Report};
use super::server::Server;
use super::Params;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;
use web_push_native::{p256, Auth};

const GOAL: Duration = Duration::from_millis(100);

pub async fn run(r: &mut Report, s: &Server, p: &Params) -> Result<(), String> {
    r.section("5. push overhead");
    let secret = loop {
        if let Ok(k) = p256::SecretKey::from_slice(&crate::service::random_bytes::<32>()) {
            break k;
        }
    };
    let auth_bytes = crate::service::random_bytes::<16>();
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, Instant)>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("push endpoint: {e}"))?;
    let endpoint = format!(
        "http://{}/push/bench",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let key = secret.clone();
    let endpoint_app = axum::Router::new().route(
        "/push/bench",
        axum::routing::post(move |body: axum::body::Bytes| {
            let (tx, key) = (tx.clone(), key.clone());
            async move {
                let arrived = Instant::now();
                let auth = Auth::clone_from_slice(&auth_bytes);
                if let Ok(plain) = web_push_native::decrypt(body.to_vec(), &key, &auth) {
                    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&plain) {
                        let tag = v["tag"].as_str().unwrap_or_default().to_string();
                        let _ = tx.send((tag, arrived));
                    }
                }
                axum::http::StatusCode::CREATED
            }
        }),
    );
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, endpoint_app).await;
    });

    let public = secret.public_key().to_encoded_point(false);
    let sub = serde_json::json!({
        "endpoint": endpoint,
        "keys": {"p256dh": B64URL.encode(public.as_bytes()), "auth": B64URL.encode(auth_bytes)},
    });
    let res = super::client::http()?
        .post(format!("{}/settings/push", s.base))
        .header("cookie", &s.cookie)
        .json(&sub)
        .send()
        .await
        .map_err(|e| format!("subscribing: {e}"))?;
    if res.status().as_u16() != 204 {
        return Err(format!("subscribing answered {}", res.status()));
    }

    let mut samples = Vec::new();
    let deadline = Instant::now() + p.loop_deadline;
    for i in 0..p.pushes {
        if Instant::now() > deadline {
            break;
        }
        let sent = Instant::now();
        let (_, h) = s.api.takeover(0, &format!("push-{i}")).await?;
        let hid = super::client::id_of(&h)?;
        loop {
            let (tag, at) = tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .map_err(|_| format!("no push for handoff {hid} within 10 s"))?
                .ok_or("the push endpoint stopped")?;
            if tag == hid {
                samples.push(at - sent);
                break;
            }
        }
    }
    server.abort();
    let p99 = percentile(&samples, 99.0).ok_or("no push arrived")?;
    r.figure(
        "handoff created → push received",
        &spread(&samples),
        Some(("p99 < 100 ms", p99 < GOAL)),
    );
    r.note("the interval includes the POST that creates the handoff (conversation + handoff)");
    Ok(())
}
