//! "Approve similar" (issue 14 §3): from an approval a person approved, one
//! step adds the routing policy that approves its like without a person,
//! after a preview of what it would have matched among the recent approvals.
//! Admins only, as every routing change; the creation is recorded in the
//! security log (`routing.policy_added`).

use super::approvals;
use super::routing::{self, PolicyInput, PolicyView};
use super::{orgs, App};
use crate::domain::approval::Approval;
use crate::domain::expr::Expr;
use crate::domain::records::Operator;
use crate::domain::routing::{first_match, set_requester, vars, AutoResolve, Policy};
use crate::domain::similar;
use crate::domain::Handoff;
use crate::error::AppError;
use chrono::{DateTime, Utc};

/// How many of the newest approvals the preview runs the condition on.
pub const RECENT: i64 = 200;

/// The policy an approval stands model for.
#[derive(Clone, Debug)]
pub struct Model {
    pub approval_id: String,
    pub approval: Approval,
    /// Who asked for the model approval (`api_key:<id>`), when on record.
    pub requester: Option<String>,
    pub name: String,
    pub condition: String,
}

/// One recent approval the condition matches.
#[derive(Clone, Debug)]
pub struct Match {
    pub id: String,
    pub subject_ref: String,
    /// `pending`, `approved`, `denied`, `expired`, `cancelled`.
    pub status: String,
    pub created_at: String,
    /// An earlier policy matches it first (its name): the new one, added
    /// last, would not decide it.
    pub earlier_policy: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Preview {
    pub model: Model,
    /// How many recent approvals were looked at (at most `RECENT`).
    pub examined: usize,
    /// The ones the condition matches, newest first.
    pub matches: Vec<Match>,
    /// A policy that already approves exactly these (its name).
    pub existing: Option<String>,
}

/// The model approval and its policy; 403 for a non-admin, 404 for another
/// organization's approval, 409 (`not_a_model`) when it cannot be one.
pub async fn model(app: &App, me: &Operator, id: &str) -> Result<Model, AppError> {
    super::admin::require_admin(me)?;
    let org = &me.organization_id;
    let (h, a) = approvals::get(app, org, id).await?;
    similar::may_offer(&a, h.state, h.decision.as_deref())
        .map_err(|why| AppError::conflict("not_a_model", why))?;
    let requester = app
        .store
        .creators(org, std::slice::from_ref(&h.id))
        .await?
        .remove(&h.id);
    Ok(Model {
        name: similar::policy_name(&a.subject_ref),
        condition: similar::condition(a.subject_kind, &a.subject_ref, requester.as_deref()),
        approval_id: h.id,
        approval: a,
        requester,
    })
}

/// What the policy would have matched among the newest `RECENT` approvals.
pub async fn preview(app: &App, me: &Operator, id: &str) -> Result<Preview, AppError> {
    let model = model(app, me, id).await?;
    let org = &me.organization_id;
    let policies = routing::compiled_policies(app, org).await?;
    let existing = same_policy(&policies, &model.condition).map(|p| p.name.clone());
    let condition = Expr::parse(&model.condition)
        .map_err(|e| AppError::conflict("not_a_model", e.to_string()))?;
    let recent = approvals::list(app, org, None, None, RECENT).await?;
    let ids: Vec<String> = recent.iter().map(|(h, _)| h.id.clone()).collect();
    let creators = app.store.creators(org, &ids).await?;
    let tz = orgs::time_zone(app, org).await?;
    let mut matches = Vec::new();
    for (h, a) in &recent {
        let mut v = vars(
            h.kind,
            h.source,
            &h.priority,
            &h.packet,
            Some(a),
            created(h),
            tz,
        );
        set_requester(&mut v, creators.get(&h.id).map(String::as_str));
        if condition.eval_bool(&v) != Ok(true) {
            continue;
        }
        matches.push(Match {
            id: h.id.clone(),
            subject_ref: a.subject_ref.clone(),
            status: crate::domain::approval::status(h.state, h.decision.as_deref()).to_string(),
            created_at: h.created_at.clone(),
            earlier_policy: first_match(&policies, &v)
                .matched
                .map(|i| policies[i].name.clone()),
        });
    }
    Ok(Preview {
        model,
        examined: recent.len(),
        matches,
        existing,
    })
}

/// The policy that already approves approvals like this one, by name.
pub async fn existing(app: &App, me: &Operator, id: &str) -> Result<Option<String>, AppError> {
    let model = model(app, me, id).await?;
    let policies = routing::compiled_policies(app, &me.organization_id).await?;
    Ok(same_policy(&policies, &model.condition).map(|p| p.name.clone()))
}

/// Adds the policy (last, so every existing policy still comes first) and
/// records who did it; 409 (`policy_exists`) when one already does this.
pub async fn create(app: &App, me: &Operator, id: &str) -> Result<PolicyView, AppError> {
    let model = model(app, me, id).await?;
    let org = &me.organization_id;
    let policies = routing::compiled_policies(app, org).await?;
    if let Some(p) = same_policy(&policies, &model.condition) {
        return Err(AppError::conflict(
            "policy_exists",
            format!(
                "the policy “{}” already approves approvals like this",
                p.name
            ),
        ));
    }
    let mut list: Vec<PolicyInput> = routing::policies(app, org)
        .await?
        .into_iter()
        .map(|p| PolicyInput {
            name: p.name,
            condition: p.condition,
            actions: p.actions,
        })
        .collect();
    list.push(PolicyInput {
        name: model.name.clone(),
        condition: model.condition.clone(),
        actions: similar::actions(),
    });
    let saved = routing::set_policies(app, org, list).await?;
    let added = saved.last().cloned().ok_or_else(AppError::internal)?;
    super::security_log::policy_added(
        app,
        org,
        &super::security_log::by_operator(me),
        serde_json::json!({
            "policy_id": added.id,
            "name": added.name,
            "condition": added.condition,
            "actions": added.actions,
            "approve_similar_to": model.approval_id,
        }),
    )
    .await?;
    Ok(added)
}

/// An existing policy with this very condition that approves without a person.
fn same_policy<'a>(policies: &'a [Policy], condition: &str) -> Option<&'a Policy> {
    policies
        .iter()
        .find(|p| p.source == condition && p.actions.auto_resolve == Some(AutoResolve::Approve))
}

fn created(h: &Handoff) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&h.created_at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now())
}
