//! Leptos UI: the HTML shell, the router and the pages.

pub mod actions;
mod admin;
pub mod admin_fns;
pub mod admin_metrics;
mod admin_slack;
pub mod admin_webhooks;
mod approval;
pub mod assist;
mod chat;
pub mod decide_link;
mod desk;
pub mod duration;
mod handoff_data;
mod handoff_live;
mod history;
pub mod hydrated;
mod inbox;
mod inbox_bulk;
mod json;
mod live;
pub mod loader;
mod login;
mod mobile;
mod notice;
#[cfg(feature = "ssr")]
pub mod pages;
mod post;
pub mod preload;
mod quorum_live;
mod routing;
mod routing_edit;
pub mod session;
pub mod settings;
mod similar;
pub mod title;
pub mod types;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use title::PageTitle;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // leptos_axum provides a fresh nonce per request; the islands loader, the
    // streamed resource and suspense scripts all carry it, so the page's CSP can
    // allow exactly those inline scripts without 'unsafe-inline'.
    let nonce = leptos::nonce::use_nonce();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let policy = crate::web::page_csp(nonce.as_deref());
        if let Ok(v) = axum::http::HeaderValue::from_str(&policy) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="stylesheet" href="/pkg/tapin.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <meta name="theme-color" content="#1f5fd1"/>
                // Registered without waiting for the WASM: installability and the offline page work anyway.
                <script nonce=nonce>"if('serviceWorker' in navigator){navigator.serviceWorker.register('/sw.js').catch(function(){})}"</script>
                // The JS and WASM start after the first paint (src/ui/loader.rs).
                <loader::IslandsLoader options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The pages. Islands mode: every component here renders on the server only;
/// what the browser runs is the `#[island]` components inside the pages (the
/// chat box, the decision form, live updates, the admin forms), so a page is
/// plain HTML plus the code of its own islands. Navigation is ordinary links.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <PageTitle text="tapin"/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/m/:id") view=mobile::MobilePage/>
                <Route path=path!("/m/:id/decide") view=decide_link::DecideLinkPage/>
                <Route path=path!("/login") view=login::LoginPage/>
                <Route path=path!("/inbox") view=inbox::InboxPage/>
                <Route path=path!("/history") view=history::HistoryPage/>
                <Route path=path!("/admin") view=admin::AdminPage/>
                <Route path=path!("/admin/routing") view=routing::RoutingPage/>
                <Route path=path!("/settings") view=settings::SettingsPage/>
                <Route path=path!("/admin/webhooks") view=admin_webhooks::AdminWebhooksPage/>
                <Route path=path!("/admin/metrics") view=admin_metrics::AdminMetricsPage/>
            </Routes>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    view! {
        <main class="page">
            <h1>"tapin"</h1>
            <p>"The human-in-the-loop desk for AI agents is running."</p>
            <p>"Agents call the REST API under " <code>"/api/v1"</code> "; operators open the signed links they are sent."</p>
        </main>
    }
}

#[component]
fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to tapin"</a></p>
        </main>
    }
}
