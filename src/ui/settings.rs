//! `/settings`: where an operator turns on notifications for a device.
//! The browser side (permission, `pushManager.subscribe`) is `public/push.js`:
//! plain JS, so the WASM bundle carries none of it.

use super::desk::{DeskHeader, Here};
use super::preload::{desk_user, page_data, preloaded, Loaded};
use super::title::PageTitle;
use super::types::{PushDevice, SettingsScreen};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "load_settings")]
pub async fn load_settings() -> Result<SettingsScreen, AppError> {
    let app = use_context::<crate::service::App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    super::actions::ssr::respond(crate::ui::pages::settings::screen(&app, &cookie).await)
}

#[server(prefix = "/fn", endpoint = "save_channels")]
pub async fn save_channels(
    phone: String,
    pick: Option<std::collections::HashMap<String, String>>,
) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    let saved =
        crate::service::channels::save_form(&app, &me, &phone, &pick.unwrap_or_default()).await;
    super::actions::ssr::respond(saved.map(|_| ()))
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <PageTitle text="Settings · tapin"/>
        <SettingsIsland initial={preloaded::<SettingsScreen>()}>
            <DeskHeader here=Here::Settings user=desk_user()/>
        </SettingsIsland>
    }
}

/// Settings: devices, channels, password; the whole page is one island: its forms and lists live.
// Not in the phone pages' module (feature `phone`, docs/performance.md): there
// it is a plain component, which nothing in the browser calls, so its code and
// its strings are left out.
#[cfg_attr(not(feature = "phone"), island(lazy))]
#[cfg_attr(feature = "phone", component)]
fn SettingsIsland(initial: Loaded<SettingsScreen>, children: Children) -> impl IntoView {
    super::hydrated::island_ready();
    let save = ServerAction::<SaveChannels>::new();
    let data = page_data(initial, move || save.version().get(), |_| load_settings());
    view! {
        <main class="page settings">
            {children()}
            {move || match data.value.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Ok(SettingsScreen::Settings { vapid_public_key, devices, phone, channels, .. })) => view! {
                    <Settings vapid_public_key devices/>
                    <Channels phone channels save/>
                    <Security/>
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

/// Change the password (other sessions end) or sign out on every device.
#[component]
fn Security() -> impl IntoView {
    use super::session::{ChangePassword, SignOutEverywhere};
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let outcome = move || {
        change.value().get().map(|r| match r {
            Ok(()) => view! { <p class="ok" role="status">"Password changed. Your other sessions were signed out."</p> }.into_any(),
            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
        })
    };
    view! {
        <h2 id="security-h">"Sign-in and sessions"</h2>
        <ActionForm action=change attr:class="grid-form" attr:aria-labelledby="security-h">
            <label for="current-password">"Current password"</label>
            <input id="current-password" name="current_password" type="password" autocomplete="current-password" required/>
            <label for="new-password">"New password (10+ characters)"</label>
            <input id="new-password" name="new_password" type="password" autocomplete="new-password" minlength="10" required/>
            {outcome}
            <button type="submit" class="secondary" disabled=move || change.pending().get()>"Change password"</button>
        </ActionForm>
        <ActionForm action=everywhere>
            <p class="fine">"Lost a phone or signed in somewhere shared? This ends every session of yours, this one included."</p>
            <button type="submit" class="secondary" disabled=move || everywhere.pending().get()>"Sign out everywhere"</button>
        </ActionForm>
    }
}

#[component]
fn Settings(vapid_public_key: String, devices: Vec<PushDevice>) -> impl IntoView {
    let none = devices.is_empty();
    view! {
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

/// Which channels to use for each urgency, and the phone number SMS and calls go to.
#[component]
fn Channels(
    phone: Option<String>,
    channels: Vec<(String, Vec<String>)>,
    save: ServerAction<SaveChannels>,
) -> impl IntoView {
    const ALL: [(&str, &str); 5] = [
        ("push", "Push"),
        ("email", "Email"),
        ("slack", "Slack"),
        ("sms", "SMS"),
        ("voice", "Call"),
    ];
    view! {
        <h2 id="channels-h">"How to reach me"</h2>
        <p>"A handoff's urgency picks the row. If nobody opens it in time, it goes to the next person in the escalation chain."</p>
        <ActionForm action=save attr:class="grid-form" attr:aria-labelledby="channels-h">
            <label for="phone">"Phone for SMS and calls (international, e.g. +4915112345678)"</label>
            <input id="phone" name="phone" type="tel" autocomplete="tel" value=phone.unwrap_or_default()/>
            <table class="channels">
                <thead><tr><th>"Urgency"</th>{ALL.iter().map(|(_, l)| view! { <th scope="col">{*l}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {channels.into_iter().map(|(urgency, on)| view! {
                        <tr>
                            <th scope="row">{urgency.clone()}</th>
                            {ALL.iter().map(|(c, l)| {
                                let name = format!("pick[{urgency}_{c}]");
                                let label = format!("{l} when {urgency}");
                                view! { <td><input type="checkbox" name=name aria-label=label checked=on.iter().any(|x| x == c)/></td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <button type="submit" class="primary">"Save how to reach me"</button>
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="fine" role="status">"Saved."</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
            })}
        </ActionForm>
    }
}
