//! Reading the hash-chained audit log (it is written with each change).

use super::StoreResult;
use crate::domain::audit::ChainedEvent;
use async_trait::async_trait;

#[derive(Clone, Debug)]
pub struct AuditChain {
    pub events: Vec<ChainedEvent>,
    pub head_seq: i64,
    pub head_hash: String,
}

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

#[async_trait]
pub trait AuditStore {
    /// The organization's newest audit events, newest first.
    async fn recent_events(&self, org_id: &str, limit: i64) -> StoreResult<Vec<ChainedEvent>>;
    /// Events after `after_seq` (of one handoff, or the whole organization), oldest first.
    async fn events_after(
        &self,
        org_id: &str,
        handoff_id: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<ChainedEvent>>;
    /// The whole chain and the head recorded on the organization, one snapshot.
    async fn audit_chain(&self, org_id: &str) -> StoreResult<AuditChain>;
    /// The organization's latest audit seq (0 before the first event).
    async fn audit_head(&self, org_id: &str) -> StoreResult<i64>;
    /// When the first of `events` (names) happened to the handoff, if any.
    async fn first_event_at(
        &self,
        org_id: &str,
        handoff_id: &str,
        events: &[&str],
    ) -> StoreResult<Option<String>>;
    /// The lowest chain seq of the organization's events created at or after
    /// `from` (a stored timestamp): where an export of a time window starts.
    async fn first_seq_since(&self, org_id: &str, from: &str) -> StoreResult<Option<i64>>;
    async fn handoff_events(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> StoreResult<Vec<ChainedEvent>>;
    /// Who created each of these handoffs (their `create` events' actor
    /// labels), by handoff id; ids of other organizations are left out.
    async fn creators(
        &self,
        org_id: &str,
        handoff_ids: &[String],
    ) -> StoreResult<std::collections::HashMap<String, String>>;
    /// The organization's audit events after `after_seq`, oldest first, each
    /// with its handoff's kind, creation time and previous event's time.
    async fn trace_after(
        &self,
        org_id: &str,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<TraceRow>>;
    /// The events named in `events` of the handoffs whose `create` event is in
    /// `[from, to)` (stored timestamps; either end may be open), in audit
    /// order, each with its handoff's kind.
    async fn milestone_events(
        &self,
        org_id: &str,
        events: &[&str],
        from: Option<&str>,
        to: Option<&str>,
    ) -> StoreResult<Vec<(String, ChainedEvent)>>;
}
