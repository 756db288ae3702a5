//! What an operator does on the handoff page. Each server function finds the
//! operator from the session cookie and calls the same service functions as
//! the REST API, so the lifecycle, roles and tenancy rules are the same.

use super::types::{Line, SnippetRow};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::domain::records::Operator;
    use crate::error::AppError;
    use crate::service::{sessions, App};

    /// Gives a failed server function the HTTP status its error means (Leptos
    /// would answer 500 for every error, which reads as a server fault).
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result {
            if let (Some(res), Ok(status)) = (
                leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
                axum::http::StatusCode::from_u16(e.http_status()),
            ) {
                res.set_status(status);
            }
        }
        result
    }

    /// The `Cookie` header of the request a server function is answering.
    pub async fn cookies() -> Result<String, AppError> {
        let headers: axum::http::HeaderMap = leptos_axum::extract()
            .await
            .map_err(|_| AppError::internal())?;
        Ok(sessions::cookie_header(&headers).to_string())
    }

    /// Whether this request is a browser's own form post (it asks for HTML;
    /// an island's call does not): its answer is then a redirect to a page.
    pub async fn plain_form() -> bool {
        let headers: Result<axum::http::HeaderMap, _> = leptos_axum::extract().await;
        headers.ok().is_some_and(|h| {
            h.get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        })
    }

    /// The operator acting on one handoff (`handoff_id` parsed): a password
    /// session, or the link session of that handoff; else 401.
    pub async fn operator_for(handoff_id: &str) -> Result<(App, Operator), AppError> {
        let app = leptos::prelude::use_context::<App>().ok_or_else(AppError::internal)?;
        let op = sessions::operator_for_handoff(
            &app,
            &cookies().await?,
            handoff_id,
            crate::service::admin::SIGNED_OUT,
        )
        .await?;
        Ok((app, op))
    }

    /// A form posted by a browser without WASM (it asks for HTML, the
    /// islands' fetch does not) goes back to the handoff page, which shows
    /// the new state.
    pub async fn back_to_the_page(id: &str) {
        let Ok(headers) = leptos_axum::extract::<axum::http::HeaderMap>().await else {
            return;
        };
        let wants_html = headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        if wants_html {
            leptos_axum::redirect(&format!("/m/{id}"));
        }
    }

    /// The operator of this request's password session, or 401 (a link
    /// session reaches only its handoff: `operator_for`).
    pub async fn operator() -> Result<(App, Operator), AppError> {
        let app = leptos::prelude::use_context::<App>().ok_or_else(AppError::internal)?;
        let op = sessions::operator_from_cookies(
            &app,
            &cookies().await?,
            crate::service::admin::SIGNED_OUT,
        )
        .await?;
        Ok((app, op))
    }
}

/// Accept, resolve or hand back; returns the new lifecycle state.
#[server(prefix = "/fn", endpoint = "handoff_step")]
pub async fn handoff_step(id: String, step: String) -> Result<String, AppError> {
    ssr::respond(handoff_step_inner(id, step).await)
}

#[cfg(feature = "ssr")]
async fn handoff_step_inner(id: String, step: String) -> Result<String, AppError> {
    use crate::domain::{Actor, Event};
    let id = crate::service::parse_id(&id, "handoff")?;
    let (app, op) = ssr::operator_for(&id).await?;
    let event = match step.as_str() {
        "accept" => Event::Accept,
        "resolve" => Event::Resolve,
        "hand_back" => Event::HandBack,
        _ => {
            return Err(AppError::invalid_field(
                "step",
                "must be accept, resolve or hand_back",
            ))
        }
    };
    let h = crate::service::handoffs::step(
        &app,
        &op.organization_id,
        &id,
        event,
        Actor::Operator(op.id.clone()),
        serde_json::json!({ "via": "mobile" }),
    )
    .await?;
    ssr::back_to_the_page(&id).await;
    Ok(h.state.as_str().to_string())
}

/// Relays the operator's message. `client_ref` makes a retried send harmless.
#[server(prefix = "/fn", endpoint = "send_message")]
pub async fn send_message(
    id: String,
    content: String,
    client_ref: String,
) -> Result<Line, AppError> {
    ssr::respond(send_message_inner(id, content, client_ref).await)
}

#[cfg(feature = "ssr")]
async fn send_message_inner(
    id: String,
    content: String,
    client_ref: String,
) -> Result<Line, AppError> {
    let id = crate::service::parse_id(&id, "handoff")?;
    let (app, op) = ssr::operator_for(&id).await?;
    let m = crate::service::handoffs::relay(
        &app,
        &op.organization_id,
        &id,
        &content,
        Some(&client_ref),
        &crate::domain::Actor::Operator(op.id.clone()),
    )
    .await?;
    Ok(crate::ui::pages::mobile::line(m))
}

/// The organization's canned replies, for the chat box of handoff `id`
/// (any session that may act on it).
#[server(prefix = "/fn", endpoint = "snippets")]
pub async fn load_snippets(id: String) -> Result<Vec<SnippetRow>, AppError> {
    ssr::respond(load_snippets_inner(id).await)
}

#[cfg(feature = "ssr")]
async fn load_snippets_inner(id: String) -> Result<Vec<SnippetRow>, AppError> {
    let id = crate::service::parse_id(&id, "handoff")?;
    let (app, op) = ssr::operator_for(&id).await?;
    Ok(crate::service::snippets::list(&app, &op.organization_id)
        .await?
        .into_iter()
        .map(SnippetRow::from)
        .collect())
}

/// Approve or deny; a deny needs a note the agent can pass on. An edited
/// payload (JSON object) replaces the agent's for execution. Answers the
/// decision word, or `voted` when a quorum approval needs more approvals.
#[server(prefix = "/fn", endpoint = "decide")]
pub async fn decide(
    id: String,
    approve: bool,
    note: Option<String>,
    payload: Option<String>,
    answer: Option<String>,
) -> Result<String, AppError> {
    ssr::respond(decide_inner(id, approve, note, payload, answer).await)
}

#[cfg(feature = "ssr")]
async fn decide_inner(
    id: String,
    approve: bool,
    note: Option<String>,
    payload: Option<String>,
    answer: Option<String>,
) -> Result<String, AppError> {
    use crate::domain::Actor;
    use crate::service::approvals::{self, DecisionInput};
    let id = crate::service::parse_id(&id, "approval")?;
    let (app, op) = ssr::operator_for(&id).await?;
    let payload = match payload.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => Some(map),
            _ => return Err(AppError::invalid_field("payload", "must be a JSON object")),
        },
    };
    // The form posts text; the approval's schema says what JSON it stands for.
    let answer = match (answer, approve) {
        (Some(raw), true) => {
            let (_, a) = approvals::get(&app, &op.organization_id, &id).await?;
            match &a.response_schema {
                Some(schema) => Some(
                    crate::domain::answer::AnswerField::for_schema(schema)
                        .parse(&raw)
                        .map_err(|m| AppError::invalid_field("answer", m))?,
                ),
                None => None,
            }
        }
        _ => None,
    };
    let (h, _) = approvals::decide(
        &app,
        &op.organization_id,
        &id,
        Actor::Operator(op.id.clone()),
        DecisionInput {
            approve,
            note,
            payload,
            subject_kind: None,
            subject_ref: None,
            answer,
        },
    )
    .await?;
    // A quorum approval still pending took this approve as a vote.
    Ok(h.decision.unwrap_or_else(|| "voted".into()))
}
