//! Group commit for the lifecycle writes (handoff creations, transitions,
//! conversation messages, timer reschedules, assist frames).
//!
//! One writer thread takes every write waiting in its queue and applies them
//! in one transaction, each still all-or-nothing: a write that fails is
//! rolled back alone and its caller hears why (see `batch` for how). Every
//! caller is answered only after the batch's COMMIT is durable (WAL,
//! `synchronous = FULL`): one fsync for many requests.
//!
//! The batch runs as one synchronous call on the writer connection's own
//! handle, which sqlx lends out (`lock_handle`), through rusqlite. Through
//! sqlx every statement is a round trip to the connection's worker thread
//! (two thread wake-ups), and a handoff creation has about ten of them
//! (docs/performance.md, write path); here the handle is taken once for
//! all the batches the writer runs while it holds the connection.

use super::StoreResult;
use crate::store::StoreError;
use rusqlite::Connection;
use sqlx::SqlitePool;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot};

/// A write: statements on the open transaction; its `i64` is the caller's
/// (a sequence number, a count) and is handed back after the commit. `Fn`,
/// not `FnOnce`: a batch whose first pass failed runs its jobs again.
type Job = Box<dyn Fn(&Connection) -> StoreResult<i64> + Send>;

struct Queued {
    job: Job,
    reply: oneshot::Sender<StoreResult<i64>>,
}

/// Most writes in one transaction: bounds how long the first of them waits
/// and how long the write lock is held.
const MAX_BATCH: usize = 64;
/// Writes that may wait for the writer before callers wait to enqueue.
const QUEUE: usize = 4096;
/// Prepared statements kept while the writer holds its connection (all a
/// batch can use).
const STATEMENTS: usize = 64;
/// Longest the writer keeps its connection while writes keep coming: how long
/// a write outside the group commit may wait for it beyond one batch.
const HOLD: Duration = Duration::from_millis(10);

#[derive(Clone)]
pub(super) struct GroupCommit {
    queue: mpsc::Sender<Queued>,
}

impl GroupCommit {
    /// Starts the writer thread; it ends when the store (every sender) is
    /// dropped. Its writes run on the current runtime's sqlx pool.
    pub(super) fn start(writer: SqlitePool) -> GroupCommit {
        let (queue, rx) = mpsc::channel(QUEUE);
        let runtime = tokio::runtime::Handle::current();
        std::thread::Builder::new()
            .name("tapin-writer".into())
            .spawn(move || run(&runtime, &writer, rx))
            .expect("the SQLite writer thread starts");
        GroupCommit { queue }
    }

    /// Queues `job` and waits until its batch committed (or failed).
    pub(super) async fn write(
        &self,
        job: impl Fn(&Connection) -> StoreResult<i64> + Send + 'static,
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

/// The writer thread: sleeps until a write arrives, then holds the writer
/// connection for as long as writes keep arriving (`hold`).
///
/// A thread of its own, not a task: the batch's statements and its fsync
/// never stall the async workers, and no batch waits for a worker to be free
/// to start it or to hear that it ended (at full load the workers are busy
/// with HTTP; waiting for them took a third of each batch's time,
/// docs/performance.md).
fn run(runtime: &Handle, writer: &SqlitePool, mut rx: mpsc::Receiver<Queued>) {
    while let Some(first) = rx.blocking_recv() {
        // sqlx returns a pool connection to its pool on a task of the runtime.
        let _runtime = runtime.enter();
        hold(runtime, writer, &mut rx, first);
    }
}

/// Takes the writer connection and its lock, and runs batch after batch on
/// it while the queue has writes, for at most `HOLD`: then the connection
/// goes back to the pool, where the writes that do not go through the group
/// commit (sessions, keys, outbox claims) wait for it. Holding it across
/// batches spares each batch the hand-over from sqlx's worker thread and
/// keeps the prepared statements.
fn hold(runtime: &Handle, writer: &SqlitePool, rx: &mut mpsc::Receiver<Queued>, first: Queued) {
    // Without the connection, the write that woke the writer hears why.
    let refuse = |first: Queued, e: StoreError| drop(first.reply.send(Err(e)));
    let mut conn = match runtime.block_on(writer.acquire()) {
        Ok(conn) => conn,
        Err(e) => return refuse(first, e.into()),
    };
    let mut locked = match runtime.block_on(conn.lock_handle()) {
        Ok(locked) => locked,
        Err(e) => return refuse(first, e.into()),
    };
    let handle = locked.as_raw_handle();
    // SAFETY: the handle is sqlx's open connection, locked out of its worker
    // thread while `locked` lives (to the end of this function); the rusqlite
    // wrapper does not own it (no close on drop) and finalizes its prepared
    // statements when it is dropped: declared after `locked`, before it.
    let c = match unsafe { Connection::from_handle(handle.as_ptr()) } {
        Ok(c) => c,
        Err(e) => return refuse(first, e.into()),
    };
    // Every statement a mixed batch uses stays prepared (rusqlite keeps 16).
    c.set_prepared_statement_cache_capacity(STATEMENTS);
    let mut waiting = vec![first];
    let since = Instant::now();
    loop {
        while waiting.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(q) => waiting.push(q),
                Err(_) => break,
            }
        }
        if waiting.is_empty() {
            break;
        }
        let (jobs, replies): (Vec<Job>, Vec<_>) =
            waiting.drain(..).map(|q| (q.job, q.reply)).unzip();
        crate::telemetry::write_batch(jobs.len());
        // A bug in the writer itself fails its batch, not every later write.
        let results = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| batch(&c, &jobs)))
            .unwrap_or_else(|_| {
                let _ = c.execute_batch("ROLLBACK");
                every(
                    jobs.len(),
                    &StoreError::Other("the SQLite writer failed".into()),
                )
            });
        answer_each(replies, results);
        if since.elapsed() >= HOLD {
            break;
        }
    }
}

/// Tells each caller its result. A caller that went away (client
/// disconnected) still had its write applied; nobody is left to tell.
fn answer_each(replies: Vec<oneshot::Sender<StoreResult<i64>>>, results: Vec<StoreResult<i64>>) {
    for (reply, result) in replies.into_iter().zip(results) {
        let _ = reply.send(result);
    }
}

/// Applies a batch in one transaction: first every job straight on it, and
/// if all succeed, COMMIT. A job that fails may have written part of its
/// rows, so then nothing of that pass is kept: ROLLBACK, and the batch runs
/// again with each job in its own savepoint (`guarded`), where a failing job
/// is rolled back alone. Jobs are plain statements on their inputs, so the
/// second run of those that succeeded writes what the first did.
///
/// Failures are rare (a lost race, a used link), and a savepoint is not free:
/// SQLite copies each page a savepoint changes into a statement journal first,
/// about a fifth of the writer's work per write (docs/performance.md).
fn batch(c: &Connection, jobs: &[Job]) -> Vec<StoreResult<i64>> {
    let n = jobs.len();
    if let Err(e) = c.execute_batch("BEGIN IMMEDIATE") {
        return every(n, &e.into());
    }
    let mut results = Vec::with_capacity(n);
    for job in jobs {
        match run_job(c, job) {
            Ok(value) => results.push(Ok(value)),
            Err(failed) => {
                // SQLite has already rolled back after some errors (disk
                // full, I/O); then the callers hear that error.
                if c.is_autocommit() {
                    return every(n, &failed);
                }
                if let Err(e) = c.execute_batch("ROLLBACK; BEGIN IMMEDIATE") {
                    let _ = c.execute_batch("ROLLBACK");
                    return every(n, &e.into());
                }
                return guarded(c, jobs).unwrap_or_else(|e| {
                    let _ = c.execute_batch("ROLLBACK");
                    every(n, &e)
                });
            }
        }
    }
    commit(c, results)
}

/// The open transaction, each job in its own savepoint, then COMMIT. If the
/// transaction itself fails (a savepoint, COMMIT: disk full, I/O), the error
/// is returned and the caller rolls back: nothing of the batch is kept.
fn guarded(c: &Connection, jobs: &[Job]) -> StoreResult<Vec<StoreResult<i64>>> {
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        run_cached(c, "SAVEPOINT job")?;
        let result = run_job(c, job);
        if result.is_ok() {
            run_cached(c, "RELEASE job")?;
        } else {
            c.execute_batch("ROLLBACK TO job; RELEASE job")?;
        }
        results.push(result);
    }
    Ok(commit(c, results))
}

/// One job; a panicking job fails alone instead of stopping the writer.
fn run_job(c: &Connection, job: &Job) -> StoreResult<i64> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(c)))
        .unwrap_or_else(|_| Err(StoreError::Other("a write panicked".into())))
}

/// COMMIT, then every job's own result; if the COMMIT fails, nothing is kept
/// and every job hears why.
fn commit(c: &Connection, results: Vec<StoreResult<i64>>) -> Vec<StoreResult<i64>> {
    match c.execute_batch("COMMIT") {
        Ok(()) => results,
        Err(e) => {
            let _ = c.execute_batch("ROLLBACK");
            every(results.len(), &e.into())
        }
    }
}

/// Runs one statement that returns no rows, prepared once while the writer
/// holds its connection rather than parsed for every job (each job of a
/// guarded pass opens and releases its savepoint).
fn run_cached(c: &Connection, sql: &str) -> rusqlite::Result<()> {
    c.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// The same failure for each of `n` callers.
fn every(n: usize, e: &StoreError) -> Vec<StoreResult<i64>> {
    (0..n).map(|_| Err(e.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY)")
            .unwrap();
        c
    }

    /// Inserts `a`, then `b`: a duplicate `b` fails after `a` was written.
    fn insert_two(a: &'static str, b: &'static str) -> Job {
        Box::new(move |c: &Connection| {
            c.execute("INSERT INTO t (k) VALUES (?)", [a])?;
            c.execute("INSERT INTO t (k) VALUES (?)", [b])?;
            Ok(c.last_insert_rowid())
        })
    }

    fn keys(c: &Connection) -> Vec<String> {
        let mut s = c.prepare("SELECT k FROM t ORDER BY k").unwrap();
        let rows = s.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    }

    #[test]
    fn a_batch_that_succeeds_keeps_every_write_and_answers_each() {
        let c = table();
        let results = batch(&c, &[insert_two("a", "b"), insert_two("c", "d")]);
        let values: Vec<i64> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(values, [2, 4]);
        assert_eq!(keys(&c), ["a", "b", "c", "d"]);
        assert!(c.is_autocommit(), "the transaction is closed");
    }

    #[test]
    fn a_write_that_fails_half_way_is_rolled_back_alone() {
        let c = table();
        // The second job writes "x", then collides with the first job's "b".
        let jobs = [
            insert_two("a", "b"),
            insert_two("x", "b"),
            insert_two("c", "d"),
        ];
        let results = batch(&c, &jobs);
        assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
        assert!(
            matches!(results[1], Err(StoreError::Duplicate)),
            "{results:?}"
        );
        assert_eq!(
            keys(&c),
            ["a", "b", "c", "d"],
            "nothing of the failed write"
        );
        assert!(c.is_autocommit());
    }

    #[test]
    fn a_panicking_write_fails_alone() {
        let c = table();
        let jobs: [Job; 3] = [
            insert_two("a", "b"),
            Box::new(|c: &Connection| {
                c.execute("INSERT INTO t (k) VALUES ('p')", [])?;
                panic!("a bug in one write")
            }),
            insert_two("c", "d"),
        ];
        let results = batch(&c, &jobs);
        assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
        assert!(matches!(&results[1], Err(StoreError::Other(_))));
        assert_eq!(keys(&c), ["a", "b", "c", "d"]);
    }

    #[test]
    fn a_failing_commit_fails_every_write_and_keeps_nothing() {
        let c = table();
        c.execute_batch(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
             PRAGMA foreign_keys = ON;",
        )
        .unwrap();
        // A deferred foreign key is checked at COMMIT, which then fails.
        let jobs: [Job; 2] = [
            insert_two("a", "b"),
            Box::new(
                |c: &Connection| Ok(c.execute("INSERT INTO child (p) VALUES (7)", [])? as i64),
            ),
        ];
        let results = batch(&c, &jobs);
        assert!(results.iter().all(Result::is_err), "{results:?}");
        assert_eq!(keys(&c), Vec::<String>::new());
        assert!(c.is_autocommit());
    }
}
