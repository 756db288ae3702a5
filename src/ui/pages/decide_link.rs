//! The one-tap decide page's data (`ui::decide_link`): the checked link's
//! question, or what happened after the confirm form was posted.

use crate::domain::link::LinkProblem;
use crate::error::AppError;
use crate::service::decide_links::{self, ValidDecideLink};
use crate::service::App;
use crate::ui::decide_link::{DecideConfirm, DecideScreen};

/// What the query asks for: a token to confirm, or the outcome of a post
/// (`done`, `refused`, `problem` only select one of the fixed texts below).
pub async fn screen(
    app: &App,
    id: &str,
    token: Option<&str>,
    done: Option<&str>,
    refused: Option<&str>,
    problem: Option<&str>,
) -> Result<DecideScreen, AppError> {
    if let Some(token) = token {
        return Ok(match decide_links::check(app, id, token).await? {
            Ok(link) => DecideScreen::Confirm(Box::new(confirm(link, token))),
            Err(p) => problem_screen(p),
        });
    }
    if let Some(code) = done {
        let (title, body) = match code {
            "approved" => ("Approved", "Your approval is recorded. The agent goes on."),
            "denied" => (
                "Denied",
                "Your deny is recorded; the agent tells the customer why.",
            ),
            "voted" => (
                "Your approval is counted",
                "It needs approvals from other people too; tapin tells the agent once it has them.",
            ),
            _ => ("Recorded", "Your decision is recorded."),
        };
        return Ok(outcome(code, false, title, body));
    }
    if let Some(code) = refused {
        let body = match code {
            "four_eyes" => "Four-eyes: this is your own request, so another operator must decide it.",
            "role" => "Deciding this approval needs a role you do not have. Ask someone who has it.",
            "already_voted" => "You approved this already; it needs approvals from other people.",
            "role_already_counted" => {
                "Your role is already counted; someone with another role must approve."
            }
            "note" => "Say why you deny it: the agent tells the customer. Go back, fill in the reason and confirm again.",
            _ => "tapin could not record it. Open the handoff from your inbox to decide there.",
        };
        return Ok(outcome(code, true, "Not recorded", body));
    }
    let p = match problem.unwrap_or("tampered") {
        "expired" => LinkProblem::Expired,
        "used" => LinkProblem::Used,
        "foreign" => LinkProblem::Foreign,
        "finished" => LinkProblem::Finished {
            state: "closed".into(),
        },
        _ => LinkProblem::Tampered,
    };
    Ok(problem_screen(p))
}

fn outcome(kind: &str, refused: bool, title: &str, body: &str) -> DecideScreen {
    DecideScreen::Outcome {
        kind: kind.to_string(),
        refused,
        title: title.to_string(),
        body: body.to_string(),
    }
}

/// A spent link says so in a decide link's words (the open link's mention tabs).
fn problem_screen(p: LinkProblem) -> DecideScreen {
    match p {
        LinkProblem::Used => outcome(
            "used",
            true,
            "This link was already used",
            "Each Approve / Deny link works once, and the decision made with it stands. Open the handoff from your inbox to see it.",
        ),
        LinkProblem::Finished { state } => outcome(
            "finished",
            true,
            "This approval is already closed",
            &format!(
                "It is {}: nothing is waiting for you here.",
                state.replace('_', " ")
            ),
        ),
        p => DecideScreen::Problem(p),
    }
}

fn readable(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn confirm(link: ValidDecideLink, token: &str) -> DecideConfirm {
    let a = &link.approval;
    let verb = if link.approve { "Approve" } else { "Deny" };
    let question = format!(
        "{verb} {} “{}”?",
        a.subject_kind.as_str().replace('_', " "),
        a.subject_ref
    );
    let op = &link.operator;
    let cannot = a
        .missing_role(&op.roles)
        .map(|role| format!("Deciding this needs the `{role}` role, which you do not have."))
        .or_else(|| {
            a.own_request(&op.id).then(|| {
                "Four-eyes: this is your own request, so another operator must decide it.".into()
            })
        })
        .or_else(|| {
            a.has_voted(&format!("operator:{}", op.id))
                .then(|| "You approved this already; it needs approvals from others.".into())
        });
    let secs = decide_links::seconds_left(&link);
    let validity = if secs < 120 {
        format!("This link works once and expires in {secs} seconds.")
    } else {
        format!(
            "This link works once and expires in {} minutes.",
            (secs + 59) / 60
        )
    };
    DecideConfirm {
        handoff_id: link.handoff.id.clone(),
        token: token.to_string(),
        approve: link.approve,
        question,
        payload: a
            .payload
            .iter()
            .map(|(k, v)| (k.clone(), readable(v)))
            .collect(),
        operator_name: op.name.clone(),
        validity,
        progress: a.progress(),
        cannot,
    }
}
