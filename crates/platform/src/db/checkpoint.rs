//! SQLite WAL checkpoints, off the writer's path.
//!
//! By default SQLite's writer copies the WAL back into the database file
//! (a checkpoint, with an fsync) inside the commit that crosses 1,000 pages:
//! one commit in fifty then takes ten times as long, which is the queue's whole
//! p99. The writer connection has automatic checkpoints off (`connect`); this
//! task checkpoints from a connection of its own, beside the writer.

use sea_orm::sqlx::{self, Row, sqlite::SqliteConnectOptions};
use std::{str::FromStr, time::Duration};
use tokio_util::sync::CancellationToken;

/// How often the WAL is copied back.
const INTERVAL: Duration = Duration::from_millis(500);

/// A passive checkpoint copies what it can but only lets the log start over
/// when no write landed while it ran, so under a long burst of writes the WAL
/// grows (about 4 MB per thousand tickets) until the first quiet moment — a
/// hall has many. Should the log reach this many pages (1 GiB) anyway, one
/// checkpoint makes the writer wait and restarts it.
const RESTART_AT_PAGES: i64 = 262_144;

/// Checkpoints `url`'s database until `shutdown` (nothing for PostgreSQL).
pub fn spawn(url: &str, shutdown: CancellationToken) {
    if !url.starts_with("sqlite:") {
        return;
    }
    let url = url.to_string();
    tokio::spawn(async move {
        let opts = match SqliteConnectOptions::from_str(&url) {
            Ok(o) => o.busy_timeout(Duration::from_secs(10)),
            Err(e) => return tracing::error!(error = %e, "检查点连接地址无效"),
        };
        let mut conn = match sqlx::ConnectOptions::connect(&opts).await {
            Ok(c) => c,
            Err(e) => return tracing::error!(error = %e, "无法打开检查点连接"),
        };
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = shutdown.cancelled() => break,
            }
            if let Err(e) = checkpoint(&mut conn).await {
                tracing::warn!(error = %e, "WAL 检查点失败");
            }
        }
        // The last connection to close checkpoints the rest.
        let _ = sqlx::Connection::close(conn).await;
    });
}

async fn checkpoint(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(&mut *conn)
        .await?;
    let pages: i64 = row.try_get(1)?;
    if pages > RESTART_AT_PAGES {
        sqlx::query("PRAGMA wal_checkpoint(RESTART)")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
