//! `/settings`: where an operator turns on notifications for a device.
//! The browser side (permission, `pushManager.subscribe`) is `public/push.js`:
//! plain JS, so the WASM bundle carries none of it.

use super::preload::page_data;
use super::types::{PushDevice, SettingsScreen};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/fn", endpoint = "load_settings")]
pub async fn load_settings() -> Result<SettingsScreen, AppError> {
    let app = use_context::<crate::service::App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    super::actions::ssr::respond(crate::service::push::settings(&app, &cookie).await)
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let data = page_data(|| (), |_| load_settings());
    view! {
        <Title text="Settings · tapin"/>
        <main class="page settings">
            {move || match data.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(SettingsScreen::Settings { operator_name, vapid_public_key, devices })) => view! {
                    <Settings operator_name vapid_public_key devices/>
                }.into_any(),
                Some(Ok(SettingsScreen::SignIn)) => view! {
                    <section class="notice">
                        <h1>"Sign in to change your settings"</h1>
                        <p><a href="/login?next=/settings">"Sign in"</a></p>
                    </section>
                }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Settings(
    operator_name: String,
    vapid_public_key: String,
    devices: Vec<PushDevice>,
) -> impl IntoView {
    let none = devices.is_empty();
    view! {
        <header class="bar">
            <a class="brand" href="/inbox" title="Back to the inbox">"tapin"</a>
            <span class="who">{operator_name}</span>
        </header>
        <h1>"Notifications"</h1>
        <p>"When a handoff or approval needs you, tapin notifies each device you turn on here. The notification opens the handoff with a single-use link."</p>
        <section id="push" data-key=vapid_public_key aria-label="This device">
            <button type="button" id="push-enable" class="primary">"Turn on for this device"</button>
            <button type="button" id="push-test" class="secondary">"Send a test notification"</button>
            <button type="button" id="push-disable" class="secondary">"Turn off for this device"</button>
            <p id="push-status" role="status" aria-live="polite"></p>
        </section>
        <h2>"Devices"</h2>
        {none.then(|| view! { <p data-testid="no-devices">"No device receives notifications yet."</p> })}
        <ul class="devices" data-testid="devices">
            {devices.into_iter().map(|d| view! {
                <li title=d.endpoint>{format!("{} · since {}", d.service, d.since)}</li>
            }).collect_view()}
        </ul>
        <script src="/push.js" defer></script>
    }
}
