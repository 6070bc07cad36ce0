//! In-process fan-out of committed events to live subscribers.

use super::{StoredEvent, feeds::HallFeeds};
use std::collections::{HashSet, VecDeque};
use std::sync::{
    Arc, Mutex, RwLock,
    atomic::{AtomicU64, Ordering},
};
use tokio::sync::broadcast;

/// Capacity per subscriber; a subscriber further behind than this is dropped
/// and reconnects with `Last-Event-ID`, catching up from the database.
const CAPACITY: usize = 4096;

/// A committed event with its Server-Sent Events frame, built once for every
/// subscriber (a thousand screens then cost a reference count each, not a
/// thousand serializations).
pub struct LiveEvent {
    pub event: StoredEvent,
    pub frame: axum::body::Bytes,
    /// Committed by another instance and relayed by the PostgreSQL bridge
    /// (state this process keeps beside the database — the search index —
    /// must follow such events; its own changes it applied already).
    pub relayed: bool,
}

/// `id: <seq>` and `data: <json>`: the type is in the data, so
/// `EventSource.onmessage` sees every event. The data carries what a terminal
/// acts on — sequence, type, time, payload — and not the event's id, hall or
/// actor: the stream is per hall, a wall screen has no business with account
/// ids, and a thousand screens each receive every byte (the full record is at
/// `GET /api/v1/halls/{hall}/events/recent`).
pub fn sse_frame(ev: &StoredEvent) -> axum::body::Bytes {
    #[derive(serde::Serialize)]
    struct Frame<'a> {
        seq: i64,
        event_type: &'a str,
        occurred_at: chrono::DateTime<chrono::Utc>,
        payload: &'a serde_json::Value,
    }
    let json = serde_json::to_string(&Frame {
        seq: ev.seq,
        event_type: &ev.event_type,
        occurred_at: ev.occurred_at,
        payload: &ev.payload,
    })
    .unwrap_or_default();
    format!("id: {}\ndata: {json}\n\n", ev.seq).into()
}

/// Sequence numbers remembered as published (the bridge's catch-up after a
/// lost connection reads events that may already have gone out).
const REMEMBERED: usize = 65_536;

/// The events published lately, so none goes out twice.
#[derive(Default)]
struct Published {
    seqs: HashSet<i64>,
    order: VecDeque<i64>,
    highest: i64,
}

impl Published {
    /// `false` if `seq` was published already.
    fn first_time(&mut self, seq: i64) -> bool {
        if !self.seqs.insert(seq) {
            return false;
        }
        self.order.push_back(seq);
        if self.order.len() > REMEMBERED
            && let Some(old) = self.order.pop_front()
        {
            self.seqs.remove(&old);
        }
        self.highest = self.highest.max(seq);
        true
    }
}

/// Event-type prefixes and the generation their events bump.
type Watcher = (&'static [&'static str], Arc<AtomicU64>);

#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<LiveEvent>>,
    /// This process's name on the PostgreSQL bridge (its own notices are skipped).
    instance: Arc<str>,
    /// Generations bumped by every published event whose type starts with
    /// the prefix (per-process caches watch them, see `crate::cache`).
    watchers: Arc<RwLock<Vec<Watcher>>>,
    published: Arc<Mutex<Published>>,
    /// The live SSE feeds of the halls being watched.
    pub feeds: HallFeeds,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(CAPACITY);
        Self {
            tx,
            instance: uuid::Uuid::new_v4().simple().to_string().into(),
            watchers: Arc::default(),
            published: Arc::default(),
            feeds: HallFeeds::default(),
        }
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Publishes events that have been committed. Call only after the commit.
    /// An event already published here is skipped.
    pub fn publish(&self, events: impl IntoIterator<Item = StoredEvent>) {
        self.send(events, false);
    }

    /// Publishes events another instance committed (the bridge).
    pub fn publish_relayed(&self, events: impl IntoIterator<Item = StoredEvent>) {
        self.send(events, true);
    }

    fn send(&self, events: impl IntoIterator<Item = StoredEvent>, relayed: bool) {
        let watchers = self.watchers.read().expect("watchers lock");
        let mut published = self.published.lock().expect("published lock");
        for ev in events {
            if !published.first_time(ev.seq) {
                continue;
            }
            for (prefixes, generation) in watchers.iter() {
                if prefixes.iter().any(|p| ev.event_type.starts_with(p)) {
                    generation.fetch_add(1, Ordering::AcqRel);
                }
            }
            // No subscribers is fine: the event is in the log.
            let frame = sse_frame(&ev);
            if let Some(hall_id) = &ev.hall_id {
                let for_devices = super::shown_to_devices(&ev.event_type);
                self.feeds.publish(hall_id, ev.seq, &frame, for_devices);
            }
            let _ = self.tx.send(Arc::new(LiveEvent {
                event: ev,
                frame,
                relayed,
            }));
        }
    }

    /// The highest sequence number published here.
    pub fn highest_published(&self) -> i64 {
        self.published.lock().expect("published lock").highest
    }

    /// A generation that changes whenever an event whose type starts with one
    /// of `prefixes` is published here (committed by this process or relayed
    /// from another instance).
    pub fn watch(&self, prefixes: &'static [&'static str]) -> Arc<AtomicU64> {
        let generation = Arc::new(AtomicU64::new(0));
        self.watchers
            .write()
            .expect("watchers lock")
            .push((prefixes, generation.clone()));
        generation
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.tx.subscribe()
    }
}
