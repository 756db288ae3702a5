//! Seed 003's leads: `POST /api/v1/leads` records the person a conversation
//! is with (a new conversation, or one the agent already has), and a later
//! `POST /api/v1/leads/{id}/handoff` escalates it. A lead is its
//! conversation: they share the id.

use super::{new_id, now, App};
use crate::domain::limits::{too_long, REF_MAX};
use crate::domain::records::{Conversation, Lead};
use crate::error::{AppError, FieldError};
use crate::store::StoreError;

/// What the agent says about the lead; every field optional.
#[derive(Default)]
pub struct NewLead {
    pub conversation_id: Option<String>,
    pub external_ref: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub source: Option<String>,
}

const EMAIL_MAX: usize = 254;
const PHONE_MAX: usize = 32;

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Every problem with the input, named by field.
fn check(l: &NewLead) -> Vec<FieldError> {
    let mut problems: Vec<FieldError> = [
        too_long("name", l.name.as_deref(), REF_MAX),
        too_long("source", l.source.as_deref(), REF_MAX),
        too_long("external_ref", l.external_ref.as_deref(), REF_MAX),
        too_long("email", l.email.as_deref(), EMAIL_MAX),
        too_long("phone", l.phone.as_deref(), PHONE_MAX),
    ]
    .into_iter()
    .filter_map(Result::err)
    .map(|p| FieldError::new(p.field, p.message))
    .collect();
    if let Some(e) = &l.email {
        let ok = e.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty() && b.contains('.') && !e.chars().any(char::is_whitespace)
        });
        if !ok && e.chars().count() <= EMAIL_MAX {
            problems.push(FieldError::new(
                "email",
                "an email address such as alex@example.com",
            ));
        }
    }
    if let Some(p) = &l.phone {
        let ok = p
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
        if !ok {
            problems.push(FieldError::new("phone", "digits, spaces, + - ( ) only"));
        }
    }
    if l.conversation_id.is_some() && l.external_ref.is_some() {
        problems.push(FieldError::new(
            "external_ref",
            "only for a new conversation; leave it out with `conversation_id`",
        ));
    }
    problems
}

pub async fn create(app: &App, org_id: &str, input: NewLead) -> Result<Lead, AppError> {
    let input = NewLead {
        conversation_id: input.conversation_id,
        external_ref: blank_to_none(input.external_ref),
        name: blank_to_none(input.name),
        email: blank_to_none(input.email).map(|e| e.to_lowercase()),
        phone: blank_to_none(input.phone),
        source: blank_to_none(input.source),
    };
    let problems = check(&input);
    if !problems.is_empty() {
        return Err(AppError::invalid(problems));
    }
    let t = now();
    let (id, conversation) = match &input.conversation_id {
        Some(cid) => (
            super::conversations::named(app, org_id, cid).await?.id,
            None,
        ),
        None => {
            let c = Conversation {
                id: new_id(),
                organization_id: org_id.to_string(),
                external_ref: input.external_ref.clone(),
                status: "active".into(),
                termination_reason: None,
                status_reason: None,
                last_seq: 0,
                head_hash: None,
                created_at: t.clone(),
                updated_at: t.clone(),
            };
            (c.id.clone(), Some(c))
        }
    };
    let lead = Lead {
        id,
        organization_id: org_id.to_string(),
        name: input.name,
        email: input.email,
        phone: input.phone,
        source: input.source,
        created_at: t,
    };
    match app.store.insert_lead(conversation.as_ref(), &lead).await {
        Err(StoreError::Duplicate) => Err(AppError::conflict(
            "lead_exists",
            "this conversation already has a lead",
        )),
        other => other.map(|_| lead).map_err(Into::into),
    }
}

pub async fn get(app: &App, org_id: &str, id: &str) -> Result<Lead, AppError> {
    app.store
        .lead(org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("lead"))
}
