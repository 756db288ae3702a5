//! What a client is told when storage says no. Lost races that the use
//! cases retry never get here unless retrying did not help.

use crate::error::AppError;
use crate::store::{Race, StoreError};

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found("record"),
            StoreError::Conflict(Race::Version) => AppError::conflict(
                "version_conflict",
                "the handoff was changed by someone else; reload and retry",
            ),
            StoreError::Conflict(Race::Conversation) => AppError::conflict(
                "conversation_changed",
                "the conversation changed meanwhile; retry",
            ),
            StoreError::Conflict(Race::AuditHead) => {
                AppError::conflict("audit_race", "concurrent audit write; retry")
            }
            StoreError::Conflict(Race::LinkUsed) => {
                AppError::conflict("link_used", "this link has already been used")
            }
            StoreError::Conflict(Race::TimerFired) => {
                AppError::conflict("timer_fired", "this timer has already fired")
            }
            StoreError::Duplicate => AppError::conflict("duplicate", "it already exists"),
            StoreError::Unavailable(cause) => {
                tracing::error!(%cause, "database unavailable");
                AppError::unavailable()
            }
            e @ (StoreError::Corrupt { .. } | StoreError::Other(_)) => {
                tracing::error!(error = %e, "database error");
                AppError::internal()
            }
        }
    }
}
