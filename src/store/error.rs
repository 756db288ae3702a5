//! What can go wrong in storage, in storage's own words. The service maps
//! these to `AppError` (and retries lost races); the store never decides
//! what a client is told.

/// An optimistic write found the row changed since it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Race {
    /// The handoff's `version` moved: reload, plan again.
    Version,
    /// The conversation's `last_seq` or status moved: reload, check again.
    Conversation,
    /// Another writer extended the organization's audit chain first.
    AuditHead,
    /// The signed link's nonce was consumed already (single use).
    LinkUsed,
    /// The timer had already fired.
    TimerFired,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row to change or read is not there (or belongs to another tenant).
    #[error("not found")]
    NotFound,
    #[error("lost a race: {0:?}")]
    Conflict(Race),
    /// A unique key is already taken (which one is the caller's to say).
    #[error("unique key already taken")]
    Duplicate,
    /// No connection, pool exhausted, I/O: worth retrying later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value cannot be read back (a bug or a hand-edited database).
    #[error("stored {what} of {id} cannot be read")]
    Corrupt { what: &'static str, id: String },
    #[error("database error: {0}")]
    Other(String),
}

impl StoreError {
    pub fn corrupt(what: &'static str, id: impl Into<String>) -> Self {
        StoreError::Corrupt {
            what,
            id: id.into(),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate,
            // PostgreSQL: a serialization failure or a deadlock rolled the
            // transaction back; like a lost audit-head race, it is worth a retry.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("40001" | "40P01")) =>
            {
                StoreError::Conflict(Race::AuditHead)
            }
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_) => StoreError::Unavailable(e.to_string()),
            _ => StoreError::Other(e.to_string()),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
