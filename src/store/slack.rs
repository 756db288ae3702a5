//! Slack interactivity: the organization's signing secret (stored sealed) and
//! which Slack user is which operator.

use super::StoreResult;
use async_trait::async_trait;

#[async_trait]
pub trait SlackStore {
    /// The organization's signing secret as stored (sealed), if one is set.
    async fn slack_signing_secret(&self, org_id: &str) -> StoreResult<Option<String>>;
    /// Sets (`Some`, sealed) or clears (`None`) the signing secret.
    async fn set_slack_signing_secret(
        &self,
        org_id: &str,
        sealed: Option<&str>,
        at: &str,
    ) -> StoreResult<()>;
    /// The operator id a Slack user of the organization is linked to.
    async fn slack_operator(
        &self,
        org_id: &str,
        slack_user_id: &str,
    ) -> StoreResult<Option<String>>;
    /// Every link of the organization: (operator id, Slack user id).
    async fn slack_users(&self, org_id: &str) -> StoreResult<Vec<(String, String)>>;
    /// Links the operator to a Slack user, replacing any link it had (`None`:
    /// unlinks). `Duplicate` when another operator has that Slack user.
    async fn set_slack_user(
        &self,
        org_id: &str,
        operator_id: &str,
        slack_user_id: Option<&str>,
    ) -> StoreResult<()>;
}
