//! Organizations and operators.

use super::{new_id, now, App};
use crate::error::AppError;
use crate::store::{Operator, Org};

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
    app.store.insert_org(&org).await?;
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
    app.store.insert_operator(&op).await?;
    Ok(op)
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
