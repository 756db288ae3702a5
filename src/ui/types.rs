//! What the server sends the browser for the mobile page (shared by SSR and hydration).

use crate::domain::link::LinkProblem;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MobileScreen {
    /// A valid link: ask for a tap before consuming it (link scanners only GET).
    Confirm {
        handoff_id: String,
        token: String,
        kind: String,
        operator_name: String,
        seconds_left: i64,
    },
    Problem(LinkProblem),
    /// No session: the page needs a link.
    SignIn,
    /// Signed in, but this handoff is not in the operator's organization (or does not exist).
    NotFound,
    Handoff(Box<MobileView>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MobileView {
    pub card: HandoffCard,
    /// The whole conversation so far; `card.up_to_seq` marks where the agent handed over.
    pub transcript: Vec<Line>,
    pub operator_name: String,
    pub operator_id: String,
    pub approval: Option<ApprovalCard>,
    /// The audit seq of the latest event: live updates continue after it.
    pub last_event_seq: i64,
    /// What happened so far: lifecycle events and every notification sent.
    pub timeline: Vec<TimelineRow>,
    /// Opened by a signed link: this handoff only (the page offers a sign-in).
    pub link_only: bool,
    /// Assist handoffs: the stuck screen.
    pub assist: Option<AssistCard>,
    /// "Approve similar", offered to an admin on an approved approval.
    pub similar: Option<SimilarOffer>,
}

/// "Approve similar" (issue 14 §3): a policy that approves the like of this
/// approval without a person, created in one step after a preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarOffer {
    /// What it would match, once asked for (`?similar=preview`).
    pub preview: Option<SimilarPreviewView>,
    /// The policy's name once created (`?similar=created`).
    pub created: Option<String>,
    /// Why the last attempt to create it was refused (`?similar=exists` …).
    pub problem: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarPreviewView {
    pub name: String,
    /// The condition in words.
    pub words: String,
    /// The condition as the policy will hold it.
    pub condition: String,
    /// How many recent approvals were looked at, and how many match.
    pub examined: usize,
    pub count: usize,
    /// The matches by status ("5 approved, 2 denied").
    pub breakdown: String,
    /// How many of the matches a person denied (worth a second look).
    pub denied: usize,
    /// How many of the matches an earlier policy decides first.
    pub earlier: usize,
    /// A policy that already does this (its name): nothing to create.
    pub existing: Option<String>,
    /// The newest matches.
    pub rows: Vec<SimilarRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarRow {
    pub id: String,
    pub subject_ref: String,
    pub status: String,
    pub when: String,
    pub earlier_policy: Option<String>,
}

/// One line of a handoff's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    /// RFC 3339 (the `datetime` attribute; rows sort by it).
    pub at: String,
    /// The time of day in the organization's zone (`10:30:05 CET`).
    pub shown: String,
    pub what: String,
    pub detail: String,
    /// `sent`, `failed`, `skipped` for notifications; empty for events.
    pub outcome: String,
}

/// What an approver needs to decide (seed 001's detail, readable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalCard {
    pub subject_kind: String,
    pub subject_ref: String,
    /// (field, value rendered for reading)
    pub payload: Vec<(String, String)>,
    pub payload_json: String,
    pub suspend_message: Option<String>,
    pub approver_role: Option<String>,
    /// Unix seconds of `timeout_at`, for the countdown.
    pub timeout_unix: Option<i64>,
    pub decision: Option<String>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    /// Why this operator cannot decide (missing role, four-eyes, already
    /// voted), shown instead of the buttons.
    pub cannot_decide: Option<String>,
    /// A quorum approval's progress ("2 of 3 approved").
    pub quorum: Option<String>,
    /// Who has approved so far, by name.
    pub voters: Vec<String>,
    /// The requester cannot decide it.
    pub four_eyes: bool,
    /// The form field the `response_schema` asks for (typed answers), if any.
    pub answer_field: Option<crate::domain::answer::AnswerField>,
    /// What the schema says about the answer (its `description` or `title`).
    pub answer_hint: Option<String>,
    /// The answer given, for reading.
    pub answer: Option<String>,
    /// Offer "approve similar" once this page approves it (an admin on a
    /// pending approval a policy could stand for).
    pub similar_link: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandoffCard {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub assignee: Option<String>,
    pub static_text: String,
    pub reason: Option<String>,
    pub summary: Option<String>,
    /// (name, value rendered for reading)
    pub context_vars: Vec<(String, String)>,
    pub transfer_label: Option<String>,
    pub source: String,
    pub created_at: String,
    pub up_to_seq: Option<i64>,
    pub packet_json: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub seq: i64,
    pub author: String,
    pub content: String,
    pub created_at: String,
}

/// Filters of the inbox, from its GET form (all optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InboxFilter {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub role: Option<String>,
    /// `me`, `unassigned`, or empty for anyone.
    pub assignee: Option<String>,
    /// Search words (as on `/history`).
    pub q: Option<String>,
    /// `waiting`: longest waiting first; otherwise newest first.
    pub sort: Option<String>,
}

/// One count at the top of the inbox, a link to the filter it counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountChip {
    pub label: String,
    pub n: usize,
    pub href: String,
}

/// `/history`'s GET form: search words, kind, and the page cursor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryFilter {
    pub q: Option<String>,
    pub kind: Option<String>,
    /// The id the previous page ended at.
    pub before: Option<String>,
}

/// A finished handoff: how it ended, who ended it, how long it took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// approved, denied, resolved, handed back, expired, cancelled, failed…
    pub outcome: String,
    pub acted_by: String,
    /// The actor's raw label (shown on hover).
    pub actor: String,
    pub took: String,
    pub finished_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum HistoryScreen {
    SignIn,
    History {
        items: Vec<HistoryItem>,
        /// The cursor of the next page, when there may be one.
        next_before: Option<String>,
    },
}

/// A canned reply as pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnippetRow {
    pub id: String,
    pub shortcut: String,
    pub body: String,
}

#[cfg(feature = "ssr")]
impl From<crate::domain::records::Snippet> for SnippetRow {
    fn from(s: crate::domain::records::Snippet) -> Self {
        SnippetRow {
            id: s.id,
            shortcut: s.shortcut,
            body: s.body,
        }
    }
}

/// Who the desk header shows as signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskUser {
    pub name: String,
    pub admin: bool,
    /// A link session: it reaches its one handoff, nothing else.
    pub link_only: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub detail: Option<String>,
    pub approver_role: Option<String>,
    pub assignee: Option<String>,
    pub mine: bool,
    pub priority: String,
    pub created_at: String,
    /// Seconds it had waited when the server answered (since creation or its
    /// last escalation); the page counts on from there.
    pub waited: i64,
    /// A quorum approval's progress and who approved ("1 of 2 approved: Ann").
    pub quorum: Option<String>,
    /// Four-eyes: this is the reader's own request; someone else decides.
    pub own_request: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum InboxScreen {
    SignIn,
    Inbox {
        operator_name: String,
        items: Vec<InboxItem>,
        /// Open items per kind, then per status.
        counts: Vec<CountChip>,
        /// The organization's response target, in seconds.
        target: i64,
        /// What the last bulk decision did (a page without script gets it
        /// from its result link, `?done=`).
        bulk: Option<BulkResultView>,
        /// Why the last bulk decision was refused as a whole (`?bulk_error=`).
        bulk_error: Option<String>,
    },
}

/// The inbox's own query besides the filters: a bulk decision's result or
/// error, and `select=all` (select every visible approval without script).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkQuery {
    pub done: Option<String>,
    pub bulk_error: Option<String>,
    pub select: Option<String>,
}

/// What a bulk approve or deny did, per approval.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BulkResultView {
    /// "3 approved, 1 refused: four-eyes".
    pub summary: String,
    pub rows: Vec<BulkRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkRow {
    pub id: String,
    pub title: String,
    /// `approved`, `denied`, `voted` or `refused`.
    pub outcome: String,
    /// What happened, in words ("approved", "not decided: four-eyes…").
    pub words: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminView {
    pub operators: Vec<OperatorRow>,
    pub keys: Vec<KeyRow>,
    pub holding_line: String,
    pub waiting_reply: String,
    pub response_target_minutes: i64,
    pub snippets: Vec<SnippetRow>,
    /// The newest audit events, newest first.
    pub events: Vec<EventRow>,
    /// Slack interactivity: the signing secret and who is who in Slack.
    pub slack: SlackView,
}

/// `/admin`'s Slack section (`ui::admin_slack`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlackView {
    pub secret_set: bool,
    /// What to paste as the Slack app's interactivity Request URL.
    pub interactivity_url: String,
    /// Every operator, with their Slack member ID (empty: not linked).
    pub operators: Vec<SlackUserRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlackUserRow {
    pub id: String,
    pub name: String,
    pub slack_user_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: String,
    pub active: bool,
    pub is_me: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created_at: String,
    pub revoked: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub seq: i64,
    pub handoff_id: String,
    pub event: String,
    pub to_state: String,
    /// The raw label (`operator:<id>`), shown on hover and in exports.
    pub actor: String,
    /// The actor in words: a name, `key “…”`, `policy “…”`.
    pub actor_name: String,
    pub created_at: String,
    pub hash: String,
}

/// `/settings`: this operator's notification devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SettingsScreen {
    SignIn,
    Settings {
        operator_name: String,
        /// The server's VAPID public key (base64url), the browser's `applicationServerKey`.
        vapid_public_key: String,
        devices: Vec<PushDevice>,
        phone: Option<String>,
        /// (urgency, chosen channels), lowest urgency first.
        channels: Vec<(String, Vec<String>)>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushDevice {
    pub endpoint: String,
    /// The push service's host, which says which browser family it is.
    pub service: String,
    pub since: String,
}

/// `/admin/routing`: policies (editable, with a test box), chains and
/// rotations (created, edited and deleted here), the organization's time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutingView {
    pub policies: Vec<PolicyRow>,
    pub chains: Vec<ChainRow>,
    pub rotations: Vec<RotationRow>,
    pub default_chain_id: Option<String>,
    pub slack_webhook_url: Option<String>,
    /// The organization's IANA zone (`Europe/Berlin`, `UTC`).
    pub time_zone: String,
    /// Its abbreviation or offset now (`CET`, `+03`).
    pub zone_now: String,
    /// Who a step or a rotation can name, by name (id on hover).
    pub operators: Vec<Named>,
    /// The roles the organization's operators have.
    pub roles: Vec<String>,
}

/// Something shown by name whose id goes in `title`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyRow {
    pub name: String,
    pub condition: String,
    /// The actions in words ("route to Support, priority high").
    pub actions: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainRow {
    pub id: String,
    pub name: String,
    /// Each step: whom it notifies (by name) and its wait in words.
    pub steps: Vec<StepWords>,
    pub repeat: u32,
    /// The steps as the edit form shows them.
    pub form: Vec<StepForm>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepWords {
    pub targets: Vec<Named>,
    pub wait: String,
}

/// One step row of the chain form. A target is `operator:<id>`,
/// `role:<name>`, `on_call:<rotation id>` or `everyone`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub wait_minutes: String,
    #[serde(default)]
    pub targets: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RotationRow {
    pub id: String,
    pub name: String,
    /// Turn order, by name.
    pub operators: Vec<Named>,
    pub on_call_now: Option<Named>,
    /// When turns change hands, in words ("weekly, Mondays 09:00 CET").
    pub handover: String,
    /// The first handover as a `datetime-local` value in the organization's zone.
    pub starts_at: String,
    /// Overrides in words ("Bo: 2026-11-10 00:00 CET → 2026-11-11 00:00 CET").
    pub override_words: Vec<String>,
    pub overrides: Vec<OverrideForm>,
}

/// One override row of the rotation form; times are wall-clock times in the
/// organization's zone (`2026-11-10T09:00`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OverrideForm {
    #[serde(default)]
    pub operator_id: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
}

/// What the test box found for a sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyTestView {
    pub matched: Option<String>,
    pub route: String,
    pub priority: String,
    pub auto_resolve: Option<String>,
    pub expire_after_seconds: Option<i64>,
    pub approver_role: Option<String>,
    pub four_eyes: bool,
    pub required_approvals: Option<u32>,
    pub errors: Vec<String>,
}

// --- /admin/webhooks ---------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub subscriptions: Vec<SubscriptionRow>,
    /// Event names a subscription may list (or `*`).
    pub known_events: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionRow {
    pub id: String,
    pub url: String,
    pub events: String,
    /// `standard` (Standard Webhooks) or `tapin-v1` (also the legacy `tapin-signature`).
    pub signature_scheme: String,
    pub created_at: String,
    /// Newest first.
    pub deliveries: Vec<DeliveryRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: String,
    pub event: String,
    /// The handoff, or the conversation of a message.
    pub subject: String,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    pub attempts: i64,
    /// The receiver's last status, or why it could not be reached.
    pub last_result: String,
    /// When the next try is due (pending only).
    pub next_attempt_at: Option<String>,
    pub created_at: String,
}

/// A signing secret, shown once (after creating or rotating).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewSecret {
    pub url: String,
    pub secret: String,
}

/// What the assist screen island starts from (in `#handoff-data`, not props).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssistScreenInit {
    pub handoff_id: String,
    /// code | text | none.
    pub input: String,
    /// The newest frame's seq (0: no capture yet).
    pub frame_seq: i64,
    pub viewport_width: i64,
    pub viewport_height: i64,
}

/// What the agent said about its stuck screen (plain text on the page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssistCard {
    pub interruption_type: String,
    pub domain: String,
    pub url: String,
    pub question: String,
    pub agent_id: String,
    pub screen: AssistScreenInit,
}
