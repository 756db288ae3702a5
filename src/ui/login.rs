//! `/login`: operator sign-in with organization, email and password.

use super::session::Login;
use super::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_else(|| "/inbox".into());
    view! {
        <PageTitle text="Sign in · tapin"/>
        <LoginForm next/>
    }
}

/// The form; `next` is where a successful sign-in goes (checked by the server).
// Not in the phone pages' module (feature `phone`, docs/performance.md): there
// it is a plain component, which nothing in the browser calls, so its code and
// its strings are left out.
#[cfg_attr(not(feature = "phone"), island(lazy))]
#[cfg_attr(feature = "phone", component)]
fn LoginForm(next: String) -> impl IntoView {
    super::hydrated::island_ready();
    let action = ServerAction::<Login>::new();
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message)
    };
    view! {
        <main class="page narrow">
            <h1>"Sign in to tapin"</h1>
            <ActionForm action>
                <input type="hidden" name="next" value=next/>
                <label for="organization">"Organization"</label>
                <input id="organization" name="organization" autocomplete="organization" required/>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p class="fine">"On a phone, the signed link in your notification signs you in too."</p>
        </main>
    }
}
