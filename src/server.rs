//! Server entry: config → store → migrations → App → router → listen.

use crate::config::Config;
use crate::service::{demo, App};
use crate::{api, store, ui, web};
use axum::extract::FromRef;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Axum state: the service `App` plus Leptos's options.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

impl FromRef<AppState> for App {
    fn from_ref(s: &AppState) -> Self {
        s.app.clone()
    }
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("tapin")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .build()
}

/// The whole HTTP surface. Tests build it too, on port 0.
pub fn router(app: App) -> Router {
    let node = match app.config.node_name.as_str() {
        "" => "tapin",
        name => name,
    };
    crate::telemetry::install(node);
    let leptos_options = leptos_options(&app.config);
    let routes = generate_route_list(ui::App);
    let state = AppState {
        app: app.clone(),
        leptos_options: leptos_options.clone(),
    };
    let ctx_app = app.clone();
    Router::new()
        .nest("/api/v1", api::router(&app))
        .merge(crate::mcp::router(&app))
        .route("/m/{id}/open", axum::routing::post(web::open_link))
        .route(
            "/m/{id}/decide",
            axum::routing::post(crate::decide_http::decide_link),
        )
        .route(
            "/slack/interactivity/{org}",
            axum::routing::post(crate::decide_http::slack_interactivity).layer(
                axum::extract::DefaultBodyLimit::max(crate::decide_http::SLACK_BODY_MAX),
            ),
        )
        .route("/m/{id}/live/{what}", axum::routing::get(web::live))
        .route("/m/{id}/frame", axum::routing::get(web::assist_frame))
        .route("/inbox/live", axum::routing::get(web::inbox_live))
        .route(
            "/settings/push",
            axum::routing::post(web::push_subscribe).delete(web::push_unsubscribe),
        )
        .route("/settings/push/test", axum::routing::post(web::push_test))
        .route("/sw.js", axum::routing::get(crate::pwa::service_worker))
        .route("/metrics", axum::routing::get(web::metrics))
        .leptos_routes_with_context(
            &state,
            routes,
            move || leptos::prelude::provide_context(ctx_app.clone()),
            {
                let options = leptos_options.clone();
                move || ui::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(ui::shell))
        // One `layer` call for the whole stack: each `Router::layer` boxes
        // every route once more, and a request then cloned that chain of
        // boxes at every middleware (docs/performance.md, tenth session).
        // Outermost first: the request id, the trace span, the count,
        // compression, headers, the time limit, the cross-site check, the
        // preload hints, and the server functions' own checks innermost.
        // The state each middleware gets is cloned per request: `App` (one
        // Arc), not `AppState` with Leptos's options.
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(TraceLayer::new_for_http().make_span_with(
                    |req: &axum::http::Request<_>| {
                        let id = req
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                    },
                ))
                .layer(axum::middleware::from_fn(web::count_request))
                // Pages and JSON go out compressed when the client accepts it (a page is
                // ~16 KB raw, ~3 KB gzip); SSE streams and precompressed assets are left alone.
                .layer(axum::middleware::from_fn(web::compress))
                .layer(axum::middleware::from_fn_with_state(app.clone(), web::security_headers))
                .layer(axum::middleware::from_fn_with_state(app.clone(), crate::edge::timeout))
                .layer(axum::middleware::from_fn_with_state(app.clone(), web::reject_cross_site))
                .layer(axum::middleware::from_fn_with_state(
                    app.clone(),
                    ui::preload::ssr::preload,
                ))
                .layer(axum::middleware::from_fn(crate::edge::server_fns)),
        )
        .with_state(state)
}

pub async fn serve(config: Config) -> Result<(), String> {
    let store = store::open(&config.database_url).await?;
    let app = App::new(store, config.clone()).await?;
    if config.demo {
        let d = demo::seed(&app)
            .await
            .map_err(|e| format!("seeding the demo: {e}"))?;
        println!(
            "\n  tapin demo\n  ----------\n  organization : {org}\n  operator     : {email}  (password {password}, sign in at {base}/login)\n  API key      : {key}\n  handoff      : {hid}\n  mobile link  : {link}\n                 (single use, valid {mins} minutes; `tapin link {hid} --operator {email}` makes another)\n\n  try: curl -H 'x-api-key: {key}' {base}/api/v1/handoffs\n",
            org = demo::ORG,
            email = d.operator_email,
            password = d.password,
            key = d.api_key,
            hid = d.handoff_id,
            link = d.link,
            mins = demo::LINK_TTL_SECONDS / 60,
            base = config.public_base(),
        );
    }
    crate::workers::timers::spawn(app.clone());
    crate::workers::webhooks::spawn(app.clone());
    crate::workers::notices::spawn(app.clone()).await?;
    if !config.metrics_addr.is_empty() {
        // Only /metrics, without a token: for a scraper on a private address.
        let addr = config.metrics_addr.clone();
        let metrics = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| format!("binding metrics_addr {addr}: {e}"))?;
        let only = Router::new()
            .route("/metrics", axum::routing::get(web::metrics_open))
            .with_state(app.clone());
        tokio::spawn(async move {
            let _ = axum::serve(metrics, only.into_make_service()).await;
        });
        println!("metrics on http://{addr}/metrics");
    }
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("binding {}: {e}", config.site_addr))?;
    println!("tapin listening on http://{}", config.site_addr);
    // Each connection gets a cheap clone of the built router (serving a fresh
    // Router per connection rebuilt the route table: ~130 KB per open SSE
    // stream, docs/performance.md, memory) and its peer address.
    crate::connections::serve(listener, router(app), shutdown_signal()).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
