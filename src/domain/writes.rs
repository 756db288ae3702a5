//! Finished rows: everything one change writes, decided and built here so the
//! store only has to write it (in one transaction) and chain the audit row.
//! Ids and the clock come from the caller; nothing here does I/O.

use super::approval::{Approval, Decision};
use super::audit::{
    answer_digest, approval_digest, attach_content, canonical_json, chain_hash, chain_hash_parts,
    decision_digest, json_string, json_text, packet_digest, vote_digest, AuditEvent, ChainedEvent,
    GENESIS,
};
use super::lifecycle::{Actor, ConversationEffect, Handoff, Plan, MESSAGE_TOPIC};
use super::records::{
    AgentDetails, AssistRecord, Conversation, Message, NewMessage, SealedFrame, SealedState,
    SessionGrant, Timer,
};
use serde_json::{json, Value};

/// An audit row before the store gives it its place in the chain.
#[derive(Clone, Debug)]
pub struct EventDraft {
    pub id: String,
    pub organization_id: String,
    pub handoff_id: String,
    pub event: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub data: Value,
    pub created_at: String,
}

impl EventDraft {
    /// The row as it follows `prev_seq` / `prev_hash` in its organization's chain.
    pub fn seal(&self, prev_seq: i64, prev_hash: &str) -> ChainedEvent {
        let event = AuditEvent {
            id: self.id.clone(),
            organization_id: self.organization_id.clone(),
            seq: prev_seq + 1,
            handoff_id: self.handoff_id.clone(),
            event: self.event.clone(),
            from_state: self.from_state.clone(),
            to_state: self.to_state.clone(),
            actor: self.actor.clone(),
            data: self.data.clone(),
            created_at: self.created_at.clone(),
        };
        let hash = chain_hash(prev_hash, &event.canonical());
        ChainedEvent {
            event,
            prev_hash: prev_hash.to_string(),
            hash,
        }
    }

    /// Everything of the sealed row that does not depend on its place in the
    /// chain, worked out before SQLite's single writer takes the write: the
    /// writer then only hashes known bytes around the seq it reads.
    pub fn prepare(&self) -> PreparedEvent {
        let s = json_string;
        // The keys of `AuditEvent::canonical` in their sorted order; `seq`
        // falls between `organization_id` and `to_state`.
        let before_seq = format!(
            "{{\"actor\":{},\"created_at\":{},\"data\":{},\"event\":{},\"from_state\":{},\
             \"handoff_id\":{},\"id\":{},\"organization_id\":{},\"seq\":",
            s(&self.actor),
            s(&self.created_at),
            canonical_json(&self.data),
            s(&self.event),
            self.from_state
                .as_deref()
                .map_or_else(|| "null".to_string(), s),
            s(&self.handoff_id),
            s(&self.id),
            s(&self.organization_id),
        );
        PreparedEvent {
            before_seq,
            after_seq: format!(",\"to_state\":{}}}", s(&self.to_state)),
            data_json: json_text(&self.data),
        }
    }
}

/// An [`EventDraft`]'s canonical JSON split around its seq, and its `data` as
/// stored (`EventDraft::prepare`).
#[derive(Clone, Debug)]
pub struct PreparedEvent {
    before_seq: String,
    after_seq: String,
    pub data_json: String,
}

impl PreparedEvent {
    /// The chain hash of the draft sealed at `seq` after `prev_hash`: the hash
    /// `EventDraft::seal(seq - 1, prev_hash)` gives.
    pub fn hash(&self, seq: i64, prev_hash: &str) -> String {
        let seq = seq.to_string();
        chain_hash_parts(
            prev_hash,
            &[
                self.before_seq.as_bytes(),
                seq.as_bytes(),
                self.after_seq.as_bytes(),
            ],
        )
    }
}

/// One outbox row: the finished payload that webhooks, push and streams carry.
#[derive(Clone, Debug)]
pub struct OutboxEntry {
    pub id: String,
    pub organization_id: String,
    pub event_id: String,
    pub handoff_id: Option<String>,
    pub conversation_id: Option<String>,
    /// Delivered in order within this key (the handoff, or the conversation).
    pub ordering_key: String,
    /// Position within the key: the message seq; for a lifecycle event the
    /// store sets the audit seq it chains the event at.
    pub seq: i64,
    pub topic: String,
    pub payload: String,
    pub created_at: String,
}

/// The outbox row of a lifecycle event (webhook payload of seed 000/001
/// topics, with seed 004's fields in `data`). `human_since`: when a person
/// first had the handoff (for a solved step's `human_assist_seconds`).
pub fn lifecycle_outbox(
    event: &EventDraft,
    topic: &str,
    outbox_id: String,
    h: &Handoff,
    human_since: Option<&str>,
) -> OutboxEntry {
    let data = super::seed_fields::payload_data(
        topic,
        h,
        &event.actor,
        &event.data,
        &event.created_at,
        human_since,
    );
    let payload = json!({
        "event_id": event.id,
        "type": topic,
        "organization_id": event.organization_id,
        "handoff_id": event.handoff_id,
        "state": event.to_state,
        "actor": event.actor,
        "data": data,
        "occurred_at": event.created_at,
    });
    OutboxEntry {
        id: outbox_id,
        organization_id: event.organization_id.clone(),
        event_id: event.id.clone(),
        handoff_id: Some(event.handoff_id.clone()),
        conversation_id: None,
        ordering_key: event.handoff_id.clone(),
        seq: 0,
        topic: topic.to_string(),
        payload: json_text(&payload),
        created_at: event.created_at.clone(),
    }
}

/// A message as stored, with its `client_ref` and `conversation.message` outbox row.
#[derive(Clone, Debug)]
pub struct StoredMessage {
    pub message: Message,
    /// Its link in the transcript's chain (`transcript_chain`).
    pub hash: String,
    pub client_ref: Option<String>,
    pub outbox: OutboxEntry,
}

/// A conversation change written only if the row is still as it was read
/// (`status`, `last_seq`): a concurrent change makes the store report a race.
#[derive(Clone, Debug)]
pub struct ConversationWrite {
    pub expected_status: String,
    pub expected_last_seq: i64,
    pub after: Conversation,
    pub messages: Vec<StoredMessage>,
}

impl ConversationWrite {
    pub fn begin(conv: &Conversation) -> Self {
        ConversationWrite {
            expected_status: conv.status.clone(),
            expected_last_seq: conv.last_seq,
            after: conv.clone(),
            messages: Vec::new(),
        }
    }

    pub fn set_status(&mut self, status: &str, now: &str) {
        self.after.status = status.to_string();
        self.after.status_reason = None;
        self.after.updated_at = now.to_string();
    }

    /// Appends with the next seq. `open_handoff` is named in the webhook
    /// payload (the conversation's handoff that still needs a person).
    pub fn append(
        &mut self,
        new: NewMessage,
        open_handoff: Option<&str>,
        event_id: String,
        outbox_id: String,
    ) -> Message {
        let seq = self.after.last_seq + 1;
        self.after.last_seq = seq;
        self.after.updated_at = new.created_at.clone();
        let message = Message {
            id: new.id,
            conversation_id: self.after.id.clone(),
            seq,
            author: new.author,
            content: new.content,
            created_at: new.created_at,
        };
        let hash = crate::domain::transcript_chain::message_hash(
            self.after.head_hash.as_deref().unwrap_or(GENESIS),
            &message,
        );
        self.after.head_hash = Some(hash.clone());
        let conv = &self.after;
        let payload = json!({
            "event_id": event_id,
            "type": MESSAGE_TOPIC,
            "organization_id": conv.organization_id,
            "conversation_id": conv.id,
            "handoff_id": open_handoff,
            "data": {
                "conversation_id": conv.id,
                "handoff_id": open_handoff,
                "message": {
                    "id": message.id,
                    "seq": seq,
                    "author": message.author,
                    "content": message.content,
                    "created_at": message.created_at,
                },
            },
            "occurred_at": message.created_at,
        });
        let outbox = OutboxEntry {
            id: outbox_id,
            organization_id: conv.organization_id.clone(),
            event_id,
            handoff_id: open_handoff.map(str::to_string),
            conversation_id: Some(conv.id.clone()),
            ordering_key: conv.id.clone(),
            seq,
            topic: MESSAGE_TOPIC.to_string(),
            payload: json_text(&payload),
            created_at: message.created_at.clone(),
        };
        self.messages.push(StoredMessage {
            message: message.clone(),
            hash,
            client_ref: new.client_ref,
            outbox,
        });
        message
    }
}

/// A new handoff and everything its creation writes.
#[derive(Clone, Debug)]
pub struct NewHandoff {
    pub handoff: Handoff,
    /// The conversation as the creation leaves it (status flip, holding line);
    /// also the check that it did not change since it was judged open.
    pub conversation: Option<ConversationWrite>,
    pub approval: Option<Approval>,
    pub agent: Option<AgentDetails>,
    pub assist: Option<NewAssist>,
    pub timers: Vec<Timer>,
    pub event: EventDraft,
    pub outbox: OutboxEntry,
}

/// An assist handoff's details and, when the agent sent it, its capture.
#[derive(Clone, Debug)]
pub struct NewAssist {
    pub record: AssistRecord,
    pub capture: Option<(SealedFrame, SealedState)>,
}

/// A signed link's nonce, consumed with the transition it opens (single use).
#[derive(Clone, Debug)]
pub struct NonceUse {
    pub nonce: String,
    pub operator_id: String,
}

/// Everything one transition writes.
#[derive(Clone, Debug)]
pub struct TransitionWrite {
    /// The handoff after the change (version advanced by one).
    pub handoff: Handoff,
    /// The version it was planned from: the write fails if it moved.
    pub expected_version: i64,
    pub nonce: Option<NonceUse>,
    /// The approval's decision row (`decided_at` is the event's time).
    pub decision: Option<Decision>,
    /// A quorum approval's vote row (written after the version check).
    pub vote: Option<super::quorum::Vote>,
    pub conversation: Option<ConversationEffect>,
    /// An operator session started with the change (a signed link consumed).
    pub session: Option<SessionGrant>,
    /// The timer that caused the change, claimed with it (fires once).
    pub timer_fired: Option<String>,
    /// Deadlines the change starts.
    pub timers: Vec<Timer>,
    pub event: EventDraft,
    pub outbox: OutboxEntry,
}

/// Ids and the time a write is stamped with (the caller owns the clock).
#[derive(Clone, Debug)]
pub struct Stamp {
    pub now: String,
    pub event_id: String,
    pub outbox_id: String,
    /// When a person first opened or accepted the handoff (solved steps only).
    pub human_since: Option<String>,
}

/// The creation event's data with the SHA-256 of what was created (the
/// packet, and for an approval what is to be approved): altering either in
/// the database later no longer matches the chain.
pub fn creation_data(h: &Handoff, approval: Option<&Approval>, data: &Value) -> Value {
    let mut data = data.clone();
    let mut digests = vec![("packet", packet_digest(&h.packet))];
    if let Some(a) = approval {
        digests.push(("approval", approval_digest(a)));
    }
    attach_content(&mut data, &digests);
    data
}

/// The rows a planned transition writes: the changed handoff, its audit
/// event and outbox payload, the decision, the conversation effect.
pub fn rows(h: &Handoff, plan: Plan, stamp: Stamp) -> TransitionWrite {
    let mut data = plan.data.clone();
    let vote = plan.vote.clone().map(|mut v| {
        v.voted_at = stamp.now.clone();
        v
    });
    let mut digests = Vec::new();
    if let Some(v) = &vote {
        digests.push(("vote", vote_digest(v)));
    }
    if let Some(d) = &plan.decision {
        let digest = decision_digest(
            d.approved,
            d.note.as_deref(),
            Some(&d.decided_by),
            d.payload.as_ref(),
        );
        digests.push(("decision", digest));
        if let Some(p) = &d.approved_payload {
            digests.push(("approved_payload", p.clone()));
        }
        if let Some(answer) = &d.answer {
            digests.push(("answer", answer_digest(answer)));
        }
    }
    attach_content(&mut data, &digests);
    let event = EventDraft {
        id: stamp.event_id,
        organization_id: h.organization_id.clone(),
        handoff_id: h.id.clone(),
        event: plan.event.as_str().to_string(),
        from_state: Some(plan.from.as_str().to_string()),
        to_state: plan.to.as_str().to_string(),
        actor: plan.actor.label(),
        data,
        created_at: stamp.now.clone(),
    };
    let outbox = lifecycle_outbox(
        &event,
        plan.topic,
        stamp.outbox_id,
        h,
        stamp.human_since.as_deref(),
    );
    let nonce = match (&plan.consume_nonce, &plan.actor) {
        (Some(nonce), Actor::Operator(op)) => Some(NonceUse {
            nonce: nonce.clone(),
            operator_id: op.clone(),
        }),
        _ => None,
    };
    TransitionWrite {
        handoff: h.apply(&plan, &stamp.now),
        expected_version: h.version,
        nonce,
        decision: plan.decision,
        vote,
        conversation: plan.conversation,
        session: None,
        timer_fired: None,
        timers: Vec::new(),
        event,
        outbox,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(from_state: Option<&str>, data: Value) -> EventDraft {
        EventDraft {
            id: "0193a0c4-7d2e-7000-8000-00000000000a".into(),
            organization_id: "org \"quoted\" ✓".into(),
            handoff_id: "h\u{1}<script>".into(),
            event: "handoff.created".into(),
            from_state: from_state.map(str::to_string),
            to_state: "pending".into(),
            actor: "api_key:k1".into(),
            data,
            created_at: "2026-12-04T10:00:00.000000Z".into(),
        }
    }

    #[test]
    fn a_prepared_event_hashes_as_the_sealed_one() {
        let drafts = [
            draft(None, json!({})),
            draft(
                Some("open"),
                json!({"z": [1, {"y": "é\"", "x": null}], "a": 2.5, "m": -3}),
            ),
            draft(
                Some(""),
                json!({"packet": {"static_text": "line\nbreak \u{2028}"}}),
            ),
        ];
        for (i, d) in drafts.iter().enumerate() {
            for (prev_seq, prev_hash) in [(0, GENESIS.to_string()), (41, "ab".repeat(32))] {
                let sealed = d.seal(prev_seq, &prev_hash);
                let prepared = d.prepare();
                assert_eq!(
                    prepared.hash(prev_seq + 1, &prev_hash),
                    sealed.hash,
                    "draft {i}"
                );
                assert_eq!(prepared.data_json, sealed.event.data.to_string());
            }
        }
        // The seq is part of what is hashed.
        let p = drafts[0].prepare();
        assert_ne!(p.hash(1, GENESIS), p.hash(2, GENESIS));
    }
}
