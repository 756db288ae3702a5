//! Operator sessions: a random token in an HttpOnly cookie, stored hashed.
//!
//! The cookie holds `<operator id>.<secret>`; the stored key is a hash of the
//! secret together with the operator's stored credential (password hash and
//! sign-out epoch, `passwords`). Changing the password or signing out
//! everywhere changes that credential, so every session made before stops
//! matching at once, on every node, without a sweep.
//!
//! Two kinds: a password session (sign-in) reaches everything the operator's
//! roles allow; a link session (a signed link opened on `/m/<id>`) reaches that
//! one handoff only (its page, chat, decision, live stream) and lives
//! `link_session_minutes`. Everything else (the inbox, settings, other
//! handoffs, admin pages and functions) asks a link session to sign in.

use super::{format_time, now, random_bytes, sha256_hex, App};
use crate::domain::records::{Operator, SessionGrant};
use crate::error::AppError;

/// The cookie's name over http (and the name cookies had before `__Host-`).
pub const COOKIE: &str = "tapin_session";
/// The cookie's name over https: `__Host-` makes browsers insist on Secure,
/// Path=/ and no Domain, so a sibling subdomain cannot plant or shadow it.
pub const HOST_COOKIE: &str = "__Host-tapin_session";

/// The session cookie's name for this server.
pub fn cookie_name(app: &App) -> &'static str {
    if app.config.secure_cookies() {
        HOST_COOKIE
    } else {
        COOKIE
    }
}

/// `Set-Cookie` values that end the session cookie (both names).
pub fn clear_cookies(app: &App) -> Vec<String> {
    let mut out = vec![format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    )];
    if app.config.secure_cookies() {
        out.push(format!(
            "{HOST_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
        ));
    }
    out
}

/// What sessions are bound to: the operator's stored credential, "" without one.
async fn binding(app: &App, operator_id: &str) -> Result<String, AppError> {
    Ok(app
        .store
        .password_hash(operator_id)
        .await?
        .unwrap_or_default())
}

/// The stored key of a session: its secret bound to the credential.
fn key(secret: &str, binding: &str) -> String {
    sha256_hex(format!("{secret}\n{binding}").as_bytes())
}

/// `<operator id>.<64 hex>` → (operator id, secret).
fn split(token: &str) -> Option<(&str, &str)> {
    let (op, secret) = token.split_once('.')?;
    (secret.len() == 64 && uuid::Uuid::parse_str(op).is_ok()).then_some((op, secret))
}

/// A new password session for `operator`; the caller stores the grant.
pub async fn grant(app: &App, operator: &Operator) -> Result<(String, SessionGrant), AppError> {
    let ttl = chrono::Duration::hours(app.config.session_ttl_hours);
    new_grant(app, operator, ttl, None).await
}

/// A new link session: `handoff_id` only, `link_session_minutes` long. The
/// caller stores the grant (in the `opened` transition).
pub async fn grant_for_link(
    app: &App,
    operator: &Operator,
    handoff_id: &str,
) -> Result<(String, SessionGrant), AppError> {
    let ttl = chrono::Duration::minutes(app.config.link_session_minutes);
    new_grant(app, operator, ttl, Some(handoff_id.to_string())).await
}

async fn new_grant(
    app: &App,
    operator: &Operator,
    ttl: chrono::Duration,
    handoff_id: Option<String>,
) -> Result<(String, SessionGrant), AppError> {
    let secret = hex::encode(random_bytes::<32>());
    let token = format!("{}.{secret}", operator.id);
    let created = chrono::Utc::now();
    let grant = SessionGrant {
        token_hash: key(&secret, &binding(app, &operator.id).await?),
        operator_id: operator.id.clone(),
        organization_id: operator.organization_id.clone(),
        created_at: format_time(created),
        expires_at: format_time(created + ttl),
        handoff_id,
    };
    Ok((token, grant))
}

/// Ends the session `token` names (signing out of this browser).
pub async fn end(app: &App, token: &str) -> Result<(), AppError> {
    if let Some((op, secret)) = split(token) {
        let hash = key(secret, &binding(app, op).await?);
        app.store.delete_session(&hash).await?;
    }
    Ok(())
}

/// `Set-Cookie` value of a password session: HttpOnly, SameSite=Lax, Secure
/// when served over https.
pub fn cookie(app: &App, token: &str) -> String {
    cookie_lasting(app, token, app.config.session_ttl_hours * 3600)
}

/// `Set-Cookie` value of a link session (it lasts `link_session_minutes`).
pub fn link_cookie(app: &App, token: &str) -> String {
    cookie_lasting(app, token, app.config.link_session_minutes * 60)
}

fn cookie_lasting(app: &App, token: &str, max_age: i64) -> String {
    let secure = if app.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(app),
    )
}

/// Finds the session token in a `Cookie` header: the `__Host-` cookie first,
/// then the older name (sessions started before the rename keep working).
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    let find = |name: &str| {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, v)| *k == name && !v.is_empty())
            .map(|(_, v)| v)
    };
    find(HOST_COOKIE).or_else(|| find(COOKIE))
}

/// What a link session is told outside its handoff.
pub const PASSWORD_NEEDED: &str =
    "this needs a password sign-in: a link opens only its own handoff";

/// The operator of a password session in the `Cookie` header, or 401 with
/// `message` (a link session gets 401 `password_required`).
pub async fn operator_from_cookies(
    app: &App,
    cookie_header: &str,
    message: &str,
) -> Result<Operator, AppError> {
    match session(app, cookie_header).await? {
        Some(s) if s.handoff_id.is_none() => Ok(s.operator),
        Some(_) => Err(AppError::unauthorized(PASSWORD_NEEDED).with_reason("password_required")),
        None => Err(AppError::unauthorized(message)),
    }
}

/// The operator of a password session in the `Cookie` header, if any (a
/// link session is not signed in here).
pub async fn signed_in(app: &App, cookie_header: &str) -> Result<Option<Operator>, AppError> {
    Ok(session(app, cookie_header)
        .await?
        .filter(|s| s.handoff_id.is_none())
        .map(|s| s.operator))
}

/// A live session: its operator and, for a link session, its one handoff.
pub struct SignedIn {
    pub operator: Operator,
    pub handoff_id: Option<String>,
}

impl SignedIn {
    /// A password session reaches every handoff; a link session its own.
    pub fn reaches(&self, handoff_id: &str) -> bool {
        self.handoff_id.as_deref().is_none_or(|h| h == handoff_id)
    }
}

/// The session the `Cookie` header carries, of either kind.
pub async fn session(app: &App, cookie_header: &str) -> Result<Option<SignedIn>, AppError> {
    match token_from_cookie_header(cookie_header) {
        Some(token) => lookup(app, token).await,
        None => Ok(None),
    }
}

/// The operator acting on `handoff_id` (a parsed id): a password session, or
/// a link session of that handoff; else 401 with `message` (a link session
/// of another handoff gets `password_required`).
pub async fn operator_for_handoff(
    app: &App,
    cookie_header: &str,
    handoff_id: &str,
    message: &str,
) -> Result<Operator, AppError> {
    match session(app, cookie_header).await? {
        Some(s) if s.reaches(handoff_id) => Ok(s.operator),
        Some(_) => Err(AppError::unauthorized(PASSWORD_NEEDED).with_reason("password_required")),
        None => Err(AppError::unauthorized(message)),
    }
}

/// The `Cookie` header of a request, or "".
pub fn cookie_header(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get(axum::http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The session `token` names, if it is live and its operator active.
async fn lookup(app: &App, token: &str) -> Result<Option<SignedIn>, AppError> {
    let Some((op_id, secret)) = split(token) else {
        return Ok(None);
    };
    let hash = key(secret, &binding(app, op_id).await?);
    let Some(session) = app.store.session(&hash, &now()).await? else {
        return Ok(None);
    };
    if session.operator_id != op_id {
        return Ok(None);
    }
    Ok(app
        .store
        .operator_by_id(&session.operator_id)
        .await?
        .filter(|o| o.active && o.organization_id == session.organization_id)
        .map(|operator| SignedIn {
            operator,
            handoff_id: session.handoff_id,
        }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_session_cookie_among_others() {
        let h = "a=1; tapin_session=abc; b=2";
        assert_eq!(super::token_from_cookie_header(h), Some("abc"));
        assert_eq!(super::token_from_cookie_header("a=1"), None);
        let both = "tapin_session=old; __Host-tapin_session=new";
        assert_eq!(super::token_from_cookie_header(both), Some("new"));
    }
}
