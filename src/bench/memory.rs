//! Section 4, Memory per stream: the server's resident set (VmRSS) with no stream open,
//! then with `p.idle_streams` idle operator streams, on a server of its own.

use super::live::{followed, open_streams};
use super::report::{kb, Report};
use super::server::Server;
use super::Params;
use std::time::{Duration, Instant};

const GOAL_BYTES: usize = 200 * 1024 * 1024;
const GOAL_STREAMS: usize = 10_000;
/// Issue 12: an idle operator stream costs the server at most 10 KB.
const GOAL_PER_STREAM: usize = 10 * 1024;

pub async fn run(r: &mut Report, s: &Server, p: &Params, nofile: u64) -> Result<(), String> {
    r.section("4. memory per idle stream");
    let n = p.idle_streams;
    r.note(&format!(
        "open-file limit raised to {nofile} in the benchmark (the server child inherits it)"
    ));
    if nofile < n as u64 + 256 {
        return Err(format!(
            "{n} streams need about {} open files and the limit is {nofile}",
            n + 256
        ));
    }
    let targets = followed(s, p.live_handoffs).await?;
    // Warm the paths a stream uses once, so the baseline holds their one-time allocations.
    drop(open_streams(s, &targets, targets.len()).await?);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = s.rss()?;
    let t = Instant::now();
    let streams = open_streams(s, &targets, n).await?;
    let opened_in = t.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = s.rss()?;
    let per = after.saturating_sub(before) / n.max(1);
    r.figure("server RSS, 0 streams", &kb(before), None);
    let at_goal = n >= GOAL_STREAMS;
    r.figure(
        &format!("server RSS, {n} idle streams"),
        &format!(
            "{} (opened in {:.1} s, peak {})",
            kb(after),
            opened_in.as_secs_f64(),
            kb(s.peak_rss()?)
        ),
        // Judged at 10,000 only: a small run's per-stream figure is mostly allocator growth.
        at_goal.then_some(("< 200 MB at 10,000", after < GOAL_BYTES)),
    );
    r.figure(
        "per stream",
        &format!(
            "{:.1} KB{}",
            per as f64 / 1024.0,
            if at_goal {
                String::new()
            } else {
                format!(" → {} projected at 10,000", kb(before + per * GOAL_STREAMS))
            }
        ),
        at_goal.then_some(("≤ 10 KB", per <= GOAL_PER_STREAM)),
    );
    drop(streams);
    Ok(())
}
