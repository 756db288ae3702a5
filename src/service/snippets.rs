//! Canned replies: an organization's snippets, managed by admins on `/admin`
//! and read by any operator writing in a takeover chat.

use super::admin::require_admin;
use super::{new_id, now, App};
use crate::domain::records::{Operator, Snippet};
use crate::error::AppError;
use crate::store::StoreError;

/// Enough for a team's stock answers; bounded so the list stays one small read.
pub const SNIPPETS_MAX: usize = 100;
pub const SHORTCUT_MAX: usize = 30;
pub const BODY_MAX: usize = 2_000;

pub async fn list(app: &App, org_id: &str) -> Result<Vec<Snippet>, AppError> {
    Ok(app.store.snippets(org_id).await?)
}

/// `shortcut` is typed after `/` in the chat box: 1-30 of `a-z 0-9 - _`
/// (a leading `/` is dropped, upper case folded).
pub fn parse_shortcut(raw: &str) -> Result<String, AppError> {
    let s = raw.trim().trim_start_matches('/').to_ascii_lowercase();
    let ok = !s.is_empty()
        && s.len() <= SHORTCUT_MAX
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(s)
    } else {
        Err(AppError::invalid_field(
            "shortcut",
            format!("1-{SHORTCUT_MAX} letters, digits, - or _"),
        ))
    }
}

pub async fn add(
    app: &App,
    me: &Operator,
    shortcut: &str,
    body: &str,
) -> Result<Snippet, AppError> {
    require_admin(me)?;
    let shortcut = parse_shortcut(shortcut)?;
    crate::domain::limits::required("body", body.trim(), BODY_MAX)?;
    let org = &me.organization_id;
    if app.store.snippets(org).await?.len() >= SNIPPETS_MAX {
        return Err(AppError::conflict(
            "too_many_snippets",
            format!(
                "an organization keeps at most {SNIPPETS_MAX} canned replies; delete one first"
            ),
        ));
    }
    let s = Snippet {
        id: new_id(),
        organization_id: org.clone(),
        shortcut,
        body: body.trim().to_string(),
        created_at: now(),
    };
    match app.store.insert_snippet(&s).await {
        Ok(()) => Ok(s),
        Err(StoreError::Duplicate) => Err(AppError::invalid_field(
            "shortcut",
            format!("/{} is taken", s.shortcut),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(app: &App, me: &Operator, id: &str) -> Result<(), AppError> {
    require_admin(me)?;
    if app.store.delete_snippet(&me.organization_id, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("snippet"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shortcuts_are_short_plain_words() {
        assert_eq!(
            super::parse_shortcut("/Refund-Policy").unwrap(),
            "refund-policy"
        );
        assert_eq!(super::parse_shortcut(" greet_1 ").unwrap(), "greet_1");
        for bad in ["", "/", "two words", "ümlaut", "<b>", &"x".repeat(31)] {
            assert!(super::parse_shortcut(bad).is_err(), "{bad:?}");
        }
    }
}
