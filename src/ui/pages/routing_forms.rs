//! `/admin/routing`'s chain, rotation and time-zone forms turned into the
//! same service calls as the REST API. Blank rows are left out, times are
//! read in the organization's zone, and the service's field errors are
//! renamed to the form's rows (`steps[2].wait_minutes`, `overrides[1].ends_at`).

use super::admin_routing::filled;
use crate::domain::records::Operator;
use crate::domain::routing::{Override, Step, Target};
use crate::domain::zone;
use crate::error::{AppError, FieldError};
use crate::service::admin::require_admin;
use crate::service::routing::{self, ChainInput, RotationInput};
use crate::service::App;
use crate::ui::types::{OverrideForm, StepForm};

/// Renames the service's field names to the form's (`steps[0].wait_seconds`
/// of the kept rows → `steps[2].wait_minutes` of the form) and says them all
/// in the message, which the page shows next to the form.
fn form_fields(mut e: AppError, rename: impl Fn(&str) -> String) -> AppError {
    for f in &mut e.fields {
        f.field = rename(&f.field);
    }
    if !e.fields.is_empty() {
        e.message = e
            .fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ");
    }
    e
}

/// `list[3].rest` → `list[rows[3]].rest`: positions among the kept rows back to form rows.
fn renumber(field: &str, list: &str, rows: &[usize]) -> String {
    let prefix = format!("{list}[");
    let Some(rest) = field.strip_prefix(&prefix) else {
        return field.to_string();
    };
    let Some((n, tail)) = rest.split_once(']') else {
        return field.to_string();
    };
    match n.parse::<usize>().ok().and_then(|i| rows.get(i)) {
        Some(row) => format!("{list}[{row}]{tail}"),
        None => field.to_string(),
    }
}

const WAIT_MAX_MINUTES: i64 = 7 * 24 * 60;

/// The chain form: an empty `id` creates. Step rows with neither a wait nor a
/// target are left out (the form always offers a spare one).
pub struct ChainFormInput {
    pub id: String,
    pub name: String,
    pub repeat: String,
    pub steps: Vec<StepForm>,
}

pub async fn save_chain(app: &App, me: &Operator, f: ChainFormInput) -> Result<(), AppError> {
    require_admin(me)?;
    let mut problems = Vec::new();
    let repeat = match f.repeat.trim() {
        "" => 0,
        r => r.parse::<u32>().unwrap_or_else(|_| {
            problems.push(FieldError::new("repeat", "a whole number from 0 to 10"));
            0
        }),
    };
    let mut rows = Vec::new();
    let mut steps = Vec::new();
    for (i, st) in f.steps.iter().enumerate() {
        let wait = st.wait_minutes.trim();
        if wait.is_empty() && st.targets.is_empty() {
            continue;
        }
        let wait_seconds = match wait.parse::<f64>() {
            Ok(m) if m.is_finite() && m > 0.0 => (m * 60.0).round() as i64,
            _ => {
                problems.push(FieldError::new(
                    format!("steps[{i}].wait_minutes"),
                    format!("minutes from 1 to {WAIT_MAX_MINUTES}"),
                ));
                0
            }
        };
        let mut targets = Vec::new();
        for v in &st.targets {
            match target_of(v) {
                Some(t) => targets.push(t),
                None => problems.push(FieldError::new(
                    format!("steps[{i}].targets"),
                    "an operator, a role, a rotation's on call or everyone",
                )),
            }
        }
        rows.push(i);
        steps.push(Step {
            targets,
            wait_seconds,
        });
    }
    if !problems.is_empty() {
        return Err(form_fields(AppError::invalid(problems), str::to_string));
    }
    let input = ChainInput {
        name: f.name,
        steps,
        repeat,
    };
    let org = &me.organization_id;
    let saved = match filled(&f.id) {
        None => routing::create_chain(app, org, input).await,
        Some(id) => routing::update_chain(app, org, &id, input).await,
    };
    saved.map(|_| ()).map_err(|mut e| {
        for f in &mut e.fields {
            let field = renumber(&f.field, "steps", &rows);
            if field == "steps" {
                f.message = "one to ten steps, each with a wait and someone to notify".into();
            } else if let Some((step, _)) = field.split_once(".targets") {
                // "steps[1].targets[2].operator": the row's target boxes.
                f.field = format!("{step}.targets");
                continue;
            } else if field.ends_with(".wait_seconds") {
                f.field = field.replace(".wait_seconds", ".wait_minutes");
                f.message = format!("minutes from 1 to {WAIT_MAX_MINUTES}");
                continue;
            }
            f.field = field;
        }
        form_fields(e, str::to_string)
    })
}

pub async fn delete_chain(app: &App, me: &Operator, id: &str) -> Result<(), AppError> {
    require_admin(me)?;
    routing::delete_chain(app, &me.organization_id, id).await
}

/// The rotation form: an empty `id` creates. Times are wall-clock times in
/// the organization's zone; empty turn-order and override rows are left out.
pub struct RotationFormInput {
    pub id: String,
    pub name: String,
    pub operators: Vec<String>,
    pub starts_at: String,
    pub overrides: Vec<OverrideForm>,
}

pub async fn save_rotation(app: &App, me: &Operator, f: RotationFormInput) -> Result<(), AppError> {
    require_admin(me)?;
    let org = &me.organization_id;
    let tz = crate::service::orgs::time_zone(app, org).await?;
    let mut problems = Vec::new();
    let example = format!("a date and time in {}, e.g. 2026-11-23T09:00", tz.name());
    let mut read = |field: String, v: &str| {
        let t = zone::read_input(v, tz);
        if t.is_none() {
            problems.push(FieldError::new(field, example.clone()));
        }
        t.unwrap_or_default()
    };
    let starts_at = read("starts_at".into(), &f.starts_at);
    let (op_rows, operators): (Vec<usize>, Vec<String>) = f
        .operators
        .iter()
        .enumerate()
        .filter(|(_, o)| !o.trim().is_empty())
        .map(|(i, o)| (i, o.trim().to_string()))
        .unzip();
    let mut ov_rows = Vec::new();
    let mut overrides = Vec::new();
    for (i, o) in f.overrides.iter().enumerate() {
        if o.operator_id.trim().is_empty()
            && o.starts_at.trim().is_empty()
            && o.ends_at.trim().is_empty()
        {
            continue;
        }
        let starts_at = read(format!("overrides[{i}].starts_at"), &o.starts_at);
        let ends_at = read(format!("overrides[{i}].ends_at"), &o.ends_at);
        ov_rows.push(i);
        overrides.push(Override {
            operator_id: o.operator_id.trim().to_string(),
            starts_at,
            ends_at,
        });
    }
    if !problems.is_empty() {
        return Err(form_fields(AppError::invalid(problems), str::to_string));
    }
    let input = RotationInput {
        name: f.name,
        operators,
        starts_at,
        overrides,
    };
    let saved = match filled(&f.id) {
        None => routing::create_rotation(app, org, input).await,
        Some(id) => routing::update_rotation(app, org, &id, input).await,
    };
    saved.map(|_| ()).map_err(|e| {
        form_fields(e, |field| {
            renumber(
                &renumber(field, "operators", &op_rows),
                "overrides",
                &ov_rows,
            )
        })
    })
}

pub async fn delete_rotation(app: &App, me: &Operator, id: &str) -> Result<(), AppError> {
    require_admin(me)?;
    routing::delete_rotation(app, &me.organization_id, id).await
}

/// The organization's time zone as typed on the page (422 naming `time_zone`).
pub async fn save_time_zone(app: &App, me: &Operator, name: &str) -> Result<(), AppError> {
    require_admin(me)?;
    crate::service::orgs::set_time_zone(app, &me.organization_id, name)
        .await
        .map(|_| ())
}

fn target_of(v: &str) -> Option<Target> {
    if v == "everyone" {
        return Some(Target::Everyone);
    }
    let (kind, rest) = v.split_once(':')?;
    match kind {
        "operator" => Some(Target::Operator(rest.to_string())),
        "role" => Some(Target::Role(rest.to_string())),
        "on_call" => Some(Target::OnCall(rest.to_string())),
        _ => None,
    }
}
