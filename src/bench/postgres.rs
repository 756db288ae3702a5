//! Section 6, PostgreSQL and two nodes: two `tapin serve` on one fresh
//! PostgreSQL database. (a) raw single-row commits on that server, through
//! one connection, autocommit (`synchronous_commit` as the server has it);
//! (b) `POST /api/v1/handoffs` and `…/decide` on node A, b/a; then
//! cross-node delivery: operator streams held on node B, customer messages
//! posted on node A, timed from the POST to the arrival on every stream.
//!
//! The server is `TAPIN_BENCH_PG_URL` (an admin URL, default
//! `postgres://postgres@127.0.0.1:5432/postgres`); the section says so and is
//! skipped when nothing answers there.

use super::fixtures::takeover_packet;
use super::live::{delivery, followed};
use super::report::{ms, percentile, spread, Report};
use super::server::Server;
use super::write_path::{closed_loop, handoff_bodies, pending_approvals};
use super::Params;
use serde_json::{json, Value};
use sqlx::Connection;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CROSS_NODE_GOAL: Duration = Duration::from_millis(50);
const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database made for the run and dropped after it.
struct BenchDb {
    admin_url: String,
    name: String,
    url: String,
}

impl BenchDb {
    async fn create(admin_url: &str) -> Result<BenchDb, String> {
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .map_err(|e| e.to_string())?;
        let name = format!("tapin_bench_{}", uuid::Uuid::now_v7().simple());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .map_err(|e| format!("creating {name}: {e}"))?;
        let _ = admin.close().await;
        let (scheme, rest) = admin_url
            .split_once("://")
            .ok_or("TAPIN_BENCH_PG_URL is not a postgres:// URL")?;
        let (before_query, query) = match rest.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (rest, String::new()),
        };
        let authority = before_query.split('/').next().unwrap_or(before_query);
        Ok(BenchDb {
            admin_url: admin_url.to_string(),
            url: format!("{scheme}://{authority}/{name}{query}"),
            name,
        })
    }

    async fn drop_it(self) {
        if let Ok(mut admin) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin)
            .await;
            let _ = admin.close().await;
        }
    }
}

pub async fn run(r: &mut Report, p: &Params, site_root: &Path) -> Result<(), String> {
    r.section("6. PostgreSQL, two nodes");
    let admin_url =
        std::env::var("TAPIN_BENCH_PG_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string());
    let db = match BenchDb::create(&admin_url).await {
        Ok(db) => db,
        Err(e) => {
            r.note(&format!(
                "skipped: no PostgreSQL at {} ({e})",
                crate::store::printable_url(&admin_url)
            ));
            return Ok(());
        }
    };
    let result = measure(r, p, site_root, &db.url).await;
    db.drop_it().await;
    result
}

async fn measure(r: &mut Report, p: &Params, site_root: &Path, url: &str) -> Result<(), String> {
    let a = Server::start_on("pg-a", site_root, Some(url)).await?;
    let b = a.another_node("pg-b", site_root).await?;
    r.note(&format!(
        "two `tapin serve` on {}",
        crate::store::printable_url(url)
    ));

    let raw1 = raw_commits(url, p).await?;
    let handoff_body = handoff_bodies(&a, p, p.write_concurrency).await?;
    let handoffs = closed_loop(&a, p, p.write_requests, p.write_concurrency, &handoff_body).await?;
    let ids = Arc::new(pending_approvals(&a, p, p.write_requests).await?);
    let count = ids.len();
    let decide_body = move |i: usize| -> (String, Value) {
        (
            format!("/api/v1/approvals/{}/decide", ids[i]),
            json!({"decision": "approve", "note": "benchmark"}),
        )
    };
    let decides = closed_loop(&a, p, count, p.write_concurrency, &decide_body).await?;
    let raw2 = raw_commits(url, p).await?;
    let raw = (raw1 + raw2) / 2.0;
    r.figure(
        "(a) raw PostgreSQL single-row commits",
        &format!("{raw:.0} /s (runs: {raw1:.0}, {raw2:.0})"),
        None,
    );
    for (what, peak) in [
        ("POST /api/v1/handoffs", &handoffs),
        ("POST /api/v1/approvals/{id}/decide", &decides),
    ] {
        r.figure(
            &format!("(b) {what} on node A, peak"),
            &format!(
                "{:.0} /s ({} requests, {} in flight); b/a {:.2}",
                peak.rate,
                peak.done,
                p.write_concurrency,
                peak.rate / raw
            ),
            None,
        );
        r.figure(
            "    server CPU per request",
            &ms(peak.server_cpu).to_string(),
            None,
        );
    }

    let mut targets = followed(&a, p.live_handoffs).await?;
    let n = p.stream_counts.iter().copied().max().unwrap_or(100);
    let (lat, post) = delivery(&b, &a, p, &mut targets, n).await?;
    let p99 = percentile(&lat, 99.0).unwrap_or_default();
    r.figure(
        &format!(
            "post on A → received on B, {n} streams / {} handoffs",
            targets.len()
        ),
        &spread(&lat),
        Some(("p99 < 50 ms", p99 < CROSS_NODE_GOAL)),
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
    b.stop().await;
    a.stop().await;
    Ok(())
}

/// Single-row INSERTs, each its own transaction, through one connection.
async fn raw_commits(url: &str, p: &Params) -> Result<f64, String> {
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .map_err(|e| format!("raw commits: {e}"))?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, \
         created_at timestamptz NOT NULL, body text NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    let body = takeover_packet().to_string();
    let deadline = Instant::now() + p.loop_deadline;
    let start = Instant::now();
    let mut n = 0usize;
    while n < p.commits && Instant::now() < deadline {
        sqlx::query("INSERT INTO bench_raw (created_at, body) VALUES (now(), $1)")
            .bind(&body)
            .execute(&mut conn)
            .await
            .map_err(|e| format!("raw insert: {e}"))?;
        n += 1;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    let _ = conn.close().await;
    Ok(rate)
}
