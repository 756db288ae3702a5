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
