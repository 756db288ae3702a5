//! Deciding several approvals at once (the inbox's bulk approve/deny, `POST
//! /api/v1/approvals/decide`). Each approval goes through `approvals::decide`
//! on its own: its own transition and audit event, its own four-eyes, role
//! and quorum rules; what one of them refuses is reported for it, and the
//! others are still decided.

use super::approvals::{self, DecisionInput};
use super::App;
use crate::domain::approval;
use crate::domain::bulk::{ItemResult, Outcome, Refusal, BULK_MAX};
use crate::domain::limits::{too_long, NOTE_MAX};
use crate::domain::Actor;
use crate::error::{AppError, ErrorCode};

/// One approval's result, with the refusal's own message.
#[derive(Clone, Debug)]
pub struct Decided {
    pub id: String,
    pub result: ItemResult,
    /// Why it was refused, as the single decision would say it.
    pub message: Option<String>,
    /// The approval's status afterwards (`pending`, `approved`, …), when readable.
    pub status: Option<String>,
}

/// Checks the request as a whole: one to `BULK_MAX` ids (422 naming the first
/// past the cap), a note within bounds, and a note on a person's deny.
/// Duplicates count once.
pub fn check(
    ids: &[String],
    approve: bool,
    note: Option<&str>,
    by_person: bool,
) -> Result<Vec<String>, AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid_field(
            "ids",
            "choose at least one approval",
        ));
    }
    let mut unique: Vec<String> = Vec::new();
    for id in ids {
        let id = id.trim().to_ascii_lowercase();
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    if unique.len() > BULK_MAX {
        return Err(AppError::invalid_field(
            format!("ids[{BULK_MAX}]"),
            format!("at most {BULK_MAX} approvals per request"),
        ));
    }
    too_long("note", note, NOTE_MAX)?;
    approval::check_note(by_person, approve, note)
        .map_err(|msg| AppError::invalid_field("note", msg))?;
    Ok(unique)
}

/// Approves (or denies) each of `ids` as `actor`, in order, with one note.
pub async fn decide_many(
    app: &App,
    org_id: &str,
    actor: &Actor,
    ids: &[String],
    approve: bool,
    note: Option<String>,
) -> Result<Vec<Decided>, AppError> {
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    let by_person = matches!(actor, Actor::Operator(_));
    let ids = check(ids, approve, note.as_deref(), by_person)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let input = DecisionInput {
            approve,
            note: note.clone(),
            payload: None,
            subject_kind: None,
            subject_ref: None,
            answer: None,
        };
        let decided = match super::parse_id(&id, "approval") {
            Err(e) => Err(e),
            Ok(id) => approvals::decide(app, org_id, &id, actor.clone(), input).await,
        };
        out.push(match decided {
            Ok((h, a)) => {
                let outcome = match h.decision.as_deref() {
                    Some("approved") => Outcome::Approved,
                    Some(_) => Outcome::Denied,
                    None => Outcome::Voted,
                };
                Decided {
                    id,
                    result: ItemResult::done(outcome),
                    message: None,
                    status: Some(approval::status(h.state, h.decision.as_deref()).to_string()),
                }
                .with_votes(&a)
            }
            Err(e) => {
                let refusal = refusal_of(&e);
                if refusal == Refusal::Failed {
                    tracing::warn!(approval = %id, error = %e, "bulk decision failed");
                }
                let status = match super::parse_id(&id, "approval") {
                    Ok(parsed) => approvals::get(app, org_id, &parsed)
                        .await
                        .ok()
                        .map(|(h, _)| approval::status(h.state, h.decision.as_deref()).to_string()),
                    Err(_) => None,
                };
                Decided {
                    id,
                    result: ItemResult::refused(refusal),
                    message: Some(e.message),
                    status,
                }
            }
        });
    }
    Ok(out)
}

/// The approvals among `ids` that belong to the organization (a result link
/// is typed by whoever sends it: another organization's id reads as unknown).
pub async fn approvals_in(
    app: &App,
    org_id: &str,
    ids: &[String],
) -> Result<std::collections::HashMap<String, crate::domain::approval::Approval>, AppError> {
    let ours: Vec<String> = app.store.creators(org_id, ids).await?.into_keys().collect();
    approvals::of_handoffs(app, &ours).await
}

impl Decided {
    /// A vote says how far the quorum got ("2 of 3 approved").
    fn with_votes(mut self, a: &crate::domain::approval::Approval) -> Self {
        if self.result.outcome == Outcome::Voted {
            self.message = a.progress();
        }
        self
    }
}

/// What the single decision's error means for one item of many.
fn refusal_of(e: &AppError) -> Refusal {
    let reason = e.reason.as_deref().unwrap_or_default();
    match (e.code, reason) {
        (ErrorCode::Forbidden, "four_eyes") => Refusal::FourEyes,
        (ErrorCode::Forbidden, "self_approval") => Refusal::SelfApproval,
        (ErrorCode::Forbidden, "missing_role") => Refusal::MissingRole,
        (ErrorCode::Conflict, "already_voted") => Refusal::AlreadyVoted,
        (ErrorCode::Conflict, "role_already_counted") => Refusal::RoleAlreadyCounted,
        (ErrorCode::Conflict, _) => Refusal::AlreadyDecided,
        (ErrorCode::NotFound, _) => Refusal::NotFound,
        (ErrorCode::BadRequest, _) if e.fields.iter().any(|f| f.field == "answer") => {
            Refusal::NeedsAnswer
        }
        _ => Refusal::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_checked_as_a_whole_before_anything_is_decided() {
        let id = |n: usize| format!("0192f0c2-7a4e-7cc0-8d3b-{n:012}");
        let e = check(&[], true, None, true).unwrap_err();
        assert_eq!(e.fields[0].field, "ids");
        let many: Vec<String> = (0..=BULK_MAX).map(id).collect();
        let e = check(&many, true, None, true).unwrap_err();
        assert_eq!(e.fields[0].field, "ids[100]");
        assert_eq!(e.http_status(), 422);
        // Duplicates count once, so 100 distinct ids pass.
        let mut ok: Vec<String> = (0..BULK_MAX).map(id).collect();
        ok.push(id(0).to_uppercase());
        assert_eq!(check(&ok, true, None, true).unwrap().len(), BULK_MAX);
        // A person's deny says why, once for all of them.
        let e = check(&ok, false, None, true).unwrap_err();
        assert_eq!(e.fields[0].field, "note");
        assert!(check(&ok, false, Some("duplicate refunds"), true).is_ok());
    }

    #[test]
    fn refusals_are_read_from_the_single_decisions_errors() {
        let forbidden = |r: &str| AppError::forbidden("no").with_reason(r);
        assert_eq!(refusal_of(&forbidden("four_eyes")), Refusal::FourEyes);
        assert_eq!(refusal_of(&forbidden("missing_role")), Refusal::MissingRole);
        assert_eq!(
            refusal_of(&AppError::conflict("handoff_finished", "done")),
            Refusal::AlreadyDecided
        );
        assert_eq!(
            refusal_of(&AppError::conflict("already_voted", "again")),
            Refusal::AlreadyVoted
        );
        assert_eq!(
            refusal_of(&AppError::invalid_field("answer", "needed")),
            Refusal::NeedsAnswer
        );
        assert_eq!(
            refusal_of(&AppError::not_found("approval")),
            Refusal::NotFound
        );
        assert_eq!(refusal_of(&AppError::internal()), Refusal::Failed);
    }
}
