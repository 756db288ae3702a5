//! Use cases: what the REST API, the server functions and the CLI all call.

pub mod admin;
pub mod agents;
pub mod answers;
pub mod approvals;
pub mod assist;
pub mod audit;
pub mod bulk;
pub mod caps;
pub mod capture;
pub mod channels;
pub mod conversations;
pub mod decide_links;
pub mod demo;
pub mod escalation;
pub mod escalations;
pub mod handoffs;
pub mod housekeeping;
pub mod idempotency;
pub mod intake;
pub mod keyring;
pub mod keys;
pub mod leads;
pub mod lifecycle;
pub mod links;
pub mod master_key;
pub mod orgs;
pub mod passwords;
pub mod push;
pub mod rate_limit;
pub mod routing;
pub mod security_log;
pub mod sessions;
pub mod setup;
pub mod shared_reads;
pub mod similar;
pub mod slack;
pub mod snippets;
mod store_errors;
pub mod time_to_human;
pub mod timeouts;
pub mod trace;
pub mod wakeups;
pub mod webhooks;
pub mod workflows;

use crate::config::Config;
use crate::store::DynStore;
use std::sync::Arc;

/// Shared by every request: the store, the settings, the link-signing key and
/// the in-process bus that wakes live streams and long-polls after a commit.
/// One `Arc`: every extractor and layer clones the app, and cloning twenty
/// `Arc`s each time was 2 % of the write path's CPU.
#[derive(Clone)]
pub struct App(Arc<Parts>);

impl std::ops::Deref for App {
    type Target = Parts;
    fn deref(&self) -> &Parts {
        &self.0
    }
}

/// What the app holds (reached through `App`'s `Deref`).
pub struct Parts {
    pub store: DynStore,
    pub config: Arc<Config>,
    link_key: Arc<Vec<u8>>,
    pub bus: tokio::sync::broadcast::Sender<Notice>,
    /// The same notices by handoff and conversation, for listeners that
    /// follow one of them (`wakeups`): a commit wakes only its own followers.
    pub wakeups: Arc<wakeups::Hub>,
    /// The store reads of listeners woken together, run once (`shared_reads`).
    pub shared_reads: Arc<shared_reads::SharedReads>,
    /// Each organization's routing set-up as last read, by version (`setup`).
    pub setup: Arc<setup::SetupCache>,
    /// This process among the nodes sharing the database (random per start).
    pub node_id: Arc<str>,
    /// Each API key's request budget (`rate_limit_per_minute`), on all nodes.
    pub api_budgets: Arc<rate_limit::ApiBudgets>,
    /// Sign-in attempts per account (10 a minute).
    pub login_limiter: Arc<rate_limit::KeyLimiter>,
    /// Sign-in attempts per client address, and of the whole server.
    pub login_per_address: Arc<rate_limit::KeyLimiter>,
    pub login_total: Arc<rate_limit::KeyLimiter>,
    /// SMS and voice sends per organization per minute.
    pub paid_limiter: Arc<rate_limit::KeyLimiter>,
    /// Open streams and long-polls per API key and per operator.
    pub streams: Arc<caps::StreamSlots>,
    /// Web Push key pair and the HTTP client that delivers pushes.
    pub vapid: Arc<push::Vapid>,
    /// The guarded outbound client (`channels::guard`): public targets only
    /// unless `allow_private_targets`, no redirects.
    pub http: crate::channels::guard::Outbound,
    /// Seals and opens stored secrets; signs audit checkpoints (the master key's uses).
    pub keys: Arc<keyring::Keyring>,
}

/// "Something committed for this organization / handoff / conversation."
/// Listeners re-read the store, so a missed notice never loses data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    #[serde(rename = "o")]
    pub organization_id: String,
    #[serde(rename = "h", default)]
    pub handoff_id: Option<String>,
    #[serde(rename = "c", default)]
    pub conversation_id: Option<String>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct WireNotice {
    /// The node that committed (a node skips its own notices).
    n: String,
    #[serde(flatten)]
    notice: Notice,
}

impl Notice {
    /// The notice as another node receives it (ids only: it re-reads the rows).
    pub fn to_wire(&self, node_id: &str) -> String {
        serde_json::to_string(&WireNotice {
            n: node_id.to_string(),
            notice: self.clone(),
        })
        .expect("a notice serializes")
    }

    /// A notice another node sent; `None` for this node's own or a garbled one.
    pub fn from_wire(payload: &str, node_id: &str) -> Option<Notice> {
        let w: WireNotice = serde_json::from_str(payload).ok()?;
        (w.n != node_id).then_some(w.notice)
    }
}

impl App {
    /// Loads the master key and (creating them on first start) the server
    /// secrets; seals secrets an older version stored in clear.
    pub async fn new(store: DynStore, config: Config) -> Result<App, String> {
        let keys = keyring::Keyring::new(&master_key::load(&config)?);
        let key = keys
            .server_secret(&store, "link_signing_key", || {
                hex::encode(random_bytes::<32>())
            })
            .await?;
        let link_key = hex::decode(key).map_err(|_| "stored link signing key is not hex")?;
        let vapid = push::load_vapid(&store, &keys).await?;
        let http = crate::channels::guard::Outbound::new(config.allow_private_targets)?;
        let app = App(Arc::new(Parts {
            keys: Arc::new(keys),
            vapid: Arc::new(vapid),
            http,
            store,
            link_key: Arc::new(link_key),
            bus: tokio::sync::broadcast::channel(1024).0,
            wakeups: Arc::default(),
            shared_reads: Arc::default(),
            setup: Arc::default(),
            node_id: hex::encode(random_bytes::<8>()).into(),
            api_budgets: Arc::new(rate_limit::ApiBudgets::new(config.rate_limit_per_minute)),
            login_limiter: Arc::new(rate_limit::limiter(10)),
            login_per_address: Arc::new(rate_limit::limiter(config.sign_in_per_address_per_minute)),
            login_total: Arc::new(rate_limit::limiter(passwords::PER_SERVER_PER_MINUTE)),
            paid_limiter: Arc::new(rate_limit::limiter(config.paid_notifications_per_minute)),
            streams: Arc::default(),
            config: Arc::new(config),
        }));
        keyring::seal_clear_rows(&app).await?;
        Ok(app)
    }

    /// Wakes listeners after a commit (no receivers is fine), on this node at
    /// once and on the other nodes of the same database through the store.
    pub fn announce(&self, org_id: &str, handoff_id: Option<&str>, conversation_id: Option<&str>) {
        let notice = Notice {
            organization_id: org_id.to_string(),
            handoff_id: handoff_id.map(str::to_string),
            conversation_id: conversation_id.map(str::to_string),
        };
        if self.store.backend() != "sqlite" {
            let (store, payload) = (self.store.clone(), notice.to_wire(&self.node_id));
            tokio::spawn(async move {
                if let Err(e) = store.publish(&payload).await {
                    tracing::warn!(error = %e, "could not tell the other nodes about a commit");
                }
            });
        }
        self.deliver(notice);
    }

    /// Hands a commit notice (this node's or another's) to its listeners.
    pub fn deliver(&self, notice: Notice) {
        self.wakeups.wake(&notice);
        let _ = self.bus.send(notice);
    }

    /// Starts following one handoff or conversation (see `wakeups`).
    pub fn watch(&self, key: wakeups::Key) -> wakeups::Watch {
        self.wakeups.watch(key)
    }

    pub(crate) fn link_key(&self) -> &[u8] {
        &self.link_key
    }
}

/// This node's view of its database (`/api/v1/healthz`): which backend, and
/// whether it answers within two seconds. Pools reconnect by themselves, so a
/// database that comes back is seen at the next check.
pub struct Health {
    pub backend: &'static str,
    pub reachable: bool,
}

pub async fn health(app: &App) -> Health {
    let ping = tokio::time::timeout(std::time::Duration::from_secs(2), app.store.ping()).await;
    let reachable = matches!(ping, Ok(Ok(())));
    if !reachable {
        tracing::warn!(?ping, "database health check failed");
    }
    Health {
        backend: app.store.backend(),
        reachable,
    }
}

/// Publishes the pools' connection counts to `/metrics`.
pub fn report_pools(app: &App) {
    for (name, size, idle) in app.store.pools() {
        crate::telemetry::pool(name, size, idle);
    }
}

/// How long a node holds work it claimed (`worker_lease_seconds`); a node that
/// dies holding it delays the work by at most this much.
pub fn lease_duration(app: &App) -> chrono::Duration {
    chrono::Duration::seconds(app.config.worker_lease_seconds.max(1) as i64)
}

/// The end of a lease taken now.
pub fn lease_until(app: &App) -> String {
    format_time(chrono::Utc::now() + lease_duration(app))
}

/// RFC 3339 UTC with microseconds: sorts lexicographically in the database.
pub fn now() -> String {
    format_time(chrono::Utc::now())
}

pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Time-ordered UUIDv7.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(data))
}

/// Parses a path id: anything that is not a UUID cannot exist, so it is a 404.
pub fn parse_id(raw: &str, what: &str) -> Result<String, crate::error::AppError> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| crate::error::AppError::not_found(what))
}
