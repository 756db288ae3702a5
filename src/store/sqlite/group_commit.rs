//! Group commit for the lifecycle writes (handoff creations, transitions,
//! conversation messages, timer reschedules, assist frames).
//!
//! One writer task takes every write waiting in its queue and applies them in
//! one transaction, each inside its own savepoint, so each stays
//! all-or-nothing: a write that fails is rolled back alone and its caller
//! hears why. Every caller is answered only after the batch's COMMIT is
//! durable (WAL, `synchronous = FULL`): one fsync for many requests.
//!
//! The batch runs as one synchronous call on the writer connection's own
//! handle, which sqlx lends out (`lock_handle`), through rusqlite. Through
//! sqlx every statement is a round trip to the connection's worker thread
//! (two thread wake-ups), and a handoff creation has about ten of them
//! (docs/performance.md, write path); here a whole batch costs one.

use super::StoreResult;
use crate::store::StoreError;
use rusqlite::Connection;
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

/// A write: statements on the open transaction; its `i64` is the caller's
/// (a sequence number, a count) and is handed back after the commit.
type Job = Box<dyn FnOnce(&Connection) -> StoreResult<i64> + Send>;

struct Queued {
    job: Job,
    reply: oneshot::Sender<StoreResult<i64>>,
}

/// Most writes in one transaction: bounds how long the first of them waits
/// and how long the write lock is held.
const MAX_BATCH: usize = 64;
/// Writes that may wait for the writer before callers wait to enqueue.
const QUEUE: usize = 4096;
/// Prepared statements kept for the length of a batch (all a batch can use).
const STATEMENTS: usize = 64;

#[derive(Clone)]
pub(super) struct GroupCommit {
    queue: mpsc::Sender<Queued>,
}

impl GroupCommit {
    /// Starts the writer task on the current runtime; it ends when the store
    /// (every sender) is dropped.
    pub(super) fn start(writer: SqlitePool) -> GroupCommit {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer, rx));
        GroupCommit { queue }
    }

    /// Queues `job` and waits until its batch committed (or failed).
    pub(super) async fn write(
        &self,
        job: impl FnOnce(&Connection) -> StoreResult<i64> + Send + 'static,
    ) -> StoreResult<i64> {
        let (reply, answer) = oneshot::channel();
        let queued = Queued {
            job: Box::new(job),
            reply,
        };
        self.queue
            .send(queued)
            .await
            .map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?
    }
}

async fn run(writer: SqlitePool, mut rx: mpsc::Receiver<Queued>) {
    let mut waiting = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut waiting, MAX_BATCH).await > 0 {
        let (jobs, replies): (Vec<Job>, Vec<_>) =
            waiting.drain(..).map(|q| (q.job, q.reply)).unzip();
        crate::telemetry::write_batch(jobs.len());
        let results = apply(&writer, jobs).await;
        for (result, reply) in results.into_iter().zip(replies) {
            // A caller that went away (client disconnected) still had its
            // write applied; nobody is left to tell.
            let _ = reply.send(result);
        }
    }
}

/// Runs one batch on the writer connection; one result per job, in order.
///
/// The batch runs on a blocking thread that owns the connection and its lock
/// from start to end: the statements and the fsync (and SQLite's busy wait,
/// should another process hold the file) never stall the async workers, and
/// cancelling the caller cannot release the lock while the handle is in use.
async fn apply(writer: &SqlitePool, jobs: Vec<Job>) -> Vec<StoreResult<i64>> {
    let n = jobs.len();
    let mut conn = match writer.acquire().await {
        Ok(conn) => conn,
        Err(e) => return every(n, &StoreError::from(e)),
    };
    let runtime = tokio::runtime::Handle::current();
    let done = tokio::task::spawn_blocking(move || {
        let mut locked = match runtime.block_on(conn.lock_handle()) {
            Ok(locked) => locked,
            Err(e) => return every(n, &StoreError::from(e)),
        };
        let handle = locked.as_raw_handle();
        // SAFETY: the handle is sqlx's open connection, locked out of its
        // worker thread while `locked` lives (to the end of this closure);
        // the rusqlite wrapper does not own it (no close on drop) and
        // finalizes its statements when dropped at the end of `batch`.
        match unsafe { Connection::from_handle(handle.as_ptr()) } {
            Ok(c) => {
                // Every statement of the batch stays prepared to its end: a
                // mixed batch uses more than rusqlite's default 16.
                c.set_prepared_statement_cache_capacity(STATEMENTS);
                batch(&c, jobs)
            }
            Err(e) => every(n, &StoreError::from(e)),
        }
    })
    .await;
    done.unwrap_or_else(|e| {
        every(
            n,
            &StoreError::Other(format!("the SQLite writer failed: {e}")),
        )
    })
}

/// BEGIN, each job in its own savepoint, COMMIT. If the transaction itself
/// fails (BEGIN, a savepoint, COMMIT: disk full, I/O), every job fails and
/// nothing of the batch is kept.
fn batch(c: &Connection, jobs: Vec<Job>) -> Vec<StoreResult<i64>> {
    let n = jobs.len();
    if let Err(e) = c.execute_batch("BEGIN IMMEDIATE") {
        return every(n, &e.into());
    }
    let mut results = Vec::with_capacity(n);
    for job in jobs {
        let result = run_cached(c, "SAVEPOINT job")
            .map_err(StoreError::from)
            .and_then(|()| {
                // A panicking job fails alone instead of stopping the writer.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(c)))
                    .unwrap_or_else(|_| Err(StoreError::Other("a write panicked".into())));
                let end = if result.is_ok() {
                    run_cached(c, "RELEASE job")
                } else {
                    c.execute_batch("ROLLBACK TO job; RELEASE job")
                };
                end.map(|()| result).map_err(StoreError::from)
            });
        match result {
            Ok(result) => results.push(result),
            Err(e) => {
                let _ = c.execute_batch("ROLLBACK");
                return every(n, &e);
            }
        }
    }
    match c.execute_batch("COMMIT") {
        Ok(()) => results,
        Err(e) => {
            let _ = c.execute_batch("ROLLBACK");
            every(n, &e.into())
        }
    }
}

/// Runs one statement that returns no rows, prepared once per batch rather
/// than parsed for every job (each job opens and releases its savepoint).
fn run_cached(c: &Connection, sql: &str) -> rusqlite::Result<()> {
    c.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// The same failure for each of `n` callers.
fn every(n: usize, e: &StoreError) -> Vec<StoreResult<i64>> {
    (0..n).map(|_| Err(e.clone())).collect()
}
