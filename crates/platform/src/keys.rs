//! The personal-data key: where it lives and how it is rotated.
//!
//! The key is never stored in the database: it comes from `GOVHALL_PII_KEY`
//! (or `pii_key` in the config) or from `data_dir/pii.key`. Rotation re-encrypts
//! every encrypted column and recomputes every blind index in batches; it can be
//! resumed after an interruption because each ciphertext names its key.

use crate::{config::Config, db::DbResultExt};
use anyhow::Context;
use govhall_kernel::{
    crypto::{PiiCipher, SoftwarePiiCipher},
    error::AppResult,
};
use sea_orm::DatabaseConnection;
use std::path::{Path, PathBuf};

pub fn key_file(config: &Config) -> PathBuf {
    config.data_dir.join("pii.key")
}

/// Writes a key file readable by its owner only.
pub fn write_key_file(path: &Path, key_hex: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    }
    std::fs::write(path, key_hex)
        .with_context(|| format!("无法写入密钥文件 {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

pub fn read_key_file(path: &Path) -> anyhow::Result<SoftwarePiiCipher> {
    let key = std::fs::read_to_string(path)
        .with_context(|| format!("无法读取密钥文件 {}", path.display()))?;
    SoftwarePiiCipher::from_hex(&key)
        .with_context(|| format!("密钥文件 {} 内容无效", path.display()))
}

/// The key comes from config/env, else from `data_dir/pii.key`, created on first start.
pub fn load_pii_cipher(config: &Config) -> anyhow::Result<SoftwarePiiCipher> {
    if let Some(key) = config.pii_key.as_deref().filter(|k| !k.trim().is_empty()) {
        return SoftwarePiiCipher::from_hex(key).context("配置项 pii_key（GOVHALL_PII_KEY）无效");
    }
    let path = key_file(config);
    if !path.exists() {
        write_key_file(&path, &SoftwarePiiCipher::generate_key_hex())?;
        tracing::warn!(path = %path.display(), "created a new personal-data key file; back it up together with the database");
    }
    read_key_file(&path)
}

/// The key id a ciphertext was made with (`sm4gcm:<key id>:…`).
fn key_id_of(ciphertext: &str) -> Option<&str> {
    ciphertext.split(':').nth(1)
}

const BATCH: u64 = 500;

/// Encrypted columns of a table that modules own, for rotation: each listed
/// column is re-encrypted, and each blind index is recomputed from the first
/// non-empty of its source columns (decrypted).
pub struct EncryptedTable {
    /// Shown in the progress report, e.g. `号票`.
    pub label: &'static str,
    pub table: &'static str,
    /// A text primary key.
    pub key: &'static str,
    pub columns: &'static [&'static str],
    pub indexes: &'static [(&'static str, &'static [&'static str])],
}

/// Re-encrypts one table's columns under `new` (rows already under `new` are
/// skipped), in batches; returns the rows changed.
pub async fn rotate_table(
    db: &DatabaseConnection,
    old: &SoftwarePiiCipher,
    new: &SoftwarePiiCipher,
    spec: &EncryptedTable,
) -> AppResult<u64> {
    use sea_orm::{
        ConnectionTrait,
        sea_query::{Alias, Expr, ExprTrait, Order, Query},
    };
    let mut after = String::new();
    let mut changed = 0;
    loop {
        let mut select = Query::select();
        select
            .column(Alias::new(spec.key))
            .columns(spec.columns.iter().map(|c| Alias::new(*c)))
            .from(Alias::new(spec.table))
            .and_where(Expr::col(Alias::new(spec.key)).gt(after.clone()))
            .order_by(Alias::new(spec.key), Order::Asc)
            .limit(BATCH);
        let rows = db.query_all(&select).await.db_err()?;
        let Some(last) = rows.last() else { break };
        after = last.try_get::<String>("", spec.key).db_err()?;
        let txn = crate::db::begin_write(db).await.db_err()?;
        for row in rows {
            let id: String = row.try_get("", spec.key).db_err()?;
            let mut plain = std::collections::HashMap::new();
            let mut update = Query::update();
            update.table(Alias::new(spec.table));
            let mut stale = false;
            for col in spec.columns {
                let Some(enc) = row
                    .try_get::<Option<String>>("", col)
                    .db_err()?
                    .filter(|v| !v.is_empty())
                else {
                    continue;
                };
                let value = if key_id_of(&enc) == Some(new.key_id()) {
                    new.decrypt(&enc)
                } else {
                    stale = true;
                    old.decrypt(&enc)
                }
                .map_err(govhall_kernel::AppError::internal)?;
                update.value(Alias::new(*col), new.encrypt(&value));
                plain.insert(*col, value);
            }
            if !stale {
                continue;
            }
            for (index, sources) in spec.indexes {
                let source = sources.iter().find_map(|s| plain.get(s));
                update.value(Alias::new(*index), source.map(|v| new.blind_index(v)));
            }
            update.and_where(Expr::col(Alias::new(spec.key)).eq(id));
            txn.execute(&update).await.db_err()?;
            changed += 1;
        }
        txn.commit().await.db_err()?;
    }
    Ok(changed)
}
