//! Storage of routing: escalation chains, rotations, policies, operators'
//! contact details and channel choices, and the record of every send. JSON
//! columns stay strings here; the service parses and validates them.

use crate::error::AppError;
use async_trait::async_trait;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainRecord {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    /// JSON `[{targets, wait_seconds}]`.
    pub steps: String,
    pub repeat_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationRecord {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    /// JSON array of operator ids in turn order.
    pub operators: String,
    pub starts_at: String,
    /// JSON `[{operator_id, starts_at, ends_at}]`.
    pub overrides: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRecord {
    pub id: String,
    pub organization_id: String,
    pub position: i64,
    pub name: String,
    pub condition: String,
    /// JSON `{route, priority, auto_resolve, expire_after_seconds}`.
    pub actions: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoutingSettings {
    pub default_chain_id: Option<String>,
    pub slack_webhook_url: Option<String>,
}

/// How to reach an operator besides the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub operator_id: String,
    pub phone: Option<String>,
    /// JSON `{urgency: [channel]}`; `None`: the defaults.
    pub channels: Option<String>,
}

/// One send on one channel (or why there was none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationRecord {
    pub id: String,
    pub organization_id: String,
    pub handoff_id: String,
    pub operator_id: Option<String>,
    pub channel: String,
    pub step: i64,
    /// `sent`, `failed` or `skipped`.
    pub outcome: String,
    pub detail: Option<String>,
    pub created_at: String,
}

#[async_trait]
pub trait RoutingStore {
    async fn insert_chain(&self, c: &ChainRecord) -> Result<(), AppError>;
    /// Saves name, steps and repeat; false if the organization has no such chain.
    async fn update_chain(&self, c: &ChainRecord) -> Result<bool, AppError>;
    async fn delete_chain(&self, org_id: &str, id: &str) -> Result<bool, AppError>;
    async fn chains(&self, org_id: &str) -> Result<Vec<ChainRecord>, AppError>;
    async fn chain(&self, org_id: &str, id: &str) -> Result<Option<ChainRecord>, AppError>;

    async fn insert_rotation(&self, r: &RotationRecord) -> Result<(), AppError>;
    async fn update_rotation(&self, r: &RotationRecord) -> Result<bool, AppError>;
    async fn delete_rotation(&self, org_id: &str, id: &str) -> Result<bool, AppError>;
    async fn rotations(&self, org_id: &str) -> Result<Vec<RotationRecord>, AppError>;
    async fn rotation(&self, org_id: &str, id: &str) -> Result<Option<RotationRecord>, AppError>;

    /// Replaces the organization's policy list (order = `position`): one transaction.
    async fn replace_policies(&self, org_id: &str, list: &[PolicyRecord]) -> Result<(), AppError>;
    async fn policies(&self, org_id: &str) -> Result<Vec<PolicyRecord>, AppError>;

    async fn routing_settings(&self, org_id: &str) -> Result<RoutingSettings, AppError>;
    async fn set_routing_settings(&self, org_id: &str, s: &RoutingSettings)
        -> Result<(), AppError>;

    /// Contact details of every operator of the organization.
    async fn contacts(&self, org_id: &str) -> Result<Vec<Contact>, AppError>;
    /// Saves phone and channel choices; false if the organization has no such operator.
    async fn set_contact(&self, org_id: &str, c: &Contact) -> Result<bool, AppError>;

    async fn insert_notifications(&self, list: &[NotificationRecord]) -> Result<(), AppError>;
    /// The sends of one handoff, oldest first.
    async fn notifications(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> Result<Vec<NotificationRecord>, AppError>;

    /// Claims a fired timer that led to no transition and stores the one that
    /// follows it, in one transaction; false if it had already fired.
    async fn reschedule_timer(
        &self,
        fired_id: &str,
        now: &str,
        next: Option<&super::Timer>,
    ) -> Result<bool, AppError>;
}
