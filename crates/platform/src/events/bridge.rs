//! Several server instances on one PostgreSQL: each commit that records
//! events also sends `NOTIFY govhall_events, '<instance>:<seq>,<seq>…'` in the
//! same transaction (so it is delivered exactly when the events are
//! committed). Every instance LISTENs; for another instance's notice it reads
//! those rows and publishes them on its own bus, so a call made through one
//! instance reaches the screens and phones connected to any other.
//!
//! Notices sent while the listening connection is down are lost; after it
//! reconnects (and LISTENs again) the bridge reads the events after the last
//! sequence number it knew delivered, less a margin for transactions that
//! commit out of sequence order, and publishes those not yet published here
//! (the bus skips the rest).

use super::{StoredEvent, entity};
use crate::AppState;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, sqlx::postgres::PgListener,
};
use std::time::Duration;

pub const CHANNEL: &str = "govhall_events";

/// `instance:seq,seq,…` — what a notice carries.
pub fn payload(instance: &str, seqs: &[i64]) -> String {
    let list: Vec<String> = seqs.iter().map(i64::to_string).collect();
    format!("{instance}:{}", list.join(","))
}

/// The sender and the sequence numbers of a notice.
pub fn parse(payload: &str) -> Option<(&str, Vec<i64>)> {
    let (instance, list) = payload.split_once(':')?;
    let seqs = list
        .split(',')
        .map(|s| s.parse().ok())
        .collect::<Option<Vec<i64>>>()?;
    Some((instance, seqs))
}

/// Queues the notice in `txn` (PostgreSQL only; delivered at commit).
pub async fn notify<C: ConnectionTrait>(
    txn: &C,
    instance: &str,
    seqs: &[i64],
) -> Result<(), DbErr> {
    if txn.get_database_backend() != DatabaseBackend::Postgres || seqs.is_empty() {
        return Ok(());
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload(instance, seqs).into()],
    ))
    .await?;
    Ok(())
}

/// Sequence numbers below the last one known delivered that a catch-up still
/// reads: a transaction holding a lower number may commit after a higher one.
const MARGIN: i64 = 1_000;

/// Events one catch-up reads at most.
const CATCH_UP_LIMIT: u64 = 20_000;

/// How often a healthy connection records how far delivery has come.
const MARK_EVERY: Duration = Duration::from_secs(1);

/// Listens for other instances' events and republishes them here, until shutdown.
pub fn spawn(state: AppState) {
    if state.db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    tokio::spawn(async move {
        // How far delivery had come when the connection was last known good
        // (`None` before the first connection: nothing to catch up).
        let mut delivered = None;
        loop {
            match listen(&state, &mut delivered).await {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "event bridge lost its connection; reconnecting");
                    tokio::select! {
                        _ = state.shutdown.cancelled() => break,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
            }
        }
    });
}

async fn listen(state: &AppState, delivered: &mut Option<i64>) -> Result<(), sea_orm::sqlx::Error> {
    let pool = state.db.get_postgres_connection_pool();
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    // Listening again: anything committed from now on is notified, anything
    // before is in the table.
    let db_err = |e: DbErr| sea_orm::sqlx::Error::Protocol(e.to_string());
    match *delivered {
        Some(from) => {
            let n = catch_up(state, from).await.map_err(db_err)?;
            tracing::info!(events = n, "event bridge caught up after reconnecting");
        }
        // First connection: what is in the table already is history.
        None => *delivered = Some(last_seq(state).await.map_err(db_err)?),
    }
    let own = state.bus.instance().to_string();
    let mut mark = tokio::time::interval(MARK_EVERY);
    loop {
        let notice = tokio::select! {
            _ = state.shutdown.cancelled() => return Ok(()),
            _ = mark.tick() => {
                *delivered = (*delivered).max(Some(state.bus.highest_published()));
                continue;
            }
            n = listener.try_recv() => n?,
        };
        let Some(notice) = notice else {
            // Reconnect here (not lazily inside the listener) so the catch-up
            // runs once LISTEN is in place again.
            return Err(sea_orm::sqlx::Error::Protocol(
                "event bridge lost its connection".into(),
            ));
        };
        let Some((instance, seqs)) = parse(notice.payload()) else {
            continue;
        };
        if instance == own {
            continue;
        }
        match load(state, seqs).await {
            Ok(events) => {
                state.metrics.events_published.inc_by(events.len() as u64);
                state.bus.publish_relayed(events);
            }
            Err(e) => tracing::warn!(error = %e, "event bridge could not read events"),
        }
    }
}

async fn last_seq(state: &AppState) -> Result<i64, DbErr> {
    Ok(entity::Entity::find()
        .order_by_desc(entity::Column::Seq)
        .one(&state.db)
        .await?
        .map_or(0, |e| e.seq))
}

/// Publishes the events after `delivered − MARGIN` that were not published
/// here yet; returns how many were read.
pub async fn catch_up(state: &AppState, delivered: i64) -> Result<usize, DbErr> {
    let events: Vec<StoredEvent> = entity::Entity::find()
        .filter(entity::Column::Seq.gt(delivered - MARGIN))
        .order_by_asc(entity::Column::Seq)
        .limit(CATCH_UP_LIMIT)
        .all(&state.db)
        .await?
        .into_iter()
        .map(StoredEvent::from_row)
        .collect();
    let n = events.len();
    // Whether this instance committed some of them is unknown; those it did
    // are skipped as already published.
    state.bus.publish_relayed(events);
    Ok(n)
}

async fn load(state: &AppState, seqs: Vec<i64>) -> Result<Vec<StoredEvent>, DbErr> {
    Ok(entity::Entity::find()
        .filter(entity::Column::Seq.is_in(seqs))
        .order_by_asc(entity::Column::Seq)
        .all(&state.db)
        .await?
        .into_iter()
        .map(StoredEvent::from_row)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_its_sender_and_events() {
        let p = payload("a1b2", &[7, 9]);
        assert_eq!(p, "a1b2:7,9");
        assert_eq!(parse(&p), Some(("a1b2", vec![7, 9])));
        assert_eq!(parse("nonsense"), None);
        assert_eq!(parse("x:1,y"), None);
    }
}
