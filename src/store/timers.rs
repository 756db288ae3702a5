//! Deadlines stored as rows, so they survive a restart and fire once.

use super::{Claim, StoreResult};
use crate::domain::records::Timer;
use async_trait::async_trait;

#[async_trait]
pub trait TimerStore {
    /// Leases up to `limit` timers due at `c.now` that have not fired and are
    /// not leased by a live claim, oldest first. The lease spares the other
    /// nodes the work; firing stays guarded by `fired_at` in the transition.
    async fn claim_timers(&self, c: &Claim<'_>) -> StoreResult<Vec<Timer>>;
    async fn finish_timer(&self, id: &str, now: &str) -> StoreResult<()>;
    /// Claims a fired timer that led to no transition and stores the one that
    /// follows it, in one transaction; false if it had already fired.
    async fn reschedule_timer(
        &self,
        fired_id: &str,
        now: &str,
        next: Option<&Timer>,
    ) -> StoreResult<bool>;
}
