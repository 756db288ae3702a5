use super::{plain_row, SqliteStore};
use crate::domain::records::{Conversation, Lead};
use crate::store::{LeadStore, StoreResult};
use async_trait::async_trait;

plain_row!(LeadRow => Lead {
    id: String,
    organization_id: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    source: Option<String>,
    created_at: String,
});

#[async_trait]
impl LeadStore for SqliteStore {
    async fn insert_lead(&self, conversation: Option<&Conversation>, l: &Lead) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        if let Some(c) = conversation {
            sqlx::query(
                "INSERT INTO conversations (id, organization_id, external_ref, status, \
                 termination_reason, last_seq, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            )
            .bind(&c.id)
            .bind(&c.organization_id)
            .bind(&c.external_ref)
            .bind(&c.status)
            .bind(&c.termination_reason)
            .bind(c.last_seq)
            .bind(&c.created_at)
            .bind(&c.updated_at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO leads (id, organization_id, name, email, phone, source, created_at) \
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&l.id)
        .bind(&l.organization_id)
        .bind(&l.name)
        .bind(&l.email)
        .bind(&l.phone)
        .bind(&l.source)
        .bind(&l.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn lead(&self, org_id: &str, id: &str) -> StoreResult<Option<Lead>> {
        let row: Option<LeadRow> = sqlx::query_as(
            "SELECT id, organization_id, name, email, phone, source, created_at FROM leads \
             WHERE id = ? AND organization_id = ?",
        )
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(Lead::from))
    }
}
