//! Outbound adapters: how a notification reaches a person (Web Push, email,
//! Slack, SMS and voice). They send what they are given and report the result;
//! whom to notify on which channel, with which link, is decided by the service
//! (`service::channels`), which also records the outcomes.

pub mod email;
pub mod guard;
pub mod provider;
pub mod push;
pub mod redact;
pub mod slack;
pub mod webhook;

use crate::domain::{Handoff, Kind};
use std::time::Duration;

const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The notification title for a handoff (push, email subject, Slack, SMS).
pub fn title(h: &Handoff) -> &'static str {
    match h.kind {
        Kind::Approval => "Approval needed",
        Kind::Takeover => "A customer needs a person",
        Kind::Assist => "An agent needs help",
        Kind::Agent => "Agent handoff",
    }
}

/// The packet's text, then its summary if any: the body of the longer messages.
fn summary_lines(h: &Handoff) -> String {
    let mut s = h.packet.static_text.clone();
    if let Some(sum) = h.packet.summary.as_deref().filter(|x| !x.is_empty()) {
        s.push_str("\n\n");
        s.push_str(sum);
    }
    s
}
