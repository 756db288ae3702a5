use super::{ts, PgStore};
use crate::store::{IdemClaim, IdempotencyStore, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl IdempotencyStore for PgStore {
    async fn idem_claim(
        &self,
        scope: &str,
        key: &str,
        request_hash: &str,
        now: &str,
    ) -> StoreResult<IdemClaim> {
        // A concurrent claim of the same key waits for this insert's commit,
        // then does nothing: exactly one caller gets `New`.
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at) \
             VALUES ($1,$2,$3,$4) ON CONFLICT (scope, idem_key) DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(request_hash)
        .bind(ts(now)?)
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(IdemClaim::New);
        }
        let (stored_hash, status, body): (String, Option<i32>, Option<String>) = sqlx::query_as(
            "SELECT request_hash, status, response FROM idempotency_keys \
             WHERE scope = $1 AND idem_key = $2",
        )
        .bind(scope)
        .bind(key)
        .fetch_one(&self.pool)
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
            "UPDATE idempotency_keys SET status = $1, response = $2 \
             WHERE scope = $3 AND idem_key = $4",
        )
        .bind(i32::from(status))
        .bind(body)
        .bind(scope)
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn idem_release(&self, scope: &str, key: &str) -> StoreResult<()> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND status IS NULL",
        )
        .bind(scope)
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn idem_purge(&self, before: &str) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(ts(before)?)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
