use super::{plain_row, ts, PgStore, Ts};
use crate::domain::records::PushSubscription;
use crate::store::{PushStore, StoreResult};
use async_trait::async_trait;

plain_row!(PushRow => PushSubscription {
    endpoint: String,
    organization_id: String,
    operator_id: String,
    p256dh: String,
    auth: String,
    created_at: Ts,
});

#[async_trait]
impl PushStore for PgStore {
    async fn save_push_subscription(&self, p: &PushSubscription) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO push_subscriptions \
             (endpoint, organization_id, operator_id, p256dh, auth, created_at) \
             VALUES ($1,$2,$3,$4,$5,$6) \
             ON CONFLICT (endpoint) DO UPDATE SET organization_id = excluded.organization_id, \
             operator_id = excluded.operator_id, p256dh = excluded.p256dh, auth = excluded.auth",
        )
        .bind(&p.endpoint)
        .bind(&p.organization_id)
        .bind(&p.operator_id)
        .bind(&p.p256dh)
        .bind(&p.auth)
        .bind(ts(&p.created_at)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn push_subscriptions(&self, operator_id: &str) -> StoreResult<Vec<PushSubscription>> {
        let rows: Vec<PushRow> = sqlx::query_as(
            "SELECT * FROM push_subscriptions WHERE operator_id = $1 ORDER BY created_at, endpoint",
        )
        .bind(operator_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(PushSubscription::from).collect())
    }

    async fn org_push_subscriptions(&self, org_id: &str) -> StoreResult<Vec<PushSubscription>> {
        let rows: Vec<PushRow> = sqlx::query_as(
            "SELECT * FROM push_subscriptions WHERE organization_id = $1 \
             ORDER BY operator_id, created_at, endpoint",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(PushSubscription::from).collect())
    }

    async fn delete_push_subscription(
        &self,
        endpoint: &str,
        operator_id: Option<&str>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "DELETE FROM push_subscriptions WHERE endpoint = $1 \
             AND ($2::text IS NULL OR operator_id = $2)",
        )
        .bind(endpoint)
        .bind(operator_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
