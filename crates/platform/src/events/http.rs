//! The live feed of a hall: Server-Sent Events with `Last-Event-ID` resume,
//! plus a snapshot of recent events.

use super::{
    StoredEvent,
    bus::{LiveEvent, sse_frame},
    list_after, recent,
};
use crate::{
    AppState,
    access::{Access, RouteAccess},
    api::{ApiQuery, ApiResult, ErrorBody},
    auth::{CurrentUser, Permission},
    directory::hall_for,
};
use axum::{
    Json,
    body::{Body, Bytes},
    extract::{Path, State},
    http::{HeaderMap, header},
    response::Response,
};
use futures::{StreamExt, stream};
use serde::Deserialize;
use std::{
    convert::Infallible,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::sync::broadcast;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Replay at most this many missed events on reconnect; a client further
/// behind reloads its snapshot instead.
const MAX_REPLAY: u64 = 5000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(hall_events))
        .routes(routes!(recent_events))
}

/// Who may follow a hall's events.
pub const ACCESS: &[RouteAccess] = &[
    (
        "GET",
        "/api/v1/halls/{hall}/events",
        Access::Permission(Permission::EventsRead),
    ),
    (
        "GET",
        "/api/v1/halls/{hall}/events/recent",
        Access::Permission(Permission::EventsRead),
    ),
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Resume after this sequence number (alternative to the `Last-Event-ID` header).
    pub after: Option<i64>,
}

/// A subscriber writes at most once per this interval: under a burst of calls
/// a thousand screens cost a thousand writes per interval, not per event.
const COALESCE: Duration = Duration::from_millis(20);

/// One subscriber's share of the bus: the hall's events after `floor` (the
/// replayed backlog's last).
struct Feed {
    rx: broadcast::Receiver<Arc<LiveEvent>>,
    hall_id: String,
    floor: i64,
    last_write: Option<Instant>,
    /// Where in each interval this subscriber writes. Spread at random, so a
    /// thousand screens woken by one event do not all write in the same
    /// millisecond every interval after it (that storm was the delivery tail).
    phase: Duration,
}

/// The start all subscribers' intervals count from.
static EPOCH: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// The first of `phase + k × COALESCE` (from `EPOCH`) after `at`: at most one
/// interval away.
fn next_slot(at: Instant, phase: Duration) -> Instant {
    let period = COALESCE.as_nanos();
    let since = at.duration_since(*EPOCH).as_nanos() + period - phase.as_nanos();
    let wait = period - since % period;
    at + Duration::from_nanos(wait as u64)
}

impl Feed {
    fn wanted(&self, ev: &LiveEvent) -> bool {
        ev.event.hall_id.as_deref() == Some(self.hall_id.as_str()) && ev.event.seq > self.floor
    }

    /// The hall's next events as one write: waits for the first, then, if the
    /// last write was less than `COALESCE` ago, for this subscriber's next
    /// slot, taking everything that arrived meanwhile. `false`: the feed ended (this
    /// subscriber lagged too far behind, or the bus closed); the browser
    /// reconnects with `Last-Event-ID` and catches up from the log.
    async fn next_frames(&mut self) -> (Bytes, bool) {
        let mut out = Vec::new();
        loop {
            match self.rx.recv().await {
                Ok(ev) if self.wanted(&ev) => {
                    out.extend_from_slice(&ev.frame);
                    break;
                }
                Ok(_) => continue,
                Err(_) => return (Bytes::new(), false),
            }
        }
        if let Some(at) = self.last_write
            && at.elapsed() < COALESCE
        {
            tokio::time::sleep_until(next_slot(at, self.phase).into()).await;
        }
        let open = loop {
            match self.rx.try_recv() {
                Ok(ev) if self.wanted(&ev) => out.extend_from_slice(&ev.frame),
                Ok(_) => {}
                Err(broadcast::error::TryRecvError::Empty) => break true,
                Err(_) => break false,
            }
        };
        self.last_write = Some(Instant::now());
        (Bytes::from(out), open)
    }
}

/// A comment line every 15 s keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Live events of a hall (`text/event-stream`). Each event's `id` is its sequence number; its `data` is
/// `{seq, event_type, occurred_at, payload}` (the full record, with actor, is in `events/recent`).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/events", tag = "events",
    params(("hall" = String, Path, description = "hall id or code"), StreamQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "resume after this sequence number")),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 401, body = ErrorBody)))]
async fn hall_events(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<StreamQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let hall = hall_for(&state, &user, &key, Permission::EventsRead).await?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.after);
    // Subscribe before reading the backlog so nothing committed in between is lost;
    // events seen in both are dropped by sequence number.
    let rx = state.bus.subscribe();
    let backlog = match after {
        Some(seq) => list_after(&state.db, &hall.id, seq, MAX_REPLAY).await?,
        None => Vec::new(),
    };
    let floor = backlog.last().map(|e| e.seq).or(after).unwrap_or(0);
    let replay = stream::iter(backlog.iter().map(sse_frame).collect::<Vec<_>>());
    let feed = Feed {
        rx,
        hall_id: hall.id.clone(),
        floor,
        last_write: None,
        phase: Duration::from_nanos(rand::Rng::gen_range(
            &mut rand::thread_rng(),
            0..COALESCE.as_nanos() as u64,
        )),
    };
    let live = stream::unfold(Some(feed), |feed| async move {
        let mut feed = feed?;
        let (frames, open) = feed.next_frames().await;
        if frames.is_empty() {
            return None;
        }
        Some((frames, open.then_some(feed)))
    });
    let gauge = SseGauge::new(&state);
    let shutdown = state.shutdown.clone().cancelled_owned();
    // Frames, then an end marker when the live feed ends (a lagging subscriber
    // reconnects), interleaved with keep-alive comments that never end on their own.
    let frames = replay
        .chain(live)
        .map(Some)
        .chain(stream::once(async { None }));
    let keep_alive = stream::unfold((), |_| async {
        tokio::time::sleep(KEEP_ALIVE).await;
        Some((Some(Bytes::from_static(b":\n\n")), ()))
    });
    let body = stream::select(frames, keep_alive)
        .take_while(|f| futures::future::ready(f.is_some()))
        .filter_map(futures::future::ready)
        .take_until(shutdown)
        .map(move |frame| {
            let _keep = &gauge;
            Ok::<_, Infallible>(frame)
        });
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        // nginx: pass events through at once instead of buffering them.
        .header("x-accel-buffering", "no")
        .body(Body::from_stream(body))
        .map_err(govhall_kernel::AppError::internal)?)
}

/// Counts connected SSE clients for `/metrics`; decrements when the stream is dropped.
struct SseGauge(Arc<crate::metrics::Metrics>);

impl SseGauge {
    fn new(state: &AppState) -> Self {
        state.metrics.sse_clients.inc();
        SseGauge(state.metrics.clone())
    }
}

impl Drop for SseGauge {
    fn drop(&mut self) {
        self.0.sse_clients.dec();
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecentQuery {
    /// How many, at most 200.
    pub limit: Option<u64>,
}

/// The newest events of a hall, newest first (the snapshot a screen loads before subscribing).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/events/recent", tag = "events",
    params(("hall" = String, Path, description = "hall id or code"), RecentQuery),
    responses((status = 200, body = Vec<StoredEvent>), (status = 401, body = ErrorBody)))]
async fn recent_events(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<RecentQuery>,
) -> ApiResult<Json<Vec<StoredEvent>>> {
    let hall = hall_for(&state, &user, &key, Permission::EventsRead).await?;
    Ok(Json(
        recent(&state.db, &hall.id, q.limit.unwrap_or(50).clamp(1, 200)).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subscriber_writes_in_its_own_slot_at_most_one_interval_on() {
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
}
