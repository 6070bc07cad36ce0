//! The shared application state handed to every HTTP handler and service.

use crate::{config::Config, db, events::EventBus, metrics::Metrics};
use anyhow::Context;
use govhall_kernel::crypto::{PiiCipher, SoftwarePiiCipher};
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub bus: EventBus,
    pub pii: Arc<dyn PiiCipher>,
    pub metrics: Arc<Metrics>,
    /// Serializes appends to the audit hash chain within this process
    /// (PostgreSQL additionally takes an advisory lock across instances).
    pub audit_lock: Arc<tokio::sync::Mutex<()>>,
    /// Cancelled on shutdown so long-lived streams (SSE) end and the server can stop.
    pub shutdown: CancellationToken,
}

impl AppState {
    /// Connects, migrates and loads the PII key.
    pub async fn open(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url(), config.db_pool_size).await?;
        db::migrate(&db).await?;
        let pii = load_pii_cipher(&config)?;
        Ok(Self {
            db,
            config: Arc::new(config),
            bus: EventBus::new(),
            pii: Arc::new(pii),
            metrics: Arc::new(Metrics::new()),
            audit_lock: Arc::new(tokio::sync::Mutex::new(())),
            shutdown: CancellationToken::new(),
        })
    }
}

/// The key comes from config/env, else from `data_dir/pii.key`, created on first
/// start with owner-only permissions. It is never stored in the database.
fn load_pii_cipher(config: &Config) -> anyhow::Result<SoftwarePiiCipher> {
    if let Some(key) = config.pii_key.as_deref().filter(|k| !k.trim().is_empty()) {
        return SoftwarePiiCipher::from_hex(key).context("配置项 pii_key（GOVHALL_PII_KEY）无效");
    }
    let path = config.data_dir.join("pii.key");
    if !path.exists() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("无法创建数据目录 {}", config.data_dir.display()))?;
        std::fs::write(&path, SoftwarePiiCipher::generate_key_hex())
            .with_context(|| format!("无法写入密钥文件 {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        tracing::warn!(path = %path.display(), "created a new personal-data key file; back it up together with the database");
    }
    let key = std::fs::read_to_string(&path)
        .with_context(|| format!("无法读取密钥文件 {}", path.display()))?;
    SoftwarePiiCipher::from_hex(&key)
        .with_context(|| format!("密钥文件 {} 内容无效", path.display()))
}
