//! REST API for agents under `/api/v1`, authenticated by API key.

mod agents;
mod approvals;
pub mod assist;
mod audit;
mod conversations;
pub mod extract;
mod handoffs;
mod leads;
pub mod limits;
mod metrics;
pub mod openapi;
mod reference;
mod routing;
pub mod streams;
pub mod views;
mod webhooks;
mod workflows;

use crate::domain::assist::BODY_MAX;
use crate::error::AppError;
use crate::service::App;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// The agent API, for any router state that can hand out the `App`.
pub fn router<S>(app: &App) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    App: axum::extract::FromRef<S>,
{
    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi::document))
        .route("/reference", get(reference::page))
        .route("/conversations", post(conversations::create))
        .route("/conversations/{id}", get(conversations::get))
        .route(
            "/conversations/{id}/messages",
            post(conversations::post_message).get(conversations::messages),
        )
        .route(
            "/handoffs",
            post(handoffs::create)
                .get(handoffs::list)
                .layer(DefaultBodyLimit::max(BODY_MAX)),
        )
        .route("/handoffs/{id}", get(handoffs::get))
        .route("/handoffs/{id}/resolve", post(handoffs::resolve))
        .route("/handoffs/{id}/assign", post(handoffs::assign))
        .route("/handoffs/{id}/accept", post(handoffs::accept))
        .route("/handoffs/{id}/cancel", post(handoffs::cancel))
        .route("/handoffs/{id}/handback", post(handoffs::handback))
        .route("/handoffs/{id}/messages", post(handoffs::relay))
        .route("/handoffs/{id}/resume", post(handoffs::resume))
        .route("/handoffs/{id}/complete", post(handoffs::complete))
        .route("/handoffs/{id}/fail", post(handoffs::fail))
        .route(
            "/handoffs/{id}/frozen",
            post(assist::frozen).layer(DefaultBodyLimit::max(BODY_MAX)),
        )
        .route(
            "/handoffs/{id}/frames",
            post(assist::frames).layer(DefaultBodyLimit::max(BODY_MAX)),
        )
        .route("/handoffs/{id}/actions", get(assist::actions))
        .route("/handoffs/{id}/open", post(assist::open))
        .route("/handoffs/{id}/solving", post(assist::solving))
        .route("/handoffs/{id}/expire", post(assist::expire))
        .route(
            "/conversations/{id}/escalate",
            post(conversations::escalate),
        )
        .route("/leads", post(leads::create))
        .route("/leads/{id}", get(leads::get))
        .route("/leads/{id}/handoff", post(conversations::lead_handoff))
        .route("/agents/handoff", post(agents::create))
        .route(
            "/conversations/{id}/events",
            get(streams::conversation_stream),
        )
        .route("/audit/stream", get(streams::audit_stream))
        .route("/audit/export.jsonl", get(audit::export_jsonl))
        .route("/audit/export.csv", get(audit::export_csv))
        .route("/audit/security", get(audit::security))
        .route("/webhooks", post(webhooks::create).get(webhooks::list))
        .route(
            "/webhooks/{id}",
            get(webhooks::get)
                .patch(webhooks::update)
                .delete(webhooks::delete),
        )
        .route("/webhooks/{id}/rotate-secret", post(webhooks::rotate))
        .route("/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route(
            "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
            post(webhooks::redeliver),
        )
        .route(
            "/escalation-chains",
            post(routing::create_chain).get(routing::list_chains),
        )
        .route(
            "/escalation-chains/{id}",
            get(routing::get_chain)
                .put(routing::update_chain)
                .delete(routing::delete_chain),
        )
        .route(
            "/rotations",
            post(routing::create_rotation).get(routing::list_rotations),
        )
        .route(
            "/rotations/{id}",
            get(routing::get_rotation)
                .put(routing::update_rotation)
                .delete(routing::delete_rotation),
        )
        .route("/rotations/{id}/overrides", post(routing::add_override))
        .route("/rotations/{id}/on-call", get(routing::on_call))
        .route(
            "/policies",
            get(routing::list_policies).put(routing::put_policies),
        )
        .route("/policies/test", post(routing::test_policies))
        .route(
            "/routing/settings",
            get(routing::get_settings).put(routing::put_settings),
        )
        .route(
            "/operators/{id}/channels",
            get(routing::get_channels).put(routing::put_channels),
        )
        .route("/handoffs/{id}/notifications", get(routing::notifications))
        .route(
            "/workflows/{workflow_id}/nodes/{node_id}",
            axum::routing::put(workflows::put).get(workflows::get),
        )
        .route(
            "/workflows/{workflow_id}/nodes/{node_id}/evaluate",
            post(workflows::evaluate),
        )
        .route("/approvals", post(approvals::create).get(approvals::list))
        .route("/approvals/decide", post(approvals::decide_many))
        .route("/approvals/{id}", get(approvals::get))
        .route("/approvals/{id}/decide", post(approvals::decide))
        .route("/approvals/{id}/wait", get(approvals::wait))
        .route(
            "/approval-messages",
            axum::routing::put(approvals::put_messages).get(approvals::get_messages),
        )
        .route("/handoffs/{id}/events", get(handoffs::events))
        // Observability: the trace stream and time to human.
        .route("/audit/trace/stream", get(streams::trace_stream))
        .route("/metrics/time-to-human", get(metrics::time_to_human))
        .fallback(|| async { AppError::not_found("endpoint") })
        // Outermost first: authentication (a bad key is a 401 before
        // anything is stored or counted), then the rate limit (it counts every
        // authenticated request, replays included), then idempotency. One
        // `layer` call, so each route is boxed once (server.rs).
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn_with_state(
                    app.clone(),
                    limits::authenticate,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    app.clone(),
                    limits::rate_limit,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    app.clone(),
                    limits::idempotency,
                )),
        )
}

#[utoipa::path(
    get,
    path = "/api/v1/healthz",
    operation_id = "healthz",
    tag = "meta",
    summary = "Liveness and database check",
    description = "No API key needed.",
    responses(
        (status = 200, description = "The server is up and its database answers.", body = openapi::Health),
        (status = 503, description = "`internal_error` with `reason: database_unreachable`: the database does not answer this node within 2 s; the node keeps trying and answers 200 again once it does.", body = views::ErrorEnvelope),
    )
)]
async fn healthz(
    axum::extract::State(app): axum::extract::State<crate::service::App>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let h = crate::service::health(&app).await;
    if !h.reachable {
        let mut e = AppError::internal().with_reason("database_unreachable");
        e.message = format!("the {} database does not answer this node", h.backend);
        e.status = Some(503);
        return e.into_response();
    }
    axum::Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "backend": h.backend,
        "database": "reachable",
    }))
    .into_response()
}
