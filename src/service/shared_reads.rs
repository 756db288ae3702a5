//! One store read shared by the listeners that one commit wakes together.
//!
//! A customer message wakes every operator stream that follows its
//! conversation (a hundred in the live bench's 10,000-stream run), and each
//! then reads the same new rows. Here the first of them reads and the others
//! wait for its answer.
//!
//! Sharing must never hide a commit from a listener. A read is keyed by the
//! wake-up version its listener saw (`wakeups::Watch::seen`) before it
//! started, and a listener joins only a read keyed by the version it saw
//! itself. That read began after that version was announced, so it sees every
//! commit announced up to it; a later commit has a later version and wakes the
//! listener again.

use super::App;
use crate::domain::audit::ChainedEvent;
use crate::domain::records::Message;
use crate::error::AppError;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// A read's answer as its sharers get it (the cause of an error is logged once).
type Answer<T> = Result<Arc<T>, ()>;

/// Concurrent calls with the same key share one run of the first caller's read.
pub struct SingleFlight<K, V> {
    running: Mutex<HashMap<K, Arc<OnceCell<V>>>>,
}

impl<K, V> Default for SingleFlight<K, V> {
    fn default() -> Self {
        Self {
            running: Mutex::default(),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> SingleFlight<K, V> {
    /// `read`'s answer, or the answer of the read already running for `key`.
    /// A caller that goes away mid-read leaves it to the next waiter
    /// (`OnceCell` runs the read again for it).
    pub async fn run<F, Fut>(&self, key: K, read: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        let cell = self
            .lock()
            .entry(key.clone())
            .or_insert_with(|| Arc::new(OnceCell::new()))
            .clone();
        // Forgets the entry when this call ends, done or cancelled (see `Forget`).
        let _forget = Forget {
            flight: self,
            key: &key,
            cell: &cell,
        };
        cell.get_or_init(read).await.clone()
    }

    /// How many reads are running now (tests).
    pub fn running(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Arc<OnceCell<V>>>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Removes a call's entry when the call ends: once its read is done (who
/// comes next reads afresh; waiters keep their `Arc`), or when it is cancelled
/// and nobody else waits on the entry (else an abandoned entry would stay).
struct Forget<'a, K: Hash + Eq + Clone, V: Clone> {
    flight: &'a SingleFlight<K, V>,
    key: &'a K,
    cell: &'a Arc<OnceCell<V>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Drop for Forget<'_, K, V> {
    fn drop(&mut self) {
        let mut running = self.flight.lock();
        // Clones are taken under this lock: 2 = the map's and this call's.
        let ours = running
            .get(self.key)
            .is_some_and(|c| Arc::ptr_eq(c, self.cell));
        if ours && (self.cell.initialized() || Arc::strong_count(self.cell) <= 2) {
            running.remove(self.key);
        }
    }
}

/// (conversation, after seq, limit, wake-up version seen)
type MessagesKey = (String, i64, i64, u64);
/// (organization, handoff, after seq, limit, wake-up version seen)
type EventsKey = (String, String, i64, i64, u64);

/// The reads live streams share (`App::shared_reads`).
#[derive(Default)]
pub struct SharedReads {
    messages: SingleFlight<MessagesKey, Answer<Vec<Message>>>,
    events: SingleFlight<EventsKey, Answer<Vec<ChainedEvent>>>,
}

fn shared<T>(r: Result<T, crate::store::StoreError>, what: &str) -> Answer<T> {
    r.map(Arc::new).map_err(|e| {
        tracing::error!(error = %e, "shared read of {what} failed");
    })
}

/// A conversation's messages after `after_seq`, for a listener that saw
/// wake-up version `seen` of it.
pub async fn messages_after(
    app: &App,
    conversation_id: &str,
    after_seq: i64,
    limit: i64,
    seen: u64,
) -> Result<Arc<Vec<Message>>, AppError> {
    let key = (conversation_id.to_string(), after_seq, limit, seen);
    let read = || async {
        let r = app
            .store
            .messages(conversation_id, after_seq, None, limit)
            .await;
        shared(r, "messages")
    };
    app.shared_reads
        .messages
        .run(key, read)
        .await
        .map_err(|()| AppError::internal())
}

/// A handoff's audit events after `after_seq`, for a listener that saw
/// wake-up version `seen` of it.
pub async fn events_after(
    app: &App,
    org_id: &str,
    handoff_id: &str,
    after_seq: i64,
    limit: i64,
    seen: u64,
) -> Result<Arc<Vec<ChainedEvent>>, AppError> {
    let key = (
        org_id.to_string(),
        handoff_id.to_string(),
        after_seq,
        limit,
        seen,
    );
    let read = || async {
        let r = app
            .store
            .events_after(org_id, Some(handoff_id), after_seq, limit)
            .await;
        shared(r, "audit events")
    };
    app.shared_reads
        .events
        .run(key, read)
        .await
        .map_err(|()| AppError::internal())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::sync::Notify;

    #[tokio::test]
    async fn callers_with_one_key_share_one_read_and_other_keys_read_their_own() {
        let flight = SingleFlight::<u64, usize>::default();
        let reads = AtomicUsize::new(0);
        let (gate, _) = tokio::sync::watch::channel(false);
        let call = |key: u64| {
            flight.run(key, || async {
                let mut open = gate.subscribe();
                let _ = open.wait_for(|o| *o).await;
                reads.fetch_add(1, Ordering::SeqCst) + 1
            })
        };
        // `join!` polls every call once before any read may finish: all
        // five calls for key 7 are waiting when the gate opens.
        let opener = async {
            while flight.running() < 2 {
                tokio::task::yield_now().await;
            }
            gate.send_replace(true);
        };
        let (answers, other, ()) = tokio::join!(
            futures::future::join_all((0..5).map(|_| call(7))),
            call(8),
            opener
        );
        assert_eq!(reads.load(Ordering::SeqCst), 2, "one read per key");
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        assert_ne!(other, answers[0], "key 8 had its own read");
        assert_eq!(flight.running(), 0, "finished reads are forgotten");
        // A call after the shared read finished reads afresh.
        assert_eq!(flight.run(7, || async { 99 }).await, 99);
    }

    #[tokio::test]
    async fn a_caller_that_goes_away_mid_read_leaves_it_to_the_next_or_forgets_it() {
        let flight = Arc::new(SingleFlight::<u64, &'static str>::default());
        let stuck = |flight: Arc<SingleFlight<u64, &'static str>>| {
            let started = Arc::new(Notify::new());
            let task = {
                let started = started.clone();
                tokio::spawn(async move {
                    flight
                        .run(1, || async move {
                            started.notify_one();
                            std::future::pending::<&'static str>().await
                        })
                        .await
                })
            };
            (task, started)
        };
        // Alone: its entry goes with it.
        let (first, started) = stuck(flight.clone());
        started.notified().await;
        first.abort();
        let _ = first.await;
        assert_eq!(flight.running(), 0, "an abandoned read is forgotten");
        // With a waiter: `join!` polls the first (its read starts and never
        // ends), then the second (it waits on the first's entry), then
        // cancels the first; the waiter runs its own read.
        let (first, cancel) =
            futures::future::abortable(flight.run(1, std::future::pending::<&'static str>));
        let second = flight.run(1, || async { "read again" });
        let (first, second, ()) = tokio::join!(first, second, async {
            assert_eq!(flight.running(), 1, "one entry, two callers");
            cancel.abort();
        });
        assert!(first.is_err(), "the first was cancelled");
        assert_eq!(second, "read again");
        assert_eq!(flight.running(), 0);
    }
}
