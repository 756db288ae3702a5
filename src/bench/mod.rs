//! `tapin bench [--quick]`: the benchmark suite behind every performance claim.
//!
//! Each benchmark starts this binary as a real server (`tapin serve`, a child
//! process on a free 127.0.0.1 port, fresh SQLite database in a temporary
//! directory) and drives it over HTTP from this process. Every loop is bounded
//! in count and in time. Figures that depend on the machine are printed next
//! to a baseline measured in the same run (the machines are shared and noisy).
//!
//! `--quick` (seconds, small N) runs in `scripts/test.sh` so the code keeps
//! working; it fails only on errors. The full run reports every goal with
//! PASS/FAIL and exits 1 if one was missed.
//!
//! The PostgreSQL section (two nodes on one fresh database) uses the server
//! at `TAPIN_BENCH_PG_URL` and is skipped, saying so, where none answers.
//!
//! `--scale` adds section 6: the same reads at 1×, 10× and 100× the data.
//!
//! For profiling: `TAPIN_BENCH_ONLY=page,write,live,memory,push,postgres,scale` runs only those
//! sections; `TAPIN_BENCH_SERVER_PREFIX="valgrind --tool=massif"` (or `perf
//! record -g --`, …) starts the server under a tool; `TAPIN_BENCH_IDLE_STREAMS`
//! overrides the memory section's stream count.

mod client;
mod fixtures;
mod live;
mod memory;
mod page_weight;
mod postgres;
mod push;
mod report;
mod scale;
mod server;
mod webhook_cost;
mod write_path;

use report::Report;
use server::Server;
use std::path::Path;
use std::time::{Duration, Instant};

/// Sizes of one run.
pub struct Params {
    pub quick: bool,
    /// First-HTML timing requests (goal: median over ≥ 200).
    pub page_requests: usize,
    /// Raw SQLite commits per measurement.
    pub commits: usize,
    /// Requests per peak-rate loop, and how many are in flight.
    pub write_requests: usize,
    pub write_concurrency: usize,
    /// Numbers in flight the SQLite peak is measured at: the best is the
    /// peak (fewer leave the server idle while it waits for the disk).
    pub write_sweep: Vec<usize>,
    /// Length of each open-loop run at half the peak rate.
    pub open_loop_secs: f64,
    pub stream_counts: Vec<usize>,
    pub live_handoffs: usize,
    pub live_messages: usize,
    /// Pause between two posted messages (or decisions).
    pub live_gap: Duration,
    pub waits: usize,
    pub idle_streams: usize,
    /// Handoffs created (one at a time) for the push section.
    pub pushes: usize,
    /// Upper bound of every single loop.
    pub loop_deadline: Duration,
    /// Units of data at 1× in the scale section (`--scale`).
    pub scale_base: usize,
}

impl Params {
    pub fn new(quick: bool) -> Params {
        if quick {
            Params {
                quick,
                page_requests: 200,
                commits: 200,
                write_requests: 200,
                write_concurrency: 8,
                write_sweep: vec![8],
                open_loop_secs: 1.0,
                stream_counts: vec![50],
                live_handoffs: 10,
                live_messages: 20,
                live_gap: Duration::from_millis(10),
                waits: 20,
                idle_streams: 50,
                pushes: 20,
                loop_deadline: Duration::from_secs(10),
                scale_base: 12,
            }
        } else {
            Params {
                quick,
                page_requests: 300,
                commits: 3000,
                write_requests: 3000,
                write_concurrency: 16,
                write_sweep: vec![16, 32, 64],
                open_loop_secs: 5.0,
                stream_counts: vec![100, 1000, 10_000],
                live_handoffs: 100,
                live_messages: 200,
                live_gap: Duration::from_millis(20),
                waits: 200,
                idle_streams: 10_000,
                pushes: 200,
                loop_deadline: Duration::from_secs(20),
                scale_base: 100,
            }
        }
    }
}

/// Runs the suite; the process exit code.
pub async fn run(quick: bool, scale: bool, site_root: &str) -> Result<i32, String> {
    let started = Instant::now();
    let mut p = Params::new(quick);
    if let Ok(n) = std::env::var("TAPIN_BENCH_IDLE_STREAMS") {
        p.idle_streams = n
            .parse()
            .map_err(|_| format!("TAPIN_BENCH_IDLE_STREAMS={n}: not a number"))?;
    }
    let site_root = std::fs::canonicalize(site_root).map_err(|e| {
        format!(
            "site root {site_root}: {e} (build the site first: cargo leptos build --release -P --split)"
        )
    })?;
    let nofile = server::raise_nofile(p.idle_streams as u64 + 4096)?;
    header(quick, &site_root, nofile);
    let mut r = Report::new(quick);
    let only = std::env::var("TAPIN_BENCH_ONLY").unwrap_or_default();
    let wants = |section: &str| only.is_empty() || only.split(',').any(|s| s.trim() == section);

    if wants("page") || wants("write") || wants("live") {
        let s = Server::start("main", &site_root).await?;
        if wants("page") {
            page_weight::run(&mut r, &s, &p, &site_root).await?;
        }
        if wants("write") {
            write_path::run(&mut r, &s, &p).await?;
        }
        if wants("live") {
            live::run(&mut r, &s, &p).await?;
        }
        s.stop().await;
    }
    if wants("memory") {
        let s = Server::start("memory", &site_root).await?;
        memory::run(&mut r, &s, &p, nofile).await?;
        s.stop().await;
    }
    if wants("push") {
        let s = Server::start("push", &site_root).await?;
        push::run(&mut r, &s, &p).await?;
        s.stop().await;
    }
    if wants("postgres") {
        postgres::run(&mut r, &p, &site_root).await?;
    }
    // Minutes of seeding: only when asked for (or small, with --quick).
    if (scale || quick) && wants("scale") || only.split(',').any(|s| s.trim() == "scale") {
        let s = Server::start("scale", &site_root).await?;
        scale::run(&mut r, &s, &p).await?;
        s.stop().await;
    }
    let missed = r.finish();
    println!("   took {:.1} s", started.elapsed().as_secs_f64());
    Ok(if quick || missed == 0 { 0 } else { 1 })
}

fn header(quick: bool, site_root: &Path, nofile: u64) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "tapin bench{} — tapin {} — {}",
        if quick { " --quick" } else { "" },
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!(
        "machine: {cores} cores, {cpu}; open-file limit {nofile}; site {}",
        site_root.display()
    );
    println!("server: this binary as `tapin serve` on 127.0.0.1, fresh SQLite per server, rate limit raised for the run");
}
