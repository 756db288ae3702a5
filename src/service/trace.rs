//! The trace stream's view of a transition: what happened to which handoff,
//! and how long after the handoff's creation and after its previous step.

use super::App;
use crate::error::AppError;
use crate::store::TraceRow;
use serde::Serialize;

/// One transition as `GET /api/v1/audit/trace/stream` sends it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transition {
    /// The event's seq in the organization's audit chain (also the SSE id).
    pub seq: i64,
    pub event_id: String,
    pub handoff_id: String,
    pub kind: String,
    /// `create`, `notify`, `open`, `decide`, `resolve`, …
    pub event: String,
    /// Null for `create`.
    pub from: Option<String>,
    pub to: String,
    pub actor: String,
    pub at: String,
    /// Since the handoff's `create` event (0 for that event itself).
    pub ms_since_created: i64,
    /// Since the handoff's previous event; null for `create`.
    pub ms_since_previous: Option<i64>,
}

fn millis(t: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.timestamp_millis())
}

fn ms_between(earlier: &str, later: &str) -> Option<i64> {
    Some(millis(later)? - millis(earlier)?)
}

impl From<TraceRow> for Transition {
    fn from(r: TraceRow) -> Self {
        let e = r.event.event;
        Transition {
            ms_since_created: ms_between(&r.handoff_created_at, &e.created_at).unwrap_or(0),
            ms_since_previous: r
                .previous_at
                .as_deref()
                .and_then(|p| ms_between(p, &e.created_at)),
            seq: e.seq,
            event_id: e.id,
            handoff_id: e.handoff_id,
            kind: r.kind,
            event: e.event,
            from: e.from_state,
            to: e.to_state,
            actor: e.actor,
            at: e.created_at,
        }
    }
}

/// The organization's transitions after `after_seq`, oldest first.
pub async fn after(
    app: &App,
    org_id: &str,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<Transition>, AppError> {
    Ok(app
        .store
        .trace_after(org_id, after_seq, limit)
        .await?
        .into_iter()
        .map(Transition::from)
        .collect())
}

/// Where a trace stream starts: after `Last-Event-ID` when the client
/// reconnects, else after `?after_seq=`, else at the chain head (only new events).
pub fn parse_after_seq(raw: Option<&str>) -> Result<Option<i64>, AppError> {
    raw.map(|s| {
        s.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| {
                AppError::invalid_field(
                    "after_seq",
                    "must be an audit seq (a non-negative integer)",
                )
            })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    #[test]
    fn after_seq_is_a_non_negative_integer() {
        assert_eq!(super::parse_after_seq(None).unwrap(), None);
        assert_eq!(super::parse_after_seq(Some("12")).unwrap(), Some(12));
        for bad in ["-1", "x", ""] {
            let e = super::parse_after_seq(Some(bad)).unwrap_err();
            assert_eq!(e.fields[0].field, "after_seq", "{bad}");
        }
    }

    #[test]
    fn milliseconds_between_stored_timestamps() {
        assert_eq!(
            super::ms_between("2026-11-21T09:00:00.000000Z", "2026-11-21T09:00:01.250000Z"),
            Some(1250)
        );
        assert_eq!(super::ms_between("garbage", "2026-11-21T09:00:00Z"), None);
    }
}
