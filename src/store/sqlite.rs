//! SQLite implementation: WAL, foreign keys, busy timeout, durable commits.
//!
//! Writes go through a one-connection pool so transactions never race for the
//! write lock (SQLite has one writer anyway); reads use their own pool.

use super::*;
use crate::domain::approval::{Approval, NodeRef, SubjectKind};
use crate::domain::audit::{chain_hash, AuditEvent, ChainedEvent};
use crate::domain::lifecycle::MESSAGE_TOPIC;
use crate::domain::{Packet, Source, TranscriptPtr};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

mod routing;

pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl SqliteStore {
    pub async fn open(url: &str) -> Result<SqliteStore, String> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| format!("database URL `{url}`: {e}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("creating {}: {e}", dir.display()))?;
            }
        }
        // No liveness ping before each acquire: a local SQLite file does not drop
        // connections, and the ping is one more thread hop inside every write
        // (docs/performance.md, write path).
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(|e| format!("opening {url}: {e}"))?;
        MIGRATOR
            .run(&writer)
            .await
            .map_err(|e| format!("migrating {url}: {e}"))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| format!("opening {url} for reading: {e}"))?;
        Ok(SqliteStore { writer, reader })
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn org_row(r: &SqliteRow) -> Org {
    Org {
        id: r.get("id"),
        slug: r.get("slug"),
        name: r.get("name"),
        created_at: r.get("created_at"),
    }
}

fn key_row(r: &SqliteRow) -> ApiKeyRecord {
    ApiKeyRecord {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        name: r.get("name"),
        prefix: r.get("prefix"),
        scopes: split_list(r.get::<&str, _>("scopes")),
        created_at: r.get("created_at"),
        revoked_at: r.get("revoked_at"),
    }
}

fn push_row(r: &SqliteRow) -> PushSubscription {
    PushSubscription {
        endpoint: r.get("endpoint"),
        organization_id: r.get("organization_id"),
        operator_id: r.get("operator_id"),
        p256dh: r.get("p256dh"),
        auth: r.get("auth"),
        created_at: r.get("created_at"),
    }
}

fn webhook_row(r: &SqliteRow) -> Webhook {
    Webhook {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        url: r.get("url"),
        events: serde_json::from_str(&r.get::<String, _>("events")).unwrap_or_default(),
        secret: r.get("secret"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

fn delivery_row(r: &SqliteRow) -> Delivery {
    Delivery {
        id: r.get("id"),
        webhook_id: r.get("webhook_id"),
        organization_id: r.get("organization_id"),
        event_id: r.get("event_id"),
        ordering_key: r.get("ordering_key"),
        seq: r.get("seq"),
        handoff_id: r.get("handoff_id"),
        conversation_id: r.get("conversation_id"),
        topic: r.get("topic"),
        payload: r.get("payload"),
        status: r.get("status"),
        attempts: r.get("attempts"),
        next_attempt_at: r.get("next_attempt_at"),
        last_status: r.get("last_status"),
        last_error: r.get("last_error"),
        created_at: r.get("created_at"),
        delivered_at: r.get("delivered_at"),
    }
}

fn operator_row(r: &SqliteRow) -> Operator {
    Operator {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        email: r.get("email"),
        name: r.get("name"),
        roles: split_list(r.get::<&str, _>("roles")),
        active: r.get::<i64, _>("active") != 0,
        created_at: r.get("created_at"),
    }
}

fn conversation_row(r: &SqliteRow) -> Conversation {
    Conversation {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        external_ref: r.get("external_ref"),
        status: r.get("status"),
        termination_reason: r.get("termination_reason"),
        status_reason: r.get("status_reason"),
        last_seq: r.get("last_seq"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    }
}

fn message_row(r: &SqliteRow) -> Message {
    Message {
        id: r.get("id"),
        conversation_id: r.get("conversation_id"),
        seq: r.get("seq"),
        author: r.get("author"),
        content: r.get("content"),
        created_at: r.get("created_at"),
    }
}

fn corrupt(what: &str, id: &str) -> AppError {
    tracing::error!(%id, "stored {what} cannot be read");
    AppError::internal()
}

fn handoff_row(r: &SqliteRow) -> Result<Handoff, AppError> {
    let id: String = r.get("id");
    let mut packet: Packet =
        serde_json::from_str(r.get::<&str, _>("packet")).map_err(|_| corrupt("packet", &id))?;
    packet.transcript_ptr = r
        .get::<Option<&str>, _>("transcript_ptr")
        .and_then(TranscriptPtr::parse);
    Ok(Handoff {
        organization_id: r.get("organization_id"),
        kind: Kind::parse(r.get("kind")).ok_or_else(|| corrupt("kind", &id))?,
        state: State::parse(r.get("state")).ok_or_else(|| corrupt("state", &id))?,
        version: r.get("version"),
        conversation_id: r.get("conversation_id"),
        source: Source::parse(r.get("source")).ok_or_else(|| corrupt("source", &id))?,
        packet,
        assignee: r.get("assignee"),
        decision: r.get("decision"),
        priority: r.get("priority"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
        resolved_at: r.get("resolved_at"),
        id,
    })
}

fn json_map(
    text: Option<&str>,
    id: &str,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, AppError> {
    text.map(|t| serde_json::from_str(t).map_err(|_| corrupt("approval payload", id)))
        .transpose()
}

fn approval_row(r: &SqliteRow) -> Result<Approval, AppError> {
    let id: String = r.get("handoff_id");
    let node = r
        .get::<Option<String>, _>("workflow_id")
        .map(|workflow_id| NodeRef {
            workflow_id,
            node_id: r.get::<Option<String>, _>("node_id").unwrap_or_default(),
            on_approve: r.get("on_approve"),
            on_deny: r.get("on_deny"),
        });
    Ok(Approval {
        subject_kind: SubjectKind::parse(r.get("subject_kind"))
            .ok_or_else(|| corrupt("subject_kind", &id))?,
        subject_ref: r.get("subject_ref"),
        payload: json_map(Some(r.get("payload")), &id)?.unwrap_or_default(),
        approver_role: r.get("approver_role"),
        suspend_message: r.get("suspend_message"),
        timeout_at: r.get("timeout_at"),
        node,
        decision_note: r.get("decision_note"),
        decided_by: r.get("decided_by"),
        decided_at: r.get("decided_at"),
        decided_payload: json_map(r.get("decided_payload"), &id)?,
    })
}

fn timer_row(r: &SqliteRow) -> Timer {
    Timer {
        id: r.get("id"),
        organization_id: r.get("organization_id"),
        handoff_id: r.get("handoff_id"),
        kind: r.get("kind"),
        due_at: r.get("due_at"),
        data: r.get("data"),
    }
}

async fn insert_timer(tx: &mut Transaction<'_, Sqlite>, t: &Timer) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO timers (id, organization_id, handoff_id, kind, due_at, data) VALUES (?,?,?,?,?,?)",
    )
    .bind(&t.id)
    .bind(&t.organization_id)
    .bind(&t.handoff_id)
    .bind(&t.kind)
    .bind(&t.due_at)
    .bind(&t.data)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends a message with the next seq inside an open transaction, with its
/// `conversation.message` outbox row (so the webhook can never be lost).
/// `open_handoff` is the conversation's open handoff, named in the payload.
async fn insert_message(
    tx: &mut Transaction<'_, Sqlite>,
    conv: &Conversation,
    msg: &NewMessage,
    open_handoff: Option<&str>,
) -> Result<i64, AppError> {
    let seq = conv.last_seq + 1;
    sqlx::query(
        "UPDATE conversations SET last_seq = ?, updated_at = ? WHERE id = ? AND last_seq = ?",
    )
    .bind(seq)
    .bind(&msg.created_at)
    .bind(&conv.id)
    .bind(conv.last_seq)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, seq, author, content, created_at, client_ref) \
         VALUES (?,?,?,?,?,?,?)",
    )
    .bind(&msg.id)
    .bind(&conv.id)
    .bind(seq)
    .bind(&msg.author)
    .bind(&msg.content)
    .bind(&msg.created_at)
    .bind(&msg.client_ref)
    .execute(&mut **tx)
    .await?;
    let event_id = uuid::Uuid::now_v7().to_string();
    let message = serde_json::json!({
        "id": msg.id,
        "seq": seq,
        "author": msg.author,
        "content": msg.content,
        "created_at": msg.created_at,
    });
    let payload = serde_json::json!({
        "event_id": event_id,
        "type": MESSAGE_TOPIC,
        "organization_id": conv.organization_id,
        "conversation_id": conv.id,
        "handoff_id": open_handoff,
        "data": {
            "conversation_id": conv.id,
            "handoff_id": open_handoff,
            "message": message,
        },
        "occurred_at": msg.created_at,
    });
    sqlx::query(
        "INSERT INTO outbox (id, organization_id, event_id, handoff_id, conversation_id, \
         ordering_key, seq, topic, payload, created_at, available_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&conv.organization_id)
    .bind(&event_id)
    .bind(open_handoff)
    .bind(&conv.id)
    .bind(&conv.id)
    .bind(seq)
    .bind(MESSAGE_TOPIC)
    .bind(payload.to_string())
    .bind(&msg.created_at)
    .bind(&msg.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// The newest handoff of the conversation that still needs a human, if any.
async fn open_handoff_of(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: &str,
) -> Result<Option<String>, AppError> {
    let open: Vec<&str> = State::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(State::as_str)
        .collect();
    let sql = format!(
        "SELECT id FROM handoffs WHERE conversation_id = ? AND state IN ({}) ORDER BY id DESC LIMIT 1",
        vec!["?"; open.len()].join(",")
    );
    let mut query = sqlx::query(&sql).bind(conversation_id);
    for s in open {
        query = query.bind(s);
    }
    Ok(query.fetch_optional(&mut **tx).await?.map(|r| r.get("id")))
}

fn event_row(r: &SqliteRow) -> Result<ChainedEvent, AppError> {
    let id: String = r.get("id");
    let data = serde_json::from_str(r.get::<&str, _>("data")).map_err(|_| corrupt("event", &id))?;
    Ok(ChainedEvent {
        event: AuditEvent {
            organization_id: r.get("organization_id"),
            seq: r.get("seq"),
            handoff_id: r.get("handoff_id"),
            event: r.get("event"),
            from_state: r.get("from_state"),
            to_state: r.get("to_state"),
            actor: r.get("actor"),
            data,
            created_at: r.get("created_at"),
            id,
        },
        prev_hash: r.get("prev_hash"),
        hash: r.get("hash"),
    })
}

/// Appends the audit row (extending the organization's hash chain) and its outbox row.
async fn append_event(
    tx: &mut Transaction<'_, Sqlite>,
    org_id: &str,
    handoff_id: &str,
    draft: &EventDraft,
) -> Result<(), AppError> {
    let head = sqlx::query("SELECT audit_seq, audit_head FROM organizations WHERE id = ?")
        .bind(org_id)
        .fetch_one(&mut **tx)
        .await?;
    let prev_seq: i64 = head.get("audit_seq");
    let prev_hash: String = head.get("audit_head");
    let event = AuditEvent {
        id: draft.id.clone(),
        organization_id: org_id.to_string(),
        seq: prev_seq + 1,
        handoff_id: handoff_id.to_string(),
        event: draft.event.clone(),
        from_state: draft.from_state.clone(),
        to_state: draft.to_state.clone(),
        actor: draft.actor.clone(),
        data: draft.data.clone(),
        created_at: draft.created_at.clone(),
    };
    let hash = chain_hash(&prev_hash, &event.canonical());
    sqlx::query(
        "INSERT INTO handoff_events (id, organization_id, seq, handoff_id, event, from_state, \
         to_state, actor, data, created_at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(&event.id)
    .bind(org_id)
    .bind(event.seq)
    .bind(handoff_id)
    .bind(&event.event)
    .bind(&event.from_state)
    .bind(&event.to_state)
    .bind(&event.actor)
    .bind(event.data.to_string())
    .bind(&event.created_at)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    // Optimistic on the head too: with several writers (PostgreSQL) the loser retries.
    let moved = sqlx::query(
        "UPDATE organizations SET audit_seq = ?, audit_head = ? WHERE id = ? AND audit_seq = ?",
    )
    .bind(event.seq)
    .bind(&hash)
    .bind(org_id)
    .bind(prev_seq)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(AppError::conflict(
            "audit_race",
            "concurrent audit write; retry",
        ));
    }
    let payload = serde_json::json!({
        "event_id": event.id,
        "type": draft.topic,
        "organization_id": org_id,
        "handoff_id": handoff_id,
        "state": event.to_state,
        "actor": event.actor,
        "data": event.data,
        "occurred_at": event.created_at,
    });
    sqlx::query(
        "INSERT INTO outbox (id, organization_id, event_id, handoff_id, ordering_key, seq, topic, \
         payload, created_at, available_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(&draft.outbox_id)
    .bind(org_id)
    .bind(&event.id)
    .bind(handoff_id)
    .bind(handoff_id)
    .bind(event.seq)
    .bind(&draft.topic)
    .bind(payload.to_string())
    .bind(&event.created_at)
    .bind(&event.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const HANDOFF_COLUMNS: &str = "id, organization_id, kind, state, version, conversation_id, \
     source, packet, transcript_ptr, assignee, decision, created_at, updated_at, resolved_at, priority";

/// The packet as stored: the transcript pointer lives in its own column, in wire form.
fn packet_json(packet: &Packet) -> String {
    let mut stored = packet.clone();
    stored.transcript_ptr = None;
    serde_json::to_string(&stored).expect("packet serializes")
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), AppError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn insert_org(&self, org: &Org) -> Result<(), AppError> {
        sqlx::query("INSERT INTO organizations (id, slug, name, created_at) VALUES (?,?,?,?)")
            .bind(&org.id)
            .bind(&org.slug)
            .bind(&org.name)
            .bind(&org.created_at)
            .execute(&self.writer)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    AppError::conflict(
                        "slug_taken",
                        format!("an organization `{}` already exists", org.slug),
                    )
                } else {
                    e.into()
                }
            })?;
        Ok(())
    }

    async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>, AppError> {
        let row = sqlx::query("SELECT * FROM organizations WHERE slug = ?")
            .bind(slug)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.as_ref().map(org_row))
    }

    async fn orgs(&self) -> Result<Vec<Org>, AppError> {
        let rows = sqlx::query("SELECT * FROM organizations ORDER BY created_at, id")
            .fetch_all(&self.reader)
            .await?;
        Ok(rows.iter().map(org_row).collect())
    }

    async fn insert_api_key(&self, key: &ApiKeyRecord, key_hash: &str) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO api_keys (id, organization_id, name, prefix, key_hash, scopes, created_at) \
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&key.id)
        .bind(&key.organization_id)
        .bind(&key.name)
        .bind(&key.prefix)
        .bind(key_hash)
        .bind(key.scopes.join(","))
        .bind(&key.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn api_key_by_hash(&self, key_hash: &str) -> Result<Option<ApiKeyRecord>, AppError> {
        let row = sqlx::query("SELECT * FROM api_keys WHERE key_hash = ?")
            .bind(key_hash)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.as_ref().map(key_row))
    }

    async fn revoke_api_key(
        &self,
        org_id: &str,
        id_or_prefix: &str,
        now: &str,
    ) -> Result<bool, AppError> {
        let done = sqlx::query(
            "UPDATE api_keys SET revoked_at = ? WHERE organization_id = ? AND (id = ? OR prefix = ?) \
             AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(org_id)
        .bind(id_or_prefix)
        .bind(id_or_prefix)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn insert_operator(&self, op: &Operator) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO operators (id, organization_id, email, name, roles, active, created_at) \
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&op.id)
        .bind(&op.organization_id)
        .bind(&op.email)
        .bind(&op.name)
        .bind(op.roles.join(","))
        .bind(op.active as i64)
        .bind(&op.created_at)
        .execute(&self.writer)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppError::conflict(
                    "email_taken",
                    format!(
                        "an operator {} already exists in this organization",
                        op.email
                    ),
                )
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    async fn operator_by_email(
        &self,
        org_id: &str,
        email: &str,
    ) -> Result<Option<Operator>, AppError> {
        let row = sqlx::query("SELECT * FROM operators WHERE organization_id = ? AND email = ?")
            .bind(org_id)
            .bind(email)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.as_ref().map(operator_row))
    }

    async fn operator_by_id(&self, id: &str) -> Result<Option<Operator>, AppError> {
        let row = sqlx::query("SELECT * FROM operators WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.as_ref().map(operator_row))
    }

    async fn operators(&self, org_id: &str) -> Result<Vec<Operator>, AppError> {
        let rows =
            sqlx::query("SELECT * FROM operators WHERE organization_id = ? ORDER BY name, email")
                .bind(org_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.iter().map(operator_row).collect())
    }

    async fn update_operator(
        &self,
        org_id: &str,
        id: &str,
        roles: Option<&[String]>,
        active: Option<bool>,
    ) -> Result<bool, AppError> {
        let done = sqlx::query(
            "UPDATE operators SET roles = COALESCE(?, roles), active = COALESCE(?, active) \
             WHERE id = ? AND organization_id = ?",
        )
        .bind(roles.map(|r| r.join(",")))
        .bind(active.map(|a| a as i64))
        .bind(id)
        .bind(org_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn api_keys(&self, org_id: &str) -> Result<Vec<ApiKeyRecord>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM api_keys WHERE organization_id = ? ORDER BY created_at DESC",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(key_row).collect())
    }

    async fn set_password_hash(&self, operator_id: &str, hash: &str) -> Result<(), AppError> {
        sqlx::query("UPDATE operators SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(operator_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn password_hash(&self, operator_id: &str) -> Result<Option<String>, AppError> {
        let row = sqlx::query("SELECT password_hash FROM operators WHERE id = ?")
            .bind(operator_id)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.and_then(|r| r.get("password_hash")))
    }

    async fn insert_session(&self, s: &SessionGrant) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO operator_sessions (token_hash, operator_id, organization_id, created_at, expires_at) \
             VALUES (?,?,?,?,?)",
        )
        .bind(&s.token_hash)
        .bind(&s.operator_id)
        .bind(&s.organization_id)
        .bind(&s.created_at)
        .bind(&s.expires_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), AppError> {
        sqlx::query("DELETE FROM operator_sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn purge_sessions(&self, now: &str) -> Result<u64, AppError> {
        let done = sqlx::query("DELETE FROM operator_sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    async fn insert_conversation(&self, c: &Conversation) -> Result<(), AppError> {
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

    async fn conversation(&self, org_id: &str, id: &str) -> Result<Option<Conversation>, AppError> {
        let row = sqlx::query("SELECT * FROM conversations WHERE id = ? AND organization_id = ?")
            .bind(id)
            .bind(org_id)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.as_ref().map(conversation_row))
    }

    async fn append_message(
        &self,
        org_id: &str,
        conversation_id: &str,
        msg: NewMessage,
        guard: Guard<'_>,
    ) -> Result<Message, AppError> {
        let mut tx = self.writer.begin().await?;
        let row = sqlx::query("SELECT * FROM conversations WHERE id = ? AND organization_id = ?")
            .bind(conversation_id)
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::not_found("conversation"))?;
        let conv = conversation_row(&row);
        if let Some(client_ref) = &msg.client_ref {
            // A retried send: the message is already there, return it unchanged.
            let existing =
                sqlx::query("SELECT * FROM messages WHERE conversation_id = ? AND client_ref = ?")
                    .bind(conversation_id)
                    .bind(client_ref)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(r) = existing {
                return Ok(message_row(&r));
            }
        }
        guard(&conv)?;
        let open = open_handoff_of(&mut tx, conversation_id).await?;
        let seq = insert_message(&mut tx, &conv, &msg, open.as_deref()).await?;
        tx.commit().await?;
        Ok(Message {
            id: msg.id,
            conversation_id: conversation_id.to_string(),
            seq,
            author: msg.author,
            content: msg.content,
            created_at: msg.created_at,
        })
    }

    async fn messages(
        &self,
        conversation_id: &str,
        since_seq: i64,
        up_to_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Message>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? \
             ORDER BY seq LIMIT ?",
        )
        .bind(conversation_id)
        .bind(since_seq)
        .bind(up_to_seq.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(message_row).collect())
    }

    async fn create_handoff(&self, new: NewHandoff) -> Result<(), AppError> {
        let h = &new.handoff;
        let mut tx = self.writer.begin().await?;
        if let Some(cid) = &h.conversation_id {
            let row =
                sqlx::query("SELECT * FROM conversations WHERE id = ? AND organization_id = ?")
                    .bind(cid)
                    .bind(&h.organization_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| {
                        AppError::invalid_field(
                            "conversation_id",
                            "no such conversation in this organization",
                        )
                    })?;
            let conv = conversation_row(&row);
            if conv.status == "closed" {
                return Err(AppError::conflict(
                    "conversation_closed",
                    "the conversation is closed",
                ));
            }
            if let Some(status) = &new.conversation_status {
                sqlx::query(
                    "UPDATE conversations SET status = ?, status_reason = NULL, updated_at = ? WHERE id = ?",
                )
                .bind(status)
                .bind(&h.created_at)
                .bind(cid)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(msg) = &new.message {
                // The holding line belongs to the handoff being created.
                insert_message(&mut tx, &conv, msg, Some(&h.id)).await?;
            }
        }
        sqlx::query(&format!(
            "INSERT INTO handoffs ({HANDOFF_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        ))
        .bind(&h.id)
        .bind(&h.organization_id)
        .bind(h.kind.as_str())
        .bind(h.state.as_str())
        .bind(h.version)
        .bind(&h.conversation_id)
        .bind(h.source.as_str())
        .bind(packet_json(&h.packet))
        .bind(h.packet.transcript_ptr.as_ref().map(TranscriptPtr::to_wire))
        .bind(&h.assignee)
        .bind(&h.decision)
        .bind(&h.created_at)
        .bind(&h.updated_at)
        .bind(&h.resolved_at)
        .bind(&h.priority)
        .execute(&mut *tx)
        .await?;
        if let Some(a) = &new.approval {
            let node = a.node.as_ref();
            sqlx::query(
                "INSERT INTO approvals (handoff_id, subject_kind, subject_ref, payload, approver_role, \
                 suspend_message, timeout_at, workflow_id, node_id, on_approve, on_deny) \
                 VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            )
            .bind(&h.id)
            .bind(a.subject_kind.as_str())
            .bind(&a.subject_ref)
            .bind(serde_json::Value::Object(a.payload.clone()).to_string())
            .bind(&a.approver_role)
            .bind(&a.suspend_message)
            .bind(&a.timeout_at)
            .bind(node.map(|n| n.workflow_id.clone()))
            .bind(node.map(|n| n.node_id.clone()))
            .bind(node.and_then(|n| n.on_approve.clone()))
            .bind(node.and_then(|n| n.on_deny.clone()))
            .execute(&mut *tx)
            .await?;
        }
        if let Some(d) = &new.agent {
            sqlx::query(
                "INSERT INTO agent_handoffs (handoff_id, from_agent, to_agent, handoff_time, context) \
                 VALUES (?,?,?,?,?)",
            )
            .bind(&h.id)
            .bind(&d.from_agent)
            .bind(&d.to_agent)
            .bind(&d.handoff_time)
            .bind(d.context.to_string())
            .execute(&mut *tx)
            .await?;
        }
        for t in &new.timers {
            insert_timer(&mut tx, t).await?;
        }
        append_event(&mut tx, &h.organization_id, &h.id, &new.event).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn handoff(&self, org_id: &str, id: &str) -> Result<Option<Handoff>, AppError> {
        let row = sqlx::query(&format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = ? AND organization_id = ?"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(handoff_row).transpose()
    }

    async fn handoff_any_org(&self, id: &str) -> Result<Option<Handoff>, AppError> {
        let row = sqlx::query(&format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(handoff_row).transpose()
    }

    async fn handoffs(&self, org_id: &str, q: &HandoffQuery) -> Result<Vec<Handoff>, AppError> {
        let mut sql = format!("SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE organization_id = ?");
        if let Some(states) = &q.states {
            let marks = vec!["?"; states.len()].join(",");
            sql.push_str(&format!(" AND state IN ({marks})"));
        }
        if q.kind.is_some() {
            sql.push_str(" AND kind = ?");
        }
        if q.decision.is_some() {
            sql.push_str(" AND decision = ?");
        }
        if q.before.is_some() {
            sql.push_str(" AND id < ?");
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        let mut query = sqlx::query(&sql).bind(org_id);
        for s in q.states.iter().flatten() {
            query = query.bind(s.as_str());
        }
        if let Some(kind) = q.kind {
            query = query.bind(kind.as_str());
        }
        if let Some(decision) = &q.decision {
            query = query.bind(decision);
        }
        if let Some(before) = &q.before {
            query = query.bind(before);
        }
        let rows = query.bind(q.limit).fetch_all(&self.reader).await?;
        rows.iter().map(handoff_row).collect()
    }

    async fn transition(
        &self,
        org_id: &str,
        id: &str,
        decide: Decide<'_>,
    ) -> Result<Handoff, AppError> {
        let mut tx = self.writer.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT {HANDOFF_COLUMNS} FROM handoffs WHERE id = ? AND organization_id = ?"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::not_found("handoff"))?;
        let mut h = handoff_row(&row)?;
        let Change {
            plan,
            event,
            session,
            timer_fired,
            timers,
        } = decide(&h)?;
        let now = event.created_at.clone();

        if let Some(nonce) = &plan.consume_nonce {
            let operator = match &plan.actor {
                crate::domain::Actor::Operator(op) => op.clone(),
                _ => return Err(AppError::forbidden("only an operator consumes a link")),
            };
            sqlx::query(
                "INSERT INTO link_nonces (nonce, handoff_id, operator_id, consumed_at) \
                 VALUES (?,?,?,?)",
            )
            .bind(nonce)
            .bind(id)
            .bind(&operator)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    AppError::conflict("link_used", "this link has already been used")
                } else {
                    e.into()
                }
            })?;
        }

        h.state = plan.to;
        h.updated_at = now.clone();
        if let Some(a) = &plan.assignee {
            h.assignee = Some(a.clone());
        }
        if let Some(d) = &plan.decision {
            h.decision = Some(d.word().to_string());
            sqlx::query(
                "UPDATE approvals SET decision_note = ?, decided_by = ?, decided_at = ?, \
                 decided_payload = ? WHERE handoff_id = ?",
            )
            .bind(&d.note)
            .bind(&d.decided_by)
            .bind(&now)
            .bind(
                d.payload
                    .clone()
                    .map(|p| serde_json::Value::Object(p).to_string()),
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(timer) = &timer_fired {
            // The claim that makes a timer fire once, even with two workers.
            let claimed =
                sqlx::query("UPDATE timers SET fired_at = ? WHERE id = ? AND fired_at IS NULL")
                    .bind(&now)
                    .bind(timer)
                    .execute(&mut *tx)
                    .await?;
            if claimed.rows_affected() == 0 {
                return Err(AppError::conflict(
                    "timer_fired",
                    "this timer has already fired",
                ));
            }
        }
        for t in &timers {
            insert_timer(&mut tx, t).await?;
        }
        if plan.resolved && h.resolved_at.is_none() {
            h.resolved_at = Some(now.clone());
        }
        let written = sqlx::query(
            "UPDATE handoffs SET state = ?, version = version + 1, assignee = ?, decision = ?, \
             updated_at = ?, resolved_at = ? WHERE id = ? AND version = ?",
        )
        .bind(h.state.as_str())
        .bind(&h.assignee)
        .bind(&h.decision)
        .bind(&h.updated_at)
        .bind(&h.resolved_at)
        .bind(id)
        .bind(h.version)
        .execute(&mut *tx)
        .await?;
        if written.rows_affected() != 1 {
            return Err(AppError::conflict(
                "version_conflict",
                "the handoff was changed by someone else; reload and retry",
            ));
        }
        h.version += 1;

        if let Some(effect) = &plan.conversation {
            sqlx::query(
                "UPDATE conversations SET status = ?, termination_reason = ?, status_reason = ?, \
                 updated_at = ? WHERE id = ? AND organization_id = ?",
            )
            .bind(effect.status)
            .bind(effect.termination_reason)
            .bind(effect.status_reason)
            .bind(&now)
            .bind(&effect.conversation_id)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(s) = &session {
            sqlx::query(
                "INSERT INTO operator_sessions (token_hash, operator_id, organization_id, \
                 created_at, expires_at) VALUES (?,?,?,?,?)",
            )
            .bind(&s.token_hash)
            .bind(&s.operator_id)
            .bind(&s.organization_id)
            .bind(&s.created_at)
            .bind(&s.expires_at)
            .execute(&mut *tx)
            .await?;
        }
        append_event(&mut tx, org_id, id, &event).await?;
        tx.commit().await?;
        Ok(h)
    }

    async fn approval(&self, handoff_id: &str) -> Result<Option<Approval>, AppError> {
        let row = sqlx::query("SELECT * FROM approvals WHERE handoff_id = ?")
            .bind(handoff_id)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(approval_row).transpose()
    }

    async fn approvals_for(
        &self,
        handoff_ids: &[String],
    ) -> Result<std::collections::HashMap<String, Approval>, AppError> {
        if handoff_ids.is_empty() {
            return Ok(Default::default());
        }
        let marks = vec!["?"; handoff_ids.len()].join(",");
        let sql = format!("SELECT * FROM approvals WHERE handoff_id IN ({marks})");
        let mut query = sqlx::query(&sql);
        for id in handoff_ids {
            query = query.bind(id);
        }
        let rows = query.fetch_all(&self.reader).await?;
        rows.iter()
            .map(|r| Ok((r.get::<String, _>("handoff_id"), approval_row(r)?)))
            .collect()
    }

    async fn agent_details(&self, handoff_id: &str) -> Result<Option<AgentDetails>, AppError> {
        let row = sqlx::query("SELECT * FROM agent_handoffs WHERE handoff_id = ?")
            .bind(handoff_id)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| {
            Ok(AgentDetails {
                from_agent: r.get("from_agent"),
                to_agent: r.get("to_agent"),
                handoff_time: r.get("handoff_time"),
                context: serde_json::from_str(r.get::<&str, _>("context"))
                    .map_err(|_| corrupt("agent context", handoff_id))?,
            })
        })
        .transpose()
    }

    async fn approval_messages(&self, org_id: &str) -> Result<(String, String), AppError> {
        let r = sqlx::query("SELECT holding_line, waiting_reply FROM organizations WHERE id = ?")
            .bind(org_id)
            .fetch_one(&self.reader)
            .await?;
        Ok((r.get("holding_line"), r.get("waiting_reply")))
    }

    async fn set_approval_messages(
        &self,
        org_id: &str,
        holding_line: &str,
        waiting_reply: &str,
    ) -> Result<(), AppError> {
        sqlx::query("UPDATE organizations SET holding_line = ?, waiting_reply = ? WHERE id = ?")
            .bind(holding_line)
            .bind(waiting_reply)
            .bind(org_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn put_node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
        definition: &str,
        now: &str,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO workflow_nodes (organization_id, workflow_id, node_id, definition, updated_at) \
             VALUES (?,?,?,?,?) ON CONFLICT (organization_id, workflow_id, node_id) \
             DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(workflow_id)
        .bind(node_id)
        .bind(definition)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn node(
        &self,
        org_id: &str,
        workflow_id: &str,
        node_id: &str,
    ) -> Result<Option<String>, AppError> {
        let row = sqlx::query(
            "SELECT definition FROM workflow_nodes \
             WHERE organization_id = ? AND workflow_id = ? AND node_id = ?",
        )
        .bind(org_id)
        .bind(workflow_id)
        .bind(node_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| r.get("definition")))
    }

    async fn due_timers(&self, now: &str, limit: i64) -> Result<Vec<Timer>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM timers WHERE fired_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.writer)
        .await?;
        Ok(rows.iter().map(timer_row).collect())
    }

    async fn finish_timer(&self, id: &str, now: &str) -> Result<(), AppError> {
        sqlx::query("UPDATE timers SET fired_at = ? WHERE id = ? AND fired_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn idem_claim(
        &self,
        scope: &str,
        key: &str,
        request_hash: &str,
        now: &str,
    ) -> Result<IdemClaim, AppError> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at) VALUES (?,?,?,?) \
             ON CONFLICT (scope, idem_key) DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(request_hash)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(IdemClaim::New);
        }
        let r = sqlx::query(
            "SELECT request_hash, status, response FROM idempotency_keys WHERE scope = ? AND idem_key = ?",
        )
        .bind(scope)
        .bind(key)
        .fetch_one(&self.writer)
        .await?;
        if r.get::<&str, _>("request_hash") != request_hash {
            return Ok(IdemClaim::Mismatch);
        }
        Ok(
            match (
                r.get::<Option<i64>, _>("status"),
                r.get::<Option<String>, _>("response"),
            ) {
                (Some(status), Some(body)) => IdemClaim::Replay {
                    status: status as u16,
                    body,
                },
                _ => IdemClaim::InFlight,
            },
        )
    }

    async fn idem_finish(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), AppError> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = ?, response = ? WHERE scope = ? AND idem_key = ?",
        )
        .bind(status as i64)
        .bind(body)
        .bind(scope)
        .bind(key)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn idem_release(&self, scope: &str, key: &str) -> Result<(), AppError> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND status IS NULL",
        )
        .bind(scope)
        .bind(key)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn idem_purge(&self, before: &str) -> Result<u64, AppError> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?")
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    async fn recent_events(&self, org_id: &str, limit: i64) -> Result<Vec<ChainedEvent>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM handoff_events WHERE organization_id = ? ORDER BY seq DESC LIMIT ?",
        )
        .bind(org_id)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(event_row).collect()
    }

    async fn events_after(
        &self,
        org_id: &str,
        handoff_id: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<ChainedEvent>, AppError> {
        let rows = match handoff_id {
            Some(h) => {
                sqlx::query(
                    "SELECT * FROM handoff_events WHERE organization_id = ? AND handoff_id = ? AND seq > ? \
                     ORDER BY seq LIMIT ?",
                )
                .bind(org_id)
                .bind(h)
                .bind(after_seq)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT * FROM handoff_events WHERE organization_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                )
                .bind(org_id)
                .bind(after_seq)
                .bind(limit)
                .fetch_all(&self.reader)
                .await?
            }
        };
        rows.iter().map(event_row).collect()
    }

    async fn audit_head(&self, org_id: &str) -> Result<i64, AppError> {
        let row = sqlx::query("SELECT audit_seq FROM organizations WHERE id = ?")
            .bind(org_id)
            .fetch_optional(&self.reader)
            .await?
            .ok_or_else(|| AppError::not_found("organization"))?;
        Ok(row.get("audit_seq"))
    }

    async fn audit_chain(&self, org_id: &str) -> Result<AuditChain, AppError> {
        // One read transaction so the head and the rows are the same snapshot.
        let mut tx = self.reader.begin().await?;
        let head = sqlx::query("SELECT audit_seq, audit_head FROM organizations WHERE id = ?")
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::not_found("organization"))?;
        let rows = sqlx::query(
            "SELECT * FROM handoff_events WHERE organization_id = ? ORDER BY seq, rowid",
        )
        .bind(org_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(AuditChain {
            events: rows.iter().map(event_row).collect::<Result<_, _>>()?,
            head_seq: head.get("audit_seq"),
            head_hash: head.get("audit_head"),
        })
    }

    async fn handoff_events(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> Result<Vec<ChainedEvent>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM handoff_events WHERE organization_id = ? AND handoff_id = ? ORDER BY seq",
        )
        .bind(org_id)
        .bind(handoff_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(event_row).collect()
    }

    async fn insert_webhook(&self, w: &Webhook) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO webhooks (id, organization_id, url, events, secret, created_at, updated_at) \
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&w.id)
        .bind(&w.organization_id)
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(&w.created_at)
        .bind(&w.updated_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn webhooks(&self, org_id: &str) -> Result<Vec<Webhook>, AppError> {
        let rows =
            sqlx::query("SELECT * FROM webhooks WHERE organization_id = ? ORDER BY created_at, id")
                .bind(org_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.iter().map(webhook_row).collect())
    }

    async fn webhook(&self, org_id: &str, id: &str) -> Result<Option<Webhook>, AppError> {
        let row = sqlx::query("SELECT * FROM webhooks WHERE organization_id = ? AND id = ?")
            .bind(org_id)
            .bind(id)
            .fetch_optional(&self.writer)
            .await?;
        Ok(row.as_ref().map(webhook_row))
    }

    async fn update_webhook(&self, w: &Webhook) -> Result<bool, AppError> {
        let done = sqlx::query(
            "UPDATE webhooks SET url = ?, events = ?, secret = ?, updated_at = ? \
             WHERE organization_id = ? AND id = ?",
        )
        .bind(&w.url)
        .bind(serde_json::to_string(&w.events).expect("strings serialize"))
        .bind(&w.secret)
        .bind(&w.updated_at)
        .bind(&w.organization_id)
        .bind(&w.id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_webhook(&self, org_id: &str, id: &str) -> Result<bool, AppError> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE organization_id = ? AND webhook_id = ?")
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM webhooks WHERE organization_id = ? AND id = ?")
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn fan_out(&self, now: &str, limit: i64) -> Result<usize, AppError> {
        let mut tx = self.writer.begin().await?;
        // In seq order within each key, so a batch cut at `limit` never fans
        // out an event before an older one of the same handoff or conversation.
        // Every committed row is due: `available_at` is taken from a clock read
        // before the write lock, so an older seq may carry a later time, and
        // filtering on it could let a newer event overtake it.
        let rows = sqlx::query(
            "SELECT id, organization_id, event_id, handoff_id, conversation_id, ordering_key, seq, \
             topic, payload FROM outbox WHERE delivered_at IS NULL \
             ORDER BY ordering_key, seq LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let mut hooks: std::collections::HashMap<String, Vec<Webhook>> = Default::default();
        for r in &rows {
            let org: String = r.get("organization_id");
            if !hooks.contains_key(&org) {
                let found = sqlx::query("SELECT * FROM webhooks WHERE organization_id = ?")
                    .bind(&org)
                    .fetch_all(&mut *tx)
                    .await?;
                hooks.insert(org.clone(), found.iter().map(webhook_row).collect());
            }
            let topic: String = r.get("topic");
            for w in hooks[&org].iter().filter(|w| w.wants(&topic)) {
                sqlx::query(
                    "INSERT INTO webhook_deliveries (id, webhook_id, organization_id, event_id, \
                     ordering_key, seq, handoff_id, conversation_id, topic, payload, next_attempt_at, \
                     created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) \
                     ON CONFLICT (webhook_id, event_id) DO NOTHING",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(&w.id)
                .bind(&org)
                .bind(r.get::<String, _>("event_id"))
                .bind(r.get::<String, _>("ordering_key"))
                .bind(r.get::<i64, _>("seq"))
                .bind(r.get::<Option<String>, _>("handoff_id"))
                .bind(r.get::<Option<String>, _>("conversation_id"))
                .bind(&topic)
                .bind(r.get::<String, _>("payload"))
                .bind(now)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("UPDATE outbox SET delivered_at = ? WHERE id = ?")
                .bind(now)
                .bind(r.get::<String, _>("id"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    async fn due_deliveries(&self, now: &str, limit: i64) -> Result<Vec<Delivery>, AppError> {
        let rows = sqlx::query(
            "SELECT d.* FROM webhook_deliveries d \
             WHERE d.status = 'pending' AND d.next_attempt_at <= ? \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id \
               AND p.ordering_key = d.ordering_key AND p.status = 'pending' AND p.seq < d.seq) \
             ORDER BY d.next_attempt_at, d.id LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.writer)
        .await?;
        Ok(rows.iter().map(delivery_row).collect())
    }

    async fn record_attempt(&self, id: &str, attempt: &Attempt, now: &str) -> Result<(), AppError> {
        let (status, code, error, next_at, delivered_at) = match attempt {
            Attempt::Delivered { status } => ("delivered", Some(*status), None, None, Some(now)),
            Attempt::Retry {
                status,
                error,
                next_at,
            } => (
                "pending",
                *status,
                Some(error.as_str()),
                Some(next_at.as_str()),
                None,
            ),
            Attempt::Dead { status, error } => ("dead", *status, Some(error.as_str()), None, None),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, \
             last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ? \
             WHERE id = ?",
        )
        .bind(status)
        .bind(code)
        .bind(error)
        .bind(next_at)
        .bind(delivered_at)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn deliveries(
        &self,
        org_id: &str,
        webhook_id: &str,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Delivery>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM webhook_deliveries WHERE organization_id = ? AND webhook_id = ? \
             AND (? IS NULL OR status = ?) ORDER BY created_at DESC, id DESC LIMIT ?",
        )
        .bind(org_id)
        .bind(webhook_id)
        .bind(status)
        .bind(status)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(delivery_row).collect())
    }

    async fn redeliver(
        &self,
        org_id: &str,
        webhook_id: &str,
        delivery_id: &str,
        now: &str,
    ) -> Result<bool, AppError> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, delivered_at = NULL \
             WHERE organization_id = ? AND webhook_id = ? AND id = ?",
        )
        .bind(now)
        .bind(org_id)
        .bind(webhook_id)
        .bind(delivery_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn save_push_subscription(&self, p: &PushSubscription) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO push_subscriptions \
             (endpoint, organization_id, operator_id, p256dh, auth, created_at) VALUES (?,?,?,?,?,?) \
             ON CONFLICT (endpoint) DO UPDATE SET organization_id = excluded.organization_id, \
             operator_id = excluded.operator_id, p256dh = excluded.p256dh, auth = excluded.auth",
        )
        .bind(&p.endpoint)
        .bind(&p.organization_id)
        .bind(&p.operator_id)
        .bind(&p.p256dh)
        .bind(&p.auth)
        .bind(&p.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn push_subscriptions(
        &self,
        operator_id: &str,
    ) -> Result<Vec<PushSubscription>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM push_subscriptions WHERE operator_id = ? ORDER BY created_at, endpoint",
        )
        .bind(operator_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(push_row).collect())
    }

    async fn org_push_subscriptions(
        &self,
        org_id: &str,
    ) -> Result<Vec<PushSubscription>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM push_subscriptions WHERE organization_id = ? \
             ORDER BY operator_id, created_at, endpoint",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(push_row).collect())
    }

    async fn delete_push_subscription(
        &self,
        endpoint: &str,
        operator_id: Option<&str>,
    ) -> Result<bool, AppError> {
        let done = sqlx::query(
            "DELETE FROM push_subscriptions WHERE endpoint = ? AND (? IS NULL OR operator_id = ?)",
        )
        .bind(endpoint)
        .bind(operator_id)
        .bind(operator_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn secret_or_insert(
        &self,
        name: &str,
        fresh: &str,
        now: &str,
    ) -> Result<String, AppError> {
        sqlx::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES (?,?,?) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .bind(now)
        .execute(&self.writer)
        .await?;
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = ?")
            .bind(name)
            .fetch_one(&self.writer)
            .await?;
        Ok(row.get("value"))
    }

    async fn nonce_used(&self, nonce: &str) -> Result<bool, AppError> {
        let row = sqlx::query("SELECT 1 FROM link_nonces WHERE nonce = ?")
            .bind(nonce)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.is_some())
    }

    async fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>, AppError> {
        let row = sqlx::query(
            "SELECT s.operator_id, s.organization_id, s.expires_at FROM operator_sessions s \
             JOIN operators o ON o.id = s.operator_id \
             WHERE s.token_hash = ? AND s.expires_at > ? AND o.active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|r| Session {
            operator_id: r.get("operator_id"),
            organization_id: r.get("organization_id"),
            expires_at: r.get("expires_at"),
        }))
    }

    // --- Observability: the trace stream and time to human ----------------

    async fn trace_after(
        &self,
        org_id: &str,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<TraceRow>, AppError> {
        // Both subqueries walk handoff_events_handoff (handoff_id, seq).
        let rows = sqlx::query(
            "SELECT e.*, h.kind AS handoff_kind, \
             (SELECT c.created_at FROM handoff_events c WHERE c.handoff_id = e.handoff_id \
               ORDER BY c.seq LIMIT 1) AS handoff_created_at, \
             (SELECT p.created_at FROM handoff_events p WHERE p.handoff_id = e.handoff_id \
               AND p.seq < e.seq ORDER BY p.seq DESC LIMIT 1) AS previous_at \
             FROM handoff_events e JOIN handoffs h ON h.id = e.handoff_id \
             WHERE e.organization_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?",
        )
        .bind(org_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TraceRow {
                    event: event_row(r)?,
                    kind: r.get("handoff_kind"),
                    handoff_created_at: r.get("handoff_created_at"),
                    previous_at: r.get("previous_at"),
                })
            })
            .collect()
    }

    async fn milestone_events(
        &self,
        org_id: &str,
        events: &[&str],
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<(String, ChainedEvent)>, AppError> {
        let marks = vec!["?"; events.len()].join(",");
        let sql = format!(
            "SELECT e.*, h.kind AS handoff_kind FROM handoff_events e \
             JOIN handoffs h ON h.id = e.handoff_id \
             WHERE e.organization_id = ? AND e.event IN ({marks}) AND e.handoff_id IN \
             (SELECT c.handoff_id FROM handoff_events c WHERE c.organization_id = ? \
              AND c.event = 'create' AND (? IS NULL OR c.created_at >= ?) \
              AND (? IS NULL OR c.created_at < ?)) \
             ORDER BY e.seq"
        );
        let mut query = sqlx::query(&sql).bind(org_id);
        for e in events {
            query = query.bind(*e);
        }
        let rows = query
            .bind(org_id)
            .bind(from)
            .bind(from)
            .bind(to)
            .bind(to)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| Ok((r.get("handoff_kind"), event_row(r)?)))
            .collect()
    }
}
