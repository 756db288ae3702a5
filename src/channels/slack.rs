//! Slack through the organization's incoming webhook.

use super::guard::{failure, Outbound};
use super::{summary_lines, title, SEND_TIMEOUT};
use crate::domain::Handoff;
use serde_json::json;

/// The mrkdwn message: the operator's name and the packet's text escaped, so
/// only tapin's own link is a link.
pub fn message(h: &Handoff, operator: &str, link: &str) -> String {
    use super::redact::slack;
    format!(
        "*{}* for {}\n{}\n<{}|Open in tapin> (works once)",
        title(h),
        slack(operator),
        slack(&summary_lines(h)),
        slack(link)
    )
}

/// Posts `link` for `h`, addressed to `operator`, to the Slack hook at `url`.
pub async fn send(
    http: &Outbound,
    url: &str,
    h: &Handoff,
    operator: &str,
    link: &str,
) -> Result<String, String> {
    let text = message(h, operator, link);
    let res = http
        .post(url)
        .map_err(|r| format!("Slack: {r}"))?
        .json(&json!({ "text": text }))
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

#[cfg(test)]
mod tests {
    use super::message;
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
}
