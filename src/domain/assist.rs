//! Assist handoffs (seed 004): a browser agent's stuck screen handed to a
//! person. What the agent may send (bounded, checked here) and what the
//! operator may send back (a click inside the captured viewport, text, or one
//! of a few keys). Pure: decoding and sealing happen in the service.

use super::limits::{required, FieldProblem};
use serde::{Deserialize, Serialize};

/// Why the agent is stuck (seed 004's `interruption_type`).
pub const INTERRUPTION_TYPES: [&str; 5] = ["captcha", "twofa", "approval_modal", "login", "other"];
/// What the operator types: a one-time code (numeric keyboard, autofill), any
/// text (the default), or nothing (taps only).
pub const INPUTS: [&str; 3] = ["code", "text", "none"];
/// Keys the operator can press besides typing text.
pub const KEYS: [&str; 4] = ["Enter", "Tab", "Backspace", "Escape"];

pub const AGENT_ID_MAX: usize = 200;
/// A host name (RFC 1035).
pub const DOMAIN_MAX: usize = 253;
pub const URL_MAX: usize = 2048;
pub const QUESTION_MAX: usize = 2000;
/// The screenshot, decoded.
pub const SCREENSHOT_MAX: usize = 2 * 1024 * 1024;
pub const DOM_MAX: usize = 1024 * 1024;
/// Cookies and storage together, as JSON.
pub const BROWSER_STATE_MAX: usize = 256 * 1024;
/// Each side of the captured viewport, in CSS pixels.
pub const VIEWPORT_MAX: i64 = 4096;
/// One piece of typed text.
pub const TEXT_MAX: usize = 1000;
/// Actions the agent has not acknowledged yet: past this, the operator waits.
pub const PENDING_MAX: i64 = 100;
/// The request body of a creation or a frame (base64 screenshot, DOM, state).
pub const BODY_MAX: usize = 6 * 1024 * 1024;
/// Seconds without a frame after an action before the page says the agent
/// has not answered.
pub const SILENT_AGENT_SECONDS: i64 = 20;
/// Seconds the operator solving a screen may do nothing before another
/// operator's first action takes the lease over (a phone that died mid-solve
/// must not lock the screen until the handoff expires).
pub const LEASE_IDLE_SECONDS: i64 = 120;

/// Whether a lease idle for `idle_seconds` may be taken over.
pub fn lease_lapsed(idle_seconds: i64) -> bool {
    idle_seconds >= LEASE_IDLE_SECONDS
}

/// The image types a screenshot may be, told by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
}

impl ImageType {
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
        }
    }

    pub fn parse_mime(mime: &str) -> Option<ImageType> {
        match mime {
            "image/png" => Some(ImageType::Png),
            "image/jpeg" => Some(ImageType::Jpeg),
            _ => None,
        }
    }
}

/// The captured viewport, in CSS pixels.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Viewport {
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 4096))]
    pub width: i64,
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 4096))]
    pub height: i64,
}

impl Viewport {
    pub fn check(&self, prefix: &str) -> Vec<FieldProblem> {
        [("width", self.width), ("height", self.height)]
            .into_iter()
            .filter(|(_, v)| !(1..=VIEWPORT_MAX).contains(v))
            .map(|(name, _)| {
                FieldProblem::new(
                    format!("{prefix}.{name}"),
                    format!("must be between 1 and {VIEWPORT_MAX} CSS pixels"),
                )
            })
            .collect()
    }

    pub fn contains(&self, x: i64, y: i64) -> bool {
        (0..self.width).contains(&x) && (0..self.height).contains(&y)
    }
}

/// What the agent says about its stuck screen (the capture aside).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssistAsk {
    pub agent_id: String,
    pub interruption_type: String,
    pub domain: String,
    pub url: String,
    pub question: String,
    pub input: String,
}

impl AssistAsk {
    pub fn check(&self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let mut keep = |r: Result<(), FieldProblem>| {
            if let Err(p) = r {
                problems.push(p);
            }
        };
        keep(required("agent_id", &self.agent_id, AGENT_ID_MAX));
        keep(required("question", &self.question, QUESTION_MAX));
        keep(one_of(
            "interruption_type",
            &self.interruption_type,
            &INTERRUPTION_TYPES,
        ));
        keep(one_of("input", &self.input, &INPUTS));
        keep(host_name("domain", &self.domain));
        keep(web_url("url", &self.url));
        problems
    }
}

fn one_of(field: &str, v: &str, allowed: &[&str]) -> Result<(), FieldProblem> {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(FieldProblem::new(
            field,
            format!("must be one of {}", allowed.join(", ")),
        ))
    }
}

/// A host name: dot-separated labels of letters, digits and hyphens.
fn host_name(field: &str, v: &str) -> Result<(), FieldProblem> {
    let ok = !v.is_empty()
        && v.len() <= DOMAIN_MAX
        && v.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err(FieldProblem::new(
            field,
            format!(
                "must be a host name (letters, digits, hyphens and dots; at most {DOMAIN_MAX})"
            ),
        ))
    }
}

/// An http(s) URL without spaces or control characters. It is shown to the
/// operator as text and never fetched.
fn web_url(field: &str, v: &str) -> Result<(), FieldProblem> {
    let lower = v.to_ascii_lowercase();
    let scheme = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !v.chars().any(|c| c.is_whitespace() || c.is_control());
    if scheme && clean && v.len() <= URL_MAX {
        Ok(())
    } else {
        Err(FieldProblem::new(
            field,
            format!("must be an http(s) URL of at most {URL_MAX} characters"),
        ))
    }
}

/// One thing the operator does on the captured screen, delivered to the agent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// A tap at CSS pixels of the captured viewport.
    Click {
        x: i64,
        y: i64,
    },
    Text {
        text: String,
    },
    Key {
        key: String,
    },
}

impl Action {
    /// Checks the action against the viewport the operator saw; problems
    /// name the field (`x`, `y`, `text`, `key`).
    pub fn check(&self, viewport: Option<Viewport>) -> Vec<FieldProblem> {
        match self {
            Action::Click { x, y } => {
                let Some(v) = viewport else {
                    return vec![FieldProblem::new(
                        "x",
                        "there is no captured screen to tap yet",
                    )];
                };
                let mut p = Vec::new();
                if !(0..v.width).contains(x) {
                    p.push(FieldProblem::new(
                        "x",
                        format!(
                            "must be inside the captured viewport (0 to {})",
                            v.width - 1
                        ),
                    ));
                }
                if !(0..v.height).contains(y) {
                    p.push(FieldProblem::new(
                        "y",
                        format!(
                            "must be inside the captured viewport (0 to {})",
                            v.height - 1
                        ),
                    ));
                }
                p
            }
            Action::Text { text } => required("text", text, TEXT_MAX).err().into_iter().collect(),
            Action::Key { key } => one_of("key", key, &KEYS).err().into_iter().collect(),
        }
    }

    /// What the audit trail records: never the text itself.
    pub fn audit(&self) -> serde_json::Value {
        match self {
            Action::Click { x, y } => serde_json::json!({"action": "click", "x": x, "y": y}),
            Action::Text { text } => serde_json::json!({
                "action": "text",
                "typed": format!("typed {} characters", text.chars().count()),
                "characters": text.chars().count(),
            }),
            Action::Key { key } => serde_json::json!({"action": "key", "key": key}),
        }
    }
}

/// Scales a tap on the picture shown `shown_width` pixels wide back to the
/// captured viewport's CSS pixels (the page fits the screenshot to the phone).
pub fn scale_tap(shown_x: f64, shown_y: f64, shown_width: f64, viewport: Viewport) -> (i64, i64) {
    let ratio = if shown_width > 0.0 {
        viewport.width as f64 / shown_width
    } else {
        1.0
    };
    let clamp = |v: f64, max: i64| (v * ratio).round().clamp(0.0, (max - 1) as f64) as i64;
    (
        clamp(shown_x, viewport.width),
        clamp(shown_y, viewport.height),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask() -> AssistAsk {
        AssistAsk {
            agent_id: "agent_outbound_sf".into(),
            interruption_type: "twofa".into(),
            domain: "login.salesforce.com".into(),
            url: "https://login.salesforce.com/verify".into(),
            question: "Type the code".into(),
            input: "code".into(),
        }
    }

    #[test]
    fn a_good_ask_passes_and_each_bad_field_is_named() {
        assert!(ask().check().is_empty());
        let mut a = ask();
        a.interruption_type = "robot".into();
        a.domain = "evil.com/path".into();
        a.url = "javascript:alert(1)".into();
        a.input = "voice".into();
        let fields: Vec<_> = a.check().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["interruption_type", "input", "domain", "url"]);
    }

    #[test]
    fn images_are_told_by_their_magic_bytes() {
        assert_eq!(
            ImageType::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageType::Png)
        );
        assert_eq!(
            ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageType::Jpeg)
        );
        assert_eq!(ImageType::sniff(b"GIF89a"), None);
        assert_eq!(ImageType::sniff(b"<svg"), None);
    }

    #[test]
    fn taps_outside_the_viewport_are_refused_and_text_is_not_audited() {
        let v = Viewport {
            width: 1280,
            height: 800,
        };
        assert!(Action::Click { x: 1279, y: 799 }.check(Some(v)).is_empty());
        let p = Action::Click { x: 1280, y: -1 }.check(Some(v));
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].field.as_str(), p[1].field.as_str()), ("x", "y"));
        assert_eq!(
            Action::Key { key: "F5".into() }.check(Some(v))[0].field,
            "key"
        );
        let audit = Action::Text {
            text: "123456".into(),
        }
        .audit();
        assert!(!audit.to_string().contains("123456"));
        assert_eq!(audit["typed"], "typed 6 characters");
    }

    #[test]
    fn a_tap_on_the_fitted_picture_lands_on_the_page_pixel() {
        let v = Viewport {
            width: 1280,
            height: 800,
        };
        // 360 px wide picture of a 1280 px page: ×3.56.
        assert_eq!(scale_tap(180.0, 100.0, 360.0, v), (640, 356));
        assert_eq!(scale_tap(400.0, 9999.0, 360.0, v), (1279, 799));
    }
}
