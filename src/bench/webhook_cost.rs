//! Section 2, last lines: the creations again with one webhook subscription.
//! tapin queues a change's event for webhooks (its outbox row) only where the
//! organization has a subscription, so the lines above measure an
//! organization without one; here every creation is also claimed, fanned out
//! and posted to a receiver on loopback. No goal: it shows what webhooks cost.

use super::client::id_of;
use super::report::{ms, Report};
use super::server::Server;
use super::write_path::{closed_loop, Peak};
use super::Params;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How long the deliveries may take to catch up with the loop.
const CATCH_UP: Duration = Duration::from_secs(30);

pub async fn run(
    r: &mut Report,
    s: &Server,
    p: &Params,
    in_flight: usize,
    raw: f64,
    body: &(dyn Fn(usize) -> (String, Value) + Sync),
) -> Result<(), String> {
    let receiver = Receiver::start().await?;
    let hook = s
        .api
        .post_ok(
            "/api/v1/webhooks",
            &json!({"url": receiver.url, "events": ["*"]}),
        )
        .await?;
    let hook_id = id_of(&hook)?;
    let outcome = measure(s, p, in_flight, body, &receiver).await;
    // The sections after this one measure an organization without webhooks.
    s.api
        .delete_ok(&format!("/api/v1/webhooks/{hook_id}"))
        .await?;
    let (peak, during, caught_up) = outcome?;
    r.figure(
        &format!("(b) POST /api/v1/handoffs with a webhook subscribed, {in_flight} in flight"),
        &format!(
            "{:.0} /s ({} requests) · b/a {:.2} · server CPU {} per request",
            peak.rate,
            peak.done,
            peak.rate / raw,
            ms(peak.server_cpu)
        ),
        None,
    );
    r.figure(
        "    webhook posts received",
        &format!(
            "{during} while the loop ran; {} for its {} creations {}",
            receiver.count(),
            peak.done,
            match caught_up {
                Some(t) => format!("{:.2} s after it ended", t.as_secs_f64()),
                None => format!("when the bench stopped waiting ({} s)", CATCH_UP.as_secs()),
            }
        ),
        None,
    );
    Ok(())
}

/// The loop, the posts that arrived while it ran, and how long after its
/// end the last of its events arrived (`None`: not within `CATCH_UP`).
async fn measure(
    s: &Server,
    p: &Params,
    in_flight: usize,
    body: &(dyn Fn(usize) -> (String, Value) + Sync),
    receiver: &Receiver,
) -> Result<(Peak, usize, Option<Duration>), String> {
    let before = receiver.count();
    let peak = closed_loop(s, p, p.write_requests, in_flight, body).await?;
    let during = receiver.count() - before;
    let ended = Instant::now();
    let want = before + peak.done;
    while receiver.count() < want {
        let left = CATCH_UP.saturating_sub(ended.elapsed());
        if left.is_zero()
            || tokio::time::timeout(left, receiver.posted.notified())
                .await
                .is_err()
        {
            return Ok((peak, during, None));
        }
    }
    Ok((peak, during, Some(ended.elapsed())))
}

/// A webhook receiver on 127.0.0.1 that counts the posts it answers (204).
struct Receiver {
    url: String,
    posts: Arc<AtomicUsize>,
    posted: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start() -> Result<Receiver, String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("webhook receiver: {e}"))?;
        let url = format!(
            "http://{}/hook",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let (posts, posted) = (Arc::new(AtomicUsize::new(0)), Arc::new(Notify::new()));
        let (n, wake) = (posts.clone(), posted.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move || {
                let (n, wake) = (n.clone(), wake.clone());
                async move {
                    n.fetch_add(1, Ordering::Relaxed);
                    wake.notify_one();
                    axum::http::StatusCode::NO_CONTENT
                }
            }),
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Receiver {
            url,
            posts,
            posted,
            task,
        })
    }

    fn count(&self) -> usize {
        self.posts.load(Ordering::Relaxed)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}
