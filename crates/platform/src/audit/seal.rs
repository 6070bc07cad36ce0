//! What makes the audit chain hard to forge and to cut: each link is an
//! HMAC-SM3 under the audit key (kept like the personal-data key: outside the
//! database, in `audit_key` / `GOVHALL_AUDIT_KEY` or `data_dir/audit.key`), so
//! an edited row cannot be re-chained without the key; and a checkpoint file
//! outside the table (`data_dir/audit-anchor.json`, itself keyed) records
//! where the chain starts and the newest entry seen, so deleting the newest or
//! the oldest rows is detected. Only a purge moves the start, and it records
//! what it removed.

use super::entity;
use crate::{AppState, config::Config, db::DbResultExt};
use anyhow::Context;
use chrono::{DateTime, Utc};
use govhall_kernel::{
    crypto::{SoftwarePiiCipher, hmac_sm3},
    error::AppResult,
};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How a keyed link is marked (older entries carry a bare SM3 digest).
pub const KEYED: &str = "hmac-sm3:";
/// How often the checkpoint follows the newest entry: a cut of the newest
/// rows goes unnoticed only for entries younger than this.
const ANCHOR_EVERY: Duration = Duration::from_secs(10);

/// The audit key and the checkpoint file's place.
pub struct Seal {
    key: Vec<u8>,
    anchor_path: PathBuf,
}

/// The chain's start and the newest entry a checkpoint saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The oldest entry kept and the link it continues from.
    pub base_seq: i64,
    pub base_prev: String,
    /// The newest entry seen; it must stay in the table with this digest.
    pub head_seq: i64,
    pub head_hash: String,
    pub written_at: DateTime<Utc>,
    /// HMAC-SM3 of the fields above.
    pub mac: String,
}

impl Seal {
    /// The key from the configuration, else from `data_dir/audit.key`
    /// (created on first start when `create`).
    pub fn open(config: &Config, create: bool) -> anyhow::Result<Self> {
        let key = match config.audit_key.as_deref().filter(|k| !k.trim().is_empty()) {
            Some(k) => k.trim().to_string(),
            None => {
                let path = config.data_dir.join("audit.key");
                if !path.exists() && create {
                    crate::keys::write_key_file(&path, &SoftwarePiiCipher::generate_key_hex())?;
                    tracing::warn!(path = %path.display(), "created a new audit key file; back it up apart from the database");
                }
                std::fs::read_to_string(&path)
                    .with_context(|| format!("无法读取审计密钥文件 {}", path.display()))?
                    .trim()
                    .to_string()
            }
        };
        let key = hex::decode(&key).ok().filter(|k| k.len() == 32).context(
            "审计密钥（audit_key / GOVHALL_AUDIT_KEY / audit.key）须为 64 位十六进制字符",
        )?;
        Ok(Seal {
            key,
            anchor_path: config.data_dir.join("audit-anchor.json"),
        })
    }

    /// The keyed link of one entry's fields.
    pub fn link(&self, fields: &[u8]) -> String {
        format!("{KEYED}{}", hex::encode(hmac_sm3(&self.key, fields)))
    }

    fn anchor_mac(&self, a: &Anchor) -> String {
        let text = format!(
            "anchor\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            a.base_seq,
            a.base_prev,
            a.head_seq,
            a.head_hash,
            a.written_at.to_rfc3339()
        );
        hex::encode(hmac_sm3(&self.key, text.as_bytes()))
    }

    /// The checkpoint: none yet, or an error when it was altered.
    pub fn read_anchor(&self) -> Result<Option<Anchor>, String> {
        read_anchor_at(&self.anchor_path, |a| self.anchor_mac(a))
    }

    fn write_anchor(&self, mut a: Anchor) -> AppResult<()> {
        a.mac = self.anchor_mac(&a);
        let text = serde_json::to_string_pretty(&a).map_err(govhall_kernel::AppError::internal)?;
        // Written beside and renamed over: a crash leaves the old one or the new one.
        let tmp = self.anchor_path.with_extension("json.tmp");
        std::fs::write(&tmp, text).map_err(govhall_kernel::AppError::internal)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
                .map_err(govhall_kernel::AppError::internal)?;
        }
        std::fs::rename(&tmp, &self.anchor_path).map_err(govhall_kernel::AppError::internal)
    }
}

fn read_anchor_at(path: &Path, mac: impl Fn(&Anchor) -> String) -> Result<Option<Anchor>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("校验点文件无法读取：{e}")),
    };
    let a: Anchor = serde_json::from_str(&text).map_err(|_| "校验点文件已损坏".to_string())?;
    if mac(&a) != a.mac {
        return Err("校验点文件被篡改（签名不符）".into());
    }
    Ok(Some(a))
}

/// The oldest or newest entry: (seq, prev_hash, hash).
async fn end<C: ConnectionTrait>(db: &C, newest: bool) -> AppResult<Option<(i64, String, String)>> {
    let find = entity::Entity::find();
    let find = if newest {
        find.order_by_desc(entity::Column::Seq)
    } else {
        find.order_by_asc(entity::Column::Seq)
    };
    Ok(find
        .limit(1)
        .one(db)
        .await
        .db_err()?
        .map(|m| (m.seq, m.prev_hash, m.hash)))
}

/// Moves the checkpoint to the newest entry; `rebase` (after a purge) also
/// moves its start to the oldest entry kept. Never moves it backwards: a
/// table shorter than its checkpoint is evidence, left for `verify` to report.
/// The caller holds the audit lock.
pub(super) async fn refresh(state: &AppState, rebase: bool) -> AppResult<()> {
    let seal = &state.audit_seal;
    let old = match seal.read_anchor() {
        Ok(a) => a,
        Err(reason) => {
            tracing::error!(%reason, "the audit checkpoint does not verify; it is left as it is");
            return Ok(());
        }
    };
    let (Some(first), Some(last)) = (end(&state.db, false).await?, end(&state.db, true).await?)
    else {
        return Ok(());
    };
    if let Some(old) = &old
        && last.0 < old.head_seq
    {
        tracing::error!(
            checkpoint = old.head_seq,
            newest = last.0,
            "the audit log ends before its checkpoint: entries were removed"
        );
        return Ok(());
    }
    let (base_seq, base_prev) = match &old {
        Some(o) if !rebase => (o.base_seq, o.base_prev.clone()),
        _ => (first.0, first.1),
    };
    if let Some(o) = &old
        && o.head_seq == last.0
        && o.base_seq == base_seq
    {
        return Ok(());
    }
    seal.write_anchor(Anchor {
        base_seq,
        base_prev,
        head_seq: last.0,
        head_hash: last.2,
        written_at: Utc::now(),
        mac: String::new(),
    })
}

/// Moves the checkpoint to the newest entry now (the task does it every few seconds).
pub async fn checkpoint(state: &AppState) -> AppResult<()> {
    let _guard = state.audit_lock.lock().await;
    refresh(state, false).await
}

/// Keeps the checkpoint following the log until shutdown (and once more then).
pub fn spawn_anchor(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ANCHOR_EVERY);
        loop {
            let stopping = tokio::select! {
                _ = tick.tick() => false,
                _ = state.shutdown.cancelled() => true,
            };
            let _guard = state.audit_lock.lock().await;
            if let Err(e) = refresh(&state, false).await {
                tracing::error!(error = %e, "could not write the audit checkpoint");
            }
            if stopping {
                break;
            }
        }
    });
}
