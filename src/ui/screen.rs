//! The server function behind `/m/:id`: decides which screen an operator sees.

use super::types::MobileScreen;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "load_mobile_screen")]
pub async fn load_mobile_screen(
    id: String,
    token: Option<String>,
    problem: Option<String>,
) -> Result<MobileScreen, AppError> {
    use crate::ui::pages::mobile;
    let app = use_context::<crate::service::App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    mobile::screen(&app, &id, token.as_deref(), problem.as_deref(), &cookie).await
}
