//! `/api/v1/webhooks`: subscriptions, their delivery log, redelivery.

use super::extract::{ApiAuth, Json, Query};
use super::limits::NotReplayable;
use super::views::ErrorEnvelope;
use crate::domain::records::{Delivery, SignatureScheme, Webhook};
use crate::error::AppError;
use crate::service::webhooks::{self, WebhookInput};
use crate::service::App;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which signature headers deliveries carry. `standard`: the Standard Webhooks
/// headers `webhook-id`, `webhook-timestamp`, `webhook-signature`. `tapin-v1`:
/// those and the legacy `tapin-signature` (deprecated; kept for one release).
#[derive(Clone, Copy, Serialize, ToSchema)]
#[schema(as = SignatureScheme)]
enum SignatureSchemeName {
    #[serde(rename = "standard")]
    Standard,
    #[serde(rename = "tapin-v1")]
    TapinV1,
}

impl From<SignatureScheme> for SignatureSchemeName {
    fn from(s: SignatureScheme) -> Self {
        match s {
            SignatureScheme::Standard => SignatureSchemeName::Standard,
            SignatureScheme::TapinV1 => SignatureSchemeName::TapinV1,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// Where events are POSTed (http or https).
    url: String,
    /// Event names (`handoff.created`, `approval.decided`, …) or `["*"]` for all.
    events: Vec<String>,
    /// `standard` (the default) or `tapin-v1` to also get the legacy `tapin-signature` header.
    /// Any other value is a 422 naming `signature_scheme`.
    #[serde(default)]
    #[schema(value_type = Option<SignatureSchemeName>)]
    signature_scheme: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhook {
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    events: Option<Vec<String>>,
    /// `standard`, or `tapin-v1` to also get the legacy `tapin-signature` header.
    #[serde(default)]
    #[schema(value_type = Option<SignatureSchemeName>)]
    signature_scheme: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookRead {
    id: String,
    url: String,
    events: Vec<String>,
    signature_scheme: SignatureSchemeName,
    /// While a rotation overlap lasts: until when the replaced secret still signs
    /// (its signature follows the current one in `webhook-signature`); else null.
    #[schema(required = true)]
    previous_secret_expires_at: Option<String>,
    created_at: String,
    updated_at: String,
}

/// Returned on creation and rotation only: the signing secret is never shown again.
#[derive(Serialize, ToSchema)]
pub struct WebhookWithSecret {
    id: String,
    url: String,
    events: Vec<String>,
    /// `whsec_<base64>`: give it to a Standard Webhooks library to verify
    /// `webhook-signature` (see the README's "Webhooks").
    secret: String,
    signature_scheme: SignatureSchemeName,
    /// After a rotation: until when the replaced secret still signs; null on creation.
    #[schema(required = true)]
    previous_secret_expires_at: Option<String>,
    created_at: String,
    updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    data: Vec<WebhookRead>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryRead {
    id: String,
    /// The event's id, also sent as `webhook-id` (and `tapin-event-id`).
    event_id: String,
    event: String,
    /// The handoff the event belongs to; null for a message written while no handoff was open.
    #[schema(required = true)]
    handoff_id: Option<String>,
    /// The conversation of a `conversation.message`; null for lifecycle events.
    #[schema(required = true)]
    conversation_id: Option<String>,
    /// `pending` (will be tried or retried), `delivered`, or `dead` (gave up; redeliver to try again).
    status: String,
    attempts: i64,
    last_status: Option<i64>,
    last_error: Option<String>,
    next_attempt_at: String,
    created_at: String,
    delivered_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first, at most 100.
    data: Vec<DeliveryRead>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `delivered` or `dead`.
    #[serde(default)]
    status: Option<String>,
}

fn read(w: Webhook) -> WebhookRead {
    WebhookRead {
        previous_secret_expires_at: webhooks::overlap_until(&w),
        signature_scheme: w.signature_scheme.into(),
        id: w.id,
        url: w.url,
        events: w.events,
        created_at: w.created_at,
        updated_at: w.updated_at,
    }
}

fn with_secret(w: Webhook) -> WebhookWithSecret {
    WebhookWithSecret {
        previous_secret_expires_at: webhooks::overlap_until(&w),
        signature_scheme: w.signature_scheme.into(),
        id: w.id,
        url: w.url,
        events: w.events,
        secret: w.secret,
        created_at: w.created_at,
        updated_at: w.updated_at,
    }
}

fn delivery(d: Delivery) -> DeliveryRead {
    DeliveryRead {
        id: d.id,
        event_id: d.event_id,
        event: d.topic,
        handoff_id: d.handoff_id,
        conversation_id: d.conversation_id,
        status: d.status,
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error,
        next_attempt_at: d.next_attempt_at,
        created_at: d.created_at,
        delivered_at: d.delivered_at,
    }
}

const ID: &str = "Webhook id (UUID). Another organization's id is a 404 like a missing one.";

/// Subscribe a URL to events.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks",
    operation_id = "create_webhook",
    tag = "webhooks",
    summary = "Subscribe a URL to events",
    description = "Every matching lifecycle event (and, for `conversation.message`, every message appended to a conversation) is POSTed to `url` as JSON, at least once, in order per handoff (messages: per conversation), signed as the Standard Webhooks specification says: `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (Unix seconds of the attempt) and `webhook-signature: v1,<base64 HMAC-SHA256(key, \"<webhook-id>.<webhook-timestamp>.<body>\")>`, where the key is the base64 after `whsec_` in `secret`; any Standard Webhooks library verifies it with `secret`. `signature_scheme: \"tapin-v1\"` adds the legacy `tapin-signature: t=<unix>,v1=<hex hmac-sha256(secret, \"<t>.<body>\")>` header (deprecated, kept for one release). Failed deliveries (timeouts, connection errors, 5xx, 408, 429) are retried with exponential backoff and jitter for 24 h, then dead-lettered; other 4xx stop at once. The `secret` is shown only in this response: a retry with the same `Idempotency-Key` does not create a second subscription and does not repeat the secret, it answers 409 `idempotency_secret_not_replayed` naming the webhook (rotate the secret to get a new one).\n\nScope: `admin`. Accepts `Idempotency-Key`.",
    request_body = CreateWebhook,
    responses(
        (status = 201, description = "The subscription, with its secret.", body = WebhookWithSecret),
        (status = 400, description = "`bad_request`: malformed JSON or an unknown field, named in `fields`.", body = ErrorEnvelope),
        (status = 409, description = "`conflict` with `reason: idempotency_secret_not_replayed`: a retry of a request that already created the subscription (same `Idempotency-Key`); the secret is not shown again.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `url` (not http/https), `events` (empty or unknown name) or `signature_scheme` (not `standard` or `tapin-v1`).", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Json(body): Json<CreateWebhook>,
) -> Result<
    (
        StatusCode,
        axum::Extension<NotReplayable>,
        axum::Json<WebhookWithSecret>,
    ),
    AppError,
> {
    key.require("admin")?;
    let w = webhooks::create(
        &app,
        &key.organization_id,
        WebhookInput {
            url: Some(body.url),
            events: Some(body.events),
            signature_scheme: webhooks::check_scheme(body.signature_scheme.as_deref())?,
        },
    )
    .await?;
    let once = NotReplayable(format!(
        "webhook {} was created by the first request with this Idempotency-Key; its secret is shown only once: rotate it to get a new one",
        w.id
    ));
    Ok((
        StatusCode::CREATED,
        axum::Extension(once),
        axum::Json(with_secret(w)),
    ))
}

/// The organization's subscriptions.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks",
    operation_id = "list_webhooks",
    tag = "webhooks",
    summary = "List subscriptions",
    description = "Secrets are not included.\n\nScope: `admin`.",
    responses((status = 200, description = "Oldest first.", body = WebhookList))
)]
pub async fn list(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
) -> Result<axum::Json<WebhookList>, AppError> {
    key.require("admin")?;
    let data = webhooks::list(&app, &key.organization_id)
        .await?
        .into_iter()
        .map(read)
        .collect();
    Ok(axum::Json(WebhookList { data }))
}

/// One subscription.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}",
    operation_id = "get_webhook",
    tag = "webhooks",
    summary = "Read a subscription",
    description = "Scope: `admin`.",
    params(("id" = String, Path, format = "uuid", description = ID)),
    responses(
        (status = 200, description = "The subscription (no secret).", body = WebhookRead),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
    )
)]
pub async fn get(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<axum::Json<WebhookRead>, AppError> {
    key.require("admin")?;
    Ok(axum::Json(read(
        webhooks::get(&app, &key.organization_id, &id).await?,
    )))
}

/// Change the URL or the events.
#[utoipa::path(
    patch,
    path = "/api/v1/webhooks/{id}",
    operation_id = "update_webhook",
    tag = "webhooks",
    summary = "Change a subscription",
    description = "Only the fields given change. Pending deliveries go to the new URL, signed as the new `signature_scheme` says.\n\nScope: `admin`.",
    params(("id" = String, Path, format = "uuid", description = ID)),
    request_body = UpdateWebhook,
    responses(
        (status = 200, description = "The subscription (no secret).", body = WebhookRead),
        (status = 400, description = "`bad_request`: malformed JSON or an unknown field.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `url`, `events` or `signature_scheme`.", body = ErrorEnvelope),
    )
)]
pub async fn update(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Json(body): Json<UpdateWebhook>,
) -> Result<axum::Json<WebhookRead>, AppError> {
    key.require("admin")?;
    let input = WebhookInput {
        url: body.url,
        events: body.events,
        signature_scheme: webhooks::check_scheme(body.signature_scheme.as_deref())?,
    };
    Ok(axum::Json(read(
        webhooks::update(&app, &key.organization_id, &id, input).await?,
    )))
}

/// Delete a subscription and its delivery log.
#[utoipa::path(
    delete,
    path = "/api/v1/webhooks/{id}",
    operation_id = "delete_webhook",
    tag = "webhooks",
    summary = "Delete a subscription",
    description = "Pending deliveries are dropped with it.\n\nScope: `admin`.",
    params(("id" = String, Path, format = "uuid", description = ID)),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
    )
)]
pub async fn delete(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    key.require("admin")?;
    webhooks::delete(&app, &key.organization_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace the signing secret.
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/rotate-secret",
    operation_id = "rotate_webhook_secret",
    tag = "webhooks",
    summary = "Rotate the signing secret",
    description = "The next delivery is signed with the new secret, shown only in this response. The replaced secret keeps signing for 24 hours (`previous_secret_expires_at`): meanwhile `webhook-signature` carries both signatures, space-separated (`v1,<new> v1,<old>`), so a receiver verifies with either secret while it switches. Rotating again within those 24 hours ends the overlap of the secret replaced before: only the latest replaced secret still signs. The legacy `tapin-signature` (scheme `tapin-v1`) is signed with the new secret only. A retry with the same `Idempotency-Key` does not rotate again and does not repeat the secret: it answers 409 `idempotency_secret_not_replayed`.\n\nScope: `admin`. Accepts `Idempotency-Key`.",
    params(("id" = String, Path, format = "uuid", description = ID)),
    responses(
        (status = 200, description = "The subscription with its new secret.", body = WebhookWithSecret),
        (status = 409, description = "`conflict` with `reason: idempotency_secret_not_replayed`: a retry of a rotation that already happened (same `Idempotency-Key`).", body = ErrorEnvelope),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
    )
)]
pub async fn rotate(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
) -> Result<
    (
        axum::Extension<NotReplayable>,
        axum::Json<WebhookWithSecret>,
    ),
    AppError,
> {
    key.require("admin")?;
    let w = webhooks::rotate_secret(&app, &key.organization_id, &id).await?;
    let once = NotReplayable(format!(
        "the secret of webhook {} was rotated by the first request with this Idempotency-Key; the new secret is shown only once: rotate again to get another",
        w.id
    ));
    Ok((axum::Extension(once), axum::Json(with_secret(w))))
}

/// The delivery log.
#[utoipa::path(
    get,
    path = "/api/v1/webhooks/{id}/deliveries",
    operation_id = "list_webhook_deliveries",
    tag = "webhooks",
    summary = "Delivery log of a subscription",
    description = "Each event sent (or to be sent) to this subscription: attempts, the receiver's last status or the connection error, and when the next try is due. `status=dead` lists the dead letters.\n\nScope: `admin`.",
    params(("id" = String, Path, format = "uuid", description = ID), DeliveryQuery),
    responses(
        (status = 200, description = "Newest first, at most 100.", body = DeliveryList),
        (status = 400, description = "`bad_request` naming an unknown query parameter.", body = ErrorEnvelope),
        (status = 404, description = "`not_found`.", body = ErrorEnvelope),
        (status = 422, description = "`bad_request` naming `status`.", body = ErrorEnvelope),
    )
)]
pub async fn deliveries(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path(id): Path<String>,
    Query(q): Query<DeliveryQuery>,
) -> Result<axum::Json<DeliveryList>, AppError> {
    key.require("admin")?;
    let data = webhooks::deliveries(&app, &key.organization_id, &id, q.status.as_deref())
        .await?
        .into_iter()
        .map(delivery)
        .collect();
    Ok(axum::Json(DeliveryList { data }))
}

/// Send a delivery again (a dead letter, or one already delivered).
#[utoipa::path(
    post,
    path = "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
    operation_id = "redeliver_webhook_delivery",
    tag = "webhooks",
    summary = "Redeliver",
    description = "Makes the delivery pending and due now; it keeps its event id, so a receiver that already has it can drop it.\n\nScope: `admin`.",
    params(
        ("id" = String, Path, format = "uuid", description = ID),
        ("delivery_id" = String, Path, format = "uuid", description = "Delivery id from the delivery log."),
    ),
    responses(
        (status = 202, description = "Queued."),
        (status = 404, description = "`not_found`: no such subscription or delivery.", body = ErrorEnvelope),
    )
)]
pub async fn redeliver(
    State(app): State<App>,
    ApiAuth(key): ApiAuth,
    Path((id, delivery_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    key.require("admin")?;
    webhooks::redeliver(&app, &key.organization_id, &id, &delivery_id).await?;
    Ok(StatusCode::ACCEPTED)
}
