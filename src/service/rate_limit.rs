//! Per-key request budgets (GCRA via `governor`): API keys, sign-in attempts.

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
