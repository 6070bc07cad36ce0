//! Prometheus metrics (`/metrics`, text exposition format).

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram>,
    pub sse_clients: Gauge,
    pub events_published: Counter,
    /// SQLite WAL checkpoints (see `db::checkpoint`).
    pub wal: crate::db::checkpoint::Stats,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("govhall");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ])
        });
        let sse_clients = Gauge::default();
        let events_published = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency",
            latency.clone(),
        );
        registry.register(
            "sse_clients",
            "Connected live-feed (SSE) clients",
            sse_clients.clone(),
        );
        registry.register(
            "events_published",
            "Domain events published to the live feed",
            events_published.clone(),
        );
        let wal = crate::db::checkpoint::Stats::default();
        registry.register(
            "sqlite_wal_checkpoints",
            "Passive SQLite WAL checkpoints",
            wal.passive.clone(),
        );
        registry.register(
            "sqlite_wal_restarts",
            "SQLite WAL restarts (the log starts over from the beginning of its file)",
            wal.restarts.clone(),
        );
        registry.register(
            "sqlite_wal_restarts_busy",
            "SQLite WAL restarts given up because a reader stayed in the old log",
            wal.restarts_busy.clone(),
        );
        registry.register(
            "sqlite_wal_restarts_slow",
            "SQLite WAL restarts that held the writer over 50 ms",
            wal.restarts_slow.clone(),
        );
        registry.register(
            "sqlite_wal_restart_longest_ms",
            "The longest SQLite WAL restart, milliseconds",
            wal.restart_longest_ms.clone(),
        );
        registry.register(
            "sqlite_wal_passive_longest_ms",
            "The longest passive SQLite WAL checkpoint, milliseconds",
            wal.passive_longest_ms.clone(),
        );
        Self {
            wal,
            registry,
            requests,
            latency,
            sse_clients,
            events_published,
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}

/// Counts and times every request by its route template (not the raw path, so ids don't explode the label set).
pub async fn track(State(state): State<crate::AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    let m = &state.metrics;
    m.requests
        .get_or_create(&RequestLabels {
            method,
            route: route.clone(),
            status: resp.status().as_u16(),
        })
        .inc();
    m.latency
        .get_or_create(&RouteLabels { route })
        .observe(start.elapsed().as_secs_f64());
    resp
}

pub async fn handler(State(state): State<crate::AppState>) -> impl IntoResponse {
    (
        [(
            "content-type",
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
