//! The storage port: one thin trait per aggregate, each returning
//! `StoreError`, and one folder per backend below it. The store writes the
//! finished rows the domain built (`domain::writes`) and reads records back;
//! it decides nothing. The service maps `StoreError` to `AppError`.

mod access;
mod approvals;
mod audit;
mod conversations;
pub mod error;
mod handoffs;
mod idempotency;
mod orgs;
mod push;
mod routing;
mod sqlite;
mod timers;
mod webhooks;

pub use access::{ApiKeyStore, OperatorStore};
pub use approvals::ApprovalStore;
pub use audit::{AuditChain, AuditStore, TraceRow};
pub use conversations::ConversationStore;
pub use error::{Race, StoreError, StoreResult};
pub use handoffs::{HandoffQuery, HandoffStore};
pub use idempotency::{IdemClaim, IdempotencyStore};
pub use orgs::OrgStore;
pub use push::PushStore;
pub use routing::RoutingStore;
pub use sqlite::SqliteStore;
pub use timers::TimerStore;
pub use webhooks::WebhookStore;

use async_trait::async_trait;
use std::sync::Arc;

/// Every aggregate's storage, as one object the service holds.
#[async_trait]
pub trait Store:
    OrgStore
    + ApiKeyStore
    + OperatorStore
    + ConversationStore
    + HandoffStore
    + ApprovalStore
    + TimerStore
    + IdempotencyStore
    + AuditStore
    + WebhookStore
    + PushStore
    + RoutingStore
    + Send
    + Sync
    + 'static
{
    /// Cheap liveness check of the database.
    async fn ping(&self) -> StoreResult<()>;
}

pub type DynStore = Arc<dyn Store>;

/// Opens the store named by a database URL and brings its schema up to date.
pub async fn open(database_url: &str) -> Result<DynStore, String> {
    if database_url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(database_url).await?))
    } else {
        Err(format!(
            "unsupported database URL `{database_url}`: this build supports sqlite://PATH"
        ))
    }
}
