//! Audit chain verification, shared by `tapin audit verify` and the admin UI.

use super::App;
use crate::domain::audit::{
    answer_digest, approval_digest, decision_digest, packet_digest, reaches, recorded_content,
    verify_chain, ChainBreak, ChainedEvent, Checkpoint, CheckpointHead,
};
use crate::domain::records::Org;
use crate::domain::transcript_chain::{transcript_reaches, verify_transcript, TranscriptHead};
use crate::error::AppError;

/// Outcome for one organization.
pub struct Verified {
    pub org: Org,
    pub result: Result<usize, ChainBreak>,
}

/// Verifies every organization (or one): the chain links and hashes, the
/// stored content against the digests its events recorded, and, given a
/// signed checkpoint, that each chain still passes through the signed head.
pub async fn verify(
    app: &App,
    only_slug: Option<&str>,
    checkpoint: Option<&Checkpoint>,
) -> Result<Vec<Verified>, AppError> {
    let orgs = match only_slug {
        Some(slug) => vec![app
            .store
            .org_by_slug(slug)
            .await?
            .ok_or_else(|| AppError::not_found("organization"))?],
        None => app.store.orgs().await?,
    };
    if let Some(cp) = checkpoint {
        if !cp.signed_by(app.keys.checkpoint_key()) {
            return Err(AppError::invalid_field(
                "checkpoint",
                "the signature does not match: the file was changed, or it was signed with another master key",
            ));
        }
    }
    let mut out = Vec::new();
    for org in &orgs {
        let head = checkpoint.and_then(|cp| {
            cp.organizations
                .iter()
                .find(|h| h.organization_id == org.id)
        });
        let result = verify_one(app, &org.id, head).await?;
        out.push(Verified {
            org: org.clone(),
            result,
        });
    }
    // An organization the checkpoint signed that is gone from the database.
    if let (Some(cp), None) = (checkpoint, only_slug) {
        for h in &cp.organizations {
            if !orgs.iter().any(|o| o.id == h.organization_id) {
                out.push(Verified {
                    org: Org {
                        id: h.organization_id.clone(),
                        slug: h.slug.clone(),
                        name: h.slug.clone(),
                        created_at: String::new(),
                    },
                    result: Err(ChainBreak::Missing),
                });
            }
        }
    }
    Ok(out)
}

async fn verify_one(
    app: &App,
    org_id: &str,
    head: Option<&CheckpointHead>,
) -> Result<Result<usize, ChainBreak>, AppError> {
    let chain = app.store.audit_chain(org_id).await?;
    let n = match verify_chain(&chain.events, chain.head_seq, &chain.head_hash) {
        Ok(n) => n,
        Err(e) => return Ok(Err(e)),
    };
    if let Some(head) = head {
        if let Err(e) = reaches(&chain.events, head) {
            return Ok(Err(e));
        }
    }
    if let Err(e) = verify_content(app, org_id, &chain.events).await? {
        return Ok(Err(e));
    }
    if let Err(e) = verify_transcripts(app, org_id, head.map(|h| &h.transcripts[..])).await? {
        return Ok(Err(e));
    }
    Ok(Ok(n))
}

/// Walks every transcript of the organization (one at a time: memory stays
/// one transcript) and, given the checkpoint's transcript heads, checks that
/// each signed transcript still passes through its head.
async fn verify_transcripts(
    app: &App,
    org_id: &str,
    signed: Option<&[TranscriptHead]>,
) -> Result<Result<(), ChainBreak>, AppError> {
    let conversations = app.store.conversations_with_messages(org_id).await?;
    for c in &conversations {
        let mut rows = app.store.transcript_chain(&c.id).await?;
        // Judged up to the head read above: later lines are live appends.
        rows.retain(|r| r.message.seq <= c.last_seq);
        if let Err(e) = verify_transcript(&c.id, &rows, c.last_seq, c.head_hash.as_deref()) {
            return Ok(Err(e));
        }
        let head = signed.and_then(|hs| hs.iter().find(|h| h.conversation_id == c.id));
        if let Some(head) = head {
            if let Err(e) = transcript_reaches(&rows, head) {
                return Ok(Err(e));
            }
        }
    }
    // A signed transcript whose conversation (or every message) is gone.
    for head in signed.unwrap_or_default() {
        if !conversations.iter().any(|c| c.id == head.conversation_id) {
            return Ok(Err(ChainBreak::Transcript {
                conversation_id: head.conversation_id.clone(),
                seq: head.seq,
                why: "is in the signed checkpoint but its messages are gone".into(),
            }));
        }
    }
    Ok(Ok(()))
}

/// Recomputes the digest of every packet, approval request and decision an
/// event recorded from the rows as they are stored now.
async fn verify_content(
    app: &App,
    org_id: &str,
    events: &[ChainedEvent],
) -> Result<Result<(), ChainBreak>, AppError> {
    for e in events {
        let mut recorded = recorded_content(&e.event);
        // The decision is named before the payload digest derived from it.
        const ORDER: [&str; 6] = [
            "packet",
            "approval",
            "decision",
            "answer",
            "vote",
            "approved_payload",
        ];
        recorded.sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
        if recorded.is_empty() {
            continue; // written before content was covered, or nothing to cover
        }
        let hid = &e.event.handoff_id;
        let handoff = app.store.handoff(org_id, hid).await?;
        let approval = match recorded.iter().any(|(k, _)| k != "packet") {
            true => app.store.approval(hid).await?,
            false => None,
        };
        for (what, want) in &recorded {
            let now = match what.as_str() {
                "packet" => handoff.as_ref().map(|h| packet_digest(&h.packet)),
                "approval" => approval.as_ref().map(approval_digest),
                "decision" => approval.as_ref().map(|a| {
                    let approved =
                        handoff.as_ref().and_then(|h| h.decision.as_deref()) == Some("approved");
                    decision_digest(
                        approved,
                        a.decision_note.as_deref(),
                        a.decided_by.as_deref(),
                        a.decided_payload.as_ref(),
                    )
                }),
                "vote" => approval.as_ref().map(|a| {
                    a.votes
                        .iter()
                        .find(|v| v.voter == e.event.actor)
                        .map(crate::domain::audit::vote_digest)
                        .unwrap_or_default()
                }),
                "approved_payload" => approval.as_ref().map(|a| {
                    crate::domain::audit::approved_payload_digest(
                        a.decided_payload.as_ref().unwrap_or(&a.payload),
                    )
                }),
                "answer" => approval
                    .as_ref()
                    .map(|a| a.answer.as_ref().map(answer_digest).unwrap_or_default()),
                _ => continue, // a digest this version does not know: not judged
            };
            if now.as_deref() != Some(want.as_str()) {
                return Ok(Err(ChainBreak::Stored {
                    seq: e.event.seq,
                    what: what.clone(),
                    handoff_id: hid.clone(),
                }));
            }
        }
    }
    Ok(Ok(()))
}

/// Signs every organization's current head (`tapin audit checkpoint`). Only
/// a chain that verifies is signed.
pub async fn checkpoint(app: &App) -> Result<Checkpoint, AppError> {
    let mut heads = Vec::new();
    for org in app.store.orgs().await? {
        if let Err(e) = verify_one(app, &org.id, None).await? {
            return Err(AppError::conflict(
                "audit_broken",
                format!("{}: {e}; not signing a broken chain", org.slug),
            ));
        }
        let chain = app.store.audit_chain(&org.id).await?;
        let transcripts = app
            .store
            .conversations_with_messages(&org.id)
            .await?
            .into_iter()
            .filter_map(|c| {
                Some(TranscriptHead {
                    hash: c.head_hash?,
                    conversation_id: c.id,
                    seq: c.last_seq,
                })
            })
            .collect();
        heads.push(CheckpointHead {
            organization_id: org.id,
            slug: org.slug,
            seq: chain.head_seq,
            hash: chain.head_hash,
            transcripts,
        });
    }
    Ok(Checkpoint::sign(
        app.keys.checkpoint_key(),
        super::now(),
        heads,
    ))
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
    // `None` until the start is known: a window starts at its first event,
    // so an export of last week does not read the chain from its beginning.
    let pages = futures::stream::try_unfold(Some(None::<i64>), move |after| {
        let (app, org_id, range) = (app.clone(), org_id.clone(), range.clone());
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let after = match (after, range.stored().0) {
                (Some(after), _) => after,
                (None, None) => 0,
                (None, Some(from)) => match app.store.first_seq_since(&org_id, &from).await? {
                    Some(first) => first - 1,
                    None => return Ok(None),
                },
            };
            let rows = app
                .store
                .events_after(&org_id, None, after, EXPORT_PAGE)
                .await?;
            let Some(last) = rows.last() else {
                return Ok(None);
            };
            let next = (rows.len() as i64 == EXPORT_PAGE).then_some(Some(last.event.seq));
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

/// Verifies one organization's chain and the content it covers: how many
/// events hold, or where it breaks.
pub async fn verify_org(app: &App, org_id: &str) -> Result<Result<usize, ChainBreak>, AppError> {
    verify_one(app, org_id, None).await
}
