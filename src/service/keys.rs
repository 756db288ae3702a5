//! API keys: `tk_` + 192 random bits, stored as SHA-256 (fast is fine: the
//! key is high-entropy, so there is nothing to brute-force).

use super::{new_id, now, random_bytes, sha256_hex, App};
use crate::domain::records::ApiKeyRecord;
use crate::error::AppError;

/// `approvals:write` requests approvals (and drives them after the decision);
/// `approvals:decide` decides them; `admin` implies every scope.
pub const SCOPES: [&str; 6] = [
    "read",
    "handoffs:write",
    "approvals:write",
    "approvals:decide",
    // Seed 003's name for the scope that creates and escalates leads (also
    // granted by `handoffs:write`).
    "leads:write",
    "admin",
];

/// The scope that drives a handoff of `kind` through the generic handoff steps
/// (cancel, complete, fail, resume, accept, resolve, hand back, assign).
pub fn write_scope(kind: crate::domain::state::Kind) -> &'static str {
    match kind {
        crate::domain::state::Kind::Approval => "approvals:write",
        _ => "handoffs:write",
    }
}

pub fn parse_scopes(list: &str) -> Result<Vec<String>, AppError> {
    let mut scopes: Vec<String> = Vec::new();
    for s in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !SCOPES.contains(&s) {
            return Err(AppError::invalid_field(
                "scopes",
                format!("unknown scope `{s}`; use {}", SCOPES.join(", ")),
            ));
        }
        if !scopes.iter().any(|x| x == s) {
            scopes.push(s.to_string());
        }
    }
    if scopes.is_empty() {
        return Err(AppError::invalid_field(
            "scopes",
            "at least one scope is required",
        ));
    }
    Ok(scopes)
}

/// The authenticated caller of a REST request.
#[derive(Clone, Debug)]
pub struct ApiPrincipal {
    pub key_id: String,
    pub organization_id: String,
    pub scopes: Vec<String>,
    /// The organization's routing set-up version, read with the key.
    pub setup_version: i64,
}

impl ApiPrincipal {
    /// `admin` implies every scope.
    pub fn require(&self, scope: &str) -> Result<(), AppError> {
        if self.scopes.iter().any(|s| s == scope || s == "admin") {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "this API key lacks the `{scope}` scope"
            )))
        }
    }

    /// Any one of `scopes` will do (the first is named when none is held).
    pub fn require_any(&self, scopes: &[&str]) -> Result<(), AppError> {
        if scopes.iter().any(|s| self.require(s).is_ok()) {
            return Ok(());
        }
        Err(AppError::forbidden(format!(
            "this API key lacks the `{}` scope",
            scopes.join("` or `")
        )))
    }

    pub fn actor(&self) -> crate::domain::Actor {
        crate::domain::Actor::ApiKey(self.key_id.clone())
    }
}

/// Creates a key; the plain key is returned once and never stored.
pub async fn create(
    app: &App,
    org_id: &str,
    name: &str,
    scopes: Vec<String>,
) -> Result<(String, ApiKeyRecord), AppError> {
    let plain = format!("tk_{}", hex::encode(random_bytes::<24>()));
    let record = ApiKeyRecord {
        id: new_id(),
        organization_id: org_id.to_string(),
        name: name.to_string(),
        prefix: plain[..12].to_string(),
        scopes,
        created_at: now(),
        revoked_at: None,
    };
    app.store
        .insert_api_key(&record, &sha256_hex(plain.as_bytes()))
        .await?;
    Ok((plain, record))
}

/// Revokes by key id or by the printed prefix (`tk_…`, first 12 characters).
pub async fn revoke(app: &App, org_id: &str, id_or_prefix: &str) -> Result<(), AppError> {
    if app
        .store
        .revoke_api_key(org_id, id_or_prefix, &now())
        .await?
    {
        Ok(())
    } else {
        Err(AppError::not_found("API key"))
    }
}

pub async fn authenticate(app: &App, raw: &str) -> Result<ApiPrincipal, AppError> {
    let unknown = || AppError::unauthorized("unknown or revoked API key");
    if !raw.starts_with("tk_") || raw.len() > 200 {
        return Err(unknown());
    }
    let (record, setup_version) = app
        .store
        .api_key_by_hash(&sha256_hex(raw.as_bytes()))
        .await?
        .filter(|(k, _)| k.revoked_at.is_none())
        .ok_or_else(unknown)?;
    Ok(ApiPrincipal {
        key_id: record.id,
        organization_id: record.organization_id,
        scopes: record.scopes,
        setup_version,
    })
}

/// The organization's keys, newest first (revoked ones included).
pub async fn list(app: &App, org_id: &str) -> Result<Vec<ApiKeyRecord>, AppError> {
    Ok(app.store.api_keys(org_id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_checked_and_admin_implies_all() {
        assert!(parse_scopes("read,bogus").is_err());
        assert!(parse_scopes(" , ").is_err());
        assert_eq!(parse_scopes("read, read,admin").unwrap(), ["read", "admin"]);
        let p = ApiPrincipal {
            key_id: "k".into(),
            organization_id: "o".into(),
            scopes: vec!["read".into()],
            setup_version: 0,
        };
        assert!(p.require("read").is_ok());
        assert_eq!(p.require("handoffs:write").unwrap_err().http_status(), 403);
        let admin = ApiPrincipal {
            scopes: vec!["admin".into()],
            ..p
        };
        assert!(admin.require("handoffs:write").is_ok());
        assert!(admin.require("approvals:decide").is_ok());
        assert_eq!(
            parse_scopes("approvals:decide").unwrap(),
            ["approvals:decide"]
        );
        let writer = ApiPrincipal {
            scopes: vec!["approvals:write".into()],
            ..admin
        };
        assert_eq!(
            writer
                .require("approvals:decide")
                .unwrap_err()
                .http_status(),
            403
        );
        use crate::domain::state::Kind;
        assert_eq!(write_scope(Kind::Approval), "approvals:write");
        for k in [Kind::Takeover, Kind::Assist, Kind::Agent] {
            assert_eq!(write_scope(k), "handoffs:write");
        }
    }
}
