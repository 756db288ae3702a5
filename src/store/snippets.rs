//! An organization's canned replies (add, list, delete: nothing else).

use super::StoreResult;
use crate::domain::records::Snippet;
use async_trait::async_trait;

#[async_trait]
pub trait SnippetStore {
    /// `Duplicate` when the organization already has the shortcut.
    async fn insert_snippet(&self, s: &Snippet) -> StoreResult<()>;
    /// By shortcut.
    async fn snippets(&self, org_id: &str) -> StoreResult<Vec<Snippet>>;
    /// True if one was removed.
    async fn delete_snippet(&self, org_id: &str, id: &str) -> StoreResult<bool>;
}
