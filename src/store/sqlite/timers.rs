use super::handoffs::{claim_timer, insert_timer};
use super::{plain_row, SqliteStore};
use crate::domain::records::Timer;
use crate::store::{Claim, StoreResult, TimerStore};
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
    async fn claim_timers(&self, c: &Claim<'_>) -> StoreResult<Vec<Timer>> {
        let mut rows: Vec<TimerRow> = sqlx::query_as(
            "UPDATE timers SET claimed_by = ?1, lease_until = ?2 WHERE id IN ( \
               SELECT id FROM timers WHERE fired_at IS NULL AND due_at <= ?3 \
               AND (lease_until IS NULL OR lease_until <= ?3) ORDER BY due_at LIMIT ?4) \
             RETURNING id, organization_id, handoff_id, kind, due_at, data",
        )
        .bind(c.node)
        .bind(c.until)
        .bind(c.now)
        .bind(c.limit)
        .fetch_all(&self.writer)
        .await?;
        rows.sort_by(|a, b| (&a.due_at, &a.id).cmp(&(&b.due_at, &b.id)));
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
        let (fired_id, now, next) = (fired_id.to_string(), now.to_string(), next.cloned());
        let claimed = self
            .group
            .write(move |c| {
                if !claim_timer(c, &fired_id, &now)? {
                    return Ok(0);
                }
                if let Some(t) = &next {
                    insert_timer(c, t)?;
                }
                Ok(1)
            })
            .await?;
        Ok(claimed == 1)
    }
}
