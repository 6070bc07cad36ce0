//! Several server instances on one PostgreSQL: each commit that records
//! events also sends `NOTIFY govhall_events, '<instance>:<seq>,<seq>…'` in the
//! same transaction (so it is delivered exactly when the events are
//! committed). Every instance LISTENs; for another instance's notice it reads
//! those rows and publishes them on its own bus, so a call made through one
//! instance reaches the screens and phones connected to any other.
//!
//! A notice lost while the listening connection is down is not replayed: the
//! live streams then miss those events until their clients reconnect, which
//! resume from their last `seq` out of the database.

use super::{StoredEvent, entity};
use crate::AppState;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Statement, sqlx::postgres::PgListener,
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

/// Listens for other instances' events and republishes them here, until shutdown.
pub fn spawn(state: AppState) {
    if state.db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    tokio::spawn(async move {
        loop {
            match listen(&state).await {
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

async fn listen(state: &AppState) -> Result<(), sea_orm::sqlx::Error> {
    let pool = state.db.get_postgres_connection_pool();
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    let own = state.bus.instance().to_string();
    loop {
        let notice = tokio::select! {
            _ = state.shutdown.cancelled() => return Ok(()),
            n = listener.try_recv() => n?,
        };
        let Some(notice) = notice else {
            tracing::warn!("event bridge reconnected; notices sent meanwhile were missed");
            continue;
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
                state.bus.publish(events);
            }
            Err(e) => tracing::warn!(error = %e, "event bridge could not read events"),
        }
    }
}

async fn load(state: &AppState, seqs: Vec<i64>) -> Result<Vec<StoredEvent>, DbErr> {
    Ok(entity::Entity::find()
        .filter(entity::Column::Seq.is_in(seqs))
        .order_by_asc(entity::Column::Seq)
        .all(&state.db)
        .await?
        .into_iter()
        .map(Into::into)
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
