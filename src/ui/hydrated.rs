//! `<body data-hydrated="true">` once every island on the page is live: what
//! the end-to-end tests (and curious people) wait for before they click.
//! Lazy islands load their code when they hydrate, so no single moment in the
//! loader says "done"; instead each island reports in and the last one marks
//! the body.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Called at the top of every island.
pub fn island_ready() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        let doc = document();
        let Some(body) = doc.body() else { return };
        let total = doc
            .query_selector_all("leptos-island")
            .map(|l| l.length())
            .unwrap_or(0);
        let ready = body
            .get_attribute("data-islands-ready")
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
            + 1;
        let _ = body.set_attribute("data-islands-ready", &ready.to_string());
        if ready >= total {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// A page without islands is as live as it gets once the WASM has loaded.
#[cfg(feature = "hydrate")]
pub fn mark_if_no_islands() {
    let doc = document();
    let none = doc
        .query_selector("leptos-island")
        .map(|e| e.is_none())
        .unwrap_or(true);
    if let (true, Some(body)) = (none, doc.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
