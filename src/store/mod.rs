//! The storage port: one thin trait per aggregate, each returning
//! `StoreError`, and one folder per backend below it. The store writes the
//! finished rows the domain built (`domain::writes`) and reads records back;
//! it decides nothing. The service maps `StoreError` to `AppError`.

mod access;
mod approvals;
mod assist;
mod audit;
mod conversations;
pub mod error;
mod handoffs;
mod idempotency;
mod leads;
mod orgs;
mod postgres;
mod push;
mod routing;
mod security;
mod slack;
mod snippets;
mod sqlite;
mod timers;
mod webhooks;

pub use access::{ApiKeyStore, OperatorStore};
pub use approvals::ApprovalStore;
pub use assist::AssistStore;
pub use audit::{AuditChain, AuditStore, TraceRow};
pub use conversations::ConversationStore;
pub use error::{Race, StoreError, StoreResult};
pub use handoffs::{contains_pattern, HandoffQuery, HandoffStore};
pub use idempotency::{IdemClaim, IdempotencyStore};
pub use leads::LeadStore;
pub use orgs::OrgStore;
pub use postgres::PgStore;
pub use push::PushStore;
pub use routing::RoutingStore;
pub use security::SecurityLogStore;
pub use slack::SlackStore;
pub use snippets::SnippetStore;
pub use sqlite::SqliteStore;
pub use timers::TimerStore;
pub(crate) use webhooks::attempt_columns;
pub use webhooks::WebhookStore;

pub use crate::domain::rate::{Gcra, RateStep};
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
    + AssistStore
    + TimerStore
    + IdempotencyStore
    + AuditStore
    + WebhookStore
    + PushStore
    + RoutingStore
    + SecurityLogStore
    + SnippetStore
    + LeadStore
    + SlackStore
    + Send
    + Sync
    + 'static
{
    /// Cheap liveness check of the database.
    async fn ping(&self) -> StoreResult<()>;
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Each connection pool: (name, open connections, idle ones).
    fn pools(&self) -> Vec<(&'static str, u32, usize)>;
    /// Tells the other nodes on this database that something committed
    /// (`payload` is opaque here). SQLite has one node: nothing to do.
    async fn publish(&self, payload: &str) -> StoreResult<()>;
    /// What the other nodes publish, as it arrives; `None` where there can be
    /// no other node (SQLite).
    async fn listen(&self) -> StoreResult<Option<tokio::sync::mpsc::Receiver<String>>>;
    /// One step of `key`'s request budget for every node of the database,
    /// atomically (`crate::domain::rate::step`, times in microseconds).
    /// `None` where this process is the only node (SQLite): the budget is
    /// kept in memory.
    async fn rate_step(&self, key: &str, now_us: i64, rate: &Gcra)
        -> StoreResult<Option<RateStep>>;
    /// Forgets budgets that are full again (their arrival time has passed).
    async fn forget_full_budgets(&self, now_us: i64) -> StoreResult<()>;
}

pub type DynStore = Arc<dyn Store>;

/// A worker's claim on due work: this node leases up to `limit` rows due at
/// `now` until `until`; after that another node may take them over.
pub struct Claim<'a> {
    pub node: &'a str,
    pub now: &'a str,
    pub until: &'a str,
    pub limit: i64,
}

/// The database URL as it may be printed: any password replaced by `***`.
pub fn printable_url(database_url: &str) -> String {
    postgres::redact(database_url)
}

/// Opens the store named by a database URL and brings its schema up to date:
/// `sqlite:` (the default) or `postgres://` / `postgresql://` (docs/postgres.md).
pub async fn open(database_url: &str) -> Result<DynStore, String> {
    if database_url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(database_url).await?))
    } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::open(database_url).await?))
    } else {
        // Only the scheme: the rest of a URL may carry a password.
        let scheme = database_url.split_once(':').map_or("", |(s, _)| s);
        Err(format!(
            "unsupported database URL scheme `{scheme}`: use sqlite://PATH, \
             postgres://USER@HOST:PORT/DATABASE or postgresql://…"
        ))
    }
}
