//! The append-only event log: every state change is recorded in the same
//! transaction as the change itself (with actor, time and hall), then published
//! to the in-process bus that feeds the live SSE streams.
//!
//! Several server instances: the bus is per process; on PostgreSQL the
//! LISTEN/NOTIFY bridge (`bridge`) forwards each commit's `seq`s to the other
//! instances, which read the rows and publish them on their own bus.

pub mod bridge;
pub mod bus;
pub mod catalogue;
mod entity;
pub mod feeds;
pub mod http;

pub use bus::EventBus;
pub use catalogue::{EventDef, EventType};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Who caused a change.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<String>,
    pub name: String,
}

impl Actor {
    /// Changes made by the system itself (migrations, demo seeding, schedulers).
    pub fn system() -> Self {
        Actor {
            id: None,
            name: "系统".into(),
        }
    }
}

/// An event about to be recorded. The payload must never contain plaintext
/// personal data: mask it or leave it out.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub hall_id: Option<String>,
    /// Dotted type, `<module>.<entity>.<what happened>`, e.g. `directory.window.created`.
    pub event_type: String,
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// An event outside the catalogue. Modules write their events through
    /// their [`EventType`] declarations (which call this), so every recorded
    /// type is published in `docs/events.md`; only tests need it directly.
    pub fn untyped(hall_id: Option<&str>, event_type: &str, payload: serde_json::Value) -> Self {
        Self {
            hall_id: hall_id.map(str::to_string),
            event_type: event_type.to_string(),
            payload,
        }
    }
}

/// A recorded event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoredEvent {
    /// Position in the log; SSE clients resume from it (`Last-Event-ID`).
    pub seq: i64,
    pub id: String,
    pub hall_id: Option<String>,
    pub event_type: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub occurred_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// The event type in Chinese (办件·出件), empty when it has no words.
    pub summary: String,
}

impl StoredEvent {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: entity::Model) -> Self {
        StoredEvent {
            seq: m.seq,
            id: m.id,
            hall_id: m.hall_id,
            summary: crate::vocabulary::describe_event(&m.event_type).unwrap_or_default(),
            event_type: m.event_type,
            actor_id: m.actor_id,
            actor_name: m.actor_name,
            occurred_at: m.occurred_at,
            payload: serde_json::from_str(&m.payload).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// Records an event on `conn` — pass the transaction that makes the change.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    ev: NewEvent,
) -> Result<StoredEvent, DbErr> {
    let row = entity::ActiveModel {
        seq: NotSet,
        id: Set(govhall_kernel::new_id().to_string()),
        hall_id: Set(ev.hall_id),
        event_type: Set(ev.event_type),
        actor_id: Set(actor.id.clone()),
        actor_name: Set(actor.name.clone()),
        occurred_at: Set(Utc::now()),
        payload: Set(ev.payload.to_string()),
    }
    .insert(conn)
    .await?;
    Ok(StoredEvent::from_row(row))
}

/// What a kiosk's or a screen's feed carries: the queue and the windows, the
/// things they show. Account, staff, case and configuration events (user
/// names, sign-in addresses, the roster) stay with staff.
pub const DEVICE_EVENTS: &[&str] = &["queue.", "directory.window"];

/// Whether a device's feed carries events of this type.
pub fn shown_to_devices(event_type: &str) -> bool {
    DEVICE_EVENTS.iter().any(|p| event_type.starts_with(p))
}

/// Who reads a feed: staff see every event of their hall, devices only
/// [`DEVICE_EVENTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Staff,
    Device,
}

impl Audience {
    fn condition(self) -> sea_orm::Condition {
        match self {
            Audience::Staff => sea_orm::Condition::all(),
            Audience::Device => DEVICE_EVENTS
                .iter()
                .fold(sea_orm::Condition::any(), |c, p| {
                    c.add(entity::Column::EventType.starts_with(*p))
                }),
        }
    }
}

/// Events of a hall after `after_seq` that `audience` reads, oldest first.
pub async fn list_after<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    after_seq: i64,
    limit: u64,
    audience: Audience,
) -> Result<Vec<StoredEvent>, DbErr> {
    let which = sea_orm::Condition::all()
        .add(entity::Column::HallId.eq(hall_id))
        .add(audience.condition());
    after(conn, which, after_seq, limit).await
}

/// Events of every hall after `after_seq`, oldest first (webhooks follow the whole log).
pub async fn all_after<C: ConnectionTrait>(
    conn: &C,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<StoredEvent>, DbErr> {
    after(conn, sea_orm::Condition::all(), after_seq, limit).await
}

/// The events `which` selects after `after_seq`, oldest first.
async fn after<C: ConnectionTrait>(
    conn: &C,
    which: sea_orm::Condition,
    after_seq: i64,
    limit: u64,
) -> Result<Vec<StoredEvent>, DbErr> {
    Ok(entity::Entity::find()
        .filter(which)
        .filter(entity::Column::Seq.gt(after_seq))
        .order_by_asc(entity::Column::Seq)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(StoredEvent::from_row)
        .collect())
}

/// The sequence number of the last event written (0 before the first).
pub async fn last_seq<C: ConnectionTrait>(conn: &C) -> Result<i64, DbErr> {
    Ok(entity::Entity::find()
        .order_by_desc(entity::Column::Seq)
        .one(conn)
        .await?
        .map_or(0, |e| e.seq))
}

/// The newest `limit` events of a hall that `audience` reads, newest first.
pub async fn recent<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    limit: u64,
    audience: Audience,
) -> Result<Vec<StoredEvent>, DbErr> {
    newest(conn, hall_id, audience.condition(), limit).await
}

/// The newest `limit` events of a hall of these types after `since`, newest first.
pub async fn recent_of_types<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    types: &[&str],
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<StoredEvent>, DbErr> {
    let which = sea_orm::Condition::all()
        .add(entity::Column::EventType.is_in(types.iter().copied()))
        .add(entity::Column::OccurredAt.gt(since));
    newest(conn, hall_id, which, limit).await
}

async fn newest<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    which: sea_orm::Condition,
    limit: u64,
) -> Result<Vec<StoredEvent>, DbErr> {
    Ok(entity::Entity::find()
        .filter(entity::Column::HallId.eq(hall_id))
        .filter(which)
        .order_by_desc(entity::Column::Seq)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(StoredEvent::from_row)
        .collect())
}

/// Records `evs` in `txn`, commits, then publishes them: the one way a service
/// finishes a write, so no change is ever committed without its event.
pub async fn commit_with(
    state: &crate::AppState,
    txn: sea_orm::DatabaseTransaction,
    actor: &Actor,
    evs: Vec<NewEvent>,
) -> govhall_kernel::error::AppResult<()> {
    let evs = evs.into_iter().map(|ev| (actor.clone(), ev)).collect();
    commit_batch(state, txn, evs).await
}

/// `commit_with` for a batch of changes by different actors (the queue's
/// group commit): the events are written by one statement.
pub async fn commit_batch(
    state: &crate::AppState,
    txn: sea_orm::DatabaseTransaction,
    evs: Vec<(Actor, NewEvent)>,
) -> govhall_kernel::error::AppResult<()> {
    use crate::db::DbResultExt;
    let stored = append_many(&txn, evs).await.db_err()?;
    let seqs: Vec<i64> = stored.iter().map(|e| e.seq).collect();
    bridge::notify(&txn, state.bus.instance(), &seqs)
        .await
        .db_err()?;
    txn.commit().await.db_err()?;
    state.metrics.events_published.inc_by(stored.len() as u64);
    state.bus.publish(stored);
    Ok(())
}

/// Records past events with the times they happened (the demo history
/// generator), in one statement, in the order given. Not published: the
/// live feeds carry only what happens now.
pub async fn append_history<C: ConnectionTrait>(
    conn: &C,
    evs: Vec<(Actor, NewEvent, DateTime<Utc>)>,
) -> Result<(), DbErr> {
    if evs.is_empty() {
        return Ok(());
    }
    let rows = evs.into_iter().map(|(actor, ev, at)| entity::ActiveModel {
        seq: NotSet,
        id: Set(govhall_kernel::new_id().to_string()),
        hall_id: Set(ev.hall_id),
        event_type: Set(ev.event_type),
        actor_id: Set(actor.id),
        actor_name: Set(actor.name),
        occurred_at: Set(at),
        payload: Set(ev.payload.to_string()),
    });
    entity::Entity::insert_many(rows).exec(conn).await?;
    Ok(())
}

/// Records several events in one statement, in order.
pub async fn append_many<C: ConnectionTrait>(
    conn: &C,
    evs: Vec<(Actor, NewEvent)>,
) -> Result<Vec<StoredEvent>, DbErr> {
    if evs.is_empty() {
        return Ok(vec![]);
    }
    let now = Utc::now();
    let rows = evs.into_iter().map(|(actor, ev)| entity::ActiveModel {
        seq: NotSet,
        id: Set(govhall_kernel::new_id().to_string()),
        hall_id: Set(ev.hall_id),
        event_type: Set(ev.event_type),
        actor_id: Set(actor.id),
        actor_name: Set(actor.name),
        occurred_at: Set(now),
        payload: Set(ev.payload.to_string()),
    });
    let mut stored = entity::Entity::insert_many(rows)
        .exec_with_returning(conn)
        .await?;
    stored.sort_by_key(|m| m.seq);
    Ok(stored.into_iter().map(StoredEvent::from_row).collect())
}
