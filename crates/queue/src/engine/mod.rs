//! The queue engine: issuing and calling, the two requests every kiosk and
//! window makes all day, go to one task per hall. The task keeps the hall's
//! waiting tickets in memory, takes every request that arrived while it was
//! busy as one batch, decides each in memory in arrival order, and writes the
//! batch in one transaction (group commit): a request is answered only after
//! its batch committed, so an acknowledged ticket survives a crash.
//!
//! Serialization per hall still comes from the database: each batch takes the
//! hall's lock (`lock_hall`) and raises the hall's version; any other change
//! to the hall's tickets (window actions, cancellations, close of day, another
//! server instance's batch) raises the version in its own transaction, and the
//! engine reloads the hall before deciding. Several instances on one
//! PostgreSQL therefore never call one ticket twice.

mod batch;
mod hall;

use crate::entity::{appointment, hall_version};
use crate::tickets::{Called, IssueInput, Issued};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{
    AppState,
    audit::{AuditEntry, middleware::RequestAudit},
    cache::Cache,
    db::DbResultExt,
    events::{Actor, EventBus},
    state::CACHE_TTL,
};
use sea_orm::{
    ActiveValue::Set,
    DatabaseTransaction, EntityTrait,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};
use tokio::sync::{mpsc, oneshot};

/// Requests in one batch at most (bounds the statements' size).
const MAX_BATCH: usize = 64;
/// An engine with nothing to do for this long stops (and reloads when needed again).
const IDLE: Duration = Duration::from_secs(30);

pub(crate) enum Command {
    Issue {
        actor: Actor,
        input: IssueInput,
        /// A booking being checked in, and whether it is due now.
        booking: Option<Box<(appointment::Model, bool)>>,
        /// The request's audit entry, written with the ticket.
        audit: Option<AuditEntry>,
        reply: oneshot::Sender<AppResult<Issued>>,
    },
    Call {
        actor: Actor,
        window_id: String,
        staff_id: Option<String>,
        /// The request's audit entry, written with the call (not when nobody waits).
        audit: Option<AuditEntry>,
        reply: oneshot::Sender<AppResult<Option<Called>>>,
    },
}

impl Command {
    fn fail(self, message: &str) {
        let e = || AppError::Internal(message.to_string());
        match self {
            Command::Issue { reply, .. } => {
                let _ = reply.send(Err(e()));
            }
            Command::Call { reply, .. } => {
                let _ = reply.send(Err(e()));
            }
        }
    }
}

/// The running engines of this process, one per hall (an `AppState` extension).
pub struct Engines {
    /// Per hall: the engine's number and its request channel.
    halls: Mutex<HashMap<String, (u64, mpsc::Sender<Command>)>>,
    started: AtomicU64,
    /// Per hall: the configuration batches decide by.
    config: Cache<Arc<batch::HallConfig>>,
}

impl Engines {
    pub fn new(bus: &EventBus) -> Self {
        Engines {
            halls: Mutex::default(),
            started: AtomicU64::default(),
            config: Cache::new(bus, batch::CONFIG_EVENTS, CACHE_TTL),
        }
    }

    fn of(state: &AppState) -> Arc<Engines> {
        state
            .extension::<Arc<Engines>>()
            .expect("queue engines registered at start-up")
    }

    fn sender(state: &AppState, hall_id: &str) -> mpsc::Sender<Command> {
        let engines = Engines::of(state);
        let mut halls = engines.halls.lock().expect("engines lock");
        if let Some((_, tx)) = halls.get(hall_id).filter(|(_, tx)| !tx.is_closed()) {
            return tx.clone();
        }
        let (tx, rx) = mpsc::channel(4096);
        let number = engines.started.fetch_add(1, Ordering::Relaxed);
        halls.insert(hall_id.to_string(), (number, tx.clone()));
        tokio::spawn(run(state.clone(), hall_id.to_string(), number, rx));
        tx
    }

    /// Forgets engine `number` of the hall (it is stopping).
    fn retire(&self, hall_id: &str, number: u64) {
        let mut halls = self.halls.lock().expect("engines lock");
        if halls.get(hall_id).is_some_and(|(n, _)| *n == number) {
            halls.remove(hall_id);
        }
    }
}

async fn submit(state: &AppState, hall_id: &str, mut cmd: Command) {
    loop {
        match Engines::sender(state, hall_id).send(cmd).await {
            Ok(()) => return,
            // The engine stopped between lookup and send: start another.
            Err(mpsc::error::SendError(back)) => cmd = back,
        }
    }
}

fn stopped() -> AppError {
    AppError::Internal("queue engine stopped".into())
}

/// Issues a ticket through the hall's engine; with `audit`, the request's
/// audit entry commits in the same batch (see `RequestAudit`).
pub(crate) async fn issue(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &IssueInput,
    booking: Option<(appointment::Model, bool)>,
    audit: Option<&RequestAudit>,
) -> AppResult<Issued> {
    let (reply, answer) = oneshot::channel();
    let cmd = Command::Issue {
        actor: actor.clone(),
        input: input.clone(),
        booking: booking.map(Box::new),
        audit: audit.map(|a| a.entry(201)),
        reply,
    };
    submit(state, hall_id, cmd).await;
    let issued = answer.await.map_err(|_| stopped())??;
    audit.inspect(|a| a.recorded());
    Ok(issued)
}

/// Calls the next ticket at a window through the hall's engine; with
/// `audit`, the request's audit entry commits with the call (a 204 is left
/// to the audit middleware).
pub async fn call_next(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    window_id: &str,
    staff_id: Option<String>,
    audit: Option<&RequestAudit>,
) -> AppResult<Option<Called>> {
    let (reply, answer) = oneshot::channel();
    let cmd = Command::Call {
        actor: actor.clone(),
        window_id: window_id.to_string(),
        staff_id,
        audit: audit.map(|a| a.entry(200)),
        reply,
    };
    submit(state, hall_id, cmd).await;
    let called = answer.await.map_err(|_| stopped())??;
    if called.is_some() {
        audit.inspect(|a| a.recorded());
    }
    Ok(called)
}

/// Raises the hall's version in `txn`: every change to a hall's tickets made
/// outside the engine calls this, so the engine reloads before deciding.
pub async fn touch(txn: &DatabaseTransaction, hall_id: &str) -> AppResult<()> {
    raise(txn, hall_id).await.map(|_| ())
}

/// Raises the hall's version in `txn` and returns the new one.
async fn raise(txn: &DatabaseTransaction, hall_id: &str) -> AppResult<i64> {
    let row = hall_version::Entity::insert(hall_version::ActiveModel {
        hall_id: Set(hall_id.to_string()),
        version: Set(1),
    })
    .on_conflict(
        OnConflict::column(hall_version::Column::HallId)
            .value(
                hall_version::Column::Version,
                Expr::col((hall_version::Entity, hall_version::Column::Version)).add(1),
            )
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await
    .db_err()?;
    Ok(row.version)
}

async fn run(state: AppState, hall_id: String, number: u64, mut rx: mpsc::Receiver<Command>) {
    let mut cached = None;
    loop {
        let first = match tokio::time::timeout(IDLE, rx.recv()).await {
            Ok(Some(cmd)) => cmd,
            Ok(None) => return,
            Err(_) => {
                // Idle: stop taking requests, answer those already queued, end.
                Engines::of(&state).retire(&hall_id, number);
                rx.close();
                let mut rest = Vec::new();
                while let Ok(cmd) = rx.try_recv() {
                    rest.push(cmd);
                }
                if !rest.is_empty() {
                    guarded(&state, &hall_id, &mut cached, rest).await;
                }
                return;
            }
        };
        let mut cmds = vec![first];
        while cmds.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(cmd) => cmds.push(cmd),
                Err(_) => break,
            }
        }
        guarded(&state, &hall_id, &mut cached, cmds).await;
    }
}

/// Runs a batch so that a bug in it cannot stop the hall's engine: the
/// batch's callers get an error (their reply is dropped), the engine forgets
/// what it had cached and takes the next requests.
async fn guarded(
    state: &AppState,
    hall_id: &str,
    cached: &mut Option<hall::HallQueue>,
    cmds: Vec<Command>,
) {
    use govhall_platform::futures::FutureExt;
    let run = std::panic::AssertUnwindSafe(batch::run(state, hall_id, cached, cmds));
    if run.catch_unwind().await.is_err() {
        tracing::error!(hall = %hall_id, "取号引擎处理一批请求时出错：该批请求已报错，引擎继续运行");
        *cached = None;
    }
}
