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
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
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
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// `sha256(prev_hash || canonical)` as lowercase hex. `prev_hash` is hex.
pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(hex::decode(prev_hash).unwrap_or_else(|_| prev_hash.as_bytes().to_vec()));
    hasher.update(canonical.as_bytes());
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
    fn canonical_json_sorts_keys_at_every_depth() {
        let a = json!({"b": 1, "a": {"z": [1, {"y": 2, "x": 3}], "c": "é\""}});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":"é\"","z":[1,{"x":3,"y":2}]},"b":1}"#
        );
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
