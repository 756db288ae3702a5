use super::{marks, SqliteStore};
use crate::domain::assist::Viewport;
use crate::domain::records::{AssistRecord, PendingAction, SealedFrame, SealedState};
use crate::domain::writes::NewAssist;
use crate::store::{AssistStore, StoreResult};
use async_trait::async_trait;
use rusqlite::{params, Connection};

#[derive(sqlx::FromRow)]
struct AssistRow {
    handoff_id: String,
    organization_id: String,
    agent_id: String,
    interruption_type: String,
    domain: String,
    url: String,
    question: String,
    input: String,
    viewport_width: Option<i64>,
    viewport_height: Option<i64>,
    frame_seq: i64,
    frame_at: Option<String>,
    action_seq: i64,
    last_action_at: Option<String>,
    purged_at: Option<String>,
}

impl From<AssistRow> for AssistRecord {
    fn from(r: AssistRow) -> Self {
        AssistRecord {
            viewport: r
                .viewport_width
                .zip(r.viewport_height)
                .map(|(width, height)| Viewport { width, height }),
            handoff_id: r.handoff_id,
            organization_id: r.organization_id,
            agent_id: r.agent_id,
            interruption_type: r.interruption_type,
            domain: r.domain,
            url: r.url,
            question: r.question,
            input: r.input,
            frame_seq: r.frame_seq,
            frame_at: r.frame_at,
            action_seq: r.action_seq,
            last_action_at: r.last_action_at,
            purged_at: r.purged_at,
        }
    }
}

/// Writes a new assist handoff's details (and capture) in the creation's transaction.
pub(super) fn insert_in(c: &Connection, new: &NewAssist) -> StoreResult<()> {
    let r = &new.record;
    c.prepare_cached(
        "INSERT INTO assist_handoffs (handoff_id, organization_id, agent_id, interruption_type, \
         domain, url, question, input) VALUES (?,?,?,?,?,?,?,?)",
    )?
    .execute(params![
        r.handoff_id,
        r.organization_id,
        r.agent_id,
        r.interruption_type,
        r.domain,
        r.url,
        r.question,
        r.input,
    ])?;
    if let Some((frame, state)) = &new.capture {
        put_frame_in(c, &r.handoff_id, frame, Some(state))?;
    }
    Ok(())
}

fn put_frame_in(
    c: &Connection,
    handoff_id: &str,
    f: &SealedFrame,
    state: Option<&SealedState>,
) -> StoreResult<i64> {
    let seq: i64 = c
        .prepare_cached(
            "UPDATE assist_handoffs SET frame_seq = frame_seq + 1, frame = ?, frame_type = ?, \
             viewport_width = ?, viewport_height = ?, frame_at = ? WHERE handoff_id = ? \
             RETURNING frame_seq",
        )?
        .query_row(
            params![
                f.sealed,
                f.mime,
                f.viewport.width,
                f.viewport.height,
                f.at,
                handoff_id
            ],
            |r| r.get(0),
        )?;
    if let Some(s) = state {
        c.prepare_cached(
            "UPDATE assist_handoffs SET dom_snapshot = ?, browser_state = ? WHERE handoff_id = ?",
        )?
        .execute(params![s.dom_snapshot, s.browser_state, handoff_id])?;
    }
    Ok(seq)
}

/// A new frame of a handoff of `org_id`, or `NotFound`.
fn put_frame(
    c: &Connection,
    org_id: &str,
    handoff_id: &str,
    frame: &SealedFrame,
    state: Option<&SealedState>,
) -> StoreResult<i64> {
    let owned = c
        .prepare_cached(
            "SELECT 1 FROM assist_handoffs WHERE handoff_id = ? AND organization_id = ?",
        )?
        .exists(params![handoff_id, org_id])?;
    if !owned {
        return Err(crate::store::StoreError::NotFound);
    }
    put_frame_in(c, handoff_id, frame, state)
}

const COLUMNS: &str = "handoff_id, organization_id, agent_id, interruption_type, domain, url, \
     question, input, viewport_width, viewport_height, frame_seq, frame_at, action_seq, \
     last_action_at, purged_at";

#[async_trait]
impl AssistStore for SqliteStore {
    async fn assist(&self, org_id: &str, handoff_id: &str) -> StoreResult<Option<AssistRecord>> {
        let row: Option<AssistRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM assist_handoffs WHERE handoff_id = ? AND organization_id = ?"
        ))
        .bind(handoff_id)
        .bind(org_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(Into::into))
    }

    async fn assists(
        &self,
        org_id: &str,
        handoff_ids: &[String],
    ) -> StoreResult<Vec<AssistRecord>> {
        if handoff_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM assist_handoffs WHERE organization_id = ? AND handoff_id IN ({})",
            marks(handoff_ids.len())
        );
        let mut query = sqlx::query_as(&sql).bind(org_id);
        for id in handoff_ids {
            query = query.bind(id);
        }
        let rows: Vec<AssistRow> = query.fetch_all(&self.reader).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn assist_frame(
        &self,
        org_id: &str,
        handoff_id: &str,
    ) -> StoreResult<Option<(i64, SealedFrame)>> {
        #[allow(clippy::type_complexity)]
        let row: Option<(
            i64,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT frame_seq, frame_type, frame, viewport_width, viewport_height, frame_at \
                 FROM assist_handoffs WHERE handoff_id = ? AND organization_id = ?",
        )
        .bind(handoff_id)
        .bind(org_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.and_then(|(seq, mime, sealed, w, h, at)| {
            Some((
                seq,
                SealedFrame {
                    mime: mime?,
                    sealed: sealed?,
                    viewport: Viewport {
                        width: w?,
                        height: h?,
                    },
                    at: at?,
                },
            ))
        }))
    }

    async fn put_assist_frame(
        &self,
        org_id: &str,
        handoff_id: &str,
        frame: &SealedFrame,
        state: Option<&SealedState>,
    ) -> StoreResult<i64> {
        let (org_id, handoff_id) = (org_id.to_string(), handoff_id.to_string());
        let (frame, state) = (frame.clone(), state.cloned());
        self.group
            .write(move |c| put_frame(c, &org_id, &handoff_id, &frame, state.as_ref()))
            .await
    }

    async fn push_assist_action(
        &self,
        org_id: &str,
        handoff_id: &str,
        sealed: &str,
        at: &str,
        pending_max: i64,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.writer.begin().await?;
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM assist_actions WHERE handoff_id = ?")
                .bind(handoff_id)
                .fetch_one(&mut *tx)
                .await?;
        if pending >= pending_max {
            return Ok(None);
        }
        let (seq,): (i64,) = sqlx::query_as(
            "UPDATE assist_handoffs SET action_seq = action_seq + 1, last_action_at = ? \
             WHERE handoff_id = ? AND organization_id = ? RETURNING action_seq",
        )
        .bind(at)
        .bind(handoff_id)
        .bind(org_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO assist_actions (handoff_id, seq, organization_id, action, created_at) \
             VALUES (?,?,?,?,?)",
        )
        .bind(handoff_id)
        .bind(seq)
        .bind(org_id)
        .bind(sealed)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(seq))
    }

    async fn assist_actions(
        &self,
        org_id: &str,
        handoff_id: &str,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<PendingAction>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT seq, action, created_at FROM assist_actions \
             WHERE handoff_id = ? AND organization_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(handoff_id)
        .bind(org_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, sealed, created_at)| PendingAction {
                seq,
                sealed,
                created_at,
            })
            .collect())
    }

    async fn ack_assist_actions(
        &self,
        org_id: &str,
        handoff_id: &str,
        up_to: i64,
    ) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM assist_actions WHERE handoff_id = ? AND organization_id = ? AND seq <= ?",
        )
        .bind(handoff_id)
        .bind(org_id)
        .bind(up_to)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    async fn purge_assist_captures(&self, ended_before: &str, now: &str) -> StoreResult<u64> {
        const ENDED: &str = "SELECT id FROM handoffs WHERE kind = 'assist' \
             AND state IN ('completed', 'expired', 'cancelled', 'failed') AND updated_at < ?";
        let mut tx = self.writer.begin().await?;
        sqlx::query(&format!(
            "DELETE FROM assist_actions WHERE handoff_id IN ({ENDED})"
        ))
        .bind(ended_before)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query(&format!(
            "UPDATE assist_handoffs SET frame = NULL, frame_type = NULL, dom_snapshot = NULL, \
             browser_state = NULL, purged_at = ? WHERE purged_at IS NULL AND handoff_id IN ({ENDED})"
        ))
        .bind(now)
        .bind(ended_before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
