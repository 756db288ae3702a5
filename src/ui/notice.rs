//! What the admin pages show around their forms: an action's error, and the
//! page's own load failing (signed out, or not an admin).

use crate::error::AppError;
use leptos::prelude::*;

/// Shows an action's error, if its last run failed.
pub fn failure<T: 'static>(
    last: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        last()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="error" role="alert">{e.message}</p> })
    }
}

/// The page could not load: why, and a way to sign in that comes back to `next`.
pub fn load_failed(title: &'static str, next: &'static str, e: AppError) -> AnyView {
    view! {
        <section class="notice" role="alert">
            <h1>{title}</h1>
            <p>{e.message}</p>
            <p><a href=format!("/login?next={next}")>"Sign in"</a></p>
        </section>
    }
    .into_any()
}
