//! Seed 003's leads (insert with their conversation, read: nothing else).

use super::StoreResult;
use crate::domain::records::{Conversation, Lead};
use async_trait::async_trait;

#[async_trait]
pub trait LeadStore {
    /// The lead, and its new conversation when one is given, in one
    /// transaction. `Duplicate` when the conversation already has a lead.
    async fn insert_lead(
        &self,
        conversation: Option<&Conversation>,
        lead: &Lead,
    ) -> StoreResult<()>;
    async fn lead(&self, org_id: &str, id: &str) -> StoreResult<Option<Lead>>;
}
