//! Spawns a real govhall server on a free port with a fresh database: a SQLite
//! file in a temporary folder, or — when `GOVHALL_TEST_DATABASE_URL` points at a
//! PostgreSQL server — a new database created for this test and dropped after it.

use govhall_platform::{AppState, config::Config};
use reqwest::{
    Client, Response,
    cookie::{CookieStore, Jar},
};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
};
use tempfile::TempDir;

pub use govhall_server::demo::{DEMO_PASSWORD, HALL_CODE};

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    /// Held so the SQLite folder lives as long as the server.
    pub dir: TempDir,
    pg_drop: Option<(String, String)>,
    /// Base32 TOTP secrets of the accounts that bound one through `login`.
    /// Administrators' TOTP secrets and the last time step each one used.
    totp_secrets: Mutex<HashMap<String, (String, u64)>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Which backend the suite runs against.
pub fn backend() -> &'static str {
    if std::env::var("GOVHALL_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    }
}

impl TestServer {
    /// A server with an empty database (schema migrated, calendar seeded).
    pub async fn start() -> Self {
        Self::start_with(Config::default()).await
    }

    /// `start` with these settings (the data folder and database are the test's own).
    pub async fn start_with(settings: Config) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            ..settings
        };
        // Tests read verification codes as a demonstration's pages do.
        if config.sms_provider == "outbox" {
            config.sms_provider = "demo".into();
        }
        let pg_drop = match create_pg_database().await {
            Some((url, admin_url, name)) => {
                config.database_url = Some(url);
                config.db_pool_size = 5;
                Some((admin_url, name))
            }
            None => None,
        };
        Self::serve(config, dir, pg_drop).await
    }

    /// A second server instance on the same database, PII and audit keys (as a
    /// city-wide deployment runs several behind a load balancer).
    pub async fn another_instance(&self) -> Self {
        // Its own data folder (each instance keeps its own search index),
        // the same key file.
        let dir = tempfile::tempdir().expect("temp dir");
        for key in ["pii.key", "audit.key"] {
            std::fs::copy(self.dir.path().join(key), dir.path().join(key)).expect("copy a key");
        }
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            ..(*self.state.config).clone()
        };
        Self::serve(config, dir, None).await
    }

    /// Opens the state for `config` and serves it on a free local port.
    async fn serve(config: Config, dir: TempDir, pg_drop: Option<(String, String)>) -> Self {
        let state = govhall_server::open_state(config)
            .await
            .expect("open state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let serving = state.clone();
        let task = tokio::spawn(async move {
            govhall_server::serve(serving, listener)
                .await
                .expect("serve");
        });
        TestServer {
            base,
            state,
            dir,
            pg_drop,
            totp_secrets: Mutex::default(),
            task: Some(task),
        }
    }

    /// A server seeded with the demo hall.
    pub async fn with_demo() -> Self {
        Self::with_demo_config(Config::default()).await
    }

    /// `with_demo` with these settings.
    pub async fn with_demo_config(settings: Config) -> Self {
        let s = Self::start_with(settings).await;
        govhall_server::demo::seed_if_empty(&s.state)
            .await
            .expect("seed demo");
        s
    }

    /// A client with its own cookie jar.
    pub fn client(&self) -> Api {
        let jar = Arc::new(Jar::default());
        Api {
            base: self.base.clone(),
            http: Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .expect("client"),
            jar,
        }
    }

    /// A client signed in as a demo account. Administrators bind TOTP at their
    /// first sign-in, as the server requires; the secret is kept for later sign-ins.
    pub async fn login(&self, username: &str) -> Api {
        let api = self.client();
        let mut body = serde_json::json!({"username": username, "password": DEMO_PASSWORD});
        if let Some(code) = self.fresh_totp_code(username).await {
            body["totp_code"] = code.into();
        }
        let resp = api.post("/api/v1/auth/login", &body).await;
        assert_eq!(resp.status(), 200, "login as {username}");
        let me: Value = resp.json().await.expect("me");
        if me["must_enroll_totp"] == true {
            let setup = api
                .post("/api/v1/auth/totp/setup", &serde_json::json!({}))
                .await;
            assert_eq!(setup.status(), 200, "TOTP setup for {username}");
            let setup: Value = setup.json().await.expect("setup");
            let secret = setup["secret"].as_str().expect("secret").to_string();
            let step = current_step();
            let confirm = api
                .post(
                    "/api/v1/auth/totp/confirm",
                    &serde_json::json!({"code": totp_code_at(&secret, username, step)}),
                )
                .await;
            assert_eq!(confirm.status(), 204, "TOTP confirm for {username}");
            self.totp_secrets
                .lock()
                .expect("lock")
                .insert(username.to_string(), (secret, step));
        }
        api
    }

    /// A second hall (雁塔区, code `YT`) created by the 系统管理员 `admin`, and
    /// its 中心管理员 signed in: the one who must see nothing of the demo hall's.
    pub async fn another_hall_manager(&self, admin: &Api) -> (String, Api) {
        let hall: Value = admin
            .post(
                "/api/v1/halls",
                &serde_json::json!({"code": "YT", "name": "雁塔区政务服务中心", "region_code": "610113",
                    "address": "雁塔区", "opens_at": "09:00", "closes_at": "17:00"}),
            )
            .await
            .json()
            .await
            .expect("hall created");
        let id = hall["id"].as_str().expect("hall id").to_string();
        let manager = self
            .account_in_hall("ytmanager", &["center_admin"], &id)
            .await;
        (id, manager)
    }

    /// A new account with `roles` in the hall `hall_id`, created by the demo's
    /// 安全管理员 and signed in with its own password (the one-time one changed).
    pub async fn account_in_hall(&self, username: &str, roles: &[&str], hall_id: &str) -> Api {
        let security = self.login("security").await;
        let created: Value = security
            .post(
                "/api/v1/security/users",
                &serde_json::json!({"username": username, "display_name": username,
                    "roles": roles, "hall_id": hall_id}),
            )
            .await
            .json()
            .await
            .expect("account created");
        let one_time = created["one_time_password"]
            .as_str()
            .expect("one-time password");
        let api = self.client();
        let login = api
            .post(
                "/api/v1/auth/login",
                &serde_json::json!({"username": username, "password": one_time}),
            )
            .await;
        assert_eq!(login.status(), 200, "first sign-in of {username}");
        let changed = api
            .post(
                "/api/v1/auth/password",
                &serde_json::json!({"current_password": one_time, "new_password": "Another#Hall2026"}),
            )
            .await;
        assert_eq!(changed.status(), 204, "password of {username}");
        api
    }

    /// A code the server has not seen for this administrator: the server
    /// accepts each time step once, and one step ahead of the clock, so a
    /// third sign-in within one 30-second period waits for the next.
    async fn fresh_totp_code(&self, username: &str) -> Option<String> {
        loop {
            let now = current_step();
            let wait = {
                let mut secrets = self.totp_secrets.lock().expect("lock");
                let (secret, last) = secrets.get_mut(username)?;
                let step = now.max(*last + 1);
                if step <= now + 1 {
                    *last = step;
                    return Some(totp_code_at(secret, username, step));
                }
                std::time::Duration::from_millis(500)
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Stops the server, closes the pool and drops a PostgreSQL test database.
    pub async fn stop(mut self) {
        self.state.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.state.db.clone().close().await.ok();
        self.state.read.clone().close().await.ok();
        if let Some((admin_url, name)) = self.pg_drop.take() {
            drop_pg_database(&admin_url, &name).await;
        }
    }
}

/// With `GOVHALL_TEST_DATABASE_URL` set, a new PostgreSQL database for one
/// test: its URL, the server's URL and the database's name (to drop it).
async fn create_pg_database() -> Option<(String, String, String)> {
    let admin_url = std::env::var("GOVHALL_TEST_DATABASE_URL")
        .map(|u| u.trim().to_string())
        .ok()
        .filter(|u| !u.is_empty())?;
    let name = format!(
        "govhall_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect to GOVHALL_TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (prefix, _) = admin_url.rsplit_once('/').expect("database URL has a path");
    Some((format!("{prefix}/{name}"), admin_url, name))
}

async fn drop_pg_database(admin_url: &str, name: &str) {
    if let Ok(admin) = Database::connect(admin_url).await {
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .ok();
        admin.close().await.ok();
    }
}

/// An empty database of the suite's backend (a SQLite file, or a new
/// PostgreSQL database), for tests that migrate or connect by hand.
pub struct ScratchDb {
    pub url: String,
    _dir: TempDir,
    pg_drop: Option<(String, String)>,
}

impl ScratchDb {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match create_pg_database().await {
            Some((url, admin_url, name)) => ScratchDb {
                url,
                _dir: dir,
                pg_drop: Some((admin_url, name)),
            },
            None => ScratchDb {
                url: format!("sqlite://{}", dir.path().join("scratch.db").display()),
                _dir: dir,
                pg_drop: None,
            },
        }
    }

    /// Drops a PostgreSQL scratch database (close its connections first).
    pub async fn drop_database(self) {
        if let Some((admin_url, name)) = &self.pg_drop {
            drop_pg_database(admin_url, name).await;
        }
    }
}

/// A thin JSON client for tests.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: Client,
    jar: Arc<Jar>,
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    /// The CSRF token the server issued at sign-in (empty before), echoed as the
    /// browser client does on every write.
    pub fn csrf(&self) -> String {
        let url = self.base.parse().expect("base URL");
        let cookies = self.jar.cookies(&url);
        let header = cookies
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == "govhall_csrf")
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .header("x-csrf-token", self.csrf())
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.http
            .put(self.url(path))
            .header("x-csrf-token", self.csrf())
            .json(body)
            .send()
            .await
            .expect("PUT")
    }

    /// POST raw bytes (file uploads and imports).
    pub async fn post_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) -> Response {
        self.send_bytes(reqwest::Method::POST, path, content_type, body)
            .await
    }

    /// PUT raw bytes (a file that replaces the one before).
    pub async fn put_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) -> Response {
        self.send_bytes(reqwest::Method::PUT, path, content_type, body)
            .await
    }

    async fn send_bytes(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        self.http
            .request(method, self.url(path))
            .header("x-csrf-token", self.csrf())
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("upload")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.http
            .delete(self.url(path))
            .header("x-csrf-token", self.csrf())
            .send()
            .await
            .expect("DELETE")
    }

    /// GET and parse JSON, asserting 200.
    pub async fn json(&self, path: &str) -> Value {
        let resp = self.get(path).await;
        assert_eq!(resp.status(), 200, "GET {path}");
        resp.json().await.expect("json body")
    }
}

/// The current TOTP time step (30-second periods since 1970).
pub fn current_step() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        / 30
}

/// The code an authenticator app shows for a Base32 secret in time step `step`.
pub fn totp_code_at(secret_base32: &str, username: &str, step: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .expect("base32 secret");
    totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some("govhall".into()),
        username.to_string(),
    )
    .expect("totp")
    .generate(step * 30)
}

/// The current code an authenticator app would show for a Base32 secret.
pub fn totp_code(secret_base32: &str, username: &str) -> String {
    totp_code_at(secret_base32, username, current_step())
}

/// Rows of a raw query as JSON objects: tests look at the tables as stored
/// (ciphertext at rest, row counts) without reaching into a module's entities.
pub async fn query(db: &sea_orm::DatabaseConnection, sql: &str) -> Vec<Value> {
    use sea_orm::{FromQueryResult, JsonValue, Statement};
    JsonValue::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The rows in `table`.
pub async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> u64 {
    // Read as a typed column: SQLite reports no type for an expression, so a
    // JSON row would come back without it.
    use sea_orm::{ConnectionTrait, Statement};
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.clone(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get::<i64>("", "n")
        .unwrap_or_else(|e| panic!("{sql}: {e}")) as u64
}

/// Inserts one row into `table` as stored: tests set up states (an hour of
/// sent codes, an old row) without reaching into a module's entities.
pub async fn insert_row(
    db: &impl sea_orm::ConnectionTrait,
    table: &str,
    row: Vec<(&str, sea_orm::Value)>,
) {
    use sea_orm::sea_query::{Alias, Query};
    let (columns, values): (Vec<_>, Vec<_>) = row.into_iter().unzip();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(columns.into_iter().map(Alias::new))
        .values_panic(values.into_iter().map(Into::into));
    db.execute(&insert)
        .await
        .unwrap_or_else(|e| panic!("insert into {table}: {e}"));
}
