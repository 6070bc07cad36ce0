//! Storage: connect by URL (SQLite or PostgreSQL, chosen at run time) and run
//! the portable migrations.

pub mod checkpoint;
mod migrations;

/// The relation and behaviour boilerplate of an entity without relations
/// (foreign keys live in the migrations; joins are written as queries).
#[macro_export]
macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

use anyhow::{Context, bail};
use sea_orm::sqlx::{
    self,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use sea_orm::{DatabaseConnection, DbBackend, SqlxPostgresConnector, SqlxSqliteConnector};
use sea_orm_migration::MigratorTrait;
use std::{str::FromStr, time::Duration};

pub use migrations::Migrator;

/// Opens a pool for `url`. SQLite runs in WAL mode with foreign keys on, over
/// one connection: SQLite has one writer at a time anyway, and writers that
/// contend for the file lock wait in SQLite's busy handler, which sleeps in
/// steps of up to 100 ms — 32 kiosks then get 130 ms answers. Queued in the
/// pool instead, each request waits only for the ones before it (a statement
/// takes microseconds). The rule that follows: never use the pool while
/// holding a transaction (pass the transaction instead).
pub async fn connect(url: &str, pool_size: u32) -> anyhow::Result<DatabaseConnection> {
    if url.starts_with("sqlite:") {
        let opts = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("SQLite 地址无效：{url}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            // `checkpoint::spawn` copies the WAL back, not the commits.
            .pragma("wal_autocheckpoint", "0")
            // After a burst, the log file shrinks back when it starts over.
            .pragma("journal_size_limit", "67108864")
            .foreign_keys(true)
            .busy_timeout(Duration::from_millis(BUSY_TIMEOUT_MS));
        if let Some(parent) = opts.get_filename().parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建数据目录 {}", parent.display()))?;
        }
        // SQLite gives the -wal and -shm files the database file's mode.
        owner_only(opts.get_filename())
            .with_context(|| format!("无法设置数据库文件权限 {}", opts.get_filename().display()))?;
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .with_context(|| "无法打开 SQLite 数据库".to_string())?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let pool = PgPoolOptions::new()
            .max_connections(pool_size.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .with_context(|| {
                format!("无法连接 PostgreSQL（{}）", crate::config::redact_url(url))
            })?;
        Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
    } else {
        bail!(
            "不支持的数据库地址“{}”：只支持 sqlite:// 与 postgres://",
            crate::config::redact_url(url)
        )
    }
}

/// How long a SQLite connection waits for a lock another connection holds.
const BUSY_TIMEOUT_MS: u64 = 10_000;

/// Connections for reads that need no transaction, on the hot paths (every
/// request's session or device, the hall, the queue engine's configuration).
/// SQLite: a few more connections to the same file, refused writes
/// (`query_only`); in WAL mode they read the last commit while the one
/// writer works, instead of queueing behind it. PostgreSQL: the same pool.
pub async fn connect_reader(
    url: &str,
    db: &DatabaseConnection,
) -> anyhow::Result<DatabaseConnection> {
    if !url.starts_with("sqlite:") {
        return Ok(db.clone());
    }
    let opts = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("SQLite 地址无效：{url}"))?
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("query_only", "ON");
    let pool = SqlitePoolOptions::new()
        .max_connections(READERS)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(opts)
        .await
        .with_context(|| "无法打开 SQLite 数据库".to_string())?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// SQLite reader connections (each has a thread of its own).
const READERS: u32 = 3;

/// Brings the schema up to date.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("数据库迁移失败")
}

/// Whether the database answers.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// Is this a unique-constraint violation (a duplicate that slipped past the pre-check in a race)?
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Creates `path` empty if missing and lets only its owner read or write it
/// (the database holds ciphertext, hashes and the audit log: 0600, not 0644).
fn owner_only(path: &std::path::Path) -> std::io::Result<()> {
    if path.as_os_str().is_empty() || path == std::path::Path::new(":memory:") {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// Makes a consistent copy of a SQLite database (`VACUUM INTO`).
pub async fn backup_sqlite(
    db: &DatabaseConnection,
    target: &std::path::Path,
) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!("仅 SQLite 支持内置备份");
    }
    let path = target.to_string_lossy().to_string();
    // VACUUM INTO fills an empty file and keeps its mode: only the owner reads the copy.
    owner_only(target).with_context(|| format!("无法创建备份文件 {path}"))?;
    let pool = db.get_sqlite_connection_pool();
    // The INTO argument is an expression, so the path is bound, not spliced.
    sqlx::query("VACUUM INTO ?")
        .bind(path)
        .execute(pool)
        .await
        .context("备份失败")?;
    Ok(())
}

/// Maps storage errors into application errors: a unique violation becomes a
/// conflict (a race past the duplicate pre-check), anything else is internal.
pub trait DbResultExt<T> {
    fn db_err(self) -> govhall_kernel::error::AppResult<T>;
}

impl<T> DbResultExt<T> for Result<T, sea_orm::DbErr> {
    fn db_err(self) -> govhall_kernel::error::AppResult<T> {
        self.map_err(|e| {
            if is_unique_violation(&e) {
                govhall_kernel::AppError::Conflict {
                    message: "数据已被其他人同时修改或编码重复，请刷新后重试".into(),
                    fields: vec![],
                }
            } else {
                govhall_kernel::AppError::internal(e)
            }
        })
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes
/// can fail with SQLITE_BUSY when another writer got in between, which the busy
/// timeout cannot cure. PostgreSQL ignores the option.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Serializes writers of one hall inside `txn` (held until it ends). SQLite's
/// `BEGIN IMMEDIATE` already serializes every writer; on PostgreSQL this takes a
/// transaction-scoped advisory lock keyed by the hall, so server instances
/// sharing the database take turns too.
pub async fn lock_hall(
    txn: &sea_orm::DatabaseTransaction,
    hall_id: &str,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, Statement};
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [hall_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// A `LIKE '%q%'` with `%` and `_` escaped, so a search for "50%" matches literally.
pub fn contains(q: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = q
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}
