use super::SqliteStore;
use crate::store::{IdemClaim, IdempotencyStore, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl IdempotencyStore for SqliteStore {
    async fn idem_claim(
        &self,
        scope: &str,
        key: &str,
        request_hash: &str,
        now: &str,
    ) -> StoreResult<IdemClaim> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at) VALUES (?,?,?,?) \
             ON CONFLICT (scope, idem_key) DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(request_hash)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(IdemClaim::New);
        }
        let (stored_hash, status, body): (String, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT request_hash, status, response FROM idempotency_keys WHERE scope = ? AND idem_key = ?",
        )
        .bind(scope)
        .bind(key)
        .fetch_one(&self.writer)
        .await?;
        if stored_hash != request_hash {
            return Ok(IdemClaim::Mismatch);
        }
        Ok(match (status, body) {
            (Some(status), Some(body)) => IdemClaim::Replay {
                status: status as u16,
                body,
            },
            _ => IdemClaim::InFlight,
        })
    }

    async fn idem_finish(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = ?, response = ? WHERE scope = ? AND idem_key = ?",
        )
        .bind(status as i64)
        .bind(body)
        .bind(scope)
        .bind(key)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn idem_release(&self, scope: &str, key: &str) -> StoreResult<()> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND status IS NULL",
        )
        .bind(scope)
        .bind(key)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn idem_purge(&self, before: &str) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?")
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }
}
