//! The security log: changes to where operators are reached and to the
//! organization's Slack hook (append and read, nothing else).

use super::StoreResult;
use crate::domain::records::SecurityEvent;
use async_trait::async_trait;

#[async_trait]
pub trait SecurityLogStore {
    async fn insert_security_event(&self, e: &SecurityEvent) -> StoreResult<()>;
    /// The organization's newest entries first.
    async fn security_events(&self, org_id: &str, limit: i64) -> StoreResult<Vec<SecurityEvent>>;
}
