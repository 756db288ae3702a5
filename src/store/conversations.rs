//! Conversations and their numbered messages.

use super::StoreResult;
use crate::domain::records::{Conversation, Message};
use crate::domain::transcript_chain::ChainedMessage;
use crate::domain::writes::ConversationWrite;
use crate::domain::State;
use async_trait::async_trait;

#[async_trait]
pub trait ConversationStore {
    async fn insert_conversation(&self, c: &Conversation) -> StoreResult<()>;
    async fn conversation(&self, org_id: &str, id: &str) -> StoreResult<Option<Conversation>>;
    /// The message sent earlier with this client reference, if any.
    async fn message_by_client_ref(
        &self,
        conversation_id: &str,
        client_ref: &str,
    ) -> StoreResult<Option<Message>>;
    /// The newest handoff of the conversation in one of `states`.
    async fn newest_handoff_in(
        &self,
        conversation_id: &str,
        states: &[State],
    ) -> StoreResult<Option<String>>;
    /// Writes the conversation as `w.after` with its messages and their outbox
    /// rows (where the organization has a webhook subscription), in one
    /// transaction, if it is still as it was read: `Conflict(Race::Conversation)`
    /// otherwise; `Duplicate` for a reused client_ref.
    async fn write_conversation(&self, w: &ConversationWrite) -> StoreResult<()>;
    /// Messages with `since_seq < seq <= up_to_seq`, in order.
    async fn messages(
        &self,
        conversation_id: &str,
        since_seq: i64,
        up_to_seq: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<Message>>;
    /// The organization's conversations that have messages (`audit verify`).
    async fn conversations_with_messages(&self, org_id: &str) -> StoreResult<Vec<Conversation>>;
    /// A whole transcript in seq order, with the hash stored with each message.
    async fn transcript_chain(&self, conversation_id: &str) -> StoreResult<Vec<ChainedMessage>>;
}
