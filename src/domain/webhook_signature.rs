//! How a webhook delivery is signed: the Standard Webhooks scheme
//! (<https://www.standardwebhooks.com>, spec 1.0.0, symmetric `v1`) and, for
//! subscriptions that opt in, tapin's legacy `tapin-signature`. Pure: the
//! caller supplies the clear secrets, the event id and the time.

use super::records::SignatureScheme;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How a Standard Webhooks secret is shown to people (`whsec_<base64>`).
pub const SECRET_PREFIX: &str = "whsec_";

/// Random bytes in a new secret: within the spec's 24–64, and a multiple of 3
/// so the base64 has no `=` padding that a strict decoder could trip on.
pub const SECRET_BYTES: usize = 36;

/// How long a replaced secret keeps signing after a rotation.
pub const ROTATION_OVERLAP_HOURS: i64 = 24;

/// `whsec_<base64 of bytes>`, the form the Standard Webhooks libraries accept.
pub fn encode_secret(bytes: &[u8]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// The HMAC key of a secret, as the Standard Webhooks libraries derive it: the
/// base64 after `whsec_`. Secrets from before this scheme (`whsec_<48 hex>`)
/// decode too, since hex digits are base64 characters: their receivers can
/// hand the same string to a library. A secret that is not base64 at all
/// (none tapin made) signs with its raw bytes rather than not at all.
pub fn signing_key(secret: &str) -> Vec<u8> {
    let b64 = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD
        .decode(b64)
        .or_else(|_| STANDARD_NO_PAD.decode(b64.trim_end_matches('=')))
        .ok()
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// One Standard Webhooks signature: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.
pub fn standard_signature(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> String {
    let mac = hmac(
        &signing_key(secret),
        &[
            msg_id.as_bytes(),
            b".",
            timestamp.to_string().as_bytes(),
            b".",
            body.as_bytes(),
        ],
    );
    format!("v1,{}", STANDARD.encode(mac))
}

/// The legacy `tapin-signature` value: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
/// keyed with the secret's text as it is (unchanged from earlier releases).
pub fn tapin_v1_signature(secret: &str, t: i64, body: &str) -> String {
    let mac = hmac(
        secret.as_bytes(),
        &[t.to_string().as_bytes(), b".", body.as_bytes()],
    );
    format!("t={t},v1={}", hex::encode(mac))
}

/// The secrets a delivery is signed with: the current one, and the one a
/// rotation replaced while its overlap lasts.
pub struct Secrets<'a> {
    pub current: &'a str,
    pub previous: Option<&'a str>,
}

/// Everything a delivery needs to be signed.
pub struct Signing<'a> {
    pub scheme: SignatureScheme,
    pub secrets: Secrets<'a>,
    /// The event id: the same on every retry, so receivers dedupe on it.
    pub event_id: &'a str,
    /// Unix seconds of this attempt.
    pub timestamp: i64,
    pub body: &'a str,
}

/// The signature headers of a delivery, lowercase names. `webhook-signature`
/// lists the current secret's signature first, then the previous one's during
/// a rotation overlap (space-separated, as the spec allows). The legacy
/// header, for `tapin-v1` subscriptions only, is signed with the current
/// secret alone, as before.
pub fn headers(s: &Signing) -> Vec<(&'static str, String)> {
    let sign = |secret: &str| standard_signature(secret, s.event_id, s.timestamp, s.body);
    let signatures: Vec<String> = std::iter::once(s.secrets.current)
        .chain(s.secrets.previous)
        .map(sign)
        .collect();
    let mut out = vec![
        ("webhook-id", s.event_id.to_string()),
        ("webhook-timestamp", s.timestamp.to_string()),
        ("webhook-signature", signatures.join(" ")),
    ];
    if s.scheme == SignatureScheme::TapinV1 {
        out.push((
            "tapin-signature",
            tapin_v1_signature(s.secrets.current, s.timestamp, s.body),
        ));
    }
    out
}

/// Whether a replaced secret still signs at `now`: only before its expiry.
/// An expiry that does not parse counts as over (sign with fewer secrets,
/// never with one past its time).
pub fn overlap_active(expires_at: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> bool {
    expires_at
        .and_then(|e| chrono::DateTime::parse_from_rfc3339(e).ok())
        .is_some_and(|e| e > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vector every Standard Webhooks library tests its `sign` with
    // (libraries/javascript/src/webhook.test.ts, "sign function works").
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1614265330;
    const PAYLOAD: &str = r#"{"test": 2432232314}"#;
    const EXPECTED: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn signs_the_spec_test_vector() {
        assert_eq!(
            standard_signature(SECRET, MSG_ID, TIMESTAMP, PAYLOAD),
            EXPECTED
        );
        // The libraries take the secret with or without its prefix.
        assert_eq!(
            standard_signature(&SECRET[SECRET_PREFIX.len()..], MSG_ID, TIMESTAMP, PAYLOAD),
            EXPECTED
        );
    }

    #[test]
    fn new_secrets_are_unpadded_base64_of_the_spec_length() {
        let s = encode_secret(&[0xab; SECRET_BYTES]);
        let b64 = s.strip_prefix("whsec_").unwrap();
        assert!(!b64.contains('='), "{s}");
        assert_eq!(signing_key(&s), vec![0xab; SECRET_BYTES]);
        assert!((24..=64).contains(&SECRET_BYTES));
    }

    #[test]
    fn hex_secrets_of_earlier_releases_decode_as_base64_like_the_libraries_do() {
        let legacy = format!("whsec_{}", "0123456789abcdef".repeat(3));
        let key = signing_key(&legacy);
        assert_eq!(key.len(), 36, "48 base64 characters are 36 bytes");
        assert_eq!(key, STANDARD.decode("0123456789abcdef".repeat(3)).unwrap());
        // Something that is not base64 still signs, with its raw bytes.
        assert_eq!(signing_key("whsec_not*base64"), b"whsec_not*base64");
    }

    #[test]
    fn the_legacy_header_is_unchanged() {
        let mac = hmac(b"whsec_x", &[b"5.{}"]);
        assert_eq!(
            tapin_v1_signature("whsec_x", 5, "{}"),
            format!("t=5,v1={}", hex::encode(mac))
        );
    }

    fn signing<'a>(scheme: SignatureScheme, previous: Option<&'a str>) -> Signing<'a> {
        Signing {
            scheme,
            secrets: Secrets {
                current: SECRET,
                previous,
            },
            event_id: MSG_ID,
            timestamp: TIMESTAMP,
            body: PAYLOAD,
        }
    }

    fn header<'a>(h: &'a [(&str, String)], name: &str) -> Option<&'a str> {
        h.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_rotation_overlap_sends_both_signatures_current_first() {
        let old = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let h = headers(&signing(SignatureScheme::Standard, Some(old)));
        assert_eq!(header(&h, "webhook-id"), Some(MSG_ID));
        assert_eq!(header(&h, "webhook-timestamp"), Some("1614265330"));
        let sigs: Vec<&str> = header(&h, "webhook-signature")
            .unwrap()
            .split(' ')
            .collect();
        assert_eq!(
            sigs,
            [
                EXPECTED,
                standard_signature(old, MSG_ID, TIMESTAMP, PAYLOAD).as_str()
            ]
        );
        assert_eq!(header(&h, "tapin-signature"), None);

        let h = headers(&signing(SignatureScheme::Standard, None));
        assert_eq!(header(&h, "webhook-signature"), Some(EXPECTED));
    }

    #[test]
    fn tapin_v1_adds_the_legacy_header_signed_with_the_current_secret() {
        let h = headers(&signing(SignatureScheme::TapinV1, Some("whsec_old")));
        assert_eq!(
            header(&h, "tapin-signature"),
            Some(tapin_v1_signature(SECRET, TIMESTAMP, PAYLOAD).as_str())
        );
        assert!(header(&h, "webhook-signature")
            .unwrap()
            .starts_with(EXPECTED));
    }

    #[test]
    fn a_replaced_secret_signs_only_before_its_expiry() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-02T00:00:00Z")
            .unwrap()
            .to_utc();
        assert!(overlap_active(Some("2026-01-02T00:00:01Z"), now));
        assert!(!overlap_active(Some("2026-01-02T00:00:00Z"), now));
        assert!(!overlap_active(Some("2026-01-01T23:00:00+00:00"), now));
        assert!(!overlap_active(Some("not a time"), now));
        assert!(!overlap_active(None, now));
    }
}
