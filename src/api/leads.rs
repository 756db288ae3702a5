//! `/api/v1/leads` (seed 003): record a lead, read it. Escalating a lead is
//! `POST /api/v1/leads/{id}/handoff` (in `conversations.rs`).

use super::extract::{ApiAuth, JsonOrEmpty};
use super::views::ErrorEnvelope;
use crate::domain::records::Lead;
use crate::error::AppError;
use crate::service::leads::{self, NewLead};
use crate::service::{parse_id, App};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLead {
    /// The conversation the agent already has with this person (UUID); without
    /// it, a new conversation is started for the lead.
    #[serde(default)]
    #[schema(format = "uuid")]
    conversation_id: Option<String>,
    /// Your own id for the new conversation (at most 200 characters; only
    /// without `conversation_id`).
    #[serde(default)]
    #[schema(max_length = 200)]
    external_ref: Option<String>,
    /// At most 200 characters.
    #[serde(default)]
    #[schema(max_length = 200)]
    name: Option<String>,
    /// An email address (at most 254 characters), stored in lower case.
    #[serde(default)]
    #[schema(max_length = 254)]
    email: Option<String>,
    /// Digits, spaces and `+ - ( )` (at most 32 characters).
    #[serde(default)]
    #[schema(max_length = 32)]
    phone: Option<String>,
    /// Where the lead came from, e.g. `web_chat` (at most 200 characters).
    #[serde(default)]
    #[schema(max_length = 200)]
    source: Option<String>,
}

/// A lead (seed 003). `id` is also its conversation's id.
#[derive(serde::Serialize, ToSchema)]
pub struct LeadRead {
    #[schema(format = "uuid")]
    id: String,
    #[schema(format = "uuid")]
    conversation_id: String,
    #[schema(required = true)]
    name: Option<String>,
    #[schema(required = true)]
    email: Option<String>,
    #[schema(required = true)]
    phone: Option<String>,
    #[schema(required = true)]
    source: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
}

impl From<Lead> for LeadRead {
    fn from(l: Lead) -> Self {
        LeadRead {
            conversation_id: l.id.clone(),
            id: l.id,
            name: l.name,
            email: l.email,
            phone: l.phone,
            source: l.source,
            created_at: l.created_at,
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/leads",
    operation_id = "create_lead",
    tag = "conversations",
    summary = "Record a lead (seed 003)",
    description = "Records the person a conversation is with: a new conversation (status `active`), or the one named by `conversation_id`. A lead is its conversation: the lead's `id` is the conversation's, and `POST /api/v1/leads/{id}/handoff` escalates it later. The lead and a new conversation are written together.\n\nScope: `leads:write` (seed 003's name) or `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.",
    request_body(content = Option<CreateLead>, description = "All fields optional."),
    responses(
        (status = 201, description = "The lead.", body = LeadRead),
        (status = 400, description = "`bad_request`: malformed JSON, or a Content-Type other than `application/json`.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: lead_exists`: the conversation already has a lead.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming each field: `conversation_id` (not a UUID, or no such conversation in this organization), `external_ref` (over 200 characters, or given with `conversation_id`), `name` / `source` (over 200 characters), `email` (not an address, or over 254 characters), `phone` (other characters, or over 32), or an unknown field.", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    JsonOrEmpty(body): JsonOrEmpty<CreateLead>,
) -> Result<(StatusCode, axum::Json<LeadRead>), AppError> {
    key.require_any(&["leads:write", "handoffs:write"])?;
    let conversation_id = body
        .conversation_id
        .map(|c| {
            parse_id(&c, "conversation").map_err(|_| {
                AppError::invalid_field("conversation_id", "must be a conversation id (UUID)")
            })
        })
        .transpose()?;
    let lead = leads::create(
        &app,
        &key.organization_id,
        NewLead {
            conversation_id,
            external_ref: body.external_ref,
            name: body.name,
            email: body.email,
            phone: body.phone,
            source: body.source,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(lead.into())))
}

#[utoipa::path(
    get,
    path = "/api/v1/leads/{id}",
    operation_id = "get_lead",
    tag = "conversations",
    summary = "Read a lead",
    description = "Scope: `read`.",
    params(("id" = String, Path, format = "uuid", description = "Lead id (= its conversation id). An id that is not a UUID, or belongs to another organization, is a 404.")),
    responses(
        (status = 200, description = "The lead.", body = LeadRead),
        (status = 404, description = "`not_found`: no such lead in this organization.", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<LeadRead>, AppError> {
    key.require("read")?;
    let id = parse_id(&id, "lead")?;
    Ok(axum::Json(
        leads::get(&app, &key.organization_id, &id).await?.into(),
    ))
}
