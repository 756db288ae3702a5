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
mod notice;
#[cfg(feature = "ssr")]
pub mod pages;
pub mod preload;
mod routing;
pub mod screen;
pub mod session;
pub mod settings;
pub mod title;
pub mod types;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};
use title::PageTitle;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // leptos_axum provides a fresh nonce per request; HydrationScripts, the
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
        <PageTitle text="tapin"/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/m/:id") view=mobile::MobilePage ssr=SsrMode::Async/>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/inbox") view={Lazy::<InboxRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/admin/routing") view={Lazy::<RoutingRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/admin/webhooks") view={Lazy::<AdminWebhooksRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/admin/metrics") view={Lazy::<AdminMetricsRoute>::new()} ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

// Code splitting: every page but the handoff page (`/m/:id`, what a phone opens) and
// the tiny home and not-found pages is a lazy route. With `cargo leptos build --split`
// each one's code is a separate WASM chunk that the browser loads only when that page is
// shown (the server names it in a `<link rel="preload">` of the page it renders), so the
// phone does not download the admin pages. Without `--split` they stay in the one
// module and behave as ordinary routes. The page data is still preloaded by the server
// (`preload`), so `data()` has nothing to start: a route is just its view.
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(LoginRoute, login::LoginPage);
lazy_page!(InboxRoute, inbox::InboxPage);
lazy_page!(AdminRoute, admin::AdminPage);
lazy_page!(RoutingRoute, routing::RoutingPage);
lazy_page!(SettingsRoute, settings::SettingsPage);
lazy_page!(AdminWebhooksRoute, admin_webhooks::AdminWebhooksPage);
lazy_page!(AdminMetricsRoute, admin_metrics::AdminMetricsPage);

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
