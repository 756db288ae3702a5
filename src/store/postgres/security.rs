use super::{plain_row, ts, PgStore, Ts};
use crate::domain::records::SecurityEvent;
use crate::store::{SecurityLogStore, StoreResult};
use async_trait::async_trait;

plain_row!(SecurityRow => SecurityEvent {
    id: String,
    organization_id: String,
    created_at: Ts,
    actor: String,
    action: String,
    operator_id: Option<String>,
    data: String,
    notice: String,
});

#[async_trait]
impl SecurityLogStore for PgStore {
    async fn insert_security_event(&self, e: &SecurityEvent) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO security_events \
             (id, organization_id, created_at, actor, action, operator_id, data, notice) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(&e.id)
        .bind(&e.organization_id)
        .bind(ts(&e.created_at)?)
        .bind(&e.actor)
        .bind(&e.action)
        .bind(&e.operator_id)
        .bind(&e.data)
        .bind(&e.notice)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn security_events(&self, org_id: &str, limit: i64) -> StoreResult<Vec<SecurityEvent>> {
        let rows: Vec<SecurityRow> = sqlx::query_as(
            "SELECT id, organization_id, created_at, actor, action, operator_id, data, notice \
             FROM security_events WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(org_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(SecurityEvent::from).collect())
    }
}
