//! SQLite WAL checkpoints, off the writer's path, with a log that stays small.
//!
//! By default SQLite's writer copies the WAL back into the database file
//! (a checkpoint, with an fsync) inside the commit that crosses 1,000 pages:
//! one commit in fifty then takes ten times as long, which is the queue's whole
//! p99. The writer connection has automatic checkpoints off (`connect`); this
//! task checkpoints instead, in two steps:
//!
//! 1. A passive checkpoint from a connection of its own copies the log back
//!    while the writer goes on (the copying and the fsync happen here).
//! 2. A passive checkpoint cannot let the log start over while commits keep
//!    landing — there is always a commit newer than the copy — so under
//!    sustained writes the WAL grew without end (1 GB in a minute of load, and
//!    its index with it). Once the log is longer than `restart_at_pages`, the
//!    task takes the writer's own connection from its pool, where requests
//!    queue in order instead of sleeping in SQLite's busy handler, and runs a
//!    RESTART checkpoint on it: only the few pages committed since step 1 are
//!    left to copy, and the next commit writes from the start of the file.
//!    The wait for readers still inside the old log is bounded by a short
//!    busy timeout; a restart that times out is tried again at the next tick.

use prometheus_client::metrics::{counter::Counter, gauge::Gauge};
use sea_orm::sqlx::{
    self, Row,
    sqlite::{SqliteConnectOptions, SqlitePool},
};
use std::{str::FromStr, time::Duration};
use tokio_util::sync::CancellationToken;

/// When and how the log is checkpointed.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// How often the WAL is copied back.
    pub interval: Duration,
    /// Restart the log once it holds more pages than this (4 KiB each)…
    pub restart_at_pages: i64,
    /// …unless the passive checkpoint just before took longer than this: the
    /// disk is busy, and the restart's own syncs, made while the writer waits,
    /// would be slow too. It is tried again at the next tick…
    pub calm_passive: Duration,
    /// …until the log holds this many pages, when it restarts regardless.
    pub force_at_pages: i64,
    /// How long a restart waits for readers still in the old log.
    pub restart_wait: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            interval: Duration::from_millis(250),
            // 16 MiB: at the queue's highest write rate about a second of commits.
            restart_at_pages: 4096,
            calm_passive: Duration::from_millis(50),
            // 48 MiB, below the 64 MiB the log file is kept to.
            force_at_pages: 12_288,
            restart_wait: Duration::from_millis(30),
        }
    }
}

/// What the checkpointer did (exported on `/metrics`).
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub passive: Counter,
    pub restarts: Counter,
    /// Restarts given up because a reader stayed in the old log.
    pub restarts_busy: Counter,
    /// Restarts that held the writer longer than `SLOW_RESTART` (requests
    /// wait for them: the benchmark compares them with its slow requests).
    pub restarts_slow: Counter,
    /// The longest restart so far, in milliseconds.
    pub restart_longest_ms: Gauge,
    /// The longest passive checkpoint so far, in milliseconds.
    pub passive_longest_ms: Gauge,
}

/// A restart that holds the writer this long shows in the requests' tail.
pub const SLOW_RESTART: Duration = Duration::from_millis(50);

/// Keeps the longest of `took` and what `gauge` holds.
fn keep_longest(gauge: &Gauge, took: Duration) {
    let ms = i64::try_from(took.as_millis()).unwrap_or(i64::MAX);
    if ms > gauge.get() {
        gauge.set(ms);
    }
}

/// Checkpoints `url`'s database until `shutdown` (nothing for PostgreSQL).
/// `writer` is the pool of the one writer connection (`super::connect`).
pub fn spawn(
    url: &str,
    writer: &sea_orm::DatabaseConnection,
    policy: Policy,
    stats: Stats,
    shutdown: CancellationToken,
) {
    if !url.starts_with("sqlite:") {
        return;
    }
    let url = url.to_string();
    let writer = writer.get_sqlite_connection_pool().clone();
    tokio::spawn(async move {
        let opts = match SqliteConnectOptions::from_str(&url) {
            Ok(o) => o.busy_timeout(Duration::from_secs(10)),
            Err(e) => return tracing::error!(error = %e, "检查点连接地址无效"),
        };
        let mut conn = match sqlx::ConnectOptions::connect(&opts).await {
            Ok(c) => c,
            Err(e) => return tracing::error!(error = %e, "无法打开检查点连接"),
        };
        let mut tick = tokio::time::interval(policy.interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = shutdown.cancelled() => break,
            }
            // The state was closed without cancelling its tasks.
            if writer.is_closed() {
                break;
            }
            if let Err(e) = checkpoint(&mut conn, &writer, &policy, &stats).await {
                tracing::warn!(error = %e, "WAL 检查点失败");
            }
        }
        // The last connection to close checkpoints the rest.
        let _ = sqlx::Connection::close(conn).await;
    });
}

async fn checkpoint(
    conn: &mut sqlx::SqliteConnection,
    writer: &SqlitePool,
    policy: &Policy,
    stats: &Stats,
) -> Result<(), sqlx::Error> {
    let started = std::time::Instant::now();
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(&mut *conn)
        .await?;
    stats.passive.inc();
    keep_longest(&stats.passive_longest_ms, started.elapsed());
    let pages: i64 = row.try_get(1)?;
    tracing::debug!(
        busy = row.try_get::<i64, _>(0)?,
        pages,
        copied = row.try_get::<i64, _>(2)?,
        ms = started.elapsed().as_millis(),
        "WAL 被动检查点"
    );
    let busy_disk = started.elapsed() > policy.calm_passive;
    if pages <= policy.restart_at_pages || (busy_disk && pages < policy.force_at_pages) {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let restarted = restart(writer, policy.restart_wait).await?;
    let took = started.elapsed();
    keep_longest(&stats.restart_longest_ms, took);
    if took > SLOW_RESTART {
        stats.restarts_slow.inc();
    }
    tracing::debug!(
        restarted,
        ms = started.elapsed().as_millis(),
        "WAL 重启检查点"
    );
    if restarted {
        stats.restarts.inc();
    } else {
        stats.restarts_busy.inc();
    }
    Ok(())
}

/// A RESTART checkpoint on the writer's connection. Whether the log was restarted.
async fn restart(writer: &SqlitePool, wait: Duration) -> Result<bool, sqlx::Error> {
    let mut conn = writer.acquire().await?;
    // Numbers only: nothing from outside reaches these statements.
    let busy_timeout = |ms: u128| sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {ms}"));
    sqlx::query(busy_timeout(wait.as_millis()))
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
        .fetch_one(&mut *conn)
        .await
        .and_then(|row| row.try_get::<i64, _>(0));
    let restored = sqlx::query(busy_timeout(super::BUSY_TIMEOUT_MS.into()))
        .execute(&mut *conn)
        .await;
    if restored.is_err() {
        // Never hand the writer back with a short timeout.
        conn.detach();
    }
    restored?;
    Ok(done? == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    /// Writes go on without pause while readers read; the log must still start
    /// over while they do, and at once when they pause.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_restarts_while_writes_continue() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.db");
        let url = format!("sqlite://{}", file.display());
        let db = crate::db::connect(&url, 1).await.unwrap();
        let read = crate::db::connect_reader(&url, &db).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
            .await
            .unwrap();
        let shutdown = CancellationToken::new();
        let policy = Policy {
            interval: Duration::from_millis(20),
            restart_at_pages: 256,
            calm_passive: Duration::from_secs(1),
            force_at_pages: 1024,
            restart_wait: Duration::from_millis(30),
        };
        let stats = Stats::default();
        spawn(&url, &db, policy, stats.clone(), shutdown.clone());
        let stop_reading = CancellationToken::new();
        let reading = tokio::spawn({
            let (read, stop) = (read.clone(), stop_reading.clone());
            async move {
                while !stop.is_cancelled() {
                    read.query_one_raw(Statement::from_string(
                        DbBackend::Sqlite,
                        "SELECT COUNT(*), MAX(id) FROM t",
                    ))
                    .await
                    .unwrap();
                    // Requests read in short transactions with gaps between
                    // them; a loop that never lets go would starve any restart.
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
        });
        // About 48 MiB through the log, 24 KiB a commit, never pausing.
        for i in 0..2000 {
            db.execute_unprepared(&format!(
                "INSERT INTO t (v) VALUES (randomblob(8192)), (randomblob(8192)), (randomblob(8192)); \
                 DELETE FROM t WHERE id < {}",
                i * 3 - 300
            ))
            .await
            .unwrap();
        }
        let restarts = stats.restarts.get();
        assert!(restarts >= 3, "the log restarted {restarts} times");
        // Once the hall quietens, the log is restarted within a few intervals
        // if it is past its restart size. (How long the log grows under
        // sustained load on a busy machine is measured by `govhall bench soak`,
        // not asserted here: it depends on the scheduler.)
        stop_reading.cancel();
        reading.await.unwrap();
        let log_frames = || async {
            let row = read
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA wal_checkpoint(PASSIVE)",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get_by_index::<i64>(1).unwrap()
        };
        let mut frames = log_frames().await;
        for _ in 0..500 {
            db.execute_unprepared("INSERT INTO t (v) VALUES (randomblob(100))")
                .await
                .unwrap();
            frames = log_frames().await;
            if frames <= 256 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        shutdown.cancel();
        assert!(frames <= 256, "the quiet log still holds {frames} frames");
    }
}
