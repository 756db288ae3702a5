//! Assist handoffs: details, the newest frame and the capture (sealed by the
//! service before they get here), and the operator's actions on their way to
//! the agent. Written with the creation by `create_handoff` (`NewAssist`).

use super::StoreResult;
use crate::domain::records::{AssistRecord, PendingAction, SealedFrame, SealedState};
use async_trait::async_trait;

#[async_trait]
pub trait AssistStore {
    /// The details of an assist handoff of the organization.
    async fn assist(&self, org_id: &str, handoff_id: &str) -> StoreResult<Option<AssistRecord>>;
    /// The details of several assist handoffs of the organization (a list page).
    async fn assists(&self, org_id: &str, handoff_ids: &[String])
        -> StoreResult<Vec<AssistRecord>>;
    /// The newest frame (seq and sealed screenshot), if any is kept.
    async fn assist_frame(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> StoreResult<Option<(i64, SealedFrame)>>;
    /// Replaces the newest frame (and, for a capture, the DOM and browser
    /// state); returns the frame's seq.
    async fn put_assist_frame(
        &self,
        org_id: &str,
        handoff_id: &str,
        frame: &SealedFrame,
        state: Option<&SealedState>,
    ) -> StoreResult<i64>;
    /// Appends an action with the next seq, unless `pending_max` are already
    /// waiting (`None` then); returns its seq.
    async fn push_assist_action(
        &self,
        org_id: &str,
        handoff_id: &str,
        sealed: &str,
        at: &str,
        pending_max: i64,
    ) -> StoreResult<Option<i64>>;
    /// Actions after `after`, oldest first (at most `limit`).
    async fn assist_actions(
        &self,
        org_id: &str,
        handoff_id: &str,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<PendingAction>>;
    /// Forgets delivered actions: every one with seq ≤ `up_to`.
    async fn ack_assist_actions(
        &self,
        org_id: &str,
        handoff_id: &str,
        up_to: i64,
    ) -> StoreResult<u64>;
    /// Drops the capture and pending actions of assist handoffs that ended
    /// (completed, expired, cancelled, failed) before `ended_before`.
    async fn purge_assist_captures(&self, ended_before: &str, now: &str) -> StoreResult<u64>;
}
