//! The page title. `leptos_meta` 0.8 writes `<Title>` text into the server's
//! HTML without escaping it (its `<head>` renderer pushes the string as is),
//! so a packet's `</title><img onerror=…>` would become markup. We escape it
//! ourselves for the server render only; in the browser the same component
//! sets `document.title`, which is plain text, so there the text stays raw.

use leptos::prelude::*;
use leptos_meta::Title;

/// `<title>` content as text, never markup (RCDATA: `&` and `<` suffice, `>` for symmetry).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let text = if cfg!(feature = "ssr") {
        escape(&text)
    } else {
        text
    };
    view! { <Title text=text/> }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_a_title_stays_text() {
        assert_eq!(
            super::escape("Refund</title><img src=x onerror=alert(1)> & co"),
            "Refund&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co"
        );
    }
}
