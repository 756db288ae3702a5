//! Page data loaded by the server *before* Leptos renders, then handed to the
//! page's island as a prop.
//!
//! Why not `Resource` + `<Suspense>`: under concurrent load Leptos 0.8's
//! server-side Suspense can lose the wake-up that says its resources are done
//! (leptos-rs/leptos#4851, #4647), and the response then never arrives — seen
//! here as a page request that hung a test run. Loading first in plain async
//! Rust (the `ssr::preload` middleware) leaves the render nothing to wait for.
//! The page's server component reads the value (`preloaded`) and gives it to
//! the island that needs it; the island refreshes it through the page's server
//! function when its key changes or `refetch` is called.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// What a page loaded: `None` while the browser is still fetching it.
pub type Loaded<T> = Option<Result<T, AppError>>;

/// A page's data: its value, and a way to ask for a fresh copy.
pub struct PageData<T: Send + Sync + 'static> {
    pub value: RwSignal<Loaded<T>>,
    version: RwSignal<u64>,
}

impl<T: Send + Sync + 'static> Clone for PageData<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for PageData<T> {}

impl<T: Send + Sync + 'static> PageData<T> {
    /// Loads the data again (in the browser; on the server there is nothing to refresh).
    pub fn refetch(&self) {
        self.version.update(|v| *v += 1);
    }
}

/// The page's data for `key`: `initial` (the server's preloaded value) first,
/// then `fetch(key)` in the browser whenever `key` changes or `refetch` is
/// called. Responses that arrive out of order never overwrite a newer one.
pub fn page_data<K, T, F, Fut>(
    initial: Loaded<T>,
    key: impl Fn() -> K + 'static,
    fetch: F,
) -> PageData<T>
where
    K: Clone + PartialEq + 'static,
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(K) -> Fut + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let value = RwSignal::new(initial);
    let version = RwSignal::new(0u64);
    #[cfg(feature = "hydrate")]
    {
        use std::cell::Cell;
        use std::rc::Rc;
        let preloaded = value.with_untracked(Option::is_some);
        let latest = Rc::new(Cell::new(0u64));
        Effect::new(move |seen: Option<(K, u64)>| {
            let now = (key(), version.get());
            let first = seen.is_none();
            if (first && preloaded) || seen.as_ref() == Some(&now) {
                return now;
            }
            let ticket = latest.get() + 1;
            latest.set(ticket);
            let latest = latest.clone();
            let pending = fetch(now.0.clone());
            leptos::task::spawn_local(async move {
                let result = pending.await;
                if latest.get() == ticket {
                    value.set(Some(result));
                }
            });
            now
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, fetch);
    PageData { value, version }
}

/// The signed-in operator the desk header shows (`None`: nobody, or the browser).
pub fn desk_user() -> Option<super::types::DeskUser> {
    preloaded::<Option<super::types::DeskUser>>()
        .and_then(Result::ok)
        .flatten()
}

/// The value the `ssr::preload` middleware loaded for this page request (server
/// components only; `None` in the browser, where server components never run).
pub fn preloaded<T: Clone + Send + Sync + 'static>() -> Loaded<T> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<axum::http::request::Parts>()?;
        parts
            .extensions
            .get::<ssr::Preloaded<T>>()
            .map(|p| p.0.clone())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::error::AppError;
    use crate::service::App;
    use crate::service::{sessions, time_to_human};
    use crate::ui::pages::{
        admin, admin_routing, admin_webhooks, decide_link, history, inbox, mobile, settings,
    };
    use crate::ui::types::{BulkQuery, DeskUser, HistoryFilter, InboxFilter};
    use axum::extract::{Query, Request, State};
    use axum::http::{Method, StatusCode};
    use axum::middleware::Next;
    use axum::response::Response;
    use std::collections::HashMap;

    /// A page's data, put in the request's extensions for the render to pick up.
    #[derive(Clone)]
    pub struct Preloaded<T>(pub Result<T, AppError>);

    /// Loads the data of `/m/{id}`, `/m/{id}/decide`, `/inbox`, `/admin`, `/admin/routing`, `/admin/webhooks`,
    /// `/admin/metrics` and `/settings` page requests with the
    /// same service functions their server functions call. A failure becomes
    /// the page's status, as it would for the server function.
    pub async fn preload(State(app): State<App>, mut req: Request, next: Next) -> Response {
        let path = req.uri().path().to_string();
        let Some(which) = page(&path).filter(|_| req.method() == Method::GET) else {
            return next.run(req).await; // the API, assets, server functions
        };
        let app = &app;
        let cookie = sessions::cookie_header(req.headers()).to_string();
        let q: HashMap<String, String> = Query::try_from_uri(req.uri())
            .map(|Query(q)| q)
            .unwrap_or_default();
        // The password session's operator. (A link session, which may start
        // in this very request, is shown by the handoff page from its screen.)
        let user = desk_user(app, &cookie).await;
        req.extensions_mut().insert(Preloaded(Ok(user)));
        let status = match which {
            Page::Mobile(id) => {
                let r = mobile::screen(
                    app,
                    id,
                    q.get("t").map(String::as_str),
                    q.get("problem").map(String::as_str),
                    q.get("similar").map(String::as_str),
                    &cookie,
                )
                .await;
                insert(&mut req, r)
            }
            Page::DecideLink(id) => {
                let arg = |k: &str| q.get(k).map(String::as_str);
                let r = decide_link::screen(
                    app,
                    id,
                    arg("t"),
                    arg("done"),
                    arg("refused"),
                    arg("problem"),
                )
                .await;
                insert(&mut req, r)
            }
            Page::Inbox => {
                let f = InboxFilter {
                    kind: q.get("kind").cloned(),
                    status: q.get("status").cloned(),
                    role: q.get("role").cloned(),
                    assignee: q.get("assignee").cloned(),
                    q: q.get("q").cloned(),
                    sort: q.get("sort").cloned(),
                };
                let bulk = BulkQuery {
                    done: q.get("done").cloned(),
                    bulk_error: q.get("bulk_error").cloned(),
                    select: q.get("select").cloned(),
                };
                insert(&mut req, inbox::screen(app, &cookie, &f, &bulk).await)
            }
            Page::History => {
                let f = HistoryFilter {
                    q: q.get("q").cloned(),
                    kind: q.get("kind").cloned(),
                    before: q.get("before").cloned(),
                };
                insert(&mut req, history::screen(app, &cookie, &f).await)
            }
            Page::Admin => insert(&mut req, admin::overview_for(app, &cookie).await),
            Page::Settings => insert(&mut req, settings::screen(app, &cookie).await),
            Page::Routing => insert(&mut req, admin_routing::screen_for(app, &cookie).await),
            Page::AdminWebhooks => {
                insert(&mut req, admin_webhooks::overview_for(app, &cookie).await)
            }
            Page::AdminMetrics => {
                let (from, to) = (q.get("from"), q.get("to"));
                let r = time_to_human::page_for(
                    app,
                    &cookie,
                    from.map(String::as_str),
                    to.map(String::as_str),
                );
                insert(&mut req, r.await)
            }
        };
        let mut res = next.run(req).await;
        if let Some(s) = status {
            *res.status_mut() = s;
        }
        res
    }

    /// The password session's operator, if any; a lookup failure shows the
    /// header signed out rather than failing the page.
    async fn desk_user(app: &App, cookie: &str) -> Option<DeskUser> {
        let op = sessions::signed_in(app, cookie).await.ok().flatten()?;
        Some(DeskUser {
            admin: crate::service::admin::require_admin(&op).is_ok(),
            name: op.name,
            link_only: false,
        })
    }

    fn insert<T: Clone + Send + Sync + 'static>(
        req: &mut Request,
        r: Result<T, AppError>,
    ) -> Option<StatusCode> {
        let status = r
            .as_ref()
            .err()
            .and_then(|e| StatusCode::from_u16(e.http_status()).ok());
        req.extensions_mut().insert(Preloaded(r));
        status
    }

    enum Page<'a> {
        Mobile(&'a str),
        DecideLink(&'a str),
        Inbox,
        History,
        Admin,
        Settings,
        Routing,
        AdminWebhooks,
        AdminMetrics,
    }

    fn page(path: &str) -> Option<Page<'_>> {
        match path {
            "/inbox" => Some(Page::Inbox),
            "/history" => Some(Page::History),
            "/admin" => Some(Page::Admin),
            "/settings" => Some(Page::Settings),
            "/admin/routing" => Some(Page::Routing),
            "/admin/webhooks" => Some(Page::AdminWebhooks),
            "/admin/metrics" => Some(Page::AdminMetrics),
            _ => {
                let rest = path.strip_prefix("/m/")?;
                let id_ok = |id: &str| !id.is_empty() && !id.contains('/');
                match rest.strip_suffix("/decide") {
                    Some(id) if id_ok(id) => Some(Page::DecideLink(id)),
                    _ if id_ok(rest) => Some(Page::Mobile(rest)),
                    _ => None,
                }
            }
        }
    }
}
