//! Forgetting what is no longer needed; the timer worker calls these on its clock.

use super::{format_time, App};
use chrono::Utc;

/// Forgets the rate-limit state of keys that have been quiet.
pub async fn forget_quiet_keys(app: &App) {
    // Keys that have been quiet for a while are forgotten, so the maps stay
    // as small as the recent traffic (random emails included).
    super::rate_limit::forget_full(app).await;
    app.login_limiter.retain_recent();
    app.login_per_address.retain_recent();
    app.paid_limiter.retain_recent();
}

/// Purges idempotency keys older than 48 hours, expired sessions, and the
/// captures of assist handoffs that ended past their retention.
pub async fn purge(app: &App) {
    let cutoff = format_time(Utc::now() - chrono::Duration::hours(48));
    if let Err(e) = app.store.idem_purge(&cutoff).await {
        tracing::error!(error = %e, "purging idempotency keys failed");
    }
    if let Err(e) = app.store.purge_sessions(&format_time(Utc::now())).await {
        tracing::error!(error = %e, "purging expired sessions failed");
    }
    match super::assist::purge(app, Utc::now()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(captures = n, "purged the captures of ended assist handoffs"),
        Err(e) => tracing::error!(error = %e, "purging assist captures failed"),
    }
}
