//! The records tapin keeps: plain data, shared by the store (which writes and
//! reads them) and the service (which decides about them). No I/O.

// --- Organizations and the people and keys in them ---------------------------

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

// --- Webhooks and their deliveries ---------------------------------------------

/// A webhook subscription; `events` holds names or `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    pub id: String,
    pub organization_id: String,
    pub url: String,
    pub events: Vec<String>,
    pub secret: String,
    pub signature_scheme: SignatureScheme,
    /// The secret a rotation replaced, still signing until
    /// `previous_secret_expires_at` (both set or both unset).
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Which signature headers a subscription's deliveries carry. Every delivery
/// carries the Standard Webhooks ones; `TapinV1` adds the legacy
/// `tapin-signature`, kept for one release for receivers not yet moved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SignatureScheme {
    #[default]
    Standard,
    TapinV1,
}

impl SignatureScheme {
    pub const ALL: [SignatureScheme; 2] = [SignatureScheme::Standard, SignatureScheme::TapinV1];

    /// The name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureScheme::Standard => "standard",
            SignatureScheme::TapinV1 => "tapin-v1",
        }
    }

    pub fn parse(name: &str) -> Option<SignatureScheme> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
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

// --- Conversations -----------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    pub id: String,
    pub organization_id: String,
    pub external_ref: Option<String>,
    pub status: String,
    pub termination_reason: Option<String>,
    pub status_reason: Option<String>,
    pub last_seq: i64,
    /// The transcript's chain head: the hash of message `last_seq` (`None`
    /// before the first chained message).
    pub head_hash: Option<String>,
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

// --- Sessions, timers, agent details -----------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub operator_id: String,
    pub organization_id: String,
    pub expires_at: String,
    /// A session started by a signed link reaches this one handoff only;
    /// `None`: a password session.
    pub handoff_id: Option<String>,
}

/// A session started inside a transition (signed link consumed → cookie).
#[derive(Clone, Debug)]
pub struct SessionGrant {
    pub token_hash: String,
    pub operator_id: String,
    pub organization_id: String,
    pub created_at: String,
    pub expires_at: String,
    /// The one handoff a link session reaches (`None`: a password session).
    pub handoff_id: Option<String>,
}

/// One entry of the security log (`service::security_log`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityEvent {
    pub id: String,
    pub organization_id: String,
    pub created_at: String,
    /// `operator:<id>` or `key:<id>`.
    pub actor: String,
    /// `operator.phone_changed`, `operator.push_added`, `operator.push_removed`,
    /// `organization.slack_hook_changed`.
    pub action: String,
    /// The operator concerned (none: the whole organization).
    pub operator_id: Option<String>,
    /// What changed, as JSON (never a secret: a Slack hook shows its host only).
    pub data: String,
    /// How those concerned were told (`email`, `push`, or why nobody could be).
    pub notice: String,
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

// --- Routing: chains, rotations, policies, contacts, sends --------------------

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

/// A canned reply of an organization, inserted with `/shortcut` in the chat box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub id: String,
    pub organization_id: String,
    pub shortcut: String,
    pub body: String,
    pub created_at: String,
}

/// Seed 003's lead: the person a conversation is with. Its id is its
/// conversation's id (a lead is its conversation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lead {
    pub id: String,
    pub organization_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub source: Option<String>,
    pub created_at: String,
}
