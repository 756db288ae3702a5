//! Signed single-use operator links: `/m/<handoff_id>?t=<token>`.
//!
//! token = base64url(version | handoff id | operator id | expiry | nonce | mac),
//! mac = HMAC-SHA256(server key, everything before it). Checking a token never
//! consumes it; only `open()` does, inside the `opened` transition.

use super::{lifecycle, parse_id, random_bytes, sessions, App};
use crate::domain::lifecycle::Request;
use crate::domain::link::LinkProblem;
use crate::domain::records::Operator;
use crate::domain::{Actor, Event, Handoff, State};
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

const VERSION: u8 = 1;
const BODY_LEN: usize = 1 + 16 + 16 + 8 + 16;
const TOKEN_LEN: usize = BODY_LEN + 32;

fn mac(key: &[u8], body: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(body);
    m
}

/// Signs a link for `operator` to open `handoff_id`, valid for `ttl_seconds`.
pub fn sign(
    app: &App,
    handoff_id: &str,
    operator_id: &str,
    ttl_seconds: i64,
) -> Result<String, AppError> {
    let h = Uuid::parse_str(handoff_id).map_err(|_| AppError::not_found("handoff"))?;
    let o = Uuid::parse_str(operator_id).map_err(|_| AppError::not_found("operator"))?;
    let expires = chrono::Utc::now().timestamp() + ttl_seconds;
    let mut token = Vec::with_capacity(TOKEN_LEN);
    token.push(VERSION);
    token.extend_from_slice(h.as_bytes());
    token.extend_from_slice(o.as_bytes());
    token.extend_from_slice(&expires.to_be_bytes());
    token.extend_from_slice(&random_bytes::<16>());
    let tag = mac(app.link_key(), &token).finalize().into_bytes();
    token.extend_from_slice(&tag);
    Ok(format!(
        "{}/m/{}?t={}",
        app.config.public_base(),
        handoff_id,
        URL_SAFE_NO_PAD.encode(&token)
    ))
}

/// A token that checked out, not yet consumed.
pub struct ValidLink {
    pub handoff: Handoff,
    pub operator: Operator,
    pub nonce: String,
    pub expires_at: i64,
}

struct Claims {
    handoff_id: String,
    operator_id: String,
    expires_at: i64,
    nonce: String,
}

fn decode(app: &App, token: &str) -> Result<Claims, LinkProblem> {
    let raw = URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| LinkProblem::Tampered)?;
    if raw.len() != TOKEN_LEN || raw[0] != VERSION {
        return Err(LinkProblem::Tampered);
    }
    let (body, tag) = raw.split_at(BODY_LEN);
    mac(app.link_key(), body)
        .verify_slice(tag)
        .map_err(|_| LinkProblem::Tampered)?;
    let uuid = |b: &[u8]| Uuid::from_slice(b).map(|u| u.to_string());
    Ok(Claims {
        handoff_id: uuid(&body[1..17]).map_err(|_| LinkProblem::Tampered)?,
        operator_id: uuid(&body[17..33]).map_err(|_| LinkProblem::Tampered)?,
        expires_at: i64::from_be_bytes(body[33..41].try_into().expect("8 bytes")),
        nonce: hex::encode(&body[41..57]),
    })
}

/// Everything but consumption: signature, target, expiry, tenancy, reuse, state.
pub async fn check(
    app: &App,
    path_id: &str,
    token: &str,
) -> Result<Result<ValidLink, LinkProblem>, AppError> {
    let claims = match decode(app, token) {
        Ok(c) => c,
        Err(p) => return Ok(Err(p)),
    };
    if parse_id(path_id, "handoff").ok().as_deref() != Some(claims.handoff_id.as_str()) {
        return Ok(Err(LinkProblem::Foreign));
    }
    if claims.expires_at <= chrono::Utc::now().timestamp() {
        return Ok(Err(LinkProblem::Expired));
    }
    let Some(handoff) = app.store.handoff_any_org(&claims.handoff_id).await? else {
        return Ok(Err(LinkProblem::Foreign));
    };
    let operator = app.store.operator_by_id(&claims.operator_id).await?;
    let Some(operator) =
        operator.filter(|o| o.active && o.organization_id == handoff.organization_id)
    else {
        return Ok(Err(LinkProblem::Foreign));
    };
    if app.store.nonce_used(&claims.nonce).await? {
        return Ok(Err(LinkProblem::Used));
    }
    if let Some(problem) = state_problem(&handoff, &operator.id) {
        return Ok(Err(problem));
    }
    Ok(Ok(ValidLink {
        handoff,
        operator,
        nonce: claims.nonce,
        expires_at: claims.expires_at,
    }))
}

fn state_problem(h: &Handoff, operator_id: &str) -> Option<LinkProblem> {
    if h.state.is_terminal()
        || matches!(
            h.state,
            State::Solved | State::ResumeRequested | State::Resumed
        )
    {
        return Some(LinkProblem::Finished {
            state: h.state.as_str().to_string(),
        });
    }
    if h.state == State::Solving && h.assignee.as_deref() != Some(operator_id) {
        return Some(LinkProblem::Taken);
    }
    None
}

/// Consumes the link: the nonce, the `opened` transition and a new link
/// session (this handoff only, short-lived) in one transaction. Returns the
/// session token for the cookie; none when `signed_in` (the operator of the
/// browser's password session) is the link's operator: that session stays.
pub async fn open(
    app: &App,
    path_id: &str,
    token: &str,
    signed_in: Option<&str>,
) -> Result<Result<(Handoff, Option<String>), LinkProblem>, AppError> {
    let link = match check(app, path_id, token).await? {
        Ok(l) => l,
        Err(p) => return Ok(Err(p)),
    };
    let (session_token, grant) = if signed_in == Some(link.operator.id.as_str()) {
        (None, None)
    } else {
        let (t, g) = sessions::grant_for_link(app, &link.operator, &link.handoff.id).await?;
        (Some(t), Some(g))
    };
    let mut req = Request::new(Event::Open, Actor::Operator(link.operator.id.clone()));
    req.consume_nonce = Some(link.nonce.clone());
    req.data = serde_json::json!({ "via": "signed_link", "link_expires_at": link.expires_at });
    let result = lifecycle::transition(
        app,
        &link.handoff.organization_id,
        &link.handoff.id,
        req,
        lifecycle::Extras {
            session: grant,
            ..Default::default()
        },
    )
    .await;
    match result {
        Ok(h) => Ok(Ok((h, session_token))),
        Err(e) if e.reason.as_deref() == Some("link_used") => Ok(Err(LinkProblem::Used)),
        Err(e) if e.reason.as_deref() == Some("taken") => Ok(Err(LinkProblem::Taken)),
        Err(e) if e.code == crate::error::ErrorCode::Conflict => {
            // The state moved between the check and the write: show what it is now.
            let now_h = app
                .store
                .handoff_any_org(&link.handoff.id)
                .await?
                .unwrap_or(link.handoff);
            Ok(Err(
                state_problem(&now_h, &link.operator.id).unwrap_or(LinkProblem::Used)
            ))
        }
        Err(e) => Err(e),
    }
}

/// Seconds left before a checked link expires (for the "tap to open" page).
pub fn seconds_left(link: &ValidLink) -> i64 {
    (link.expires_at - chrono::Utc::now().timestamp()).max(0)
}
