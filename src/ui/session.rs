//! Sign-in, sign-out and the inbox's data, as server functions.

use super::types::InboxScreen;
use crate::error::AppError;
use leptos::prelude::*;

/// Where to go after signing in: only an absolute path on this site, else `/inbox`.
///
/// Browsers drop tabs and newlines from URLs and read `\` as `/`, so
/// `/\t/evil.example` or `/\\evil.example` would leave the site: only
/// printable ASCII is accepted (no spaces, no control characters, which would
/// also make the `Location` header invalid), never a backslash, and never a
/// second `/` right after the first (`//host` is another origin).
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if is_local_path(n) => n,
        _ => "/inbox",
    }
}

fn is_local_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.first() == Some(&b'/')
        && b.get(1) != Some(&b'/')
        && n.len() <= 2048
        && b.iter().all(|c| c.is_ascii_graphic() && *c != b'\\')
}

#[server(prefix = "/fn", endpoint = "login")]
pub async fn login(
    organization: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    super::actions::ssr::respond(login_inner(organization, email, password, next).await)
}

#[cfg(feature = "ssr")]
async fn login_inner(
    organization: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::service::{passwords, sessions, App};
    let app = use_context::<App>().ok_or_else(AppError::internal)?;
    let parts: axum::http::request::Parts = leptos_axum::extract()
        .await
        .map_err(|_| AppError::internal())?;
    let client = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let (token, _) = passwords::login(&app, &organization, &email, &password, client).await?;
    let res = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = axum::http::HeaderValue::from_str(&sessions::cookie(&app, &token))
        .map_err(|_| AppError::internal())?;
    res.append_header(axum::http::header::SET_COOKIE, cookie);
    leptos_axum::redirect(safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::service::{passwords, sessions, App};
    let app = use_context::<App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    if let Some(token) = sessions::token_from_cookie_header(&cookie) {
        passwords::logout(&app, token).await?;
    }
    clear_session_cookie(&app);
    leptos_axum::redirect("/login");
    Ok(())
}

/// Tells the browser to forget the session cookie (both names).
#[cfg(feature = "ssr")]
fn clear_session_cookie(app: &crate::service::App) {
    use crate::service::sessions;
    let res = expect_context::<leptos_axum::ResponseOptions>();
    for clear in sessions::clear_cookies(app) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&clear) {
            res.append_header(axum::http::header::SET_COOKIE, v);
        }
    }
}

/// The signed-in operator changes their password: every other session ends,
/// this browser gets a new one.
#[server(prefix = "/fn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    super::actions::ssr::respond(change_password_inner(current_password, new_password).await)
}

#[cfg(feature = "ssr")]
async fn change_password_inner(current: String, new: String) -> Result<(), AppError> {
    use crate::service::{passwords, sessions};
    let (app, op) = super::actions::ssr::operator().await?;
    let token = passwords::change(&app, &op, &current, &new).await?;
    let res = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = axum::http::HeaderValue::from_str(&sessions::cookie(&app, &token))
        .map_err(|_| AppError::internal())?;
    res.append_header(axum::http::header::SET_COOKIE, cookie);
    Ok(())
}

/// Ends every session of the signed-in operator, this one included.
#[server(prefix = "/fn", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    super::actions::ssr::respond(sign_out_everywhere_inner().await)
}

#[cfg(feature = "ssr")]
async fn sign_out_everywhere_inner() -> Result<(), AppError> {
    let (app, op) = super::actions::ssr::operator().await?;
    crate::service::passwords::sign_out_everywhere(&app, &op).await?;
    clear_session_cookie(&app);
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "load_inbox")]
pub async fn load_inbox(
    kind: Option<String>,
    status: Option<String>,
    role: Option<String>,
    assignee: Option<String>,
    q: Option<String>,
    sort: Option<String>,
) -> Result<InboxScreen, AppError> {
    // Flat arguments: an all-empty struct would encode to an empty body.
    let filter = super::types::InboxFilter {
        kind,
        status,
        role,
        assignee,
        q,
        sort,
    };
    let app = use_context::<crate::service::App>().ok_or_else(AppError::internal)?;
    let cookie = super::actions::ssr::cookies().await?;
    // A refresh brings no bulk result: the island keeps the one it shows.
    let bulk = super::types::BulkQuery::default();
    super::actions::ssr::respond(
        crate::ui::pages::inbox::screen(&app, &cookie, &filter, &bulk).await,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(super::safe_next(Some("/m/abc")), "/m/abc");
        assert_eq!(super::safe_next(Some("//evil.example")), "/inbox");
        assert_eq!(super::safe_next(Some("https://evil.example")), "/inbox");
        assert_eq!(super::safe_next(None), "/inbox");
        assert_eq!(super::safe_next(Some("/settings?x=1#y")), "/settings?x=1#y");
        for attack in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "/é",
            "javascript:alert(1)",
            "evil.example",
            "",
        ] {
            assert_eq!(super::safe_next(Some(attack)), "/inbox", "{attack:?}");
        }
    }
}
