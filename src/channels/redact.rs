//! Keeping credentials out of text that tenants (and log readers) see, and
//! escaping inserted values for the format they land in.
//!
//! Provider URLs carry credentials (`https://user:password@…`, `?api_key=…`,
//! a Slack hook's secret path); an error that quotes one would show the
//! server operator's secrets to every tenant who reads a notification record
//! or a delivery log. `urls` cuts every URL in a text down to scheme and host.

/// Every `scheme://…` in `text` reduced to `scheme://host[:port]`, followed by
/// `/…` when a path, query or fragment was cut; user info is dropped.
pub fn urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        // The scheme: the letters (and + - .) right before "://".
        let scheme_start = rest[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| i + 1);
        out.push_str(&rest[..at + 3]);
        let after = &rest[at + 3..];
        // `)` and `]` are legal inside a URL (a password, a query value), so
        // the URL runs to a space or quote; only closing brackets it does not
        // open, and sentence punctuation, at its very end are given back.
        let end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
            .unwrap_or(after.len());
        let end = trailing_punctuation_start(&after[..end]);
        let (url, tail) = after.split_at(end);
        if scheme_start == at {
            // "://" with no scheme: not a URL, keep as is.
            out.push_str(url);
        } else {
            let authority_end = url.find(['/', '?', '#']).unwrap_or(url.len());
            let authority = &url[..authority_end];
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            out.push_str(host);
            match &url[authority_end..] {
                "" => {}
                "/" => out.push('/'),
                _ => out.push_str("/…"),
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Where the trailing `.,;:!?` and unbalanced `)` / `]` of a URL-like span start.
fn trailing_punctuation_start(span: &str) -> usize {
    let mut end = span.len();
    loop {
        let Some(last) = span[..end].chars().next_back() else {
            return end;
        };
        let unbalanced = |open: char, close: char| {
            let s = &span[..end];
            s.matches(close).count() > s.matches(open).count()
        };
        let give_back = match last {
            '.' | ',' | ';' | ':' | '!' | '?' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            _ => false,
        };
        if !give_back {
            return end;
        }
        end -= last.len_utf8();
    }
}

/// A value for an XML body (TwiML): `& < > " '` as entities.
pub fn xml(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for Slack's mrkdwn: `&`, `<` and `>` are the control characters
/// (links `<url|text>`, mentions `<!channel>`), so they become entities and
/// a packet cannot forge an "Open" link or ping a channel.
pub fn slack(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_cut() {
        assert_eq!(
            urls("provider: error sending request for url (https://AC123:s3cret@api.twilio.com/2010/Messages.json?x=1)"),
            "provider: error sending request for url (https://api.twilio.com/…)"
        );
        assert_eq!(
            urls("GET http://gw.internal:8080/send?api_key=k3y&to=1 failed"),
            "GET http://gw.internal:8080/… failed"
        );
        assert_eq!(
            urls("Slack: https://hooks.slack.com/services/T0/B0/XyZsecret"),
            "Slack: https://hooks.slack.com/…"
        );
        assert_eq!(urls("smtp://user:pw@mail:25"), "smtp://mail:25");
        assert_eq!(urls("https://host/"), "https://host/");
        assert_eq!(urls("no url here: a://"), "no url here: a://");
        assert_eq!(urls("provider answered 401"), "provider answered 401");
    }

    #[test]
    fn a_closing_bracket_inside_a_url_does_not_end_it() {
        // Nothing after a `)` in the query or the password leaks.
        assert_eq!(
            urls("failed: https://gw.example/send?key=a)s3cret more"),
            "failed: https://gw.example/… more"
        );
        assert_eq!(
            urls("(https://AC1:pa)ss@api.example/x?k=v) then"),
            "(https://api.example/…) then"
        );
        assert_eq!(urls("see [https://host/a?k=(v)]."), "see [https://host/…].");
        assert_eq!(urls("at https://host."), "at https://host.");
    }

    #[test]
    fn xml_values_cannot_open_elements() {
        assert_eq!(
            xml(r#"</Say><Dial>+1900</Dial> & "x" 'y'"#),
            "&lt;/Say&gt;&lt;Dial&gt;+1900&lt;/Dial&gt; &amp; &quot;x&quot; &apos;y&apos;"
        );
    }

    #[test]
    fn slack_text_cannot_make_links_or_mentions() {
        assert_eq!(
            slack("<https://evil.example|Open in tapin> <!channel> a&b"),
            "&lt;https://evil.example|Open in tapin&gt; &lt;!channel&gt; a&amp;b"
        );
    }
}
