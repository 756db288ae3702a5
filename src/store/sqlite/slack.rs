use super::SqliteStore;
use crate::store::{SlackStore, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl SlackStore for SqliteStore {
    async fn slack_signing_secret(&self, org_id: &str) -> StoreResult<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT signing_secret FROM slack_settings WHERE organization_id = ?")
                .bind(org_id)
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.and_then(|r| r.0))
    }

    async fn set_slack_signing_secret(
        &self,
        org_id: &str,
        sealed: Option<&str>,
        at: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO slack_settings (organization_id, signing_secret, updated_at) \
             VALUES (?,?,?) ON CONFLICT (organization_id) \
             DO UPDATE SET signing_secret = excluded.signing_secret, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(sealed)
        .bind(at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn slack_operator(
        &self,
        org_id: &str,
        slack_user_id: &str,
    ) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT operator_id FROM slack_users WHERE organization_id = ? AND slack_user_id = ?",
        )
        .bind(org_id)
        .bind(slack_user_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| r.0))
    }

    async fn slack_users(&self, org_id: &str) -> StoreResult<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT operator_id, slack_user_id FROM slack_users WHERE organization_id = ? \
             ORDER BY slack_user_id",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?)
    }

    async fn set_slack_user(
        &self,
        org_id: &str,
        operator_id: &str,
        slack_user_id: Option<&str>,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM slack_users WHERE organization_id = ? AND operator_id = ?")
            .bind(org_id)
            .bind(operator_id)
            .execute(&mut *tx)
            .await?;
        if let Some(u) = slack_user_id {
            sqlx::query(
                "INSERT INTO slack_users (organization_id, slack_user_id, operator_id) VALUES (?,?,?)",
            )
            .bind(org_id)
            .bind(u)
            .bind(operator_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
