//! Section 3, Live delivery: N operator streams (`/m/{id}/live/messages`, session
//! cookie, as the page's EventSource opens them) spread over handoffs; customer
//! messages are posted through the agent API and timed from the POST to their
//! arrival on every subscribed stream. Then decision → agent through the
//! long-poll `GET /api/v1/approvals/{id}/wait`.

use super::client::{id_of, operator_stream, Sse};
use super::report::{ms, percentile, spread, Report};
use super::server::Server;
use super::write_path::setup;
use super::Params;
use futures::StreamExt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const DELIVERY_GOAL: Duration = Duration::from_millis(25);
const WAIT_GOAL: Duration = Duration::from_millis(50);

/// A takeover the streams follow: its id, conversation id and last message seq.
#[derive(Clone)]
pub struct Followed {
    pub handoff: String,
    pub conversation: String,
    pub last_seq: i64,
}

/// `n` takeovers with two messages each, for streams to follow.
pub async fn followed(s: &Server, n: usize) -> Result<Vec<Followed>, String> {
    let ids = setup(n, 8, |_| {
        let api = s.api.clone();
        async move {
            let (cid, h) = api.takeover(2, "live").await?;
            Ok(format!("{}|{cid}", id_of(&h)?))
        }
    })
    .await?;
    Ok(ids
        .into_iter()
        .map(|pair| {
            let (h, c) = pair.split_once('|').expect("joined above");
            Followed {
                handoff: h.to_string(),
                conversation: c.to_string(),
                last_seq: 2,
            }
        })
        .collect())
}

/// Opens `n` operator message streams, round-robin over `targets`, 64 at a time.
pub async fn open_streams(
    s: &Server,
    targets: &[Followed],
    n: usize,
) -> Result<Vec<(usize, Sse)>, String> {
    let http = super::client::http()?;
    futures::stream::iter((0..n).map(|i| {
        let t = &targets[i % targets.len()];
        let path = format!("/m/{}/live/messages?after={}", t.handoff, t.last_seq);
        let (http, base, cookie) = (&http, &s.base, &s.cookie);
        async move {
            Ok((
                i % targets.len(),
                operator_stream(http, base, &path, cookie).await?,
            ))
        }
    }))
    .buffer_unordered(64)
    .collect::<Vec<Result<_, String>>>()
    .await
    .into_iter()
    .collect()
}

pub async fn run(r: &mut Report, s: &Server, p: &Params) -> Result<(), String> {
    r.section("3. live delivery");
    let mut targets = followed(s, p.live_handoffs).await?;
    let largest = p.stream_counts.iter().copied().max().unwrap_or(0);
    let mut p99s = Vec::new();
    for &n in &p.stream_counts {
        let (lat, post) = delivery(s, s, p, &mut targets, n).await?;
        let p99 = percentile(&lat, 99.0).unwrap_or_default();
        p99s.push((n, p99));
        let goal = (n == largest).then_some(("p99 < 25 ms", p99 < DELIVERY_GOAL));
        r.figure(
            &format!("post → received, {n} streams / {} handoffs", targets.len()),
            &spread(&lat),
            goal,
        );
        r.figure(
            "  the POST itself (round trip)",
            &format!(
                "p50 {} · p99 {}",
                ms(percentile(&post, 50.0).unwrap_or_default()),
                ms(percentile(&post, 99.0).unwrap_or_default())
            ),
            None,
        );
    }
    if let (Some((n0, a)), Some((n1, b))) = (p99s.first(), p99s.last()) {
        if n0 != n1 {
            r.figure(
                &format!("  p99 ratio {n1} / {n0} streams"),
                &format!("{:.2}×", b.as_secs_f64() / a.as_secs_f64().max(1e-9)),
                None,
            );
        }
    }

    let lat = decision_to_agent(s, p).await?;
    let p99 = percentile(&lat, 99.0).unwrap_or_default();
    r.figure(
        "decide → agent's long-poll /wait answers",
        &spread(&lat),
        Some(("p99 < 50 ms", p99 < WAIT_GOAL)),
    );
    Ok(())
}

/// Posts `p.live_messages` customer messages through `post_via` while `n`
/// streams listen on `s` (the same server, or another node of its database);
/// every (message, subscribed stream) pair must arrive. Returns (delivery
/// latencies, POST round trips). Each target's `last_seq` moves to its last
/// message, so the streams of the next run start after it (as a page opened
/// now would) instead of replaying this run's messages when they open.
pub async fn delivery(
    s: &Server,
    post_via: &Server,
    p: &Params,
    targets: &mut [Followed],
    n: usize,
) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    let streams = open_streams(s, targets, n).await?;
    let m = p.live_messages;
    let sent: Arc<Vec<OnceLock<Instant>>> = Arc::new((0..m).map(|_| OnceLock::new()).collect());
    let mut per_target = vec![0usize; targets.len()];
    let (tx, mut rx) = mpsc::unbounded_channel::<Result<Duration, String>>();
    let mut readers = Vec::new();
    for (t, mut sse) in streams {
        per_target[t] += 1;
        let (tx, sent) = (tx.clone(), sent.clone());
        readers.push(tokio::spawn(async move {
            while let Some(ev) = sse.next().await {
                let arrived = Instant::now();
                let ev = match ev {
                    Ok(ev) => ev,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                if ev.event != "message" {
                    continue;
                }
                let k = serde_json::from_str::<serde_json::Value>(&ev.data)
                    .ok()
                    .and_then(|v| v["content"].as_str().map(str::to_string))
                    .and_then(|c| {
                        c.strip_prefix("bench live ")
                            .and_then(|k| k.parse::<usize>().ok())
                    });
                if let Some(at) = k.and_then(|k| sent.get(k)).and_then(|s| s.get()) {
                    let _ = tx.send(Ok(arrived - *at));
                }
            }
        }));
    }
    drop(tx);
    // The expected number of arrivals: each message reaches its handoff's streams.
    let expected: usize = (0..m).map(|k| per_target[k % targets.len()]).sum();
    let mut post = Vec::with_capacity(m);
    let deadline = Instant::now() + p.loop_deadline;
    let mut posted = 0;
    for k in 0..m {
        if Instant::now() > deadline {
            break;
        }
        let target = k % targets.len();
        let t = Instant::now();
        let _ = sent[k].set(t);
        let m = post_via
            .api
            .message(
                &targets[target].conversation,
                "user",
                &format!("bench live {k}"),
            )
            .await?;
        post.push(t.elapsed());
        if let Some(seq) = m["seq"].as_i64() {
            targets[target].last_seq = seq;
        }
        posted += 1;
        // A steady stream of customer messages, not one burst.
        tokio::time::sleep(p.live_gap).await;
    }
    let expected_posted: usize = (0..posted).map(|k| per_target[k % targets.len()]).sum();
    let mut lat = Vec::with_capacity(expected);
    let collect_until = tokio::time::Instant::now() + Duration::from_secs(10);
    while lat.len() < expected_posted {
        match tokio::time::timeout_at(collect_until, rx.recv()).await {
            Ok(Some(Ok(d))) => lat.push(d),
            Ok(Some(Err(e))) => return Err(format!("an operator stream failed: {e}")),
            Ok(None) | Err(_) => break,
        }
    }
    for r in readers {
        r.abort();
    }
    if lat.len() < expected_posted {
        return Err(format!(
            "only {} of {expected_posted} message deliveries arrived within 10 s ({n} streams)",
            lat.len()
        ));
    }
    Ok((lat, post))
}

/// The agent waits on `GET /approvals/{id}/wait?timeout=30`; an operator (here
/// the API) decides; timed from sending the decision to the wait's answer.
async fn decision_to_agent(s: &Server, p: &Params) -> Result<Vec<Duration>, String> {
    let mut lat = Vec::with_capacity(p.waits);
    let deadline = Instant::now() + p.loop_deadline;
    let batch = 20;
    while lat.len() < p.waits && Instant::now() < deadline {
        let cids = setup(batch, 8, |_| {
            let api = s.api.clone();
            async move { api.conversation().await }
        })
        .await?;
        let ids = setup(batch, 8, |i| {
            let api = s.api.clone();
            let cid = cids[i].clone();
            async move { id_of(&api.approval(&cid, None).await?) }
        })
        .await?;
        let sent: Arc<Vec<OnceLock<Instant>>> =
            Arc::new((0..batch).map(|_| OnceLock::new()).collect());
        let mut waits = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let (api, sent, id) = (s.api.clone(), sent.clone(), id.clone());
            waits.push(tokio::spawn(async move {
                let (status, v) = api
                    .get(&format!("/api/v1/approvals/{id}/wait?timeout=30"))
                    .await?;
                let arrived = Instant::now();
                if status != 200 || v["decided"] != serde_json::json!(true) {
                    return Err(format!("wait answered {status} {v}"));
                }
                let at = sent[i].get().ok_or("answered before the decision")?;
                Ok::<Duration, String>(arrived - *at)
            }));
        }
        // Let every long-poll reach the server and park.
        tokio::time::sleep(Duration::from_millis(200)).await;
        for (i, id) in ids.iter().enumerate() {
            let _ = sent[i].set(Instant::now());
            s.api
                .post_ok(
                    &format!("/api/v1/approvals/{id}/decide"),
                    &serde_json::json!({"decision": "approve"}),
                )
                .await?;
            tokio::time::sleep(p.live_gap).await;
        }
        for w in waits {
            lat.push(w.await.map_err(|e| e.to_string())??);
        }
    }
    Ok(lat)
}
