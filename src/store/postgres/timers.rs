use super::handoffs::{claim_timer, insert_timer};
use super::{plain_row, ts, PgStore, Ts};
use crate::domain::records::Timer;
use crate::store::{StoreResult, TimerStore};
use async_trait::async_trait;

plain_row!(TimerRow => Timer {
    id: String,
    organization_id: String,
    handoff_id: String,
    kind: String,
    due_at: Ts,
    data: Option<String>,
});

#[async_trait]
impl TimerStore for PgStore {
    async fn due_timers(&self, now: &str, limit: i64) -> StoreResult<Vec<Timer>> {
        // A plain read, as in SQLite: a timer fires once because its claim
        // (`claim_timer`, with the transition it causes) is the guarded write.
        let rows: Vec<TimerRow> = sqlx::query_as(
            "SELECT * FROM timers WHERE fired_at IS NULL AND due_at <= $1 \
             ORDER BY due_at LIMIT $2",
        )
        .bind(ts(now)?)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Timer::from).collect())
    }

    async fn finish_timer(&self, id: &str, now: &str) -> StoreResult<()> {
        sqlx::query("UPDATE timers SET fired_at = $1 WHERE id = $2 AND fired_at IS NULL")
            .bind(ts(now)?)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn reschedule_timer(
        &self,
        fired_id: &str,
        now: &str,
        next: Option<&Timer>,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        if !claim_timer(&mut tx, fired_id, now).await? {
            return Ok(false);
        }
        if let Some(t) = next {
            insert_timer(&mut tx, t).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
