//! tapin: a self-hosted human-in-the-loop desk for AI agents.
//!
//! Compiled twice: with `ssr` as the server (binary `tapin`), with `hydrate`
//! as the browser bundle. Server-only modules are behind `ssr`.

// Leptos views are deeply nested types; release builds need a higher limit.
#![recursion_limit = "256"]

pub mod domain;
pub mod error;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod bench;
#[cfg(feature = "ssr")]
pub mod channels;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod connections;
#[cfg(feature = "ssr")]
pub mod decide_http;
#[cfg(feature = "ssr")]
pub mod edge;
#[cfg(feature = "ssr")]
pub mod mcp;
#[cfg(feature = "ssr")]
pub mod pwa;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod telemetry;
#[cfg(feature = "ssr")]
pub mod web;
#[cfg(feature = "ssr")]
pub mod workers;

/// Browser entry point, run before the islands on the page are hydrated (the
/// loader then calls each island's own entry).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    ui::hydrated::mark_if_no_islands();
}
