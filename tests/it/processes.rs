//! Real `tapin serve` processes on the test database: two nodes on one
//! PostgreSQL (streams, long-polls and webhooks across them), and a crash
//! (`kill -9` mid-load) on either backend, after which nothing acknowledged
//! is missing, the audit chain verifies, every committed event reaches the
//! receiver and timers still fire.

use crate::common::TestApp;
use axum::http::HeaderMap;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// One `tapin serve` child on the harness's database.
struct Node {
    base: String,
    child: tokio::process::Child,
    log: std::path::PathBuf,
}

const METRICS_TOKEN: &str = "metrics-token";

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

impl Node {
    async fn start(t: &TestApp, name: &str, lease_seconds: u64) -> Node {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let log = t.dir.path().join(format!("{name}-{}.log", free_port()));
        let out = std::fs::File::create(&log).unwrap();
        let err = out.try_clone().unwrap();
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_tapin"))
            .arg("serve")
            .env("TAPIN_CONFIG", t.dir.path().join("none.toml"))
            .env("TAPIN_DATABASE_URL", &t.db_url)
            // Every node of a desk shares the master key (README, Security).
            .env("TAPIN_MASTER_KEY_FILE", &t.app.config.master_key_file)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", t.dir.path().join("site"))
            .env("TAPIN_PUBLIC_URL", &base)
            .env("TAPIN_NODE_NAME", name)
            .env("TAPIN_RATE_LIMIT_PER_MINUTE", "1000000")
            .env("TAPIN_ALLOW_PRIVATE_TARGETS", "true")
            .env("TAPIN_ALLOW_SELF_APPROVAL", "true")
            .env("TAPIN_WEBHOOK_POLL_MS", "100")
            .env("TAPIN_WEBHOOK_BACKOFF_MS", "100")
            .env("TAPIN_WORKER_LEASE_SECONDS", lease_seconds.to_string())
            .env("TAPIN_METRICS_TOKEN", METRICS_TOKEN)
            .env("TAPIN_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .kill_on_drop(true)
            .spawn()
            .expect("tapin serve starts");
        let mut node = Node { base, child, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = node.child.try_wait() {
                panic!("{name} exited ({status}): {}", node.log_text());
            }
            let up = t
                .client
                .get(format!("{}/api/v1/healthz", node.base))
                .send()
                .await;
            if matches!(up, Ok(r) if r.status() == 200) {
                return node;
            }
            assert!(Instant::now() < deadline, "{name} never became healthy");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// This node's `tapin_open_streams` gauge for `kind` (`sse`, `long_poll`).
    async fn open_streams(&self, client: &reqwest::Client, kind: &str) -> f64 {
        let text = client
            .get(format!("{}/metrics", self.base))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .filter(|l| l.starts_with("tapin_open_streams") && l.contains(kind))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `kill -9`: no shutdown, no flush, leases left behind.
    async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

/// A webhook receiver that keeps every event id it is posted, in arrival order.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(String, Value)>>>);

impl Received {
    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let got = self.0.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let got = got.clone();
                async move {
                    let id = headers["tapin-event-id"].to_str().unwrap().to_string();
                    let body: Value = serde_json::from_str(&body).unwrap();
                    got.lock().unwrap().push((id, body));
                    "ok"
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }

    fn ids(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(i, _)| i.clone())
            .collect()
    }

    /// Waits until every id of `want` has arrived (bounded).
    async fn wait_for(&self, want: &HashSet<String>, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let have: HashSet<String> = self.ids().into_iter().collect();
            let missing = want.difference(&have).count();
            if missing == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{missing} of {} committed events never reached the receiver",
                want.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    key: &str,
    body: Option<Value>,
) -> Result<(u16, Value), String> {
    let mut req = client.request(method, url).header("x-api-key", key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let text = res.text().await.map_err(|e| e.to_string())?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

async fn post(t: &TestApp, base: &str, path: &str, body: Value) -> (u16, Value) {
    call(
        &t.client,
        reqwest::Method::POST,
        format!("{base}{path}"),
        &t.key,
        Some(body),
    )
    .await
    .unwrap()
}

async fn subscribe(t: &TestApp, base: &str, url: &str) {
    let (s, w) = post(
        t,
        base,
        "/api/v1/webhooks",
        json!({"url": url, "events": ["*"]}),
    )
    .await;
    assert_eq!(s, 201, "{w}");
}

/// Reads an SSE response until `needle` has arrived (bounded).
async fn read_until(res: &mut reqwest::Response, seen: &mut String, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !seen.contains(needle) {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => return false,
        }
    }
    true
}

/// The committed events in chain order: (event id, handoff id).
async fn committed(t: &TestApp) -> Vec<(String, String)> {
    t.db_rows("SELECT id, handoff_id FROM handoff_events ORDER BY seq")
        .await
}

#[tokio::test]
async fn two_serve_processes_on_one_postgres_act_as_one_desk() {
    let t = TestApp::spawn().await;
    if t.pg.is_none() {
        return; // one SQLite file is one node
    }
    let received = Received::default();
    let hook = received.start().await;
    let a = Node::start(&t, "node-a", 30).await;
    let b = Node::start(&t, "node-b", 30).await;
    subscribe(&t, &a.base, &hook).await;

    // The operator's inbox stream is held on B; a handoff is created on A.
    let (_, cookie) = t.signed_in("ann@acme.test", "Ann", &["support"]).await;
    let mut inbox = t
        .client
        .get(format!("{}/inbox/live", b.base))
        .header("cookie", &cookie)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status(), 200);
    let (s, conv) = post(&t, &a.base, "/api/v1/conversations", json!({})).await;
    assert_eq!(s, 201);
    let (s, h) = post(
        &t,
        &a.base,
        "/api/v1/handoffs",
        crate::common::takeover_body(conv["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(s, 201, "{h}");
    let hid = h["id"].as_str().unwrap().to_string();
    let mut seen = String::new();
    assert!(
        read_until(&mut inbox, &mut seen, &hid).await,
        "B's operator stream gets A's creation: {seen}"
    );

    // The agent long-polls an approval on A; it is decided on B.
    let (s, approval) = post(
        &t,
        &a.base,
        "/api/v1/approvals",
        json!({"conversation_id": conv["id"], "subject_kind": "tool_call",
               "subject_ref": "refund.create", "payload": {"amount": 5}}),
    )
    .await;
    assert_eq!(s, 201, "{approval}");
    let aid = approval["id"].as_str().unwrap().to_string();
    let wait = {
        let (client, url, key) = (
            t.client.clone(),
            format!("{}/api/v1/approvals/{aid}/wait?timeout=30", a.base),
            t.key.clone(),
        );
        tokio::spawn(async move {
            call(&client, reqwest::Method::GET, url, &key, None)
                .await
                .unwrap()
        })
    };
    // Decided only once A's long-poll waits (A's gauge says so), so its
    // answer can only come from B's commit crossing over.
    let deadline = Instant::now() + Duration::from_secs(15);
    while a.open_streams(&t.client, "long_poll").await < 1.0 {
        assert!(
            Instant::now() < deadline,
            "the long-poll never started on A"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (s, d) = post(
        &t,
        &b.base,
        &format!("/api/v1/approvals/{aid}/decide"),
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(s, 200, "{d}");
    let (s, waited) = tokio::time::timeout(Duration::from_secs(15), wait)
        .await
        .expect("A's long-poll returns once B decides")
        .unwrap();
    assert_eq!(s, 200);
    assert_eq!(waited["decided"], true, "{waited}");
    assert_eq!(waited["approval"]["status"], "approved", "{waited}");

    // More events on both nodes; the receiver gets each once, in order per handoff.
    for i in 0..6 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let (_, c) = post(&t, base, "/api/v1/conversations", json!({})).await;
        let (s, h) = post(
            &t,
            base,
            "/api/v1/handoffs",
            crate::common::takeover_body(c["id"].as_str().unwrap()),
        )
        .await;
        assert_eq!(s, 201);
        let other = if i % 2 == 0 { &b.base } else { &a.base };
        let hid = h["id"].as_str().unwrap();
        for step in ["accept", "resolve"] {
            let (s, _) = post(
                &t,
                other,
                &format!("/api/v1/handoffs/{hid}/{step}"),
                json!({}),
            )
            .await;
            assert_eq!(s, 200);
        }
    }
    let events = committed(&t).await;
    let want: HashSet<String> = events.iter().map(|(e, _)| e.clone()).collect();
    received.wait_for(&want, Duration::from_secs(30)).await;
    // Every delivery is finished: nothing more can arrive.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows: Vec<(i64,)> = t
            .db_rows("SELECT COUNT(*) FROM webhook_deliveries WHERE status <> 'delivered'")
            .await;
        if rows[0].0 == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "deliveries still pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = received.0.lock().unwrap().clone();
    let ids: Vec<&String> = got.iter().map(|(i, _)| i).collect();
    let distinct: HashSet<&String> = ids.iter().copied().collect();
    assert_eq!(distinct.len(), ids.len(), "each event once");
    let mut per: HashMap<String, Vec<String>> = HashMap::new();
    // Lifecycle events, per handoff (messages are ordered per conversation).
    for (id, body) in got.iter().filter(|(id, _)| want.contains(id)) {
        if let Some(h) = body["handoff_id"].as_str() {
            per.entry(h.to_string()).or_default().push(id.clone());
        }
    }
    for (h, got) in per {
        let order: Vec<String> = events
            .iter()
            .filter(|(_, eh)| *eh == h)
            .map(|(e, _)| e.clone())
            .collect();
        assert_eq!(got, order, "handoff {h} in commit order");
    }
    drop((a, b));
}

/// What the load got a 2xx for.
#[derive(Default)]
struct Acknowledged {
    conversations: Vec<String>,
    messages: Vec<String>,
    /// Accepted takeovers.
    accepted: Vec<String>,
    /// Approved approvals.
    approved: Vec<String>,
    /// Approvals left to time out (2 s).
    timed: Vec<String>,
    /// Requests that got no 2xx (refused connections while a node was down).
    failed: usize,
}

/// One load task: `rounds` rounds of conversation, message and a handoff
/// step, each request to the next of `bases` (a dead node's requests fail).
async fn load(
    client: reqwest::Client,
    key: String,
    bases: Vec<String>,
    rounds: usize,
    task: usize,
    ack: Arc<Mutex<Acknowledged>>,
    done: Arc<std::sync::atomic::AtomicUsize>,
) {
    use std::sync::atomic::Ordering::SeqCst;
    let mut n = task;
    let mut next = || {
        n += 1;
        bases[n % bases.len()].clone()
    };
    let post = |base: String, path: String, body: Value| {
        let (client, key) = (client.clone(), key.clone());
        async move {
            match call(
                &client,
                reqwest::Method::POST,
                format!("{base}{path}"),
                &key,
                Some(body),
            )
            .await
            {
                Ok((s, v)) if (200..300).contains(&s) => Some(v),
                _ => None,
            }
        }
    };
    for i in 0..rounds {
        let fail = |ack: &Arc<Mutex<Acknowledged>>| ack.lock().unwrap().failed += 1;
        let Some(conv) = post(next(), "/api/v1/conversations".into(), json!({})).await else {
            fail(&ack);
            continue;
        };
        let cid = conv["id"].as_str().unwrap().to_string();
        ack.lock().unwrap().conversations.push(cid.clone());
        match post(
            next(),
            format!("/api/v1/conversations/{cid}/messages"),
            json!({"author": "user", "content": format!("message {task}.{i}")}),
        )
        .await
        {
            Some(m) => ack
                .lock()
                .unwrap()
                .messages
                .push(m["id"].as_str().unwrap().into()),
            None => fail(&ack),
        }
        let approval = |timeout: i64| {
            json!({"conversation_id": cid, "subject_kind": "tool_call",
                   "subject_ref": "refund.create", "payload": {"amount": i},
                   "timeout_seconds": timeout})
        };
        match i % 3 {
            0 => match post(next(), "/api/v1/approvals".into(), approval(2)).await {
                Some(a) => ack
                    .lock()
                    .unwrap()
                    .timed
                    .push(a["id"].as_str().unwrap().into()),
                None => fail(&ack),
            },
            1 => {
                let Some(a) = post(next(), "/api/v1/approvals".into(), approval(600)).await else {
                    fail(&ack);
                    continue;
                };
                let aid = a["id"].as_str().unwrap().to_string();
                let path = format!("/api/v1/approvals/{aid}/decide");
                match post(next(), path, json!({"decision": "approve"})).await {
                    Some(_) => ack.lock().unwrap().approved.push(aid),
                    None => fail(&ack),
                }
            }
            _ => {
                let body = crate::common::takeover_body(&cid);
                let Some(h) = post(next(), "/api/v1/handoffs".into(), body).await else {
                    fail(&ack);
                    continue;
                };
                let hid = h["id"].as_str().unwrap().to_string();
                match post(next(), format!("/api/v1/handoffs/{hid}/accept"), json!({})).await {
                    Some(_) => ack.lock().unwrap().accepted.push(hid),
                    None => fail(&ack),
                }
            }
        }
        done.fetch_add(1, SeqCst);
    }
}

/// `kill -9` of a node under a bounded mixed load (SQLite: the one node;
/// PostgreSQL: one of two), then a restart. Every write that got a 2xx is
/// there, `tapin audit verify` passes, every committed event reaches the
/// receiver at least once under its event id, and timers still fire.
#[tokio::test]
async fn a_kill_9_mid_load_loses_nothing_acknowledged() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    const TASKS: usize = 6;
    const ROUNDS: usize = 20;
    const LEASE: u64 = 3;
    let t = TestApp::spawn().await;
    let pg = t.pg.is_some();
    let received = Received::default();
    let hook = received.start().await;
    let a = Node::start(&t, "node-a", LEASE).await;
    let b = if pg {
        Some(Node::start(&t, "node-b", LEASE).await)
    } else {
        None
    };
    subscribe(&t, &a.base, &hook).await;
    let mut bases = vec![a.base.clone()];
    bases.extend(b.iter().map(|b| b.base.clone()));

    let ack = Arc::new(Mutex::new(Acknowledged::default()));
    let done = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            tokio::spawn(load(
                t.client.clone(),
                t.key.clone(),
                bases.clone(),
                ROUNDS,
                task,
                ack.clone(),
                done.clone(),
            ))
        })
        .collect();
    // A third of the way in, node A dies mid-request.
    let deadline = Instant::now() + Duration::from_secs(60);
    while done.load(SeqCst) < TASKS * ROUNDS / 3 {
        assert!(Instant::now() < deadline, "the load never got going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let a_base = a.base.clone();
    a.kill().await;
    for task in tasks {
        task.await.unwrap();
    }
    // Restarted on the same database (a new node: the dead one's leases run out).
    let a = Node::start(&t, "node-a-again", LEASE).await;
    let ack = std::mem::take(&mut *ack.lock().unwrap());

    // Every acknowledged write is there.
    let ids = |sql: &'static str| {
        let t = &t;
        async move {
            let rows: Vec<(String,)> = t.db_rows(sql).await;
            rows.into_iter().map(|r| r.0).collect::<HashSet<String>>()
        }
    };
    let conversations = ids("SELECT id FROM conversations").await;
    let messages = ids("SELECT id FROM messages").await;
    for c in &ack.conversations {
        assert!(
            conversations.contains(c),
            "acknowledged conversation {c} lost"
        );
    }
    for m in &ack.messages {
        assert!(messages.contains(m), "acknowledged message {m} lost");
    }
    let events: Vec<(String, String)> = t
        .db_rows("SELECT handoff_id, event FROM handoff_events")
        .await;
    let has = |hid: &str, ev: &str| events.iter().any(|(h, e)| h == hid && e == ev);
    for h in &ack.accepted {
        assert!(has(h, "accept"), "acknowledged accept of {h} lost");
    }
    for aid in &ack.approved {
        let (s, v) = call(
            &t.client,
            reqwest::Method::GET,
            format!("{}/api/v1/approvals/{aid}", a.base),
            &t.key,
            None,
        )
        .await
        .unwrap();
        assert_eq!((s, v["status"].as_str()), (200, Some("approved")), "{v}");
    }
    // The chain verifies.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tapin"))
        .args(["audit", "verify"])
        .env("TAPIN_CONFIG", t.dir.path().join("none.toml"))
        .env("TAPIN_DATABASE_URL", &t.db_url)
        .env("TAPIN_MASTER_KEY_FILE", &t.app.config.master_key_file)
        .output()
        .unwrap();
    let verify = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{verify}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Timers still fire: every 2-second approval expires.
    let deadline = Instant::now() + Duration::from_secs(60);
    for aid in &ack.timed {
        loop {
            let (_, v) = call(
                &t.client,
                reqwest::Method::GET,
                format!("{}/api/v1/approvals/{aid}", a.base),
                &t.key,
                None,
            )
            .await
            .unwrap();
            if v["status"] == "expired" {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "approval {aid} never expired: {v}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // Every committed event reaches the receiver, under its own id.
    let committed: Vec<(String,)> = t.db_rows("SELECT event_id FROM outbox").await;
    let want: HashSet<String> = committed.into_iter().map(|r| r.0).collect();
    received.wait_for(&want, Duration::from_secs(60)).await;
    let posts = received.ids();
    let distinct: HashSet<&String> = posts.iter().collect();
    println!(
        "crash test ({backend}, {nodes}): acknowledged {c} conversations, {m} messages, \
         {acc} accepts, {ap} approvals decided, {tm} approvals left to time out; \
         {f} requests failed while {a_base} was down; {ev} events committed, \
         {p} webhook posts received ({d} distinct, {dup} duplicates, 0 missing); \
         {tm} timers fired after the restart; audit: {v}",
        backend = if pg { "postgres" } else { "sqlite" },
        nodes = if pg {
            "2 nodes, one killed"
        } else {
            "1 node, killed and restarted"
        },
        c = ack.conversations.len(),
        m = ack.messages.len(),
        acc = ack.accepted.len(),
        ap = ack.approved.len(),
        tm = ack.timed.len(),
        f = ack.failed,
        ev = want.len(),
        p = posts.len(),
        d = distinct.len(),
        dup = posts.len() - distinct.len(),
        v = verify.trim(),
    );
    drop((a, b));
}

/// The node's own accept loop (`src/connections.rs`): SIGTERM with an
/// operator's stream still open stops the node within its bounded drain
/// instead of waiting for the stream forever, and the stream saw the events
/// committed before.
#[tokio::test]
async fn a_node_stops_on_sigterm_with_a_stream_open() {
    let t = TestApp::spawn().await;
    let mut node = Node::start(&t, "node-conn", 3).await;
    let mut stream = t
        .client
        .get(format!("{}/api/v1/audit/stream", node.base))
        .header("x-api-key", &t.key)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let body = crate::common::takeover_body(&t.conversation().await);
    let (s, h) = post(&t, &node.base, "/api/v1/handoffs", body).await;
    assert_eq!(s, 201, "{h}");
    let mut seen = String::new();
    assert!(
        read_until(&mut stream, &mut seen, "event: create").await,
        "{seen}"
    );

    let pid = node.child.id().unwrap().to_string();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(term.success());
    let status = tokio::time::timeout(Duration::from_secs(30), node.child.wait())
        .await
        .expect("the node exits within its drain despite the open stream")
        .unwrap();
    assert!(status.success(), "{status}: {}", node.log_text());
}
