//! Section 2, The write path against its physical limit, in one run: (a) durable
//! single-row SQLite commits with tapin's pragmas on the same disk, (b) tapin's
//! `POST /api/v1/handoffs` and `POST /api/v1/approvals/{id}/decide` end to end
//! (HTTP, auth, rate limiter, transition, audit hash, outbox), b/a, then
//! latency at half the peak rate, open-loop; then the creations with a
//! webhook subscribed (`webhook_cost`).

use super::client::{id_of, Api};
use super::fixtures::takeover_packet;
use super::report::{ms, spread, Report};
use super::server::{own_cpu_time, Server};
use super::Params;
use futures::StreamExt;
use serde_json::{json, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Issue 12: more handoffs (and decisions) per second than the disk allows
/// single-row commits, which only batching several writes per commit can give.
const RATIO_GOAL: f64 = 1.0;

pub async fn run(r: &mut Report, s: &Server, p: &Params) -> Result<(), String> {
    r.section("2. write path vs the SQLite limit");
    let raw1 = raw_commits(s, p, "raw1").await?;

    let most = p
        .write_sweep
        .iter()
        .copied()
        .max()
        .unwrap_or(p.write_concurrency);
    let handoff_body = handoff_bodies(s, p, most).await?;
    let mut handoff_runs = Vec::new();
    for &in_flight in &p.write_sweep {
        handoff_runs.push(with_batches(s, in_flight, p.write_requests, &handoff_body, p).await?);
    }

    // Decisions: pending approvals made beforehand, one decision each, a
    // fresh set for each number in flight.
    let mut decide_runs = Vec::new();
    for &in_flight in &p.write_sweep {
        let approvals = pending_approvals(s, p, p.write_requests).await?;
        let body = decide_body(Arc::new(approvals));
        decide_runs.push(with_batches(s, in_flight, p.write_requests, &body, p).await?);
    }
    let raw2 = raw_commits(s, p, "raw2").await?;
    let raw = (raw1 + raw2) / 2.0;

    r.figure(
        "(a) raw durable SQLite commits (WAL, FULL)",
        &format!("{raw:.0} /s (runs: {raw1:.0}, {raw2:.0})"),
        None,
    );
    let handoffs = report_runs(r, "POST /api/v1/handoffs", "handoffs", &handoff_runs, raw);
    let decides = report_runs(
        r,
        "POST /api/v1/approvals/{id}/decide",
        "decide",
        &decide_runs,
        raw,
    );

    // Open loop at half the measured peak: sent on a schedule, so queueing shows.
    let rate = handoffs.rate / 2.0;
    let n = ((rate * p.open_loop_secs) as usize).max(10);
    let lat = open_loop(&s.api, rate, n, &handoff_body).await?;
    r.figure(
        &format!("handoffs at {rate:.0}/s (half peak), open loop"),
        &spread(&lat),
        p99_goal(&lat),
    );
    let rate = decides.rate / 2.0;
    let n = ((rate * p.open_loop_secs) as usize).max(10);
    let ids = Arc::new(pending_approvals(s, p, n).await?);
    let lat = open_loop(&s.api, rate, ids.len(), &decide_body(ids)).await?;
    r.figure(
        &format!("decide at {rate:.0}/s (half peak), open loop"),
        &spread(&lat),
        p99_goal(&lat),
    );
    r.note("latency is measured from each request's scheduled send time (no coordinated omission)");
    super::webhook_cost::run(r, s, p, most, raw, &handoff_body).await
}

/// One decision per pending approval `ids[i]`.
fn decide_body(ids: Arc<Vec<String>>) -> impl Fn(usize) -> (String, Value) + Sync {
    move |i: usize| -> (String, Value) {
        (
            format!("/api/v1/approvals/{}/decide", ids[i]),
            json!({"decision": "approve", "note": "benchmark"}),
        )
    }
}

/// A closed loop at `in_flight`, with how many writes each SQLite commit
/// carried meanwhile and how many writes each request made (the group
/// commit's counters, read from `/metrics`).
async fn with_batches(
    s: &Server,
    in_flight: usize,
    n: usize,
    body: &(dyn Fn(usize) -> (String, Value) + Sync),
    p: &Params,
) -> Result<Run, String> {
    let before = s.batch_writes().await?;
    let peak = closed_loop(s, p, n, in_flight, body).await?;
    let after = s.batch_writes().await?;
    let batches = match (before, after) {
        (Some((w0, c0)), Some((w1, c1))) if c1 > c0 && peak.done > 0 => {
            Some(((w1 - w0) / (c1 - c0), (w1 - w0) / peak.done as f64))
        }
        _ => None,
    };
    Ok(Run {
        in_flight,
        peak,
        batches,
    })
}

/// One closed loop of the sweep: its number in flight, its rate and CPU, and
/// (writes per commit, writes per request) where the server counts batches.
struct Run {
    in_flight: usize,
    peak: Peak,
    batches: Option<(f64, f64)>,
}

/// One line per number in flight; the best of them is the peak, judged
/// against the raw commit rate.
fn report_runs<'a>(r: &mut Report, what: &str, short: &str, runs: &'a [Run], raw: f64) -> &'a Peak {
    for Run {
        in_flight,
        peak,
        batches,
    } in runs
    {
        let batches = batches.map_or(String::new(), |(per_commit, per_request)| {
            format!(" · {per_commit:.1} writes per commit, {per_request:.2} per request")
        });
        r.figure(
            &format!("(b) {what}, {in_flight} in flight"),
            &format!("{:.0} /s ({} requests){batches}", peak.rate, peak.done),
            None,
        );
        r.figure(
            "    CPU per request: server · load generator",
            &format!("{} · {}", ms(peak.server_cpu), ms(peak.client_cpu)),
            None,
        );
    }
    let best = runs
        .iter()
        .max_by(|a, b| a.peak.rate.total_cmp(&b.peak.rate))
        .expect("at least one number in flight");
    let ratio = best.peak.rate / raw;
    r.figure(
        &format!("    {short} b/a (peak: {} in flight)", best.in_flight),
        &format!("{ratio:.2}"),
        Some(("≥ 1.0", ratio >= RATIO_GOAL)),
    );
    &best.peak
}

/// Issue 12: p99 < 20 ms at half the peak rate.
fn p99_goal(lat: &[Duration]) -> Option<(&'static str, bool)> {
    let p99 = super::report::percentile(lat, 99.0)?;
    Some(("p99 < 20 ms", p99 < Duration::from_millis(20)))
}

/// Single-row INSERTs, each its own durable transaction, through one
/// connection with the pragmas `store::sqlite` uses, on the server's disk.
async fn raw_commits(s: &Server, p: &Params, name: &str) -> Result<f64, String> {
    let path = s.dir.join(format!("{name}.db"));
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .map_err(|e| e.to_string())?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await
        .map_err(|e| format!("opening {}: {e}", path.display()))?;
    sqlx::query(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, body TEXT NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    let body = takeover_packet().to_string();
    let deadline = Instant::now() + p.loop_deadline;
    let start = Instant::now();
    let mut n = 0usize;
    while n < p.commits && Instant::now() < deadline {
        sqlx::query("INSERT INTO t (created_at, body) VALUES (?, ?)")
            .bind(crate::service::now())
            .bind(&body)
            .execute(&mut conn)
            .await
            .map_err(|e| format!("raw insert: {e}"))?;
        n += 1;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    conn.close().await.map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&path);
    Ok(rate)
}

pub struct Peak {
    pub rate: f64,
    pub done: usize,
    /// CPU time per request: the server's, and this load generator's (same 2 cores).
    pub server_cpu: Duration,
    pub client_cpu: Duration,
}

/// `n` POSTs (bounded by `p.loop_deadline`) from `in_flight` workers,
/// each sending its next as soon as the previous answered. Any non-2xx is an error.
/// The requests of the handoff-creation loops: each worker posts on its own
/// conversation (a conversation can carry several handoffs), so the loop
/// measures creation only.
pub async fn handoff_bodies(
    s: &Server,
    p: &Params,
    workers: usize,
) -> Result<impl Fn(usize) -> (String, Value) + Sync, String> {
    let convs = setup(workers, p.write_concurrency, |_| {
        let api = s.api.clone();
        async move { api.conversation().await }
    })
    .await?;
    Ok(move |i: usize| -> (String, Value) {
        (
            "/api/v1/handoffs".to_string(),
            json!({"kind": "takeover", "conversation_id": convs[i % convs.len()],
                   "source": "router", "packet": takeover_packet()}),
        )
    })
}

pub async fn closed_loop(
    s: &Server,
    p: &Params,
    n: usize,
    in_flight: usize,
    body: &(dyn Fn(usize) -> (String, Value) + Sync),
) -> Result<Peak, String> {
    let api = &s.api;
    let requests = prepared(n, body);
    let next = AtomicUsize::new(0);
    let deadline = Instant::now() + p.loop_deadline;
    let (server0, client0) = (s.cpu_time()?, own_cpu_time());
    let start = Instant::now();
    let worker = || async {
        let mut done = 0usize;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n || Instant::now() > deadline {
                return Ok::<usize, String>(done);
            }
            let (path, json) = &requests[i];
            api.post_prepared(path, json.clone()).await?;
            done += 1;
        }
    };
    let results = futures::future::join_all((0..in_flight).map(|_| worker())).await;
    let elapsed = start.elapsed().as_secs_f64();
    let mut done = 0;
    for r in results {
        done += r?;
    }
    let per = |d: Duration| d / done.max(1) as u32;
    Ok(Peak {
        rate: done as f64 / elapsed,
        done,
        server_cpu: per(s.cpu_time()? - server0),
        client_cpu: per(own_cpu_time() - client0),
    })
}

/// `n` POSTs sent at `rate` per second on a fixed schedule, whatever the
/// answers; each latency counts from the scheduled send time.
async fn open_loop(
    api: &Api,
    rate: f64,
    n: usize,
    body: &(dyn Fn(usize) -> (String, Value) + Sync),
) -> Result<Vec<Duration>, String> {
    let interval = Duration::from_secs_f64(1.0 / rate.max(1.0));
    let requests = prepared(n, body);
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let mut tasks = Vec::with_capacity(n);
    for (i, (path, json)) in requests.into_iter().enumerate() {
        let at = start + interval * i as u32;
        tokio::time::sleep_until(at).await;
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            api.post_prepared(&path, json).await?;
            Ok::<Duration, String>(at.elapsed())
        }));
    }
    let mut out = Vec::with_capacity(n);
    for t in tasks {
        out.push(t.await.map_err(|e| e.to_string())??);
    }
    Ok(out)
}

/// The `n` requests of a loop, serialized before its clock starts.
fn prepared(n: usize, body: &(dyn Fn(usize) -> (String, Value) + Sync)) -> Vec<(String, Vec<u8>)> {
    (0..n)
        .map(|i| {
            let (path, b) = body(i);
            (
                path,
                serde_json::to_vec(&b).expect("a JSON value serializes"),
            )
        })
        .collect()
}

/// `n` pending approvals, created 8 at a time (set-up, not timed).
pub async fn pending_approvals(s: &Server, p: &Params, n: usize) -> Result<Vec<String>, String> {
    let convs = Arc::new(
        setup(p.write_concurrency, p.write_concurrency, |_| {
            let api = s.api.clone();
            async move { api.conversation().await }
        })
        .await?,
    );
    setup(n, 8, |i| {
        let api = s.api.clone();
        let convs = convs.clone();
        async move { id_of(&api.approval(&convs[i % convs.len()], None).await?) }
    })
    .await
}

/// Runs `make(i)` for i in 0..n, `parallel` at a time; all must succeed.
pub async fn setup<F, Fut>(n: usize, parallel: usize, make: F) -> Result<Vec<String>, String>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    futures::stream::iter((0..n).map(make))
        .buffered(parallel)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}
