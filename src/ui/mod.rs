//! Leptos UI: the HTML shell, the router and the pages.

pub mod actions;
mod admin;
pub mod admin_fns;
pub mod admin_metrics;
pub mod admin_webhooks;
mod approval;
mod chat;
mod inbox;
mod live;
mod login;
mod mobile;
pub mod preload;
mod routing;
pub mod screen;
pub mod session;
pub mod settings;
pub mod types;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
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
                <script>"if('serviceWorker' in navigator){navigator.serviceWorker.register('/sw.js').catch(function(){})}"</script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Lets tests (and curious people) see that the page is live.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title text="tapin"/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/m/:id") view=mobile::MobilePage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=login::LoginPage/>
                <Route path=path!("/inbox") view=inbox::InboxPage ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=admin::AdminPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/routing") view=routing::RoutingPage ssr=SsrMode::Async/>
                <Route path=path!("/settings") view=settings::SettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/webhooks") view=admin_webhooks::AdminWebhooksPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/metrics") view=admin_metrics::AdminMetricsPage ssr=SsrMode::Async/>
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
