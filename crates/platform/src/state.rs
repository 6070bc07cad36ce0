//! The shared application state handed to every HTTP handler and service.

use crate::{
    auth::CurrentUser, cache::Cache, config::Config, db, events::EventBus, metrics::Metrics,
};
use govhall_kernel::crypto::PiiCipher;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// How long a cached principal or hall may be served without a reload; the
/// real invalidation is by event (see `crate::cache`), this only bounds what a
/// change the PostgreSQL bridge missed can leave stale.
pub const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// Events that change a signed-in principal (not sign-in attempts: a new
/// session is not cached yet, and failed attempts must not flush the cache).
const PRINCIPAL_EVENTS: &[&str] = &[
    "auth.user.",
    "auth.session.",
    "auth.password.",
    "auth.totp.",
    "auth.role.",
    "auth.device.",
];

/// Cloned for every handler, extractor and layer of every request: one
/// reference count (cloning the parts one by one — pools, the bus, the
/// shutdown token's lock — was a tenth of the server's time under load).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

pub struct AppStateInner {
    pub db: DatabaseConnection,
    /// For hot reads outside a transaction (see `db::connect_reader`); never
    /// for a read that decides a write (use the transaction).
    pub read: DatabaseConnection,
    pub config: Arc<Config>,
    pub bus: EventBus,
    pub pii: Arc<dyn PiiCipher>,
    pub metrics: Arc<Metrics>,
    /// Serializes appends to the audit hash chain within this process
    /// (PostgreSQL additionally takes an advisory lock across instances).
    pub audit_lock: Arc<tokio::sync::Mutex<()>>,
    /// Audit entries waiting for the next group commit (see `audit::append`).
    pub audit_queue: Arc<crate::audit::AuditQueue>,
    /// The audit chain's key and checkpoint (see `audit::seal`).
    pub audit_seal: Arc<crate::audit::seal::Seal>,
    /// Refused anonymous requests counted per address and minute (see `audit::refusals`).
    pub anonymous_refusals: Arc<crate::audit::refusals::AnonymousRefusals>,
    /// Cancelled on shutdown so long-lived streams (SSE) end and the server can stop.
    pub shutdown: CancellationToken,
    /// Services modules register at start-up (e.g. the catalog's search
    /// index), looked up by type; the platform does not know their types.
    pub extensions: Arc<std::sync::RwLock<axum::http::Extensions>>,
    /// Signed-in principals by session or device token hash (dropped by `PRINCIPAL_EVENTS`).
    pub principals: Arc<Cache<CurrentUser>>,
    /// How a hall key is resolved (the directory registers it; see `halls`).
    pub hall_resolver: std::sync::OnceLock<crate::halls::Resolve>,
}

impl AppState {
    /// Connects, migrates and loads the PII key.
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        let problems = config.problems();
        anyhow::ensure!(problems.is_empty(), "配置无效：{}", problems.join("；"));
        let db = db::connect(&config.database_url(), config.db_pool_size).await?;
        db::migrate(&db).await?;
        let read = db::connect_reader(&config.database_url(), &db).await?;
        let shutdown = CancellationToken::new();
        let metrics = Arc::new(Metrics::new());
        db::checkpoint::spawn(
            &config.database_url(),
            &db,
            db::checkpoint::Policy::default(),
            metrics.wal.clone(),
            shutdown.clone(),
        );
        let pii = crate::keys::load_pii_cipher(&config)?;
        let audit_seal = crate::audit::seal::Seal::open(&config, true)?;
        let bus = EventBus::new();
        let state = Self(Arc::new(AppStateInner {
            db,
            read,
            config: Arc::new(config),
            principals: Arc::new(Cache::new(&bus, PRINCIPAL_EVENTS, CACHE_TTL)),
            hall_resolver: std::sync::OnceLock::new(),
            bus,
            pii: Arc::new(pii),
            metrics,
            audit_lock: Arc::new(tokio::sync::Mutex::new(())),
            audit_queue: Arc::default(),
            audit_seal: Arc::new(audit_seal),
            anonymous_refusals: Arc::default(),
            shutdown,
            extensions: Arc::default(),
        }));
        crate::audit::refusals::spawn_flusher(&state);
        crate::audit::seal::spawn_anchor(&state);
        Ok(state)
    }

    /// Stops the state's background tasks (the WAL checkpointer among them)
    /// and closes its connections: for a command that opened the state to do
    /// one thing, so nothing of it keeps working on the file afterwards.
    pub async fn close(&self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.db.clone().close().await?;
        self.read.clone().close().await?;
        Ok(())
    }

    /// Registers a module service.
    pub fn insert_extension<T: Clone + Send + Sync + 'static>(&self, value: T) {
        self.extensions
            .write()
            .expect("extensions lock")
            .insert(value);
    }

    /// A module service registered at start-up.
    pub fn extension<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        self.extensions
            .read()
            .expect("extensions lock")
            .get::<T>()
            .cloned()
    }
}
