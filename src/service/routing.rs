//! Routing definitions (escalation chains, on-call rotations, policies, the
//! organization's default route and Slack hook) and what happens to a new
//! handoff because of them: `route_new` runs the policies at creation.

use super::setup::Setup;
use super::{new_id, now, orgs, App};
use crate::domain::approval::{Approval, SubjectKind};
use crate::domain::expr::Expr;
use crate::domain::limits::{too_long, REF_MAX};
use crate::domain::records::{ChainRecord, PolicyRecord, RotationRecord, RoutingSettings};
use crate::domain::routing::{
    self, Actions, AutoResolve, Chain, Override, Policy, Rotation, Step, Target, URGENCIES,
};
use crate::domain::zone::{self, Tz};
use crate::domain::{Handoff, Kind, Packet, Source};
use crate::error::{AppError, FieldError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

const NAME_MAX: usize = 100;
const STEPS_MAX: usize = 10;
const TARGETS_MAX: usize = 20;
const WAIT_MAX: i64 = 7 * 24 * 3600;
const REPEAT_MAX: u32 = 10;
const POLICIES_MAX: usize = 100;
const EXPIRY_MAX: i64 = 30 * 24 * 3600;

// ---------------------------------------------------------------- chains

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainInput {
    pub name: String,
    /// In order; step 1 is notified first.
    #[schema(value_type = Vec<Object>, example = json!([{"targets": [{"on_call": "<rotation id>"}], "wait_seconds": 300}, {"targets": [{"role": "lead"}], "wait_seconds": 600}]))]
    pub steps: Vec<Step>,
    /// More rounds after the last step's wait, before the handoff expires.
    #[serde(default)]
    pub repeat: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChainView {
    pub id: String,
    pub name: String,
    #[schema(value_type = Vec<Object>)]
    pub steps: Vec<Step>,
    pub repeat: u32,
    pub created_at: String,
    pub updated_at: String,
}

fn chain_view(r: ChainRecord) -> ChainView {
    ChainView {
        steps: serde_json::from_str(&r.steps).unwrap_or_default(),
        repeat: r.repeat_count.max(0) as u32,
        id: r.id,
        name: r.name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn check_name(fields: &mut Vec<FieldError>, field: &str, name: &str) {
    if name.trim().is_empty() {
        fields.push(FieldError::new(field, "must not be empty"));
    } else if name.chars().count() > NAME_MAX {
        fields.push(FieldError::new(
            field,
            format!("at most {NAME_MAX} characters"),
        ));
    }
}

async fn check_chain(app: &App, org_id: &str, c: &ChainInput) -> Result<(), AppError> {
    let mut fields = Vec::new();
    check_name(&mut fields, "name", &c.name);
    if c.steps.is_empty() || c.steps.len() > STEPS_MAX {
        fields.push(FieldError::new(
            "steps",
            format!("between 1 and {STEPS_MAX} steps"),
        ));
    }
    if c.repeat > REPEAT_MAX {
        fields.push(FieldError::new("repeat", format!("at most {REPEAT_MAX}")));
    }
    let operators = app.store.operators(org_id).await?;
    let rotations = app.store.rotations(org_id).await?;
    for (i, step) in c.steps.iter().enumerate() {
        if !(1..=WAIT_MAX).contains(&step.wait_seconds) {
            fields.push(FieldError::new(
                format!("steps[{i}].wait_seconds"),
                format!("between 1 and {WAIT_MAX} seconds"),
            ));
        }
        if step.targets.is_empty() || step.targets.len() > TARGETS_MAX {
            fields.push(FieldError::new(
                format!("steps[{i}].targets"),
                format!("between 1 and {TARGETS_MAX} targets"),
            ));
        }
        for (j, t) in step.targets.iter().enumerate() {
            let problem = match t {
                Target::Operator(id) if !operators.iter().any(|o| &o.id == id) => {
                    Some(("operator", "no operator of this organization has this id"))
                }
                Target::Role(r) if r.trim().is_empty() => Some(("role", "must not be empty")),
                Target::OnCall(id) if !rotations.iter().any(|r| &r.id == id) => {
                    Some(("on_call", "no rotation of this organization has this id"))
                }
                _ => None,
            };
            if let Some((key, msg)) = problem {
                fields.push(FieldError::new(
                    format!("steps[{i}].targets[{j}].{key}"),
                    msg,
                ));
            }
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid(fields))
    }
}

pub async fn create_chain(app: &App, org_id: &str, c: ChainInput) -> Result<ChainView, AppError> {
    check_chain(app, org_id, &c).await?;
    let t = now();
    let r = ChainRecord {
        id: new_id(),
        organization_id: org_id.to_string(),
        name: c.name.trim().to_string(),
        steps: serde_json::to_string(&c.steps).expect("steps serialize"),
        repeat_count: c.repeat as i64,
        created_at: t.clone(),
        updated_at: t,
    };
    app.store.insert_chain(&r).await?;
    Ok(chain_view(r))
}

pub async fn update_chain(
    app: &App,
    org_id: &str,
    id: &str,
    c: ChainInput,
) -> Result<ChainView, AppError> {
    let old = get_chain_record(app, org_id, id).await?;
    check_chain(app, org_id, &c).await?;
    let r = ChainRecord {
        name: c.name.trim().to_string(),
        steps: serde_json::to_string(&c.steps).expect("steps serialize"),
        repeat_count: c.repeat as i64,
        updated_at: now(),
        ..old
    };
    app.store.update_chain(&r).await?;
    Ok(chain_view(r))
}

async fn get_chain_record(app: &App, org_id: &str, id: &str) -> Result<ChainRecord, AppError> {
    app.store
        .chain(org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("escalation chain"))
}

pub async fn get_chain(app: &App, org_id: &str, id: &str) -> Result<ChainView, AppError> {
    get_chain_record(app, org_id, id).await.map(chain_view)
}

pub async fn chains(app: &App, org_id: &str) -> Result<Vec<ChainView>, AppError> {
    Ok(app
        .store
        .chains(org_id)
        .await?
        .into_iter()
        .map(chain_view)
        .collect())
}

/// Refused while a policy or the default route names the chain.
pub async fn delete_chain(app: &App, org_id: &str, id: &str) -> Result<(), AppError> {
    get_chain_record(app, org_id, id).await?;
    let settings = app.store.routing_settings(org_id).await?;
    let used_by_policy = policies(app, org_id)
        .await?
        .into_iter()
        .find(|p| p.actions.route.as_deref() == Some(id));
    if let Some(p) = used_by_policy {
        return Err(AppError::conflict(
            "chain_in_use",
            format!("policy “{}” routes to this chain", p.name),
        ));
    }
    if settings.default_chain_id.as_deref() == Some(id) {
        return Err(AppError::conflict(
            "chain_in_use",
            "this chain is the organization's default route",
        ));
    }
    app.store.delete_chain(org_id, id).await?;
    Ok(())
}

/// The chain as the escalation worker runs it; a deleted one falls back to the built-in route.
pub async fn load_chain(
    app: &App,
    org_id: &str,
    id: Option<&str>,
    approver_role: Option<&str>,
) -> Result<Chain, AppError> {
    if let Some(id) = id {
        if let Some(r) = app.store.chain(org_id, id).await? {
            let v = chain_view(r);
            return Ok(Chain {
                id: Some(v.id),
                name: v.name,
                steps: v.steps,
                repeat: v.repeat,
            });
        }
    }
    Ok(Chain::built_in(approver_role))
}

// ---------------------------------------------------------------- rotations

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotationInput {
    pub name: String,
    /// Operator ids in turn order; each is on call for one week, handing over
    /// at `starts_at`'s weekday and wall-clock time in the organization's zone.
    pub operators: Vec<String>,
    /// The first handover (RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: DateTime<Utc>,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub overrides: Vec<Override>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RotationView {
    pub id: String,
    pub name: String,
    pub operators: Vec<String>,
    pub starts_at: String,
    #[schema(value_type = Vec<Object>)]
    pub overrides: Vec<Override>,
    /// Who is on call right now (null before the start or with nobody in it).
    pub on_call_now: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub(super) fn rotation_of(r: &RotationRecord, zone: Tz) -> Rotation {
    Rotation {
        zone,
        operators: serde_json::from_str(&r.operators).unwrap_or_default(),
        starts_at: DateTime::parse_from_rfc3339(&r.starts_at)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default(),
        overrides: serde_json::from_str(&r.overrides).unwrap_or_default(),
    }
}

fn rotation_view(r: RotationRecord, zone: Tz) -> RotationView {
    let rot = rotation_of(&r, zone);
    RotationView {
        on_call_now: rot.on_call(Utc::now()).map(str::to_string),
        operators: rot.operators,
        overrides: rot.overrides,
        id: r.id,
        name: r.name,
        starts_at: r.starts_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

async fn check_rotation(app: &App, org_id: &str, r: &RotationInput) -> Result<(), AppError> {
    let mut fields = Vec::new();
    check_name(&mut fields, "name", &r.name);
    let operators = app.store.operators(org_id).await?;
    if r.operators.is_empty() || r.operators.len() > 50 {
        fields.push(FieldError::new("operators", "between 1 and 50 operators"));
    }
    for (i, id) in r.operators.iter().enumerate() {
        if !operators.iter().any(|o| &o.id == id) {
            fields.push(FieldError::new(
                format!("operators[{i}]"),
                "no operator of this organization has this id",
            ));
        }
    }
    for (i, o) in r.overrides.iter().enumerate() {
        if !operators.iter().any(|op| op.id == o.operator_id) {
            fields.push(FieldError::new(
                format!("overrides[{i}].operator_id"),
                "no operator of this organization has this id",
            ));
        }
        if o.ends_at <= o.starts_at {
            fields.push(FieldError::new(
                format!("overrides[{i}].ends_at"),
                "must be after starts_at",
            ));
        }
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid(fields))
    }
}

fn rotation_record(
    id: String,
    org_id: &str,
    r: RotationInput,
    created_at: String,
) -> RotationRecord {
    RotationRecord {
        id,
        organization_id: org_id.to_string(),
        name: r.name.trim().to_string(),
        operators: serde_json::to_string(&r.operators).expect("ids serialize"),
        starts_at: super::format_time(r.starts_at),
        overrides: serde_json::to_string(&r.overrides).expect("overrides serialize"),
        created_at,
        updated_at: now(),
    }
}

pub async fn create_rotation(
    app: &App,
    org_id: &str,
    r: RotationInput,
) -> Result<RotationView, AppError> {
    check_rotation(app, org_id, &r).await?;
    let rec = rotation_record(new_id(), org_id, r, now());
    app.store.insert_rotation(&rec).await?;
    Ok(rotation_view(rec, orgs::time_zone(app, org_id).await?))
}

pub async fn update_rotation(
    app: &App,
    org_id: &str,
    id: &str,
    r: RotationInput,
) -> Result<RotationView, AppError> {
    let old = get_rotation_record(app, org_id, id).await?;
    check_rotation(app, org_id, &r).await?;
    let rec = rotation_record(old.id, org_id, r, old.created_at);
    app.store.update_rotation(&rec).await?;
    Ok(rotation_view(rec, orgs::time_zone(app, org_id).await?))
}

/// Adds one override (someone covers a shift) without resending the rotation.
pub async fn add_override(
    app: &App,
    org_id: &str,
    id: &str,
    o: Override,
) -> Result<RotationView, AppError> {
    let old = get_rotation_record(app, org_id, id).await?;
    let mut input = RotationInput {
        name: old.name.clone(),
        operators: serde_json::from_str(&old.operators).unwrap_or_default(),
        starts_at: rotation_of(&old, zone::DEFAULT).starts_at,
        overrides: serde_json::from_str(&old.overrides).unwrap_or_default(),
    };
    let at = input.overrides.len();
    input.overrides.push(o);
    check_rotation(app, org_id, &input).await.map_err(|mut e| {
        // Name the field as the caller sent it.
        for f in &mut e.fields {
            f.field = f.field.replace(&format!("overrides[{at}]."), "");
        }
        e
    })?;
    let rec = rotation_record(old.id, org_id, input, old.created_at);
    app.store.update_rotation(&rec).await?;
    Ok(rotation_view(rec, orgs::time_zone(app, org_id).await?))
}

async fn get_rotation_record(
    app: &App,
    org_id: &str,
    id: &str,
) -> Result<RotationRecord, AppError> {
    app.store
        .rotation(org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("rotation"))
}

pub async fn get_rotation(app: &App, org_id: &str, id: &str) -> Result<RotationView, AppError> {
    let zone = orgs::time_zone(app, org_id).await?;
    get_rotation_record(app, org_id, id)
        .await
        .map(|r| rotation_view(r, zone))
}

pub async fn rotations(app: &App, org_id: &str) -> Result<Vec<RotationView>, AppError> {
    let zone = orgs::time_zone(app, org_id).await?;
    Ok(app
        .store
        .rotations(org_id)
        .await?
        .into_iter()
        .map(|r| rotation_view(r, zone))
        .collect())
}

/// Refused while a chain's step names the rotation.
pub async fn delete_rotation(app: &App, org_id: &str, id: &str) -> Result<(), AppError> {
    get_rotation_record(app, org_id, id).await?;
    for c in chains(app, org_id).await? {
        let used = c
            .steps
            .iter()
            .flat_map(|s| &s.targets)
            .any(|t| matches!(t, Target::OnCall(r) if r == id));
        if used {
            return Err(AppError::conflict(
                "rotation_in_use",
                format!("escalation chain “{}” uses this rotation", c.name),
            ));
        }
    }
    app.store.delete_rotation(org_id, id).await?;
    Ok(())
}

/// Who `rotation_id` has on call at `at` (None for a deleted rotation or nobody).
pub async fn on_call(
    app: &App,
    org_id: &str,
    rotation_id: &str,
    at: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let setup = super::setup::current(app, org_id).await?;
    Ok(setup.on_call(rotation_id, at))
}

// ---------------------------------------------------------------- policies

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    pub name: String,
    /// An expression over the handoff (README: "Policies").
    #[schema(example = "kind == 'approval' and subject_ref == 'lookup_order'")]
    pub condition: String,
    #[schema(value_type = Object, example = json!({"auto_resolve": "approve"}))]
    pub actions: Actions,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PolicyView {
    pub id: String,
    pub position: i64,
    pub name: String,
    pub condition: String,
    #[schema(value_type = Object)]
    pub actions: Actions,
}

fn policy_view(r: PolicyRecord) -> PolicyView {
    PolicyView {
        actions: serde_json::from_str(&r.actions).unwrap_or_default(),
        id: r.id,
        position: r.position,
        name: r.name,
        condition: r.condition,
    }
}

pub async fn policies(app: &App, org_id: &str) -> Result<Vec<PolicyView>, AppError> {
    Ok(app
        .store
        .policies(org_id)
        .await?
        .into_iter()
        .map(policy_view)
        .collect())
}

/// Replaces the ordered list after checking every entry; nothing changes on an error.
pub async fn set_policies(
    app: &App,
    org_id: &str,
    list: Vec<PolicyInput>,
) -> Result<Vec<PolicyView>, AppError> {
    let mut fields = Vec::new();
    if list.len() > POLICIES_MAX {
        fields.push(FieldError::new(
            "policies",
            format!("at most {POLICIES_MAX} policies"),
        ));
    }
    let chain_ids: Vec<String> = app
        .store
        .chains(org_id)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    for (i, p) in list.iter().enumerate() {
        check_name(&mut fields, &format!("policies[{i}].name"), &p.name);
        if let Err(e) = Expr::parse(&p.condition) {
            fields.push(FieldError::new(
                format!("policies[{i}].condition"),
                e.to_string(),
            ));
        }
        check_actions(
            &mut fields,
            &format!("policies[{i}].actions"),
            &p.actions,
            &chain_ids,
        );
    }
    if !fields.is_empty() {
        return Err(AppError::invalid(fields));
    }
    let t = now();
    let records: Vec<PolicyRecord> = list
        .into_iter()
        .enumerate()
        .map(|(i, p)| PolicyRecord {
            id: new_id(),
            organization_id: org_id.to_string(),
            position: i as i64,
            name: p.name.trim().to_string(),
            condition: p.condition,
            actions: serde_json::to_string(&p.actions).expect("actions serialize"),
            created_at: t.clone(),
            updated_at: t.clone(),
        })
        .collect();
    app.store.replace_policies(org_id, &records).await?;
    Ok(records.into_iter().map(policy_view).collect())
}

fn check_actions(fields: &mut Vec<FieldError>, at: &str, a: &Actions, chain_ids: &[String]) {
    if let Some(r) = &a.route {
        if !chain_ids.contains(r) {
            fields.push(FieldError::new(
                format!("{at}.route"),
                "no escalation chain of this organization has this id",
            ));
        }
    }
    if let Some(p) = &a.priority {
        if !URGENCIES.contains(&p.as_str()) {
            fields.push(FieldError::new(
                format!("{at}.priority"),
                "one of low, medium, high, urgent",
            ));
        }
    }
    if let Some(n) = a.required_approvals {
        if !(1..=crate::domain::quorum::MAX_REQUIRED).contains(&n) {
            fields.push(FieldError::new(
                format!("{at}.required_approvals"),
                format!("between 1 and {}", crate::domain::quorum::MAX_REQUIRED),
            ));
        }
    }
    if a.auto_resolve == Some(AutoResolve::Approve) && a.required_approvals.is_some_and(|n| n > 1) {
        fields.push(FieldError::new(
            format!("{at}.auto_resolve"),
            "a policy that asks for several approvals cannot approve by itself",
        ));
    }
    if let Some(role) = &a.approver_role {
        if role.trim().is_empty() || role.chars().count() > crate::domain::limits::REF_MAX {
            fields.push(FieldError::new(
                format!("{at}.approver_role"),
                format!("1 to {} characters", crate::domain::limits::REF_MAX),
            ));
        }
    }
    if let Some(s) = a.expire_after_seconds {
        if !(1..=EXPIRY_MAX).contains(&s) {
            fields.push(FieldError::new(
                format!("{at}.expire_after_seconds"),
                format!("between 1 and {EXPIRY_MAX} seconds"),
            ));
        }
    }
}

/// The policies in order, parsed (one that no longer parses is left out).
pub async fn compiled_policies(app: &App, org_id: &str) -> Result<Vec<Policy>, AppError> {
    Ok(policies(app, org_id)
        .await?
        .into_iter()
        .filter_map(|p| {
            // Stored conditions were checked on save; one that no longer parses is skipped.
            let condition = Expr::parse(&p.condition).ok()?;
            Some(Policy {
                id: p.id,
                name: p.name,
                condition,
                source: p.condition,
                actions: p.actions,
            })
        })
        .collect())
}

// ---------------------------------------------------------------- settings

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    /// The chain for handoffs no policy routes (null: everyone who may act, told once).
    #[serde(default)]
    pub default_chain_id: Option<String>,
    /// A Slack incoming-webhook URL for the `slack` channel (null: no Slack).
    #[serde(default)]
    pub slack_webhook_url: Option<String>,
    /// The organization's IANA time zone (`Europe/Berlin`; `UTC` until set):
    /// policy conditions read `hour`, `minute`, `time` and `weekday` in it,
    /// rotations hand over at its wall-clock time, pages show times in it.
    /// Left out of a PUT: unchanged.
    #[serde(default)]
    #[schema(example = "Europe/Berlin")]
    pub time_zone: Option<String>,
}

pub async fn settings(app: &App, org_id: &str) -> Result<SettingsInput, AppError> {
    let s = app.store.routing_settings(org_id).await?;
    Ok(SettingsInput {
        default_chain_id: s.default_chain_id,
        slack_webhook_url: slack_url(app, org_id, s.slack_webhook_url).await?,
        time_zone: Some(orgs::time_zone(app, org_id).await?.name().to_string()),
    })
}

/// The Slack URL opened from its stored (sealed) form.
pub async fn slack_url(
    app: &App,
    org_id: &str,
    stored: Option<String>,
) -> Result<Option<String>, AppError> {
    let label = crate::domain::sealed::slack_url_label(org_id);
    match stored {
        Some(s) => Ok(Some(
            app.keys.open_org(&app.store, org_id, &label, &s).await?,
        )),
        None => Ok(None),
    }
}

/// Saves the settings; a changed Slack hook is recorded in the security log
/// (`actor` made the change) and announced to the admins.
pub async fn set_settings(
    app: &App,
    org_id: &str,
    actor: &str,
    s: SettingsInput,
) -> Result<SettingsInput, AppError> {
    let zone = s
        .time_zone
        .as_deref()
        .map(orgs::check_time_zone)
        .transpose()?;
    if let Some(id) = &s.default_chain_id {
        if app.store.chain(org_id, id).await?.is_none() {
            return Err(AppError::invalid_field(
                "default_chain_id",
                "no escalation chain of this organization has this id",
            ));
        }
    }
    let slack = s
        .slack_webhook_url
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    if let Some(u) = &slack {
        let parsed = reqwest::Url::parse(u)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let Some(parsed) = parsed else {
            return Err(AppError::invalid_field(
                "slack_webhook_url",
                "must be an http(s) URL (Slack: https://hooks.slack.com/services/…)",
            ));
        };
        crate::channels::guard::check_url(&parsed, app.config.allow_private_targets)
            .map_err(|r| AppError::invalid_field("slack_webhook_url", r.to_string()))?;
    }
    // Compared in clear: sealing the same URL twice gives different bytes.
    let stored_before = app.store.routing_settings(org_id).await?.slack_webhook_url;
    let before = slack_url(app, org_id, stored_before).await?;
    let label = crate::domain::sealed::slack_url_label(org_id);
    let sealed = match &slack {
        Some(u) => Some(app.keys.seal_org(&app.store, org_id, &label, u).await?),
        None => None,
    };
    let stored = RoutingSettings {
        default_chain_id: s.default_chain_id,
        slack_webhook_url: sealed,
    };
    app.store.set_routing_settings(org_id, &stored).await?;
    if let Some(tz) = zone {
        app.store.set_time_zone(org_id, tz.name()).await?;
    }
    if before != slack {
        super::security_log::slack_hook_changed(
            app,
            org_id,
            actor,
            before.as_deref(),
            slack.as_deref(),
        )
        .await?;
    }
    settings(app, org_id).await
}

// ---------------------------------------------------------------- at creation

/// The policy outcome for a handoff about to be created, at `at`.
pub struct Outcome {
    pub policy: Option<(String, String, Actions)>,
    pub chain_id: Option<String>,
    pub errors: Vec<(String, String)>,
}

/// `requester` is who asks (the creation's actor label), the `requester` variable.
pub fn decide(
    setup: &Setup,
    h: &Handoff,
    approval: Option<&Approval>,
    requester: Option<&str>,
    at: DateTime<Utc>,
) -> Outcome {
    let list = &setup.policies;
    let mut vars = routing::vars(
        h.kind,
        h.source,
        &h.priority,
        &h.packet,
        approval,
        at,
        setup.zone,
    );
    routing::set_requester(&mut vars, requester);
    let eval = routing::first_match(list, &vars);
    let policy = eval.matched.map(|i| {
        (
            list[i].id.clone(),
            list[i].name.clone(),
            list[i].actions.clone(),
        )
    });
    let chain_id = match policy.as_ref().and_then(|p| p.2.route.clone()) {
        Some(c) => Some(c),
        None => setup.default_chain_id.clone(),
    };
    Outcome {
        policy,
        chain_id,
        errors: eval.errors,
    }
}

// ---------------------------------------------------------------- test box

/// A made-up handoff to try the policies on (nothing is created).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySample {
    /// approval | takeover | assist | agent
    pub kind: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub packet: Option<Value>,
    #[serde(default)]
    pub approver_role: Option<String>,
    #[serde(default)]
    pub subject_kind: Option<String>,
    #[serde(default)]
    pub subject_ref: Option<String>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub payload: Option<Map<String, Value>>,
    /// The moment to evaluate at (time-of-day rules); default now.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub at: Option<DateTime<Utc>>,
    /// Who asks, as the `requester` variable reads it (`api_key:<id>`,
    /// `operator:<id>`); default null.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub requester: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PolicyTestResult {
    /// The first matching policy, or null (the default route applies).
    #[schema(value_type = Option<Object>)]
    pub matched: Option<Value>,
    pub chain_id: Option<String>,
    pub chain_name: Option<String>,
    pub priority: String,
    /// approve | deny | resolve, when the policy resolves without a person.
    pub auto_resolve: Option<String>,
    pub expire_after_seconds: Option<i64>,
    /// Approvals: the policy asks for four-eyes, a quorum, an approver role.
    pub four_eyes: Option<bool>,
    pub required_approvals: Option<u32>,
    pub approver_role: Option<String>,
    /// Policies whose condition could not be decided for this sample (they never match).
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<Value>,
    /// The variables the conditions saw.
    #[schema(value_type = Object)]
    pub variables: Map<String, Value>,
}

/// "Test this policy against a sample packet": what routing would do.
pub async fn test(app: &App, org_id: &str, s: PolicySample) -> Result<PolicyTestResult, AppError> {
    let kind = Kind::parse(&s.kind).ok_or_else(|| {
        AppError::invalid_field("kind", "one of approval, takeover, assist, agent")
    })?;
    let source = match s.source.as_deref() {
        None => Source::Router,
        Some(v) => Source::parse(v).ok_or_else(|| {
            AppError::invalid_field(
                "source",
                "one of workflow_terminal, router, policy, operator",
            )
        })?,
    };
    let priority = s.priority.unwrap_or_else(|| "medium".into());
    if !URGENCIES.contains(&priority.as_str()) {
        return Err(AppError::invalid_field(
            "priority",
            "one of low, medium, high, urgent",
        ));
    }
    let packet: Packet = match s.packet {
        None => Packet {
            static_text: String::new(),
            reason: None,
            context_vars: Map::new(),
            summary: None,
            transcript_ptr: None,
            transfer_to: None,
            transfer_label: None,
        },
        // A sample packet is held to a real packet's bounds before any condition
        // sees it; only its headline may be left blank (the admin page's test box).
        Some(v) => {
            let packet: Packet = serde_json::from_value(v)
                .map_err(|e| AppError::invalid_field("packet", e.to_string()))?;
            let blank_headline = packet.static_text.trim().is_empty();
            let problems: Vec<FieldError> = packet
                .validate("packet")
                .into_iter()
                .filter(|p| !(blank_headline && p.field == "packet.static_text"))
                .map(|p| FieldError {
                    field: p.field,
                    message: p.message,
                })
                .collect();
            if !problems.is_empty() {
                return Err(AppError::invalid(problems));
            }
            packet
        }
    };
    too_long("approver_role", s.approver_role.as_deref(), REF_MAX)?;
    too_long("subject_ref", s.subject_ref.as_deref(), REF_MAX)?;
    if let Some(p) = &s.payload {
        super::approvals::check_payload("payload", p)?;
    }
    let approval = (kind == Kind::Approval).then(|| Approval {
        subject_kind: s
            .subject_kind
            .as_deref()
            .and_then(SubjectKind::parse)
            .unwrap_or(SubjectKind::ToolCall),
        subject_ref: s.subject_ref.clone().unwrap_or_default(),
        payload: s.payload.clone().unwrap_or_default(),
        approver_role: s.approver_role.clone(),
        suspend_message: None,
        timeout_at: None,
        node: None,
        decision_note: None,
        decided_by: None,
        decided_at: None,
        decided_payload: None,
        response_schema: None,
        answer: None,
        ..Approval::default()
    });
    let mut h = Handoff::new(new_id(), &now(), org_id, kind, source, packet, None);
    h.priority = priority;
    let at = s.at.unwrap_or_else(Utc::now);
    too_long("requester", s.requester.as_deref(), REF_MAX)?;
    let setup = super::setup::current(app, org_id).await?;
    let out = decide(&setup, &h, approval.as_ref(), s.requester.as_deref(), at);
    let actions = out.policy.as_ref().map(|p| p.2.clone()).unwrap_or_default();
    let chain_name = match &out.chain_id {
        Some(id) => app.store.chain(org_id, id).await?.map(|c| c.name),
        None => Some(Chain::built_in(None).name),
    };
    Ok(PolicyTestResult {
        matched: out.policy.as_ref().map(|p| json!({"id": p.0, "name": p.1})),
        chain_id: out.chain_id,
        chain_name,
        priority: actions.priority.clone().unwrap_or(h.priority.clone()),
        auto_resolve: actions
            .auto_resolve
            .filter(|a| a.applies_to(kind))
            .map(|a| {
                serde_json::to_value(a)
                    .expect("serializes")
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            }),
        expire_after_seconds: actions.expire_after_seconds,
        four_eyes: actions.four_eyes.filter(|_| kind == Kind::Approval),
        required_approvals: actions
            .required_approvals
            .filter(|_| kind == Kind::Approval),
        approver_role: actions
            .approver_role
            .clone()
            .filter(|_| kind == Kind::Approval),
        errors: out
            .errors
            .iter()
            .map(|(id, e)| json!({"policy_id": id, "error": e}))
            .collect(),
        variables: {
            let mut v = routing::vars(
                kind,
                source,
                &h.priority,
                &h.packet,
                approval.as_ref(),
                at,
                orgs::time_zone(app, org_id).await?,
            );
            routing::set_requester(&mut v, s.requester.as_deref());
            v
        },
    })
}
