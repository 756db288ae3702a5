//! Operator password sign-in: argon2id hashes, generic errors (no account
//! enumeration) and a per-account attempt limit.

use super::{sessions, sha256_hex, App};
use crate::domain::records::Operator;
use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

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

fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub async fn set(app: &App, operator: &Operator, password: &str) -> Result<(), AppError> {
    let h = hash(password)?;
    Ok(app.store.set_password_hash(&operator.id, &h).await?)
}

/// Signs in; returns the session token for the cookie and the operator.
pub async fn login(
    app: &App,
    org_slug: &str,
    email: &str,
    password: &str,
) -> Result<(String, Operator), AppError> {
    let wrong = || AppError::unauthorized("wrong organization, email or password");
    let email = email.trim().to_lowercase();
    // Attempts are limited per account, whether or not it exists.
    let bucket = sha256_hex(format!("login:{}:{email}", org_slug.trim()).as_bytes());
    if app.login_limiter.check_key(&bucket).is_err() {
        return Err(AppError::rate_limited(
            "too many sign-in attempts; wait a minute and try again",
        ));
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
    let ok = verify(password, stored.as_deref().unwrap_or(dummy)) && stored.is_some();
    let operator = operator.filter(|_| ok).ok_or_else(wrong)?;
    let (token, grant) = sessions::grant(app, &operator);
    app.store.insert_session(&grant).await?;
    Ok((token, operator))
}

pub async fn logout(app: &App, token: &str) -> Result<(), AppError> {
    Ok(app
        .store
        .delete_session(&sha256_hex(token.as_bytes()))
        .await?)
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
    }
}
