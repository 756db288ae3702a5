//! Conversations and their append-only transcript.

use super::{new_id, now, App};
use crate::domain::limits::{required, too_long, MESSAGE_MAX, REF_MAX};
use crate::domain::records::{Conversation, Message, NewMessage};
use crate::domain::writes::ConversationWrite;
use crate::domain::State;
use crate::error::AppError;
use crate::store::{Race, StoreError};

pub const AUTHORS: [&str; 4] = ["user", "agent", "operator", "system"];
pub const PAGE_MAX: i64 = 500;

pub async fn create(
    app: &App,
    org_id: &str,
    external_ref: Option<String>,
) -> Result<Conversation, AppError> {
    too_long("external_ref", external_ref.as_deref(), REF_MAX)?;
    let t = now();
    let c = Conversation {
        id: new_id(),
        organization_id: org_id.to_string(),
        external_ref,
        status: "active".into(),
        termination_reason: None,
        status_reason: None,
        last_seq: 0,
        head_hash: None,
        created_at: t.clone(),
        updated_at: t,
    };
    app.store.insert_conversation(&c).await?;
    Ok(c)
}

pub async fn get(app: &App, org_id: &str, id: &str) -> Result<Conversation, AppError> {
    app.store
        .conversation(org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("conversation"))
}

/// The conversation a request names in `conversation_id`: another
/// organization's or a missing one is the same 422 naming the field.
pub async fn named(app: &App, org_id: &str, id: &str) -> Result<Conversation, AppError> {
    app.store.conversation(org_id, id).await?.ok_or_else(|| {
        AppError::invalid_field(
            "conversation_id",
            "no such conversation in this organization",
        )
    })
}

/// Appends a message with the next seq. A closed conversation takes no more
/// messages; while a human owns it, the agent must stay quiet.
pub async fn post_message(
    app: &App,
    org_id: &str,
    conversation_id: &str,
    author: &str,
    content: &str,
) -> Result<Message, AppError> {
    post_message_ref(app, org_id, conversation_id, author, content, None).await
}

/// Like `post_message`; a repeated `client_ref` returns the first message (safe retries).
pub async fn post_message_ref(
    app: &App,
    org_id: &str,
    conversation_id: &str,
    author: &str,
    content: &str,
    client_ref: Option<&str>,
) -> Result<Message, AppError> {
    if client_ref
        .is_some_and(|r| r.is_empty() || r.len() > 100 || !r.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Err(AppError::invalid_field(
            "client_ref",
            "must be 1-100 visible ASCII characters",
        ));
    }
    if !AUTHORS.contains(&author) {
        return Err(AppError::invalid_field(
            "author",
            format!("must be one of {}", AUTHORS.join(", ")),
        ));
    }
    required("content", content, MESSAGE_MAX)?;
    let new = NewMessage {
        id: new_id(),
        author: author.to_string(),
        content: content.to_string(),
        created_at: now(),
        client_ref: client_ref.map(str::to_string),
    };
    let msg = append(app, org_id, conversation_id, new, Some(author)).await?;
    // The end user wrote while an approval is pending: the "still here" reply (seed 001).
    if author == "user" && get(app, org_id, conversation_id).await?.status == "awaiting_approval" {
        let (_, waiting_reply) = app.store.approval_messages(org_id).await?;
        let reply = NewMessage {
            id: new_id(),
            author: "agent".into(),
            content: waiting_reply,
            created_at: now(),
            client_ref: None,
        };
        append(app, org_id, conversation_id, reply, None).await?;
    }
    app.announce(org_id, None, Some(conversation_id));
    Ok(msg)
}

/// Whether `author` may write into the conversation now: nobody once it is
/// closed, and not the agent while a human owns it.
pub fn may_write(c: &Conversation, author: &str) -> Result<(), AppError> {
    if c.status == "closed" {
        return Err(super::lifecycle::closed());
    }
    if author == "agent" && c.status == "waiting_for_human" {
        return Err(AppError::conflict(
            "conversation_owned_by_human",
            "a human owns this conversation; the agent must not answer until it is handed back",
        ));
    }
    Ok(())
}

/// Appends with the next seq and its `conversation.message` outbox row, if
/// `guard_author` may write (`None`: tapin's own automatic reply). A write
/// that lost a race to another message is checked and numbered again; a
/// repeated `client_ref` returns the first message.
async fn append(
    app: &App,
    org_id: &str,
    conversation_id: &str,
    new: NewMessage,
    guard_author: Option<&str>,
) -> Result<Message, AppError> {
    const ATTEMPTS: usize = 8;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let conv = get(app, org_id, conversation_id).await?;
        if let Some(r) = &new.client_ref {
            if let Some(first) = app.store.message_by_client_ref(&conv.id, r).await? {
                return Ok(first);
            }
        }
        if let Some(author) = guard_author {
            may_write(&conv, author)?;
        }
        let open: Vec<State> = State::ALL.into_iter().filter(|s| s.is_open()).collect();
        let open_handoff = app.store.newest_handoff_in(&conv.id, &open).await?;
        let mut w = ConversationWrite::begin(&conv);
        let msg = w.append(new.clone(), open_handoff.as_deref(), new_id(), new_id());
        match app.store.write_conversation(&w).await {
            Ok(()) => return Ok(msg),
            // Same client_ref sent twice at once: the other one won; return it.
            Err(StoreError::Duplicate) if new.client_ref.is_some() && attempt < ATTEMPTS => {
                continue
            }
            Err(StoreError::Conflict(Race::Conversation)) if attempt < ATTEMPTS => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

pub async fn messages(
    app: &App,
    org_id: &str,
    conversation_id: &str,
    since_seq: i64,
    limit: i64,
) -> Result<Vec<Message>, AppError> {
    get(app, org_id, conversation_id).await?;
    Ok(app
        .store
        .messages(conversation_id, since_seq, None, limit.clamp(1, PAGE_MAX))
        .await?)
}

/// Messages after `after_seq` of a conversation already known to be the
/// caller's (live streams check it once when they start).
pub async fn page(
    app: &App,
    conversation_id: &str,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<Message>, AppError> {
    Ok(app
        .store
        .messages(conversation_id, after_seq, None, limit)
        .await?)
}
