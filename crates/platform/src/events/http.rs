//! The live feed of a hall: Server-Sent Events with `Last-Event-ID` resume,
//! plus a snapshot of recent events.

use super::{StoredEvent, list_after, recent};
use crate::{
    AppState,
    access::{Access, RouteAccess},
    api::{ApiQuery, ApiResult, ErrorBody},
    auth::{CurrentUser, Permission},
    directory::hall_for,
};
use axum::{
    Json,
    extract::{Path, State},
    http::HeaderMap,
    response::sse::{Event, KeepAlive, Sse},
};
use futures::{Stream, StreamExt, stream};
use serde::Deserialize;
use std::{convert::Infallible, sync::Arc, time::Duration};
use tokio_stream::wrappers::BroadcastStream;
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

fn to_sse(seq: i64, json: &str) -> Event {
    Event::default()
        // No `event:` name: the type is in the data, so EventSource.onmessage sees every event.
        .id(seq.to_string())
        .data(json)
}

/// Live events of a hall (`text/event-stream`). Each event's `id` is its sequence number.
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
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let hall = hall_for(&state, &user, &key, Permission::EventsRead).await?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.after);
    // Subscribe before reading the backlog so nothing committed in between is lost;
    // events seen in both are dropped by sequence number.
    let live = BroadcastStream::new(state.bus.subscribe());
    let backlog = match after {
        Some(seq) => list_after(&state.db, &hall.id, seq, MAX_REPLAY).await?,
        None => Vec::new(),
    };
    let mut last_seq = backlog.last().map(|e| e.seq).or(after).unwrap_or(0);
    let hall_id = hall.id.clone();
    let replay = stream::iter(
        backlog
            .iter()
            .map(|ev| {
                Ok(to_sse(
                    ev.seq,
                    &serde_json::to_string(ev).unwrap_or_default(),
                ))
            })
            .collect::<Vec<_>>(),
    );
    let live = live
        // A lagging subscriber ends its stream; the browser reconnects with Last-Event-ID.
        .take_while(|r| futures::future::ready(r.is_ok()))
        .filter_map(move |r| {
            let out = match r {
                Ok(live)
                    if live.event.hall_id.as_deref() == Some(hall_id.as_str())
                        && (after.is_none() || live.event.seq > last_seq) =>
                {
                    last_seq = last_seq.max(live.event.seq);
                    Some(Ok(to_sse(live.event.seq, &live.json)))
                }
                _ => None,
            };
            futures::future::ready(out)
        });
    let gauge = SseGauge::new(&state);
    let shutdown = state.shutdown.clone().cancelled_owned();
    let stream = replay.chain(live).take_until(shutdown).map(move |item| {
        let _keep = &gauge;
        item
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
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
