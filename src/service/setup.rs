//! An organization's routing set-up, kept in memory while it is unchanged.
//!
//! Creating a handoff reads the policies, the time zone, the default chain,
//! the operators with their contacts and push devices, and the Slack hook:
//! eight store reads, each a hop to the database, for data that changes a few
//! times a day. The database keeps a version of this set-up that every change
//! bumps in the same transaction (triggers, `migrations/*/..._setup_version`),
//! so a node reads that one number and reuses what it read before while the
//! number is the same. A change made on any node is seen by the next request
//! on every node; there is no expiry to wait out and no notice to lose.

use super::shared_reads::SingleFlight;
use super::App;
use crate::domain::records::{Contact, Operator, PushSubscription, RotationRecord};
use crate::domain::routing::Policy;
use crate::domain::zone::Tz;
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What routing and notification read of an organization, as of `version`.
pub struct Setup {
    pub version: i64,
    /// In order, parsed (one that no longer parses is left out).
    pub policies: Vec<Policy>,
    pub zone: Tz,
    pub default_chain_id: Option<String>,
    /// Opened from its sealed form.
    pub slack_url: Option<String>,
    pub operators: Vec<Operator>,
    pub contacts: Vec<Contact>,
    pub push_subscriptions: Vec<PushSubscription>,
    pub rotations: Vec<RotationRecord>,
}

/// Organizations whose set-up is kept; past this the map starts afresh (a
/// server with more organizations than this reads more, nothing breaks).
const KEPT: usize = 10_000;

/// The set-ups this node read, and the reads running now.
#[derive(Default)]
pub struct SetupCache {
    kept: Mutex<HashMap<String, Arc<Setup>>>,
    reads: SingleFlight<(String, i64), Result<Arc<Setup>, AppError>>,
}

impl SetupCache {
    fn kept(&self, org_id: &str, version: i64) -> Option<Arc<Setup>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(org_id).filter(|s| s.version == version).cloned()
    }

    fn keep(&self, org_id: &str, setup: &Arc<Setup>) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= KEPT && !kept.contains_key(org_id) {
            kept.clear();
        }
        // A slower read of an older version never replaces a newer one.
        let newer = kept.get(org_id).is_some_and(|s| s.version > setup.version);
        if !newer {
            kept.insert(org_id.to_string(), setup.clone());
        }
    }
}

tokio::task_local! {
    /// (organization, set-up version) read with the API key of the request
    /// this task serves: the same request, so no change committed before it
    /// is missed, and a creation needs no read of the version of its own.
    static SEEN: (String, i64);
}

/// Runs `request` (an API request's handler) knowing the set-up version its
/// key was read with.
pub async fn with_version_seen<F: std::future::Future>(
    org_id: String,
    version: i64,
    request: F,
) -> F::Output {
    SEEN.scope((org_id, version), request).await
}

/// The organization's set-up as of now: one read of its version (none when
/// the request's API key brought it), and the whole set-up only when it
/// changed since this node last read it.
pub async fn current(app: &App, org_id: &str) -> Result<Arc<Setup>, AppError> {
    let seen = SEEN
        .try_with(|(org, v)| (org == org_id).then_some(*v))
        .ok()
        .flatten();
    let version = match seen {
        Some(v) => v,
        None => app.store.setup_version(org_id).await?,
    };
    if let Some(s) = app.setup.kept(org_id, version) {
        return Ok(s);
    }
    let key = (org_id.to_string(), version);
    let read = app.setup.reads.run(key, || load(app, org_id, version));
    let setup = read.await?;
    app.setup.keep(org_id, &setup);
    Ok(setup)
}

/// Reads the set-up after its version was read: what is read is that
/// version or newer, and a newer one has a newer number, which the next
/// request sees and reads again.
async fn load(app: &App, org_id: &str, version: i64) -> Result<Arc<Setup>, AppError> {
    let store = &app.store;
    let settings = store.routing_settings(org_id).await?;
    let slack_url = super::routing::slack_url(app, org_id, settings.slack_webhook_url).await?;
    Ok(Arc::new(Setup {
        version,
        policies: super::routing::compiled_policies(app, org_id).await?,
        zone: super::orgs::time_zone(app, org_id).await?,
        default_chain_id: settings.default_chain_id,
        slack_url,
        operators: store.operators(org_id).await?,
        contacts: store.contacts(org_id).await?,
        push_subscriptions: store.org_push_subscriptions(org_id).await?,
        rotations: store.rotations(org_id).await?,
    }))
}

impl Setup {
    /// Who `rotation_id` has on call at `at` (None for a deleted rotation or nobody).
    pub fn on_call(&self, rotation_id: &str, at: chrono::DateTime<chrono::Utc>) -> Option<String> {
        let r = self.rotations.iter().find(|r| r.id == rotation_id)?;
        super::routing::rotation_of(r, self.zone)
            .on_call(at)
            .map(str::to_string)
    }
}
