//! Why a signed operator link cannot be used. Shown to the operator as a clear
//! page; serializable so the browser renders the same screens.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum LinkProblem {
    /// Not a token tapin signed (altered, truncated, or signed with another key).
    Tampered,
    /// Signed for another handoff or for an operator outside the handoff's organization.
    Foreign,
    Expired,
    Used,
    /// The handoff no longer needs anyone (resolved, cancelled, expired, …).
    Finished {
        state: String,
    },
    /// Another operator is already working on it.
    Taken,
}

impl LinkProblem {
    pub fn title(&self) -> &'static str {
        match self {
            LinkProblem::Tampered => "This link is damaged",
            LinkProblem::Foreign => "This link is for a different handoff",
            LinkProblem::Expired => "This link has expired",
            LinkProblem::Used => "This link was already used",
            LinkProblem::Finished { .. } => "This handoff is already closed",
            LinkProblem::Taken => "Someone else is on it",
        }
    }

    pub fn advice(&self) -> String {
        match self {
            LinkProblem::Tampered => {
                "The address was changed or cut off. Open the link from the original notification again.".into()
            }
            LinkProblem::Foreign => {
                "It does not belong to this page. Open the link from the notification you received.".into()
            }
            LinkProblem::Expired => {
                "Links are short-lived for safety. Ask for a new one, or open the handoff from your inbox.".into()
            }
            LinkProblem::Used => {
                "Each link opens once. If that was you, the handoff is open in the tab or device you used; otherwise ask for a new link.".into()
            }
            LinkProblem::Finished { state } => {
                format!("It is {} — nothing is waiting for you here.", state.replace('_', " "))
            }
            LinkProblem::Taken => "Another operator has already accepted this handoff.".into(),
        }
    }
}
