//! Slack interactivity, pure: checking Slack's request signature, reading the
//! `block_actions` payload an Approve / Deny button sends, the replay nonce.
//! The service does the I/O (`service::slack`).
//!
//! Signature (Slack's "Verifying requests from Slack"):
//! `X-Slack-Signature: v0=hex(HMAC-SHA256(signing_secret, "v0:" + X-Slack-Request-Timestamp + ":" + body))`,
//! and the timestamp must be within five minutes of now.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// How far a request's timestamp may be from now (either way), in seconds.
pub const MAX_SKEW_SECONDS: i64 = 5 * 60;

/// The `action_id`s of the buttons tapin puts in its messages.
pub const APPROVE: &str = "tapin_approve";
pub const DENY: &str = "tapin_deny";
/// The block of the buttons, and the text input for the reason of a deny.
pub const ACTIONS_BLOCK: &str = "tapin_decide";
pub const NOTE_BLOCK: &str = "tapin_note";
pub const NOTE_ACTION: &str = "note";

/// Why a request is not taken as coming from Slack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unverified {
    #[error("missing X-Slack-Request-Timestamp or X-Slack-Signature")]
    Missing,
    #[error("the request timestamp is more than five minutes from now")]
    Stale,
    #[error("the signature does not match the organization's Slack signing secret")]
    BadSignature,
}

/// The `v0=<hex>` signature of `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    format!(
        "v0={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(b"v0:");
    m.update(timestamp.as_bytes());
    m.update(b":");
    m.update(body);
    m
}

/// Checks the headers' timestamp (within [`MAX_SKEW_SECONDS`] of `now`) and
/// signature (compared in constant time by the HMAC crate).
pub fn verify(
    secret: &str,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), Unverified> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(Unverified::Missing);
    };
    let at: i64 = timestamp.trim().parse().map_err(|_| Unverified::Stale)?;
    if (now - at).abs() > MAX_SKEW_SECONDS {
        return Err(Unverified::Stale);
    }
    let given = signature
        .trim()
        .strip_prefix("v0=")
        .and_then(|h| hex::decode(h).ok())
        .ok_or(Unverified::BadSignature)?;
    mac(secret, timestamp, body)
        .verify_slice(&given)
        .map_err(|_| Unverified::BadSignature)
}

/// The single-use nonce a verified request spends with the decision it
/// causes: the same signed request sent again (a replay within the five
/// minutes) finds it spent.
pub fn replay_nonce(signature: &str) -> String {
    format!(
        "slack:{}",
        hex::encode(Sha256::digest(signature.trim().as_bytes()))
    )
}

/// What tapin reads of an interaction payload (the rest is ignored).
#[derive(Clone, Debug, Deserialize)]
pub struct Interaction {
    #[serde(rename = "type")]
    pub kind: String,
    pub user: SlackUser,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub response_url: Option<String>,
    #[serde(default)]
    pub state: Option<FormState>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SlackUser {
    pub id: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Action {
    pub action_id: String,
    #[serde(default)]
    pub value: Option<String>,
}

/// The message's input elements as the person left them (`state.values`).
#[derive(Clone, Debug, Deserialize)]
pub struct FormState {
    #[serde(default)]
    pub values: serde_json::Map<String, serde_json::Value>,
}

/// The decision a button asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub handoff_id: String,
    pub approve: bool,
}

/// Reads `payload=<json>` from the form-encoded body.
pub fn parse(body: &[u8]) -> Result<Interaction, String> {
    let payload = form_urlencoded::parse(body)
        .find(|(k, _)| k == "payload")
        .map(|(_, v)| v.into_owned())
        .ok_or("the body has no `payload` field")?;
    serde_json::from_str(&payload).map_err(|e| format!("payload: {e}"))
}

impl Interaction {
    /// The first tapin button in the payload (`None`: nothing tapin asked for).
    pub fn choice(&self) -> Option<Choice> {
        if self.kind != "block_actions" {
            return None;
        }
        self.actions.iter().find_map(|a| {
            let approve = match a.action_id.as_str() {
                APPROVE => true,
                DENY => false,
                _ => return None,
            };
            Some(Choice {
                handoff_id: a.value.clone()?,
                approve,
            })
        })
    }

    /// What the person typed as the reason, if anything.
    pub fn note(&self) -> Option<String> {
        self.state
            .as_ref()?
            .values
            .get(NOTE_BLOCK)?
            .get(NOTE_ACTION)?
            .get("value")?
            .as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";

    #[test]
    fn slacks_documented_example_verifies() {
        // The example request in Slack's "Verifying requests from Slack".
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let ts = "1531420618";
        let sig = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
        assert_eq!(sign(SECRET, ts, body), sig);
        assert_eq!(
            verify(SECRET, Some(ts), Some(sig), body, 1531420618 + 60),
            Ok(())
        );
    }

    #[test]
    fn a_changed_body_secret_or_signature_is_refused() {
        let body = b"payload=%7B%7D";
        let now = 1_700_000_000;
        let ts = now.to_string();
        let sig = sign(SECRET, &ts, body);
        assert_eq!(verify(SECRET, Some(&ts), Some(&sig), body, now), Ok(()));
        assert_eq!(
            verify(SECRET, Some(&ts), Some(&sig), b"payload=%7B%7E", now),
            Err(Unverified::BadSignature)
        );
        assert_eq!(
            verify("another", Some(&ts), Some(&sig), body, now),
            Err(Unverified::BadSignature)
        );
        for bad in ["", "v0=", "v1=00", "v0=zz", &sig[..sig.len() - 2]] {
            assert_eq!(
                verify(SECRET, Some(&ts), Some(bad), body, now),
                Err(Unverified::BadSignature),
                "{bad}"
            );
        }
        assert_eq!(
            verify(SECRET, None, Some(&sig), body, now),
            Err(Unverified::Missing)
        );
        assert_eq!(
            verify(SECRET, Some(&ts), None, body, now),
            Err(Unverified::Missing)
        );
    }

    #[test]
    fn old_or_future_timestamps_are_refused_even_when_signed() {
        let body = b"payload=%7B%7D";
        let now = 1_700_000_000;
        for at in [now - 301, now + 301, 0] {
            let ts = at.to_string();
            let sig = sign(SECRET, &ts, body);
            assert_eq!(
                verify(SECRET, Some(&ts), Some(&sig), body, now),
                Err(Unverified::Stale),
                "{at}"
            );
        }
        let ts = (now - 299).to_string();
        let sig = sign(SECRET, &ts, body);
        assert_eq!(verify(SECRET, Some(&ts), Some(&sig), body, now), Ok(()));
        assert_eq!(
            verify(SECRET, Some("soon"), Some(&sig), body, now),
            Err(Unverified::Stale)
        );
    }

    fn body(json: serde_json::Value) -> Vec<u8> {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("payload", &json.to_string())
            .finish()
            .into_bytes()
    }

    #[test]
    fn a_button_press_is_read_with_its_reason() {
        let i = parse(&body(serde_json::json!({
            "type": "block_actions",
            "user": {"id": "U1", "username": "ana"},
            "response_url": "https://hooks.slack.com/actions/T1/1/x",
            "actions": [{"action_id": "tapin_deny", "block_id": "tapin_decide", "value": "h-1"}],
            "state": {"values": {"tapin_note": {"note": {"type": "plain_text_input", "value": "  too much  "}}}},
            "message": {"blocks": []}
        })))
        .unwrap();
        assert_eq!(i.user.id, "U1");
        assert_eq!(
            i.choice(),
            Some(Choice {
                handoff_id: "h-1".into(),
                approve: false
            })
        );
        assert_eq!(i.note().as_deref(), Some("too much"));
        let other = parse(&body(serde_json::json!({
            "type": "block_actions", "user": {"id": "U1"},
            "actions": [{"action_id": "something_else", "value": "h"}]
        })))
        .unwrap();
        assert_eq!(other.choice(), None);
        assert_eq!(other.note(), None);
        let view = parse(&body(
            serde_json::json!({"type": "view_submission", "user": {"id": "U1"},
            "actions": [{"action_id": "tapin_approve", "value": "h"}]}),
        ))
        .unwrap();
        assert_eq!(view.choice(), None, "only button presses decide");
        assert!(parse(b"payload=not-json").is_err());
        assert!(parse(b"text=hello").is_err());
    }

    #[test]
    fn the_replay_nonce_depends_on_the_signature_only() {
        assert_eq!(replay_nonce("v0=ab"), replay_nonce(" v0=ab "));
        assert_ne!(replay_nonce("v0=ab"), replay_nonce("v0=ac"));
        assert!(replay_nonce("v0=ab").starts_with("slack:"));
    }
}
