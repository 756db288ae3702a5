//! Audit chain verification, shared by `tapin audit verify` and the admin UI.

use super::App;
use crate::domain::audit::{verify_chain, ChainBreak, ChainedEvent};
use crate::domain::records::Org;
use crate::error::AppError;

/// Outcome for one organization.
pub struct Verified {
    pub org: Org,
    pub result: Result<usize, ChainBreak>,
}

pub async fn verify(app: &App, only_slug: Option<&str>) -> Result<Vec<Verified>, AppError> {
    let orgs = match only_slug {
        Some(slug) => vec![app
            .store
            .org_by_slug(slug)
            .await?
            .ok_or_else(|| AppError::not_found("organization"))?],
        None => app.store.orgs().await?,
    };
    let mut out = Vec::new();
    for org in orgs {
        let chain = app.store.audit_chain(&org.id).await?;
        let result = verify_chain(&chain.events, chain.head_seq, &chain.head_hash);
        out.push(Verified { org, result });
    }
    Ok(out)
}

/// The export formats of `GET /api/v1/audit/export.{jsonl,csv}` and `tapin audit export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

/// Columns of the CSV export (`data` is the event's JSON).
pub const CSV_HEADER: &str =
    "seq,id,created_at,handoff_id,event,from_state,to_state,actor,data,prev_hash,hash\n";

/// Events created in `[from, to)`; either end may be open.
#[derive(Clone, Debug, Default)]
pub struct TimeRange {
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
}

impl TimeRange {
    /// Parses RFC 3339 bounds; a bad one is a 422 naming `from` or `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<TimeRange, AppError> {
        let parse = |field: &str, v: Option<&str>| {
            v.filter(|s| !s.is_empty())
                .map(|s| {
                    chrono::DateTime::parse_from_rfc3339(s)
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .map_err(|_| {
                            AppError::invalid_field(
                                field,
                                "must be an RFC 3339 time such as 2026-11-21T09:00:00Z",
                            )
                        })
                })
                .transpose()
        };
        Ok(TimeRange {
            from: parse("from", from)?,
            to: parse("to", to)?,
        })
    }

    /// The bounds as stored timestamps, for comparing in the store.
    pub fn stored(&self) -> (Option<String>, Option<String>) {
        (
            self.from.map(super::format_time),
            self.to.map(super::format_time),
        )
    }

    fn holds(&self, created_at: &str) -> bool {
        let Ok(t) = chrono::DateTime::parse_from_rfc3339(created_at) else {
            return true; // never hide a row an auditor should see
        };
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|to| t < to)
    }
}

/// One exported row: the event exactly as hashed, plus its chain links, so an
/// auditor can recompute `hash = sha256(hex_decode(prev_hash) || canonical(event))`.
pub fn jsonl_line(e: &ChainedEvent) -> String {
    let mut v = serde_json::to_value(&e.event).expect("audit event serializes");
    v["prev_hash"] = e.prev_hash.clone().into();
    v["hash"] = e.hash.clone().into();
    format!("{v}\n")
}

pub fn csv_line(e: &ChainedEvent) -> String {
    let ev = &e.event;
    let cells = [
        ev.seq.to_string(),
        ev.id.clone(),
        ev.created_at.clone(),
        ev.handoff_id.clone(),
        ev.event.clone(),
        ev.from_state.clone().unwrap_or_default(),
        ev.to_state.clone(),
        ev.actor.clone(),
        ev.data.to_string(),
        e.prev_hash.clone(),
        e.hash.clone(),
    ];
    let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    format!("{}\n", quoted.join(","))
}

/// RFC 4180 quoting; a leading formula character is prefixed with `'` so a
/// spreadsheet never evaluates audit content.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Rows per store read: memory stays flat however long the chain is.
const EXPORT_PAGE: i64 = 500;

/// The organization's events in chain order as text chunks, read page by page.
pub fn export(
    app: App,
    org_id: String,
    range: TimeRange,
    format: ExportFormat,
) -> impl futures::Stream<Item = Result<String, AppError>> + Send {
    let header = (format == ExportFormat::Csv).then(|| CSV_HEADER.to_string());
    let first = futures::stream::iter(header.map(Ok));
    let pages = futures::stream::try_unfold(Some(0i64), move |after| {
        let (app, org_id, range) = (app.clone(), org_id.clone(), range.clone());
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let rows = app
                .store
                .events_after(&org_id, None, after, EXPORT_PAGE)
                .await?;
            let Some(last) = rows.last() else {
                return Ok(None);
            };
            let next = (rows.len() as i64 == EXPORT_PAGE).then_some(last.event.seq);
            let chunk: String = rows
                .iter()
                .filter(|e| range.holds(&e.event.created_at))
                .map(|e| match format {
                    ExportFormat::Jsonl => jsonl_line(e),
                    ExportFormat::Csv => csv_line(e),
                })
                .collect();
            Ok(Some((chunk, next)))
        }
    });
    futures::StreamExt::chain(first, pages)
}

/// The organization's latest audit seq (0 before the first event): where a
/// live stream that replays nothing starts.
pub async fn head(app: &App, org_id: &str) -> Result<i64, AppError> {
    Ok(app.store.audit_head(org_id).await?)
}

/// Events after `after_seq`, oldest first: of one handoff, or of the organization.
pub async fn events_after(
    app: &App,
    org_id: &str,
    handoff_id: Option<&str>,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<ChainedEvent>, AppError> {
    Ok(app
        .store
        .events_after(org_id, handoff_id, after_seq, limit)
        .await?)
}

/// A handoff's whole trail, oldest first.
pub async fn handoff_events(
    app: &App,
    org_id: &str,
    handoff_id: &str,
) -> Result<Vec<ChainedEvent>, AppError> {
    Ok(app.store.handoff_events(org_id, handoff_id).await?)
}

/// The organization's newest events, newest first.
pub async fn recent(app: &App, org_id: &str, limit: i64) -> Result<Vec<ChainedEvent>, AppError> {
    Ok(app.store.recent_events(org_id, limit).await?)
}

/// Verifies one organization's chain: how many events hold, or where it breaks.
pub async fn verify_org(app: &App, org_id: &str) -> Result<Result<usize, ChainBreak>, AppError> {
    let chain = app.store.audit_chain(org_id).await?;
    Ok(verify_chain(
        &chain.events,
        chain.head_seq,
        &chain.head_hash,
    ))
}
