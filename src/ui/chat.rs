//! The takeover chat: the messages that arrive after the page was rendered
//! (the transcript so far is server-rendered HTML above it), and the
//! operator's messages sent through an outbox kept in localStorage, so a
//! message typed on a flaky network is retried until the server has it and is
//! never silently lost.

use super::json::{FromJson, Json};
use super::live;
use super::post::post;
use super::types::{Line, SnippetRow};
use leptos::prelude::*;

/// A message typed here that the server has not confirmed yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub client_ref: String,
    pub content: String,
    /// Why the server refused it for good (shown; the operator may discard it).
    pub refused: Option<String>,
}

impl FromJson for Pending {
    fn from_json(j: &Json) -> Option<Self> {
        Some(Pending {
            client_ref: j.str_of("client_ref")?,
            content: j.str_of("content")?,
            refused: j.str_of("refused"),
        })
    }
}

/// The outbox as localStorage keeps it (a JSON array; the names are what
/// earlier versions stored, so a message waiting across an upgrade is kept).
fn outbox_text(outbox: &[Pending]) -> String {
    let items = outbox
        .iter()
        .map(|p| {
            Json::object(&[
                ("client_ref", Some(p.client_ref.as_str())),
                ("content", Some(p.content.as_str())),
                ("refused", p.refused.as_deref()),
            ])
        })
        .collect();
    Json::array(items).text()
}

fn outbox_key(handoff_id: &str) -> String {
    format!("tapin.outbox.{handoff_id}")
}

/// The canned replies a draft of `/word` asks for: shortcuts starting with
/// the word first, then those containing it; at most eight. `None` when the
/// draft is not a lone `/word`.
pub fn snippet_matches<'a>(draft: &str, all: &'a [SnippetRow]) -> Option<Vec<&'a SnippetRow>> {
    let word = draft.strip_prefix('/')?;
    if word.chars().any(char::is_whitespace) {
        return None;
    }
    // Shortcuts are ASCII (lowercase letters, digits, - and _): no Unicode
    // case tables needed in the WASM.
    let word = word.to_ascii_lowercase();
    let starts = all.iter().filter(|s| s.shortcut.starts_with(&word));
    let inside = all
        .iter()
        .filter(|s| !s.shortcut.starts_with(&word) && s.shortcut.contains(&word));
    Some(starts.chain(inside).take(8).collect())
}

/// Adds `line` unless a message with its seq is already shown, keeping seq order.
pub fn merge(lines: &mut Vec<Line>, line: Line) {
    if lines.iter().any(|l| l.seq == line.seq) {
        return;
    }
    let at = lines.partition_point(|l| l.seq < line.seq);
    lines.insert(at, line);
}

/// The takeover's new messages and composer (an island inside `HandoffLive`,
/// whose signals it shares), under the server-rendered transcript.
#[island]
pub fn Chat() -> impl IntoView {
    super::hydrated::island_ready();
    let handoff_id = super::handoff_data::handoff_data().id;
    let live = super::handoff_live::live();
    let lines = live.lines;
    // Whether this operator may write now (accepted and assigned to them).
    let can_write = Signal::derive(move || live.can_write());
    // Stored values are Copy, so the closures below are too.
    let key = StoredValue::new(outbox_key(&handoff_id));
    let id = StoredValue::new(handoff_id);
    let outbox: RwSignal<Vec<Pending>> = RwSignal::new(Vec::new());
    let draft = RwSignal::new(String::new());
    // Canned replies: fetched the first time the operator types `/`.
    let snippets: RwSignal<Option<Vec<SnippetRow>>> = RwSignal::new(None);
    let chosen = RwSignal::new(0usize);
    let dismissed = RwSignal::new(false);
    let matches = Memo::new(move |_| {
        let all = snippets.get()?;
        let draft = draft.get();
        let found: Vec<SnippetRow> = snippet_matches(&draft, &all)?
            .into_iter()
            .cloned()
            .collect();
        (!found.is_empty() && !dismissed.get()).then_some(found)
    });
    let wants_snippets = move || draft.with(|d| d.starts_with('/'));
    Effect::new(move |asked: Option<bool>| {
        let asked = asked.unwrap_or(false);
        if asked || !wants_snippets() {
            return asked;
        }
        leptos::task::spawn_local(async move {
            let id = id.get_value();
            if let Ok(list) = post::<Vec<SnippetRow>>("/fn/snippets", &[("id", &id)]).await {
                snippets.set(Some(list));
            }
        });
        true
    });
    let insert = move |i: usize| {
        if let Some(s) = matches.get_untracked().and_then(|m| m.get(i).cloned()) {
            draft.set(s.body);
            chosen.set(0);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(found) = matches.get_untracked() else {
            return;
        };
        match ev.key().as_str() {
            "ArrowDown" => chosen.update(|c| *c = (*c + 1).min(found.len() - 1)),
            "ArrowUp" => chosen.update(|c| *c = c.saturating_sub(1)),
            "Enter" | "Tab" => insert(chosen.get_untracked().min(found.len() - 1)),
            "Escape" => dismissed.set(true),
            _ => return,
        }
        ev.prevent_default();
    };
    let sending = RwSignal::new(false);
    let offline = RwSignal::new(false);

    let persist = move || {
        live::store(&key.get_value(), &outbox.with_untracked(|o| outbox_text(o)));
    };

    // Sends what is waiting, oldest first; stops at the first network failure
    // and tries again on the next trigger (online event, timer, new message).
    let flush = {
        move || {
            if sending.get_untracked() {
                return;
            }
            let Some(next) = outbox
                .get_untracked()
                .into_iter()
                .find(|p| p.refused.is_none())
            else {
                return;
            };
            sending.set(true);
            leptos::task::spawn_local(async move {
                let id = id.get_value();
                let result = post::<Line>(
                    "/fn/send_message",
                    &[
                        ("id", &id),
                        ("content", &next.content),
                        ("client_ref", &next.client_ref),
                    ],
                )
                .await;
                sending.set(false);
                match result {
                    Ok(line) => {
                        offline.set(false);
                        outbox.update(|o| o.retain(|p| p.client_ref != next.client_ref));
                        live.add_line(line);
                    }
                    Err(e) if e.is_transient() => {
                        offline.set(true);
                        persist();
                        return;
                    }
                    Err(e) => outbox.update(|o| {
                        if let Some(p) = o.iter_mut().find(|p| p.client_ref == next.client_ref) {
                            p.refused = Some(e.message.clone());
                        }
                    }),
                }
                persist();
                // Keep going while there is more.
                #[cfg(feature = "hydrate")]
                if let Some(w) = web_sys::window() {
                    let _ = w.dispatch_event(&web_sys::Event::new("tapin-flush").expect("event"));
                }
            });
        }
    };

    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            if let Some(saved) = live::stored(&key.get_value()) {
                if let Some(saved) = Vec::<Pending>::from_text(&saved) {
                    outbox.set(saved);
                }
            }
            flush();
        });
        let _ = window_event_listener(leptos::ev::online, move |_| flush());
        let _ = window_event_listener(
            leptos::ev::Custom::<leptos::ev::Event>::new("tapin-flush"),
            move |_| flush(),
        );
        let _ = set_interval_with_handle(flush, std::time::Duration::from_secs(5));
    }

    let submit = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = draft.get_untracked().trim().to_string();
            if text.is_empty() {
                return;
            }
            outbox.update(|o| {
                o.push(Pending {
                    client_ref: live::client_ref(),
                    content: text,
                    refused: None,
                })
            });
            persist();
            draft.set(String::new());
            flush();
        }
    };

    let discard = move |client_ref: String| {
        outbox.update(|o| o.retain(|p| p.client_ref != client_ref));
        persist();
    };

    // New messages and the outbox are short lists that only grow or shrink
    // at the end: re-rendered whole, no keyed diffing (its code would be in the WASM).
    view! {
        <ol class="live" aria-live="polite">
            {move || lines.get().into_iter().map(super::handoff_live::line_item).collect_view()}
            {move || outbox.get().into_iter().map(|p| view! {
                <li class="msg operator pending" data-pending="true">
                    <span class="author">
                        {
                            let refused = p.refused.is_some();
                            move || match (refused, offline.get()) {
                                (true, _) => "not sent",
                                (false, true) => "waiting for connection",
                                (false, false) => "sending…",
                            }
                        }
                    </span>
                    <p>{p.content.clone()}</p>
                    {p.refused.clone().map(|why| {
                        let r = p.client_ref.clone();
                        view! {
                            <p class="fine">{why}</p>
                            <button type="button" class="secondary" on:click=move |_| discard(r.clone())>"Discard"</button>
                        }
                    })}
                </li>
            }).collect_view()}
        </ol>
        {move || offline.get().then(|| view! {
            <p class="fine" role="status">"You are offline. Messages are kept on this device and sent when the connection returns."</p>
        })}
        <form class="composer" on:submit=submit>
            <label for="reply" class="sr-only">"Message to the customer"</label>
            <textarea
                id="reply"
                rows="2"
                placeholder=move || if can_write.get() { "Write to the customer… (/ for canned replies)" } else { "Accept the handoff to write" }
                prop:value=move || draft.get()
                on:input=move |ev| {
                    draft.set(event_target_value(&ev));
                    dismissed.set(false);
                    chosen.set(0);
                }
                on:keydown=on_key
                aria-autocomplete="list"
                aria-controls="snippet-list"
                aria-activedescendant=move || matches.get().map(|_| format!("snippet-{}", chosen.get()))
                disabled=move || !can_write.get()
            ></textarea>
            <ul id="snippet-list" role="listbox" aria-label="Canned replies" class="snippets"
                hidden=move || matches.get().is_none()>
                {move || matches.get().unwrap_or_default().into_iter().enumerate().map(|(i, s)| view! {
                    <li role="option" id=format!("snippet-{i}") aria-selected=move || (chosen.get() == i).to_string()
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| insert(i)>
                        <code>{format!("/{}", s.shortcut)}</code>
                        <span>{s.body.clone()}</span>
                    </li>
                }).collect_view()}
            </ul>
            <button type="submit" class="primary" disabled=move || !can_write.get()>"Send"</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outbox_survives_a_reload_and_reads_what_earlier_versions_kept() {
        let outbox = vec![
            Pending {
                client_ref: "m1".into(),
                content: "héllo \"you\" </p>".into(),
                refused: None,
            },
            Pending {
                client_ref: "m2".into(),
                content: "x".into(),
                refused: Some("too long".into()),
            },
        ];
        assert_eq!(
            Vec::<Pending>::from_text(&outbox_text(&outbox)),
            Some(outbox)
        );
        // As serde wrote it before this file read JSON by hand.
        let earlier = r#"[{"client_ref":"m9","content":"hi","refused":null}]"#;
        assert_eq!(
            Vec::<Pending>::from_text(earlier),
            Some(vec![Pending {
                client_ref: "m9".into(),
                content: "hi".into(),
                refused: None
            }])
        );
    }

    fn line(seq: i64) -> Line {
        Line {
            seq,
            author: "user".into(),
            content: format!("m{seq}"),
            created_at: String::new(),
        }
    }

    #[test]
    fn a_slash_word_finds_canned_replies_by_shortcut() {
        let row = |s: &str| SnippetRow {
            id: s.into(),
            shortcut: s.into(),
            body: format!("text of {s}"),
        };
        let all = vec![
            row("greet"),
            row("refund-policy"),
            row("policy"),
            row("bye"),
        ];
        let names = |d: &str| -> Option<Vec<String>> {
            snippet_matches(d, &all).map(|m| m.into_iter().map(|s| s.shortcut.clone()).collect())
        };
        assert_eq!(names("/pol").unwrap(), ["policy", "refund-policy"]);
        assert_eq!(names("/").unwrap().len(), 4);
        assert_eq!(names("/GREET").unwrap(), ["greet"]);
        assert_eq!(names("/nothing").unwrap(), Vec::<String>::new());
        assert_eq!(names("hello /greet"), None);
        assert_eq!(names("/greet and more"), None);
    }

    #[test]
    fn merging_keeps_order_and_drops_duplicates() {
        let mut lines = vec![line(1), line(3)];
        merge(&mut lines, line(2));
        merge(&mut lines, line(3));
        merge(&mut lines, line(4));
        let seqs: Vec<i64> = lines.iter().map(|l| l.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4]);
    }
}
