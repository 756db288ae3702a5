//! Idempotency keys: a retried POST gets the first answer, not a second effect.

use super::{now, App};
use crate::error::AppError;
pub use crate::store::IdemClaim;

/// Claims `key` for the request with hash `request_hash` (or finds its answer).
pub async fn claim(
    app: &App,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> Result<IdemClaim, AppError> {
    Ok(app
        .store
        .idem_claim(scope, key, request_hash, &now())
        .await?)
}

/// Stores the answer to replay for later requests with the same key.
pub async fn finish(
    app: &App,
    scope: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), AppError> {
    Ok(app.store.idem_finish(scope, key, status, body).await?)
}

/// Forgets a claim whose request produced nothing worth replaying.
pub async fn release(app: &App, scope: &str, key: &str) -> Result<(), AppError> {
    Ok(app.store.idem_release(scope, key).await?)
}
