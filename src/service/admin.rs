//! Organization administration for operators with the `admin` role: the same
//! rules as the CLI and the API, one organization at a time. The `/admin` page
//! view is built in `ui::pages::admin`.

use super::{approvals, keys, orgs, passwords, App};
use crate::domain::records::Operator;
use crate::error::AppError;

pub const ADMIN_ROLE: &str = "admin";

/// Shown when a session has ended (server functions say the same).
pub const SIGNED_OUT: &str = "your session has ended; open the link from your notification again";

pub fn require_admin(op: &Operator) -> Result<(), AppError> {
    if op.roles.iter().any(|r| r == ADMIN_ROLE) {
        Ok(())
    } else {
        Err(AppError::forbidden("this page needs the `admin` role"))
    }
}

/// Comma- or space-separated roles, each 1-50 of [a-z0-9_-].
pub fn parse_roles(text: &str) -> Result<Vec<String>, AppError> {
    let mut roles: Vec<String> = Vec::new();
    for r in text
        .split([',', ' '])
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        if r.len() > 50
            || !r
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err(AppError::invalid_field(
                "roles",
                format!("`{r}`: use lowercase letters, digits, '_' and '-'"),
            ));
        }
        if !roles.iter().any(|x| x == r) {
            roles.push(r.to_string());
        }
    }
    Ok(roles)
}

pub async fn add_operator(
    app: &App,
    me: &Operator,
    email: &str,
    name: &str,
    roles: &str,
    password: Option<&str>,
) -> Result<(), AppError> {
    require_admin(me)?;
    let roles = parse_roles(roles)?;
    let password = password.filter(|p| !p.is_empty());
    if let Some(p) = password {
        passwords::hash(p)?;
    }
    let op = orgs::create_operator(app, &me.organization_id, email, name, roles).await?;
    if let Some(p) = password {
        passwords::set(app, &op, p).await?;
    }
    Ok(())
}

pub async fn update_operator(
    app: &App,
    me: &Operator,
    id: &str,
    roles: Option<&str>,
    active: Option<bool>,
) -> Result<(), AppError> {
    require_admin(me)?;
    if id == me.id
        && (active == Some(false)
            || roles.is_some_and(|r| !r.split([',', ' ']).any(|x| x.trim() == ADMIN_ROLE)))
    {
        return Err(AppError::conflict(
            "lockout",
            "you cannot deactivate yourself or drop your own admin role",
        ));
    }
    let roles = roles.map(parse_roles).transpose()?;
    if !app
        .store
        .update_operator(&me.organization_id, id, roles.as_deref(), active)
        .await?
    {
        return Err(AppError::not_found("operator"));
    }
    Ok(())
}

/// Returns the new key: shown once, only its hash is kept.
pub async fn create_key(
    app: &App,
    me: &Operator,
    name: &str,
    scopes: &str,
) -> Result<String, AppError> {
    require_admin(me)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid_field(
            "name",
            "must be 1 to 100 characters",
        ));
    }
    let scopes = keys::parse_scopes(scopes)?;
    Ok(keys::create(app, &me.organization_id, name, scopes)
        .await?
        .0)
}

pub async fn revoke_key(app: &App, me: &Operator, id: &str) -> Result<(), AppError> {
    require_admin(me)?;
    keys::revoke(app, &me.organization_id, id).await
}

pub async fn save_messages(
    app: &App,
    me: &Operator,
    holding: &str,
    waiting: &str,
) -> Result<(), AppError> {
    require_admin(me)?;
    approvals::set_messages(app, &me.organization_id, holding, waiting).await
}

/// Response targets from one minute to a day.
pub const RESPONSE_TARGET_RANGE: std::ops::RangeInclusive<i64> = 60..=86_400;

/// How soon an open handoff should be picked up (the inbox colours waiting times by it).
pub async fn response_target(app: &App, org_id: &str) -> Result<i64, AppError> {
    Ok(app.store.response_target(org_id).await?)
}

/// Sets the response target from minutes as typed on `/admin` (422 naming
/// `response_target_minutes` outside 1 minute to 24 hours).
pub async fn set_response_target(app: &App, me: &Operator, minutes: &str) -> Result<(), AppError> {
    require_admin(me)?;
    let seconds = minutes
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|m| m.checked_mul(60))
        .filter(|s| RESPONSE_TARGET_RANGE.contains(s))
        .ok_or_else(|| {
            AppError::invalid_field(
                "response_target_minutes",
                "a whole number of minutes from 1 to 1440",
            )
        })?;
    Ok(app
        .store
        .set_response_target(&me.organization_id, seconds)
        .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn roles_are_normalized_and_checked() {
        assert_eq!(
            super::parse_roles("admin, billing_manager admin").unwrap(),
            ["admin", "billing_manager"]
        );
        assert!(super::parse_roles("Admin").is_err());
        assert!(super::parse_roles("").unwrap().is_empty());
    }
}
