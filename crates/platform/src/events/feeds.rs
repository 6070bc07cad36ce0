//! Per-hall fan-out of live frames to SSE subscribers.
//!
//! A thousand screens watch one hall. Were each to read every event of the
//! process from the bus, filter it and copy it into its own write, a burst of
//! calls would cost a thousand times the work per event. Instead one task per
//! watched hall gathers the hall's frames and, at most once per `COALESCE`
//! for each of `GROUPS` groups of subscribers, joins what arrived into one
//! chunk that every subscriber of the group writes as is (a shared `Bytes`).
//! The groups write in different milliseconds of the interval, so a burst
//! never wakes every screen in the same instant (that storm was the delivery
//! tail); a quiet hall's event goes out at once.

use axum::body::Bytes;
use std::{
    collections::{HashMap, VecDeque},
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::{Notify, broadcast};

/// A subscriber is written at most once per this interval.
pub const COALESCE: Duration = Duration::from_millis(20);

/// Subscribers are spread over this many write slots, one millisecond apart.
const GROUPS: usize = 20;

/// Chunks a subscriber may fall behind (five seconds at full rate) before it
/// is dropped; it reconnects with `Last-Event-ID` and catches up from the log.
const GROUP_CAPACITY: usize = 256;

/// A hall's task ends after this long without subscribers or events.
const IDLE: Duration = Duration::from_secs(30);

/// Frames joined for one group of subscribers, with where each ends, so a
/// subscriber that replayed part of them from the log can skip those.
#[derive(Clone)]
pub struct Chunk {
    pub bytes: Bytes,
    /// `(seq, end offset, shown to devices)` of each frame, in order.
    frames: Arc<[(i64, usize, bool)]>,
}

impl Chunk {
    /// The frames with a sequence number above `floor`; for a device's
    /// token, only those a device shows (see `super::shown_to_devices`).
    pub fn after(&self, floor: i64, device: bool) -> Bytes {
        let wanted = |seq: i64, for_devices: bool| seq > floor && (for_devices || !device);
        if self.frames.iter().all(|(seq, _, d)| wanted(*seq, *d)) {
            return self.bytes.clone();
        }
        let mut out = Vec::with_capacity(self.bytes.len());
        let mut start = 0;
        for (seq, end, for_devices) in self.frames.iter() {
            if wanted(*seq, *for_devices) {
                out.extend_from_slice(&self.bytes[start..*end]);
            }
            start = *end;
        }
        out.into()
    }
}

/// The halls being watched, each with its fan-out task.
#[derive(Clone, Default)]
pub struct HallFeeds {
    halls: Arc<RwLock<HashMap<String, Arc<HallFeed>>>>,
}

struct HallFeed {
    /// Frames published since the task last looked, each with whether devices see it.
    incoming: Mutex<Vec<(i64, Bytes, bool)>>,
    wake: Notify,
    groups: Vec<broadcast::Sender<Chunk>>,
    next_group: AtomicUsize,
}

impl HallFeeds {
    /// Hands a committed event's frame to its hall's task, if anyone watches the hall.
    pub fn publish(&self, hall_id: &str, seq: i64, frame: &Bytes, for_devices: bool) {
        let halls = self.halls.read().expect("feeds lock");
        if let Some(feed) = halls.get(hall_id) {
            feed.incoming
                .lock()
                .expect("incoming lock")
                .push((seq, frame.clone(), for_devices));
            feed.wake.notify_one();
        }
    }

    /// Joins a hall's live feed: chunks of the frames published after this call
    /// (and possibly a few before, which the caller drops by sequence number).
    pub fn subscribe(&self, hall_id: &str) -> broadcast::Receiver<Chunk> {
        let mut halls = self.halls.write().expect("feeds lock");
        let feed = halls.entry(hall_id.to_string()).or_insert_with(|| {
            let feed = Arc::new(HallFeed {
                incoming: Mutex::default(),
                wake: Notify::new(),
                groups: (0..GROUPS)
                    .map(|_| broadcast::channel(GROUP_CAPACITY).0)
                    .collect(),
                next_group: AtomicUsize::new(0),
            });
            tokio::spawn(run(self.clone(), hall_id.to_string(), feed.clone()));
            feed
        });
        let g = feed.next_group.fetch_add(1, Ordering::Relaxed) % GROUPS;
        feed.groups[g].subscribe()
    }

    /// Removes the hall if nobody watches it any more; `true` if removed.
    fn retire_if_unwatched(&self, hall_id: &str, feed: &Arc<HallFeed>) -> bool {
        let mut halls = self.halls.write().expect("feeds lock");
        if feed.groups.iter().any(|g| g.receiver_count() > 0) {
            return false;
        }
        halls.remove(hall_id);
        true
    }
}

/// Where each group stands in the hall's frame sequence.
struct Group {
    /// Index (counted as in `Ring::first`) of the first frame not yet sent to it.
    next: u64,
    last_sent: Option<Instant>,
    /// Its write slot within each interval.
    phase: Duration,
}

/// The start every group's slots count from.
static EPOCH: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// The first of `phase + k × COALESCE` (from `EPOCH`) after `at`: at most one
/// interval away.
pub fn next_slot(at: Instant, phase: Duration) -> Instant {
    let period = COALESCE.as_nanos();
    let since = at.duration_since(*EPOCH).as_nanos() + period - phase.as_nanos();
    let wait = period - since % period;
    at + Duration::from_nanos(wait as u64)
}

impl Group {
    /// When this group may be written next, if it has something to send.
    fn due(&self, now: Instant) -> Instant {
        match self.last_sent {
            Some(at) if now.duration_since(at) < COALESCE => next_slot(at, self.phase),
            _ => now,
        }
    }
}

/// The hall's frames not yet sent to every group.
struct Ring {
    /// Index of `frames[0]`.
    first: u64,
    frames: VecDeque<(i64, Bytes, bool)>,
}

impl Ring {
    fn end(&self) -> u64 {
        self.first + self.frames.len() as u64
    }

    fn chunk(&self, from: u64) -> Chunk {
        let skip = (from - self.first) as usize;
        let len = self.frames.iter().skip(skip).map(|(_, f, _)| f.len()).sum();
        let mut bytes = Vec::with_capacity(len);
        let mut frames = Vec::with_capacity(self.frames.len() - skip);
        for (seq, frame, for_devices) in self.frames.iter().skip(skip) {
            bytes.extend_from_slice(frame);
            frames.push((*seq, bytes.len(), *for_devices));
        }
        Chunk {
            bytes: bytes.into(),
            frames: frames.into(),
        }
    }

    fn drop_before(&mut self, index: u64) {
        while self.first < index && self.frames.pop_front().is_some() {
            self.first += 1;
        }
    }
}

/// One hall's fan-out: gathers frames, sends each group its chunk in its slot.
async fn run(feeds: HallFeeds, hall_id: String, feed: Arc<HallFeed>) {
    let mut ring = Ring {
        first: 0,
        frames: VecDeque::new(),
    };
    let mut groups: Vec<Group> = (0..GROUPS)
        .map(|g| Group {
            next: 0,
            last_sent: None,
            phase: COALESCE * g as u32 / GROUPS as u32,
        })
        .collect();
    loop {
        let now = Instant::now();
        let end = ring.end();
        let wake_at = groups
            .iter()
            .filter(|g| g.next < end)
            .map(|g| g.due(now))
            .min()
            .unwrap_or(now + IDLE);
        let woken = tokio::select! {
            _ = feed.wake.notified() => true,
            _ = tokio::time::sleep_until(wake_at.into()) => false,
        };
        ring.frames.extend(std::mem::take(
            &mut *feed.incoming.lock().expect("incoming lock"),
        ));
        let (now, end) = (Instant::now(), ring.end());
        if !woken && end == ring.first && feeds.retire_if_unwatched(&hall_id, &feed) {
            return;
        }
        // Groups due together with the same backlog (a quiet hall's event) share one chunk.
        let mut built: Option<(u64, Chunk)> = None;
        for (g, group) in groups.iter_mut().enumerate() {
            if group.next >= end || group.due(now) > now {
                continue;
            }
            let tx = &feed.groups[g];
            if tx.receiver_count() > 0 {
                let chunk = match &built {
                    Some((from, chunk)) if *from == group.next => chunk.clone(),
                    _ => {
                        let chunk = ring.chunk(group.next);
                        built = Some((group.next, chunk.clone()));
                        chunk
                    }
                };
                // Err: its last subscriber just left; nothing to do.
                let _ = tx.send(chunk);
                group.last_sent = Some(now);
            }
            group.next = end;
        }
        let sent = groups.iter().map(|g| g.next).min().unwrap_or(end);
        ring.drop_before(sent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_writes_in_its_own_slot_at_most_one_interval_on() {
        for phase_ms in [0, 1, 7, 19] {
            let phase = Duration::from_millis(phase_ms);
            for offset_us in [0, 250, 5_000, 19_999, 20_000, 33_333] {
                let at = *EPOCH + Duration::from_micros(offset_us);
                let slot = next_slot(at, phase);
                assert!(slot > at && slot <= at + COALESCE, "{phase_ms} {offset_us}");
                let from_phase =
                    slot.duration_since(*EPOCH).as_nanos() + COALESCE.as_nanos() - phase.as_nanos();
                assert_eq!(
                    from_phase % COALESCE.as_nanos(),
                    0,
                    "{phase_ms} {offset_us}"
                );
            }
        }
    }

    fn frame(seq: i64) -> (i64, Bytes, bool) {
        // Odd sequence numbers stand for events devices see.
        (seq, Bytes::from(format!("id: {seq}\n\n")), seq % 2 == 1)
    }

    #[test]
    fn a_chunk_drops_the_frames_a_subscriber_replayed() {
        let ring = Ring {
            first: 5,
            frames: [frame(7), frame(8), frame(9)].into(),
        };
        let chunk = ring.chunk(6);
        assert_eq!(&chunk.after(0, false)[..], b"id: 8\n\nid: 9\n\n");
        assert_eq!(&chunk.after(8, false)[..], b"id: 9\n\n");
        assert!(chunk.after(9, false).is_empty());
        // A device's share leaves out what devices do not show.
        assert_eq!(&chunk.after(0, true)[..], b"id: 9\n\n");
    }

    #[tokio::test(start_paused = true)]
    async fn every_subscriber_gets_every_frame_once_and_a_burst_is_joined() {
        let feeds = HallFeeds::default();
        let mut subs: Vec<_> = (0..GROUPS * 2).map(|_| feeds.subscribe("h1")).collect();
        let mut other = feeds.subscribe("h2");
        for seq in 1..=30 {
            let (seq, f, for_devices) = frame(seq);
            feeds.publish("h1", seq, &f, for_devices);
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        tokio::time::sleep(COALESCE * 2).await;
        let want: String = (1..=30).map(|s| format!("id: {s}\n\n")).collect();
        for rx in &mut subs {
            let mut got = Vec::new();
            let mut writes = 0;
            while let Ok(chunk) = rx.try_recv() {
                got.extend_from_slice(&chunk.after(0, false));
                writes += 1;
            }
            assert_eq!(String::from_utf8(got).unwrap(), want);
            // 60 ms of events joined into a handful of writes (one at once,
            // then about one per slot; a flusher woken late on a busy machine
            // may split one slot), never one write per event.
            assert!(writes <= 8, "{writes} writes for 30 events");
        }
        assert!(
            other.try_recv().is_err(),
            "another hall's subscriber got h1's events"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_unwatched_hall_is_retired() {
        let feeds = HallFeeds::default();
        let rx = feeds.subscribe("h1");
        drop(rx);
        tokio::time::sleep(IDLE * 2).await;
        assert!(feeds.halls.read().unwrap().is_empty());
    }
}
