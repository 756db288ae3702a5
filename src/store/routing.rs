//! Routing: escalation chains, rotations, policies, operators' contact
//! details and channel choices, and the record of every send. JSON columns
//! stay strings here; the service parses and validates them.

use super::StoreResult;
use crate::domain::records::{
    ChainRecord, Contact, NotificationRecord, PolicyRecord, RotationRecord, RoutingSettings,
};
use async_trait::async_trait;

#[async_trait]
pub trait RoutingStore {
    async fn insert_chain(&self, c: &ChainRecord) -> StoreResult<()>;
    /// Saves name, steps and repeat; false if the organization has no such chain.
    async fn update_chain(&self, c: &ChainRecord) -> StoreResult<bool>;
    async fn delete_chain(&self, org_id: &str, id: &str) -> StoreResult<bool>;
    async fn chains(&self, org_id: &str) -> StoreResult<Vec<ChainRecord>>;
    async fn chain(&self, org_id: &str, id: &str) -> StoreResult<Option<ChainRecord>>;

    async fn insert_rotation(&self, r: &RotationRecord) -> StoreResult<()>;
    async fn update_rotation(&self, r: &RotationRecord) -> StoreResult<bool>;
    async fn delete_rotation(&self, org_id: &str, id: &str) -> StoreResult<bool>;
    async fn rotations(&self, org_id: &str) -> StoreResult<Vec<RotationRecord>>;
    async fn rotation(&self, org_id: &str, id: &str) -> StoreResult<Option<RotationRecord>>;

    /// Replaces the organization's policy list (order = `position`): one transaction.
    async fn replace_policies(&self, org_id: &str, list: &[PolicyRecord]) -> StoreResult<()>;
    async fn policies(&self, org_id: &str) -> StoreResult<Vec<PolicyRecord>>;

    async fn routing_settings(&self, org_id: &str) -> StoreResult<RoutingSettings>;
    async fn set_routing_settings(&self, org_id: &str, s: &RoutingSettings) -> StoreResult<()>;

    /// Contact details of every operator of the organization.
    async fn contacts(&self, org_id: &str) -> StoreResult<Vec<Contact>>;
    /// Saves phone and channel choices; false if the organization has no such operator.
    async fn set_contact(&self, org_id: &str, c: &Contact) -> StoreResult<bool>;

    async fn insert_notifications(&self, list: &[NotificationRecord]) -> StoreResult<()>;
    /// The sends of one handoff, oldest first.
    async fn notifications(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> StoreResult<Vec<NotificationRecord>>;
}
