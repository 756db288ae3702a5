//! Web Push against a local push service that does what a real one checks:
//! it verifies the VAPID token (signature, audience, expiry) and the browser
//! side decrypts the aes128gcm payload with the subscription's keys.

use crate::common::TestApp;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashSet;
use tokio::sync::mpsc;
use web_push_native::jwt_simple::prelude::*;
use web_push_native::{p256, Auth};

/// What the push service accepted: which subscription, the VAPID claims, the decrypted JSON.
#[derive(Debug)]
struct Delivered {
    name: String,
    claims: JWTClaims<NoCustomClaims>,
    vapid_key: String,
    payload: Value,
}

/// A browser's subscription keys, as `pushManager.subscribe` would make them.
struct Browser {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new() -> Browser {
        use rand::RngCore;
        let mut auth = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut auth);
        loop {
            let mut k = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut k);
            if let Ok(secret) = p256::SecretKey::from_slice(&k) {
                return Browser { secret, auth };
            }
        }
    }

    fn subscription(&self, endpoint: &str) -> Value {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let public = self.secret.public_key().to_encoded_point(false);
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": {"p256dh": B64URL.encode(public.as_bytes()), "auth": B64URL.encode(self.auth)},
        })
    }
}

#[derive(Clone)]
struct Service {
    origin: String,
    browsers: std::sync::Arc<std::collections::HashMap<String, (p256::SecretKey, [u8; 16])>>,
    tx: mpsc::UnboundedSender<Delivered>,
}

/// Starts the push service; `names` are the subscriptions it knows (others get 410 Gone).
async fn push_service(names: &[(&str, &Browser)]) -> (String, mpsc::UnboundedReceiver<Delivered>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    let browsers = names
        .iter()
        .map(|(n, b)| (n.to_string(), (b.secret.clone(), b.auth)))
        .collect();
    let svc = Service {
        origin: origin.clone(),
        browsers: std::sync::Arc::new(browsers),
        tx,
    };
    let app = axum::Router::new()
        .route("/push/{name}", axum::routing::post(receive))
        .with_state(svc);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (origin, rx)
}

async fn receive(
    State(svc): State<Service>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let Some((secret, auth)) = svc.browsers.get(&name) else {
        return StatusCode::GONE;
    };
    let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    if header("content-encoding") != "aes128gcm" || header("ttl").parse::<u64>().is_err() {
        return StatusCode::BAD_REQUEST;
    }
    // RFC 8292: `vapid t=<JWT>, k=<public key>`; the token must verify with k,
    // name this push service's origin as audience and expire within 24 h.
    let Some((t, k)) = header("authorization")
        .strip_prefix("vapid t=")
        .and_then(|rest| rest.split_once(", k="))
    else {
        return StatusCode::UNAUTHORIZED;
    };
    let Ok(key) = B64URL
        .decode(k)
        .map_err(|_| ())
        .and_then(|b| ES256PublicKey::from_bytes(&b).map_err(|_| ()))
    else {
        return StatusCode::UNAUTHORIZED;
    };
    let options = VerificationOptions {
        allowed_audiences: Some(HashSet::from([svc.origin.clone()])),
        ..Default::default()
    };
    let Ok(claims) = key.verify_token::<NoCustomClaims>(t, Some(options)) else {
        return StatusCode::UNAUTHORIZED;
    };
    let expires = claims.expires_at.expect("an exp claim").as_secs();
    let now = Clock::now_since_epoch().as_secs();
    if expires <= now || expires > now + 24 * 3600 {
        return StatusCode::UNAUTHORIZED;
    }
    let auth = Auth::clone_from_slice(auth);
    let Ok(plain) = web_push_native::decrypt(body.to_vec(), secret, &auth) else {
        return StatusCode::BAD_REQUEST;
    };
    let payload = serde_json::from_slice(&plain).expect("the payload is JSON");
    let _ = svc.tx.send(Delivered {
        name,
        claims,
        vapid_key: k.to_string(),
        payload,
    });
    StatusCode::CREATED
}

/// An operator with a password session; returns (operator id, cookie).
async fn subscribe(t: &TestApp, cookie: &str, body: &Value) -> (u16, Value) {
    let res = t
        .client
        .post(format!("{}/settings/push", t.base))
        .header("cookie", cookie)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The next push about work (security notices, sent when a device is added or
/// removed, are passed over; `tests/it/security_caps.rs` looks at those).
async fn next(rx: &mut mpsc::UnboundedReceiver<Delivered>) -> Delivered {
    loop {
        let d = tokio::time::timeout(std::time::Duration::from_secs(20), rx.recv())
            .await
            .expect("a push within 20 s")
            .expect("the push service is running");
        if d.payload["tag"] != "tapin-security" {
            return d;
        }
    }
}

#[tokio::test]
async fn new_work_is_pushed_encrypted_and_signed_to_the_operators_it_concerns() {
    let t = TestApp::spawn_with(|c| c.push_allow_http = true).await;
    let (billing, billing_phone) = (Browser::new(), Browser::new());
    let support_phone = Browser::new();
    let (origin, mut rx) = push_service(&[
        ("billing-phone", &billing_phone),
        ("billing-laptop", &billing),
        ("support-phone", &support_phone),
    ])
    .await;
    let (_, billing_cookie) = t
        .signed_in("bo@acme.test", "Sam", &["billing_manager"])
        .await;
    let (_, support_cookie) = t.signed_in("sue@acme.test", "Sam", &["support"]).await;
    for (cookie, name, b) in [
        (&billing_cookie, "billing-phone", &billing_phone),
        (&billing_cookie, "billing-laptop", &billing),
        (&support_cookie, "support-phone", &support_phone),
    ] {
        let (s, body) = subscribe(
            &t,
            cookie,
            &b.subscription(&format!("{origin}/push/{name}")),
        )
        .await;
        assert_eq!(s, 204, "{body}");
    }

    // An approval for billing managers reaches both of Bo's devices, not Sue's.
    let (_, a) = t.approval(json!({})).await;
    let approval_id = a["id"].as_str().unwrap();
    let mut got = vec![next(&mut rx).await, next(&mut rx).await];
    got.sort_by(|x, y| x.name.cmp(&y.name));
    assert_eq!(
        got.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["billing-laptop", "billing-phone"]
    );
    for d in &got {
        assert_eq!(d.payload["title"], "Approval needed");
        assert_eq!(d.payload["tag"], approval_id);
        assert_eq!(d.claims.subject.as_deref(), Some("mailto:admin@localhost"));
        assert_eq!(
            d.vapid_key, t.app.vapid.public_key,
            "signed with the server's key"
        );
    }
    // The link in the notification is a fresh signed link for Bo to that approval.
    let url = got[0].payload["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/m/{approval_id}?t=", t.base)),
        "{url}"
    );
    let page = t
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Open handoff"), "{page}");
    // One single-use link per operator: whichever of Bo's devices taps first uses it.
    assert_eq!(got[0].payload["url"], got[1].payload["url"]);

    // A takeover concerns everyone: Sue's phone gets it too, with its static text.
    let (_, h) = t.takeover(1).await;
    let mut names = Vec::new();
    for _ in 0..3 {
        let d = next(&mut rx).await;
        assert_eq!(d.payload["tag"], h["id"], "{d:?}");
        assert_eq!(d.payload["body"], h["packet"]["static_text"]);
        names.push(d.name);
    }
    names.sort();
    assert_eq!(names, ["billing-laptop", "billing-phone", "support-phone"]);
}

#[tokio::test]
async fn subscriptions_are_validated_by_field_and_need_a_session() {
    let t = TestApp::spawn().await;
    let (op_id, cookie) = t.signed_in("bo@acme.test", "Sam", &[]).await;
    let b = Browser::new();
    let good = b.subscription("https://push.example.test/abc");

    let (s, e) = subscribe(&t, "tapin_session=nope", &good).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );

    let mut plain_http = good.clone();
    plain_http["endpoint"] = json!("http://push.example.test/abc");
    let mut short_auth = good.clone();
    short_auth["keys"]["auth"] = json!("AAAA");
    let mut not_a_point = good.clone();
    not_a_point["keys"]["p256dh"] = json!(B64URL.encode([4u8; 65]));
    for (body, field) in [
        (plain_http, "endpoint"),
        (short_auth, "keys.auth"),
        (not_a_point, "keys.p256dh"),
    ] {
        let (s, e) = subscribe(&t, &cookie, &body).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["error"]["fields"][0]["field"], field, "{e}");
    }
    let (s, e) = subscribe(&t, &cookie, &json!({"endpoint": "https://x.test/"})).await;
    assert_eq!(
        (s, &e["error"]["fields"][0]["field"]),
        (422, &json!("keys")),
        "{e}"
    );

    let (s, _) = subscribe(&t, &cookie, &good).await;
    assert_eq!(s, 204);
    assert_eq!(
        t.app.store.push_subscriptions(&op_id).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_subscription_the_push_service_calls_gone_is_removed() {
    let t = TestApp::spawn_with(|c| c.push_allow_http = true).await;
    let kept = Browser::new();
    let (origin, mut rx) = push_service(&[("kept", &kept)]).await;
    let (op_id, cookie) = t.signed_in("bo@acme.test", "Sam", &[]).await;
    for name in ["kept", "unsubscribed"] {
        let (s, _) = subscribe(
            &t,
            &cookie,
            &Browser::new().subscription(&format!("{origin}/push/{name}")),
        )
        .await;
        assert_eq!(s, 204);
    }
    // "kept" was subscribed with other keys than the service holds: it cannot
    // decrypt, so it answers 400 and the subscription stays.
    let res: Value = t
        .client
        .post(format!("{}/settings/push/test", t.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let outcomes: Vec<&str> = res["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes.len(), 2, "{res}");
    assert!(outcomes.contains(&"gone (removed)"), "{res}");
    assert!(outcomes.contains(&"push service answered 400"), "{res}");
    let left = t.app.store.push_subscriptions(&op_id).await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].endpoint.ends_with("/push/kept"));

    // With the right keys the test notification is delivered and decrypts.
    let (s, _) = subscribe(
        &t,
        &cookie,
        &kept.subscription(&format!("{origin}/push/kept")),
    )
    .await;
    assert_eq!(s, 204, "re-subscribing replaces the keys");
    t.client
        .post(format!("{}/settings/push/test", t.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(next(&mut rx).await.payload["tag"], "tapin-test");
}

#[tokio::test]
async fn the_settings_page_shows_the_key_and_the_operators_devices() {
    let t = TestApp::spawn().await;
    let page = |cookie: Option<String>| {
        let mut req = t.client.get(format!("{}/settings", t.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    assert!(page(None).await.contains("Sign in to change your settings"));
    let (_, cookie) = t.signed_in("bo@acme.test", "Sam", &[]).await;
    let html = page(Some(cookie.clone())).await;
    assert!(
        html.contains(&format!("data-key=\"{}\"", t.app.vapid.public_key)),
        "{html}"
    );
    assert!(html.contains("No device receives notifications yet."));
    let sub = Browser::new().subscription("https://push.example.test/device-1");
    assert_eq!(subscribe(&t, &cookie, &sub).await.0, 204);
    let html = page(Some(cookie)).await;
    assert!(html.contains("push.example.test · since"), "{html}");
}
