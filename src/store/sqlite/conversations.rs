use super::point_reads::point_row;
use super::{marks, plain_row, SqliteStore};
use crate::domain::records::{Conversation, Message};
use crate::domain::transcript_chain::ChainedMessage;
use crate::domain::writes::ConversationWrite;
use crate::domain::State;
use crate::store::{ConversationStore, Race, StoreError, StoreResult};
use async_trait::async_trait;
use rusqlite::{params, Connection};

plain_row!(ConversationRow => Conversation {
    id: String,
    organization_id: String,
    external_ref: Option<String>,
    status: String,
    termination_reason: Option<String>,
    status_reason: Option<String>,
    last_seq: i64,
    head_hash: Option<String>,
    created_at: String,
    updated_at: String,
});

point_row!(ConversationRow {
    id,
    organization_id,
    external_ref,
    status,
    termination_reason,
    status_reason,
    last_seq,
    head_hash,
    created_at,
    updated_at,
});

/// Read on nearly every request (`point_reads`), so its text is made once.
static CONVERSATION_BY_ID: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT {} FROM conversations WHERE id = ? AND organization_id = ?",
        ConversationRow::columns("")
    )
});

plain_row!(MessageRow => Message {
    id: String,
    conversation_id: String,
    seq: i64,
    author: String,
    content: String,
    created_at: String,
});

#[derive(sqlx::FromRow)]
struct ChainedMessageRow {
    #[sqlx(flatten)]
    message: MessageRow,
    hash: Option<String>,
}

/// Writes the conversation as `w.after` if it is still as it was read, then
/// its messages and their outbox rows, inside the group commit's transaction.
pub(super) fn write_in(c: &Connection, w: &ConversationWrite) -> StoreResult<()> {
    let conv = &w.after;
    let written = c
        .prepare_cached(
            "UPDATE conversations SET status = ?, termination_reason = ?, status_reason = ?, \
             last_seq = ?, head_hash = ?, updated_at = ? \
             WHERE id = ? AND organization_id = ? AND status = ? AND last_seq = ?",
        )?
        .execute(params![
            conv.status,
            conv.termination_reason,
            conv.status_reason,
            conv.last_seq,
            conv.head_hash,
            conv.updated_at,
            conv.id,
            conv.organization_id,
            w.expected_status,
            w.expected_last_seq,
        ])?;
    if written != 1 {
        return Err(StoreError::Conflict(Race::Conversation));
    }
    for m in &w.messages {
        let msg = &m.message;
        c.prepare_cached(
            "INSERT INTO messages (id, conversation_id, seq, author, content, created_at, \
             client_ref, hash) VALUES (?,?,?,?,?,?,?,?)",
        )?
        .execute(params![
            msg.id,
            msg.conversation_id,
            msg.seq,
            msg.author,
            msg.content,
            msg.created_at,
            m.client_ref,
            m.hash,
        ])?;
        super::audit::insert_outbox(c, &m.outbox, m.outbox.seq)?;
    }
    Ok(())
}

#[async_trait]
impl ConversationStore for SqliteStore {
    async fn insert_conversation(&self, c: &Conversation) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO conversations (id, organization_id, external_ref, status, \
             termination_reason, last_seq, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        )
        .bind(&c.id)
        .bind(&c.organization_id)
        .bind(&c.external_ref)
        .bind(&c.status)
        .bind(&c.termination_reason)
        .bind(c.last_seq)
        .bind(&c.created_at)
        .bind(&c.updated_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn conversation(&self, org_id: &str, id: &str) -> StoreResult<Option<Conversation>> {
        let row = self
            .points
            .optional(
                CONVERSATION_BY_ID.as_str(),
                vec![id.to_string(), org_id.to_string()],
                ConversationRow::read,
            )
            .await?;
        Ok(row.map(Conversation::from))
    }

    async fn message_by_client_ref(
        &self,
        conversation_id: &str,
        client_ref: &str,
    ) -> StoreResult<Option<Message>> {
        let row: Option<MessageRow> =
            sqlx::query_as("SELECT * FROM messages WHERE conversation_id = ? AND client_ref = ?")
                .bind(conversation_id)
                .bind(client_ref)
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.map(Message::from))
    }

    async fn newest_handoff_in(
        &self,
        conversation_id: &str,
        states: &[State],
    ) -> StoreResult<Option<String>> {
        let sql = format!(
            "SELECT id FROM handoffs WHERE conversation_id = ? AND state IN ({}) \
             ORDER BY id DESC LIMIT 1",
            marks(states.len())
        );
        let mut query = sqlx::query_as(&sql).bind(conversation_id);
        for s in states {
            query = query.bind(s.as_str());
        }
        let row: Option<(String,)> = query.fetch_optional(&self.reader).await?;
        Ok(row.map(|(id,)| id))
    }

    async fn write_conversation(&self, w: &ConversationWrite) -> StoreResult<()> {
        let w = w.clone();
        self.group
            .write(move |c| write_in(c, &w).map(|()| 0))
            .await?;
        Ok(())
    }

    async fn messages(
        &self,
        conversation_id: &str,
        since_seq: i64,
        up_to_seq: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<Message>> {
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT * FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? \
             ORDER BY seq LIMIT ?",
        )
        .bind(conversation_id)
        .bind(since_seq)
        .bind(up_to_seq.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(Message::from).collect())
    }

    async fn conversations_with_messages(&self, org_id: &str) -> StoreResult<Vec<Conversation>> {
        let rows: Vec<ConversationRow> = sqlx::query_as(
            "SELECT * FROM conversations WHERE organization_id = ? AND last_seq > 0 ORDER BY id",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(Conversation::from).collect())
    }

    async fn transcript_chain(&self, conversation_id: &str) -> StoreResult<Vec<ChainedMessage>> {
        let rows: Vec<ChainedMessageRow> =
            sqlx::query_as("SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq")
                .bind(conversation_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows
            .into_iter()
            .map(|r| ChainedMessage {
                message: Message::from(r.message),
                hash: r.hash,
            })
            .collect())
    }
}
