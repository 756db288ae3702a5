//! Audit chain verification, shared by `tapin audit verify` and the admin UI.

use super::App;
use crate::domain::audit::{verify_chain, ChainBreak};
use crate::error::AppError;
use crate::store::Org;

/// Outcome for one organization.
pub struct Verified {
    pub org: Org,
    pub result: Result<usize, ChainBreak>,
}

pub async fn verify(app: &App, only_slug: Option<&str>) -> Result<Vec<Verified>, AppError> {
    let orgs = match only_slug {
        Some(slug) => vec![app
            .store
            .org_by_slug(slug)
            .await?
            .ok_or_else(|| AppError::not_found("organization"))?],
        None => app.store.orgs().await?,
    };
    let mut out = Vec::new();
    for org in orgs {
        let chain = app.store.audit_chain(&org.id).await?;
        let result = verify_chain(&chain.events, chain.head_seq, &chain.head_hash);
        out.push(Verified { org, result });
    }
    Ok(out)
}
