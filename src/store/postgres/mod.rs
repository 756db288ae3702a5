//! PostgreSQL implementation (13 or newer): the same traits, the same
//! results as SQLite, safe with several nodes writing at once.
//! One file per aggregate; `#[derive(FromRow)]` row types turn into records.
//!
//! Times: the domain hands the store RFC 3339 strings
//! (`%Y-%m-%dT%H:%M:%S%.6fZ`); they are parsed where they are bound and
//! stored as `timestamptz`, and read values are formatted back in exactly
//! that form (`ts` / `fmt_ts`), so both backends return identical strings.
//!
//! Concurrency: every write is one transaction at READ COMMITTED. The audit
//! chain is serialized per organization by locking its row (`FOR NO KEY UPDATE`)
//! before the head is read; the optimistic checks (`version`, `last_seq`,
//! the head itself) still report lost races as `Conflict`, as in SQLite.

mod access;
mod approvals;
mod assist;
mod audit;
mod conversations;
mod handoffs;
mod idempotency;
mod leads;
mod orgs;
mod push;
mod routing;
mod security;
mod slack;
mod snippets;
mod timers;
mod webhooks;

use super::{Gcra, RateStep, Store, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};
use std::str::FromStr;
use std::time::Duration;

pub struct PgStore {
    pool: PgPool,
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The oldest major version the schema and queries are written for
/// (`DROP DATABASE … WITH (FORCE)` in the tests, among others).
const MIN_MAJOR: i64 = 13;
/// Connections per node: a handful of writers plus the streams' readers.
const MAX_CONNECTIONS: u32 = 10;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl PgStore {
    pub async fn open(url: &str) -> Result<PgStore, String> {
        let options = PgConnectOptions::from_str(url).map_err(|e| {
            scrub(
                &format!("PostgreSQL URL cannot be read: {e}"),
                &url_passwords(url),
            )
        })?;
        let fail = |cause: String| connect_failure(url, &options, &cause);
        // One plain connection first: its error names the cause (a pool would
        // only report that it timed out), and it checks the version and
        // migrates (sqlx takes an advisory lock, so nodes starting together
        // migrate one at a time).
        let mut conn = tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
            .await
            .map_err(|_| fail(format!("no answer within {}s", CONNECT_TIMEOUT.as_secs())))?
            .map_err(|e| fail(e.to_string()))?;
        let (num,): (String,) = sqlx::query_as("SHOW server_version_num")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| fail(e.to_string()))?;
        check_version(&num)?;
        MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| fail(format!("migrating: {e}")))?;
        let _ = conn.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_with(options.clone())
            .await
            .map_err(|e| fail(e.to_string()))?;
        Ok(PgStore { pool })
    }
}

/// The LISTEN/NOTIFY channel that carries commit notices between nodes.
const CHANNEL: &str = "tapin_commits";

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn publish(&self, payload: &str) -> StoreResult<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn listen(&self) -> StoreResult<Option<tokio::sync::mpsc::Receiver<String>>> {
        let mut listener = sqlx::postgres::PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        let (tx, rx) = tokio::sync::mpsc::channel(1024);
        tokio::spawn(async move {
            loop {
                // `recv` reconnects by itself after a lost connection;
                // notifications sent meanwhile are lost, and streams catch
                // up at the next one (they re-read the store on every wake).
                match listener.recv().await {
                    Ok(n) => {
                        if tx.send(n.payload().to_string()).await.is_err() {
                            return; // nobody listens any more
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "LISTEN connection lost; reconnecting");
                        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    }
                }
            }
        });
        Ok(Some(rx))
    }

    fn pools(&self) -> Vec<(&'static str, u32, usize)> {
        vec![("main", self.pool.size(), self.pool.num_idle())]
    }

    async fn rate_step(
        &self,
        key: &str,
        now_us: i64,
        rate: &Gcra,
    ) -> StoreResult<Option<RateStep>> {
        // `domain::rate::step` in one statement: the row moves only when the
        // request is allowed; a refused one reads the arrival time back.
        let moved: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO rate_limits AS r (key, tat_us) VALUES ($1, $2 + $3) \
             ON CONFLICT (key) DO UPDATE SET tat_us = GREATEST(r.tat_us, $2) + $3 \
             WHERE GREATEST(r.tat_us, $2) - $2 <= $4 RETURNING tat_us",
        )
        .bind(key)
        .bind(now_us)
        .bind(rate.interval_us)
        .bind(rate.tolerance_us)
        .fetch_optional(&self.pool)
        .await?;
        if let Some((tat_us,)) = moved {
            return Ok(Some(RateStep {
                allowed: true,
                tat_us,
            }));
        }
        let (tat_us,): (i64,) = sqlx::query_as("SELECT tat_us FROM rate_limits WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(RateStep {
            allowed: false,
            tat_us,
        }))
    }

    async fn forget_full_budgets(&self, now_us: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM rate_limits WHERE tat_us < $1")
            .bind(now_us)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Refuses servers older than `MIN_MAJOR`, by name.
fn check_version(server_version_num: &str) -> Result<(), String> {
    let num: i64 = server_version_num
        .trim()
        .parse()
        .map_err(|_| format!("PostgreSQL reported an unreadable version `{server_version_num}`"))?;
    if num / 10000 < MIN_MAJOR {
        return Err(format!(
            "PostgreSQL {} is older than the supported {MIN_MAJOR}",
            version_name(num)
        ));
    }
    Ok(())
}

/// `120017` → `12.17`; before 10 the minor had two parts: `90624` → `9.6.24`.
fn version_name(num: i64) -> String {
    if num >= 100_000 {
        format!("{}.{}", num / 10000, num % 10000)
    } else {
        format!("{}.{}.{}", num / 10000, num / 100 % 100, num % 100)
    }
}

/// What a failed connection says: where it went, never the password.
fn connect_failure(url: &str, options: &PgConnectOptions, cause: &str) -> String {
    let place = match options.get_socket() {
        Some(socket) => format!("socket {}", socket.display()),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    };
    let database = options.get_database().unwrap_or(options.get_username());
    let text = format!(
        "cannot open PostgreSQL database `{database}` at {place} as user `{}`: {cause}",
        options.get_username()
    );
    scrub(&text, &url_passwords(url))
}

/// The password(s) a URL carries: in its user info, or as `?password=`,
/// each as written and percent-decoded.
fn url_passwords(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = before_query.split('/').next().unwrap_or("");
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        if let Some((_, password)) = userinfo.split_once(':') {
            found.push(password.to_string());
        }
    }
    for pair in query.split('&') {
        if let Some(("password", value)) = pair.split_once('=') {
            found.push(value.to_string());
        }
    }
    let decoded: Vec<String> = found
        .iter()
        .filter_map(|p| {
            form_urlencoded::parse(format!("p={p}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    found.extend(decoded);
    found.retain(|p| !p.is_empty());
    // Longest first, so a password that contains another is hidden whole.
    found.sort_by_key(|p| std::cmp::Reverse(p.len()));
    found
}

/// `url` with its password(s) replaced by `***`.
pub(super) fn redact(url: &str) -> String {
    scrub(url, &url_passwords(url))
}

fn scrub(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .fold(text.to_string(), |t, s| t.replace(s.as_str(), "***"))
}

/// A stored time as the database holds it.
pub(super) type Ts = DateTime<Utc>;

/// Parses a time the domain formatted (RFC 3339) for binding.
pub(super) fn ts(s: &str) -> StoreResult<Ts> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Other(format!("`{s}` is not an RFC 3339 time")))
}

pub(super) fn ts_opt(s: Option<&str>) -> StoreResult<Option<Ts>> {
    s.map(ts).transpose()
}

/// A stored time in the domain's format (`service::format_time`), to the microsecond.
pub(super) fn fmt_ts(t: Ts) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A column value turned into its record field: times are formatted,
/// narrower integers widened, everything else passes through.
pub(super) trait Col<T> {
    fn col(self) -> T;
}
impl<T> Col<T> for T {
    fn col(self) -> T {
        self
    }
}
impl Col<String> for Ts {
    fn col(self) -> String {
        fmt_ts(self)
    }
}
impl Col<Option<String>> for Option<Ts> {
    fn col(self) -> Option<String> {
        self.map(fmt_ts)
    }
}
impl Col<Option<i64>> for Option<i32> {
    fn col(self) -> Option<i64> {
        self.map(i64::from)
    }
}

/// A row type whose columns are the record's fields one to one (times as `Ts`).
macro_rules! plain_row {
    ($row:ident => $record:ty { $($field:ident : $ty:ty),* $(,)? }) => {
        #[derive(sqlx::FromRow)]
        pub(super) struct $row { $($field: $ty),* }
        impl From<$row> for $record {
            fn from(r: $row) -> Self {
                use $crate::store::postgres::Col;
                Self { $($field: r.$field.col()),* }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_connection_names_the_place_but_never_the_password() {
        let url = "postgres://alice:s3cr%40t!@db.example.org:6543/tapin?sslmode=disable";
        let options = PgConnectOptions::from_str(url).unwrap();
        // Even a cause that echoed the password (raw or decoded) loses it.
        let msg = connect_failure(url, &options, "server said s3cr@t! and s3cr%40t!");
        assert!(msg.contains("db.example.org:6543"), "{msg}");
        assert!(msg.contains("`tapin`"), "{msg}");
        assert!(msg.contains("`alice`"), "{msg}");
        assert!(!msg.contains("s3cr"), "{msg}");

        let url = "postgresql://bob@10.0.0.5/desk?password=hunter2";
        let options = PgConnectOptions::from_str(url).unwrap();
        let msg = connect_failure(url, &options, "refused (hunter2)");
        assert!(
            msg.contains("10.0.0.5:5432") && msg.contains("`desk`"),
            "{msg}"
        );
        assert!(!msg.contains("hunter2"), "{msg}");
    }

    #[test]
    fn printed_urls_hide_the_password() {
        assert_eq!(
            redact("postgres://alice:pw@db:5432/tapin?password=pw2"),
            "postgres://alice:***@db:5432/tapin?password=***"
        );
        assert_eq!(redact("sqlite://data/tapin.db"), "sqlite://data/tapin.db");
    }

    #[test]
    fn servers_older_than_13_are_refused_by_name() {
        assert_eq!(
            check_version("120017").unwrap_err(),
            "PostgreSQL 12.17 is older than the supported 13"
        );
        assert_eq!(
            check_version("90624").unwrap_err(),
            "PostgreSQL 9.6.24 is older than the supported 13"
        );
        assert!(check_version("130000").is_ok());
        assert!(check_version("150020").is_ok());
    }

    #[test]
    fn times_read_back_exactly_as_the_domain_wrote_them() {
        for s in [
            "2026-11-20T10:00:00.000000Z",
            "2026-11-20T23:59:59.123456Z",
            "2999-01-01T00:00:00.000000Z",
        ] {
            assert_eq!(fmt_ts(ts(s).unwrap()), s);
        }
        assert_eq!(
            fmt_ts(ts("2026-11-20T12:00:00+02:00").unwrap()),
            "2026-11-20T10:00:00.000000Z"
        );
        assert!(ts("yesterday").is_err());
    }
}
