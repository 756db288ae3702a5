//! One-tap Approve / Deny links in approval emails: `/m/<id>/decide?t=<token>`.
//!
//! token = base64url(version 2 | handoff id | operator id | expiry | nonce |
//! action | mac), mac = HMAC-SHA256(the link key, everything before it). The
//! version byte is signed and the length differs from an open link's (version
//! 1, `links`), so neither kind of token passes for the other. The Approve and
//! Deny links of one email share their nonce: whichever is used first spends
//! both.
//!
//! Opening the link (GET) only checks it and shows a confirm page, so a mail
//! scanner that fetches every link decides nothing; the decision is the POST
//! from that page, which spends the nonce in the decision's transaction.

use super::approvals::{self, DecisionInput, Via};
use super::{parse_id, random_bytes, App};
use crate::domain::approval::Approval;
use crate::domain::link::LinkProblem;
use crate::domain::records::Operator;
use crate::domain::{Actor, Handoff, Kind};
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

const VERSION: u8 = 2;
const BODY_LEN: usize = 1 + 16 + 16 + 8 + 16 + 1;
const TOKEN_LEN: usize = BODY_LEN + 32;
const APPROVE: u8 = 1;
const DENY: u8 = 2;

fn mac(key: &[u8], body: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(body);
    m
}

/// The two links of one email.
#[derive(Clone, Debug)]
pub struct Pair {
    pub approve: String,
    pub deny: String,
}

/// Signs the Approve and Deny links for `operator_id` on `handoff_id`, valid
/// for `ttl_seconds`, sharing one nonce.
pub fn sign_pair(
    app: &App,
    handoff_id: &str,
    operator_id: &str,
    ttl_seconds: i64,
) -> Result<Pair, AppError> {
    let h = Uuid::parse_str(handoff_id).map_err(|_| AppError::not_found("handoff"))?;
    let o = Uuid::parse_str(operator_id).map_err(|_| AppError::not_found("operator"))?;
    let expires = chrono::Utc::now().timestamp() + ttl_seconds;
    let nonce = random_bytes::<16>();
    let link = |action: u8| {
        let mut token = Vec::with_capacity(TOKEN_LEN);
        token.push(VERSION);
        token.extend_from_slice(h.as_bytes());
        token.extend_from_slice(o.as_bytes());
        token.extend_from_slice(&expires.to_be_bytes());
        token.extend_from_slice(&nonce);
        token.push(action);
        let tag = mac(app.link_key(), &token).finalize().into_bytes();
        token.extend_from_slice(&tag);
        format!(
            "{}/m/{}/decide?t={}",
            app.config.public_base(),
            handoff_id,
            URL_SAFE_NO_PAD.encode(&token)
        )
    };
    Ok(Pair {
        approve: link(APPROVE),
        deny: link(DENY),
    })
}

/// Whether this approval may be decided with one tap: still waiting, and
/// asking for no typed answer (that needs the full page's form).
pub fn offered(h: &Handoff, a: &Approval) -> bool {
    h.kind == Kind::Approval && h.state.is_for_operators() && a.response_schema.is_none()
}

/// A decide link that checked out, not yet spent.
pub struct ValidDecideLink {
    pub handoff: Handoff,
    pub approval: Approval,
    pub operator: Operator,
    pub approve: bool,
    pub nonce: String,
    pub expires_at: i64,
}

struct Claims {
    handoff_id: String,
    operator_id: String,
    expires_at: i64,
    nonce: String,
    approve: bool,
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
    let approve = match body[57] {
        APPROVE => true,
        DENY => false,
        _ => return Err(LinkProblem::Tampered),
    };
    Ok(Claims {
        handoff_id: uuid(&body[1..17]).map_err(|_| LinkProblem::Tampered)?,
        operator_id: uuid(&body[17..33]).map_err(|_| LinkProblem::Tampered)?,
        expires_at: i64::from_be_bytes(body[33..41].try_into().expect("8 bytes")),
        nonce: hex::encode(&body[41..57]),
        approve,
    })
}

/// Everything but spending it: signature, target, expiry, tenancy, reuse, and
/// whether the approval still waits for a decision.
pub async fn check(
    app: &App,
    path_id: &str,
    token: &str,
) -> Result<Result<ValidDecideLink, LinkProblem>, AppError> {
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
    let handoff = app.store.handoff_any_org(&claims.handoff_id).await?;
    let Some(handoff) = handoff.filter(|h| h.kind == Kind::Approval) else {
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
    if !handoff.state.is_for_operators() {
        return Ok(Err(LinkProblem::Finished {
            state: handoff.state.as_str().to_string(),
        }));
    }
    let Some(approval) = approvals::of_handoff(app, &handoff.id).await? else {
        return Ok(Err(LinkProblem::Foreign));
    };
    Ok(Ok(ValidDecideLink {
        handoff,
        approval,
        operator,
        approve: claims.approve,
        nonce: claims.nonce,
        expires_at: claims.expires_at,
    }))
}

/// Seconds left before a checked link expires.
pub fn seconds_left(link: &ValidDecideLink) -> i64 {
    (link.expires_at - chrono::Utc::now().timestamp()).max(0)
}

/// The POST from the confirm page: decides as the link's operator through the
/// same use case as the page and the API (roles, four-eyes, quorum), spending
/// the link in the same transaction. A link problem is `Ok(Err(_))`; a refusal
/// of the decision (four-eyes, role, no reason for a deny) is `Err` and leaves
/// the link unspent.
pub async fn decide(
    app: &App,
    path_id: &str,
    token: &str,
    note: Option<String>,
) -> Result<Result<(Handoff, Approval), LinkProblem>, AppError> {
    let link = match check(app, path_id, token).await? {
        Ok(l) => l,
        Err(p) => return Ok(Err(p)),
    };
    let input = DecisionInput {
        approve: link.approve,
        note,
        payload: None,
        subject_kind: None,
        subject_ref: None,
        answer: None,
    };
    let via = Via {
        channel: Some("email_link"),
        nonce: Some(link.nonce.clone()),
    };
    let org = link.handoff.organization_id.clone();
    let result = approvals::decide_via(
        app,
        &org,
        &link.handoff.id,
        Actor::Operator(link.operator.id.clone()),
        input,
        via,
    )
    .await;
    match result {
        Ok(done) => Ok(Ok(done)),
        Err(e) if e.reason.as_deref() == Some("link_used") => Ok(Err(LinkProblem::Used)),
        Err(e)
            if matches!(
                e.reason.as_deref(),
                Some("handoff_finished" | "invalid_transition")
            ) =>
        {
            let state = app
                .store
                .handoff_any_org(&link.handoff.id)
                .await?
                .map_or("closed".to_string(), |h| h.state.as_str().to_string());
            Ok(Err(LinkProblem::Finished { state }))
        }
        Err(e) => Err(e),
    }
}
