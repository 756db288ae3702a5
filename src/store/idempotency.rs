//! Idempotency keys: the first response of a request, kept for replays.

use super::StoreResult;
use async_trait::async_trait;

/// The outcome of claiming an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdemClaim {
    /// First use: run the request, then `idem_finish`.
    New,
    /// Same key and body as an earlier request: its stored response.
    Replay { status: u16, body: String },
    /// Same key, different body.
    Mismatch,
    /// The first request with this key is still running.
    InFlight,
}

#[async_trait]
pub trait IdempotencyStore {
    async fn idem_claim(
        &self,
        scope: &str,
        key: &str,
        request_hash: &str,
        now: &str,
    ) -> StoreResult<IdemClaim>;
    async fn idem_finish(&self, scope: &str, key: &str, status: u16, body: &str)
        -> StoreResult<()>;
    /// Forgets a claim whose request failed before producing a response worth replaying.
    async fn idem_release(&self, scope: &str, key: &str) -> StoreResult<()>;
    async fn idem_purge(&self, before: &str) -> StoreResult<u64>;
}
