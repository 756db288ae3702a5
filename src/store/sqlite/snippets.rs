use super::{plain_row, SqliteStore};
use crate::domain::records::Snippet;
use crate::store::{SnippetStore, StoreResult};
use async_trait::async_trait;

plain_row!(SnippetRow => Snippet {
    id: String,
    organization_id: String,
    shortcut: String,
    body: String,
    created_at: String,
});

#[async_trait]
impl SnippetStore for SqliteStore {
    async fn insert_snippet(&self, s: &Snippet) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO snippets (id, organization_id, shortcut, body, created_at) \
             VALUES (?,?,?,?,?)",
        )
        .bind(&s.id)
        .bind(&s.organization_id)
        .bind(&s.shortcut)
        .bind(&s.body)
        .bind(&s.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn snippets(&self, org_id: &str) -> StoreResult<Vec<Snippet>> {
        let rows: Vec<SnippetRow> = sqlx::query_as(
            "SELECT id, organization_id, shortcut, body, created_at FROM snippets \
             WHERE organization_id = ? ORDER BY shortcut",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(Snippet::from).collect())
    }

    async fn delete_snippet(&self, org_id: &str, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM snippets WHERE id = ? AND organization_id = ?")
            .bind(id)
            .bind(org_id)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
