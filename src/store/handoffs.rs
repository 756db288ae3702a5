//! Handoffs: creation and transitions (each one transaction with its audit
//! and outbox rows), lists, agent-to-agent details.

use super::StoreResult;
use crate::domain::records::AgentDetails;
use crate::domain::writes::{NewHandoff, TransitionWrite};
use crate::domain::{Handoff, Kind, State};
use async_trait::async_trait;

/// Filter and page for handoff lists: newest first, `before` is the cursor (an id).
#[derive(Clone, Debug, Default)]
pub struct HandoffQuery {
    pub states: Option<Vec<State>>,
    pub kind: Option<Kind>,
    pub decision: Option<String>,
    pub before: Option<String>,
    /// Words to find (case-insensitive, as typed) in the packet, the
    /// approval's subject, the conversation's customer reference, or the
    /// name of the operator it is assigned to or was decided by.
    pub text: Option<String>,
    pub limit: i64,
}

/// `text` as a `LIKE … ESCAPE '\'` pattern that matches it anywhere, its own
/// `%`, `_` and `\` taken literally.
pub fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[async_trait]
pub trait HandoffStore {
    /// Writes the handoff, its conversation change, approval or agent details,
    /// timers, the chained audit row and the outbox row (only where the
    /// organization has a webhook subscription): one transaction.
    async fn create_handoff(&self, new: &NewHandoff) -> StoreResult<()>;
    async fn handoff(&self, org_id: &str, id: &str) -> StoreResult<Option<Handoff>>;
    /// Looks a handoff up without a tenant (signed links carry no organization).
    async fn handoff_any_org(&self, id: &str) -> StoreResult<Option<Handoff>>;
    async fn handoffs(&self, org_id: &str, q: &HandoffQuery) -> StoreResult<Vec<Handoff>>;
    /// Writes one transition in one transaction. Races are reported, not
    /// decided: `Version` (the handoff moved), `LinkUsed`, `TimerFired`,
    /// `AuditHead`.
    async fn write_transition(&self, w: &TransitionWrite) -> StoreResult<()>;
    async fn agent_details(&self, handoff_id: &str) -> StoreResult<Option<AgentDetails>>;
}
