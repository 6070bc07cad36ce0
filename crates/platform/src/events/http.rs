//! The live feed of a hall: Server-Sent Events with `Last-Event-ID` resume,
//! plus a snapshot of recent events.

use super::{Audience, StoredEvent, bus::sse_frame, feeds::Chunk, list_after, recent};
use crate::{
    AppState,
    api::{ApiQuery, ApiResult, ErrorBody},
    auth::CurrentUser,
    halls::hall_for,
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
use std::{convert::Infallible, sync::Arc, time::Duration};
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Resume after this sequence number (alternative to the `Last-Event-ID` header).
    pub after: Option<i64>,
}

/// One subscriber's share of its hall's feed: the chunks, less any event at
/// or below `floor` (the replayed backlog's last).
struct Feed {
    rx: broadcast::Receiver<Chunk>,
    floor: i64,
    device: bool,
}

impl Feed {
    /// The next write. `None`: the feed ended (this subscriber lagged too far
    /// behind, or the server is stopping); the browser reconnects with
    /// `Last-Event-ID` and catches up from the log.
    async fn next_write(&mut self) -> Option<Bytes> {
        loop {
            let frames = self.rx.recv().await.ok()?.after(self.floor, self.device);
            if !frames.is_empty() {
                return Some(frames);
            }
        }
    }
}

fn audience_of(user: &CurrentUser) -> Audience {
    if user.is_device() {
        Audience::Device
    } else {
        Audience::Staff
    }
}

/// A comment line every 15 s keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Live events of a hall (`text/event-stream`). Each event's `id` is its sequence number; its `data` is
/// `{seq, event_type, occurred_at, payload}` (the full record, with actor, is in `events/recent`).
#[utoipa::path(get, path = "/api/v1/halls/{hall}/events", security(("govhall" = ["events.read"])), tag = "events",
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
    let hall = hall_for(&state, &user, &key, crate::auth::permissions::EVENTS_READ).await?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.after);
    // Subscribe before reading the backlog so nothing committed in between is lost;
    // events seen in both are dropped by sequence number.
    let audience = audience_of(&user);
    let rx = state.bus.feeds.subscribe(&hall.id);
    let backlog = match after {
        Some(seq) => list_after(&state.db, &hall.id, seq, MAX_REPLAY, audience).await?,
        None => Vec::new(),
    };
    let floor = backlog.last().map(|e| e.seq).or(after).unwrap_or(0);
    let replay = stream::iter(backlog.iter().map(sse_frame).collect::<Vec<_>>());
    let device = audience == Audience::Device;
    let live = stream::unfold(Feed { rx, floor, device }, |mut feed| async move {
        let frames = feed.next_write().await?;
        Some((frames, feed))
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
#[utoipa::path(get, path = "/api/v1/halls/{hall}/events/recent", security(("govhall" = ["events.read"])), tag = "events",
    params(("hall" = String, Path, description = "hall id or code"), RecentQuery),
    responses((status = 200, body = Vec<StoredEvent>), (status = 401, body = ErrorBody)))]
async fn recent_events(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<RecentQuery>,
) -> ApiResult<Json<Vec<StoredEvent>>> {
    let hall = hall_for(&state, &user, &key, crate::auth::permissions::EVENTS_READ).await?;
    Ok(Json(
        recent(
            &state.db,
            &hall.id,
            q.limit.unwrap_or(50).clamp(1, 200),
            audience_of(&user),
        )
        .await?,
    ))
}
