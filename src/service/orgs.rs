//! Organizations and operators.

use super::{new_id, now, App};
use crate::domain::records::{Operator, Org};
use crate::error::AppError;
use crate::store::StoreError;

fn valid_slug(slug: &str) -> bool {
    (2..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
}

pub async fn create_org(app: &App, slug: &str, name: Option<&str>) -> Result<Org, AppError> {
    if !valid_slug(slug) {
        return Err(AppError::invalid_field(
            "slug",
            "use 2-40 lowercase letters, digits and dashes",
        ));
    }
    let org = Org {
        id: new_id(),
        slug: slug.to_string(),
        name: name.unwrap_or(slug).to_string(),
        created_at: now(),
    };
    app.store.insert_org(&org).await.map_err(|e| match e {
        StoreError::Duplicate => AppError::conflict(
            "slug_taken",
            format!("an organization `{}` already exists", org.slug),
        ),
        e => e.into(),
    })?;
    Ok(org)
}

pub async fn org_by_slug(app: &App, slug: &str) -> Result<Org, AppError> {
    app.store
        .org_by_slug(slug)
        .await?
        .ok_or_else(|| AppError::not_found("organization"))
}

pub async fn create_operator(
    app: &App,
    org_id: &str,
    email: &str,
    name: &str,
    roles: Vec<String>,
) -> Result<Operator, AppError> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(AppError::invalid_field("email", "must be an email address"));
    }
    if name.trim().is_empty() {
        return Err(AppError::invalid_field("name", "must not be empty"));
    }
    let op = Operator {
        id: new_id(),
        organization_id: org_id.to_string(),
        email,
        name: name.trim().to_string(),
        roles,
        active: true,
        created_at: now(),
    };
    app.store.insert_operator(&op).await.map_err(|e| match e {
        StoreError::Duplicate => AppError::conflict(
            "email_taken",
            format!(
                "an operator {} already exists in this organization",
                op.email
            ),
        ),
        e => e.into(),
    })?;
    Ok(op)
}

/// The organization's operator with this email (any case), if any.
pub async fn operator_by_email(
    app: &App,
    org_id: &str,
    email: &str,
) -> Result<Option<Operator>, AppError> {
    Ok(app
        .store
        .operator_by_email(org_id, &email.trim().to_lowercase())
        .await?)
}

/// An operator of the organization by id; another tenant's is "not found".
pub async fn operator(app: &App, org_id: &str, id: &str) -> Result<Operator, AppError> {
    let id = super::parse_id(id, "operator")?;
    app.store
        .operator_by_id(&id)
        .await?
        .filter(|o| o.organization_id == org_id)
        .ok_or_else(|| AppError::not_found("operator"))
}

/// The organization's operators, by name.
pub async fn operators(app: &App, org_id: &str) -> Result<Vec<Operator>, AppError> {
    Ok(app.store.operators(org_id).await?)
}

/// The organization's time zone (UTC until an admin sets one).
pub async fn time_zone(app: &App, org_id: &str) -> Result<crate::domain::zone::Tz, AppError> {
    Ok(crate::domain::zone::stored(
        &app.store.time_zone(org_id).await?,
    ))
}

/// An IANA zone name (any letter case); 422 naming `time_zone` for a name
/// the tz database does not know.
pub fn check_time_zone(name: &str) -> Result<crate::domain::zone::Tz, AppError> {
    crate::domain::zone::parse(name).ok_or_else(|| {
        AppError::invalid_field(
            "time_zone",
            "an IANA time zone name such as Europe/Berlin, America/New_York or UTC",
        )
    })
}

/// Sets the zone (stored in its canonical spelling).
pub async fn set_time_zone(
    app: &App,
    org_id: &str,
    name: &str,
) -> Result<crate::domain::zone::Tz, AppError> {
    let tz = check_time_zone(name)?;
    app.store.set_time_zone(org_id, tz.name()).await?;
    Ok(tz)
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs() {
        assert!(super::valid_slug("acme-2"));
        assert!(!super::valid_slug("Acme"));
        assert!(!super::valid_slug("-x"));
        assert!(!super::valid_slug("a"));
    }
}
