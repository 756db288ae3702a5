use super::{fmt_ts, ts, PgStore, Ts, Tx};
use crate::domain::assist::Viewport;
use crate::domain::records::{AssistRecord, PendingAction, SealedFrame, SealedState};
use crate::domain::writes::NewAssist;
use crate::store::{AssistStore, StoreResult};
use async_trait::async_trait;

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
    frame_at: Option<Ts>,
    action_seq: i64,
    last_action_at: Option<Ts>,
    purged_at: Option<Ts>,
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
            frame_at: r.frame_at.map(fmt_ts),
            action_seq: r.action_seq,
            last_action_at: r.last_action_at.map(fmt_ts),
            purged_at: r.purged_at.map(fmt_ts),
        }
    }
}

/// Writes a new assist handoff's details (and capture) in the creation's transaction.
pub(super) async fn insert_in(tx: &mut Tx<'_>, new: &NewAssist) -> StoreResult<()> {
    let r = &new.record;
    sqlx::query(
        "INSERT INTO assist_handoffs (handoff_id, organization_id, agent_id, interruption_type, \
         domain, url, question, input) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
    )
    .bind(&r.handoff_id)
    .bind(&r.organization_id)
    .bind(&r.agent_id)
    .bind(&r.interruption_type)
    .bind(&r.domain)
    .bind(&r.url)
    .bind(&r.question)
    .bind(&r.input)
    .execute(&mut **tx)
    .await?;
    if let Some((frame, state)) = &new.capture {
        put_frame_in(tx, &r.handoff_id, frame, Some(state)).await?;
    }
    Ok(())
}

async fn put_frame_in(
    tx: &mut Tx<'_>,
    handoff_id: &str,
    f: &SealedFrame,
    state: Option<&SealedState>,
) -> StoreResult<i64> {
    let (seq,): (i64,) = sqlx::query_as(
        "UPDATE assist_handoffs SET frame_seq = frame_seq + 1, frame = $1, frame_type = $2, \
         viewport_width = $3, viewport_height = $4, frame_at = $5 WHERE handoff_id = $6 \
         RETURNING frame_seq",
    )
    .bind(&f.sealed)
    .bind(&f.mime)
    .bind(f.viewport.width)
    .bind(f.viewport.height)
    .bind(ts(&f.at)?)
    .bind(handoff_id)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(s) = state {
        sqlx::query(
            "UPDATE assist_handoffs SET dom_snapshot = $1, browser_state = $2 WHERE handoff_id = $3",
        )
        .bind(&s.dom_snapshot)
        .bind(&s.browser_state)
        .bind(handoff_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(seq)
}

const COLUMNS: &str = "handoff_id, organization_id, agent_id, interruption_type, domain, url, \
     question, input, viewport_width, viewport_height, frame_seq, frame_at, action_seq, \
     last_action_at, purged_at";

#[async_trait]
impl AssistStore for PgStore {
    async fn assist(&self, org_id: &str, handoff_id: &str) -> StoreResult<Option<AssistRecord>> {
        let row: Option<AssistRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM assist_handoffs WHERE handoff_id = $1 AND organization_id = $2"
        ))
        .bind(handoff_id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Into::into))
    }

    async fn assists(
        &self,
        org_id: &str,
        handoff_ids: &[String],
    ) -> StoreResult<Vec<AssistRecord>> {
        let rows: Vec<AssistRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM assist_handoffs WHERE organization_id = $1 AND handoff_id = ANY($2)"
        ))
        .bind(org_id)
        .bind(handoff_ids)
        .fetch_all(&self.pool)
        .await?;
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
            Option<Ts>,
        )> = sqlx::query_as(
            "SELECT frame_seq, frame_type, frame, viewport_width, viewport_height, frame_at \
                 FROM assist_handoffs WHERE handoff_id = $1 AND organization_id = $2",
        )
        .bind(handoff_id)
        .bind(org_id)
        .fetch_optional(&self.pool)
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
                    at: fmt_ts(at?),
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
        let mut tx = self.pool.begin().await?;
        let owned: Option<(i64,)> = sqlx::query_as(
            "SELECT frame_seq FROM assist_handoffs WHERE handoff_id = $1 AND organization_id = $2",
        )
        .bind(handoff_id)
        .bind(org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if owned.is_none() {
            return Err(crate::store::StoreError::NotFound);
        }
        let seq = put_frame_in(&mut tx, handoff_id, frame, state).await?;
        tx.commit().await?;
        Ok(seq)
    }

    async fn push_assist_action(
        &self,
        org_id: &str,
        handoff_id: &str,
        sealed: &str,
        at: &str,
        pending_max: i64,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let (pending,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM assist_actions WHERE handoff_id = $1")
                .bind(handoff_id)
                .fetch_one(&mut *tx)
                .await?;
        if pending >= pending_max {
            return Ok(None);
        }
        let (seq,): (i64,) = sqlx::query_as(
            "UPDATE assist_handoffs SET action_seq = action_seq + 1, last_action_at = $1 \
             WHERE handoff_id = $2 AND organization_id = $3 RETURNING action_seq",
        )
        .bind(ts(at)?)
        .bind(handoff_id)
        .bind(org_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO assist_actions (handoff_id, seq, organization_id, action, created_at) \
             VALUES ($1,$2,$3,$4,$5)",
        )
        .bind(handoff_id)
        .bind(seq)
        .bind(org_id)
        .bind(sealed)
        .bind(ts(at)?)
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
        let rows: Vec<(i64, String, Ts)> = sqlx::query_as(
            "SELECT seq, action, created_at FROM assist_actions \
             WHERE handoff_id = $1 AND organization_id = $2 AND seq > $3 ORDER BY seq LIMIT $4",
        )
        .bind(handoff_id)
        .bind(org_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, sealed, created_at)| PendingAction {
                seq,
                sealed,
                created_at: fmt_ts(created_at),
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
            "DELETE FROM assist_actions WHERE handoff_id = $1 AND organization_id = $2 AND seq <= $3",
        )
        .bind(handoff_id)
        .bind(org_id)
        .bind(up_to)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn purge_assist_captures(&self, ended_before: &str, now: &str) -> StoreResult<u64> {
        let ended = |n: u8| {
            format!(
                "SELECT id FROM handoffs WHERE kind = 'assist' \
                 AND state IN ('completed', 'expired', 'cancelled', 'failed') AND updated_at < ${n}"
            )
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "DELETE FROM assist_actions WHERE handoff_id IN ({})",
            ended(1)
        ))
        .bind(ts(ended_before)?)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query(&format!(
            "UPDATE assist_handoffs SET frame = NULL, frame_type = NULL, dom_snapshot = NULL, \
             browser_state = NULL, purged_at = $1 WHERE purged_at IS NULL AND handoff_id IN ({})",
            ended(2)
        ))
        .bind(ts(now)?)
        .bind(ts(ended_before)?)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
