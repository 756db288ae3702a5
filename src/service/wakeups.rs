//! Wake-ups by handoff and by conversation for live streams and long-polls.
//!
//! The bus (`App::bus`) hands every commit notice to every listener, which is
//! right for organization-wide streams but makes one customer message wake all
//! 10,000 open operator streams to find the ten that follow that conversation.
//! Here a listener watches one key and only that key's commits wake it. Like
//! the bus, a wake-up only says "read the store again": a watch counts
//! changes, so one that lands between a listener's read and its wait is seen
//! (never lost), and several collapse into one re-read.

use super::Notice;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// What a listener follows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Handoff(String),
    Conversation(String),
}

impl Key {
    /// The keys a commit notice wakes.
    fn of(n: &Notice) -> impl Iterator<Item = Key> + '_ {
        let h = n.handoff_id.iter().map(|id| Key::Handoff(id.clone()));
        let c = n
            .conversation_id
            .iter()
            .map(|id| Key::Conversation(id.clone()));
        h.chain(c)
    }
}

/// The watched keys; an entry lives while someone watches it.
#[derive(Default)]
pub struct Hub {
    keys: Mutex<HashMap<Key, watch::Sender<u64>>>,
}

impl Hub {
    /// Starts watching `key`: changes from now on wake `Watch::changed`.
    pub fn watch(self: &Arc<Self>, key: Key) -> Watch {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        let rx = keys
            .entry(key.clone())
            .or_insert_with(|| watch::channel(0).0)
            .subscribe();
        Watch {
            rx,
            key,
            hub: self.clone(),
        }
    }

    /// Wakes whoever watches a key the notice names.
    pub fn wake(&self, n: &Notice) {
        let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        for key in Key::of(n) {
            if let Some(tx) = keys.get(&key) {
                tx.send_modify(|v| *v = v.wrapping_add(1));
            }
        }
    }

    /// How many keys are watched now (tests, metrics).
    pub fn watched(&self) -> usize {
        self.keys.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// One listener's watch on one key.
pub struct Watch {
    rx: watch::Receiver<u64>,
    key: Key,
    hub: Arc<Hub>,
}

impl Watch {
    /// The key's version now, marked as seen: a read started after this sees
    /// every commit announced up to it (`shared_reads` keys reads by it).
    pub fn seen(&mut self) -> u64 {
        *self.rx.borrow_and_update()
    }

    /// Waits for a change of the key after the last one seen.
    pub async fn changed(&mut self) {
        // The sender lives in the hub while this receiver does: no error.
        if self.rx.changed().await.is_err() {
            std::future::pending::<()>().await
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut keys = self.hub.keys.lock().unwrap_or_else(|p| p.into_inner());
        // This receiver is still counted: 1 means nobody else watches the key.
        if keys
            .get(&self.key)
            .is_some_and(|tx| tx.receiver_count() <= 1)
        {
            keys.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn notice(h: Option<&str>, c: Option<&str>) -> Notice {
        Notice {
            organization_id: "o".into(),
            handoff_id: h.map(str::to_string),
            conversation_id: c.map(str::to_string),
        }
    }

    async fn woke(w: &mut Watch) -> bool {
        tokio::time::timeout(Duration::from_millis(50), w.changed())
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn only_the_named_keys_wake_and_a_change_before_the_wait_is_not_lost() {
        let hub = Arc::new(Hub::default());
        let mut h1 = hub.watch(Key::Handoff("h1".into()));
        let mut h2 = hub.watch(Key::Handoff("h2".into()));
        let mut c1 = hub.watch(Key::Conversation("c1".into()));
        // The change lands before anyone waits: each wait still sees it.
        hub.wake(&notice(Some("h1"), Some("c1")));
        assert!(woke(&mut h1).await);
        assert!(woke(&mut c1).await);
        assert!(!woke(&mut h2).await, "another handoff's commit");
        // Seen once: no second wake-up without a new change.
        assert!(!woke(&mut h1).await);
        hub.wake(&notice(Some("h2"), None));
        assert!(woke(&mut h2).await);
        assert!(!woke(&mut c1).await);
    }

    #[tokio::test]
    async fn a_key_is_forgotten_when_its_last_watch_goes() {
        let hub = Arc::new(Hub::default());
        let a = hub.watch(Key::Conversation("c".into()));
        let mut b = hub.watch(Key::Conversation("c".into()));
        assert_eq!(hub.watched(), 1);
        drop(a);
        assert_eq!(hub.watched(), 1, "b still watches");
        hub.wake(&notice(None, Some("c")));
        assert!(woke(&mut b).await);
        drop(b);
        assert_eq!(hub.watched(), 0);
        // Waking a key nobody watches is nothing.
        hub.wake(&notice(None, Some("c")));
        assert_eq!(hub.watched(), 0);
    }
}
