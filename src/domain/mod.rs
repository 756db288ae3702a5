//! Pure types and the lifecycle state machine: no I/O, no sqlx.

pub mod answer;
pub mod approval;
pub mod assist;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod bulk;
#[cfg(feature = "ssr")]
pub mod delivery;
pub mod expr;
pub mod lifecycle;
pub mod limits;
pub mod link;
pub mod node;
pub mod packet;
pub mod quorum;
#[cfg(feature = "ssr")]
pub mod rate;
pub mod records;
#[cfg(feature = "ssr")]
pub mod routing;
#[cfg(feature = "ssr")]
pub mod sealed;
#[cfg(feature = "ssr")]
pub mod seed_fields;
#[cfg(feature = "ssr")]
pub mod similar;
/// Slack request signatures and payloads (server only: HMAC, hex, form parsing).
#[cfg(feature = "ssr")]
pub mod slack;
pub mod state;
pub mod time_to_human;
#[cfg(feature = "ssr")]
pub mod transcript_chain;
#[cfg(feature = "ssr")]
pub mod webhook_signature;
#[cfg(feature = "ssr")]
pub mod writes;
#[cfg(feature = "ssr")]
pub mod zone;

pub use lifecycle::{Actor, Handoff, Plan, Request};
pub use packet::{Packet, Source, TranscriptPtr};
pub use state::{Event, Kind, State};
