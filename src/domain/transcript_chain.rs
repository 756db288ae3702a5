//! A hash chain per conversation over its messages.
//!
//! Messages are not audit events (a busy organization would serialize every
//! chat line on one audit head), so each transcript chains its own messages:
//! `hash = sha256(prev || canonical_json(message))`, the first hashed message
//! of a conversation linking to `GENESIS`, and the conversation row keeps the
//! head. `tapin audit verify` walks every transcript; a signed checkpoint also
//! records each transcript's head, so a writer who recomputes a transcript's
//! hashes after the fact is caught by `verify --checkpoint`.

use super::audit::{canonical_json, chain_hash, ChainBreak, GENESIS};
use super::records::Message;
use serde::{Deserialize, Serialize};

/// The hash of `m`, chained to the previous message's hash.
pub fn message_hash(prev: &str, m: &Message) -> String {
    let body = serde_json::json!({
        "id": m.id,
        "conversation_id": m.conversation_id,
        "seq": m.seq,
        "author": m.author,
        "content": m.content,
        "created_at": m.created_at,
    });
    chain_hash(prev, &canonical_json(&body))
}

/// A stored message with the hash written with it (`None`: written before
/// transcripts were chained).
#[derive(Clone, Debug)]
pub struct ChainedMessage {
    pub message: Message,
    pub hash: Option<String>,
}

/// A transcript's head as a checkpoint signs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscriptHead {
    pub conversation_id: String,
    pub seq: i64,
    pub hash: String,
}

fn broken(conversation_id: &str, seq: i64, why: &str) -> ChainBreak {
    ChainBreak::Transcript {
        conversation_id: conversation_id.to_string(),
        seq,
        why: why.to_string(),
    }
}

/// Checks a transcript in seq order against the conversation's `last_seq` and
/// recorded head: numbered 1..=last_seq without gaps, unhashed messages only
/// before the first hashed one (older than the chain), every hash recomputed.
pub fn verify_transcript(
    conversation_id: &str,
    rows: &[ChainedMessage],
    last_seq: i64,
    head_hash: Option<&str>,
) -> Result<(), ChainBreak> {
    let mut prev: Option<String> = None;
    for (i, row) in rows.iter().enumerate() {
        let seq = row.message.seq;
        if seq != i as i64 + 1 {
            return Err(broken(
                conversation_id,
                seq,
                "a message is missing before this one (removed or renumbered)",
            ));
        }
        match (&row.hash, &prev) {
            (None, None) => continue, // written before transcripts were chained
            (None, Some(_)) => {
                return Err(broken(
                    conversation_id,
                    seq,
                    "its hash was removed (only messages older than the chain have none)",
                ))
            }
            (Some(hash), _) => {
                let link = prev.as_deref().unwrap_or(GENESIS);
                if &message_hash(link, &row.message) != hash {
                    return Err(broken(
                        conversation_id,
                        seq,
                        "its content does not match its hash (the message was altered)",
                    ));
                }
                prev = Some(hash.clone());
            }
        }
    }
    let count = rows.len() as i64;
    if count != last_seq || prev.as_deref() != head_hash {
        return Err(broken(
            conversation_id,
            count,
            "the transcript does not end at the conversation's recorded head (messages were removed at the end or the head was altered)",
        ));
    }
    Ok(())
}

/// Whether a transcript that verifies still passes through the signed head.
pub fn transcript_reaches(
    rows: &[ChainedMessage],
    head: &TranscriptHead,
) -> Result<(), ChainBreak> {
    let at = rows.iter().find(|r| r.message.seq == head.seq);
    match at.and_then(|r| r.hash.as_deref()) {
        Some(h) if h == head.hash => Ok(()),
        _ => Err(broken(
            &head.conversation_id,
            head.seq,
            "differs from the signed checkpoint (the transcript was rewritten or cut)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(n: i64, hashed_from: i64) -> Vec<ChainedMessage> {
        let mut prev: Option<String> = None;
        (1..=n)
            .map(|seq| {
                let message = Message {
                    id: format!("m{seq}"),
                    conversation_id: "c".into(),
                    seq,
                    author: "user".into(),
                    content: format!("line {seq}"),
                    created_at: "2026-01-01T00:00:00.000000Z".into(),
                };
                let hash = (seq >= hashed_from).then(|| {
                    let h = message_hash(prev.as_deref().unwrap_or(GENESIS), &message);
                    prev = Some(h.clone());
                    h
                });
                ChainedMessage { message, hash }
            })
            .collect()
    }

    fn head(rows: &[ChainedMessage]) -> Option<&str> {
        rows.last().and_then(|r| r.hash.as_deref())
    }

    #[test]
    fn an_intact_transcript_verifies_with_or_without_older_unhashed_messages() {
        let rows = transcript(4, 1);
        assert_eq!(verify_transcript("c", &rows, 4, head(&rows)), Ok(()));
        let rows = transcript(4, 3);
        assert_eq!(verify_transcript("c", &rows, 4, head(&rows)), Ok(()));
        assert_eq!(verify_transcript("c", &[], 0, None), Ok(()));
    }

    #[test]
    fn altering_removing_or_unhashing_a_message_is_caught_at_its_seq() {
        let good = transcript(4, 1);
        let h = head(&good).map(str::to_string);

        let mut altered = good.clone();
        altered[1].message.content = "I never said that".into();
        let e = verify_transcript("c", &altered, 4, h.as_deref()).unwrap_err();
        assert!(matches!(e, ChainBreak::Transcript { seq: 2, .. }), "{e}");

        let mut removed = good.clone();
        removed.remove(1);
        let e = verify_transcript("c", &removed, 4, h.as_deref()).unwrap_err();
        assert!(matches!(e, ChainBreak::Transcript { seq: 3, .. }), "{e}");

        let mut unhashed = good.clone();
        unhashed[2].hash = None;
        assert!(verify_transcript("c", &unhashed, 4, h.as_deref()).is_err());

        let mut cut = good.clone();
        cut.pop();
        assert!(verify_transcript("c", &cut, 4, h.as_deref()).is_err());
    }

    #[test]
    fn a_recomputed_transcript_verifies_alone_but_not_against_its_checkpoint() {
        let good = transcript(3, 1);
        let signed = TranscriptHead {
            conversation_id: "c".into(),
            seq: 3,
            hash: head(&good).unwrap().to_string(),
        };
        assert_eq!(transcript_reaches(&good, &signed), Ok(()));

        // A database writer edits line 2 and recomputes every later hash.
        let mut forged = good.clone();
        forged[1].message.content = "forged".into();
        let mut prev = forged[0].hash.clone().unwrap();
        for row in forged.iter_mut().skip(1) {
            let h = message_hash(&prev, &row.message);
            row.hash = Some(h.clone());
            prev = h;
        }
        assert_eq!(verify_transcript("c", &forged, 3, Some(&prev)), Ok(()));
        assert!(transcript_reaches(&forged, &signed).is_err());
    }
}
