use super::{plain_row, ts, PgStore, Ts};
use crate::domain::records::{
    ChainRecord, Contact, NotificationRecord, PolicyRecord, RotationRecord, RoutingSettings,
};
use crate::store::{RoutingStore, StoreResult};
use async_trait::async_trait;

plain_row!(ChainRow => ChainRecord {
    id: String,
    organization_id: String,
    name: String,
    steps: String,
    repeat_count: i64,
    created_at: Ts,
    updated_at: Ts,
});

plain_row!(RotationRow => RotationRecord {
    id: String,
    organization_id: String,
    name: String,
    operators: String,
    starts_at: Ts,
    overrides: String,
    created_at: Ts,
    updated_at: Ts,
});

plain_row!(PolicyRow => PolicyRecord {
    id: String,
    organization_id: String,
    position: i64,
    name: String,
    condition: String,
    actions: String,
    created_at: Ts,
    updated_at: Ts,
});

plain_row!(NotificationRow => NotificationRecord {
    id: String,
    organization_id: String,
    handoff_id: String,
    operator_id: Option<String>,
    channel: String,
    step: i64,
    outcome: String,
    detail: Option<String>,
    created_at: Ts,
});

plain_row!(ContactRow => Contact { operator_id: String, phone: Option<String>, channels: Option<String> });

plain_row!(SettingsRow => RoutingSettings { default_chain_id: Option<String>, slack_webhook_url: Option<String> });

#[async_trait]
impl RoutingStore for PgStore {
    async fn insert_chain(&self, c: &ChainRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO escalation_chains (id, organization_id, name, steps, repeat_count, \
             created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        )
        .bind(&c.id)
        .bind(&c.organization_id)
        .bind(&c.name)
        .bind(&c.steps)
        .bind(c.repeat_count)
        .bind(ts(&c.created_at)?)
        .bind(ts(&c.updated_at)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn update_chain(&self, c: &ChainRecord) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE escalation_chains SET name = $1, steps = $2, repeat_count = $3, updated_at = $4 \
             WHERE id = $5 AND organization_id = $6",
        )
        .bind(&c.name)
        .bind(&c.steps)
        .bind(c.repeat_count)
        .bind(ts(&c.updated_at)?)
        .bind(&c.id)
        .bind(&c.organization_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_chain(&self, org_id: &str, id: &str) -> StoreResult<bool> {
        let done =
            sqlx::query("DELETE FROM escalation_chains WHERE id = $1 AND organization_id = $2")
                .bind(id)
                .bind(org_id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn chains(&self, org_id: &str) -> StoreResult<Vec<ChainRecord>> {
        let rows: Vec<ChainRow> = sqlx::query_as(
            "SELECT * FROM escalation_chains WHERE organization_id = $1 ORDER BY name, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(ChainRecord::from).collect())
    }

    async fn chain(&self, org_id: &str, id: &str) -> StoreResult<Option<ChainRecord>> {
        let row: Option<ChainRow> = sqlx::query_as(
            "SELECT * FROM escalation_chains WHERE id = $1 AND organization_id = $2",
        )
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(ChainRecord::from))
    }

    async fn insert_rotation(&self, r: &RotationRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO rotations (id, organization_id, name, operators, starts_at, overrides, \
             created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(&r.id)
        .bind(&r.organization_id)
        .bind(&r.name)
        .bind(&r.operators)
        .bind(ts(&r.starts_at)?)
        .bind(&r.overrides)
        .bind(ts(&r.created_at)?)
        .bind(ts(&r.updated_at)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn update_rotation(&self, r: &RotationRecord) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE rotations SET name = $1, operators = $2, starts_at = $3, overrides = $4, \
             updated_at = $5 WHERE id = $6 AND organization_id = $7",
        )
        .bind(&r.name)
        .bind(&r.operators)
        .bind(ts(&r.starts_at)?)
        .bind(&r.overrides)
        .bind(ts(&r.updated_at)?)
        .bind(&r.id)
        .bind(&r.organization_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_rotation(&self, org_id: &str, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM rotations WHERE id = $1 AND organization_id = $2")
            .bind(id)
            .bind(org_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn rotations(&self, org_id: &str) -> StoreResult<Vec<RotationRecord>> {
        let rows: Vec<RotationRow> =
            sqlx::query_as("SELECT * FROM rotations WHERE organization_id = $1 ORDER BY name, id")
                .bind(org_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(RotationRecord::from).collect())
    }

    async fn rotation(&self, org_id: &str, id: &str) -> StoreResult<Option<RotationRecord>> {
        let row: Option<RotationRow> =
            sqlx::query_as("SELECT * FROM rotations WHERE id = $1 AND organization_id = $2")
                .bind(id)
                .bind(org_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(RotationRecord::from))
    }

    async fn replace_policies(&self, org_id: &str, list: &[PolicyRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM policies WHERE organization_id = $1")
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        for p in list {
            sqlx::query(
                "INSERT INTO policies (id, organization_id, position, name, condition, actions, \
                 created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
            )
            .bind(&p.id)
            .bind(org_id)
            .bind(p.position)
            .bind(&p.name)
            .bind(&p.condition)
            .bind(&p.actions)
            .bind(ts(&p.created_at)?)
            .bind(ts(&p.updated_at)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn policies(&self, org_id: &str) -> StoreResult<Vec<PolicyRecord>> {
        let rows: Vec<PolicyRow> = sqlx::query_as(
            "SELECT * FROM policies WHERE organization_id = $1 ORDER BY position, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(PolicyRecord::from).collect())
    }

    async fn routing_settings(&self, org_id: &str) -> StoreResult<RoutingSettings> {
        let row: Option<SettingsRow> = sqlx::query_as(
            "SELECT default_chain_id, slack_webhook_url FROM organizations WHERE id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(RoutingSettings::from).unwrap_or_default())
    }

    async fn set_routing_settings(&self, org_id: &str, s: &RoutingSettings) -> StoreResult<()> {
        sqlx::query(
            "UPDATE organizations SET default_chain_id = $1, slack_webhook_url = $2 WHERE id = $3",
        )
        .bind(&s.default_chain_id)
        .bind(&s.slack_webhook_url)
        .bind(org_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn contacts(&self, org_id: &str) -> StoreResult<Vec<Contact>> {
        let rows: Vec<ContactRow> = sqlx::query_as(
            "SELECT id AS operator_id, phone, channels FROM operators WHERE organization_id = $1",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Contact::from).collect())
    }

    async fn set_contact(&self, org_id: &str, c: &Contact) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE operators SET phone = $1, channels = $2 WHERE id = $3 AND organization_id = $4",
        )
        .bind(&c.phone)
        .bind(&c.channels)
        .bind(&c.operator_id)
        .bind(org_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_notifications(&self, list: &[NotificationRecord]) -> StoreResult<()> {
        if list.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for n in list {
            sqlx::query(
                "INSERT INTO notifications (id, organization_id, handoff_id, operator_id, channel, \
                 step, outcome, detail, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
            )
            .bind(&n.id)
            .bind(&n.organization_id)
            .bind(&n.handoff_id)
            .bind(&n.operator_id)
            .bind(&n.channel)
            .bind(n.step)
            .bind(&n.outcome)
            .bind(&n.detail)
            .bind(ts(&n.created_at)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn notifications(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> StoreResult<Vec<NotificationRecord>> {
        let rows: Vec<NotificationRow> = sqlx::query_as(
            "SELECT * FROM notifications WHERE organization_id = $1 AND handoff_id = $2 \
             ORDER BY created_at, id",
        )
        .bind(org_id)
        .bind(handoff_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(NotificationRecord::from).collect())
    }
}
