//! Section 6, cost at scale (`tapin bench --scale`): the same reads at 1×,
//! 10× and 100× the data. One server is filled in steps (each unit: a
//! conversation with two messages, a takeover that is cancelled, an approval
//! that is approved: 7 audit rows, 3 messages); after each step the reads an
//! operator and an agent make all day are timed. The open work stays the same
//! size at every step (20 open takeovers, 10 pending approvals), so a read
//! that only needs the open items or the newest page must not slow down as
//! history piles up: that is what the indexes are for. `tapin audit verify`
//! reads the whole chain, so its cost per event must stay flat (linear total).

use super::client::id_of;
use super::report::{ms, percentile, Report};
use super::server::Server;
use super::Params;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Goal: at 100× the data a read takes at most twice as long as at 1×.
const FLAT: f64 = 2.0;
const READS: usize = 100;
const OPEN_TAKEOVERS: usize = 20;
const OPEN_APPROVALS: usize = 10;
/// Units seeded last at each level: the audit export reads their window.
const WINDOW_UNITS: usize = 10;
/// An organization with no events: `tapin audit verify`'s fixed cost.
const EMPTY_ORG: &str = "scale-empty";

pub async fn run(r: &mut Report, s: &Server, p: &Params) -> Result<(), String> {
    r.section("6. cost at scale (the same reads at growing data)");
    let levels: &[usize] = if p.quick { &[1, 2] } else { &[1, 10, 100] };
    let base = p.scale_base;

    s.cli(&["org", "create", EMPTY_ORG]).await?;
    // The open work, made once: it is what the inbox and the open filters show.
    let mut first_conversation = String::new();
    for i in 0..OPEN_TAKEOVERS {
        let (cid, _) = s.api.takeover(2, "scale-open").await?;
        if i == 0 {
            first_conversation = cid;
        }
    }
    for _ in 0..OPEN_APPROVALS {
        let cid = s.api.conversation().await?;
        s.api.approval(&cid, None).await?;
    }

    let mut rows: Vec<(usize, Vec<Duration>, Option<Duration>)> = Vec::new();
    let mut seeded = 0;
    for &level in levels {
        let target = base * level;
        let add = target - seeded;
        let window = WINDOW_UNITS.min(add);
        seed(s, p, add - window).await?;
        let window_from = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        seed(s, p, window).await?;
        seeded = target;
        let counts = counts(s).await?;
        r.note(&format!(
            "{level}×: {} handoffs, {} audit rows, {} messages",
            counts.0, counts.1, counts.2
        ));
        let reads = [
            "/api/v1/handoffs?limit=50".to_string(),
            "/api/v1/handoffs?status=requested&limit=50".to_string(),
            "/inbox".to_string(),
            format!("/api/v1/conversations/{first_conversation}/messages?since_seq=1"),
            format!(
                "/api/v1/audit/export.jsonl?from={}",
                urlencode(&window_from)
            ),
        ];
        let mut medians = Vec::new();
        for path in &reads {
            medians.push(median_of(s, path).await?);
        }
        let verify = verify_time(s).await?.map(|t| t / counts.1.max(1) as u32);
        rows.push((level, medians, verify));
    }

    let labels = [
        "list, newest 50 (GET /api/v1/handoffs)",
        "open takeovers (?status=requested)",
        "desk inbox page (GET /inbox)",
        "messages since_seq (one conversation)",
        "audit export, last 10 units' window",
    ];
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    for (i, label) in labels.iter().enumerate() {
        let curve = rows
            .iter()
            .map(|(level, m, _)| format!("{level}× {}", ms(m[i])))
            .collect::<Vec<_>>()
            .join(" · ");
        let ratio = last.1[i].as_secs_f64() / first.1[i].as_secs_f64().max(1e-9);
        r.figure(
            &format!("{label}, median"),
            &format!("{curve} ({ratio:.2}×)"),
            (!p.quick).then_some(("≤ 2× at 100×", ratio <= FLAT)),
        );
    }
    let per_event: Vec<_> = rows
        .iter()
        .filter_map(|(l, _, v)| Some((*l, (*v)?)))
        .collect();
    if let (Some(a), Some(b)) = (per_event.first(), per_event.last()) {
        let curve = per_event
            .iter()
            .map(|(l, t)| format!("{l}× {:.1} µs", t.as_secs_f64() * 1e6))
            .collect::<Vec<_>>()
            .join(" · ");
        let ratio = b.1.as_secs_f64() / a.1.as_secs_f64().max(1e-12);
        r.figure(
            "tapin audit verify, per event (linear: flat)",
            &format!("{curve} ({ratio:.2}×)"),
            (!p.quick).then_some(("≤ 2× at 100×", ratio <= FLAT)),
        );
    }
    r.note("each read: median of 100 sequential requests (20 with --quick); verify: the CLI's wall time less its time on an empty organization, / audit rows");
    Ok(())
}

/// `n` units, from `p.write_concurrency` workers.
async fn seed(s: &Server, p: &Params, n: usize) -> Result<(), String> {
    let next = AtomicUsize::new(0);
    let worker = || async {
        while next.fetch_add(1, Ordering::Relaxed) < n {
            unit(s).await?;
        }
        Ok::<(), String>(())
    };
    let results = futures::future::join_all((0..p.write_concurrency).map(|_| worker())).await;
    results.into_iter().collect()
}

async fn unit(s: &Server) -> Result<(), String> {
    let (cid, h) = s.api.takeover(2, "scale").await?;
    s.api
        .post_ok(
            &format!("/api/v1/handoffs/{}/cancel", id_of(&h)?),
            &json!({}),
        )
        .await?;
    let a = s.api.approval(&cid, None).await?;
    s.api
        .post_ok(
            &format!("/api/v1/approvals/{}/decide", id_of(&a)?),
            &json!({"decision": "approve"}),
        )
        .await?;
    Ok(())
}

async fn median_of(s: &Server, path: &str) -> Result<Duration, String> {
    let mut took = Vec::with_capacity(READS);
    for _ in 0..READS {
        let start = Instant::now();
        let res = s
            .api
            .http
            .get(format!("{}{path}", s.base))
            .header("x-api-key", &s.api.key)
            .header("cookie", &s.cookie)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|e| format!("GET {path}: {e}"))?;
        let status = res.status();
        res.bytes().await.map_err(|e| format!("GET {path}: {e}"))?;
        if !status.is_success() {
            return Err(format!("GET {path}: {status}"));
        }
        took.push(start.elapsed());
    }
    percentile(&took, 50.0).ok_or_else(|| "no samples".into())
}

/// (handoffs, audit rows, messages) in the server's database.
async fn counts(s: &Server) -> Result<(i64, i64, i64), String> {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(s.db_url.trim_start_matches("sqlite://"))
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("opening the bench database: {e}"))?;
    let mut out = [0i64; 3];
    for (i, table) in ["handoffs", "handoff_events", "messages"]
        .into_iter()
        .enumerate()
    {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let (n,): (i64,) = sqlx::query_as(&sql)
            .fetch_one(&mut conn)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
        out[i] = n;
    }
    conn.close().await.map_err(|e| e.to_string())?;
    Ok((out[0], out[1], out[2]))
}

/// `tapin audit verify --org bench` against the server's database, less
/// what the same command costs on an organization with no events (process
/// start, opening the database); `None` if it did not report an intact chain.
async fn verify_time(s: &Server) -> Result<Option<Duration>, String> {
    let start = Instant::now();
    let empty = s.cli(&["audit", "verify", "--org", EMPTY_ORG]).await?;
    let fixed = start.elapsed();
    let start = Instant::now();
    let full = s.cli(&["audit", "verify", "--org", "bench"]).await?;
    let took = start.elapsed();
    let intact = empty.contains("chain intact") && full.contains("chain intact");
    Ok(intact.then_some(took.saturating_sub(fixed)))
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B")
}
