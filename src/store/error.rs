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

#[derive(Clone, Debug, thiserror::Error)]
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
            sqlx::Error::Database(db) if db.code().as_deref().is_some_and(unavailable_code) => {
                StoreError::Unavailable(e.to_string())
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

/// rusqlite runs the SQLite group-commit batches (`sqlite::group_commit`).
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        match &e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.extended_code,
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                ) =>
            {
                StoreError::Duplicate
            }
            rusqlite::Error::SqliteFailure(f, _)
                if unavailable_code(&f.extended_code.to_string()) =>
            {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Other(e.to_string()),
        }
    }
}

/// Database error codes that say "not now" rather than "no": the request is
/// worth retrying once the database answers again.
fn unavailable_code(code: &str) -> bool {
    // PostgreSQL: connection exceptions (08…), the server or database shutting
    // down or refusing connections (57P01-57P03), too many connections
    // (53300), a database that does not accept connections (55000).
    if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300" | "55000") {
        return true;
    }
    // SQLite: the file stayed locked past the busy timeout (SQLITE_BUSY 5,
    // SQLITE_LOCKED 6, and their extended codes).
    code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
}

pub type StoreResult<T> = Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use super::unavailable_code;

    #[test]
    fn not_now_codes_are_unavailable() {
        for c in ["08006", "57P01", "55000", "53300", "5", "517", "6"] {
            assert!(unavailable_code(c), "{c}");
        }
        for c in ["23505", "40001", "19", "2067", "42P01"] {
            assert!(!unavailable_code(c), "{c}");
        }
    }
}
