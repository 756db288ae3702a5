//! Who may act: API keys, operators, their passwords and sessions.

use super::StoreResult;
use crate::domain::records::{ApiKeyRecord, Operator, Session, SessionGrant};
use async_trait::async_trait;

#[async_trait]
pub trait ApiKeyStore {
    async fn insert_api_key(&self, key: &ApiKeyRecord, key_hash: &str) -> StoreResult<()>;
    /// The key with this hash, and its organization's routing set-up version
    /// read in the same statement (so a creation needs no read of its own).
    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<(ApiKeyRecord, i64)>>;
    /// Revokes a key of the organization by id or by its printed prefix; false if none matched.
    async fn revoke_api_key(
        &self,
        org_id: &str,
        id_or_prefix: &str,
        now: &str,
    ) -> StoreResult<bool>;
    async fn api_keys(&self, org_id: &str) -> StoreResult<Vec<ApiKeyRecord>>;
}

#[async_trait]
pub trait OperatorStore {
    /// `Duplicate` when the email is taken in the organization.
    async fn insert_operator(&self, op: &Operator) -> StoreResult<()>;
    async fn operator_by_email(&self, org_id: &str, email: &str) -> StoreResult<Option<Operator>>;
    async fn operator_by_id(&self, id: &str) -> StoreResult<Option<Operator>>;
    async fn operators(&self, org_id: &str) -> StoreResult<Vec<Operator>>;
    /// Changes roles and/or the active flag of an operator of the organization; false if none.
    async fn update_operator(
        &self,
        org_id: &str,
        id: &str,
        roles: Option<&[String]>,
        active: Option<bool>,
    ) -> StoreResult<bool>;
    async fn set_password_hash(&self, operator_id: &str, hash: &str) -> StoreResult<()>;
    async fn password_hash(&self, operator_id: &str) -> StoreResult<Option<String>>;
    async fn insert_session(&self, grant: &SessionGrant) -> StoreResult<()>;
    /// The session of an active operator that has not expired at `now`.
    async fn session(&self, token_hash: &str, now: &str) -> StoreResult<Option<Session>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Deletes sessions that expired before `now`; returns how many.
    async fn purge_sessions(&self, now: &str) -> StoreResult<u64>;
    async fn nonce_used(&self, nonce: &str) -> StoreResult<bool>;
}
