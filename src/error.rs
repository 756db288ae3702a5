//! One error type for the REST API and the server functions: it serializes to
//! the envelope `{"error": {"code", "message", "fields"}}` and to the browser.

use serde::{Deserialize, Serialize};
use std::fmt;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthorized,
    Forbidden,
    RateLimited,
    BadRequest,
    NotFound,
    Conflict,
    InternalError,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::RateLimited,
        ErrorCode::BadRequest,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::InternalError,
    ];

    /// The code from its wire name (`not_found`); `None` for an unknown one.
    pub fn parse(name: &str) -> Option<ErrorCode> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InternalError => "internal_error",
        }
    }
}

/// A problem with one named input field (JSON path such as `packet.static_text`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", schema(as = ErrorBody))]
#[serde(from = "WireError")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// Always present (empty when no single field is to blame).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub fields: Vec<FieldError>,
    /// A finer reason for machines (`link_used`, `invalid_transition`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// HTTP status when it differs from the code's default (400 vs 422).
    #[serde(skip)]
    pub status: Option<u16>,
    /// Seconds to send as `Retry-After` (limits and caps).
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

/// What an error reads from: the envelope `{"error": {…}}` (what every
/// response carries, server functions included) or the bare body.
#[derive(Deserialize)]
#[serde(untagged)]
enum WireError {
    Envelope { error: BareError },
    Bare(BareError),
}

#[derive(Deserialize)]
struct BareError {
    code: ErrorCode,
    message: String,
    #[serde(default)]
    fields: Vec<FieldError>,
    #[serde(default)]
    reason: Option<String>,
}

impl From<WireError> for AppError {
    fn from(w: WireError) -> Self {
        let (WireError::Envelope { error: b } | WireError::Bare(b)) = w;
        AppError {
            code: b.code,
            message: b.message,
            fields: b.fields,
            reason: b.reason,
            status: None,
            retry_after: None,
        }
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            fields: Vec::new(),
            reason: None,
            status: None,
            retry_after: None,
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }
    /// Malformed input (unparseable body, bad query string): 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, message)
    }
    /// Well-formed input that breaks a rule: 422 with the offending fields named.
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("{} fields are invalid", fields.len()),
        };
        AppError {
            fields,
            status: Some(422),
            ..Self::new(ErrorCode::BadRequest, message)
        }
    }
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }
    /// Missing, or owned by another organization: the two are indistinguishable on purpose.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }
    pub fn conflict(reason: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message).with_reason(reason)
    }
    pub fn rate_limited(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::RateLimited, message)
    }
    /// The cause is logged by the caller; the user sees a clean message.
    pub fn internal() -> Self {
        Self::new(
            ErrorCode::InternalError,
            "internal error; the server log has details",
        )
    }

    /// The database does not answer (no connection, pool exhausted): 503 with
    /// `Retry-After`, reason `database_unavailable`. Nothing was changed.
    pub fn unavailable() -> Self {
        AppError {
            status: Some(503),
            ..Self::new(
                ErrorCode::InternalError,
                "the database is unavailable; nothing was changed, retry shortly",
            )
        }
        .with_reason("database_unavailable")
    }

    /// Worth retrying later: no connection, or a server-side failure.
    pub fn is_transient(&self) -> bool {
        self.code == ErrorCode::InternalError || self.code == ErrorCode::RateLimited
    }

    /// Past a limit: 429 with `Retry-After: secs`, `reason` for machines.
    pub fn limited(reason: &str, message: impl Into<String>, secs: u64) -> Self {
        let mut e = Self::rate_limited(message).with_reason(reason);
        e.retry_after = Some(secs.max(1));
        e
    }

    pub fn with_reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_string());
        self
    }

    pub fn http_status(&self) -> u16 {
        self.status.unwrap_or(match self.code {
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::RateLimited => 429,
            ErrorCode::BadRequest => 400,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::InternalError => 500,
        })
    }
}

impl From<crate::domain::limits::FieldProblem> for AppError {
    fn from(p: crate::domain::limits::FieldProblem) -> Self {
        AppError::invalid_field(p.field, p.message)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // No answer at all: the network, not the request. Callers retry these.
            E::Request(msg) => Self::new(
                ErrorCode::InternalError,
                format!("could not reach the server: {msg}"),
            )
            .with_reason("offline"),
            E::Args(msg) | E::MissingArg(msg) => Self::bad_request(msg),
            // On the server this is the request's body that could not be read
            // (too large, cut off): the caller's input, not a server fault.
            #[cfg(feature = "ssr")]
            E::Deserialization(msg) => Self::bad_request(msg),
            other => Self::new(ErrorCode::InternalError, other.to_string()),
        }
    }
}

/// What a 503 asks a client to wait before retrying.
pub const RETRY_AFTER_SECONDS: u64 = 5;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::lifecycle::LifecycleError;
    use axum::response::{IntoResponse, Response};

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status = axum::http::StatusCode::from_u16(self.http_status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let retry_after = self.retry_after;
            let body = serde_json::json!({ "error": self });
            let mut res = (status, axum::Json(body)).into_response();
            // The error's own wait; a 503 without one: pools reconnect by
            // themselves, so a few seconds is a fair first retry.
            let retry_after = retry_after
                .or((status == axum::http::StatusCode::SERVICE_UNAVAILABLE)
                    .then_some(RETRY_AFTER_SECONDS));
            if let Some(secs) = retry_after {
                res.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, secs.into());
            }
            res
        }
    }

    impl From<LifecycleError> for AppError {
        fn from(e: LifecycleError) -> Self {
            match e {
                LifecycleError::Transition(t) => AppError::conflict(t.reason(), t.to_string()),
                LifecycleError::Forbidden { .. } => AppError::forbidden(e.to_string()),
                LifecycleError::Taken => AppError::conflict("taken", e.to_string()),
                LifecycleError::Incomplete(..) => AppError::bad_request(e.to_string()),
                LifecycleError::Vote(v) => AppError::conflict(v.reason(), v.to_string()),
            }
        }
    }
}
