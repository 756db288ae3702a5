//! Runtime configuration: `Leptos.toml` (or the file named by `TAPIN_CONFIG`),
//! then environment variables on top.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub database_url: String,
    pub public_url: String,
    pub link_ttl_seconds: i64,
    pub session_ttl_hours: i64,
    /// Lifetime of the session a signed link starts (it reaches that one handoff only).
    pub link_session_minutes: i64,
    pub rate_limit_per_minute: u32,
    /// Sign-in attempts per client address per minute (any accounts).
    pub sign_in_per_address_per_minute: u32,
    pub demo: bool,
    /// This node's name in `/metrics` (the `node` label); defaults to the host name.
    pub node_name: String,
    /// `GET /metrics` answers only with `Authorization: Bearer <metrics_token>`;
    /// empty: not served on the main address.
    pub metrics_token: String,
    /// A separate address (e.g. `127.0.0.1:9464`) serving only `/metrics`, no
    /// token; empty: none.
    pub metrics_addr: String,
    /// VAPID `sub` claim: how a push service reaches the operator of this server.
    pub vapid_subject: String,
    /// Lifetime of the signed link inside a push notification.
    pub push_link_ttl_seconds: i64,
    /// Accept `http://` push endpoints (tests and local push services only).
    pub push_allow_http: bool,
    /// First webhook retry delay; each retry doubles it (at most 1 h), with jitter.
    pub webhook_backoff_ms: u64,
    /// How long a webhook delivery is retried before it is dead-lettered.
    pub webhook_retry_hours: i64,
    /// How often the webhook worker looks for due deliveries (it also wakes on each commit).
    pub webhook_poll_ms: u64,
    /// Webhook deliveries one node has in flight at once.
    pub webhook_concurrency: u32,
    /// Webhook deliveries one organization may have in flight at once, on all
    /// nodes together: a slow receiver of one tenant holds only these.
    pub webhook_per_org_concurrency: u32,
    /// How long a node holds work it claimed (outbox rows, deliveries,
    /// timers) before another node may take it over; longer than a webhook
    /// attempt (10 s).
    pub worker_lease_seconds: u64,
    /// Hours an assist handoff's captured browser state (screenshots, DOM,
    /// cookies, storage, undelivered actions) is kept after the handoff ends.
    pub assist_capture_retention_hours: u64,
    /// Email channel: `smtp://host:port`, `smtps://…` or `smtp://…?tls=required`
    /// (credentials as `user:pass@`); empty turns email off.
    pub smtp_url: String,
    /// `From:` of notification emails.
    pub email_from: String,
    /// SMS channel: the provider request (empty URL turns it off).
    pub sms: HttpProvider,
    /// Voice-call channel: the provider request (empty URL turns it off).
    pub voice: HttpProvider,
    /// Lets the API key that requested an approval also decide it (off: another
    /// key with `approvals:decide`, or an operator, must decide). Server-wide.
    pub allow_self_approval: bool,
    /// Let outbound requests (webhooks, Slack, SMS/voice, SMTP, push) reach
    /// loopback, private, link-local and other non-public addresses. Off by
    /// default: a tenant's webhook URL must not reach tapin's own network.
    pub allow_private_targets: bool,
    /// Hosts a Slack button press's `response_url` may name (tapin posts its
    /// answer there and nowhere else): Slack's `hooks.slack.com` by default;
    /// `host:port` to match a port. Comma-separated in `TAPIN_SLACK_RESPONSE_HOSTS`.
    pub slack_response_hosts: Vec<String>,
    /// The master key file (created 0600 on first start if missing); empty:
    /// `master.key` beside the SQLite database, `data/master.key` otherwise.
    /// `TAPIN_MASTER_KEY` (env only) gives the key itself instead.
    pub master_key_file: String,
    /// Open SSE streams and long-polls at once per API key, and per operator.
    pub streams_per_principal: u32,
    /// Webhook subscriptions per organization.
    pub webhooks_per_org: u32,
    /// SMS and voice notifications per organization per minute (past it they
    /// are recorded as skipped).
    pub paid_notifications_per_minute: u32,
    /// Time a request that is not a stream or long-poll gets to answer.
    pub request_timeout_ms: u64,
}

/// A provider reached with one HTTP POST (Twilio, Vonage, an in-house gateway…).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct HttpProvider {
    pub url: String,
    /// One header line sent as is, e.g. `Authorization: Basic …`.
    pub auth_header: String,
    /// `application/json` or `application/x-www-form-urlencoded`.
    pub content_type: String,
    /// The body, with `{{to}}`, `{{text}}`, `{{link}}`, `{{handoff_id}}` and
    /// `{{operator}}` replaced by values escaped for `content_type`.
    pub body_template: String,
}

impl Default for HttpProvider {
    fn default() -> Self {
        HttpProvider {
            url: String::new(),
            auth_header: String::new(),
            content_type: "application/json".into(),
            body_template: r#"{"to":"{{to}}","text":"{{text}}"}"#.into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            site_addr: "127.0.0.1:3000".parse().expect("valid default address"),
            site_root: "target/site".into(),
            database_url: "sqlite://data/tapin.db".into(),
            public_url: String::new(),
            link_ttl_seconds: 60,
            session_ttl_hours: 12,
            link_session_minutes: 30,
            rate_limit_per_minute: 200,
            sign_in_per_address_per_minute: 30,
            demo: false,
            node_name: std::env::var("HOSTNAME").unwrap_or_else(|_| "tapin".into()),
            metrics_token: String::new(),
            metrics_addr: String::new(),
            vapid_subject: "mailto:admin@localhost".into(),
            push_link_ttl_seconds: 3600,
            push_allow_http: false,
            webhook_backoff_ms: 10_000,
            webhook_retry_hours: 24,
            webhook_poll_ms: 1_000,
            webhook_concurrency: 16,
            webhook_per_org_concurrency: 4,
            worker_lease_seconds: 30,
            assist_capture_retention_hours: 24,
            smtp_url: String::new(),
            email_from: "tapin <tapin@localhost>".into(),
            sms: HttpProvider::default(),
            voice: HttpProvider::default(),
            allow_self_approval: false,
            allow_private_targets: false,
            slack_response_hosts: vec!["hooks.slack.com".into()],
            master_key_file: String::new(),
            streams_per_principal: 20,
            webhooks_per_org: 50,
            paid_notifications_per_minute: 30,
            request_timeout_ms: 30_000,
        }
    }
}

impl Config {
    /// Reads the file (missing is fine: defaults) and applies env overrides.
    pub fn load() -> Result<Config, String> {
        let path = std::env::var("TAPIN_CONFIG").unwrap_or_else(|_| "Leptos.toml".into());
        let mut config = if Path::new(&path).exists() {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            toml::from_str(&text).map_err(|e| format!("{path}: {e}"))?
        } else {
            Config::default()
        };
        config.apply_env(|k| std::env::var(k).ok())?;
        Ok(config)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        let pick = |names: &[&'static str]| -> Option<(&'static str, String)> {
            names.iter().find_map(|n| var(n).map(|v| (*n, v)))
        };
        if let Some((name, v)) = pick(&["TAPIN_SITE_ADDR", "LEPTOS_SITE_ADDR"]) {
            self.site_addr = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((_, v)) = pick(&["TAPIN_SITE_ROOT", "LEPTOS_SITE_ROOT"]) {
            self.site_root = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_DATABASE_URL"]) {
            self.database_url = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_PUBLIC_URL"]) {
            self.public_url = v;
        }
        if let Some((name, v)) = pick(&["TAPIN_LINK_TTL_SECONDS"]) {
            self.link_ttl_seconds = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_SESSION_TTL_HOURS"]) {
            self.session_ttl_hours = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_LINK_SESSION_MINUTES"]) {
            self.link_session_minutes = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_STREAMS_PER_PRINCIPAL"]) {
            self.streams_per_principal = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_WEBHOOKS_PER_ORG"]) {
            self.webhooks_per_org = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_PAID_NOTIFICATIONS_PER_MINUTE"]) {
            self.paid_notifications_per_minute =
                v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_REQUEST_TIMEOUT_MS"]) {
            self.request_timeout_ms = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_RATE_LIMIT_PER_MINUTE"]) {
            self.rate_limit_per_minute = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_SIGN_IN_PER_ADDRESS_PER_MINUTE"]) {
            self.sign_in_per_address_per_minute =
                v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((_, v)) = pick(&["TAPIN_DEMO"]) {
            self.demo = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some((_, v)) = pick(&["TAPIN_NODE_NAME"]) {
            self.node_name = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_METRICS_TOKEN"]) {
            self.metrics_token = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_METRICS_ADDR"]) {
            self.metrics_addr = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_VAPID_SUBJECT"]) {
            self.vapid_subject = v;
        }
        if let Some((name, v)) = pick(&["TAPIN_PUSH_LINK_TTL_SECONDS"]) {
            self.push_link_ttl_seconds = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((_, v)) = pick(&["TAPIN_PUSH_ALLOW_HTTP"]) {
            self.push_allow_http = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some((name, v)) = pick(&["TAPIN_WEBHOOK_BACKOFF_MS"]) {
            self.webhook_backoff_ms = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_WEBHOOK_RETRY_HOURS"]) {
            self.webhook_retry_hours = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_WEBHOOK_POLL_MS"]) {
            self.webhook_poll_ms = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_WEBHOOK_CONCURRENCY"]) {
            self.webhook_concurrency = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_WEBHOOK_PER_ORG_CONCURRENCY"]) {
            self.webhook_per_org_concurrency = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_WORKER_LEASE_SECONDS"]) {
            self.worker_lease_seconds = v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((name, v)) = pick(&["TAPIN_ASSIST_CAPTURE_RETENTION_HOURS"]) {
            self.assist_capture_retention_hours =
                v.parse().map_err(|e| format!("{name}={v}: {e}"))?;
        }
        if let Some((_, v)) = pick(&["TAPIN_ALLOW_SELF_APPROVAL"]) {
            self.allow_self_approval = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some((_, v)) = pick(&["TAPIN_SMTP_URL"]) {
            self.smtp_url = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_EMAIL_FROM"]) {
            self.email_from = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_MASTER_KEY_FILE"]) {
            self.master_key_file = v;
        }
        if let Some((_, v)) = pick(&["TAPIN_ALLOW_PRIVATE_TARGETS"]) {
            self.allow_private_targets = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some((_, v)) = pick(&["TAPIN_SLACK_RESPONSE_HOSTS"]) {
            self.slack_response_hosts = v
                .split(',')
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_string)
                .collect();
        }
        for (prefix, p) in [
            ("TAPIN_SMS_", &mut self.sms),
            ("TAPIN_VOICE_", &mut self.voice),
        ] {
            let get = |suffix: &str| var(&format!("{prefix}{suffix}"));
            if let Some(v) = get("URL") {
                p.url = v;
            }
            if let Some(v) = get("AUTH_HEADER") {
                p.auth_header = v;
            }
            if let Some(v) = get("CONTENT_TYPE") {
                p.content_type = v;
            }
            if let Some(v) = get("BODY_TEMPLATE") {
                p.body_template = v;
            }
        }
        if self.link_ttl_seconds <= 0
            || self.webhook_retry_hours <= 0
            || self.webhook_backoff_ms == 0
            || self.webhook_poll_ms == 0
            || self.push_link_ttl_seconds <= 0
            || self.session_ttl_hours <= 0
            || self.rate_limit_per_minute == 0
            || self.link_session_minutes <= 0
            || self.streams_per_principal == 0
            || self.request_timeout_ms == 0
            || self.webhook_concurrency == 0
            || self.webhook_per_org_concurrency == 0
            || self.worker_lease_seconds == 0
        {
            return Err(
                "link_ttl_seconds, session_ttl_hours, link_session_minutes, rate_limit_per_minute, \
                 streams_per_principal, request_timeout_ms, webhook_concurrency, \
                 webhook_per_org_concurrency and worker_lease_seconds must be positive"
                    .into(),
            );
        }
        Ok(())
    }

    /// Base URL for links, without a trailing slash.
    pub fn public_base(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.site_addr)
        } else {
            self.public_url.trim_end_matches('/').to_string()
        }
    }

    /// Cookies get `Secure` when operators reach tapin over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_base().starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_values() {
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "TAPIN_DATABASE_URL" => Some("sqlite://x.db".into()),
            "LEPTOS_SITE_ADDR" => Some("0.0.0.0:8080".into()),
            "TAPIN_PUBLIC_URL" => Some("https://desk.example/".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.database_url, "sqlite://x.db");
        assert_eq!(c.site_addr.port(), 8080);
        assert_eq!(c.public_base(), "https://desk.example");
        assert!(c.secure_cookies());
        assert!(!c.allow_private_targets);
        c.apply_env(|k| (k == "TAPIN_ALLOW_PRIVATE_TARGETS").then(|| "true".into()))
            .unwrap();
        assert!(c.allow_private_targets);
    }

    #[test]
    fn a_bad_env_value_is_a_clear_error() {
        let mut c = Config::default();
        let err = c
            .apply_env(|k| (k == "TAPIN_LINK_TTL_SECONDS").then(|| "soon".into()))
            .unwrap_err();
        assert!(err.contains("TAPIN_LINK_TTL_SECONDS"), "{err}");
    }

    #[test]
    fn the_shipped_leptos_toml_parses() {
        let text = include_str!("../Leptos.toml");
        let c: Config = toml::from_str(text).unwrap();
        assert_eq!(c.link_ttl_seconds, 60);
        assert!(
            !c.allow_private_targets,
            "private targets are off as shipped"
        );
        assert!(
            !c.allow_self_approval,
            "self-approval is off unless asked for"
        );
    }

    #[test]
    fn self_approval_is_off_by_default_and_can_be_allowed() {
        assert!(!Config::default().allow_self_approval);
        let mut c = Config::default();
        c.apply_env(|k| (k == "TAPIN_ALLOW_SELF_APPROVAL").then(|| "true".into()))
            .unwrap();
        assert!(c.allow_self_approval);
        let c: Config = toml::from_str("allow_self_approval = true").unwrap();
        assert!(c.allow_self_approval);
    }
}
