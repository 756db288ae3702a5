//! The mobile page's data: link confirmation, problem screens, the handoff view.

use crate::domain::approval::Approval;
use crate::domain::link::LinkProblem;
use crate::domain::records::Operator;
use crate::domain::{Handoff, Kind};
use crate::error::AppError;
use crate::service::{approvals, audit, conversations, handoffs, links, parse_id, sessions, App};
use crate::ui::types::{
    ApprovalCard, AssistCard, AssistScreenInit, HandoffCard, Line, MobileScreen, MobileView,
};

pub async fn screen(
    app: &App,
    id: &str,
    token: Option<&str>,
    problem: Option<&str>,
    similar: Option<&str>,
    cookie_header: &str,
) -> Result<MobileScreen, AppError> {
    if let Some(token) = token {
        return Ok(match links::check(app, id, token).await? {
            Ok(link) => MobileScreen::Confirm {
                handoff_id: link.handoff.id.clone(),
                token: token.to_string(),
                kind: link.handoff.kind.as_str().to_string(),
                operator_name: link.operator.name.clone(),
                seconds_left: links::seconds_left(&link),
            },
            Err(p) => MobileScreen::Problem(p),
        });
    }
    if let Some(p) = problem {
        // Set by the open handler's redirect; it only selects which explanation to show.
        let p = match p {
            "expired" => LinkProblem::Expired,
            "used" => LinkProblem::Used,
            "foreign" => LinkProblem::Foreign,
            "taken" => LinkProblem::Taken,
            "finished" => LinkProblem::Finished {
                state: "closed".into(),
            },
            _ => LinkProblem::Tampered,
        };
        return Ok(MobileScreen::Problem(p));
    }
    let Some(session) = sessions::session(app, cookie_header).await? else {
        return Ok(MobileScreen::SignIn);
    };
    let Ok(id) = parse_id(id, "handoff") else {
        return Ok(MobileScreen::NotFound);
    };
    // A link session reaches its own handoff only; any other asks to sign in.
    if !session.reaches(&id) {
        return Ok(MobileScreen::SignIn);
    }
    let link_only = session.handoff_id.is_some();
    let operator = session.operator;
    let Some(h) = handoffs::find(app, &operator.organization_id, &id).await? else {
        return Ok(MobileScreen::NotFound);
    };
    let transcript = match &h.conversation_id {
        Some(cid) => conversations::page(app, cid, 0, TRANSCRIPT_MAX)
            .await?
            .into_iter()
            .map(line)
            .collect(),
        None => Vec::new(),
    };
    let mut similar_offer = None;
    let approval = match h.kind {
        Kind::Approval => match approvals::of_handoff(app, &h.id).await? {
            Some(a) => {
                similar_offer =
                    super::similar::offer(app, &operator, link_only, &h, &a, similar).await?;
                // Voters by name; read only when someone has voted.
                let names = match a.votes.is_empty() {
                    true => None,
                    false => {
                        Some(super::names::ActorNames::load(app, &operator.organization_id).await?)
                    }
                };
                let mut card = approval_card(&h, a, &operator, names.as_ref());
                // Approved on this page, it links to the offer the reloaded page makes.
                card.similar_link = !link_only
                    && h.state.is_open()
                    && crate::service::admin::require_admin(&operator).is_ok()
                    && card.subject_kind != "question"
                    && card.answer_field.is_none();
                Some(card)
            }
            None => None,
        },
        _ => None,
    };
    let assist = match h.kind {
        Kind::Assist => app
            .store
            .assist(&operator.organization_id, &h.id)
            .await?
            .map(assist_card),
        _ => None,
    };
    let events = audit::handoff_events(app, &operator.organization_id, &h.id).await?;
    let last_event_seq = events.last().map_or(0, |e| e.event.seq);
    let timeline = super::timeline::rows(app, &h, &events).await?;
    Ok(MobileScreen::Handoff(Box::new(MobileView {
        card: card(&h),
        transcript,
        operator_name: operator.name.clone(),
        operator_id: operator.id.clone(),
        approval,
        last_event_seq,
        timeline,
        link_only,
        assist,
        similar: similar_offer,
    })))
}

/// An assist's card: what the agent said, and where the screen island starts.
fn assist_card(r: crate::domain::records::AssistRecord) -> AssistCard {
    let v = r.viewport.unwrap_or(crate::domain::assist::Viewport {
        width: 1,
        height: 1,
    });
    AssistCard {
        interruption_type: r.interruption_type.replace('_', " "),
        domain: r.domain,
        url: r.url,
        question: r.question,
        agent_id: r.agent_id,
        screen: AssistScreenInit {
            handoff_id: r.handoff_id,
            input: r.input,
            // A purged capture has no frame to show.
            frame_seq: if r.purged_at.is_some() {
                0
            } else {
                r.frame_seq
            },
            viewport_width: v.width,
            viewport_height: v.height,
        },
    }
}

/// The most messages the page loads at once; older ones stay in the API.
pub const TRANSCRIPT_MAX: i64 = 500;

pub fn line(m: crate::domain::records::Message) -> Line {
    Line {
        seq: m.seq,
        author: m.author,
        content: m.content,
        created_at: m.created_at,
    }
}

fn readable(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn approval_card(
    h: &Handoff,
    a: Approval,
    operator: &Operator,
    names: Option<&super::names::ActorNames>,
) -> ApprovalCard {
    let progress = a.progress();
    let cannot_decide = a
        .missing_role(&operator.roles)
        .map(|role| {
            format!(
                "Deciding needs the `{role}` role, which you do not have. Ask someone who has it."
            )
        })
        .or_else(|| {
            a.own_request(&operator.id).then(|| {
                "Four-eyes: this is your own request, so another operator must decide it.".into()
            })
        })
        .or_else(|| {
            a.has_voted(&format!("operator:{}", operator.id)).then(|| {
                format!(
                    "You approved this ({}). It needs approvals from others too.",
                    progress.clone().unwrap_or_default()
                )
            })
        });
    ApprovalCard {
        quorum: progress,
        voters: a
            .votes
            .iter()
            .map(|v| names.map_or(v.voter.clone(), |n| n.actor(&v.voter)))
            .collect(),
        four_eyes: a.four_eyes,
        subject_kind: a.subject_kind.as_str().to_string(),
        subject_ref: a.subject_ref.clone(),
        payload: a
            .payload
            .iter()
            .map(|(k, v)| (k.clone(), readable(v)))
            .collect(),
        payload_json: serde_json::to_string_pretty(&a.payload).unwrap_or_default(),
        suspend_message: a.suspend_message.clone(),
        approver_role: a.approver_role.clone(),
        timeout_unix: a
            .timeout_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp()),
        decision: h.decision.clone(),
        decision_note: a.decision_note,
        decided_by: a.decided_by,
        cannot_decide,
        answer_field: a
            .response_schema
            .as_ref()
            .map(crate::domain::answer::AnswerField::for_schema),
        answer_hint: a.response_schema.as_ref().and_then(|s| {
            ["description", "title"]
                .iter()
                .find_map(|k| s.get(k).and_then(serde_json::Value::as_str))
                .map(str::to_string)
        }),
        answer: a.answer.as_ref().map(readable),
        similar_link: false,
    }
}

fn card(h: &Handoff) -> HandoffCard {
    HandoffCard {
        id: h.id.clone(),
        kind: h.kind.as_str().to_string(),
        state: h.state.as_str().to_string(),
        assignee: h.assignee.clone(),
        static_text: h.packet.static_text.clone(),
        reason: h.packet.reason.clone(),
        summary: h.packet.summary.clone(),
        context_vars: h
            .packet
            .context_vars
            .iter()
            .map(|(k, v)| (k.clone(), readable(v)))
            .collect(),
        transfer_label: h.packet.transfer_label.clone(),
        source: h.source.as_str().to_string(),
        created_at: h.created_at.clone(),
        up_to_seq: h.packet.transcript_ptr.as_ref().and_then(|p| p.up_to_seq),
        packet_json: serde_json::to_string_pretty(&h.packet).unwrap_or_default(),
    }
}
