//! SQLite side of `RoutingStore`.

use super::{insert_timer, SqliteStore};
use crate::error::AppError;
use crate::store::routing::*;
use crate::store::Timer;
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn chain_row(r: &SqliteRow) -> ChainRecord {
    ChainRecord {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        name: r.get("name"),
        steps: r.get("steps"),
        repeat_count: r.get("repeat_count"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

fn rotation_row(r: &SqliteRow) -> RotationRecord {
    RotationRecord {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        name: r.get("name"),
        operators: r.get("operators"),
        starts_at: r.get("starts_at"),
        overrides: r.get("overrides"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

fn policy_row(r: &SqliteRow) -> PolicyRecord {
    PolicyRecord {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        position: r.get("position"),
        name: r.get("name"),
        condition: r.get("condition"),
        actions: r.get("actions"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

fn notification_row(r: &SqliteRow) -> NotificationRecord {
    NotificationRecord {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        handoff_id: r.get("handoff_id"),
        operator_id: r.get("operator_id"),
        channel: r.get("channel"),
        step: r.get("step"),
        outcome: r.get("outcome"),
        detail: r.get("detail"),
        created_at: r.get("created_at"),
    }
}

#[async_trait]
impl RoutingStore for SqliteStore {
    async fn insert_chain(&self, c: &ChainRecord) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO escalation_chains (id, organization_id, name, steps, repeat_count, \
             created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&c.id)
        .bind(&c.organization_id)
        .bind(&c.name)
        .bind(&c.steps)
        .bind(c.repeat_count)
        .bind(&c.created_at)
        .bind(&c.updated_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn update_chain(&self, c: &ChainRecord) -> Result<bool, AppError> {
        let done = sqlx::query(
            "UPDATE escalation_chains SET name = ?, steps = ?, repeat_count = ?, updated_at = ? \
             WHERE id = ? AND organization_id = ?",
        )
        .bind(&c.name)
        .bind(&c.steps)
        .bind(c.repeat_count)
        .bind(&c.updated_at)
        .bind(&c.id)
        .bind(&c.organization_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_chain(&self, org_id: &str, id: &str) -> Result<bool, AppError> {
        let done =
            sqlx::query("DELETE FROM escalation_chains WHERE id = ? AND organization_id = ?")
                .bind(id)
                .bind(org_id)
                .execute(&self.writer)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn chains(&self, org_id: &str) -> Result<Vec<ChainRecord>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM escalation_chains WHERE organization_id = ? ORDER BY name, id",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(chain_row).collect())
    }

    async fn chain(&self, org_id: &str, id: &str) -> Result<Option<ChainRecord>, AppError> {
        let row =
            sqlx::query("SELECT * FROM escalation_chains WHERE id = ? AND organization_id = ?")
                .bind(id)
                .bind(org_id)
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.as_ref().map(chain_row))
    }

    async fn insert_rotation(&self, r: &RotationRecord) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO rotations (id, organization_id, name, operators, starts_at, overrides, \
             created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        )
        .bind(&r.id)
        .bind(&r.organization_id)
        .bind(&r.name)
        .bind(&r.operators)
        .bind(&r.starts_at)
        .bind(&r.overrides)
        .bind(&r.created_at)
        .bind(&r.updated_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn update_rotation(&self, r: &RotationRecord) -> Result<bool, AppError> {
        let done = sqlx::query(
            "UPDATE rotations SET name = ?, operators = ?, starts_at = ?, overrides = ?, \
             updated_at = ? WHERE id = ? AND organization_id = ?",
        )
        .bind(&r.name)
        .bind(&r.operators)
        .bind(&r.starts_at)
        .bind(&r.overrides)
        .bind(&r.updated_at)
        .bind(&r.id)
        .bind(&r.organization_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_rotation(&self, org_id: &str, id: &str) -> Result<bool, AppError> {
        let done = sqlx::query("DELETE FROM rotations WHERE id = ? AND organization_id = ?")
            .bind(id)
            .bind(org_id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn rotations(&self, org_id: &str) -> Result<Vec<RotationRecord>, AppError> {
        let rows =
            sqlx::query("SELECT * FROM rotations WHERE organization_id = ? ORDER BY name, id")
                .bind(org_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.iter().map(rotation_row).collect())
    }

    async fn rotation(&self, org_id: &str, id: &str) -> Result<Option<RotationRecord>, AppError> {
        let row = sqlx::query("SELECT * FROM rotations WHERE id = ? AND organization_id = ?")
            .bind(id)
            .bind(org_id)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.as_ref().map(rotation_row))
    }

    async fn replace_policies(&self, org_id: &str, list: &[PolicyRecord]) -> Result<(), AppError> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM policies WHERE organization_id = ?")
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        for p in list {
            sqlx::query(
                "INSERT INTO policies (id, organization_id, position, name, condition, actions, \
                 created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            )
            .bind(&p.id)
            .bind(org_id)
            .bind(p.position)
            .bind(&p.name)
            .bind(&p.condition)
            .bind(&p.actions)
            .bind(&p.created_at)
            .bind(&p.updated_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn policies(&self, org_id: &str) -> Result<Vec<PolicyRecord>, AppError> {
        let rows =
            sqlx::query("SELECT * FROM policies WHERE organization_id = ? ORDER BY position, id")
                .bind(org_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.iter().map(policy_row).collect())
    }

    async fn routing_settings(&self, org_id: &str) -> Result<RoutingSettings, AppError> {
        let row = sqlx::query(
            "SELECT default_chain_id, slack_webhook_url FROM organizations WHERE id = ?",
        )
        .bind(org_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row
            .map(|r| RoutingSettings {
                default_chain_id: r.get("default_chain_id"),
                slack_webhook_url: r.get("slack_webhook_url"),
            })
            .unwrap_or_default())
    }

    async fn set_routing_settings(
        &self,
        org_id: &str,
        s: &RoutingSettings,
    ) -> Result<(), AppError> {
        sqlx::query(
            "UPDATE organizations SET default_chain_id = ?, slack_webhook_url = ? WHERE id = ?",
        )
        .bind(&s.default_chain_id)
        .bind(&s.slack_webhook_url)
        .bind(org_id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn contacts(&self, org_id: &str) -> Result<Vec<Contact>, AppError> {
        let rows =
            sqlx::query("SELECT id, phone, channels FROM operators WHERE organization_id = ?")
                .bind(org_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows
            .iter()
            .map(|r| Contact {
                operator_id: r.get("id"),
                phone: r.get("phone"),
                channels: r.get("channels"),
            })
            .collect())
    }

    async fn set_contact(&self, org_id: &str, c: &Contact) -> Result<bool, AppError> {
        let done = sqlx::query(
            "UPDATE operators SET phone = ?, channels = ? WHERE id = ? AND organization_id = ?",
        )
        .bind(&c.phone)
        .bind(&c.channels)
        .bind(&c.operator_id)
        .bind(org_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_notifications(&self, list: &[NotificationRecord]) -> Result<(), AppError> {
        if list.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await?;
        for n in list {
            sqlx::query(
                "INSERT INTO notifications (id, organization_id, handoff_id, operator_id, channel, \
                 step, outcome, detail, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            )
            .bind(&n.id)
            .bind(&n.organization_id)
            .bind(&n.handoff_id)
            .bind(&n.operator_id)
            .bind(&n.channel)
            .bind(n.step)
            .bind(&n.outcome)
            .bind(&n.detail)
            .bind(&n.created_at)
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
    ) -> Result<Vec<NotificationRecord>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM notifications WHERE organization_id = ? AND handoff_id = ? \
             ORDER BY created_at, id",
        )
        .bind(org_id)
        .bind(handoff_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(notification_row).collect())
    }

    async fn reschedule_timer(
        &self,
        fired_id: &str,
        now: &str,
        next: Option<&Timer>,
    ) -> Result<bool, AppError> {
        let mut tx = self.writer.begin().await?;
        let claimed =
            sqlx::query("UPDATE timers SET fired_at = ? WHERE id = ? AND fired_at IS NULL")
                .bind(now)
                .bind(fired_id)
                .execute(&mut *tx)
                .await?;
        if claimed.rows_affected() == 0 {
            return Ok(false);
        }
        if let Some(t) = next {
            insert_timer(&mut tx, t).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
