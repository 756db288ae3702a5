//! Email over SMTP (`smtp_url`, `email_from`).

use super::guard::{check_url, resolve_allowed, Refused, NO_CONNECT};
use super::{summary_lines, title, SEND_TIMEOUT};
use crate::config::Config;
use crate::domain::records::Operator;
use crate::domain::Handoff;

/// One-tap decision links of an approval email (each opens a confirm page).
pub struct DecideLinks<'a> {
    pub approve: &'a str,
    pub deny: &'a str,
}

/// Mails `link` for `h` to `op`, with Approve / Deny links when `decide` is
/// given; the answer is the SMTP reply code.
pub async fn send(
    config: &Config,
    h: &Handoff,
    op: &Operator,
    link: &str,
    decide: Option<DecideLinks<'_>>,
) -> Result<String, String> {
    let subject: String = format!("[tapin] {}: {}", title(h), h.packet.static_text)
        .chars()
        .take(120)
        .collect();
    send_notice(config, op, &subject, &body(config, h, link, decide)).await
}

/// The plain-text body: the packet, the decision links if any, the open link.
fn body(config: &Config, h: &Handoff, link: &str, decide: Option<DecideLinks<'_>>) -> String {
    let minutes = config.push_link_ttl_seconds / 60;
    let decide = decide.map_or(String::new(), |d| {
        format!(
            "Approve: {}\nDeny: {}\n(Each asks you to confirm on a page first; nothing is decided until you do. \
             They work once, for you only, for {minutes} minutes.)\n\n",
            d.approve, d.deny
        )
    });
    format!(
        "{}\n\n{decide}Open it: {link}\n\nThe link works once and expires in {minutes} minutes.\n",
        summary_lines(h),
    )
}

/// Mails `subject` and `body` as plain text to `op` (a handoff's link, a
/// security notice); the answer is the SMTP reply code.
pub async fn send_notice(
    config: &Config,
    op: &Operator,
    subject: &str,
    body: &str,
) -> Result<String, String> {
    use lettre::message::header::ContentType;
    use lettre::{AsyncTransport, Message};
    let from = config
        .email_from
        .parse()
        .map_err(|e| format!("email_from: {e}"))?;
    let to = format!("{} <{}>", op.name.replace(['<', '>', '"'], ""), op.email)
        .parse()
        .map_err(|e| format!("operator address: {e}"))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| format!("building the email: {e}"))?;
    let transport = transport(&config.smtp_url, config.allow_private_targets)
        .await
        .map_err(|r| format!("SMTP: {r}"))?;
    let response = transport.send(message).await.map_err(|e| {
        tracing::warn!("SMTP send failed: {e}");
        format!("SMTP: {NO_CONNECT}")
    })?;
    Ok(format!("SMTP {}", response.code()))
}

/// The SMTP transport for `smtp_url`, pinned to an address the guard allows:
/// the host is resolved here and the connection goes to that address, while
/// TLS still verifies the certificate against the host name.
async fn transport(
    smtp_url: &str,
    allow_private: bool,
) -> Result<lettre::AsyncSmtpTransport<lettre::Tokio1Executor>, Refused> {
    use lettre::transport::smtp::client::{Tls, TlsParameters};
    use lettre::{AsyncSmtpTransport, Tokio1Executor};
    let logged = |e: &dyn std::fmt::Display| {
        tracing::warn!("smtp_url: {e}");
        Refused::CouldNotConnect
    };
    let mut url = reqwest::Url::parse(smtp_url).map_err(|e| logged(&e))?;
    check_url(&url, allow_private)?;
    let host = url
        .host_str()
        .ok_or_else(|| logged(&"no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let addr = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip,
        Err(_) => resolve_allowed(&host, 0, allow_private)
            .await
            .map_err(|e| match e.downcast_ref::<Refused>() {
                Some(r) => r.clone(),
                None => logged(&e),
            })?[0]
            .ip(),
    };
    url.set_ip_host(addr).map_err(|_| logged(&"address"))?;
    let tls = url
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.to_string());
    let mut builder =
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str()).map_err(|e| logged(&e))?;
    // from_url took the address as the TLS name; the certificate names the host.
    let params = || TlsParameters::new(host.clone()).map_err(|e| logged(&e));
    match (url.scheme(), tls.as_deref()) {
        ("smtps", _) => builder = builder.tls(Tls::Wrapper(params()?)),
        ("smtp", Some("required")) => builder = builder.tls(Tls::Required(params()?)),
        ("smtp", Some("opportunistic")) => builder = builder.tls(Tls::Opportunistic(params()?)),
        _ => {}
    }
    Ok(builder.timeout(Some(SEND_TIMEOUT)).build())
}

#[cfg(test)]
mod tests {
    use super::{body, DecideLinks};
    use crate::config::Config;
    use crate::domain::{Handoff, Kind, Packet, Source};

    #[test]
    fn an_approval_email_offers_both_links_before_the_open_link() {
        let packet: Packet =
            serde_json::from_value(serde_json::json!({"static_text": "Approve refund"})).unwrap();
        let h = Handoff::new(
            "h".into(),
            "2026-01-01T00:00:00Z",
            "o",
            Kind::Approval,
            Source::Router,
            packet,
            None,
        );
        let config = Config::default();
        let links = DecideLinks {
            approve: "https://d/m/h/decide?t=A",
            deny: "https://d/m/h/decide?t=D",
        };
        let text = body(&config, &h, "https://d/m/h?t=O", Some(links));
        let (a, d, o) = (
            text.find("Approve: https://d/m/h/decide?t=A\n").unwrap(),
            text.find("Deny: https://d/m/h/decide?t=D\n").unwrap(),
            text.find("Open it: https://d/m/h?t=O").unwrap(),
        );
        assert!(a < d && d < o, "{text}");
        let plain = body(&config, &h, "https://d/m/h?t=O", None);
        assert!(!plain.contains("Approve:") && plain.contains("Open it:"));
    }
}
