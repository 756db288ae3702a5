use super::handoffs::{claim_timer, insert_timer};
use super::{plain_row, SqliteStore};
use crate::domain::records::Timer;
use crate::store::{StoreResult, TimerStore};
use async_trait::async_trait;

plain_row!(TimerRow => Timer {
    id: String,
    organization_id: String,
    handoff_id: String,
    kind: String,
    due_at: String,
    data: Option<String>,
});

#[async_trait]
impl TimerStore for SqliteStore {
    async fn due_timers(&self, now: &str, limit: i64) -> StoreResult<Vec<Timer>> {
        let rows: Vec<TimerRow> = sqlx::query_as(
            "SELECT * FROM timers WHERE fired_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.writer)
        .await?;
        Ok(rows.into_iter().map(Timer::from).collect())
    }

    async fn finish_timer(&self, id: &str, now: &str) -> StoreResult<()> {
        sqlx::query("UPDATE timers SET fired_at = ? WHERE id = ? AND fired_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn reschedule_timer(
        &self,
        fired_id: &str,
        now: &str,
        next: Option<&Timer>,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await?;
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
