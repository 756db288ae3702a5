//! "Approve similar" on the handoff page: offered to an admin (a password
//! session) on an approval a person approved; the preview and the outcome of
//! creating it come as the page's `?similar=` (plain links and forms).

use super::clock::Clock;
use super::names::ActorNames;
use crate::domain::approval::Approval;
use crate::domain::records::Operator;
use crate::domain::{similar, Handoff};
use crate::error::AppError;
use crate::service::App;
use crate::ui::types::{SimilarOffer, SimilarPreviewView, SimilarRow};

/// The most matches the preview lists (all are counted).
pub const ROWS_SHOWN: usize = 20;

/// The offer for `me` on this approval, or nothing: not an admin, a link
/// session (it reaches this handoff only), or not a model (see `may_offer`).
/// `asked` is the page's `?similar=`: `preview`, `created`, `exists`, `failed`.
pub async fn offer(
    app: &App,
    me: &Operator,
    link_only: bool,
    h: &Handoff,
    a: &Approval,
    asked: Option<&str>,
) -> Result<Option<SimilarOffer>, AppError> {
    let admin = crate::service::admin::require_admin(me).is_ok();
    if link_only || !admin || similar::may_offer(a, h.state, h.decision.as_deref()).is_err() {
        return Ok(None);
    }
    let mut offer = SimilarOffer {
        preview: None,
        created: None,
        problem: None,
    };
    match asked {
        Some("preview") => offer.preview = Some(preview(app, me, &h.id).await?),
        Some("created") => {
            offer.created = crate::service::similar::existing(app, me, &h.id).await?;
        }
        Some("exists") => {
            let name = crate::service::similar::existing(app, me, &h.id).await?;
            offer.problem = Some(match name {
                Some(n) => format!("The policy “{n}” already approves approvals like this."),
                None => "A policy already approves approvals like this.".into(),
            });
        }
        Some("failed") => {
            offer.problem = Some("The policy could not be created. Try again.".into());
        }
        _ => {}
    }
    Ok(Some(offer))
}

async fn preview(app: &App, me: &Operator, id: &str) -> Result<SimilarPreviewView, AppError> {
    let p = crate::service::similar::preview(app, me, id).await?;
    let names = ActorNames::load(app, &me.organization_id).await?;
    let clock = Clock::of(app, &me.organization_id).await?;
    let requester = p
        .model
        .requester
        .as_deref()
        .map(|label| match label.split_once(':') {
            Some(("api_key", _)) => format!("the {}", names.actor(label)),
            _ => names.actor(label),
        });
    let a = &p.model.approval;
    let count_of = |status: &str| p.matches.iter().filter(|m| m.status == status).count();
    let breakdown = ["approved", "denied", "pending", "expired", "cancelled"]
        .iter()
        .map(|s| (count_of(s), s))
        .filter(|(n, _)| *n > 0)
        .map(|(n, s)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(SimilarPreviewView {
        name: p.model.name.clone(),
        words: similar::words(a.subject_kind, &a.subject_ref, requester.as_deref()),
        condition: p.model.condition.clone(),
        examined: p.examined,
        count: p.matches.len(),
        breakdown,
        denied: count_of("denied"),
        earlier: p
            .matches
            .iter()
            .filter(|m| m.earlier_policy.is_some())
            .count(),
        existing: p.existing.clone(),
        rows: p
            .matches
            .iter()
            .take(ROWS_SHOWN)
            .map(|m| SimilarRow {
                id: m.id.clone(),
                subject_ref: m.subject_ref.clone(),
                status: m.status.clone(),
                when: clock.minute(&m.created_at),
                earlier_policy: m.earlier_policy.clone(),
            })
            .collect(),
    })
}
