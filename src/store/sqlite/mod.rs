//! SQLite implementation: WAL, foreign keys, busy timeout, durable commits.
//! One file per aggregate; `#[derive(FromRow)]` row types turn into records.
//!
//! Writes go through a one-connection pool so transactions never race for the
//! write lock (SQLite has one writer anyway); reads use their own pool. The
//! lifecycle writes (creations, transitions, messages) are batched on that
//! connection by `group_commit`; the reads nearly every request makes first
//! (one row by its key) run on the request's thread (`point_reads`).

mod access;
mod approvals;
mod assist;
mod audit;
mod conversations;
mod group_commit;
mod handoffs;
mod idempotency;
mod leads;
mod orgs;
mod point_reads;
mod push;
mod routing;
mod security;
mod slack;
mod snippets;
mod timers;
mod webhooks;

use super::{Gcra, RateStep, Store, StoreResult};
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    group: group_commit::GroupCommit,
    /// The hot reads by key (a request's key, conversation, handoff).
    points: point_reads::PointReads,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl SqliteStore {
    pub async fn open(url: &str) -> Result<SqliteStore, String> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| format!("database URL `{url}`: {e}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let file = options.get_filename().to_path_buf();
        if let Some(dir) = file.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("creating {}: {e}", dir.display()))?;
            }
        }
        create_private(&file).map_err(|e| format!("creating {}: {e}", file.display()))?;
        // No liveness ping before each acquire: a local SQLite file does not drop
        // connections, and the ping is one more thread hop inside every write
        // (docs/performance.md, write path).
        // `temp_store = memory`: the group commit runs each write in its own
        // savepoint, and SQLite copies every page a savepoint changes into a
        // statement journal first; past 64 KiB that journal spilled to a temp
        // file, two `pwrite`s per page, more than the WAL itself wrote
        // (docs/performance.md, eighth session). In memory it is a copy, freed
        // at each RELEASE, and no customer data lands in a temp file.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone().pragma("temp_store", "memory"))
            .await
            .map_err(|e| format!("opening {url}: {e}"))?;
        MIGRATOR
            .run(&writer)
            .await
            .map_err(|e| format!("migrating {url}: {e}"))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| format!("opening {url} for reading: {e}"))?;
        let group = group_commit::GroupCommit::start(writer.clone());
        Ok(SqliteStore {
            writer,
            reader,
            group,
            points: point_reads::PointReads::new(file),
        })
    }
}

/// Creates a missing database file readable by its owner only (SQLite gives
/// its `-wal` and `-shm` files the same mode). An existing file is left as is.
fn create_private(file: &std::path::Path) -> std::io::Result<()> {
    let name = file.to_string_lossy();
    if name.is_empty() || name.starts_with(":memory:") || file.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(file) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn publish(&self, _payload: &str) -> StoreResult<()> {
        Ok(())
    }

    async fn listen(&self) -> StoreResult<Option<tokio::sync::mpsc::Receiver<String>>> {
        Ok(None)
    }

    fn pools(&self) -> Vec<(&'static str, u32, usize)> {
        vec![
            ("writer", self.writer.size(), self.writer.num_idle()),
            ("reader", self.reader.size(), self.reader.num_idle()),
        ]
    }

    /// One node: the budget in memory is exact, and spares the single writer.
    async fn rate_step(
        &self,
        _key: &str,
        _now_us: i64,
        _rate: &Gcra,
    ) -> StoreResult<Option<RateStep>> {
        Ok(None)
    }

    async fn forget_full_budgets(&self, _now_us: i64) -> StoreResult<()> {
        Ok(())
    }
}

/// A row type whose columns are the record's fields one to one.
macro_rules! plain_row {
    ($row:ident => $record:ty { $($field:ident : $ty:ty),* $(,)? }) => {
        #[derive(sqlx::FromRow)]
        pub(super) struct $row { $($field: $ty),* }
        impl From<$row> for $record {
            fn from(r: $row) -> Self {
                Self { $($field: r.$field),* }
            }
        }
    };
}
pub(crate) use plain_row;

/// Comma-separated lists (roles, scopes) as stored.
fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// `?,?,…` for an `IN (…)` list of `n` values.
fn marks(n: usize) -> String {
    vec!["?"; n].join(",")
}
