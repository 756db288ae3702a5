//! The one header of every signed-in page: where you are, the way to every
//! other page, who is signed in, and Sign out. Server-rendered HTML with
//! plain links and a plain form post: it costs no WASM and works without it.

use super::types::DeskUser;
use leptos::prelude::*;

/// The page a header is on (marked `aria-current="page"`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Here {
    Inbox,
    History,
    Settings,
    Admin,
    Handoff,
}

impl Here {
    fn label(self) -> &'static str {
        match self {
            Here::Inbox => "Inbox",
            Here::History => "History",
            Here::Settings => "Settings",
            Here::Admin => "Administration",
            Here::Handoff => "Handoff",
        }
    }
}

/// The pages of Administration, under the header on each of them.
#[component]
pub fn AdminNav(here: &'static str) -> impl IntoView {
    const PAGES: [(&str, &str); 4] = [
        ("/admin", "Organization"),
        ("/admin/routing", "Routing"),
        ("/admin/webhooks", "Webhooks"),
        ("/admin/metrics", "Time to human"),
    ];
    view! {
        <nav class="subnav" aria-label="Administration">
            {PAGES.map(|(href, label)| {
                let current = (href == here).then_some("page");
                view! { <a href=href aria-current=current>{label}</a> }
            })}
        </nav>
    }
}

/// `user` is `None` when nobody is signed in (the page then says so itself).
/// A link session reaches its one handoff only, so it is offered a sign-in
/// instead of links it could not follow. `children` go at the end of the bar
/// (the handoff page's live status).
#[component]
pub fn DeskHeader(
    here: Here,
    user: Option<DeskUser>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let link = move |to: Here, href: &'static str| {
        let current = (to == here).then_some("page");
        view! { <a href=href aria-current=current>{to.label()}</a> }
    };
    let nav = match &user {
        Some(u) if !u.link_only => Some(view! {
            <nav class="desk-nav" aria-label="Main">
                {link(Here::Inbox, "/inbox")}
                {link(Here::History, "/history")}
                {link(Here::Settings, "/settings")}
                {u.admin.then(|| link(Here::Admin, "/admin"))}
            </nav>
        }),
        _ => None,
    };
    let account = match user {
        Some(u) if u.link_only => view! {
            <span class="who">{u.name}</span>
            <a href="/login?next=/inbox" data-testid="sign-in-for-more">"Sign in for more"</a>
        }
        .into_any(),
        Some(u) => view! {
            <span class="who" data-testid="signed-in-as">{u.name}</span>
            // A plain post: the server function signs out and redirects to /login.
            <form method="post" action="/fn/logout" class="signout">
                <button type="submit" class="link">"Sign out"</button>
            </form>
        }
        .into_any(),
        None => view! { <a href="/login">"Sign in"</a> }.into_any(),
    };
    view! {
        <header class="bar desk">
            <a class="brand" href="/inbox" title="tapin: the inbox">"tapin"</a>
            <span class="here" aria-hidden="true">{here.label()}</span>
            {nav}
            <span class="account">{account}</span>
            {children.map(|c| c())}
        </header>
        <ShortcutsHelp/>
    }
}

/// The `?` dialog, and the plain script that handles the keys (`public/keys.js`:
/// DOM-only work, so it costs no WASM and needs no island).
#[component]
fn ShortcutsHelp() -> impl IntoView {
    const KEYS: [(&str, &str); 7] = [
        ("j / k", "next / previous item"),
        ("Enter", "open the item"),
        ("/", "search"),
        ("a", "approve: focuses the note, Enter approves"),
        ("d", "deny: focuses the note, Enter denies"),
        ("Esc", "back out of a or d"),
        ("?", "show or hide these shortcuts"),
    ];
    view! {
        <dialog id="shortcuts" aria-labelledby="shortcuts-h">
            <h2 id="shortcuts-h">"Keyboard shortcuts"</h2>
            <dl class="keys">
                {KEYS.map(|(k, what)| view! { <dt><kbd>{k}</kbd></dt><dd>{what}</dd> })}
            </dl>
            <p class="fine">"Keys do nothing while you type in a field."</p>
            <form method="dialog"><button type="submit" class="secondary">"Close"</button></form>
        </dialog>
        <script src="/keys.js" defer></script>
    }
}
