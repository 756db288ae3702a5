//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers'
//! `#[utoipa::path]` annotations and the request/response types' `ToSchema`
//! derives; served at `GET /api/v1/openapi.json` (and rendered for people at
//! `GET /api/v1/reference`).
//!
//! What every authenticated operation shares (the security requirement, 401,
//! 403, 429, 500, and `Idempotency-Key` on POSTs) is added in one place,
//! [`Shared`], so a handler's annotation lists only what is particular to it.

pub use super::views::ErrorEnvelope;
use super::{
    agents, approvals, assist, audit, conversations, handoffs, leads, metrics, reference, routing,
    streams, webhooks, workflows,
};
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::LazyLock;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, Ref, RefOr, Required, Response, ResponseBuilder,
};
use utoipa::{Modify, OpenApi, ToSchema};

/// `GET /api/v1/healthz`: the server is up and its database answers.
#[derive(ToSchema)]
pub struct Health {
    /// Always `ok` (a database that does not answer is a 503 error).
    pub status: String,
    /// The server's version.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Always `reachable` (this node reaches it).
    pub database: String,
}

/// Operations anyone may call, without an API key.
pub const PUBLIC_PATHS: [&str; 3] = [
    "/api/v1/healthz",
    "/api/v1/openapi.json",
    "/api/v1/reference",
];

const INFO_DESCRIPTION: &str = "REST API for agents: hand a conversation to a human, request approvals, follow what happens.

**Authentication.** Every operation except `GET /api/v1/healthz`, `GET /api/v1/openapi.json` and `GET /api/v1/reference` needs an API key, sent as `Authorization: Bearer tk_…` or `x-api-key: tk_…` (`tapin api-key create` prints one). Keys have scopes: `read`, `handoffs:write`, `approvals:write` (request approvals and drive them after the decision), `approvals:decide` (approve or deny) and `admin` (implies all); each operation names the one it needs. The generic handoff steps (`/handoffs/{id}/cancel`, `…/complete`, `…/fail`, `…/resume`, `…/accept`, `…/resolve`, `…/handback`, `…/assign`) need `approvals:write` on an approval and `handoffs:write` on the other kinds. The key that requested an approval cannot decide it unless the server sets `allow_self_approval`.

**Errors.** Every error has one shape, `ErrorEnvelope`: `{\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"message\"}], \"reason\"?}}`.

- 400 `bad_request`: malformed JSON, a Content-Type other than `application/json`, a bad or unknown query parameter
- 422 `bad_request`: well-formed input that breaks a rule; `fields` names each field by JSON path (such as `packet.static_text`). Unknown fields in a JSON body are refused this way.
- 401 `unauthorized`: missing, unknown or revoked API key
- 403 `forbidden`: the key lacks the operation's scope (the message names it)
- 404 `not_found`: missing, or owned by another organization (the two are indistinguishable); also an id that is not a UUID
- 409 `conflict`: the lifecycle refuses the step; `reason` says why (`invalid_transition`, `handoff_finished`, `conversation_closed`, …). `version_conflict` and `audit_race` mean a concurrent write won: read again and retry.
- 429 `rate_limited`: the key's rate limit is exhausted; retry after `Retry-After` seconds
- 500 `internal_error`: logged with the request id (`x-request-id` is on every response)

**Rate limit.** Per API key (200 requests a minute unless configured otherwise). The key is checked first: an unknown or revoked key is a 401 that stores nothing, replays nothing and does not count against any key's limit. Every response to a request that carries a key has `X-RateLimit-Limit` (requests a minute), `X-RateLimit-Remaining` and `X-RateLimit-Reset` (the Unix epoch second at which the full budget is back, seed 003); a `429` adds `Retry-After`.

**Idempotency.** Any `POST` may carry `Idempotency-Key` (1 to 255 visible ASCII characters, scoped to the API key: another key, even of the same organization, never sees its answers, and a revoked key gets a 401, not a replay). A retry with the same key, path and body gets the first response again, with `Idempotent-Replayed: true`; the same key with another request is a `409` (`reason: idempotency_key_reused`), and while the first request is still being processed a `409` (`reason: idempotency_in_progress`). Send one on creating POSTs (conversations, messages, handoffs, approvals, agent handoffs, escalations) so a retry never creates twice. A response that carries a secret (creating a webhook, rotating its secret) is never replayed: a retry gets a `409` (`reason: idempotency_secret_not_replayed`) naming the webhook, and does not create or rotate again.

**Streams.** `GET /api/v1/handoffs/{id}/events` and `GET /api/v1/handoffs/{id}/actions` (with `Accept: text/event-stream`), `GET /api/v1/conversations/{id}/events`, `GET /api/v1/audit/stream` and `GET /api/v1/audit/trace/stream` are Server-Sent Events. Every event has an `id:`; reconnecting with `Last-Event-ID` resumes after it without gaps. A keep-alive comment is sent every 15 s.

**Pagination.** Lists are newest first; pass `next_cursor` as `cursor` to get the next page (`null` on the last one).";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tapin agent API",
        description = INFO_DESCRIPTION,
        license(name = "MIT", identifier = "MIT"),
    ),
    paths(
        super::healthz,
        document,
        reference::page,
        conversations::create,
        conversations::get,
        conversations::post_message,
        conversations::messages,
        conversations::escalate,
        streams::conversation_stream,
        handoffs::create,
        handoffs::list,
        handoffs::get,
        handoffs::resolve,
        handoffs::assign,
        handoffs::accept,
        handoffs::cancel,
        handoffs::handback,
        handoffs::relay,
        handoffs::resume,
        handoffs::complete,
        handoffs::fail,
        handoffs::events,
        assist::frozen,
        assist::frames,
        assist::actions,
        assist::open,
        assist::solving,
        assist::expire,
        conversations::lead_handoff,
        leads::create,
        leads::get,
        agents::create,
        approvals::create,
        approvals::list,
        approvals::get,
        approvals::decide,
        approvals::decide_many,
        approvals::wait,
        approvals::put_messages,
        approvals::get_messages,
        workflows::put,
        workflows::get,
        workflows::evaluate,
        streams::audit_stream,
        audit::export_jsonl,
        audit::export_csv,
        audit::security,
        webhooks::create,
        webhooks::list,
        webhooks::get,
        webhooks::update,
        webhooks::delete,
        webhooks::rotate,
        webhooks::deliveries,
        webhooks::redeliver,
        routing::create_chain,
        routing::list_chains,
        routing::get_chain,
        routing::update_chain,
        routing::delete_chain,
        routing::create_rotation,
        routing::list_rotations,
        routing::get_rotation,
        routing::update_rotation,
        routing::delete_rotation,
        routing::add_override,
        routing::on_call,
        routing::list_policies,
        routing::put_policies,
        routing::test_policies,
        routing::get_settings,
        routing::put_settings,
        routing::get_channels,
        routing::put_channels,
        routing::notifications,
        streams::trace_stream,
        metrics::time_to_human,
    ),
    components(schemas(ErrorEnvelope, Health)),
    modifiers(&Shared),
    tags(
        (name = "meta", description = "Health and this documentation; no API key needed."),
        (name = "conversations", description = "Conversations and their append-only transcript."),
        (name = "handoffs", description = "Takeovers and the lifecycle steps shared by every kind of handoff."),
        (name = "assist", description = "A browser agent's stuck screen handed to a person (seed 004): the capture, frames, and the operator's actions as the agent receives them."),
        (name = "agents", description = "Agent-to-agent handoffs (seed 002)."),
        (name = "approvals", description = "Human approval of an agent's action (seed 001)."),
        (name = "workflows", description = "Workflow approval nodes: when an approval is needed."),
        (name = "audit", description = "The hash-chained audit log, exported for auditors."),
        (name = "webhooks", description = "Signed, retried event delivery to your endpoints."),
        (name = "routing", description = "Who is notified, how, and what happens when nobody answers: escalation chains, on-call rotations, policies, channels."),
        (name = "streams", description = "Server-Sent Events."),
        (name = "metrics", description = "How long handoffs wait for a person."),
    )
)]
pub struct ApiDoc;

/// What all authenticated operations share, added after the per-handler annotations.
struct Shared;

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                .build(),
        )
        .build()
        .into()
}

fn integer_header(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        ))
        .description(Some(description))
        .build()
}

fn rate_limited() -> RefOr<Response> {
    let RefOr::T(mut res) = error_response(
        "`rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds.",
    ) else {
        unreachable!("error_response builds a response")
    };
    for (name, description) in [
        ("Retry-After", "Seconds to wait before retrying."),
        (
            "X-RateLimit-Limit",
            "Requests a minute allowed for this key.",
        ),
        ("X-RateLimit-Remaining", "Requests left now (0)."),
        (
            "X-RateLimit-Reset",
            "Unix epoch seconds at which the full budget is back (seed 003).",
        ),
    ] {
        res.headers
            .insert(name.into(), RefOr::T(integer_header(description)));
    }
    res.into()
}

/// Adds `extra` to a response's description, or creates the error response.
fn add_error(op: &mut Operation, status: &str, created: &str, extra: &str) {
    match op.responses.responses.get_mut(status) {
        Some(RefOr::T(res)) => {
            res.description = format!("{} {extra}", res.description.trim_end());
        }
        _ => {
            op.responses
                .responses
                .insert(status.into(), error_response(&format!("{created} {extra}")));
        }
    }
}

/// The operations of a path item, with their method.
fn operations_mut(item: &mut PathItem) -> Vec<(&'static str, &mut Operation)> {
    [
        ("get", item.get.as_mut()),
        ("put", item.put.as_mut()),
        ("post", item.post.as_mut()),
        ("delete", item.delete.as_mut()),
        ("patch", item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

/// `Option<T>` in an annotation means "may be absent", never "may be JSON `null`":
/// an optional request body may be empty but is never `null`, and a header is
/// a value or nothing.
fn not_null(op: &mut Operation) {
    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
        for content in body.content.values_mut() {
            if let RefOr::T(content) = content {
                if let Some(RefOr::T(Schema::OneOf(one))) = &content.schema {
                    let mut items = one.items.iter().filter(|i| {
                        !matches!(i, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
                    });
                    if let (Some(only), None) = (items.next(), items.next()) {
                        content.schema = Some(only.clone());
                    }
                }
            }
        }
    }
    for param in op.parameters.iter_mut().flatten() {
        if let RefOr::T(param) = param {
            if let Some(RefOr::T(Schema::Object(o))) = param.schema.as_mut() {
                if let SchemaType::Array(types) = &o.schema_type {
                    let types: Vec<Type> = types
                        .iter()
                        .filter(|t| **t != Type::Null)
                        .cloned()
                        .collect();
                    if let [one] = types.as_slice() {
                        o.schema_type = SchemaType::Type(one.clone());
                    }
                }
            }
        }
    }
}

impl Modify for Shared {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for item in doc.paths.paths.values_mut() {
            for (_, op) in operations_mut(item) {
                not_null(op);
            }
        }
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("tk_…")
                    .description(Some(
                        "An API key: `Authorization: Bearer tk_…` (`tapin api-key create`).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "x-api-key",
                "The same API key in the `x-api-key` header.",
            ))),
        );

        for (path, item) in doc.paths.paths.iter_mut() {
            if PUBLIC_PATHS.contains(&path.as_str()) {
                continue;
            }
            for (method, op) in operations_mut(item) {
                // Either header works; one of the two is required.
                op.security = Some(vec![
                    SecurityRequirement::new("bearer", Vec::<String>::new()),
                    SecurityRequirement::new("api_key", Vec::<String>::new()),
                ]);
                let responses = &mut op.responses.responses;
                responses.entry("401".into()).or_insert_with(|| {
                    error_response(
                        "`unauthorized`: missing, malformed, unknown or revoked API key.",
                    )
                });
                responses.entry("403".into()).or_insert_with(|| {
                    error_response(
                        "`forbidden`: the API key lacks the scope this operation needs (the message names it).",
                    )
                });
                responses.entry("429".into()).or_insert_with(rate_limited);
                responses.entry("500".into()).or_insert_with(|| {
                    error_response("`internal_error`: logged with the request id (`x-request-id`).")
                });
                if method == "post" {
                    op.parameters.get_or_insert_with(Vec::new).push(
                        ParameterBuilder::new()
                            .name("Idempotency-Key")
                            .parameter_in(ParameterIn::Header)
                            .required(Required::False)
                            .description(Some(
                                "Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`).",
                            ))
                            .schema(Some(
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .min_length(Some(1))
                                    .max_length(Some(255))
                                    .pattern(Some("^[!-~]+$")),
                            ))
                            .build()
                            .into(),
                    );
                    add_error(
                        op,
                        "409",
                        "`conflict`.",
                        "With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed).",
                    );
                    add_error(
                        op,
                        "422",
                        "`bad_request` naming the field.",
                        "`Idempotency-Key` when it is not 1 to 255 visible ASCII characters.",
                    );
                }
            }
        }
    }
}

/// The document, built once.
pub static DOC: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(ApiDoc::openapi);

static JSON: LazyLock<String> = LazyLock::new(|| {
    DOC.to_pretty_json()
        .expect("the OpenAPI document serializes")
});

/// This OpenAPI document
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    tag = "meta",
    summary = "This OpenAPI document",
    description = "The OpenAPI 3.1 description of `/api/v1`, generated from the server's code. No API key needed.",
    responses(
        (status = 200, description = "The OpenAPI document.", content_type = "application/json", body = serde_json::Value),
    )
)]
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], JSON.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn doc() -> Value {
        serde_json::from_str(&JSON).expect("valid JSON")
    }

    /// Every route `api::router` registers, as (method, full path).
    const ROUTES: &[(&str, &str)] = &[
        ("get", "/api/v1/healthz"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/api/v1/reference"),
        ("post", "/api/v1/conversations"),
        ("get", "/api/v1/conversations/{id}"),
        ("post", "/api/v1/conversations/{id}/messages"),
        ("get", "/api/v1/conversations/{id}/messages"),
        ("post", "/api/v1/conversations/{id}/escalate"),
        ("get", "/api/v1/conversations/{id}/events"),
        ("post", "/api/v1/handoffs"),
        ("get", "/api/v1/handoffs"),
        ("get", "/api/v1/handoffs/{id}"),
        ("post", "/api/v1/handoffs/{id}/resolve"),
        ("post", "/api/v1/handoffs/{id}/assign"),
        ("post", "/api/v1/handoffs/{id}/accept"),
        ("post", "/api/v1/handoffs/{id}/cancel"),
        ("post", "/api/v1/handoffs/{id}/handback"),
        ("post", "/api/v1/handoffs/{id}/messages"),
        ("post", "/api/v1/handoffs/{id}/resume"),
        ("post", "/api/v1/handoffs/{id}/complete"),
        ("post", "/api/v1/handoffs/{id}/fail"),
        ("get", "/api/v1/handoffs/{id}/events"),
        ("post", "/api/v1/handoffs/{id}/frozen"),
        ("post", "/api/v1/handoffs/{id}/frames"),
        ("get", "/api/v1/handoffs/{id}/actions"),
        ("post", "/api/v1/handoffs/{id}/open"),
        ("post", "/api/v1/handoffs/{id}/solving"),
        ("post", "/api/v1/handoffs/{id}/expire"),
        ("post", "/api/v1/leads/{id}/handoff"),
        ("post", "/api/v1/leads"),
        ("get", "/api/v1/leads/{id}"),
        ("post", "/api/v1/agents/handoff"),
        ("post", "/api/v1/approvals"),
        ("get", "/api/v1/approvals"),
        ("get", "/api/v1/approvals/{id}"),
        ("post", "/api/v1/approvals/{id}/decide"),
        ("post", "/api/v1/approvals/decide"),
        ("get", "/api/v1/approvals/{id}/wait"),
        ("put", "/api/v1/approval-messages"),
        ("get", "/api/v1/approval-messages"),
        ("put", "/api/v1/workflows/{workflow_id}/nodes/{node_id}"),
        ("get", "/api/v1/workflows/{workflow_id}/nodes/{node_id}"),
        (
            "post",
            "/api/v1/workflows/{workflow_id}/nodes/{node_id}/evaluate",
        ),
        ("get", "/api/v1/audit/stream"),
        ("get", "/api/v1/audit/export.jsonl"),
        ("get", "/api/v1/audit/export.csv"),
        ("get", "/api/v1/audit/security"),
        ("post", "/api/v1/webhooks"),
        ("get", "/api/v1/webhooks"),
        ("get", "/api/v1/webhooks/{id}"),
        ("patch", "/api/v1/webhooks/{id}"),
        ("delete", "/api/v1/webhooks/{id}"),
        ("post", "/api/v1/webhooks/{id}/rotate-secret"),
        ("get", "/api/v1/webhooks/{id}/deliveries"),
        (
            "post",
            "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
        ),
        ("post", "/api/v1/escalation-chains"),
        ("get", "/api/v1/escalation-chains"),
        ("get", "/api/v1/escalation-chains/{id}"),
        ("put", "/api/v1/escalation-chains/{id}"),
        ("delete", "/api/v1/escalation-chains/{id}"),
        ("post", "/api/v1/rotations"),
        ("get", "/api/v1/rotations"),
        ("get", "/api/v1/rotations/{id}"),
        ("put", "/api/v1/rotations/{id}"),
        ("delete", "/api/v1/rotations/{id}"),
        ("post", "/api/v1/rotations/{id}/overrides"),
        ("get", "/api/v1/rotations/{id}/on-call"),
        ("get", "/api/v1/policies"),
        ("put", "/api/v1/policies"),
        ("post", "/api/v1/policies/test"),
        ("get", "/api/v1/routing/settings"),
        ("put", "/api/v1/routing/settings"),
        ("get", "/api/v1/operators/{id}/channels"),
        ("put", "/api/v1/operators/{id}/channels"),
        ("get", "/api/v1/handoffs/{id}/notifications"),
        ("get", "/api/v1/audit/trace/stream"),
        ("get", "/api/v1/metrics/time-to-human"),
    ];

    const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

    fn documented(doc: &Value) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for m in METHODS {
                if item.get(m).is_some() {
                    out.insert((m.to_string(), path.clone()));
                }
            }
        }
        out
    }

    /// The (method, path) pairs `api::router` registers, read from its source:
    /// a `.route("…", get(…).post(…))` added without documentation fails below.
    fn registered() -> BTreeSet<(String, String)> {
        let src = include_str!("mod.rs");
        let mut out = BTreeSet::new();
        let mut rest = src;
        while let Some(i) = rest.find(".route(") {
            rest = &rest[i + ".route(".len()..];
            let path = rest
                .trim_start()
                .strip_prefix('"')
                .and_then(|s| s.split('"').next())
                .expect("route path literal");
            // The handler expression runs to the `)` closing `.route(`.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find_map(|(j, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    (depth == 0).then_some(j)
                })
                .expect("balanced .route(");
            let handler = &rest[..end];
            for m in METHODS {
                let call = format!("{m}(");
                let called = handler.match_indices(&call).any(|(k, _)| {
                    let before = handler[..k].chars().next_back();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                if called {
                    out.insert((m.to_string(), format!("/api/v1{path}")));
                }
            }
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn every_route_is_documented_and_nothing_else() {
        let doc = doc();
        let documented = documented(&doc);
        let known: BTreeSet<_> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        let registered = registered();
        assert_eq!(registered.len(), ROUTES.len(), "{registered:#?}");
        assert_eq!(registered, known, "api::router and the list above differ");
        assert_eq!(
            documented, known,
            "documented operations differ from the routes"
        );
    }

    fn operations(doc: &Value) -> Vec<(String, String, Value)> {
        let mut out = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for m in METHODS {
                if let Some(op) = item.get(m) {
                    out.push((m.to_string(), path.clone(), op.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn every_operation_is_secured_except_the_public_ones() {
        let doc = doc();
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["bearer"]["type"], "http");
        assert_eq!(schemes["bearer"]["scheme"], "bearer");
        assert_eq!(schemes["api_key"]["type"], "apiKey");
        assert_eq!(schemes["api_key"]["in"], "header");
        assert_eq!(schemes["api_key"]["name"], "x-api-key");
        assert!(doc.get("security").is_none(), "no global requirement");
        for (m, path, op) in operations(&doc) {
            let public = PUBLIC_PATHS.contains(&path.as_str());
            let security = op.get("security");
            if public {
                assert!(security.is_none(), "{m} {path} is public");
                assert!(op["responses"].get("401").is_none(), "{m} {path}");
                continue;
            }
            assert_eq!(
                security,
                Some(&serde_json::json!([{"bearer": []}, {"api_key": []}])),
                "{m} {path}"
            );
            for status in ["401", "403", "429"] {
                assert!(
                    op["responses"].get(status).is_some(),
                    "{m} {path} lacks {status}"
                );
            }
            let description = op["description"].as_str().unwrap_or_default();
            assert!(
                [
                    "read",
                    "handoffs:write",
                    "approvals:write",
                    "approvals:decide",
                    "leads:write",
                    "admin"
                ]
                .iter()
                .any(|s| description.contains(&format!("Scope: `{s}`"))),
                "{m} {path} does not name its scope"
            );
        }
    }

    #[test]
    fn every_operation_is_described_and_errors_share_the_envelope() {
        let doc = doc();
        let mut ids = BTreeSet::new();
        for (m, path, op) in operations(&doc) {
            assert!(path.starts_with("/api/v1/"), "{path}");
            let id = op["operationId"].as_str().expect("operationId");
            assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
            assert!(
                !op["summary"].as_str().unwrap_or_default().is_empty(),
                "{m} {path} has no summary"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{m} {path} has no success response"
            );
            for (status, res) in responses {
                assert!(!res["description"].as_str().unwrap_or_default().is_empty());
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        res["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorEnvelope",
                        "{m} {path} {status}"
                    );
                }
            }
            // Path parameters are declared.
            for name in path.split('{').skip(1).filter_map(|s| s.split('}').next()) {
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                assert!(
                    params
                        .iter()
                        .any(|p| p["name"] == name && p["in"] == "path"),
                    "{m} {path} does not declare {name}"
                );
            }
        }
    }

    #[test]
    fn the_error_envelope_matches_what_the_server_sends() {
        let doc = doc();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["ErrorEnvelope"]["properties"]["error"]["$ref"],
            "#/components/schemas/ErrorBody"
        );
        let body = &schemas["ErrorBody"];
        let required: BTreeSet<_> = body["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, BTreeSet::from(["code", "message", "fields"]));
        assert!(body["properties"].get("reason").is_some());
        assert!(body["properties"].get("status").is_none(), "not serialized");
        // A real error, serialized as the API sends it, fits the schema's keys.
        let mut e = AppError::invalid_field("packet.static_text", "missing");
        e.reason = Some("x".into());
        let sent = serde_json::json!({ "error": e });
        for key in sent["error"].as_object().unwrap().keys() {
            assert!(body["properties"].get(key).is_some(), "{key}");
        }
        let codes = &schemas["ErrorCode"]["enum"];
        for code in [
            "bad_request",
            "unauthorized",
            "forbidden",
            "not_found",
            "conflict",
            "rate_limited",
            "internal_error",
        ] {
            assert!(
                codes.as_array().unwrap().iter().any(|c| c == code),
                "{code}"
            );
        }
    }

    #[test]
    fn serde_rules_reach_the_schemas() {
        let doc = doc();
        let schemas = &doc["components"]["schemas"];
        // deny_unknown_fields → additionalProperties: false
        for name in [
            "CreateHandoff",
            "Packet",
            "AgentHandoffRequest",
            "ApprovalNode",
            "CreateApproval",
            "Decide",
        ] {
            assert_eq!(schemas[name]["additionalProperties"], false, "{name}");
        }
        let required = |name: &str| -> BTreeSet<String> {
            schemas[name]["required"]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        };
        // `#[serde(default)]` fields are optional.
        assert_eq!(
            required("Packet"),
            BTreeSet::from(["static_text".to_string()])
        );
        assert_eq!(
            required("CreateHandoff"),
            ["kind"].map(String::from).into(),
            "the other fields depend on the kind (checked by the handler)"
        );
        assert!(required("CreateConversation").is_empty());
        assert!(required("ReasonBody").is_empty());
        assert_eq!(
            required("AgentHandoffRequest"),
            [
                "from_agent",
                "to_agent",
                "conversation_context",
                "handoff_reason"
            ]
            .map(String::from)
            .into()
        );
        // Renamed fields use their JSON names.
        assert!(schemas["ApprovalNode"]["properties"].get("type").is_some());
        assert!(schemas["AgentHandoffResponse"]["properties"]
            .get("handoffId")
            .is_some());
        // Optional request bodies are not required.
        // An optional body may be empty, never `null`.
        let create_conv = &doc["paths"]["/api/v1/conversations"]["post"];
        assert_ne!(create_conv["requestBody"]["required"], true);
        assert_eq!(
            create_conv["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/CreateConversation"
        );
        let create_handoff = &doc["paths"]["/api/v1/handoffs"]["post"];
        assert_eq!(create_handoff["requestBody"]["required"], true);
    }

    #[test]
    fn streams_are_documented_as_event_streams() {
        let doc = doc();
        for path in [
            "/api/v1/handoffs/{id}/events",
            "/api/v1/conversations/{id}/events",
            "/api/v1/audit/stream",
            "/api/v1/audit/trace/stream",
        ] {
            let op = &doc["paths"][path]["get"];
            assert!(
                op["responses"]["200"]["content"]
                    .get("text/event-stream")
                    .is_some(),
                "{path}"
            );
            let params = op["parameters"].as_array().unwrap();
            let last = params
                .iter()
                .find(|p| p["name"] == "Last-Event-ID" && p["in"] == "header")
                .unwrap_or_else(|| panic!("{path} lacks Last-Event-ID"));
            assert_eq!(last["required"], false);
            assert_eq!(last["schema"]["type"], "integer", "a header is never null");
        }
    }
}
