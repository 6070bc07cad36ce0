//! Short-lived per-process copies of rows read on nearly every request (the
//! signed-in principal, the hall in the path).
//!
//! Why hand-written rather than a cache crate: correctness hinges on one rule
//! the crates do not offer — a copy loaded *before* a change was committed must
//! never be served *after* it. Each cache watches an event-type prefix on the
//! bus (see `EventBus::watch`); committing such an event here, or receiving it
//! from another instance through the PostgreSQL bridge, bumps a generation, and
//! a copy stamped with an older generation is a miss. The time limit is only a
//! safety net for changes the bridge could not deliver.

use crate::events::EventBus;
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// Entries kept at most; beyond it the cache starts afresh (a burst of
/// distinct keys must not grow memory without bound).
const MAX_ENTRIES: usize = 10_000;

pub struct Cache<V> {
    entries: Mutex<HashMap<String, Entry<V>>>,
    generation: Arc<AtomicU64>,
    ttl: Duration,
}

struct Entry<V> {
    value: V,
    generation: u64,
    loaded: Instant,
}

/// Taken before loading; hands the loaded value back to the cache.
#[derive(Clone, Copy)]
pub struct Ticket(u64);

impl<V: Clone> Cache<V> {
    /// A cache invalidated by every published event whose type starts with
    /// one of `prefixes`.
    pub fn new(bus: &EventBus, prefixes: &'static [&'static str], ttl: Duration) -> Self {
        Self {
            entries: Mutex::default(),
            generation: bus.watch(prefixes),
            ttl,
        }
    }

    /// The current copy, if it is younger than the time limit and no change
    /// was published since it was loaded.
    pub fn get(&self, key: &str) -> Option<V> {
        let now = self.generation.load(Ordering::Acquire);
        let entries = self.entries.lock().expect("cache lock");
        entries
            .get(key)
            .filter(|e| e.generation == now && e.loaded.elapsed() < self.ttl)
            .map(|e| e.value.clone())
    }

    /// Call before reading the database: a change published while the read
    /// runs makes the stored copy stale at once.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.generation.load(Ordering::Acquire))
    }

    pub fn put(&self, ticket: Ticket, key: &str, value: V) {
        let mut entries = self.entries.lock().expect("cache lock");
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key.to_string(),
            Entry {
                value,
                generation: ticket.0,
                loaded: Instant::now(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::StoredEvent;

    fn event(event_type: &str) -> StoredEvent {
        static SEQ: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1);
        StoredEvent {
            seq: SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            id: "e".into(),
            occurred_at: chrono::Utc::now(),
            hall_id: None,
            actor_id: None,
            actor_name: "系统".into(),
            event_type: event_type.into(),
            payload: serde_json::json!({}),
            summary: String::new(),
        }
    }

    #[test]
    fn a_matching_event_makes_every_copy_stale() {
        let bus = EventBus::new();
        let cache = Cache::new(&bus, &["auth."], Duration::from_secs(60));
        cache.put(cache.ticket(), "s1", 1);
        assert_eq!(cache.get("s1"), Some(1));
        bus.publish([event("queue.ticket.called")]);
        assert_eq!(cache.get("s1"), Some(1), "other events leave it alone");
        bus.publish([event("auth.session.ended")]);
        assert_eq!(cache.get("s1"), None);
    }

    #[test]
    fn a_copy_loaded_before_a_change_is_never_served_after_it() {
        let bus = EventBus::new();
        let cache = Cache::new(&bus, &["auth."], Duration::from_secs(60));
        let ticket = cache.ticket();
        // The change commits while the (old) row is being read.
        bus.publish([event("auth.user.disabled")]);
        cache.put(ticket, "s1", 1);
        assert_eq!(cache.get("s1"), None);
    }

    #[test]
    fn copies_expire() {
        let bus = EventBus::new();
        let cache = Cache::new(&bus, &["auth."], Duration::ZERO);
        cache.put(cache.ticket(), "s1", 1);
        assert_eq!(cache.get("s1"), None);
    }
}
