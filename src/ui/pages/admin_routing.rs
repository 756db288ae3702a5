//! `/admin/routing` for operators with the `admin` role: the same service
//! calls as the REST API, with the policy list edited one entry at a time.
//! The chain, rotation and time-zone forms are in `routing_forms.rs`.

use crate::domain::records::Operator;
use crate::domain::routing::{Actions, AutoResolve, Target};
use crate::domain::zone;
use crate::error::AppError;
use crate::service::admin::{require_admin, SIGNED_OUT};
use crate::service::routing::{self, PolicyInput, PolicySample, SettingsInput};
use crate::service::App;
use crate::ui::types::{
    ChainRow, Named, OverrideForm, PolicyRow, PolicyTestView, RotationRow, RoutingView, StepForm,
    StepWords,
};
use std::collections::HashMap;

pub async fn screen_for(app: &App, cookie_header: &str) -> Result<RoutingView, AppError> {
    let me =
        crate::service::sessions::operator_from_cookies(app, cookie_header, SIGNED_OUT).await?;
    screen(app, &me).await
}

pub async fn screen(app: &App, me: &Operator) -> Result<RoutingView, AppError> {
    require_admin(me)?;
    let org = &me.organization_id;
    let tz = crate::service::orgs::time_zone(app, org).await?;
    let operators = crate::service::orgs::operators(app, org).await?;
    let mut roles: Vec<String> = operators.iter().flat_map(|o| o.roles.clone()).collect();
    roles.sort();
    roles.dedup();
    let ops: HashMap<String, String> = operators
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    let person = |id: &str| Named {
        id: id.to_string(),
        name: ops.get(id).cloned().unwrap_or_else(|| "(removed)".into()),
    };
    let chains = routing::chains(app, org).await?;
    let rotations = routing::rotations(app, org).await?;
    let chain_name = |id: &str| {
        chains
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| "(removed chain)".to_string(), |c| c.name.clone())
    };
    let rotation_name = |id: &str| {
        rotations
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| "(removed rotation)".to_string(), |r| r.name.clone())
    };
    let policies = routing::policies(app, org)
        .await?
        .into_iter()
        .map(|p| PolicyRow {
            actions: describe(&p.actions, &chain_name),
            name: p.name,
            condition: p.condition,
        })
        .collect();
    let chain_rows = chains
        .iter()
        .map(|c| ChainRow {
            id: c.id.clone(),
            name: c.name.clone(),
            repeat: c.repeat,
            steps: c
                .steps
                .iter()
                .map(|st| StepWords {
                    wait: duration(st.wait_seconds),
                    targets: st
                        .targets
                        .iter()
                        .map(|t| match t {
                            Target::Operator(id) => person(id),
                            Target::Role(r) => Named {
                                id: String::new(),
                                name: format!("everyone with role {r}"),
                            },
                            Target::OnCall(id) => Named {
                                id: id.clone(),
                                name: format!("on call of {}", rotation_name(id)),
                            },
                            Target::Everyone => Named {
                                id: String::new(),
                                name: "everyone".into(),
                            },
                        })
                        .collect(),
                })
                .collect(),
            form: c
                .steps
                .iter()
                .map(|st| StepForm {
                    wait_minutes: minutes(st.wait_seconds),
                    targets: st.targets.iter().map(target_value).collect(),
                })
                .collect(),
        })
        .collect();
    let rotation_rows = rotations
        .iter()
        .map(|r| {
            let starts = parse_time(&r.starts_at);
            RotationRow {
                id: r.id.clone(),
                name: r.name.clone(),
                operators: r.operators.iter().map(|o| person(o)).collect(),
                on_call_now: r.on_call_now.as_deref().map(person),
                handover: starts.map_or_else(String::new, |t| {
                    let local = t.with_timezone(&tz);
                    format!(
                        "weekly, {}s {} (from {})",
                        local.format("%A"),
                        local.format("%H:%M %Z"),
                        zone::show(t, tz, false)
                    )
                }),
                starts_at: starts.map_or_else(String::new, |t| zone::input_value(t, tz)),
                override_words: r
                    .overrides
                    .iter()
                    .map(|o| {
                        format!(
                            "{}: {} → {}",
                            person(&o.operator_id).name,
                            zone::show(o.starts_at, tz, false),
                            zone::show(o.ends_at, tz, false)
                        )
                    })
                    .collect(),
                overrides: r
                    .overrides
                    .iter()
                    .map(|o| OverrideForm {
                        operator_id: o.operator_id.clone(),
                        starts_at: zone::input_value(o.starts_at, tz),
                        ends_at: zone::input_value(o.ends_at, tz),
                    })
                    .collect(),
            }
        })
        .collect();
    let s = routing::settings(app, org).await?;
    Ok(RoutingView {
        policies,
        chains: chain_rows,
        rotations: rotation_rows,
        default_chain_id: s.default_chain_id,
        slack_webhook_url: s.slack_webhook_url,
        time_zone: tz.name().to_string(),
        zone_now: chrono::Utc::now()
            .with_timezone(&tz)
            .format("%Z")
            .to_string(),
        operators: operators
            .iter()
            .map(|o| Named {
                id: o.id.clone(),
                name: o.name.clone(),
            })
            .collect(),
        roles,
    })
}

fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// A step's wait as the form shows it (whole minutes where it is, else a fraction).
fn minutes(secs: i64) -> String {
    if secs % 60 == 0 {
        (secs / 60).to_string()
    } else {
        format!("{:.2}", secs as f64 / 60.0)
    }
}

/// A target as a form value: `operator:<id>`, `role:<name>`, `on_call:<id>`, `everyone`.
fn target_value(t: &Target) -> String {
    match t {
        Target::Operator(id) => format!("operator:{id}"),
        Target::Role(r) => format!("role:{r}"),
        Target::OnCall(id) => format!("on_call:{id}"),
        Target::Everyone => "everyone".into(),
    }
}

fn duration(secs: i64) -> String {
    match secs {
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn describe(a: &Actions, chain_name: &dyn Fn(&str) -> String) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &a.route {
        parts.push(format!("route to {}", chain_name(r)));
    }
    if let Some(p) = &a.priority {
        parts.push(format!("priority {p}"));
    }
    if let Some(r) = a.auto_resolve {
        parts.push(
            match r {
                AutoResolve::Approve => "approve without a person",
                AutoResolve::Deny => "deny without a person",
                AutoResolve::Resolve => "resolve without a person",
            }
            .to_string(),
        );
    }
    if let Some(s) = a.expire_after_seconds {
        parts.push(format!("expire after {}", duration(s)));
    }
    if let Some(r) = &a.approver_role {
        parts.push(format!("decided by the role {r}"));
    }
    if a.four_eyes == Some(true) {
        parts.push("four-eyes".to_string());
    }
    if let Some(n) = a.required_approvals.filter(|n| *n > 1) {
        parts.push(format!("{n} approvals needed"));
    }
    if parts.is_empty() {
        "nothing (stops later policies from matching)".into()
    } else {
        parts.join(", ")
    }
}

/// A form field: empty means "not given".
pub(super) fn filled(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn current(app: &App, org: &str) -> Result<Vec<PolicyInput>, AppError> {
    Ok(routing::policies(app, org)
        .await?
        .into_iter()
        .map(|p| PolicyInput {
            name: p.name,
            condition: p.condition,
            actions: p.actions,
        })
        .collect())
}

/// The add-a-policy form; empty fields mean "no such action".
pub struct PolicyForm {
    pub name: String,
    pub condition: String,
    pub route: String,
    pub priority: String,
    pub auto_resolve: String,
    pub expire_after_seconds: String,
    /// Approvals: who decides (replaces the agent's role).
    pub approver_role: String,
    /// Approvals: `true` for four-eyes; empty leaves the agent's choice.
    pub four_eyes: String,
    /// Approvals: 1 to 10 approvals decide; empty leaves the agent's number.
    pub required_approvals: String,
}

/// Appends a policy (last = lowest precedence). Errors name the form's fields.
pub async fn add_policy(app: &App, me: &Operator, f: PolicyForm) -> Result<(), AppError> {
    require_admin(me)?;
    let expire = match filled(&f.expire_after_seconds) {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            AppError::invalid_field("expire_after_seconds", "a whole number of seconds")
        })?),
    };
    let auto_resolve = match f.auto_resolve.trim() {
        "" => None,
        "approve" => Some(AutoResolve::Approve),
        "deny" => Some(AutoResolve::Deny),
        "resolve" => Some(AutoResolve::Resolve),
        _ => {
            return Err(AppError::invalid_field(
                "auto_resolve",
                "approve, deny, resolve or nothing",
            ))
        }
    };
    let required_approvals = match filled(&f.required_approvals) {
        None => None,
        Some(n) => Some(n.parse::<u32>().map_err(|_| {
            AppError::invalid_field("required_approvals", "a whole number from 1 to 10")
        })?),
    };
    let four_eyes = match f.four_eyes.trim() {
        "" | "false" => None,
        "true" => Some(true),
        _ => return Err(AppError::invalid_field("four_eyes", "true or nothing")),
    };
    let mut list = current(app, &me.organization_id).await?;
    let at = list.len();
    list.push(PolicyInput {
        name: f.name,
        condition: f.condition,
        actions: Actions {
            route: filled(&f.route),
            priority: filled(&f.priority),
            auto_resolve,
            expire_after_seconds: expire,
            four_eyes,
            required_approvals,
            approver_role: filled(&f.approver_role),
        },
    });
    routing::set_policies(app, &me.organization_id, list)
        .await
        .map(|_| ())
        .map_err(|mut e| {
            // "policies[3].actions.route" → "route": the form's own field names.
            let prefix = format!("policies[{at}].");
            for f in &mut e.fields {
                f.field = f.field.replace(&prefix, "").replace("actions.", "");
            }
            e.message = match e.fields.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                _ => e.message,
            };
            e
        })
}

/// Removes the policy at `index`, or moves it one place up.
pub async fn change_policy(
    app: &App,
    me: &Operator,
    index: usize,
    up: bool,
) -> Result<(), AppError> {
    require_admin(me)?;
    let mut list = current(app, &me.organization_id).await?;
    if index >= list.len() {
        return Err(AppError::not_found("policy"));
    }
    if up {
        if index > 0 {
            list.swap(index - 1, index);
        }
    } else {
        list.remove(index);
    }
    routing::set_policies(app, &me.organization_id, list)
        .await
        .map(|_| ())
}

pub async fn save_settings(
    app: &App,
    me: &Operator,
    default_chain_id: &str,
    slack_webhook_url: &str,
) -> Result<(), AppError> {
    require_admin(me)?;
    routing::set_settings(
        app,
        &me.organization_id,
        &crate::service::security_log::by_operator(me),
        SettingsInput {
            default_chain_id: filled(default_chain_id),
            slack_webhook_url: filled(slack_webhook_url),
            time_zone: None,
        },
    )
    .await
    .map(|_| ())
}

/// The test box: a sample packet typed into the form.
pub struct SampleForm {
    pub kind: String,
    pub source: String,
    pub priority: String,
    pub approver_role: String,
    pub subject_ref: String,
    pub static_text: String,
    pub context: String,
    pub at: String,
}

pub async fn test(app: &App, me: &Operator, f: SampleForm) -> Result<PolicyTestView, AppError> {
    require_admin(me)?;
    let context: serde_json::Map<String, serde_json::Value> = match filled(&f.context) {
        None => Default::default(),
        Some(c) => serde_json::from_str(&c).map_err(|e| {
            AppError::invalid_field(
                "context",
                format!("a JSON object, e.g. {{\"amount\": 40}}: {e}"),
            )
        })?,
    };
    let tz = crate::service::orgs::time_zone(app, &me.organization_id).await?;
    let at = match filled(&f.at) {
        None => None,
        Some(a) => Some(zone::read_input(&a, tz).ok_or_else(|| {
            AppError::invalid_field(
                "at",
                format!("a date and time in {}, e.g. 2026-11-21T22:30", tz.name()),
            )
        })?),
    };
    let r = routing::test(
        app,
        &me.organization_id,
        PolicySample {
            kind: f.kind,
            source: filled(&f.source),
            priority: filled(&f.priority),
            packet: Some(serde_json::json!({
                "static_text": f.static_text,
                "context_vars": context,
            })),
            approver_role: filled(&f.approver_role),
            subject_kind: None,
            subject_ref: filled(&f.subject_ref),
            payload: None,
            at,
            requester: None,
        },
    )
    .await?;
    Ok(PolicyTestView {
        matched: r
            .matched
            .and_then(|m| m["name"].as_str().map(str::to_string)),
        route: r.chain_name.unwrap_or_else(|| "(removed chain)".into()),
        priority: r.priority,
        auto_resolve: r.auto_resolve,
        expire_after_seconds: r.expire_after_seconds,
        approver_role: r.approver_role,
        four_eyes: r.four_eyes.unwrap_or(false),
        required_approvals: r.required_approvals,
        errors: r
            .errors
            .iter()
            .map(|e| e["error"].as_str().unwrap_or_default().to_string())
            .collect(),
    })
}
