//! How the handoff page's islands call their server functions: a `fetch`
//! POST of URL-encoded fields (what a plain `<form>` sends, encoded by the
//! browser's `URLSearchParams`), answered in JSON. The endpoints are the
//! `#[server]` functions themselves; only the browser side differs. Leptos's
//! generated client (its request and response types, streaming support and
//! `serde_qs`) would be in the page's main WASM module for these calls
//! alone; this is a few imports of browser APIs, and the answer is read with
//! the browser's own JSON parser (`super::json`).

use super::json::FromJson;
use crate::error::AppError;

/// POSTs `fields` to `path` (`/fn/…`) and reads the JSON answer; a refusal
/// is the server's `AppError`, no answer at all an `offline` internal error
/// (`is_transient`: callers may retry).
#[cfg(feature = "hydrate")]
pub async fn post<T: FromJson>(path: &str, fields: &[(&str, &str)]) -> Result<T, AppError> {
    use crate::error::ErrorCode;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let offline = |_| {
        AppError::new(ErrorCode::InternalError, "could not reach the server").with_reason("offline")
    };
    let params = web_sys::UrlSearchParams::new().map_err(offline)?;
    for (name, value) in fields {
        params.append(name, value);
    }
    let headers = web_sys::Headers::new().map_err(offline)?;
    headers.set("Accept", "application/json").map_err(offline)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&params);
    let window = web_sys::window().ok_or_else(|| offline(wasm_bindgen::JsValue::NULL))?;
    let res: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(offline)?
        .unchecked_into();
    let body = JsFuture::from(res.text().map_err(offline)?)
        .await
        .map_err(offline)?
        .as_string()
        .unwrap_or_default();
    if res.ok() {
        T::from_text(&body)
            .ok_or_else(|| AppError::new(ErrorCode::InternalError, "unexpected answer"))
    } else {
        Err(AppError::from_text(&body).unwrap_or_else(|| {
            AppError::new(
                ErrorCode::InternalError,
                format!("the server answered {}", res.status()),
            )
        }))
    }
}

/// Islands run their calls in the browser only.
#[cfg(not(feature = "hydrate"))]
pub async fn post<T: FromJson>(path: &str, fields: &[(&str, &str)]) -> Result<T, AppError> {
    let _ = (path, fields);
    Err(AppError::internal())
}
