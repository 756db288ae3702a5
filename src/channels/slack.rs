//! Slack through the organization's incoming webhook. A pending approval's
//! message carries Approve / Deny buttons (Block Kit) and a text input for the
//! reason of a deny; a press comes back to `POST /slack/interactivity/{org}`
//! (`service::slack`), which answers on the press's `response_url`.

use super::guard::{failure, Outbound};
use super::redact::slack;
use super::{summary_lines, title, SEND_TIMEOUT};
use crate::domain::slack::{ACTIONS_BLOCK, APPROVE, DENY, NOTE_ACTION, NOTE_BLOCK};
use crate::domain::Handoff;
use serde_json::{json, Value};

/// The packet text a block shows at most (before escaping): a section's text
/// is limited to 3000 characters, and escaping may make it longer.
const SECTION_TEXT_MAX: usize = 500;

/// The mrkdwn message: the operator's name and the packet's text escaped, so
/// only tapin's own link is a link.
pub fn message(h: &Handoff, operator: &str, link: &str) -> String {
    format!(
        "*{}* for {}\n{}\n<{}|Open in tapin> (works once)",
        title(h),
        slack(operator),
        slack(&summary_lines(h)),
        slack(link)
    )
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// What the handoff is, as one mrkdwn section (the packet text escaped and cut).
fn summary_block(h: &Handoff, extra: &str) -> Value {
    let text = format!(
        "*{}*\n{}{extra}",
        title(h),
        slack(&cut(&summary_lines(h), SECTION_TEXT_MAX))
    );
    json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})
}

fn plain(text: &str, max: usize) -> Value {
    json!({"type": "plain_text", "text": cut(text, max), "emoji": false})
}

/// The reason box and the two buttons; each button's value is the handoff id.
fn decision_blocks(h: &Handoff) -> [Value; 2] {
    let note = json!({
        "type": "input",
        "block_id": NOTE_BLOCK,
        "optional": true,
        "label": plain("Reason (needed to deny; the agent tells the customer)", 2000),
        "element": {"type": "plain_text_input", "action_id": NOTE_ACTION, "multiline": true, "max_length": 2000},
    });
    let buttons = json!({
        "type": "actions",
        "block_id": ACTIONS_BLOCK,
        "elements": [
            {
                "type": "button", "action_id": APPROVE, "style": "primary", "value": h.id,
                "text": plain("Approve", 75),
                "confirm": {
                    "title": plain("Approve?", 100),
                    "text": plain(&h.packet.static_text, 300),
                    "confirm": plain("Approve", 30),
                    "deny": plain("Back", 30),
                },
            },
            {"type": "button", "action_id": DENY, "style": "danger", "value": h.id, "text": plain("Deny", 75)},
        ],
    });
    [note, buttons]
}

/// The notification: the text (also what Slack shows in its own notification),
/// and as blocks the summary, the signed link, and with `buttons` the reason
/// box and Approve / Deny.
pub fn payload(h: &Handoff, operator: &str, link: &str, buttons: bool) -> Value {
    let link_line = format!(
        "\nFor {} · <{}|Open in tapin> (works once)",
        slack(operator),
        slack(link)
    );
    let mut blocks = vec![summary_block(h, &link_line)];
    if buttons {
        blocks.extend(decision_blocks(h));
    }
    json!({ "text": message(h, operator, link), "blocks": blocks })
}

/// Replaces the message once it is decided: the summary and `line` (already
/// plain words; escaped here), no buttons.
pub fn decided(h: &Handoff, line: &str) -> Value {
    json!({
        "replace_original": true,
        "text": format!("{}: {}", title(h), slack(line)),
        "blocks": [
            summary_block(h, ""),
            {"type": "context", "elements": [{"type": "mrkdwn", "text": slack(line)}]},
        ],
    })
}

/// Replaces the message after a vote that does not decide yet: the buttons
/// stay for the others, with `line` ("Ana approved · 1 of 2 approved").
pub fn voted(h: &Handoff, line: &str) -> Value {
    let mut blocks = vec![
        summary_block(h, ""),
        json!({"type": "context", "elements": [{"type": "mrkdwn", "text": slack(line)}]}),
    ];
    blocks.extend(decision_blocks(h));
    json!({
        "replace_original": true,
        "text": format!("{}: {}", title(h), slack(line)),
        "blocks": blocks,
    })
}

/// An answer only the person who pressed sees; the message stays as it is.
pub fn ephemeral(text: &str) -> Value {
    json!({
        "response_type": "ephemeral",
        "replace_original": false,
        "text": slack(text),
    })
}

/// Posts `link` for `h`, addressed to `operator`, to the Slack hook at `url`.
pub async fn send(
    http: &Outbound,
    url: &str,
    h: &Handoff,
    operator: &str,
    link: &str,
    buttons: bool,
) -> Result<String, String> {
    let res = http
        .post(url)
        .map_err(|r| format!("Slack: {r}"))?
        .json(&payload(h, operator, link, buttons))
        .timeout(SEND_TIMEOUT)
        .send()
        .await
        .map_err(|e| format!("Slack: {}", failure("slack", &e)))?;
    let status = res.status();
    if status.is_success() {
        Ok(format!("Slack answered {}", status.as_u16()))
    } else {
        Err(format!("Slack answered {}", status.as_u16()))
    }
}

/// Whether tapin may POST its answer to `url`: https on one of `hosts`
/// (Slack's `hooks.slack.com` by default; `host:port` entries match the port
/// too). Plain http only when `allow_http` (local test receivers). Anything
/// else in a payload is never called.
pub fn response_url_allowed(url: &str, hosts: &[String], allow_http: bool) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    let scheme_ok = u.scheme() == "https" || (allow_http && u.scheme() == "http");
    if !scheme_ok || !u.username().is_empty() || u.password().is_some() {
        return false;
    }
    let Some(host) = u.host_str() else {
        return false;
    };
    let with_port = u.port().map(|p| format!("{host}:{p}"));
    hosts.iter().any(|h| {
        let h = h.trim().to_ascii_lowercase();
        match &with_port {
            Some(hp) => h == *hp,
            None => h == host,
        }
    })
}

/// Posts `body` to a press's `response_url`, if it is Slack's (see
/// [`response_url_allowed`]); through the outbound guard like every request.
pub async fn answer(
    http: &Outbound,
    response_url: &str,
    hosts: &[String],
    body: &Value,
) -> Result<(), String> {
    if !response_url_allowed(response_url, hosts, http.allow_private()) {
        tracing::warn!(url = %super::redact::urls(response_url), "Slack response_url refused: not Slack's host");
        return Err("response_url is not Slack's".into());
    }
    let res = http
        .post(response_url)
        .map_err(|r| format!("Slack: {r}"))?
        .json(body)
        .timeout(SEND_TIMEOUT)
        .send()
        .await
        .map_err(|e| format!("Slack: {}", failure("slack", &e)))?;
    match res.status() {
        s if s.is_success() => Ok(()),
        s => Err(format!("Slack answered {}", s.as_u16())),
    }
}

#[cfg(test)]
mod tests {
    use super::{message, payload, response_url_allowed};
    use crate::domain::{Handoff, Kind, Packet, Source};

    #[test]
    fn packet_text_cannot_forge_the_open_link_or_ping_a_channel() {
        let packet: Packet = serde_json::from_value(serde_json::json!({
            "static_text": "Refund <https://evil.example/login|Open in tapin> <!channel>",
            "summary": "a & b > c",
        }))
        .unwrap();
        let h = Handoff::new(
            "h".into(),
            "2026-01-01T00:00:00Z",
            "o",
            Kind::Takeover,
            Source::Router,
            packet,
            None,
        );
        let text = message(&h, "Ann <@U123>", "https://desk.example/m/h?t=a&b");
        // The only link is tapin's own; the agent's markup reads as text.
        assert_eq!(text.matches("|Open in tapin>").count(), 1, "{text}");
        assert!(text.ends_with("<https://desk.example/m/h?t=a&amp;b|Open in tapin> (works once)"));
        assert!(text.contains("&lt;https://evil.example/login|Open in tapin&gt; &lt;!channel&gt;"));
        assert!(text.contains("a &amp; b &gt; c"));
        assert!(text.contains("for Ann &lt;@U123&gt;"));
        assert!(!text.contains("<!channel>") && !text.contains("<@U123>"));
    }

    #[test]
    fn only_slacks_host_receives_the_answer() {
        let slack = vec!["hooks.slack.com".to_string()];
        assert!(response_url_allowed(
            "https://hooks.slack.com/actions/T1/1/abc",
            &slack,
            false
        ));
        for bad in [
            "http://hooks.slack.com/actions/T1/1/abc",
            "https://hooks.slack.com.evil.example/actions",
            "https://evil.example/?https://hooks.slack.com/",
            "https://user@hooks.slack.com/actions",
            "https://hooks.slack.com:8443/actions",
            "https://169.254.169.254/latest/meta-data",
            "javascript:alert(1)",
            "not a url",
        ] {
            assert!(!response_url_allowed(bad, &slack, false), "{bad}");
        }
        let local = vec!["127.0.0.1:4000".to_string()];
        assert!(response_url_allowed(
            "http://127.0.0.1:4000/actions/1",
            &local,
            true
        ));
        assert!(!response_url_allowed(
            "http://127.0.0.1:4000/actions/1",
            &local,
            false
        ));
        assert!(!response_url_allowed(
            "http://127.0.0.1:4001/actions/1",
            &local,
            true
        ));
    }

    #[test]
    fn buttons_carry_the_handoff_and_hostile_text_stays_text() {
        let packet: Packet = serde_json::from_value(serde_json::json!({
            "static_text": "Approve <https://evil.example|Open in tapin> <!here>",
        }))
        .unwrap();
        let h = Handoff::new(
            "h-1".into(),
            "2026-01-01T00:00:00Z",
            "o",
            Kind::Approval,
            Source::Router,
            packet,
            None,
        );
        let p = payload(&h, "Ann", "https://desk.example/m/h-1?t=x", true);
        let blocks = p["blocks"].as_array().unwrap();
        assert_eq!(blocks.len(), 3, "summary, reason, buttons");
        let buttons = &blocks[2]["elements"];
        assert_eq!(buttons[0]["action_id"], "tapin_approve");
        assert_eq!(buttons[0]["value"], "h-1");
        assert_eq!(buttons[1]["action_id"], "tapin_deny");
        assert_eq!(blocks[1]["block_id"], "tapin_note");
        let section = blocks[0]["text"]["text"].as_str().unwrap();
        assert!(!section.contains("<!here>") && !section.contains("<https://evil"));
        assert_eq!(section.matches("|Open in tapin>").count(), 1, "{section}");
        let no_buttons = payload(&h, "Ann", "https://desk.example/m/h-1?t=x", false);
        assert_eq!(no_buttons["blocks"].as_array().unwrap().len(), 1);
    }
}
