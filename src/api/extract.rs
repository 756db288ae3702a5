//! Request extractors that turn every input problem into the error envelope,
//! naming the offending field.

use crate::error::{AppError, FieldError};
use crate::service::keys::{self, ApiPrincipal};
use crate::service::App;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The API key of the request, authenticated (401 otherwise).
pub struct ApiAuth(pub ApiPrincipal);

impl<S> FromRequestParts<S> for ApiAuth
where
    S: Send + Sync,
    App: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        // Usually done already, before the rate limit and idempotency (`limits::authenticate`).
        if let Some(principal) = parts.extensions.get::<ApiPrincipal>() {
            return Ok(ApiAuth(principal.clone()));
        }
        if let Some(super::limits::AuthFailure(e)) = parts.extensions.get() {
            return Err(e.clone());
        }
        let app = App::from_ref(state);
        let header_str = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let raw = if let Some(auth) = header_str(header::AUTHORIZATION) {
            match auth.split_once(' ') {
                Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => key.trim(),
                _ => {
                    return Err(AppError::unauthorized(
                        "the Authorization header must be `Bearer tk_…`",
                    ))
                }
            }
        } else if let Some(key) = header_str(header::HeaderName::from_static("x-api-key")) {
            key.trim()
        } else {
            return Err(AppError::unauthorized(
                "missing API key: send `Authorization: Bearer tk_…` or `x-api-key: tk_…`",
            ));
        };
        Ok(ApiAuth(keys::authenticate(&app, raw).await?))
    }
}

/// Where a serde error happened, as a dotted JSON path including the field
/// that was missing or unknown.
fn field_of<E: std::fmt::Display>(path: &serde_path_to_error::Path, inner: &E) -> String {
    let msg = inner.to_string();
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|p| msg.strip_prefix(p))
        .and_then(|rest| rest.split('`').next());
    let base = path.to_string();
    let base = if base == "." { String::new() } else { base };
    match named {
        Some(name) if !base.ends_with(name) => {
            if base.is_empty() {
                name.to_string()
            } else {
                format!("{base}.{name}")
            }
        }
        _ if base.is_empty() => "body".to_string(),
        _ => base,
    }
}

fn clean_message(msg: &str) -> String {
    // serde appends " at line 1 column 42"; the field name says more.
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Parses JSON into `T`: syntax errors are 400, shape errors 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        if inner.is_syntax() || inner.is_eof() {
            AppError::bad_request(format!("malformed JSON: {inner}"))
        } else {
            AppError::invalid(vec![FieldError {
                field: field_of(e.path(), inner),
                message: clean_message(&inner.to_string()),
            }])
        }
    })
}

/// A JSON body, required. `Option<T>`-like emptiness is handled by `JsonOrEmpty`.
pub struct Json<T>(pub T);

async fn body_bytes<S: Send + Sync>(
    req: Request,
    state: &S,
) -> Result<axum::body::Bytes, AppError> {
    if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("");
        if !ct.starts_with("application/json") {
            return Err(AppError::bad_request(
                "Content-Type must be application/json",
            ));
        }
    }
    axum::body::Bytes::from_request(req, state)
        .await
        .map_err(|e| AppError::bad_request(format!("could not read the request body: {e}")))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(AppError::bad_request(
                "the request body must be a JSON object",
            ));
        }
        parse_json(&bytes).map(Json)
    }
}

/// A JSON body that may be empty (then `T::default()`).
pub struct JsonOrEmpty<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for JsonOrEmpty<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonOrEmpty(T::default()));
        }
        parse_json(&bytes).map(JsonOrEmpty)
    }
}

/// Query string parameters: bad values are 400 naming the parameter.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(q));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let mut err = AppError::bad_request(format!(
                    "query parameter {}: {}",
                    field_of(e.path(), e.inner()),
                    e.inner()
                ));
                err.fields = vec![FieldError {
                    field: field_of(e.path(), e.inner()),
                    message: e.inner().to_string(),
                }];
                err
            })
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        static_text: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        kind: String,
        packet: Inner,
    }

    fn field(body: &str) -> (u16, String) {
        let e = parse_json::<Outer>(body.as_bytes()).unwrap_err();
        (
            e.http_status(),
            e.fields
                .first()
                .map(|f| f.field.clone())
                .unwrap_or_default(),
        )
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(
            field(r#"{"kind":"t","packet":{}}"#),
            (422, "packet.static_text".into())
        );
        assert_eq!(
            field(r#"{"packet":{"static_text":"x"}}"#),
            (422, "kind".into())
        );
        assert_eq!(
            field(r#"{"kind":"t","packet":{"static_text":1}}"#),
            (422, "packet.static_text".into())
        );
        assert_eq!(
            field(r#"{"kind":"t","colour":1,"packet":{"static_text":"x"}}"#),
            (422, "colour".into())
        );
        assert_eq!(field(r#"{"kind":"t","#).0, 400);
    }
}
