//! SMS and voice: one HTTP request to a configurable provider, its body
//! rendered from the provider's template.

use super::guard::{failure, Outbound};
use super::{title, SEND_TIMEOUT};
use crate::config::HttpProvider;
use crate::domain::Handoff;

/// The SMS text: title, the start of the packet's text, the link.
pub fn sms_text(h: &Handoff, link: &str) -> String {
    let text: String = h.packet.static_text.chars().take(100).collect();
    format!("tapin: {} – {text} {link}", title(h))
}

/// What the voice call says (the link itself went by SMS or another channel).
pub fn voice_text(h: &Handoff) -> String {
    format!(
        "This is tapin. {}. {}. Please open the link we sent you.",
        title(h),
        h.packet.static_text
    )
}

/// Replaces `{{name}}` placeholders with values escaped for the body's content type.
pub fn render(template: &str, content_type: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        let escaped = if content_type.contains("json") {
            let quoted = serde_json::to_string(value).expect("strings serialize");
            quoted[1..quoted.len() - 1].to_string()
        } else if content_type.contains("x-www-form-urlencoded") {
            form_urlencoded::byte_serialize(value.as_bytes()).collect()
        } else {
            value.to_string()
        };
        out = out.replace(&format!("{{{{{name}}}}}"), &escaped);
    }
    out
}

/// Sends `text` about `h` to the phone number `to` through `provider`.
pub async fn send(
    http: &Outbound,
    provider: &HttpProvider,
    to: &str,
    h: &Handoff,
    operator: &str,
    link: &str,
    text: &str,
) -> Result<String, String> {
    let body = render(
        &provider.body_template,
        &provider.content_type,
        &[
            ("to", to),
            ("text", text),
            ("link", link),
            ("handoff_id", &h.id),
            ("operator", operator),
        ],
    );
    let mut req = http
        .post(&provider.url)
        .map_err(|r| format!("provider: {r}"))?
        .header("content-type", &provider.content_type)
        .body(body)
        .timeout(SEND_TIMEOUT);
    if let Some((name, value)) = provider.auth_header.split_once(':') {
        req = req.header(name.trim(), value.trim());
    }
    let res = req
        .send()
        .await
        .map_err(|e| format!("provider: {}", failure("provider", &e)))?;
    let status = res.status();
    if status.is_success() {
        Ok(format!("provider answered {}", status.as_u16()))
    } else {
        Err(format!("provider answered {}", status.as_u16()))
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn templates_escape_for_their_content_type() {
        let v = [("to", "+4915112345678"), ("text", "Say \"hi\" & go\n")];
        assert_eq!(
            render(
                r#"{"to":"{{to}}","text":"{{text}}"}"#,
                "application/json",
                &v
            ),
            r#"{"to":"+4915112345678","text":"Say \"hi\" & go\n"}"#
        );
        assert_eq!(
            render(
                "To={{to}}&Body={{text}}",
                "application/x-www-form-urlencoded",
                &v
            ),
            "To=%2B4915112345678&Body=Say+%22hi%22+%26+go%0A"
        );
    }
}
