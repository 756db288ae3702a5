//! The server under test: `tapin serve` (this same binary) as a child process
//! on a free loopback port, with a fresh SQLite database in a temporary
//! directory, plus the organization, operator, API key and operator session
//! a benchmark drives it with.

use super::client::Api;
use crate::config::Config;
use crate::service::{keys, orgs, App};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

const OPERATOR_PASSWORD: &str = "bench operator password";
pub const OPERATOR_EMAIL: &str = "bench@tapin.local";

/// The bench servers' `/metrics` token (loopback only, a throwaway server).
const METRICS_TOKEN: &str = "bench-metrics";

pub struct Server {
    pub base: String,
    pub pid: u32,
    pub dir: PathBuf,
    /// The database this server (and any other node of it) uses.
    pub db_url: String,
    /// Its master key, in its temp dir (every node of one database shares it).
    master_key: PathBuf,
    child: tokio::process::Child,
    /// The agent's API (an `admin` key) and the operator's session cookie.
    pub api: Api,
    pub cookie: String,
}

impl Server {
    /// Starts a server for `name` (used in the temp dir's name) on a fresh database.
    pub async fn start(name: &str, site_root: &Path) -> Result<Server, String> {
        Self::start_on(name, site_root, None).await
    }

    /// Like `start`, on `db_url` (an empty database: PostgreSQL) when given.
    pub async fn start_on(
        name: &str,
        site_root: &Path,
        db_url: Option<&str>,
    ) -> Result<Server, String> {
        let dir = bench_dir(name)?;
        let db_url = match db_url {
            Some(u) => u.to_string(),
            None => format!("sqlite://{}/tapin.db", dir.display()),
        };
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");

        // Tenant set-up in-process, on the same file, before the child opens it.
        // The master key lives in the temp dir: on PostgreSQL the default would
        // be `data/master.key` under the current directory.
        let master_key = dir.join("master.key");
        let config = Config {
            master_key_file: master_key.display().to_string(),
            site_addr: format!("127.0.0.1:{port}")
                .parse()
                .expect("loopback address"),
            database_url: db_url.clone(),
            public_url: base.clone(),
            ..Config::default()
        };
        let store = crate::store::open(&db_url).await?;
        let app = App::new(store, config).await?;
        let e = |e: crate::error::AppError| e.to_string();
        let org = orgs::create_org(&app, "bench", Some("Benchmark"))
            .await
            .map_err(e)?;
        let operator = orgs::create_operator(
            &app,
            &org.id,
            OPERATOR_EMAIL,
            "Bench Operator",
            vec!["billing_manager".into()],
        )
        .await
        .map_err(e)?;
        let (key, _) = keys::create(&app, &org.id, "bench", vec!["admin".into()])
            .await
            .map_err(e)?;

        let child = spawn_child(&dir, &db_url, &master_key, port, site_root)?;
        let pid = child.id().ok_or("the server exited at once")?;
        let api = Api::new(&base, &key)?;
        let mut server = Server {
            base,
            pid,
            dir,
            db_url,
            master_key,
            child,
            api,
            cookie: String::new(),
        };
        server.wait_healthy().await?;

        // The operator signs in with a password, as at a desk: a session from
        // a signed link reaches only its own handoff, and the bench reads many.
        crate::service::passwords::set(&app, &operator, OPERATOR_PASSWORD)
            .await
            .map_err(e)?;
        drop(app);
        server.cookie = server
            .api
            .sign_in("bench", OPERATOR_EMAIL, OPERATOR_PASSWORD)
            .await?;
        Ok(server)
    }

    /// Another node on this server's database (PostgreSQL), with the same API
    /// key and operator session.
    pub async fn another_node(&self, name: &str, site_root: &Path) -> Result<Server, String> {
        let dir = bench_dir(name)?;
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let child = spawn_child(&dir, &self.db_url, &self.master_key, port, site_root)?;
        let pid = child.id().ok_or("the server exited at once")?;
        let mut server = Server {
            api: Api::new(&base, &self.api.key)?,
            base,
            pid,
            dir,
            db_url: self.db_url.clone(),
            master_key: self.master_key.clone(),
            child,
            cookie: self.cookie.clone(),
        };
        server.wait_healthy().await?;
        Ok(server)
    }
}

fn bench_dir(name: &str) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!(
        "tapin-bench-{}-{name}-{}",
        std::process::id(),
        crate::service::new_id()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

/// `tapin serve` (this binary) on `db_url` and 127.0.0.1:`port`, its output in `dir/server.log`.
fn spawn_child(
    dir: &Path,
    db_url: &str,
    master_key: &Path,
    port: u16,
    site_root: &Path,
) -> Result<tokio::process::Child, String> {
    let base = format!("http://127.0.0.1:{port}");
    let exe = std::env::current_exe().map_err(|e| format!("finding this binary: {e}"))?;
    let log = std::fs::File::create(dir.join("server.log"))
        .map_err(|e| format!("creating the server log: {e}"))?;
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    // TAPIN_BENCH_SERVER_PREFIX runs the server under a profiler (RSS and
    // CPU figures are then the tool's process, not the server's).
    let prefix: Vec<String> = std::env::var("TAPIN_BENCH_SERVER_PREFIX")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut cmd = match prefix.split_first() {
        Some((tool, args)) => {
            let mut c = tokio::process::Command::new(tool);
            c.args(args).arg(exe);
            c
        }
        None => tokio::process::Command::new(exe),
    };
    cmd.arg("serve")
        .env("TAPIN_DATABASE_URL", db_url)
        .env("TAPIN_MASTER_KEY_FILE", master_key)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site_root)
        .env("TAPIN_PUBLIC_URL", &base)
        // One key drives thousands of requests a second here; the limiter
        // still runs on every request, it just never says no.
        .env("TAPIN_RATE_LIMIT_PER_MINUTE", "1000000000")
        // One operator holds the 10,000 streams of the live and memory
        // sections: the per-operator stream cap is lifted like the rate limit.
        .env("TAPIN_STREAMS_PER_PRINCIPAL", "1000000")
        .env("TAPIN_DEMO", "false")
        // The one agent key both requests and decides the approvals it measures.
        .env("TAPIN_ALLOW_SELF_APPROVAL", "true")
        // The bench's push service and receivers listen on loopback.
        .env("TAPIN_ALLOW_PRIVATE_TARGETS", "true")
        // The push section's endpoint is a local http:// one.
        .env("TAPIN_PUSH_ALLOW_HTTP", "1")
        .env("TAPIN_LOG", "warn")
        // The write section reads the group commit's batch sizes from /metrics.
        .env("TAPIN_METRICS_TOKEN", METRICS_TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log2))
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("starting `tapin serve`: {e}"))
}

impl Server {
    async fn wait_healthy(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}) before answering:\n{}",
                    self.log_tail()
                ));
            }
            if let Ok((200, _)) = self.api.get("/api/v1/healthz").await {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!(
            "the server did not answer /api/v1/healthz within 120 s:\n{}",
            self.log_tail()
        ))
    }

    /// Runs a `tapin` subcommand on this server's database (and master key);
    /// its standard output, or an error with its standard error.
    pub async fn cli(&self, args: &[&str]) -> Result<String, String> {
        let exe = std::env::current_exe().map_err(|e| format!("finding this binary: {e}"))?;
        let out = tokio::process::Command::new(exe)
            .args(args)
            .env("TAPIN_DATABASE_URL", &self.db_url)
            .env("TAPIN_MASTER_KEY_FILE", &self.master_key)
            .output()
            .await
            .map_err(|e| format!("tapin {}: {e}", args.join(" ")))?;
        if !out.status.success() {
            return Err(format!(
                "tapin {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Resident set size of the server process, in bytes (VmRSS).
    pub fn rss(&self) -> Result<usize, String> {
        proc_status_kb(self.pid, "VmRSS:").map(|kb| kb * 1024)
    }

    /// Peak resident set size so far, in bytes (VmHWM).
    pub fn peak_rss(&self) -> Result<usize, String> {
        proc_status_kb(self.pid, "VmHWM:").map(|kb| kb * 1024)
    }

    /// The group commit's counters: writes and commits so far (SQLite only;
    /// `None` where the server records no batches).
    pub async fn batch_writes(&self) -> Result<Option<(f64, f64)>, String> {
        let text = self
            .api
            .http
            .get(format!("{}/metrics", self.base))
            .bearer_auth(METRICS_TOKEN)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| format!("GET /metrics: {e}"))?
            .text()
            .await
            .map_err(|e| format!("GET /metrics: {e}"))?;
        let value = |name: &str| {
            text.lines()
                .filter(|l| l.starts_with(name) && l[name.len()..].starts_with(['{', ' ']))
                .find_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        };
        Ok(value("tapin_sqlite_batch_writes_sum").zip(value("tapin_sqlite_batch_writes_count")))
    }

    /// CPU time (user + system) the server has used so far.
    pub fn cpu_time(&self) -> Result<Duration, String> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
            .map_err(|e| format!("reading /proc/{}/stat: {e}", self.pid))?;
        // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let f: Vec<u64> = rest
            .split_whitespace()
            .skip(11)
            .take(2)
            .filter_map(|v| v.parse().ok())
            .collect();
        // SAFETY: sysconf only reads a configuration value.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        match f.as_slice() {
            [u, s] => Ok(Duration::from_secs_f64((u + s) as f64 / ticks)),
            _ => Err("unexpected /proc/<pid>/stat".into()),
        }
    }

    /// Stops the server and removes its directory.
    pub async fn stop(mut self) {
        // SIGTERM first: the server shuts down gracefully (and a profiler it
        // runs under writes its report); SIGKILL if it has not exited in 60 s.
        // SAFETY: signals our own child, by its pid.
        unsafe {
            libc::kill(self.pid as libc::pid_t, libc::SIGTERM);
        }
        if tokio::time::timeout(Duration::from_secs(60), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // `stop` is the normal way; after an error the child dies with its handle.
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// CPU time (user + system) this process (the load generator) has used so far.
pub fn own_cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct passed by pointer.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |tv: libc::timeval| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000);
    t(u.ru_utime) + t(u.ru_stime)
}

fn proc_status_kb(pid: u32, field: &str) -> Result<usize, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("reading /proc/{pid}/status: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {field} in /proc/{pid}/status"))
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Raises this process's open-file limit (the server child inherits it) to at
/// least `wanted` if the hard limit allows (or can be raised), else to the hard
/// limit. Returns the soft limit now in force.
pub fn raise_nofile(wanted: u64) -> Result<u64, String> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read/write the struct passed by pointer.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return Err("getrlimit(RLIMIT_NOFILE) failed".into());
        }
        if lim.rlim_max < wanted as libc::rlim_t {
            // Only a privileged process may raise the hard limit; try, then settle.
            let more = libc::rlimit {
                rlim_cur: wanted as libc::rlim_t,
                rlim_max: wanted as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &more) == 0 {
                return Ok(wanted);
            }
        }
        let target = (wanted as libc::rlim_t).min(lim.rlim_max).max(lim.rlim_cur);
        let set = libc::rlimit {
            rlim_cur: target,
            rlim_max: lim.rlim_max,
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &set) != 0 {
            return Err("setrlimit(RLIMIT_NOFILE) failed".into());
        }
        Ok(target)
    }
}
