//! Email over SMTP (`smtp_url`, `email_from`).

use super::{summary_lines, title, SEND_TIMEOUT};
use crate::config::Config;
use crate::domain::records::Operator;
use crate::domain::Handoff;

/// Mails `link` for `h` to `op`; the answer is the SMTP reply code.
pub async fn send(
    config: &Config,
    h: &Handoff,
    op: &Operator,
    link: &str,
) -> Result<String, String> {
    use lettre::message::header::ContentType;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let from = config
        .email_from
        .parse()
        .map_err(|e| format!("email_from: {e}"))?;
    let to = format!("{} <{}>", op.name.replace(['<', '>', '"'], ""), op.email)
        .parse()
        .map_err(|e| format!("operator address: {e}"))?;
    let subject: String = format!("[tapin] {}: {}", title(h), h.packet.static_text)
        .chars()
        .take(120)
        .collect();
    let body = format!(
        "{}\n\nOpen it: {link}\n\nThe link works once and expires in {} minutes.\n",
        summary_lines(h),
        config.push_link_ttl_seconds / 60
    );
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("building the email: {e}"))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
        .map_err(|e| format!("smtp_url: {e}"))?
        .timeout(Some(SEND_TIMEOUT))
        .build();
    let response = transport
        .send(message)
        .await
        .map_err(|e| format!("SMTP: {e}"))?;
    Ok(format!("SMTP {}", response.code()))
}
