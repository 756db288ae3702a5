//! Creating a handoff, the use case: route it by the organization's policies
//! (priority, expiry, escalation chain, or resolution by policy), record it
//! (`lifecycle::create`), then do what the route says once it is committed:
//! resolve it by policy, or send the first escalation step now rather than at
//! the timer worker's next tick (the step's timer is written with the
//! creation, so a crash right after the commit still notifies someone).

use super::lifecycle::{self, Creation, Extras};
use super::{escalation, format_time, new_id, routing, App};
use crate::domain::approval::Decision;
use crate::domain::lifecycle::Request;
use crate::domain::records::Timer;
use crate::domain::routing::AutoResolve;
use crate::domain::{Actor, Event, Handoff, Kind};
use crate::error::AppError;
use chrono::Utc;
use serde_json::{json, Value};

pub async fn create(app: &App, mut c: Creation) -> Result<Handoff, AppError> {
    let routed = route_new(app, &mut c).await?;
    let kick: Vec<Timer> = c
        .timers
        .iter()
        .filter(|t| t.kind == escalation::NOTIFY)
        .cloned()
        .collect();
    let handoff = lifecycle::create(app, c).await?;
    if let Some(policy) = routed.auto_resolve {
        return auto_resolve(app, &handoff, policy).await;
    }
    for t in kick {
        escalation::kick(app, t);
    }
    Ok(handoff)
}

/// What routing decided for a new handoff.
pub struct Routed {
    /// A policy resolves it at once: (policy id, name, how).
    pub auto_resolve: Option<(String, String, AutoResolve)>,
}

/// Runs the policies on a handoff about to be created: sets its priority,
/// adds its expiry and first escalation timers, and records the route on the
/// creation's audit row (`data.route`).
pub async fn route_new(app: &App, c: &mut Creation) -> Result<Routed, AppError> {
    let at = Utc::now();
    // One read of the set-up's version (and of the set-up when it changed).
    let setup = super::setup::current(app, &c.handoff.organization_id).await?;
    let out = routing::decide(&setup, &c.handoff, c.approval.as_ref(), Some(&c.actor), at);
    let actions = out.policy.as_ref().map(|p| p.2.clone()).unwrap_or_default();
    if let Some(p) = &actions.priority {
        c.handoff.priority = p.clone();
    }
    if let Some(a) = c.approval.as_mut() {
        // A policy can ask for more care, never for less than the agent did.
        a.four_eyes |= actions.four_eyes.unwrap_or(false);
        a.required_approvals = a
            .required_approvals
            .max(actions.required_approvals.unwrap_or(1));
        if let Some(role) = &actions.approver_role {
            a.approver_role = Some(role.clone());
        }
    }
    let h = &c.handoff;
    if let Some(secs) = actions.expire_after_seconds {
        c.timers.push(Timer {
            id: new_id(),
            organization_id: h.organization_id.clone(),
            handoff_id: h.id.clone(),
            kind: "policy_expiry".into(),
            due_at: format_time(at + chrono::Duration::seconds(secs)),
            data: None,
        });
    }
    // A policy never approves a question nor a quorum on people's behalf; the
    // route records why it left such an approval to them.
    let (settle, auto_skipped) = match actions.auto_resolve {
        Some(a) => match a.settles(h.kind, c.approval.as_ref()) {
            Ok(s) => (s, None),
            Err(why) => (None, Some(why)),
        },
        None => (None, None),
    };
    let auto = settle
        .zip(out.policy.as_ref())
        .map(|(a, p)| (p.0.clone(), p.1.clone(), a));
    let chain_name = match &out.chain_id {
        Some(id) => app
            .store
            .chain(&h.organization_id, id)
            .await?
            .map(|c| c.name),
        None => None,
    };
    // Agent-to-agent handoffs need nobody unless a policy or the default route says so.
    let mut notify = auto.is_none() && (h.kind != Kind::Agent || out.chain_id.is_some());
    if notify && out.chain_id.is_none() {
        let role = c.approval.as_ref().and_then(|a| a.approver_role.as_deref());
        notify = escalation::built_in_reaches_anyone(app, &setup, h, role);
    }
    if notify {
        c.timers
            .push(escalation::first_timer(h, out.chain_id.clone()));
    }
    let route = json!({
        "policy_id": out.policy.as_ref().map(|p| &p.0),
        "policy_name": out.policy.as_ref().map(|p| &p.1),
        "chain_id": out.chain_id,
        "chain_name": chain_name,
        "priority": h.priority,
        "auto_resolve": auto.as_ref().map(|a| a.2),
        "expire_after_seconds": actions.expire_after_seconds,
        "four_eyes": actions.four_eyes,
        "required_approvals": actions.required_approvals,
        "approver_role": actions.approver_role,
        "notify": notify,
        "policy_errors": out.errors.iter().map(|(id, e)| json!({"policy_id": id, "error": e})).collect::<Vec<_>>(),
    });
    let mut route = route;
    if let Some(why) = auto_skipped {
        route["auto_resolve_skipped"] = why.into();
    }
    if let Value::Object(data) = &mut c.data {
        data.insert("route".into(), route);
    } else {
        c.data = json!({ "route": route });
    }
    Ok(Routed { auto_resolve: auto })
}

/// Resolves a just-created handoff for the policy, audited as `source: policy`.
pub async fn auto_resolve(
    app: &App,
    h: &Handoff,
    (policy_id, name, how): (String, String, AutoResolve),
) -> Result<Handoff, AppError> {
    let actor = Actor::Policy(policy_id);
    match how {
        AutoResolve::Approve | AutoResolve::Deny => {
            let decision = Decision {
                approved: how == AutoResolve::Approve,
                note: Some(format!("Decided by policy “{name}”.")),
                decided_by: actor.label(),
                payload: None,
                answer: None,
                approved_payload: None,
            };
            let req = Request::decide(actor, decision);
            lifecycle::transition(app, &h.organization_id, &h.id, req, Extras::default()).await
        }
        AutoResolve::Resolve => {
            let req = Request::new(Event::Resolve, actor);
            lifecycle::transition(app, &h.organization_id, &h.id, req, Extras::default()).await
        }
    }
}
