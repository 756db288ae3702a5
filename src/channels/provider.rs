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

/// A value escaped for a body of `content_type`: JSON string content, form
/// encoding, or XML (TwiML and other `…xml` types); other types get it as is.
pub fn escape(content_type: &str, value: &str) -> String {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("json") {
        let quoted = serde_json::to_string(value).expect("strings serialize");
        quoted[1..quoted.len() - 1].to_string()
    } else if ct.contains("x-www-form-urlencoded") {
        form_urlencoded::byte_serialize(value.as_bytes()).collect()
    } else if ct.contains("xml") {
        super::redact::xml(value)
    } else {
        value.to_string()
    }
}

/// Replaces `{{name}}` placeholders with values escaped for the body's
/// content type, in one pass over the template: a value that itself holds
/// `{{link}}` stays text and is never expanded.
pub fn render(template: &str, content_type: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let found = after.find("}}").and_then(|end| {
            let name = &after[..end];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (end, escape(content_type, v)))
        });
        match found {
            Some((end, escaped)) => {
                out.push_str(&escaped);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
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

    #[test]
    fn twiml_values_cannot_add_verbs() {
        let v = [("text", "Hi</Say><Dial>+19005550100</Dial><Say>")];
        assert_eq!(
            render(
                "<Response><Say>{{text}}</Say></Response>",
                "application/xml",
                &v
            ),
            "<Response><Say>Hi&lt;/Say&gt;&lt;Dial&gt;+19005550100&lt;/Dial&gt;&lt;Say&gt;</Say></Response>"
        );
        assert!(render("<Say>{{text}}</Say>", "text/xml; charset=utf-8", &v).contains("&lt;Dial"));
    }

    #[test]
    fn a_value_naming_a_placeholder_is_not_expanded() {
        let v = [("text", "{{link}} {{to}}"), ("link", "L"), ("to", "T")];
        assert_eq!(
            render("{{to}}|{{text}}|{{link}}|{{unknown}}", "text/plain", &v),
            "T|{{link}} {{to}}|L|{{unknown}}"
        );
    }

    #[test]
    fn json_values_cannot_close_the_string() {
        let v = [("text", "\"}, \"to\": \"+1900")];
        let body = render(r#"{"to":"+49","text":"{{text}}"}"#, "application/json", &v);
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["to"], "+49");
        assert_eq!(parsed["text"], v[0].1);
    }
}
