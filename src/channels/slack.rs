//! Slack through the organization's incoming webhook.

use super::guard::{failure, Outbound};
use super::{summary_lines, title, SEND_TIMEOUT};
use crate::domain::Handoff;
use serde_json::json;

/// Posts `link` for `h`, addressed to `operator`, to the Slack hook at `url`.
pub async fn send(
    http: &Outbound,
    url: &str,
    h: &Handoff,
    operator: &str,
    link: &str,
) -> Result<String, String> {
    let text = format!(
        "*{}* for {}\n{}\n<{link}|Open in tapin> (works once)",
        title(h),
        operator,
        summary_lines(h)
    );
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
