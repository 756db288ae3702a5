//! What an operator of several nodes watches: counters, gauges and latency
//! histograms in Prometheus text format, scraped at `GET /metrics` (with the
//! configured token) or on a separate address. One recorder per process; every
//! series carries the `node` label, so the nodes behind a load balancer can be
//! told apart. Label values come from fixed sets (route templates, kinds,
//! states, channels), never from request data, so cardinality stays bounded.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Seconds: from a fast API call to a slow page or a webhook POST timing out.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Installs the recorder once (the first caller names the node).
pub fn install(node: &str) -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .add_global_label("node", node)
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder already installed (an embedding program): keep it.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// The text exposition of every series.
pub fn render() -> String {
    HANDLE.get().map(|h| h.render()).unwrap_or_default()
}

pub fn request(route: &str, method: &str, status: u16, seconds: f64) {
    let labels = [
        ("route", route.to_string()),
        ("method", method.to_string()),
        ("status", status.to_string()),
    ];
    metrics::counter!("tapin_http_requests_total", &labels).increment(1);
    metrics::histogram!(
        "tapin_http_request_duration_seconds",
        "route" => route.to_string(),
        "method" => method.to_string()
    )
    .record(seconds);
}

pub fn created(kind: &str) {
    metrics::counter!("tapin_handoffs_created_total", "kind" => kind.to_string()).increment(1);
}

pub fn transition(kind: &str, event: &str, to: &str) {
    metrics::counter!(
        "tapin_transitions_total",
        "kind" => kind.to_string(),
        "event" => event.to_string(),
        "to" => to.to_string()
    )
    .increment(1);
}

/// A write that lost an optimistic race and was planned again.
pub fn lost_race(what: &'static str) {
    metrics::counter!("tapin_lost_races_total", "race" => what).increment(1);
}

pub fn notification(channel: &str, outcome: &str) {
    metrics::counter!(
        "tapin_notifications_total",
        "channel" => channel.to_string(),
        "outcome" => outcome.to_string()
    )
    .increment(1);
}

pub fn delivery(outcome: &'static str, seconds: f64) {
    metrics::counter!("tapin_webhook_attempts_total", "outcome" => outcome).increment(1);
    metrics::histogram!("tapin_webhook_attempt_duration_seconds").record(seconds);
}

/// How long the oldest event waiting for fan-out has waited.
pub fn outbox_lag(seconds: f64) {
    metrics::gauge!("tapin_outbox_lag_seconds").set(seconds);
}

/// Work a worker of this node claimed (timers fired, outbox rows fanned out, deliveries tried).
pub fn claimed(worker: &'static str, n: usize) {
    metrics::counter!("tapin_worker_claims_total", "worker" => worker).increment(n as u64);
}

/// One group commit on SQLite: how many writes shared its transaction and fsync.
pub fn write_batch(writes: usize) {
    metrics::histogram!("tapin_sqlite_batch_writes").record(writes as f64);
}

/// An open SSE stream or long-poll; the gauge goes down when the guard drops.
pub struct OpenStream(&'static str);

impl OpenStream {
    pub fn new(kind: &'static str) -> Self {
        metrics::gauge!("tapin_open_streams", "kind" => kind).increment(1.0);
        OpenStream(kind)
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!("tapin_open_streams", "kind" => self.0).decrement(1.0);
    }
}

/// Connections of a database pool: in use and idle.
pub fn pool(name: &'static str, size: u32, idle: usize) {
    metrics::gauge!("tapin_db_connections", "pool" => name, "state" => "idle").set(idle as f64);
    metrics::gauge!("tapin_db_connections", "pool" => name, "state" => "busy")
        .set(size.saturating_sub(idle as u32) as f64);
}
