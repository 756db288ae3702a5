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

/// A row type read from rusqlite by position, in the order of its fields
/// (the names sqlx's `FromRow` reads for the same type). `columns` is the
/// select list in that order, so a query and its reader cannot drift apart.
/// By name, rusqlite compares every column's name for each field: quadratic
/// in the width of the row, 3 % of the server's instructions per write.
macro_rules! point_row {
    ($row:ident { $($field:ident),* $(,)? }) => {
        impl $row {
            /// How many columns `read` takes; a query's extra columns come after.
            #[allow(dead_code)] // only rows read with extra columns use it
            pub(super) const WIDTH: usize = [$(stringify!($field)),*].len();

            /// The select list `read` expects, each column after `prefix`
            /// (`""`, or a table's alias such as `"k."` in a join).
            pub(super) fn columns(prefix: &str) -> String {
                [$(stringify!($field)),*].map(|c| format!("{prefix}{c}")).join(", ")
            }

            /// The row from the first `WIDTH` columns, selected by `columns`.
            pub(super) fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                let mut at = 0usize;
                let mut next = |_name: &str| {
                    debug_assert_eq!(
                        r.as_ref().column_name(at).ok(),
                        Some(_name),
                        "select the columns of {} with its `columns`",
                        stringify!($row)
                    );
                    at += 1;
                    at - 1
                };
                Ok($row { $($field: r.get(next(stringify!($field)))?),* })
            }
        }
    };
}
pub(crate) use point_row;

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

    struct Pair {
        v: i64,
        k: String,
    }
    point_row!(Pair { v, k });

    fn pair_table() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (k TEXT, v INTEGER); INSERT INTO t VALUES ('a', 1);")
            .unwrap();
        c
    }

    #[test]
    fn a_point_row_reads_the_columns_it_selects_in_its_own_order() {
        let c = pair_table();
        // Fields in another order than the table's, behind an alias, and a
        // column of the query's own after them.
        let sql = format!("SELECT {}, 7 FROM t AS x", Pair::columns("x."));
        let (p, extra) = c
            .query_row(&sql, [], |r| {
                Ok((Pair::read(r)?, r.get::<_, i64>(Pair::WIDTH)?))
            })
            .unwrap();
        assert_eq!((p.k.as_str(), p.v, extra), ("a", 1, 7));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "select the columns of Pair")]
    fn a_query_that_selects_other_columns_fails_the_tests() {
        let _ = pair_table().query_row("SELECT * FROM t", [], Pair::read);
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
