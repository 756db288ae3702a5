//! `/settings`: the operator's push devices, phone number and channel choices.

use crate::error::AppError;
use crate::service::{channels, sessions, App};
use crate::ui::types::{PushDevice, SettingsScreen};

/// What `/settings` shows the request carrying `cookie_header`.
pub async fn screen(app: &App, cookie_header: &str) -> Result<SettingsScreen, AppError> {
    let Some(op) = sessions::signed_in(app, cookie_header).await? else {
        return Ok(SettingsScreen::SignIn);
    };
    let clock = super::clock::Clock::of(app, &op.organization_id).await?;
    let devices = crate::service::push::devices(app, &op)
        .await?
        .into_iter()
        .map(|s| PushDevice {
            service: reqwest::Url::parse(&s.endpoint)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default(),
            since: clock.date(&s.created_at),
            endpoint: s.endpoint,
        })
        .collect();
    let prefs = channels::preferences(app, &op).await?;
    let channels = crate::domain::routing::URGENCIES
        .iter()
        .map(|u| {
            (
                u.to_string(),
                prefs.channels.get(*u).cloned().unwrap_or_default(),
            )
        })
        .collect();
    Ok(SettingsScreen::Settings {
        operator_name: op.name,
        vapid_public_key: app.vapid.public_key.clone(),
        devices,
        phone: prefs.phone,
        channels,
    })
}
