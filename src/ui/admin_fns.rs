//! Server functions of `/admin`; each checks the `admin` role in the service.

use super::types::AdminView;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "admin_overview")]
pub async fn admin_overview() -> Result<AdminView, AppError> {
    let app = use_context::<crate::service::App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    super::actions::ssr::respond(crate::ui::pages::admin::overview_for(&app, &cookie).await)
}

#[server(prefix = "/fn", endpoint = "admin_add_operator")]
pub async fn admin_add_operator(
    email: String,
    name: String,
    roles: String,
    password: Option<String>,
) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::service::admin::add_operator(&app, &me, &email, &name, &roles, password.as_deref())
            .await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_update_operator")]
pub async fn admin_update_operator(
    id: String,
    roles: Option<String>,
    active: Option<bool>,
) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::service::admin::update_operator(&app, &me, &id, roles.as_deref(), active).await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_create_key")]
pub async fn admin_create_key(name: String, scopes: String) -> Result<String, AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(crate::service::admin::create_key(&app, &me, &name, &scopes).await)
}

#[server(prefix = "/fn", endpoint = "admin_revoke_key")]
pub async fn admin_revoke_key(id: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(crate::service::admin::revoke_key(&app, &me, &id).await)
}

#[server(prefix = "/fn", endpoint = "admin_save_messages")]
pub async fn admin_save_messages(
    holding_line: String,
    waiting_reply: String,
) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::service::admin::save_messages(&app, &me, &holding_line, &waiting_reply).await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_save_response_target")]
pub async fn admin_save_response_target(response_target_minutes: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::service::admin::set_response_target(&app, &me, &response_target_minutes).await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_add_snippet")]
pub async fn admin_add_snippet(shortcut: String, body: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::service::snippets::add(&app, &me, &shortcut, &body)
            .await
            .map(|_| ()),
    )
}

#[server(prefix = "/fn", endpoint = "admin_delete_snippet")]
pub async fn admin_delete_snippet(id: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(crate::service::snippets::delete(&app, &me, &id).await)
}

#[server(prefix = "/fn", endpoint = "admin_verify")]
pub async fn admin_verify() -> Result<String, AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(crate::ui::pages::admin::verify(&app, &me).await)
}

#[server(prefix = "/fn", endpoint = "admin_slack_secret")]
pub async fn admin_slack_secret(signing_secret: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::service::slack::set_signing_secret(&app, &me, &signing_secret).await,
    )
}

#[server(prefix = "/fn", endpoint = "admin_slack_user")]
pub async fn admin_slack_user(id: String, slack_user_id: String) -> Result<(), AppError> {
    let (app, me) = super::actions::ssr::operator().await?;
    super::actions::ssr::respond(
        crate::service::slack::set_user(&app, &me, &id, &slack_user_id).await,
    )
}
