//! Test harness: the real router on port 0 with a fresh database per test.
//!
//! The backend comes from `TAPIN_TEST_BACKEND`: `sqlite` (the default; a file
//! in a temporary directory) or `postgres` (a new database `tapin_t_<random>`
//! on the server of `TAPIN_TEST_PG_URL`, dropped with the `TestApp`).

use serde_json::{json, Value};
use sqlx::Connection;
use tapin::config::Config;
use tapin::service::{keys, orgs, App};
use tempfile::TempDir;

/// The admin URL when `TAPIN_TEST_PG_URL` is not set.
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backend this run tests (`TAPIN_TEST_BACKEND`).
pub fn backend() -> Backend {
    match std::env::var("TAPIN_TEST_BACKEND").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
        Ok("postgres") => Backend::Postgres,
        Ok(other) => panic!("TAPIN_TEST_BACKEND={other}: expected sqlite or postgres"),
    }
}

/// A text value as an SQL string literal (both backends read `'…'` the same).
pub fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A PostgreSQL database made for one test and dropped after it, even when
/// the test fails (a thread with its own runtime: `Drop` cannot await).
pub struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    async fn create() -> (PgDatabase, String) {
        let admin_url =
            std::env::var("TAPIN_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string());
        let name = format!("tapin_t_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("no PostgreSQL answers at TAPIN_TEST_PG_URL: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("test database created");
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        (PgDatabase { admin_url, name }, url)
    }
}

impl PgDatabase {
    /// Cuts this database off (no new connections, open ones ended) or lets
    /// connections in again: a database that goes away and comes back.
    pub async fn set_reachable(&self, reachable: bool) {
        let mut admin = sqlx::PgConnection::connect(&self.admin_url).await.unwrap();
        sqlx::query(&format!(
            "ALTER DATABASE {} WITH ALLOW_CONNECTIONS {reachable}",
            self.name
        ))
        .execute(&mut admin)
        .await
        .unwrap();
        if !reachable {
            sqlx::query(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
                self.name
            ))
            .execute(&mut admin)
            .await
            .unwrap();
        }
        let _ = admin.close().await;
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("test database {} was not dropped", self.name);
        }
    }
}

/// `admin_url` with its database (the path) replaced by `name`; query kept.
fn with_database(admin_url: &str, name: &str) -> String {
    let (scheme, rest) = admin_url.split_once("://").expect("a postgres:// URL");
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = before_query.split('/').next().unwrap_or(before_query);
    format!("{scheme}://{authority}/{name}{query}")
}

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub client: reqwest::Client,
    pub org_id: String,
    /// A key with every scope in the default organization.
    pub key: String,
    pub db_url: String,
    pub dir: TempDir,
    /// The PostgreSQL database, dropped with the `TestApp` (last field: the
    /// app's pools go first). Held for its `Drop`.
    #[allow(dead_code)]
    pub pg: Option<PgDatabase>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Like `spawn`, with settings changed by `tune` (e.g. a small rate limit).
    pub async fn spawn_with(tune: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (db_url, pg) = match backend() {
            Backend::Sqlite => (format!("sqlite://{}/tapin.db", dir.path().display()), None),
            Backend::Postgres => {
                let (db, url) = PgDatabase::create().await;
                (url, Some(db))
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = Config {
            site_addr: addr,
            site_root: dir.path().join("site").display().to_string(),
            database_url: db_url.clone(),
            public_url: format!("http://{addr}"),
            // The suites post to local receivers on 127.0.0.1.
            allow_private_targets: true,
            // Per test, whichever the backend (PostgreSQL has no data directory).
            master_key_file: dir.path().join("master.key").display().to_string(),
            ..Config::default()
        };
        tune(&mut config);
        let store = tapin::store::open(&db_url).await.expect("store opens");
        let app = App::new(store, config).await.expect("app starts");
        let router = tapin::server::router(app.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        let org = orgs::create_org(&app, "acme", None).await.unwrap();
        let (key, _) = keys::create(&app, &org.id, "test", vec!["admin".into()])
            .await
            .unwrap();
        TestApp {
            base: format!("http://{addr}"),
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // A response that never completes fails its test instead of stalling the run.
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .unwrap(),
            org_id: org.id,
            key,
            db_url,
            dir,
            pg,
        }
    }

    /// Runs one SQL statement on the test database, whichever the backend;
    /// returns the rows it changed. Values go in as literals (`sql_text`).
    pub async fn db_exec(&self, sql: &str) -> u64 {
        match backend() {
            Backend::Sqlite => {
                let mut db = sqlx::SqliteConnection::connect(&self.db_url).await.unwrap();
                let done = sqlx::query(sql).execute(&mut db).await;
                done.unwrap_or_else(|e| panic!("{sql}: {e}"))
                    .rows_affected()
            }
            Backend::Postgres => {
                let mut db = sqlx::PgConnection::connect(&self.db_url).await.unwrap();
                let done = sqlx::query(sql).execute(&mut db).await;
                done.unwrap_or_else(|e| panic!("{sql}: {e}"))
                    .rows_affected()
            }
        }
    }

    /// Reads rows of one query on the test database, whichever the backend.
    pub async fn db_rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        match backend() {
            Backend::Sqlite => {
                let mut db = sqlx::SqliteConnection::connect(&self.db_url).await.unwrap();
                let rows = sqlx::query_as(sql).fetch_all(&mut db).await;
                rows.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            Backend::Postgres => {
                let mut db = sqlx::PgConnection::connect(&self.db_url).await.unwrap();
                let rows = sqlx::query_as(sql).fetch_all(&mut db).await;
                rows.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
        }
    }

    /// A second `App` on the same database, as after a restart.
    pub async fn reopen(&self) -> App {
        let store = tapin::store::open(&self.db_url)
            .await
            .expect("store reopens");
        App::new(store, (*self.app.config).clone())
            .await
            .expect("app restarts")
    }

    /// A new operator of the harness's organization with `roles`, signed in
    /// with a password: (operator id, `Cookie` header value).
    pub async fn signed_in(&self, email: &str, name: &str, roles: &[&str]) -> (String, String) {
        use tapin::service::passwords;
        let roles = roles.iter().map(|r| r.to_string()).collect();
        let op = orgs::create_operator(&self.app, &self.org_id, email, name, roles)
            .await
            .unwrap();
        passwords::set(&self.app, &op, "a long enough password")
            .await
            .unwrap();
        let (token, _) = passwords::login(&self.app, "acme", email, "a long enough password", None)
            .await
            .unwrap();
        (op.id, format!("tapin_session={token}"))
    }

    pub async fn conversation(&self) -> String {
        let (s, conv) = self
            .post("/api/v1/conversations", &self.key, json!({}))
            .await;
        assert_eq!(s, 201, "{conv}");
        conv["id"].as_str().unwrap().to_string()
    }

    /// A pending approval on a fresh conversation.
    pub async fn approval(&self, extra: Value) -> (String, Value) {
        let cid = self.conversation().await;
        let mut body = json!({
            "conversation_id": cid,
            "subject_kind": "tool_call",
            "subject_ref": "refund.create",
            "payload": {"amount": 120, "currency": "EUR"},
            "approver_role": "billing_manager",
            "suspend_message": "Checking your refund with the billing team.",
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, a) = self.post("/api/v1/approvals", &self.key, body).await;
        assert_eq!(s, 201, "{a}");
        (cid, a)
    }

    /// A key in a new organization `slug` with the given scopes.
    pub async fn other_org_key(&self, slug: &str, scopes: &[&str]) -> String {
        let org = orgs::create_org(&self.app, slug, None).await.unwrap();
        self.key_in(&org.id, scopes).await
    }

    pub async fn key_in(&self, org_id: &str, scopes: &[&str]) -> String {
        let scopes = scopes.iter().map(|s| s.to_string()).collect();
        keys::create(&self.app, org_id, "t", scopes)
            .await
            .unwrap()
            .0
    }

    pub async fn post(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-api-key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    /// A POST with extra headers; returns the response itself.
    pub async fn post_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: Value,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-api-key", &self.key)
            .json(&body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.unwrap()
    }

    pub async fn post_raw(&self, path: &str, key: &str, body: &str) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        read(res).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        let res = self
            .client
            .put(format!("{}{path}", self.base))
            .header("x-api-key", &self.key)
            .json(&body)
            .send()
            .await
            .unwrap();
        read(res).await
    }

    /// Any method with the all-scopes key; `null` sends no body.
    pub async fn send_json(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("x-api-key", &self.key);
        if !body.is_null() {
            req = req.json(&body);
        }
        read(req.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, key: &str) -> (u16, Value) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {key}"))
            .send()
            .await
            .unwrap();
        read(res).await
    }

    /// Subscribes the organization to every event, delivered to a sink on
    /// loopback (kept open by the receiver it returns): webhook events are
    /// queued only for an organization with a subscription.
    pub async fn subscribe_all(
        &self,
    ) -> tokio::sync::mpsc::UnboundedReceiver<crate::sinks::Request> {
        let (url, rx) = crate::sinks::http_sink().await;
        let (s, w) = self
            .post(
                "/api/v1/webhooks",
                &self.key,
                json!({"url": format!("{url}/hook"), "events": ["*"]}),
            )
            .await;
        assert_eq!(s, 201, "{w}");
        rx
    }

    /// A conversation with `n` messages, and a takeover handoff on it.
    pub async fn takeover(&self, n: usize) -> (String, Value) {
        let (s, conv) = self
            .post("/api/v1/conversations", &self.key, json!({}))
            .await;
        assert_eq!(s, 201, "{conv}");
        let cid = conv["id"].as_str().unwrap().to_string();
        for i in 0..n {
            let author = if i % 2 == 0 { "user" } else { "agent" };
            let (s, _) = self
                .post(
                    &format!("/api/v1/conversations/{cid}/messages"),
                    &self.key,
                    json!({"author": author, "content": format!("message {}", i + 1)}),
                )
                .await;
            assert_eq!(s, 201);
        }
        let (s, h) = self
            .post("/api/v1/handoffs", &self.key, takeover_body(&cid))
            .await;
        assert_eq!(s, 201, "{h}");
        (cid, h)
    }
}

pub fn takeover_body(cid: &str) -> Value {
    json!({
        "kind": "takeover",
        "conversation_id": cid,
        "source": "router",
        "packet": {
            "static_text": "Customer was double-charged and wants a refund.",
            "reason": "Refunds need billing access.",
            "summary": "Alex reports a duplicate $50 charge.",
            "context_vars": {"invoice": "INV-1", "amount": 50},
            "transfer_to": "billing",
            "transfer_label": "Billing team"
        }
    })
}

async fn read(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

/// Asserts the error envelope and returns its code.
pub fn error_code(body: &Value) -> &str {
    let e = &body["error"];
    assert!(e["message"].is_string(), "envelope has a message: {body}");
    assert!(e["fields"].is_array(), "envelope has fields: {body}");
    e["code"].as_str().expect("envelope has a code")
}
