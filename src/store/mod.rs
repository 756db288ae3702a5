//! Storage interface. The only place SQL lives is below this module; a
//! PostgreSQL implementation joins `sqlite.rs` behind the same trait.

mod routing;
mod sqlite;

pub use routing::*;

pub use sqlite::SqliteStore;

use crate::domain::approval::Approval;
use crate::domain::audit::ChainedEvent;
use crate::domain::{Handoff, Kind, Plan, State};
use crate::error::AppError;
use async_trait::async_trait;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Org {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyRecord {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    pub id: String,
    pub organization_id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    pub active: bool,
    pub created_at: String,
}

/// A webhook subscription; `events` holds names or `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    pub id: String,
    pub organization_id: String,
    pub url: String,
    pub events: Vec<String>,
    pub secret: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Webhook {
    pub fn wants(&self, topic: &str) -> bool {
        self.events.iter().any(|e| e == "*" || e == topic)
    }
}

/// One event on its way to one subscription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub id: String,
    pub webhook_id: String,
    pub organization_id: String,
    pub event_id: String,
    /// What it is delivered in order within: the handoff of a lifecycle
    /// event, the conversation of a message.
    pub ordering_key: String,
    /// Position within `ordering_key` (audit seq, or message seq).
    pub seq: i64,
    /// Null for a message written while no handoff was open.
    pub handoff_id: Option<String>,
    /// Set for `conversation.message`.
    pub conversation_id: Option<String>,
    pub topic: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

/// What one delivery attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    Delivered {
        status: i64,
    },
    /// Try again at `next_at`.
    Retry {
        status: Option<i64>,
        error: String,
        next_at: String,
    },
    /// Give up: a 4xx that retrying cannot fix, or the retry window is over.
    Dead {
        status: Option<i64>,
        error: String,
    },
}

/// A browser's Web Push subscription (RFC 8030 endpoint + RFC 8291 keys, base64url).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushSubscription {
    pub endpoint: String,
    pub organization_id: String,
    pub operator_id: String,
    pub p256dh: String,
    pub auth: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    pub id: String,
    pub organization_id: String,
    pub external_ref: Option<String>,
    pub status: String,
    pub termination_reason: Option<String>,
    pub status_reason: Option<String>,
    pub last_seq: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub seq: i64,
    pub author: String,
    pub content: String,
    pub created_at: String,
}

/// A message to append; the store assigns the next `seq`.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub id: String,
    pub author: String,
    pub content: String,
    pub created_at: String,
    /// Client-chosen reference: appending the same one twice returns the first message.
    pub client_ref: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub operator_id: String,
    pub organization_id: String,
    pub expires_at: String,
}

/// A session started inside a transition (signed link consumed → cookie).
#[derive(Clone, Debug)]
pub struct SessionGrant {
    pub token_hash: String,
    pub operator_id: String,
    pub organization_id: String,
    pub created_at: String,
    pub expires_at: String,
}

/// The audit row and outbox entry written with a change; hashes are added by the store.
#[derive(Clone, Debug)]
pub struct EventDraft {
    pub id: String,
    pub event: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub data: serde_json::Value,
    pub created_at: String,
    pub topic: String,
    pub outbox_id: String,
}

/// A deadline stored as a row (approval timeout, escalation step, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timer {
    pub id: String,
    pub organization_id: String,
    pub handoff_id: String,
    pub kind: String,
    pub due_at: String,
    /// What the timer is about (an escalation's position), JSON.
    pub data: Option<String>,
}

/// Agent-to-agent details (seed 002).
#[derive(Clone, Debug, PartialEq)]
pub struct AgentDetails {
    pub from_agent: String,
    pub to_agent: String,
    pub handoff_time: Option<String>,
    pub context: serde_json::Value,
}

/// A new handoff together with what its creation changes, all in one transaction.
#[derive(Clone, Debug)]
pub struct NewHandoff {
    pub handoff: Handoff,
    /// Conversation status to set with the creation (takeover → `waiting_for_human`).
    pub conversation_status: Option<String>,
    /// A message appended to the conversation (the approval holding line).
    pub message: Option<NewMessage>,
    pub approval: Option<Approval>,
    pub agent: Option<AgentDetails>,
    pub timers: Vec<Timer>,
    pub event: EventDraft,
}

/// The outcome of claiming an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdemClaim {
    /// First use: run the request, then `idem_finish`.
    New,
    /// Same key and body as an earlier request: its stored response.
    Replay { status: u16, body: String },
    /// Same key, different body.
    Mismatch,
    /// The first request with this key is still running.
    InFlight,
}

/// One transition: the plan chosen by the domain for the loaded handoff, plus
/// what the service adds around it.
pub struct Change {
    pub plan: Plan,
    pub event: EventDraft,
    pub session: Option<SessionGrant>,
    /// A timer that fired and caused this change: claimed in the same
    /// transaction, which fails with a conflict if it had already fired.
    pub timer_fired: Option<String>,
    /// Deadlines the change starts (the next escalation step).
    pub timers: Vec<Timer>,
}

/// Filter and page for handoff lists: newest first, `before` is the cursor (an id).
#[derive(Clone, Debug, Default)]
pub struct HandoffQuery {
    pub states: Option<Vec<State>>,
    pub kind: Option<Kind>,
    pub decision: Option<String>,
    pub before: Option<String>,
    pub limit: i64,
}

/// Decides the change from the freshly loaded handoff, inside the transaction.
pub type Decide<'a> = &'a (dyn Fn(&Handoff) -> Result<Change, AppError> + Send + Sync);
/// Checks a conversation before a message is appended, inside the transaction.
pub type Guard<'a> = &'a (dyn Fn(&Conversation) -> Result<(), AppError> + Send + Sync);

#[derive(Clone, Debug)]
pub struct AuditChain {
    pub events: Vec<ChainedEvent>,
    pub head_seq: i64,
    pub head_hash: String,
}

#[async_trait]
pub trait Store: RoutingStore + Send + Sync + 'static {
    /// Cheap liveness check of the database.
    async fn ping(&self) -> Result<(), AppError>;

    // Organizations, keys, operators.
    async fn insert_org(&self, org: &Org) -> Result<(), AppError>;
    async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>, AppError>;
    async fn orgs(&self) -> Result<Vec<Org>, AppError>;
    async fn insert_api_key(&self, key: &ApiKeyRecord, key_hash: &str) -> Result<(), AppError>;
    async fn api_key_by_hash(&self, key_hash: &str) -> Result<Option<ApiKeyRecord>, AppError>;
    /// Revokes a key of the organization by id or by its printed prefix; false if none matched.
    async fn revoke_api_key(
        &self,
        org_id: &str,
        id_or_prefix: &str,
        now: &str,
    ) -> Result<bool, AppError>;
    async fn insert_operator(&self, op: &Operator) -> Result<(), AppError>;
    async fn operator_by_email(
        &self,
        org_id: &str,
        email: &str,
    ) -> Result<Option<Operator>, AppError>;
    async fn operator_by_id(&self, id: &str) -> Result<Option<Operator>, AppError>;
    async fn operators(&self, org_id: &str) -> Result<Vec<Operator>, AppError>;
    /// Changes roles and/or the active flag of an operator of the organization; false if none.
    async fn update_operator(
        &self,
        org_id: &str,
        id: &str,
        roles: Option<&[String]>,
        active: Option<bool>,
    ) -> Result<bool, AppError>;
    async fn api_keys(&self, org_id: &str) -> Result<Vec<ApiKeyRecord>, AppError>;
    async fn set_password_hash(&self, operator_id: &str, hash: &str) -> Result<(), AppError>;
    async fn password_hash(&self, operator_id: &str) -> Result<Option<String>, AppError>;
    async fn insert_session(&self, grant: &SessionGrant) -> Result<(), AppError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), AppError>;
    /// Deletes sessions that expired before `now`; returns how many.
    async fn purge_sessions(&self, now: &str) -> Result<u64, AppError>;

    // Conversations.
    async fn insert_conversation(&self, c: &Conversation) -> Result<(), AppError>;
    async fn conversation(&self, org_id: &str, id: &str) -> Result<Option<Conversation>, AppError>;
    /// Appends with the next seq; `guard` may refuse (closed conversation, …).
    async fn append_message(
        &self,
        org_id: &str,
        conversation_id: &str,
        msg: NewMessage,
        guard: Guard<'_>,
    ) -> Result<Message, AppError>;
    /// Messages with `since_seq < seq <= up_to_seq`, in order.
    async fn messages(
        &self,
        conversation_id: &str,
        since_seq: i64,
        up_to_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Message>, AppError>;

    // Handoffs and their lifecycle.
    async fn create_handoff(&self, new: NewHandoff) -> Result<(), AppError>;
    async fn handoff(&self, org_id: &str, id: &str) -> Result<Option<Handoff>, AppError>;
    /// Looks a handoff up without a tenant (signed links carry no organization).
    async fn handoff_any_org(&self, id: &str) -> Result<Option<Handoff>, AppError>;
    async fn handoffs(&self, org_id: &str, q: &HandoffQuery) -> Result<Vec<Handoff>, AppError>;
    /// Loads, decides, writes with a version check, appends the chained audit
    /// row and the outbox row: one transaction.
    async fn transition(
        &self,
        org_id: &str,
        id: &str,
        decide: Decide<'_>,
    ) -> Result<Handoff, AppError>;

    // Approvals, nodes, agent details.
    async fn approval(&self, handoff_id: &str) -> Result<Option<Approval>, AppError>;
    /// The approvals of several handoffs at once (lists, the inbox), by handoff id.
    async fn approvals_for(
        &self,
        handoff_ids: &[String],
    ) -> Result<std::collections::HashMap<String, Approval>, AppError>;
    async fn agent_details(&self, handoff_id: &str) -> Result<Option<AgentDetails>, AppError>;
    async fn approval_messages(&self, org_id: &str) -> Result<(String, String), AppError>;
    async fn set_approval_messages(
        &self,
        org_id: &str,
        holding_line: &str,
        waiting_reply: &str,
    ) -> Result<(), AppError>;
    async fn put_node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
        definition: &str,
        now: &str,
    ) -> Result<(), AppError>;
    async fn node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
    ) -> Result<Option<String>, AppError>;

    // Timers.
    async fn due_timers(&self, now: &str, limit: i64) -> Result<Vec<Timer>, AppError>;
    async fn finish_timer(&self, id: &str, now: &str) -> Result<(), AppError>;

    // Idempotency.
    async fn idem_claim(
        &self,
        scope: &str,
        key: &str,
        request_hash: &str,
        now: &str,
    ) -> Result<IdemClaim, AppError>;
    async fn idem_finish(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), AppError>;
    /// Forgets a claim whose request failed before producing a response worth replaying.
    async fn idem_release(&self, scope: &str, key: &str) -> Result<(), AppError>;
    async fn idem_purge(&self, before: &str) -> Result<u64, AppError>;

    // Audit.
    /// Events after `after_seq` (of one handoff, or the whole organization), oldest first.
    /// The organization's newest audit events, newest first.
    async fn recent_events(&self, org_id: &str, limit: i64) -> Result<Vec<ChainedEvent>, AppError>;
    async fn events_after(
        &self,
        org_id: &str,
        handoff_id: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<ChainedEvent>, AppError>;
    async fn audit_chain(&self, org_id: &str) -> Result<AuditChain, AppError>;
    /// The organization's latest audit seq (0 before the first event).
    async fn audit_head(&self, org_id: &str) -> Result<i64, AppError>;
    async fn handoff_events(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> Result<Vec<ChainedEvent>, AppError>;

    // Webhooks.
    async fn insert_webhook(&self, w: &Webhook) -> Result<(), AppError>;
    async fn webhooks(&self, org_id: &str) -> Result<Vec<Webhook>, AppError>;
    async fn webhook(&self, org_id: &str, id: &str) -> Result<Option<Webhook>, AppError>;
    /// Saves url, events and secret of an existing subscription; false if none.
    async fn update_webhook(&self, w: &Webhook) -> Result<bool, AppError>;
    async fn delete_webhook(&self, org_id: &str, id: &str) -> Result<bool, AppError>;
    /// Turns up to `limit` undelivered outbox rows into deliveries for the
    /// subscriptions that want them, marking the rows delivered: one transaction.
    async fn fan_out(&self, now: &str, limit: i64) -> Result<usize, AppError>;
    /// Pending deliveries due at `now`, each the oldest pending one of its
    /// (subscription, handoff or conversation), so they arrive in order.
    async fn due_deliveries(&self, now: &str, limit: i64) -> Result<Vec<Delivery>, AppError>;
    async fn record_attempt(&self, id: &str, attempt: &Attempt, now: &str) -> Result<(), AppError>;
    async fn deliveries(
        &self,
        org_id: &str,
        webhook_id: &str,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Delivery>, AppError>;
    /// Makes a delivery pending again, due now; false if there is none.
    async fn redeliver(
        &self,
        org_id: &str,
        webhook_id: &str,
        delivery_id: &str,
        now: &str,
    ) -> Result<bool, AppError>;

    // Web Push.
    /// Stores the subscription; an endpoint seen before now belongs to this operator.
    async fn save_push_subscription(&self, s: &PushSubscription) -> Result<(), AppError>;
    async fn push_subscriptions(
        &self,
        operator_id: &str,
    ) -> Result<Vec<PushSubscription>, AppError>;
    /// Every subscription of the organization's operators (one read per new handoff).
    async fn org_push_subscriptions(&self, org_id: &str)
        -> Result<Vec<PushSubscription>, AppError>;
    /// Deletes by endpoint (optionally only the operator's own); true if one was removed.
    async fn delete_push_subscription(
        &self,
        endpoint: &str,
        operator_id: Option<&str>,
    ) -> Result<bool, AppError>;

    // Secrets and sessions.
    /// Returns the named secret, storing `fresh` first if none exists yet.
    async fn secret_or_insert(
        &self,
        name: &str,
        fresh: &str,
        now: &str,
    ) -> Result<String, AppError>;
    async fn nonce_used(&self, nonce: &str) -> Result<bool, AppError>;
    async fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>, AppError>;

    // --- Observability: the trace stream and time to human ----------------
    /// The organization's audit events after `after_seq`, oldest first, each
    /// with its handoff's kind, creation time and previous event's time.
    async fn trace_after(
        &self,
        org_id: &str,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<TraceRow>, AppError>;
    /// The events named in `events` of the handoffs whose `create` event is in
    /// `[from, to)` (stored timestamps; either end may be open), in audit
    /// order, each with its handoff's kind.
    async fn milestone_events(
        &self,
        org_id: &str,
        events: &[&str],
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<(String, ChainedEvent)>, AppError>;
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

// --- Observability ----------------------------------------------------------

/// An audit event with what the trace stream reports about its timing.
#[derive(Clone, Debug)]
pub struct TraceRow {
    pub event: ChainedEvent,
    /// The handoff's kind (`takeover`, `approval`, …).
    pub kind: String,
    /// When the handoff's first (`create`) event happened.
    pub handoff_created_at: String,
    /// The handoff's previous event, if this is not its first.
    pub previous_at: Option<String>,
}
