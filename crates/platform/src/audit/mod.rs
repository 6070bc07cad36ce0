//! The audit log (等保 8.1.4 安全审计): every sign-in, every write and every
//! refused request, with who, role, what, target, when, from where and the
//! result. Entries form a keyed chain (HMAC-SM3, see `seal`), so an edited,
//! removed or inserted row is detected by [`verify`] and cannot be re-chained
//! without the audit key; a checkpoint outside the table catches rows cut from
//! either end; database triggers keep the table append-only for the
//! application. Only the 审计管理员 reads it.

mod entity;
pub mod http;
pub mod middleware;
pub mod refusals;
pub mod seal;

use crate::{AppState, db::DbResultExt};
use chrono::{DateTime, SubsecRound, Utc};
use govhall_kernel::{crypto::sm3_hex, error::AppResult};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;

/// The hash the first entry chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, before it is chained.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub actor_roles: String,
    pub action: String,
    pub target: String,
    pub ip: Option<String>,
    pub status: i32,
}

impl AuditEntry {
    pub fn outcome(&self) -> &'static str {
        if (200..400).contains(&self.status) {
            "success"
        } else {
            "failure"
        }
    }
}

/// The chained link of one entry: HMAC-SM3 (under the audit key) over the
/// previous link and every field; `None` computes the bare SM3 digest that
/// entries written before the key existed carry.
fn chain_hash(
    seal: Option<&seal::Seal>,
    prev: &str,
    at: &DateTime<Utc>,
    e: &AuditEntry,
    outcome: &str,
) -> String {
    let fields = [
        prev,
        &at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        e.actor_id.as_deref().unwrap_or(""),
        &e.actor_name,
        &e.actor_roles,
        &e.action,
        &e.target,
        e.ip.as_deref().unwrap_or(""),
        &e.status.to_string(),
        outcome,
    ];
    // Unit separator: cannot occur in any field, so field boundaries are unambiguous.
    let joined = fields.join("\u{1f}");
    match seal {
        Some(seal) => seal.link(joined.as_bytes()),
        None => sm3_hex(joined.as_bytes()),
    }
}

fn entry_of(m: &entity::Model) -> AuditEntry {
    AuditEntry {
        actor_id: m.actor_id.clone(),
        actor_name: m.actor_name.clone(),
        actor_roles: m.actor_roles.clone(),
        action: m.action.clone(),
        target: m.target.clone(),
        ip: m.ip.clone(),
        status: m.status,
    }
}

/// Entries waiting for the next group commit, each with whom to tell.
pub type AuditQueue =
    std::sync::Mutex<Vec<(AuditEntry, tokio::sync::oneshot::Sender<Result<(), String>>)>>;

/// Appends one entry to the chain and returns once it is committed. Appends
/// are serialized (in-process by a mutex, across PostgreSQL instances by a
/// transaction-scoped advisory lock) and grouped: whoever holds the lock
/// writes every entry queued meanwhile in one transaction, so under load a
/// hundred requests cost one commit, not a hundred.
pub async fn append(state: &AppState, e: AuditEntry) -> AppResult<()> {
    let (done, result) = tokio::sync::oneshot::channel();
    state
        .audit_queue
        .lock()
        .expect("audit queue")
        .push((e, done));
    let guard = state.audit_lock.clone().lock_owned().await;
    let batch = std::mem::take(&mut *state.audit_queue.lock().expect("audit queue"));
    if !batch.is_empty() {
        // Written by a task of its own: a request that goes away (client
        // disconnected) must not take the others' entries with it.
        let state = state.clone();
        let writer = tokio::spawn(async move {
            let _guard = guard;
            let (entries, waiters): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
            let outcome = write_batch(&state, entries)
                .await
                .map_err(|e| e.to_string());
            for w in waiters {
                let _ = w.send(outcome.clone());
            }
        });
        let _ = writer.await;
    }
    result
        .await
        .map_err(|_| govhall_kernel::AppError::internal("审计写入中断"))?
        .map_err(govhall_kernel::AppError::internal)
}

async fn write_batch(state: &AppState, entries: Vec<AuditEntry>) -> AppResult<()> {
    let txn = crate::db::begin_write(&state.db).await.db_err()?;
    append_in(&txn, &state.audit_seal, entries).await?;
    txn.commit().await.db_err()
}

/// Appends entries to the chain inside `txn`, which commits them: for a
/// service that writes its requests' entries with its change (see
/// `middleware::RequestAudit`). Serialized by SQLite's one writer, and on
/// PostgreSQL by a transaction-scoped advisory lock.
pub async fn append_in(
    txn: &sea_orm::DatabaseTransaction,
    seal: &seal::Seal,
    entries: Vec<AuditEntry>,
) -> AppResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7301)")
            .await
            .db_err()?;
    }
    let mut prev = entity::Entity::find()
        .order_by_desc(entity::Column::Seq)
        .limit(1)
        .one(txn)
        .await
        .db_err()?
        .map(|m| m.hash)
        .unwrap_or_else(|| GENESIS.to_string());
    // Hashed in order here, written by one statement (rows take their `seq` in order).
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        // Microseconds: what PostgreSQL keeps, so the stored time re-hashes identically.
        let at = Utc::now().trunc_subsecs(6);
        let outcome = e.outcome();
        let hash = chain_hash(Some(seal), &prev, &at, &e, outcome);
        rows.push(entity::ActiveModel {
            seq: NotSet,
            occurred_at: Set(at),
            actor_id: Set(e.actor_id),
            actor_name: Set(e.actor_name),
            actor_roles: Set(e.actor_roles),
            action: Set(e.action),
            target: Set(e.target),
            ip: Set(e.ip),
            status: Set(e.status),
            outcome: Set(outcome.to_string()),
            prev_hash: Set(prev),
            hash: Set(hash.clone()),
        });
        prev = hash;
    }
    entity::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await
        .db_err()?;
    Ok(())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    /// Entries checked.
    pub checked: u64,
    /// Sequence number of the first entry that does not match the chain.
    pub first_broken: Option<i64>,
    /// Why it does not match, in Chinese.
    pub reason: Option<String>,
    /// The newest entry the checkpoint vouches for (none: no checkpoint yet).
    pub anchored_head: Option<i64>,
}

impl VerifyReport {
    fn broken(checked: u64, seq: Option<i64>, reason: String, anchored_head: Option<i64>) -> Self {
        VerifyReport {
            checked,
            first_broken: seq,
            reason: Some(reason),
            anchored_head,
        }
    }
}

/// Walks the whole chain in order and reports the first broken link: an
/// entry whose link does not match its content (edited, or re-chained without
/// the key), a missing link (a row removed or inserted), an oldest entry
/// other than the one the checkpoint starts from (rows cut at the start), or
/// a checkpointed newest entry that is gone (rows cut at the end).
pub async fn verify(db: &DatabaseConnection, seal: &seal::Seal) -> AppResult<VerifyReport> {
    const BATCH: u64 = 1000;
    let anchor = match seal.read_anchor() {
        Ok(a) => a,
        Err(reason) => return Ok(VerifyReport::broken(0, None, reason, None)),
    };
    let anchored_head = anchor.as_ref().map(|a| a.head_seq);
    let mut prev = GENESIS.to_string();
    let mut last_seq = 0i64;
    let mut checked = 0u64;
    let mut keyed_seen = false;
    let mut head_seen = false;
    loop {
        let rows = entity::Entity::find()
            .filter(entity::Column::Seq.gt(last_seq))
            .order_by_asc(entity::Column::Seq)
            .limit(BATCH)
            .all(db)
            .await
            .db_err()?;
        for m in &rows {
            let keyed = m.hash.starts_with(seal::KEYED);
            let reason = if checked == 0 {
                match &anchor {
                    Some(a) if a.base_seq != m.seq || a.base_prev != m.prev_hash => Some(format!(
                        "最早的记录与校验点的起点（第 {} 条）不符：其前的记录未经清理被删除",
                        a.base_seq
                    )),
                    None if m.prev_hash != GENESIS => Some(
                        "最早的记录不是日志的开端，也没有校验点证明其前的记录是按保存期清理的"
                            .into(),
                    ),
                    _ => None,
                }
            } else if m.prev_hash != prev {
                Some("与前一条记录的链接断开（记录被删除或插入）".into())
            } else {
                None
            };
            let reason = reason.or_else(|| {
                if keyed_seen && !keyed {
                    Some("记录的摘要未使用审计密钥（记录被替换）".into())
                } else if chain_hash(
                    keyed.then_some(seal),
                    &m.prev_hash,
                    &m.occurred_at,
                    &entry_of(m),
                    &m.outcome,
                ) != m.hash
                {
                    Some("内容与其摘要不符（记录被修改或被重新计算摘要）".into())
                } else {
                    None
                }
            });
            if let Some(reason) = reason {
                return Ok(VerifyReport::broken(
                    checked,
                    Some(m.seq),
                    reason,
                    anchored_head,
                ));
            }
            if let Some(a) = &anchor
                && a.head_seq == m.seq
            {
                if a.head_hash != m.hash {
                    return Ok(VerifyReport::broken(
                        checked,
                        Some(m.seq),
                        "与校验点记录的摘要不符（记录被替换）".into(),
                        anchored_head,
                    ));
                }
                head_seen = true;
            }
            keyed_seen |= keyed;
            prev = m.hash.clone();
            last_seq = m.seq;
            checked += 1;
        }
        if (rows.len() as u64) < BATCH {
            break;
        }
    }
    if let Some(a) = &anchor
        && !head_seen
    {
        return Ok(VerifyReport::broken(
            checked,
            Some(a.head_seq),
            format!(
                "校验点记录到第 {} 条，日志中已没有这条记录：最新的记录被删除（截断）",
                a.head_seq
            ),
            anchored_head,
        ));
    }
    Ok(VerifyReport {
        checked,
        first_broken: None,
        reason: None,
        anchored_head,
    })
}

const SQLITE_UNGUARD: &str = "DROP TRIGGER audit_log_no_delete";
const SQLITE_GUARD: &str = "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END";
const POSTGRES_UNGUARD: &str = "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change";
const POSTGRES_GUARD: &str = "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change";

/// Removes entries older than the retention period (never fewer than 180 days),
/// in one transaction that lifts and restores the append-only guard, and
/// records the purge itself. The remaining chain still verifies: its first entry
/// simply chains from a removed one.
pub async fn purge(state: &AppState, actor_name: &str) -> AppResult<u64> {
    let days = state.config.audit_retention_days.max(180);
    let cutoff = Utc::now() - chrono::Duration::days(days);
    let removed = {
        let _guard = state.audit_lock.lock().await;
        let txn = crate::db::begin_write(&state.db).await.db_err()?;
        let (unguard, guard) = match txn.get_database_backend() {
            DbBackend::Postgres => (POSTGRES_UNGUARD, POSTGRES_GUARD),
            _ => (SQLITE_UNGUARD, SQLITE_GUARD),
        };
        txn.execute_unprepared(unguard).await.db_err()?;
        let res = entity::Entity::delete_many()
            .filter(entity::Column::OccurredAt.lt(cutoff))
            .exec(&txn)
            .await
            .db_err()?;
        txn.execute_unprepared(guard).await.db_err()?;
        txn.commit().await.db_err()?;
        // The chain now starts later, by a purge: the checkpoint says so.
        seal::refresh(state, true).await?;
        res.rows_affected
    };
    append(
        state,
        AuditEntry {
            actor_name: actor_name.to_string(),
            action: format!("PURGE audit_log older than {days} days"),
            target: format!("removed {removed} entries before {}", cutoff.to_rfc3339()),
            status: 200,
            ..Default::default()
        },
    )
    .await?;
    Ok(removed)
}
