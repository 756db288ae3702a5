//! Organizations and the server's own secrets.

use super::StoreResult;
use crate::domain::records::Org;
use async_trait::async_trait;

#[async_trait]
pub trait OrgStore {
    /// `Duplicate` when the slug is taken.
    async fn insert_org(&self, org: &Org) -> StoreResult<()>;
    async fn org_by_slug(&self, slug: &str) -> StoreResult<Option<Org>>;
    async fn orgs(&self) -> StoreResult<Vec<Org>>;
    /// Returns the named secret, storing `fresh` first if none exists yet.
    async fn secret_or_insert(&self, name: &str, fresh: &str, now: &str) -> StoreResult<String>;
    /// Overwrites the named secret if it still holds `old` (a clear value being
    /// sealed); false if another node changed it first.
    async fn replace_secret(&self, name: &str, old: &str, new: &str) -> StoreResult<bool>;
    /// Seconds within which an open handoff should be picked up.
    async fn response_target(&self, org_id: &str) -> StoreResult<i64>;
    async fn set_response_target(&self, org_id: &str, seconds: i64) -> StoreResult<()>;
    /// The organization's IANA time zone name (`UTC` until an admin sets one).
    async fn time_zone(&self, org_id: &str) -> StoreResult<String>;
    async fn set_time_zone(&self, org_id: &str, zone: &str) -> StoreResult<()>;
    /// The version of the organization's routing set-up: every change to its
    /// policies, chains, rotations, operators, push devices or settings bumps
    /// it in the same transaction (triggers); 0 for an unknown organization.
    async fn setup_version(&self, org_id: &str) -> StoreResult<i64>;
}
