//! The per-organization hash chain over `handoff_events`.
//!
//! `hash = sha256(prev_hash || canonical_json(event))`. Canonical JSON has
//! object keys sorted at every depth and no whitespace, so the same event
//! always hashes the same whatever map type produced it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash that precedes an organization's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit row as it is hashed and stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: String,
    pub organization_id: String,
    pub seq: i64,
    pub handoff_id: String,
    pub event: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub data: Value,
    pub created_at: String,
}

impl AuditEvent {
    pub fn canonical(&self) -> String {
        let value = serde_json::to_value(self).expect("audit event serializes");
        canonical_json(&value)
    }
}

/// Serializes with sorted keys and no insignificant whitespace.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::with_capacity(256);
    write_canonical(value, &mut out);
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Keys and scalars are written by serde_json itself (the same escapes and
/// number forms as `Value::to_string`), straight into `out`: every audit row
/// and content digest goes through here, so nothing is allocated per value.
fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_scalar(key, out);
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        scalar => write_scalar(scalar, out),
    }
}

fn write_scalar<T: Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) {
    serde_json::to_writer(out, v).expect("a string or scalar serializes into memory");
}

/// `value` as compact JSON: the bytes `Value::to_string` gives, written
/// without going through `fmt` (every audit row and outbox payload).
pub fn json_text(value: &Value) -> String {
    serde_json::to_string(value).expect("a JSON value serializes")
}

/// `s` as a JSON string (quoted, escaped as serde_json escapes it).
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// `sha256(prev_hash || canonical)` as lowercase hex. `prev_hash` is hex.
pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    chain_hash_parts(prev_hash, &[canonical.as_bytes()])
}

/// `chain_hash` of the concatenation of `parts` (no copy into one string).
pub fn chain_hash_parts(prev_hash: &str, parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(hex::decode(prev_hash).unwrap_or_else(|_| prev_hash.as_bytes().to_vec()));
    for part in parts {
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// A stored row: the event plus the links that were written with it.
#[derive(Clone, Debug)]
pub struct ChainedEvent {
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// Where and why the chain does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("event #{seq}: expected sequence number {expected} (a row was removed or reordered)")]
    Gap { seq: i64, expected: i64 },
    #[error("event #{seq}: prev_hash does not match the previous event's hash (a row was removed or reordered)")]
    Link { seq: i64 },
    #[error("event #{seq}: content does not match its hash (the row was altered)")]
    Content { seq: i64 },
    #[error("chain ends at #{last_seq} but the organization's head is #{head_seq} (rows were removed at the end or the head was altered)")]
    Head { last_seq: i64, head_seq: i64 },
    #[error("event #{seq}: the stored {what} of handoff {handoff_id} no longer matches the SHA-256 the event recorded (it was altered after the fact)")]
    Stored {
        seq: i64,
        what: String,
        handoff_id: String,
    },
    #[error("the signed checkpoint says #{seq} ends in {expected}, but the chain {found} (history was rewritten or cut)")]
    Checkpoint {
        seq: i64,
        expected: String,
        found: String,
    },
    #[error("the organization is in the signed checkpoint but not in the database")]
    Missing,
    #[error("conversation {conversation_id}, message #{seq}: {why}")]
    Transcript {
        conversation_id: String,
        seq: i64,
        why: String,
    },
}

// --- Content covered by the chain ------------------------------------------------

/// The key in an event's `data` under which it records the SHA-256 of the
/// content it refers to: `{"packet": …, "approval": …}` at creation,
/// `{"decision": …}` when an approval is decided.
pub const CONTENT_KEY: &str = "content_sha256";

/// SHA-256 (hex) of a value's canonical JSON.
pub fn digest(value: &Value) -> String {
    hex::encode(Sha256::digest(canonical_json(value).as_bytes()))
}

pub fn packet_digest(p: &crate::domain::Packet) -> String {
    digest(&serde_json::to_value(p).expect("a packet serializes"))
}

/// What the agent asked to be approved (and, when it asked for a typed
/// answer, the schema of that answer; absent, the digest is as before).
pub fn approval_digest(a: &crate::domain::approval::Approval) -> String {
    let mut v = serde_json::json!({
        "subject_kind": a.subject_kind.as_str(),
        "subject_ref": a.subject_ref,
        "payload": a.payload,
    });
    if let Some(schema) = &a.response_schema {
        v["response_schema"] = schema.clone();
    }
    // Four-eyes and quorum settings, when set (absent, the digest is as before).
    if let Some(op) = &a.requested_by {
        v["requested_by"] = op.clone().into();
    }
    if a.four_eyes {
        v["four_eyes"] = true.into();
    }
    if a.required_approvals != 1 {
        v["required_approvals"] = a.required_approvals.into();
    }
    if a.distinct_roles {
        v["distinct_roles"] = true.into();
    }
    digest(&v)
}

/// The payload an approval was approved with (the approver's edit, or the request's).
pub fn approved_payload_digest(payload: &serde_json::Map<String, Value>) -> String {
    digest(&Value::Object(payload.clone()))
}

/// One vote of a quorum approval, recorded in its `vote` (or deciding) event.
pub fn vote_digest(v: &crate::domain::quorum::Vote) -> String {
    digest(&serde_json::json!({
        "voter": v.voter,
        "roles": v.roles,
        "voted_at": v.voted_at,
    }))
}

/// The person's typed answer, recorded beside `decision` in the decide event.
pub fn answer_digest(answer: &Value) -> String {
    digest(answer)
}

/// What the human decided (the payload they edited, if they did).
pub fn decision_digest(
    approved: bool,
    note: Option<&str>,
    decided_by: Option<&str>,
    payload: Option<&serde_json::Map<String, Value>>,
) -> String {
    digest(&serde_json::json!({
        "approved": approved,
        "note": note,
        "decided_by": decided_by,
        "payload": payload,
    }))
}

/// Records `digests` in an event's data (an object, or made one).
pub fn attach_content(data: &mut Value, digests: &[(&str, String)]) {
    if digests.is_empty() {
        return;
    }
    if !data.is_object() {
        let old = std::mem::take(data);
        *data = serde_json::json!({});
        if !old.is_null() {
            data["value"] = old;
        }
    }
    let map: serde_json::Map<String, Value> = digests
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
        .collect();
    data[CONTENT_KEY] = Value::Object(map);
}

/// The digests an event recorded, by name.
pub fn recorded_content(e: &AuditEvent) -> Vec<(String, String)> {
    e.data
        .get(CONTENT_KEY)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

// --- Signed checkpoints ----------------------------------------------------------

/// One organization's chain head at the time of the checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointHead {
    pub organization_id: String,
    pub slug: String,
    pub seq: i64,
    pub hash: String,
    /// Each chained transcript's head. Left out when there are none, so a
    /// checkpoint made before transcripts were chained keeps its signature.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcripts: Vec<super::transcript_chain::TranscriptHead>,
}

/// `tapin audit checkpoint`'s output: every organization's head, signed with
/// HMAC-SHA256 under a key derived from the master key (never in the database).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub version: u32,
    pub created_at: String,
    pub organizations: Vec<CheckpointHead>,
    /// `hmac-sha256:<hex>` over the canonical JSON of the other fields.
    pub signature: String,
}

fn checkpoint_mac(key: &[u8; 32], created_at: &str, heads: &[CheckpointHead]) -> String {
    use hmac::{Hmac, Mac};
    let body = serde_json::json!({
        "version": 1,
        "created_at": created_at,
        "organizations": heads,
    });
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(canonical_json(&body).as_bytes());
    format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes()))
}

impl Checkpoint {
    pub fn sign(key: &[u8; 32], created_at: String, organizations: Vec<CheckpointHead>) -> Self {
        let signature = checkpoint_mac(key, &created_at, &organizations);
        Checkpoint {
            version: 1,
            created_at,
            organizations,
            signature,
        }
    }

    /// Whether this server's key made it, unchanged (constant-time compare).
    pub fn signed_by(&self, key: &[u8; 32]) -> bool {
        use subtle::ConstantTimeEq;
        let expected = checkpoint_mac(key, &self.created_at, &self.organizations);
        self.version == 1 && bool::from(expected.as_bytes().ct_eq(self.signature.as_bytes()))
    }
}

/// Whether a chain that verifies still passes through the signed head: the
/// event at `head.seq` must exist and carry `head.hash`. A writer who changed
/// anything up to that event had to recompute its hash, so it differs.
pub fn reaches(rows: &[ChainedEvent], head: &CheckpointHead) -> Result<(), ChainBreak> {
    if head.seq == 0 {
        return if head.hash == GENESIS {
            Ok(())
        } else {
            Err(ChainBreak::Checkpoint {
                seq: 0,
                expected: head.hash.clone(),
                found: "starts at the genesis hash".into(),
            })
        };
    }
    let found = rows.iter().find(|r| r.event.seq == head.seq);
    match found {
        Some(r) if r.hash == head.hash => Ok(()),
        Some(r) => Err(ChainBreak::Checkpoint {
            seq: head.seq,
            expected: head.hash.clone(),
            found: format!("has {} there", r.hash),
        }),
        None => Err(ChainBreak::Checkpoint {
            seq: head.seq,
            expected: head.hash.clone(),
            found: format!("ends at #{}", rows.len()),
        }),
    }
}

/// Recomputes a chain in stored order against the organization's recorded head.
/// Returns the number of verified events.
pub fn verify_chain(
    rows: &[ChainedEvent],
    head_seq: i64,
    head_hash: &str,
) -> Result<usize, ChainBreak> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for row in rows {
        let seq = row.event.seq;
        if seq != expected_seq {
            return Err(ChainBreak::Gap {
                seq,
                expected: expected_seq,
            });
        }
        if row.prev_hash != prev {
            return Err(ChainBreak::Link { seq });
        }
        if chain_hash(&prev, &row.event.canonical()) != row.hash {
            return Err(ChainBreak::Content { seq });
        }
        prev = row.hash.clone();
        expected_seq += 1;
    }
    let last_seq = expected_seq - 1;
    if last_seq != head_seq || prev != head_hash {
        return Err(ChainBreak::Head { last_seq, head_seq });
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(seq: i64, data: Value) -> AuditEvent {
        AuditEvent {
            id: format!("e{seq}"),
            organization_id: "o".into(),
            seq,
            handoff_id: "h".into(),
            event: "open".into(),
            from_state: Some("created".into()),
            to_state: "opened".into(),
            actor: "operator:x".into(),
            data,
            created_at: "2026-01-01T00:00:00.000000Z".into(),
        }
    }

    fn chain(n: i64) -> Vec<ChainedEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let event = event(seq, json!({"n": seq}));
                let hash = chain_hash(&prev, &event.canonical());
                let row = ChainedEvent {
                    event,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn a_checkpoint_is_bound_to_its_key_and_its_heads() {
        let rows = chain(3);
        let head = CheckpointHead {
            organization_id: "o".into(),
            slug: "acme".into(),
            seq: 2,
            hash: rows[1].hash.clone(),
            transcripts: vec![],
        };
        let cp = Checkpoint::sign(&[1; 32], "2026-01-01T00:00:00Z".into(), vec![head.clone()]);
        assert!(cp.signed_by(&[1; 32]));
        assert!(!cp.signed_by(&[2; 32]), "another master key");
        let mut forged = cp.clone();
        forged.organizations[0].seq = 1;
        assert!(!forged.signed_by(&[1; 32]), "a head changed after signing");
        assert_eq!(reaches(&rows, &head), Ok(()));

        // History rewritten before the head: every hash from there on differs.
        let mut rewritten = rows.clone();
        rewritten[0].event.actor = "operator:mallory".into();
        let mut prev = GENESIS.to_string();
        for r in rewritten.iter_mut() {
            r.prev_hash = prev.clone();
            r.hash = chain_hash(&prev, &r.event.canonical());
            prev = r.hash.clone();
        }
        let last = rewritten.last().unwrap().hash.clone();
        assert_eq!(
            verify_chain(&rewritten, 3, &last),
            Ok(3),
            "plain verify is fooled"
        );
        assert!(matches!(
            reaches(&rewritten, &head),
            Err(ChainBreak::Checkpoint { seq: 2, .. })
        ));
        assert!(reaches(&rows[..1], &head).is_err(), "cut before the head");
    }

    #[test]
    fn content_digests_are_recorded_in_the_data() {
        let mut data = json!({"reason": "x"});
        attach_content(&mut data, &[("packet", "ab".into())]);
        assert_eq!(data["content_sha256"]["packet"], "ab");
        assert_eq!(data["reason"], "x");
        let e = event(1, data);
        assert_eq!(
            recorded_content(&e),
            vec![("packet".to_string(), "ab".to_string())]
        );
        let mut null = Value::Null;
        attach_content(&mut null, &[("decision", "cd".into())]);
        assert_eq!(null, json!({"content_sha256": {"decision": "cd"}}));
        assert_eq!(
            digest(&json!({"b": 1, "a": 2})),
            digest(&json!({"a": 2, "b": 1}))
        );
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let a = json!({"b": 1, "a": {"z": [1, {"y": 2, "x": 3}], "c": "é\""}});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":"é\"","z":[1,{"x":3,"y":2}]},"b":1}"#
        );
    }

    /// Rows already in the chain were hashed over the bytes the first
    /// canonical writer produced (`Value::to_string` per key and scalar); the
    /// faster writer must produce exactly those bytes, or every old chain
    /// stops verifying.
    #[test]
    fn canonical_json_writes_the_bytes_the_chain_was_hashed_over() {
        fn by_display(value: &Value, out: &mut String) {
            match value {
                Value::Object(map) => {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    out.push('{');
                    for (i, key) in keys.into_iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(&Value::String(key.clone()).to_string());
                        out.push(':');
                        by_display(&map[key], out);
                    }
                    out.push('}');
                }
                Value::Array(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        by_display(item, out);
                    }
                    out.push(']');
                }
                scalar => out.push_str(&scalar.to_string()),
            }
        }
        let hostile = json!({
            "quote\"back\\slash": "<script>alert(1)</script>\u{0}\u{1f}\u{7f}\n\t",
            "emoji 👩‍💻": ["é", "\u{2028}\u{2029}", "\u{fffd}", ""],
            "numbers": [0, -1, 9007199254740993u64, i64::MIN, 1.5, -0.0, 1e300, 3.0],
            "nested": {"B": null, "a": true, "b": false, "": {}, "Z": []},
            "Ω": {"z": [{"y": [[], {}]}]},
        });
        let mut want = String::new();
        by_display(&hostile, &mut want);
        assert_eq!(canonical_json(&hostile), want);
        assert_eq!(json_text(&hostile), hostile.to_string());
        assert_eq!(
            json_string("a\"\u{1}é"),
            Value::from("a\"\u{1}é").to_string()
        );
    }

    #[test]
    fn the_chain_hash_is_sha256_of_the_previous_hash_bytes_then_the_event() {
        let first = chain_hash(GENESIS, "first");
        for prev in [first.as_str(), GENESIS, "not hex", "abc"] {
            let prev_bytes = hex::decode(prev).unwrap_or_else(|_| prev.as_bytes().to_vec());
            let want = hex::encode(Sha256::digest(
                [prev_bytes.as_slice(), b"{\"seq\":12}"].concat(),
            ));
            assert_eq!(chain_hash(prev, "{\"seq\":12}"), want);
            assert_eq!(chain_hash_parts(prev, &[b"{\"seq\":", b"12", b"}"]), want);
        }
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(3);
        let head = rows.last().unwrap().hash.clone();
        assert_eq!(verify_chain(&rows, 3, &head), Ok(3));
        assert_eq!(verify_chain(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn altered_removed_reordered_and_truncated_rows_are_caught() {
        let rows = chain(4);
        let head = rows.last().unwrap().hash.clone();

        let mut altered = rows.clone();
        altered[1].event.data = json!({"n": 99});
        assert_eq!(
            verify_chain(&altered, 4, &head),
            Err(ChainBreak::Content { seq: 2 })
        );

        let mut removed = rows.clone();
        removed.remove(1);
        assert_eq!(
            verify_chain(&removed, 4, &head),
            Err(ChainBreak::Gap {
                seq: 3,
                expected: 2
            })
        );

        let mut reordered = rows.clone();
        reordered.swap(1, 2);
        assert!(verify_chain(&reordered, 4, &head).is_err());

        let truncated = &rows[..3];
        assert_eq!(
            verify_chain(truncated, 4, &head),
            Err(ChainBreak::Head {
                last_seq: 3,
                head_seq: 4
            })
        );
    }
}
