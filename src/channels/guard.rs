//! The guard in front of every outbound request (webhooks, Slack, SMS/voice
//! providers, SMTP, Web Push): targets must be public addresses unless the
//! self-hoster sets `allow_private_targets`.
//!
//! - Literal addresses in URLs are checked before a request is built (and at
//!   save time by the services that keep URLs).
//! - Hostnames are resolved by [`GuardedResolver`], which drops every address
//!   that is not allowed; the HTTP client connects only to what it returned, so
//!   there is no window between the check and the connect (DNS rebinding).
//! - Redirects are never followed.
//! - Tenants see a generic reason ([`NOT_ALLOWED`], [`NO_CONNECT`]); the detail
//!   goes to the server log only.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// What a tenant is told when the target is refused by the guard.
pub const NOT_ALLOWED: &str = "the target address is not allowed";
/// What a tenant is told for every other connection failure.
pub const NO_CONNECT: &str = "could not connect";

/// Whether `ip` is anything but a public unicast address: loopback, private,
/// link-local (cloud metadata included), unique-local, CGNAT, unspecified,
/// multicast, broadcast, reserved, documentation and benchmarking ranges, and
/// every IPv6 form that embeds one of those IPv4 addresses.
pub fn blocked(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => blocked_v6(v6),
    }
}

fn blocked_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0 // "this network", 0.0.0.0 included
        || a == 10 // private
        || a == 127 // loopback
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 169 && b == 254) // link-local, 169.254.169.254 metadata
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 168) // private
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224 // multicast 224/4, reserved 240/4, broadcast
}

fn blocked_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    // ::/96 (unspecified, loopback, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped).
    if s[0..5] == [0; 5] && (s[5] == 0 || s[5] == 0xffff) {
        return blocked_v4(embedded(s[6], s[7]));
    }
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    if s[0..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return blocked_v4(embedded(s[6], s[7]));
    }
    // 6to4 2002::/16 carries an IPv4 address in bits 16..48.
    if s[0] == 0x2002 {
        return blocked_v4(embedded(s[1], s[2]));
    }
    (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64 64:ff9b:1::/48
        || (s[0] == 0x100 && s[1..4] == [0; 3]) // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] < 0x200) // IETF assignments 2001::/23 (Teredo included)
        || (s[0] == 0x2001 && s[1] == 0xdb8) // documentation 2001:db8::/32
        || (s[0] & 0xfff0) == 0x3ff0 // documentation 3fff::/20
        || (s[0] & 0xfe00) == 0xfc00 // unique-local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
        || (s[0] & 0xff00) == 0xff00 // multicast ff00::/8
}

/// Why an outbound request did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The target is not a public address (or resolves to none).
    NotAllowed,
    /// Bad URL, DNS failure, connection refused, TLS…: logged, not shown.
    CouldNotConnect,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refused::NotAllowed => NOT_ALLOWED,
            Refused::CouldNotConnect => NO_CONNECT,
        })
    }
}

impl std::error::Error for Refused {}

/// Checks a URL's host when it is a literal address (hostnames are checked
/// when they are resolved). Decimal and hex IPv4 forms are parsed as addresses
/// by the URL parser, so they are covered too.
pub fn check_url(url: &reqwest::Url, allow_private: bool) -> Result<(), Refused> {
    if allow_private {
        return Ok(());
    }
    let Some(host) = url.host_str() else {
        return Err(Refused::NotAllowed);
    };
    // The parser has normalized IPv4 spellings; IPv6 hosts come in brackets.
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    let Ok(ip) = literal.parse::<IpAddr>() else {
        return Ok(());
    };
    if blocked(ip) {
        Err(Refused::NotAllowed)
    } else {
        Ok(())
    }
}

/// The DNS resolver of the outbound HTTP client: system resolution, then only
/// the allowed addresses; none left is [`Refused::NotAllowed`].
struct GuardedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs = resolve_allowed(&host, 0, allow_private).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Resolves `host` and keeps the allowed addresses; an empty result is an error.
pub async fn resolve_allowed(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let all: Vec<SocketAddr> = tokio::net::lookup_host((host, port)).await?.collect();
    let allowed: Vec<SocketAddr> = all
        .iter()
        .copied()
        .filter(|a| allow_private || !blocked(a.ip()))
        .collect();
    if allowed.is_empty() {
        if all.is_empty() {
            return Err(format!("{host} has no address").into());
        }
        tracing::warn!(%host, addrs = ?all, "outbound request refused: no public address");
        return Err(Box::new(Refused::NotAllowed));
    }
    Ok(allowed)
}

/// The one HTTP client for outbound requests: guarded resolver, no
/// redirects, literal addresses checked before each request.
#[derive(Clone)]
pub struct Outbound {
    client: reqwest::Client,
    allow_private: bool,
}

impl Outbound {
    pub fn new(allow_private: bool) -> Result<Outbound, String> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("tapin/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Outbound {
            client,
            allow_private,
        })
    }

    pub fn allow_private(&self) -> bool {
        self.allow_private
    }

    /// A POST to `url`, if the guard lets it go there.
    pub fn post(&self, url: &str) -> Result<reqwest::RequestBuilder, Refused> {
        let shown = super::redact::urls(url);
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            tracing::warn!(url = %shown, "outbound URL does not parse: {e}");
            Refused::CouldNotConnect
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            tracing::warn!(url = %shown, "outbound URL is not http(s)");
            return Err(Refused::CouldNotConnect);
        }
        if let Err(r) = check_url(&parsed, self.allow_private) {
            tracing::warn!(url = %shown, "outbound request refused: literal address not allowed");
            return Err(r);
        }
        Ok(self.client.post(parsed))
    }
}

/// The tenant-facing reason for a failed send; the detail is logged.
pub fn failure(what: &str, e: &reqwest::Error) -> Refused {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(r) = s.downcast_ref::<Refused>() {
            return r.clone();
        }
        source = s.source();
    }
    // reqwest's error quotes the URL, credentials included: not in the log.
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    let text = super::redact::urls(&text);
    tracing::warn!(target_kind = what, "outbound request failed: {text}");
    Refused::CouldNotConnect
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> bool {
        blocked(s.parse().unwrap())
    }

    #[test]
    fn ipv4_private_and_special_ranges_are_blocked() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "10.255.255.255",
            "127.0.0.1",
            "127.1.2.3",
            "100.64.0.1",
            "100.127.255.255",
            "169.254.169.254",
            "169.254.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "192.168.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(b(ip), "{ip} must be blocked");
        }
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "126.255.255.255",
            "128.0.0.1",
            "169.253.1.1",
            "169.255.1.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.167.1.1",
            "192.169.1.1",
            "192.0.1.1",
            "198.17.1.1",
            "198.20.1.1",
            "203.0.114.1",
            "223.255.255.255",
        ] {
            assert!(!b(ip), "{ip} is public");
        }
    }

    #[test]
    fn ipv6_private_and_special_ranges_are_blocked() {
        for ip in [
            "::",
            "::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "ff05::2",
            "2001:db8::1",
            "3fff::1",
            "100::1",
            "2001::1",
            "64:ff9b:1::1",
        ] {
            assert!(b(ip), "{ip} must be blocked");
        }
        for ip in [
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "2001:4860:4860::8888",
            "fe00::1",
            "fbff::1",
        ] {
            assert!(!b(ip), "{ip} is public");
        }
    }

    #[test]
    fn ipv6_forms_of_ipv4_addresses_are_judged_by_the_ipv4_address() {
        for ip in [
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:192.168.1.1",
            "::ffff:100.64.0.1",
            "::ffff:0.0.0.0",
            "::127.0.0.1",
            "::10.0.0.1",
            "::169.254.169.254",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
        ] {
            assert!(b(ip), "{ip} must be blocked");
        }
        for ip in [
            "::ffff:8.8.8.8",
            "::8.8.8.8",
            "64:ff9b::1.1.1.1",
            "2002:808:808::1",
        ] {
            assert!(!b(ip), "{ip} embeds a public address");
        }
    }

    #[test]
    fn literal_urls_are_checked_in_every_spelling() {
        for u in [
            "http://127.0.0.1:8080/x",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/",
        ] {
            let url = reqwest::Url::parse(u).unwrap();
            assert_eq!(check_url(&url, false), Err(Refused::NotAllowed), "{u}");
            assert_eq!(
                check_url(&url, true),
                Ok(()),
                "{u} with allow_private_targets"
            );
        }
        for u in [
            "https://hooks.example.test/x",
            "http://8.8.8.8/",
            "http://localhost/",
        ] {
            // Hostnames are judged when they are resolved.
            assert_eq!(
                check_url(&reqwest::Url::parse(u).unwrap(), false),
                Ok(()),
                "{u}"
            );
        }
    }

    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_refused() {
        let e = resolve_allowed("localhost", 80, false).await.unwrap_err();
        assert_eq!(e.downcast_ref::<Refused>(), Some(&Refused::NotAllowed));
        assert!(!resolve_allowed("localhost", 80, true)
            .await
            .unwrap()
            .is_empty());
    }
}
