//! Approval details, the organization's approval messages, workflow nodes.

use super::StoreResult;
use crate::domain::approval::Approval;
use crate::domain::quorum::Vote;
use async_trait::async_trait;
use std::collections::HashMap;

#[async_trait]
pub trait ApprovalStore {
    /// The approval with its votes.
    async fn approval(&self, handoff_id: &str) -> StoreResult<Option<Approval>>;
    /// A quorum approval's votes, oldest first.
    async fn approval_votes(&self, handoff_id: &str) -> StoreResult<Vec<Vote>>;
    /// The approvals of several handoffs at once (lists, the inbox), by handoff id.
    async fn approvals_for(&self, handoff_ids: &[String])
        -> StoreResult<HashMap<String, Approval>>;
    /// `(holding_line, waiting_reply)` of the organization.
    async fn approval_messages(&self, org_id: &str) -> StoreResult<(String, String)>;
    async fn set_approval_messages(
        &self,
        org_id: &str,
        holding_line: &str,
        waiting_reply: &str,
    ) -> StoreResult<()>;
    async fn put_node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
        definition: &str,
        now: &str,
    ) -> StoreResult<()>;
    async fn node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
    ) -> StoreResult<Option<String>>;
}
