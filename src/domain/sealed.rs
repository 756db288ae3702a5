//! Secrets at rest: AES-256-GCM with a purpose-bound label as associated data,
//! and the keys derived from the master key. Pure: the caller supplies keys
//! and nonces (the service draws them from the OS), nothing here does I/O.
//!
//! A sealed value is text, `sealed:v1:<base64(nonce || ciphertext+tag)>`, so it
//! fits the TEXT columns the clear values lived in. The label (for example
//! `webhook_secret:<id>`) is authenticated: a sealed value copied into another
//! row or purpose does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const PREFIX: &str = "sealed:v1:";

/// A 256-bit key (master, derived or per-organization data key).
pub type Key = [u8; 32];

/// Whether a stored value is sealed (anything else is a clear value left by an
/// older version, which the start-up migration seals).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

pub fn seal(key: &Key, nonce: [u8; 12], label: &str, clear: &[u8]) -> String {
    let cipher = Aes256Gcm::new(key.into());
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: clear,
                aad: label.as_bytes(),
            },
        )
        .expect("AES-GCM encrypts any length tapin stores");
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
    )
}

/// Why a stored value does not open.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("the value is not sealed")]
    NotSealed,
    #[error("the sealed value is damaged")]
    Malformed,
    #[error(
        "the key does not open the value (another master key, or the value was altered or moved)"
    )]
    WrongKey,
}

pub fn open(key: &Key, label: &str, stored: &str) -> Result<Vec<u8>, OpenError> {
    let body = stored.strip_prefix(PREFIX).ok_or(OpenError::NotSealed)?;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(body)
        .map_err(|_| OpenError::Malformed)?;
    if bytes.len() < 12 + 16 {
        return Err(OpenError::Malformed);
    }
    let (nonce, sealed) = bytes.split_at(12);
    Aes256Gcm::new(key.into())
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: label.as_bytes(),
            },
        )
        .map_err(|_| OpenError::WrongKey)
}

/// `open` for values that were text when sealed.
pub fn open_text(key: &Key, label: &str, stored: &str) -> Result<String, OpenError> {
    String::from_utf8(open(key, label, stored)?).map_err(|_| OpenError::Malformed)
}

/// A key for one use derived from the master key (HMAC-SHA256 as a PRF), so
/// the key that seals secrets never also signs audit checkpoints.
pub fn derive(master: &Key, purpose: &str) -> Key {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(b"tapin/");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

/// The label a server secret is sealed under.
pub fn server_secret_label(name: &str) -> String {
    format!("server_secret:{name}")
}

/// The label an organization's data key is wrapped under (its name in `server_secrets`).
pub fn org_key_name(org_id: &str) -> String {
    format!("org_data_key:{org_id}")
}

pub fn webhook_secret_label(webhook_id: &str) -> String {
    format!("webhook_secret:{webhook_id}")
}

/// The secret a rotation replaced has its own label: it cannot be moved back
/// into `secret` to outlive its overlap.
pub fn webhook_previous_secret_label(webhook_id: &str) -> String {
    format!("webhook_previous_secret:{webhook_id}")
}

/// An assist handoff's captured state: `what` is `frame`, `dom`, `browser_state`
/// or `action:<seq>`, so no part can be moved into another handoff or slot.
pub fn assist_label(handoff_id: &str, what: &str) -> String {
    format!("assist:{handoff_id}:{what}")
}

pub fn slack_url_label(org_id: &str) -> String {
    format!("slack_webhook_url:{org_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Key = [7; 32];

    #[test]
    fn a_sealed_value_opens_with_its_key_and_label_only() {
        let s = seal(&K, [1; 12], "webhook_secret:a", b"whsec_123");
        assert!(is_sealed(&s));
        assert!(!s.contains("whsec"));
        assert_eq!(open_text(&K, "webhook_secret:a", &s).unwrap(), "whsec_123");
        assert_eq!(
            open(&[8; 32], "webhook_secret:a", &s),
            Err(OpenError::WrongKey)
        );
        assert_eq!(
            open(&K, "webhook_secret:b", &s),
            Err(OpenError::WrongKey),
            "moved to another row"
        );
        assert_eq!(open(&K, "x", "whsec_123"), Err(OpenError::NotSealed));
        assert_eq!(open(&K, "x", "sealed:v1:AAAA"), Err(OpenError::Malformed));
    }

    #[test]
    fn an_altered_ciphertext_does_not_open() {
        let s = seal(&K, [1; 12], "l", b"secret");
        let mut bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(&s[PREFIX.len()..])
            .unwrap();
        bytes[14] ^= 1;
        let altered = format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
        );
        assert_eq!(open(&K, "l", &altered), Err(OpenError::WrongKey));
    }

    #[test]
    fn derived_keys_differ_per_purpose() {
        assert_ne!(derive(&K, "seal"), derive(&K, "checkpoint"));
        assert_eq!(derive(&K, "seal"), derive(&K, "seal"));
        assert_ne!(derive(&K, "seal"), K);
    }
}
