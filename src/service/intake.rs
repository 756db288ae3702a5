//! Creating a handoff, the use case: route it by the organization's policies,
//! record it (`lifecycle::create`), then do what the route says once it is
//! committed: resolve it by policy, or send the first escalation step now
//! rather than at the timer worker's next tick (the step's timer is written
//! with the creation, so a crash right after the commit still notifies).

use super::lifecycle::{self, Creation};
use super::{escalation, routing, App};
use crate::domain::records::Timer;
use crate::domain::Handoff;
use crate::error::AppError;

pub async fn create(app: &App, mut c: Creation) -> Result<Handoff, AppError> {
    let routed = routing::route_new(app, &mut c).await?;
    let kick: Vec<Timer> = c
        .timers
        .iter()
        .filter(|t| t.kind == escalation::NOTIFY)
        .cloned()
        .collect();
    let handoff = lifecycle::create(app, c).await?;
    if let Some(policy) = routed.auto_resolve {
        return routing::auto_resolve(app, &handoff, policy).await;
    }
    for t in kick {
        escalation::kick(app, t);
    }
    Ok(handoff)
}
