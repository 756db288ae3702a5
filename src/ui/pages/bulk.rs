//! The inbox's bulk decision as the page shows it: per approval what
//! happened, in words, and the whole in one line; also the fixed words of a
//! request refused as a whole (a page without script gets them by a code).

use crate::domain::approval::{Approval, SubjectKind};
use crate::domain::bulk::{summary, ItemResult, Outcome, Refusal};
use crate::domain::records::Operator;
use crate::error::AppError;
use crate::service::App;
use crate::ui::types::{BulkResultView, BulkRow};

/// The inbox title of an approval ("Approve refund.create", "Question: …").
pub fn title(a: &Approval) -> String {
    match a.subject_kind {
        SubjectKind::Question => format!("Question: {}", a.subject_ref),
        _ => format!("Approve {}", a.subject_ref),
    }
}

/// The rows and summary of `results`, for `me`'s organization only.
pub async fn result_view(
    app: &App,
    me: &Operator,
    results: &[(String, ItemResult)],
) -> Result<BulkResultView, AppError> {
    let ids: Vec<String> = results.iter().map(|(id, _)| id.clone()).collect();
    let approvals = crate::service::bulk::approvals_in(app, &me.organization_id, &ids).await?;
    let mut shown = Vec::new();
    let rows = results
        .iter()
        .map(|(id, r)| {
            let a = approvals.get(id);
            // An id that is not ours is unknown, whatever the link says.
            let r = match a {
                Some(_) => *r,
                None => ItemResult::refused(Refusal::NotFound),
            };
            shown.push(r);
            BulkRow {
                id: id.clone(),
                title: a.map_or_else(|| "An unknown approval".to_string(), title),
                outcome: match r.outcome {
                    Outcome::Approved => "approved",
                    Outcome::Denied => "denied",
                    Outcome::Voted => "voted",
                    Outcome::Refused => "refused",
                }
                .to_string(),
                words: words(r, a),
            }
        })
        .collect();
    Ok(BulkResultView {
        summary: summary(&shown),
        rows,
    })
}

/// One row's words: the outcome, the quorum's progress, or why not.
fn words(r: ItemResult, a: Option<&Approval>) -> String {
    match (r.outcome, r.refusal) {
        (Outcome::Approved, _) => "approved".into(),
        (Outcome::Denied, _) => "denied".into(),
        (Outcome::Voted, _) => match a.and_then(Approval::progress) {
            Some(p) => format!("your approval is recorded ({p})"),
            None => "your approval is recorded".into(),
        },
        (_, Some(Refusal::MissingRole)) => match a.and_then(|a| a.approver_role.as_deref()) {
            Some(role) => format!("not decided: it needs the `{role}` role"),
            None => "not decided: it needs another role".into(),
        },
        (_, Some(Refusal::FourEyes)) => {
            "not decided: four-eyes, it is your own request, so someone else decides".into()
        }
        (_, Some(Refusal::NeedsAnswer)) => {
            "not decided: it asks for a typed answer, so answer it on its page".into()
        }
        (_, why) => format!("not decided: {}", why.unwrap_or(Refusal::Failed).words()),
    }
}

/// A request refused as a whole, as its `?bulk_error=` code.
pub fn error_code(e: &AppError) -> &'static str {
    match e.fields.first().map(|f| f.field.as_str()) {
        Some("ids") => "none",
        Some(f) if f.starts_with("ids[") => "too_many",
        Some("note") => "note",
        _ => "failed",
    }
}

/// The words of `error_code`'s codes (anything else reads as a failure).
pub fn error_words(code: &str) -> String {
    match code {
        "none" => "Choose at least one approval.".to_string(),
        "too_many" => format!(
            "Choose at most {} approvals at a time.",
            crate::domain::bulk::BULK_MAX
        ),
        "note" => {
            "Say why you deny in the note (at most 2000 characters): the agent tells the customer."
                .to_string()
        }
        _ => "The approvals could not be decided. Try again.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_reads_as_what_the_operator_can_do() {
        let role = Approval {
            approver_role: Some("finance".into()),
            ..Approval::default()
        };
        assert_eq!(
            words(ItemResult::refused(Refusal::MissingRole), Some(&role)),
            "not decided: it needs the `finance` role"
        );
        assert!(words(ItemResult::refused(Refusal::FourEyes), None).contains("four-eyes"));
        let quorum = Approval {
            required_approvals: 3,
            ..Approval::default()
        };
        assert_eq!(
            words(ItemResult::done(Outcome::Voted), Some(&quorum)),
            "your approval is recorded (0 of 3 approved)"
        );
        assert_eq!(
            error_code(&AppError::invalid_field("ids[100]", "too many")),
            "too_many"
        );
        assert!(error_words("<script>").starts_with("The approvals could not"));
    }
}
