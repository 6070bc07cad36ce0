//! Follows the event log: applies every new event to the facts, in order, in
//! the same transaction as the cursor that remembers how far it got — so an
//! event is applied exactly once, across restarts and server instances.
//!
//! On PostgreSQL, transactions may commit out of `seq` order: an event with a
//! lower number can appear after a higher one was read. The follower therefore
//! stops before a gap in the numbers until the event after the gap is
//! `SETTLE` old (a gap that old is a rolled-back transaction's number). The
//! history generator's events carry past times and pass at once.

use crate::{migrations::PROJECTED, project, sql};
use chrono::Utc;
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt, events};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

const CURSOR: &str = "events";
/// Events applied per transaction while the hall is open: small, so the
/// writer is held only briefly between the queue's own commits.
pub const LIVE_BATCH: u64 = 100;
/// While the hall writes, the follower waits this many times as long as its
/// last step took: it keeps about 1/20 of the writing time.
const YIELD: u32 = 19;
/// How long a burst of events is gathered into one step.
const GATHER: Duration = Duration::from_millis(100);
/// Per transaction during a rebuild.
pub const REBUILD_BATCH: u64 = 5_000;
const SETTLE: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

/// How far the projection is: the last event applied and when.
pub async fn position<C: ConnectionTrait>(conn: &C) -> Result<(i64, Option<i64>), DbErr> {
    Ok(sql::one(
        conn,
        "SELECT last_seq, updated_at FROM analytics_cursor WHERE name = $1",
        vec![CURSOR.into()],
    )
    .await?
    .map_or((0, None), |r| {
        (
            sql::int(&r, "last_seq").unwrap_or(0),
            sql::int(&r, "updated_at"),
        )
    }))
}

/// Applies the next batch of events; how many were applied.
async fn step(db: &DatabaseConnection, batch: u64) -> AppResult<usize> {
    let txn = govhall_platform::db::begin_write(db).await.db_err()?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // One follower at a time across instances.
        txn.execute_unprepared(
            "SELECT pg_advisory_xact_lock(hashtextextended('analytics.follower', 0))",
        )
        .await
        .db_err()?;
    }
    let (last, _) = position(&txn).await.db_err()?;
    let evs = events::all_after(&txn, last, batch).await.db_err()?;
    let settled = Utc::now() - SETTLE;
    let mut expected = last + 1;
    let mut cx = project::Context::default();
    let mut applied = 0;
    let mut new_last = last;
    for ev in &evs {
        if ev.seq != expected && ev.occurred_at > settled {
            break;
        }
        project::apply(&txn, &mut cx, ev).await.db_err()?;
        new_last = ev.seq;
        expected = ev.seq + 1;
        applied += 1;
    }
    for (hall, month, table) in &cx.touched {
        crate::cube::invalidate(&txn, hall, month, table)
            .await
            .db_err()?;
    }
    if applied > 0 {
        sql::exec(
            &txn,
            "INSERT INTO analytics_cursor (name, last_seq, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at",
            vec![CURSOR.into(), new_last.into(), Utc::now().timestamp().into()],
        )
        .await
        .db_err()?;
    }
    txn.commit().await.db_err()?;
    Ok(applied)
}

/// Applies every event not yet applied; how many.
pub async fn catch_up(db: &DatabaseConnection, batch: u64) -> AppResult<usize> {
    let mut total = 0;
    loop {
        let n = step(db, batch).await?;
        total += n;
        if (n as u64) < batch {
            return Ok(total);
        }
    }
}

/// Throws the facts away and projects the whole log again.
pub async fn rebuild(db: &DatabaseConnection) -> AppResult<usize> {
    let txn = govhall_platform::db::begin_write(db).await.db_err()?;
    for table in PROJECTED {
        // Table names are this crate's constants.
        txn.execute_unprepared(&format!("DELETE FROM {table}"))
            .await
            .db_err()?;
    }
    sql::exec(
        &txn,
        "DELETE FROM analytics_cursor WHERE name = $1",
        vec![CURSOR.into()],
    )
    .await
    .db_err()?;
    txn.commit().await.db_err()?;
    let started = std::time::Instant::now();
    let n = catch_up(db, REBUILD_BATCH).await?;
    let done = crate::events::FactsRebuilt {
        events: n,
        millis: started.elapsed().as_millis() as u64,
    };
    events::append(
        db,
        &events::Actor::system(),
        crate::events::FACTS_REBUILT.event(None, &done),
    )
    .await
    .db_err()?;
    Ok(n)
}

/// The follower task. It applies the log in small steps and gives way to
/// the hall: while other writers are busy (events keep arriving) it waits
/// `YIELD` times as long as each step took before the next one, so the
/// projection takes at most about 1/(1+YIELD) of the database's writing
/// time and the counter never queues behind it; when the hall is quiet it
/// runs flat out. A lone event is applied after a `GATHER` pause (a burst is
/// taken in one step), and every two seconds it looks for events another
/// server instance committed.
pub fn spawn(state: &AppState) {
    // `bench analytics` measures the call path without the projection; the
    // facts then catch up at the next start.
    if std::env::var("GOVHALL_ANALYTICS_FOLLOWER").is_ok_and(|v| v == "off") {
        tracing::warn!("统计投影已按 GOVHALL_ANALYTICS_FOLLOWER=off 关闭");
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let mut rx = state.bus.subscribe();
        loop {
            let started = std::time::Instant::now();
            let applied = match step(&state.db, LIVE_BATCH).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "统计投影失败");
                    0
                }
            };
            let spent = started.elapsed();
            // Events published while this step ran: the hall is writing.
            let mut busy = false;
            while let Ok(_) | Err(TryRecvError::Lagged(_)) = rx.try_recv() {
                busy = true;
            }
            if applied as u64 == LIVE_BATCH {
                if busy {
                    tokio::time::sleep((spent * YIELD).max(GATHER)).await;
                }
                continue;
            }
            tokio::select! {
                _ = state.shutdown.cancelled() => break,
                r = rx.recv() => {
                    if matches!(r, Err(RecvError::Closed)) {
                        break;
                    }
                }
                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
            tokio::time::sleep(GATHER).await;
        }
    });
}
