//! Browsers' Web Push subscriptions.

use super::StoreResult;
use crate::domain::records::PushSubscription;
use async_trait::async_trait;

#[async_trait]
pub trait PushStore {
    /// Stores the subscription; an endpoint seen before now belongs to this operator.
    async fn save_push_subscription(&self, s: &PushSubscription) -> StoreResult<()>;
    async fn push_subscriptions(&self, operator_id: &str) -> StoreResult<Vec<PushSubscription>>;
    /// Every subscription of the organization's operators (one read per new handoff).
    async fn org_push_subscriptions(&self, org_id: &str) -> StoreResult<Vec<PushSubscription>>;
    /// Deletes by endpoint (optionally only the operator's own); true if one was removed.
    async fn delete_push_subscription(
        &self,
        endpoint: &str,
        operator_id: Option<&str>,
    ) -> StoreResult<bool>;
}
