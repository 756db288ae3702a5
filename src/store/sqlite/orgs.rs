use super::{plain_row, SqliteStore};
use crate::domain::records::Org;
use crate::store::{OrgStore, StoreResult};
use async_trait::async_trait;

plain_row!(OrgRow => Org { id: String, slug: String, name: String, created_at: String });

#[async_trait]
impl OrgStore for SqliteStore {
    async fn insert_org(&self, org: &Org) -> StoreResult<()> {
        sqlx::query("INSERT INTO organizations (id, slug, name, created_at) VALUES (?,?,?,?)")
            .bind(&org.id)
            .bind(&org.slug)
            .bind(&org.name)
            .bind(&org.created_at)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn org_by_slug(&self, slug: &str) -> StoreResult<Option<Org>> {
        let row: Option<OrgRow> = sqlx::query_as("SELECT * FROM organizations WHERE slug = ?")
            .bind(slug)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.map(Org::from))
    }

    async fn orgs(&self) -> StoreResult<Vec<Org>> {
        let rows: Vec<OrgRow> =
            sqlx::query_as("SELECT * FROM organizations ORDER BY created_at, id")
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.into_iter().map(Org::from).collect())
    }

    async fn secret_or_insert(&self, name: &str, fresh: &str, now: &str) -> StoreResult<String> {
        sqlx::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES (?,?,?) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .bind(now)
        .execute(&self.writer)
        .await?;
        let (value,): (String,) = sqlx::query_as("SELECT value FROM server_secrets WHERE name = ?")
            .bind(name)
            .fetch_one(&self.writer)
            .await?;
        Ok(value)
    }

    async fn replace_secret(&self, name: &str, old: &str, new: &str) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE server_secrets SET value = ? WHERE name = ? AND value = ?")
            .bind(new)
            .bind(name)
            .bind(old)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn response_target(&self, org_id: &str) -> StoreResult<i64> {
        let (seconds,): (i64,) =
            sqlx::query_as("SELECT response_target_seconds FROM organizations WHERE id = ?")
                .bind(org_id)
                .fetch_one(&self.reader)
                .await?;
        Ok(seconds)
    }

    async fn set_response_target(&self, org_id: &str, seconds: i64) -> StoreResult<()> {
        sqlx::query("UPDATE organizations SET response_target_seconds = ? WHERE id = ?")
            .bind(seconds)
            .bind(org_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn time_zone(&self, org_id: &str) -> StoreResult<String> {
        let (zone,): (String,) = sqlx::query_as("SELECT time_zone FROM organizations WHERE id = ?")
            .bind(org_id)
            .fetch_one(&self.reader)
            .await?;
        Ok(zone)
    }

    async fn setup_version(&self, org_id: &str) -> StoreResult<i64> {
        let v: Option<(i64,)> =
            sqlx::query_as("SELECT setup_version FROM organizations WHERE id = ?")
                .bind(org_id)
                .fetch_optional(&self.reader)
                .await?;
        Ok(v.map_or(0, |(v,)| v))
    }

    async fn set_time_zone(&self, org_id: &str, zone: &str) -> StoreResult<()> {
        sqlx::query("UPDATE organizations SET time_zone = ? WHERE id = ?")
            .bind(zone)
            .bind(org_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}
