//! Deadlines stored as rows, so they survive a restart and fire once.

use super::StoreResult;
use crate::domain::records::Timer;
use async_trait::async_trait;

#[async_trait]
pub trait TimerStore {
    async fn due_timers(&self, now: &str, limit: i64) -> StoreResult<Vec<Timer>>;
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
