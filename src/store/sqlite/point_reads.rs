//! Point reads on the request's own thread: the rows nearly every API
//! request reads first (its key or session, the conversation, the handoff, each one row
//! by its key) come through rusqlite on a connection of this small pool,
//! without sqlx's round trip to a worker thread. That round trip is two
//! thread wake-ups, which cost more CPU than the read itself
//! (docs/performance.md, write path). In WAL mode a reader never waits for the
//! writer, and such a row is a few microseconds away in the page cache.
//!
//! A read that finds the database busy (only while SQLite recovers a WAL, or
//! another process holds an exclusive lock) does not stall the async worker:
//! it waits on a blocking thread instead, with the sqlx pools' patience.

use super::StoreResult;
use crate::store::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// Connections kept open between reads (a busy node uses about one per core).
const IDLE_MAX: usize = 8;
/// How long a read that found the database busy may wait on its blocking thread.
const PATIENCE: Duration = Duration::from_secs(10);

pub(super) struct PointReads {
    file: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl PointReads {
    pub(super) fn new(file: PathBuf) -> PointReads {
        PointReads {
            file,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `read` (a query by key) and hands back its answer.
    pub(super) async fn read<T, F>(&self, read: F) -> StoreResult<T>
    where
        F: Fn(&Connection) -> rusqlite::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let c = self.take()?;
        match read(&c) {
            Err(e) if busy(&e) => {}
            answer => {
                self.give(c);
                return answer.map_err(StoreError::from);
            }
        }
        let waited = tokio::task::spawn_blocking(move || {
            let _ = c.busy_timeout(PATIENCE);
            let answer = read(&c);
            let _ = c.busy_timeout(Duration::ZERO);
            (c, answer)
        })
        .await;
        let (c, answer) =
            waited.map_err(|e| StoreError::Other(format!("a point read failed: {e}")))?;
        self.give(c);
        answer.map_err(StoreError::from)
    }

    /// The row `sql` finds for `params` (one text value per `?`), if any, read by `row`.
    pub(super) async fn optional<T, S>(
        &self,
        sql: S,
        params: Vec<String>,
        row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Option<T>>
    where
        S: AsRef<str> + Send + 'static,
        T: Send + 'static,
    {
        use rusqlite::OptionalExtension;
        self.read(move |c| {
            c.prepare_cached(sql.as_ref())?
                .query_row(rusqlite::params_from_iter(&params), row)
                .optional()
        })
        .await
    }

    fn take(&self) -> StoreResult<Connection> {
        if let Some(c) = self.lock().pop() {
            return Ok(c);
        }
        // Read-write without create: the file and its WAL index exist (the
        // writer migrated them), and `query_only` keeps this connection a reader.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let c = Connection::open_with_flags(&self.file, flags)?;
        c.execute_batch("PRAGMA query_only = 1")?;
        // Busy is answered at once here and waited for on a blocking thread.
        c.busy_timeout(Duration::ZERO)?;
        Ok(c)
    }

    fn give(&self, c: Connection) {
        let mut idle = self.lock();
        if idle.len() < IDLE_MAX {
            idle.push(c);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // Only pushes and pops happen under the lock: nothing to be left half done.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A row type read by column name from rusqlite, the names sqlx's `FromRow`
/// reads for the same type.
macro_rules! by_name {
    ($row:ident { $($field:ident),* $(,)? }) => {
        impl $row {
            pub(super) fn by_name(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok($row { $($field: r.get(stringify!($field))?),* })
            }
        }
    };
}
pub(crate) use by_name;

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::OptionalExtension;

    fn store_file() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.db");
        let c = Connection::open(&file).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER);
             INSERT INTO t VALUES ('a', 1);",
        )
        .unwrap();
        (dir, file)
    }

    fn value_of(k: &'static str) -> impl Fn(&Connection) -> rusqlite::Result<Option<i64>> {
        move |c| {
            c.prepare_cached("SELECT v FROM t WHERE k = ?")?
                .query_row([k], |r| r.get(0))
                .optional()
        }
    }

    #[tokio::test]
    async fn a_point_read_sees_what_another_connection_committed() {
        let (_dir, file) = store_file();
        let reads = PointReads::new(file.clone());
        assert_eq!(reads.read(value_of("a")).await.unwrap(), Some(1));
        assert_eq!(reads.read(value_of("b")).await.unwrap(), None);
        let w = Connection::open(&file).unwrap();
        w.execute("INSERT INTO t VALUES ('b', 2)", []).unwrap();
        // The same pooled connection, a new snapshot.
        assert_eq!(reads.lock().len(), 1);
        assert_eq!(reads.read(value_of("b")).await.unwrap(), Some(2));
    }

    #[tokio::test]
    async fn a_point_read_never_writes() {
        let (_dir, file) = store_file();
        let reads = PointReads::new(file);
        let write = |c: &Connection| c.execute("DELETE FROM t", []);
        assert!(reads.read(write).await.is_err());
        assert_eq!(reads.read(value_of("a")).await.unwrap(), Some(1));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_that_finds_the_database_locked_waits_off_the_async_thread() {
        let (_dir, file) = store_file();
        let reads = PointReads::new(file.clone());
        // Another process's exclusive lock: even WAL readers must wait.
        let holder = Connection::open(&file).unwrap();
        holder
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE t SET v = 5;")
            .unwrap();
        let mut pending = Box::pin(reads.read(value_of("a")));
        // The first try found it locked and handed the read to a blocking
        // thread instead of answering `busy` or blocking this one.
        assert!(futures::poll!(&mut pending).is_pending());
        holder.execute_batch("COMMIT").unwrap();
        drop(holder);
        assert_eq!(pending.await.unwrap(), Some(5));
    }
}
