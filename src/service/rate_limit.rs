//! Request budgets: API keys (`ApiBudgets`, shared by the nodes of one
//! database) and sign-in attempts (GCRA via `governor`, per process).

use crate::domain::rate::{Gcra, RateStep};
use governor::clock::DefaultClock;
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;

pub type KeyLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

pub fn limiter(per_minute: u32) -> KeyLimiter {
    let per_minute = NonZeroU32::new(per_minute.max(1)).expect("at least 1");
    RateLimiter::keyed(Quota::per_minute(per_minute))
        .with_middleware::<StateInformationMiddleware>()
}

/// The per-key API budget (`rate_limit_per_minute`). One algorithm
/// (`domain::rate`), one of two places for its state: the store when it is
/// shared by several nodes (PostgreSQL: every node spends the same budget),
/// else this process's memory (SQLite has one node).
pub struct ApiBudgets {
    pub rate: Gcra,
    local: std::sync::Mutex<std::collections::HashMap<String, i64>>,
}

/// What the limit says about one request.
pub struct Verdict {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// When the whole budget is back, in Unix epoch seconds (seed 003).
    pub reset_at: u64,
    /// Seconds until a refused request would be allowed.
    pub retry_after_secs: u64,
}

impl ApiBudgets {
    pub fn new(per_minute: u32) -> ApiBudgets {
        ApiBudgets {
            rate: Gcra::per_minute(per_minute),
            local: Default::default(),
        }
    }

    fn step_locally(&self, key: &str, now_us: i64) -> RateStep {
        let mut map = self.local.lock().expect("budget map");
        let s = self.rate.step(map.get(key).copied(), now_us);
        if s.allowed {
            map.insert(key.to_string(), s.tat_us);
        }
        s
    }

    /// Forgets keys whose budget is full again (same as never seen).
    pub fn forget_full(&self, now_us: i64) {
        self.local
            .lock()
            .expect("budget map")
            .retain(|_, tat| *tat > now_us);
    }
}

fn micros(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_micros()
}

/// Spends one request of `key`'s budget. When the shared budget cannot be
/// reached (the database is down) this node's own count decides, so a
/// request is never refused for that alone.
pub async fn spend(app: &super::App, key: &str) -> Verdict {
    let b = &app.api_budgets;
    let now = micros(chrono::Utc::now());
    let step = match app.store.rate_step(key, now, &b.rate).await {
        Ok(Some(s)) => s,
        Ok(None) => b.step_locally(key, now),
        Err(e) => {
            tracing::warn!(error = %e, "shared rate limit unreachable; this node's count decides");
            b.step_locally(key, now)
        }
    };
    let secs = |us: i64| (us.max(0) as u64).div_ceil(1_000_000);
    Verdict {
        allowed: step.allowed,
        limit: b.rate.limit,
        remaining: if step.allowed {
            b.rate.remaining(&step, now)
        } else {
            0
        },
        reset_at: ((now.max(0) + b.rate.reset_us(&step, now).max(0)) as u64).div_ceil(1_000_000),
        retry_after_secs: secs(b.rate.retry_after_us(&step, now)).max(1),
    }
}

/// Forgets full budgets, in memory and in the store.
pub async fn forget_full(app: &super::App) {
    let now = micros(chrono::Utc::now());
    app.api_budgets.forget_full(now);
    if let Err(e) = app.store.forget_full_budgets(now).await {
        tracing::warn!(error = %e, "forgetting full rate-limit budgets failed");
    }
}
