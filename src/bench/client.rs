//! The benchmark's side of the wire: the agent API with a key, the operator's
//! page and live streams with the session cookie, and a small SSE reader.

use futures::StreamExt;
use serde_json::{json, Value};
use std::time::Duration;

/// Every ordinary request gives up after this (a stream is bounded by its caller).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client for loopback only: no proxy, no redirects followed.
pub fn http() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1024)
        .build()
        .map_err(|e| format!("building the HTTP client: {e}"))
}

#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub key: String,
}

impl Api {
    pub fn new(base: &str, key: &str) -> Result<Api, String> {
        Ok(Api {
            http: http()?,
            base: base.to_string(),
            key: key.to_string(),
        })
    }

    pub async fn get(&self, path: &str) -> Result<(u16, Value), String> {
        let res = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .map_err(|e| format!("GET {path}: {e}"))?;
        read(res, path).await
    }

    /// A request to `path` with the key, bounded by `REQUEST_TIMEOUT`; any body is the caller's.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("x-api-key", &self.key)
            .timeout(REQUEST_TIMEOUT)
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<(u16, Value), String> {
        let res = self
            .request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .map_err(|e| format!("POST {path}: {e}"))?;
        read(res, path).await
    }

    /// A DELETE that must succeed (2xx).
    pub async fn delete_ok(&self, path: &str) -> Result<(), String> {
        let res = self
            .request(reqwest::Method::DELETE, path)
            .send()
            .await
            .map_err(|e| format!("DELETE {path}: {e}"))?;
        match res.status().as_u16() {
            200..=299 => Ok(()),
            s => Err(format!("DELETE {path}: {s}")),
        }
    }

    /// A POST that must succeed (2xx); its JSON body.
    pub async fn post_ok(&self, path: &str, body: &Value) -> Result<Value, String> {
        match self.post(path, body).await? {
            (200..=299, v) => Ok(v),
            (s, v) => Err(format!("POST {path}: {s} {v}")),
        }
    }

    /// POSTs JSON serialized before the clock started; a 2xx is all it
    /// reads (the answer is drained, and shown only in an error). The timed
    /// write loops use it: the load generator shares the server's two cores,
    /// so what it spends per request is taken from the server.
    pub async fn post_prepared(&self, path: &str, json: Vec<u8>) -> Result<(), String> {
        let res = self
            .request(reqwest::Method::POST, path)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(json)
            .send()
            .await
            .map_err(|e| format!("POST {path}: {e}"))?;
        let status = res.status();
        let answer = res
            .bytes()
            .await
            .map_err(|e| format!("reading {path}: {e}"))?;
        if status.is_success() {
            Ok(())
        } else {
            Err(format!(
                "POST {path}: {} {}",
                status.as_u16(),
                String::from_utf8_lossy(&answer)
            ))
        }
    }

    pub async fn conversation(&self) -> Result<String, String> {
        let c = self.post_ok("/api/v1/conversations", &json!({})).await?;
        id_of(&c)
    }

    pub async fn message(&self, cid: &str, author: &str, content: &str) -> Result<Value, String> {
        self.post_ok(
            &format!("/api/v1/conversations/{cid}/messages"),
            &json!({"author": author, "content": content}),
        )
        .await
    }

    /// A conversation with `n` messages and a takeover on it: (conversation id, handoff).
    pub async fn takeover(&self, n: usize, tag: &str) -> Result<(String, Value), String> {
        let cid = self.conversation().await?;
        for i in 0..n {
            let author = if i % 2 == 0 { "user" } else { "agent" };
            self.message(&cid, author, &super::fixtures::customer_line(i))
                .await?;
        }
        let mut packet = super::fixtures::takeover_packet();
        packet["context_vars"]["bench_tag"] = json!(tag);
        let h = self
            .post_ok(
                "/api/v1/handoffs",
                &json!({"kind": "takeover", "conversation_id": cid, "source": "router", "packet": packet}),
            )
            .await?;
        Ok((cid, h))
    }

    /// A pending approval (no approver role, and the bench server allows
    /// self-approval, so the same API key may decide it).
    pub async fn approval(&self, cid: &str, role: Option<&str>) -> Result<Value, String> {
        self.post_ok(
            "/api/v1/approvals",
            &json!({
                "conversation_id": cid,
                "subject_kind": "tool_call",
                "subject_ref": "billing.refund.create",
                "payload": {"invoice": "INV-2024-0891", "amount": 50, "currency": "USD",
                            "reason": "duplicate charge", "notify_customer": true},
                "approver_role": role,
                "suspend_message": "Checking your refund with the billing team, one moment.",
                "timeout_seconds": 86400,
            }),
        )
        .await
    }

    /// Signs an operator in with a password, as the `/login` form does
    /// (a link session reaches only its one handoff; the bench reads many);
    /// returns the `Cookie` header value of the new session.
    pub async fn sign_in(&self, org: &str, email: &str, password: &str) -> Result<String, String> {
        let res = self
            .http
            .post(format!("{}/fn/login", self.base))
            .form(&[
                ("organization", org),
                ("email", email),
                ("password", password),
                ("next", "/inbox"),
            ])
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| format!("POST /fn/login: {e}"))?;
        let status = res.status().as_u16();
        let cookie = res
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.split(';')
                    .next()
                    .filter(|kv| kv.starts_with("tapin_session="))
            })
            .map(str::to_string);
        cookie.ok_or_else(|| format!("signing in: {status}, no session cookie"))
    }
}

pub fn id_of(v: &Value) -> Result<String, String> {
    v["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no id in {v}"))
}

async fn read(res: reqwest::Response, path: &str) -> Result<(u16, Value), String> {
    let status = res.status().as_u16();
    let text = res
        .text()
        .await
        .map_err(|e| format!("reading {path}: {e}"))?;
    Ok((
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    ))
}

/// One Server-Sent Event.
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

/// An open SSE response, read event by event.
pub struct Sse {
    body: futures::stream::BoxStream<'static, Result<Vec<u8>, String>>,
    buf: Vec<u8>,
}

/// Opens an operator live stream (`/m/{id}/live/...`) with the session cookie,
/// as the page's EventSource does. Returns once the response headers arrived,
/// which is after the server subscribed the stream to new events.
pub async fn operator_stream(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    cookie: &str,
) -> Result<Sse, String> {
    let res = http
        .get(format!("{base}{path}"))
        .header(reqwest::header::COOKIE, cookie)
        .header(reqwest::header::ACCEPT, "text/event-stream")
        .timeout(Duration::from_secs(3600))
        .send()
        .await
        .map_err(|e| format!("GET {path}: {e}"))?;
    let ok = res.status() == 200
        && res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
    if !ok {
        return Err(format!(
            "GET {path}: {} (not an event stream)",
            res.status()
        ));
    }
    Ok(Sse {
        body: res
            .bytes_stream()
            .map(|r| r.map(|b| b.to_vec()).map_err(|e| e.to_string()))
            .boxed(),
        buf: Vec::new(),
    })
}

impl Sse {
    /// The next event (comments and keep-alives skipped); None when the stream ends.
    pub async fn next(&mut self) -> Option<Result<SseEvent, String>> {
        loop {
            if let Some(end) = find_blank_line(&self.buf) {
                let block: Vec<u8> = self.buf.drain(..end.1).collect();
                let text = String::from_utf8_lossy(&block[..end.0]);
                let (mut event, mut data) = (String::from("message"), Vec::new());
                for line in text.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim_start().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
                    }
                }
                if data.is_empty() {
                    continue; // a comment (keep-alive) or an id-only block
                }
                return Some(Ok(SseEvent {
                    event,
                    data: data.join("\n"),
                }));
            }
            match self.body.next().await? {
                Ok(chunk) => self.buf.extend_from_slice(&chunk),
                Err(e) => return Some(Err(format!("reading the stream: {e}"))),
            }
        }
    }
}

/// (end of the block, end of the blank line) for the first "\n\n" or "\r\n\r\n".
fn find_blank_line(buf: &[u8]) -> Option<(usize, usize)> {
    let lf = buf
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2));
    let crlf = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}
