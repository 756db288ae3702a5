//! Operator password sign-in: argon2id hashes, generic errors (no account
//! enumeration), and attempts limited per account, per client address and in
//! total. argon2 is slow on purpose, so it runs on blocking threads, at most
//! `HASHING` at a time: a flood of sign-ins waits for a permit (or is told to
//! come back) instead of stalling the async workers that serve everyone else.

use super::{sessions, sha256_hex, App};
use crate::domain::records::Operator;
use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Sign-in attempts per server per minute (per address: `sign_in_per_address_per_minute`).
pub const PER_SERVER_PER_MINUTE: u32 = 600;
/// Password hashes computed at once (argon2 takes ~20 MB and tens of ms each).
const HASHING: usize = 2;

static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHING);

/// Runs `work` (a hash or a verification) on a blocking thread once a permit
/// is free; after 15 s of waiting the caller is told to retry.
async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let busy = || AppError::rate_limited("sign-in is busy; try again in a moment");
    let _permit = tokio::time::timeout(std::time::Duration::from_secs(15), PERMITS.acquire())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::internal()
    })
}

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 256;

pub fn hash(password: &str) -> Result<String, AppError> {
    if password.chars().count() < MIN_LEN || password.len() > MAX_LEN {
        return Err(AppError::invalid_field(
            "password",
            format!("must be {MIN_LEN} to {MAX_LEN} characters"),
        ));
    }
    Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "hashing a password failed");
            AppError::internal()
        })
}

/// The stored credential is `<PHC hash>` or `<PHC hash>#<epoch>`: the epoch
/// changes when the operator signs out everywhere. Sessions are bound to the
/// whole stored string (`sessions`), so a new password or a new epoch ends
/// every session made before.
const EPOCH: char = '#';

fn phc_of(stored: &str) -> &str {
    stored.split(EPOCH).next().unwrap_or("")
}

fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(phc_of(stored))
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Sets the operator's password; every session they had ends (see `sessions`).
pub async fn set(app: &App, operator: &Operator, password: &str) -> Result<(), AppError> {
    let password = password.to_string();
    let h = hashing(move || hash(&password)).await??;
    Ok(app.store.set_password_hash(&operator.id, &h).await?)
}

/// The signed-in operator changes their password: the current one is checked
/// (attempts limited like sign-in), every session ends, and a new session for
/// this browser is returned (its token for the cookie).
pub async fn change(
    app: &App,
    operator: &Operator,
    current: &str,
    new: &str,
) -> Result<String, AppError> {
    let bucket = sha256_hex(format!("change:{}", operator.id).as_bytes());
    if app.login_limiter.check_key(&bucket).is_err() {
        return Err(AppError::rate_limited(
            "too many attempts; wait a minute and try again",
        ));
    }
    let stored = app.store.password_hash(&operator.id).await?;
    let current = current.to_string();
    let matches = match stored {
        Some(s) => hashing(move || verify(&current, &s)).await?,
        None => false,
    };
    if !matches {
        return Err(AppError::invalid_field(
            "current_password",
            "the current password is not right",
        ));
    }
    set(app, operator, new).await?;
    let (token, grant) = sessions::grant(app, operator).await?;
    app.store.insert_session(&grant).await?;
    Ok(token)
}

/// Ends every session of the operator, this one included, by giving the
/// stored credential a new epoch (the password itself stays the same).
pub async fn sign_out_everywhere(app: &App, operator: &Operator) -> Result<(), AppError> {
    let stored = app
        .store
        .password_hash(&operator.id)
        .await?
        .unwrap_or_default();
    let epoch = hex::encode(super::random_bytes::<16>());
    let next = format!("{}{EPOCH}{epoch}", phc_of(&stored));
    Ok(app.store.set_password_hash(&operator.id, &next).await?)
}

/// Signs in; returns the session token for the cookie and the operator.
/// `client` is the address the request came from, when the server knows it.
pub async fn login(
    app: &App,
    org_slug: &str,
    email: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<(String, Operator), AppError> {
    let wrong = || AppError::unauthorized("wrong organization, email or password");
    let email = email.trim().to_lowercase();
    // Attempts are limited per account (whether or not it exists), per client
    // address (random emails do not get around it) and for the whole server.
    let too_many =
        || AppError::rate_limited("too many sign-in attempts; wait a minute and try again");
    let bucket = sha256_hex(format!("login:{}:{email}", org_slug.trim()).as_bytes());
    if app.login_limiter.check_key(&bucket).is_err() {
        return Err(too_many());
    }
    if let Some(ip) = client {
        if app.login_per_address.check_key(&ip.to_string()).is_err() {
            return Err(too_many());
        }
    }
    if app.login_total.check_key(&"*".to_string()).is_err() {
        return Err(too_many());
    }
    let operator = match app.store.org_by_slug(org_slug.trim()).await? {
        Some(org) => app
            .store
            .operator_by_email(&org.id, &email)
            .await?
            .filter(|o| o.active),
        None => None,
    };
    let stored = match &operator {
        Some(op) => app.store.password_hash(&op.id).await?,
        None => None,
    };
    // Verify even without an account, so timing does not tell which emails exist.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not anyone's password").unwrap_or_default());
    let (password, against) = (
        password.to_string(),
        stored.clone().unwrap_or_else(|| dummy.clone()),
    );
    let ok = hashing(move || verify(&password, &against)).await? && stored.is_some();
    let operator = operator.filter(|_| ok).ok_or_else(wrong)?;
    let (token, grant) = sessions::grant(app, &operator).await?;
    app.store.insert_session(&grant).await?;
    Ok((token, operator))
}

pub async fn logout(app: &App, token: &str) -> Result<(), AppError> {
    sessions::end(app, token).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_short_passwords_are_refused() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert_eq!(hash("short").unwrap_err().fields[0].field, "password");
        let with_epoch = format!("{h}#00ff");
        assert!(
            verify("correct horse battery", &with_epoch),
            "the epoch is not part of the hash"
        );
        assert!(
            !verify("correct horse battery", "#00ff"),
            "an epoch alone is no password"
        );
    }
}
