//! Browser-only plumbing for the operator page: live streams, the local
//! outbox store and the clock. On the server these are no-ops.

/// Seconds since the epoch, on either side.
pub fn now_unix() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    }
}

/// A reference for a message typed on this device (unique enough per conversation).
pub fn client_ref() -> String {
    #[cfg(feature = "hydrate")]
    {
        let r = (js_sys::Math::random() * 1e15) as u64;
        format!("m{:x}{:x}", js_sys::Date::now() as u64, r)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// Every lifecycle event name a stream of audit events can carry.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub const EVENT_NAMES: [&str; 19] = [
    "create",
    "notify",
    "escalate",
    "open",
    "assign",
    "accept",
    "resolve",
    "hand_back",
    "decide",
    "freeze",
    "act",
    "vote",
    "solve",
    "request_resume",
    "resume",
    "complete",
    "fail",
    "expire",
    "cancel",
];

/// Follows an SSE URL; `on_event(name, data)` for every named event. The
/// browser reconnects by itself and sends Last-Event-ID, so nothing is missed.
#[cfg(feature = "hydrate")]
pub fn follow(url: &str, names: &[&str], on_event: impl Fn(String, String) + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new(url) else {
        return;
    };
    let on_event = std::rc::Rc::new(on_event);
    for name in names {
        let f = on_event.clone();
        let n = name.to_string();
        let cb =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(data) = e.data().as_string() {
                    f(n.clone(), data);
                }
            });
        let _ = source.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
        // The page lives as long as the stream: the listener is never removed.
        cb.forget();
    }
}

/// Reads a value from localStorage (kept across reloads and offline).
#[cfg(feature = "hydrate")]
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Writes a value to localStorage.
pub fn store(key: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(key, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stream_listens_for_every_lifecycle_event() {
        let mut expected: Vec<&str> = crate::domain::Event::ALL
            .iter()
            .map(|e| e.as_str())
            .collect();
        expected.insert(0, "create");
        assert_eq!(super::EVENT_NAMES.to_vec(), expected);
    }
}
