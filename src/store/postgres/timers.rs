use super::handoffs::{claim_timer, insert_timer};
use super::{plain_row, ts, PgStore, Ts};
use crate::domain::records::Timer;
use crate::store::{Claim, StoreResult, TimerStore};
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
    async fn claim_timers(&self, c: &Claim<'_>) -> StoreResult<Vec<Timer>> {
        // The lease spares the other nodes the work; a timer still fires once
        // because its claim in the transition (`claim_timer`) is guarded.
        let rows: Vec<TimerRow> = sqlx::query_as(
            "UPDATE timers SET claimed_by = $1, lease_until = $2 WHERE id IN ( \
               SELECT id FROM timers WHERE fired_at IS NULL AND due_at <= $3 \
               AND (lease_until IS NULL OR lease_until <= $3) ORDER BY due_at LIMIT $4 \
               FOR UPDATE SKIP LOCKED) \
             RETURNING id, organization_id, handoff_id, kind, due_at, data",
        )
        .bind(c.node)
        .bind(ts(c.until)?)
        .bind(ts(c.now)?)
        .bind(c.limit)
        .fetch_all(&self.pool)
        .await?;
        let mut timers: Vec<Timer> = rows.into_iter().map(Timer::from).collect();
        timers.sort_by(|a, b| (&a.due_at, &a.id).cmp(&(&b.due_at, &b.id)));
        Ok(timers)
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
