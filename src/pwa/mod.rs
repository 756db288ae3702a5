//! The service worker, served at the site root with a build version: a hash
//! of the browser bundle, so a deploy with new WASM installs a new worker
//! whose activation drops the old cache.

use crate::service::App;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

const TEMPLATE: &str = include_str!("sw.js");

/// Hash of the bundle files under `site_root` (or the crate version when the
/// site has not been built, e.g. in API tests).
pub fn build_version(site_root: &str) -> String {
    let mut data = Vec::new();
    // The phone pages' module (`phone/`) ships in the same deploy.
    for f in [
        "tapin.wasm",
        "tapin.js",
        "tapin.css",
        "phone/tapin.wasm",
        "phone/tapin.js",
    ] {
        if let Ok(bytes) = std::fs::read(std::path::Path::new(site_root).join("pkg").join(f)) {
            data.extend_from_slice(&bytes);
        }
    }
    if data.is_empty() {
        return format!("v{}", env!("CARGO_PKG_VERSION"));
    }
    crate::service::sha256_hex(&data)[..16].to_string()
}

pub async fn service_worker(State(app): State<App>) -> Response {
    static BODY: OnceLock<String> = OnceLock::new();
    let body = BODY
        .get_or_init(|| TEMPLATE.replace("__TAPIN_BUILD__", &build_version(&app.config.site_root)));
    let mut res = body.clone().into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    // Browsers must always check for a new worker.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("service-worker-allowed", HeaderValue::from_static("/"));
    res
}
