//! Deciding away from the desk, the two HTTP doors outside Leptos: Slack's
//! interactivity requests (`POST /slack/interactivity/{organization id}`) and
//! the confirm form of an email's one-tap link (`POST /m/{id}/decide`). Both
//! call the service, which decides through the same use case as the page.

use crate::domain::State;
use crate::error::AppError;
use crate::service::{decide_links, slack, App};
use axum::body::Bytes;
use axum::extract::{Form, Path, State as AppState};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The largest Slack request read (a press's payload, with its message, is a few KB).
pub const SLACK_BODY_MAX: usize = 256 * 1024;

/// `POST /slack/interactivity/{org}`: a button press from the organization's
/// Slack app. 200 when it counted (or asked tapin for nothing); otherwise the
/// error envelope with its status, and nothing changed.
pub async fn slack_interactivity(
    AppState(app): AppState<App>,
    Path(org): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let result = slack::interact(
        &app,
        &org,
        header("x-slack-request-timestamp"),
        header("x-slack-signature"),
        &body,
    )
    .await;
    match result {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    /// Missing is treated like a damaged link.
    #[serde(default)]
    t: String,
    #[serde(default)]
    note: Option<String>,
}

/// `POST /m/{id}/decide`: the confirm page's form. Decides once as the link's
/// operator, then sends the browser back to the page (303, so a reload does not
/// post again), which says what happened.
pub async fn decide_link(
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let target = format!("/m/{}/decide", crate::web::path_safe(&id));
    let note = form.note.filter(|n| !n.trim().is_empty());
    let to = match decide_links::decide(&app, &id, &form.t, note).await {
        Ok(Ok((h, _))) => {
            let done = match (h.state, h.decision.as_deref()) {
                (State::Solved, Some("denied")) => "denied",
                (State::Solved, _) => "approved",
                _ => "voted",
            };
            format!("{target}?done={done}")
        }
        Ok(Err(problem)) => format!("{target}?problem={}", problem_code(&problem)),
        Err(e) if e.http_status() < 500 => format!("{target}?refused={}", refusal(&e)),
        Err(e) => return Err(e),
    };
    let mut res = Redirect::to(&to).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

fn problem_code(p: &crate::domain::link::LinkProblem) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| {
            v.get("problem")
                .and_then(|p| p.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "tampered".into())
}

/// Which fixed explanation the page shows for a refused decision.
fn refusal(e: &AppError) -> &'static str {
    match e.reason.as_deref() {
        Some("four_eyes") => "four_eyes",
        Some("already_voted") => "already_voted",
        Some("role_already_counted") => "role_already_counted",
        _ if e.fields.iter().any(|f| f.field == "note") => "note",
        None if e.code == crate::error::ErrorCode::Forbidden => "role",
        _ => "other",
    }
}
